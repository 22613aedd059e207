//! The tabs and their panes in focus order.

/// The tabs (`1`…`6`, `s`; `7` Compare, shown only when comparing).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Tab {
    Overview,
    Waterfall,
    Tools,
    Context,
    Rules,
    Frames,
    Story,
    Compare,
}

impl Tab {
    pub const ALL: [Tab; 7] = [
        Tab::Overview,
        Tab::Waterfall,
        Tab::Tools,
        Tab::Context,
        Tab::Rules,
        Tab::Frames,
        Tab::Story,
    ];

    pub fn title(self) -> &'static str {
        match self {
            Tab::Overview => "Overview",
            Tab::Waterfall => "Waterfall",
            Tab::Tools => "Tools",
            Tab::Context => "Context",
            Tab::Rules => "Rules",
            Tab::Frames => "Frames",
            Tab::Story => "Story",
            Tab::Compare => "Compare",
        }
    }

    /// The panes of the tab, in focus order.
    pub fn panes(self) -> &'static [Focus] {
        match self {
            Tab::Overview => &[
                Focus::Agents,
                Focus::Timeline,
                Focus::Tools,
                Focus::Turns,
                Focus::Detail,
            ],
            Tab::Waterfall => &[Focus::Waterfall, Focus::Detail],
            Tab::Tools => &[Focus::Tools, Focus::Detail],
            Tab::Context => &[Focus::Context, Focus::Detail],
            Tab::Rules => &[Focus::Rules, Focus::Findings, Focus::Detail],
            Tab::Frames => &[Focus::Frames, Focus::Detail],
            Tab::Story => &[Focus::Story],
            Tab::Compare => &[Focus::Compare, Focus::Detail],
        }
    }
}

/// The focused pane.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Focus {
    Agents,
    Timeline,
    Tools,
    Turns,
    Detail,
    Waterfall,
    Context,
    Rules,
    Findings,
    Frames,
    Story,
    Compare,
}
