//! Math, opt-in (`"math": true`): `$…$` and `$$…$$` become escaped TeX in
//! `<span class="math math-inline">` / `<span class="math math-display">` for the app's KaTeX;
//! off by default, a `$` is text. Every assertion reads the parsed output.
// Raw HTML sanitized: the `html` feature. `tests/lite.rs` covers the build without it.
#![cfg(feature = "html")]

mod common;

use common::{attr, elements, parse, text};
use safemark::{Policy, Sanitizer, TerminalOptions};

fn math() -> Sanitizer {
    Sanitizer::new(Policy::builder().math(true).build().unwrap()).unwrap()
}

/// The TeX of each math span in `html`: (display, text).
fn spans(html: &str) -> Vec<(bool, String)> {
    let parsed = parse(html);
    elements(&parsed.root)
        .into_iter()
        .filter(|(name, attrs, _)| {
            name == "span" && attr(attrs, "class").is_some_and(|c| c.starts_with("math "))
        })
        .map(|(_, attrs, node)| {
            (
                attr(&attrs, "class") == Some("math math-display"),
                text(&node),
            )
        })
        .collect()
}

#[test]
fn math_is_off_by_default() {
    let out = safemark::render_markdown("costs $5 and $x^2$ here")
        .unwrap()
        .html;
    assert!(spans(&out).is_empty(), "{out}");
    assert_eq!(
        text(&parse(&out).root).trim_end(),
        "costs $5 and $x^2$ here"
    );
    let json = Policy::default().to_json();
    assert!(json.contains(r#""math": false"#), "{json}");
    let on = Policy::from_json(r#"{"math": true}"#).unwrap();
    assert!(on.math);
    assert!(Policy::from_json(r#"{"math": "yes"}"#).is_err());
}

#[test]
fn tex_is_written_as_escaped_text_in_math_spans() {
    let s = math();
    let cases: &[(&str, &[(bool, &str)])] = &[
        ("the area is $\\pi r^2$.", &[(false, "\\pi r^2")]),
        ("$$\\int_0^1 x\\,dx$$", &[(true, "\\int_0^1 x\\,dx")]),
        ("$a<b$ and $$x>y$$", &[(false, "a<b"), (true, "x>y")]),
        (
            "$<img src=x onerror=alert(1)>$",
            &[(false, "<img src=x onerror=alert(1)>")],
        ),
        (
            "$[a](https://evil.example/)$",
            &[(false, "[a](https://evil.example/)")],
        ),
        (
            "$\\href{https://evil.example}{x}$",
            &[(false, "\\href{https://evil.example}{x}")],
        ),
        ("- $x_1$\n- $x_2$", &[(false, "x_1"), (false, "x_2")]),
        ("| a |\n|---|\n| $x$ |", &[(false, "x")]),
        // Not math: prices, code, escapes, and LaTeX's own delimiters (shown as text).
        ("costs $5 and $10", &[]),
        ("`$x$`", &[]),
        ("\\$x\\$", &[]),
        ("\\(x\\) and \\[y\\]", &[]),
    ];
    for (md, expected) in cases {
        let out = s.render_markdown(md).unwrap();
        let got = spans(&out.html);
        let want: Vec<(bool, String)> = expected.iter().map(|(d, t)| (*d, t.to_string())).collect();
        assert_eq!(got, want, "{md:?} -> {}", out.html);
        let parsed = parse(&out.html);
        for (name, attrs, _) in elements(&parsed.root) {
            assert!(
                !["img", "a", "script"].contains(&name.as_str()),
                "{md:?}: <{name}> in {}",
                out.html
            );
            assert!(
                attrs.iter().all(|(n, _)| !n.starts_with("on")),
                "{md:?}: {}",
                out.html
            );
        }
    }
}

#[test]
fn math_output_is_a_fixpoint_and_raw_html_keeps_the_classes() {
    let s = math();
    for md in [
        "$x$ and $$y$$",
        "<b>bold $x$</b> $y$",
        "<details>\n\n$$z$$\n\n</details>",
    ] {
        let out = s.render_markdown(md).unwrap().html;
        assert_eq!(s.sanitize_html(&out).unwrap().html, out, "{md:?}");
        assert!(!spans(&out).is_empty(), "{md:?}: {out}");
    }
    let raw = s
        .sanitize_html(r#"<span class="math math-inline" onclick="x()">a</span>"#)
        .unwrap()
        .html;
    assert_eq!(raw, r#"<span class="math math-inline">a</span>"#);
}

#[test]
fn math_streams_as_it_renders() {
    let s = math();
    let docs = [
        "Intro $a+b$ and $$\\sum_i x_i$$ then *em* $c$.\n\nNext $x$ para, costs $5.\n\n- $l_1$\n- item $l_2$\n",
        "$$\nx\n$$\n\ntext $y",
        "a $b\n\nc$ d $e$",
    ];
    for doc in docs {
        let batch = s.render_markdown(doc).unwrap();
        for chunk in [1, 2, 5] {
            let mut stream = s.stream();
            let mut html = String::new();
            for piece in doc.as_bytes().chunks(chunk) {
                html.push_str(&stream.push_bytes(piece).unwrap().committed);
            }
            let last = stream.finish().unwrap();
            html.push_str(&last.committed);
            assert_eq!(html, batch.html, "{doc:?} in {chunk}-byte chunks");
        }
    }
}

#[test]
fn the_terminal_shows_tex_between_its_dollars() {
    let s = math();
    let out = s
        .render_terminal("area $\\pi r^2$", TerminalOptions::plain())
        .unwrap();
    assert_eq!(out.text, "area $\\pi r^2$\n");
}
