//! Every pair of constructs, side by side: the writers join what they write for one construct
//! to what they write for the next (a space before a footnote's back-link, a label after a
//! refused link, the line feed after a block), and a join the next pass reads differently
//! breaks the fixpoint. Each pair of the constructs below is written with nothing, a space, a
//! line feed and a blank line between, in markdown under three policies: every output is safe
//! and a fixpoint.
// Raw HTML sanitized (and `safemark::audit`): the `html` feature.
#![cfg(feature = "html")]

mod common;

use safemark::Sanitizer;

/// Constructs that write something of their own around or after their content.
const CONSTRUCTS: &[&str] = &[
    "text",
    "**strong**",
    "*em*",
    "~~del~~",
    "`code`",
    "$x^2$",
    "[docs](https://docs.example.com/a)",
    "[evil](https://evil.example/a)",
    "[docs.example.com](https://evil.example/)",
    "[js](javascript:alert(1))",
    "![img](https://img.example.com/i.png)",
    "![evil](https://evil.example/i.png)",
    "![](https://evil.example/i.png)",
    "<https://evil.example/x>",
    "https://docs.example.com/bare",
    "www.evil.example",
    "someone@evil.example",
    "[^1]",
    "[ref]",
    "&amp; &nbsp; &#x1F642;",
    "<b>raw</b>",
    "<a href=\"https://evil.example/\">raw link</a>",
    "<img src=\"https://evil.example/p.png\" alt=raw>",
    "<span title=\"t\">",
    "</span>",
    "<!-- comment -->",
    "<details><summary>s</summary>",
    "</details>",
    "<script>alert(1)</script>",
    "\\",
    "  ",
    "\u{a0}",
    "# heading",
    "> quote",
    "- item",
    "1. item",
    "- [ ] task",
    "---",
    "```\nfence\n```",
    "    indented",
    "| a | b |\n|---|---|\n| c | d |",
    "[^1]: note",
    "[ref]: https://evil.example/ref",
    "<div>",
    "</div>",
    "$$\nx\n$$",
];

const SEPARATORS: &[&str] = &["", " ", "\n", "\n\n"];

#[test]
fn every_pair_of_constructs_is_a_fixpoint() {
    let policies = [
        (
            r#"{"raw_html": "sanitize", "math": true}"#,
            common::Trusted::default(),
        ),
        (
            r#"{"raw_html": "sanitize", "math": true, "links": {"allow": ["https://docs.example.com/", "mailto:"], "untrusted": "confirm"}, "images": {"allow": ["https://img.example.com/"]}}"#,
            common::trusted_for("confirm"),
        ),
        (
            r#"{"raw_html": "escape", "links": {"allow": ["https://docs.example.com/"], "untrusted": "url"}}"#,
            common::Trusted {
                link_hosts: vec!["docs.example.com"],
                ..Default::default()
            },
        ),
    ];
    let sanitizers: Vec<(Sanitizer, common::Trusted)> = policies
        .into_iter()
        .map(|(json, trusted)| (Sanitizer::from_json(json).unwrap(), trusted))
        .collect();
    let mut cases = 0usize;
    for first in CONSTRUCTS {
        for second in CONSTRUCTS {
            for separator in SEPARATORS {
                let input = format!("{first}{separator}{second}");
                for (s, trusted) in &sanitizers {
                    cases += 1;
                    common::check(s, trusted, true, &input, "pair")
                        .unwrap_or_else(|e| panic!("{e}"));
                }
            }
        }
    }
    assert_eq!(
        cases,
        CONSTRUCTS.len() * CONSTRUCTS.len() * SEPARATORS.len() * 3
    );
}

/// The same pairs as raw HTML with markdown's own output around them: each pair rendered, then
/// the two renders joined and sanitized as HTML. safemark's output next to safemark's output
/// (two answers in one page, or a render inside a template) is a fixpoint too.
#[test]
fn renders_side_by_side_are_a_fixpoint() {
    let s = Sanitizer::from_json(
        r#"{"raw_html": "sanitize", "math": true, "links": {"untrusted": "confirm"}}"#,
    )
    .unwrap();
    let renders: Vec<String> = CONSTRUCTS
        .iter()
        .map(|c| s.render_markdown(c).unwrap().html)
        .collect();
    let mut cases = 0usize;
    for first in &renders {
        for second in &renders {
            cases += 1;
            let joined = format!("{}{}", first.trim_end(), second);
            common::check(&s, &common::Trusted::default(), false, &joined, "joined")
                .unwrap_or_else(|e| panic!("{e}"));
        }
    }
    assert_eq!(cases, CONSTRUCTS.len() * CONSTRUCTS.len());
}

/// The same pairs streamed three bytes at a time: the committed HTML and the findings are the
/// batch render's, and every state shown on the way (committed and tail) is safe.
#[test]
fn every_pair_streams_like_batch() {
    let s = Sanitizer::from_json(
        r#"{"raw_html": "sanitize", "math": true, "links": {"allow": ["https://docs.example.com/", "mailto:"], "untrusted": "confirm"}, "images": {"allow": ["https://img.example.com/"]}}"#,
    )
    .unwrap();
    let trusted = common::trusted_for("confirm");
    let mut cases = 0usize;
    for first in CONSTRUCTS {
        for second in CONSTRUCTS {
            for separator in SEPARATORS {
                cases += 1;
                let input = format!("{first}{separator}{second}");
                let batch = s.render_markdown(&input).unwrap();
                let mut stream = s.stream();
                let (mut html, mut findings) = (String::new(), Vec::new());
                for piece in input.as_bytes().chunks(3) {
                    let update = stream.push_bytes(piece).unwrap();
                    html.push_str(&update.committed);
                    findings.extend(update.findings);
                    let shown = format!("{html}{}", update.tail);
                    let violations = common::violations(&shown, &trusted);
                    assert!(
                        violations.is_empty(),
                        "{violations:?} in {input:?}: {shown}"
                    );
                }
                let update = stream.finish().unwrap();
                html.push_str(&update.committed);
                findings.extend(update.findings);
                assert_eq!(html, batch.html, "{input:?}");
                assert_eq!(findings, batch.findings, "{input:?}");
            }
        }
    }
    assert_eq!(
        cases,
        CONSTRUCTS.len() * CONSTRUCTS.len() * SEPARATORS.len()
    );
}
