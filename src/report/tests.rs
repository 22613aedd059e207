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
