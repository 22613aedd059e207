use super::*;

fn doc() -> Vec<Block> {
    vec![
        Block::H(1, "a <b> & 'c'".into()),
        Block::Table(
            "call",
            vec!["#", "result"],
            vec![vec!["1".into(), "x\n```y".into()]],
        ),
        Block::Pre("</pre><script>".into()),
        Block::Waterfall(
            vec![Bar {
                label: "✓ <tool>".into(),
                start: 0.0,
                end: None,
                call: true,
                status: "open",
            }],
            10.0,
        ),
    ]
}

#[test]
fn html_escapes_every_text_and_marks_an_open_bar() {
    let html = html::write(&doc());
    assert!(html.contains("<title>a &lt;b&gt; &amp; &#39;c&#39;</title>"));
    assert!(html.contains("&lt;/pre&gt;&lt;script&gt;"));
    assert!(html.contains("✓ &lt;tool&gt; …"));
    assert!(!html.contains("<script>") && !html.contains("<tool>"));
}

#[test]
fn markdown_fences_outrun_the_backticks_they_hold() {
    let md = md::write(&doc());
    assert!(md.starts_with("# a &lt;b&gt; &amp; 'c'\n"));
    assert!(md.contains("````text\nx\n```y\n````"));
    assert!(md.contains("| ✓ &lt;tool&gt; | 0ms | no end |"));
}

#[test]
fn say_makes_controls_visible_redacts_and_cuts() {
    let mut red = Redactor::new(&[], false).expect("valid");
    let mut say = Say { red: &mut red };
    assert_eq!(say.line("a\u{1b}[31m b@c.io"), "a␛[31m [redacted:email]");
    assert_eq!(say.text("abcdef", 3), "abc\n… 3 more characters");
}

/// `n` runs of one agent each; run `bad` fails.
fn many_runs(n: usize, bad: usize) -> crate::core::log::Log {
    let mut text = String::new();
    for i in 0..n {
        let status = if i == bad { "failed" } else { "success" };
        text.push_str(&format!(
            "{{\"type\":\"agent_started\",\"payload\":{{\"run_id\":\"r{i}\",\"agent_name\":\"sup\",\"agent_id\":\"a{i}\"}}}}\n\
             {{\"type\":\"agent_completed\",\"payload\":{{\"run_id\":\"r{i}\",\"agent_name\":\"sup\",\"agent_id\":\"a{i}\",\"result\":{{\"status\":\"{status}\"}}}}}}\n"
        ));
    }
    crate::core::session::testing::load(&text)
}

fn run_headings(doc: &[Block]) -> Vec<String> {
    doc.iter()
        .filter_map(|b| match b {
            Block::H(3, h) if h.starts_with("Run ") => {
                h.split_whitespace().nth(1).map(String::from)
            }
            _ => None,
        })
        .collect()
}

#[test]
fn a_large_session_shows_the_runs_that_need_a_look_in_full_and_the_rest_a_line_each() {
    let log = many_runs(runs::RUNS_DETAILED + 50, runs::RUNS_DETAILED + 30);
    let mut red = Redactor::new(&[], false).expect("valid");
    let marked = marks::Marked::new(&mut Say { red: &mut red }, &log);
    let mut doc = Vec::new();
    runs::all(&mut doc, &mut Say { red: &mut red }, &log, &marked, &[]);
    let full = run_headings(&doc);
    assert_eq!(full.len(), runs::RUNS_DETAILED);
    // The failed run is in full, in session order, after the first ok runs.
    let bad = format!("r{}", runs::RUNS_DETAILED + 30);
    assert_eq!(full.last(), Some(&bad));
    assert_eq!(full[0], "r0");
    let others = doc.iter().find_map(|b| match b {
        Block::Table("runs", _, rows) => Some(rows),
        _ => None,
    });
    let others = others.expect("the other runs listed");
    assert_eq!(others.len(), 50);
    assert!(others.iter().all(|r| r[1].contains("completed")));
    // A small session: every run in full, no list.
    let log = many_runs(3, 1);
    let marked = marks::Marked::new(&mut Say { red: &mut red }, &log);
    let mut doc = Vec::new();
    runs::all(&mut doc, &mut Say { red: &mut red }, &log, &marked, &[]);
    assert_eq!(run_headings(&doc), ["r0", "r1", "r2"]);
    assert!(!doc.iter().any(|b| matches!(b, Block::Table("runs", ..))));
}
