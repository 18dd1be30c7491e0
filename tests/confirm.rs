//! `"untrusted": "confirm"`: an untrusted link is an inert span carrying its judged
//! destination in `data-safemark-href` (for the npm package's `guardLinks`), never a script,
//! never without the policy asking for it. Assertions read the parsed output.
// Raw HTML sanitized (and `safemark::audit`): the `html` feature. `tests/lite.rs` covers
// the build without it.
#![cfg(feature = "html")]

mod common;

use common::{elements, parse, text, violations, Trusted};
use safemark::{audit, FindingKind, Policy, Sanitizer};

fn confirm() -> Sanitizer {
    Sanitizer::new(
        Policy::from_json(
            r#"{"links": {"untrusted": "confirm", "allow": ["https://docs.example.com/"]}}"#,
        )
        .unwrap(),
    )
    .unwrap()
}

/// `(element, class, data-safemark-href)` of every span and link.
fn targets(html: &str) -> Vec<(String, String, Option<String>)> {
    let parsed = parse(html);
    elements(&parsed.root)
        .into_iter()
        .filter(|(name, _, _)| name == "span" || name == "a")
        .map(|(name, attrs, _)| {
            let get = |n: &str| attrs.iter().find(|(a, _)| a == n).map(|(_, v)| v.clone());
            (
                name,
                get("class").unwrap_or_default(),
                get("data-safemark-href"),
            )
        })
        .collect()
}

#[test]
fn untrusted_links_carry_their_judged_destination() {
    let s = confirm();
    for (input, markdown, want) in [
        (
            "[prize](https://evil.example/p?d=SECRET)",
            true,
            "https://evil.example/p?d=SECRET",
        ),
        (
            "[prize](HTTPS://EVIL.example:443/a/../b)",
            true,
            "https://evil.example/b",
        ),
        (
            "<https://ex\u{430}mple.com/login>",
            true,
            "https://xn--exmple-4nf.com/login",
        ),
        (
            "[mail](mailto:a@evil.example)",
            true,
            "mailto:a@evil.example",
        ),
        (
            "<a href=\"https://evil.example/x\">x</a>",
            false,
            "https://evil.example/x",
        ),
    ] {
        let out = if markdown {
            s.render_markdown(input)
        } else {
            s.sanitize_html(input)
        }
        .unwrap();
        let t = targets(&out.html);
        assert_eq!(
            t[0],
            (
                "span".into(),
                "safemark-untrusted-link".into(),
                Some(want.into())
            ),
            "{input}: {}",
            out.html
        );
        assert_eq!(
            t[1].1, "safemark-link-host",
            "the real host is still shown: {}",
            out.html
        );
        assert!(out
            .findings
            .iter()
            .any(|f| f.kind == FindingKind::UntrustedLink));
        assert!(
            audit(&out.html, s.policy()).is_empty(),
            "{:?}",
            audit(&out.html, s.policy())
        );
        // Stable under sanitizing again.
        assert_eq!(s.sanitize_html(&out.html).unwrap().html, out.html);
    }
}

#[test]
fn scripts_credentials_and_relative_links_are_never_carried() {
    let s = confirm();
    for md in [
        "[x](javascript:alert(1))",
        "[x](data:text/html,<script>alert(1)</script>)",
        "[x](https://docs.example.com@evil.example/)",
        "[x](/relative/path)",
        "[x](vbscript:msgbox)",
    ] {
        let out = s.render_markdown(md).unwrap();
        assert!(
            targets(&out.html).iter().all(|t| t.2.is_none()),
            "{md}: {}",
            out.html
        );
        let shown = text(&parse(&out.html).root);
        assert!(
            shown.trim() == "x" || shown.trim() == "x (evil.example)",
            "{md}: {shown}"
        );
    }
    // Trusted links stay ordinary links.
    let out = s
        .render_markdown("[docs](https://docs.example.com/a)")
        .unwrap();
    assert_eq!(targets(&out.html), vec![("a".into(), String::new(), None)]);
}

#[test]
fn forged_destinations_in_raw_html_are_judged_or_removed() {
    let s = confirm();
    for (html, want) in [
        (
            r#"<span data-safemark-href="javascript:alert(1)">x</span>"#,
            None,
        ),
        (
            r#"<span data-safemark-href="  jAvAsCrIpT:alert(1)">x</span>"#,
            None,
        ),
        (r#"<span data-safemark-href="/relative">x</span>"#, None),
        (
            r#"<span data-safemark-href="https://docs.example.com/trusted">x</span>"#,
            None,
        ),
        (
            r#"<span data-safemark-href="https://user:pw@evil.example/">x</span>"#,
            None,
        ),
        (
            r#"<b data-safemark-href="https://evil.example/">x</b>"#,
            None,
        ),
        // Not a span as safemark writes it (no class, no tooltip): input cannot write
        // safemark's own attribute.
        (
            r#"<span data-safemark-href="HTTPS://EVIL.EXAMPLE/x">x</span>"#,
            None,
        ),
        (
            r#"<span class="safemark-untrusted-link" data-safemark-href="https://evil.example/x">x</span>"#,
            None,
        ),
        // Exactly a span safemark writes for a refused link (this output sanitized again):
        // the same refused link, its target judged again.
        (
            r#"<span class="safemark-untrusted-link" title="https://evil.example/x" data-safemark-href="HTTPS://EVIL.EXAMPLE/x">x</span>"#,
            Some("https://evil.example/x"),
        ),
    ] {
        let out = s.sanitize_html(html).unwrap();
        let carried: Vec<_> = targets(&out.html).into_iter().filter_map(|t| t.2).collect();
        assert_eq!(
            carried.first().map(String::as_str),
            want,
            "{html}: {}",
            out.html
        );
        assert!(violations(&out.html, &Trusted::default())
            .iter()
            .all(|v| !v.contains("confirm")));
    }
    // Under any other mode the attribute is removed, even when well-formed.
    let host = Sanitizer::new(Policy::default()).unwrap();
    let out = host
        .sanitize_html(r#"<span data-safemark-href="https://evil.example/">x</span>"#)
        .unwrap();
    assert!(
        targets(&out.html).iter().all(|t| t.2.is_none()),
        "{}",
        out.html
    );
    let out = host.render_markdown("[x](https://evil.example/)").unwrap();
    assert!(
        targets(&out.html).iter().all(|t| t.2.is_none()),
        "{}",
        out.html
    );
    // And the oracle flags it if it were there.
    assert!(!audit(
        r#"<span data-safemark-href="https://evil.example/">x</span>"#,
        host.policy()
    )
    .is_empty());
    assert!(!audit(
        r#"<span data-safemark-href="javascript:alert(1)">x</span>"#,
        confirm().policy()
    )
    .is_empty());
}
