//! Limits: over-size input is a clear error; pathological nesting and repetition neither
//! crash nor blow up the output. (Time is measured in benchmarks, never asserted here.)
// Raw HTML sanitized (and `safemark::audit`): the `html` feature. `tests/lite.rs` covers
// the build without it.
#![cfg(feature = "html")]

mod common;

use safemark::{Error, FindingKind, Sanitizer};

#[test]
fn input_over_the_limit_is_an_error() {
    let s = Sanitizer::from_json(r#"{"limits": {"max_input_bytes": 16}}"#).unwrap();
    assert!(s.render_markdown(&"a".repeat(16)).is_ok());
    let err = s.render_markdown(&"a".repeat(17)).unwrap_err();
    assert_eq!(err, Error::InputTooLarge { len: 17, max: 16 });
    assert!(err.to_string().contains("limits.max_input_bytes"));
    assert!(s.sanitize_html(&"<b>".repeat(6)).is_err());
    // Default: 1 MiB.
    assert!(safemark::render_markdown(&"a".repeat((1 << 20) + 1)).is_err());
}

fn max_depth(html: &str, element: &str) -> usize {
    let parsed = common::parse(html);
    let mut best = 0;
    let mut stack = vec![(parsed.root.clone(), 0usize)];
    while let Some((node, depth)) = stack.pop() {
        let d = match &node.data {
            markup5ever_rcdom::NodeData::Element { name, .. } if &*name.local == element => {
                depth + 1
            }
            _ => depth,
        };
        best = best.max(d);
        for c in node.children.borrow().iter() {
            stack.push((c.clone(), d));
        }
    }
    best
}

#[test]
fn deep_markdown_nesting_is_flattened() {
    let s = Sanitizer::from_json(r#"{"limits": {"max_nesting": 8}}"#).unwrap();
    for (input, element) in [
        (format!("{}deep", ">".repeat(50_000)), "blockquote"),
        (
            (0..600)
                .map(|i| format!("{}- item\n", "  ".repeat(i)))
                .collect::<String>(),
            "ul",
        ),
        (format!("{} x", "- ".repeat(20_000)), "ul"),
    ] {
        let out = s.render_markdown(&input).unwrap();
        assert!(
            max_depth(&out.html, element) <= 8,
            "{element} deeper than the limit"
        );
        assert!(out
            .findings
            .iter()
            .any(|f| f.kind == FindingKind::NestingLimit));
        assert!(out.html.len() <= 32 * input.len() + 4096);
        common::check(&s, &common::Trusted::default(), true, &input, "deep").unwrap();
    }
}

#[test]
fn repetition_stays_linear_in_output() {
    let s = Sanitizer::new(Default::default()).unwrap();
    let inputs = [
        "[".repeat(100_000),
        "**".repeat(50_000),
        "<a".repeat(50_000),
        "<div>".repeat(200_000),
        "<b><i>".repeat(20_000),
        "![](//e.example/)".repeat(10_000),
        "[a](//e.example/)".repeat(10_000),
        "`".repeat(100_000),
        "*a ".repeat(50_000),
        "| a |\n|---|\n".to_string() + &"| x |\n".repeat(30_000),
        "[^1]".repeat(30_000) + "\n\n[^1]: n",
        "&amp;".repeat(50_000),
        "<table><tr><td>".repeat(5_000),
    ];
    for input in &inputs {
        for markdown in [true, false] {
            let out = if markdown {
                s.render_markdown(input)
            } else {
                s.sanitize_html(input)
            }
            .unwrap();
            assert!(
                out.html.len() <= 32 * input.len() + 4096,
                "{}: {} bytes out of {}",
                &input[..20],
                out.html.len(),
                input.len()
            );
        }
    }
}

#[test]
fn policy_urls_are_bounded() {
    let long = format!(
        "https://a.example/{}",
        "x".repeat(safemark::MAX_POLICY_URL_BYTES)
    );
    for key in [
        r#"{"links": {"base": "URL"}}"#,
        r#"{"images": {"proxy": "URL"}}"#,
    ] {
        let err = safemark::Policy::from_json(&key.replace("URL", &long)).unwrap_err();
        let name = if key.contains("base") {
            "links.base"
        } else {
            "images.proxy"
        };
        assert!(err.to_string().contains(name), "{err}");
        assert!(err.to_string().contains("512"), "{err}");
    }
    let fits = format!(
        "https://a.example/{}",
        "x".repeat(safemark::MAX_POLICY_URL_BYTES - 18)
    );
    assert!(safemark::Policy::from_json(&format!(r#"{{"links": {{"base": "{fits}"}}}}"#)).is_ok());
}

/// The README's output bound: at most (32 + 6 × the bytes of `links.base` and `images.proxy`)
/// × the input + 4 KiB, under every valid policy.
fn max_output(policy: &safemark::Policy, input: &str) -> usize {
    let added: usize = [&policy.links.base, &policy.images.proxy]
        .into_iter()
        .flatten()
        .map(|u| u.as_str().len())
        .sum();
    (32 + 6 * added) * input.len() + 4096
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]

    /// Output stays within the bound under generated policies: long bases and proxies full of
    /// characters that escape (`&`, `<`, non-ASCII), every `untrusted` mode, and inputs made of
    /// the constructs that copy the policy's URLs (relative links, references, images).
    #[test]
    fn output_is_bounded_under_every_policy(
        base in "[a-z&<>\"'%é🙂]{0,200}",
        proxy in "[a-z&<>\"'%é🙂]{0,200}",
        mode in proptest::sample::select(vec!["host", "url", "text", "confirm"]),
        allow_base in proptest::bool::ANY,
        units in proptest::collection::vec(
            proptest::sample::select(vec![
                "[a](b) ", "[a]", "[a][] ", "![](https://img.example.com/i.png)", "<b/>",
                "<a href=c>x</a>", "<img src=https://img.example.com/&>", "[a]: d\n\n",
                "&amp;", "\n", "x",
            ]),
            1..300,
        ),
    ) {
        let fit = |s: String| {
            let mut s = s;
            while safemark::AbsoluteUrl::parse(&s).is_err() {
                s.pop();
            }
            s
        };
        let base = fit(format!("https://docs.example.com/{base}"));
        let proxy = fit(format!("https://proxy.example/{proxy}"));
        let allow = if allow_base { format!(r#", "allow": [{}]"#, serde_json::to_string(&base).unwrap()) } else { String::new() };
        let json = format!(
            r#"{{"links": {{"base": {}, "untrusted": "{mode}"{allow}}}, "images": {{"allow": ["https://img.example.com/"], "proxy": {}}}}}"#,
            serde_json::to_string(&base).unwrap(),
            serde_json::to_string(&proxy).unwrap(),
        );
        let s = Sanitizer::from_json(&json).unwrap();
        let input: String = units.concat();
        for html in [s.render_markdown(&input).unwrap().html, s.sanitize_html(&input).unwrap().html] {
            proptest::prop_assert!(
                html.len() <= max_output(s.policy(), &input),
                "{} bytes out for {} in under {json}", html.len(), input.len()
            );
        }
    }
}
