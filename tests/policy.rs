//! The policy: JSON errors name the key; every option does what the reference says and
//! defaults to the safe side.
// Raw HTML sanitized (and `safemark::audit`): the `html` feature. `tests/lite.rs` covers
// the build without it.
#![cfg(feature = "html")]

mod common;

use safemark::{Error, Policy, RawHtml, Sanitizer, UntrustedDisplay};

fn key_of(json: &str) -> String {
    match Policy::from_json(json) {
        Err(Error::Policy { key, .. }) => key,
        other => panic!("{json} should be a policy error, got {other:?}"),
    }
}

#[test]
fn empty_object_is_the_default() {
    assert_eq!(Policy::from_json("{}").unwrap(), Policy::default());
    let d = Policy::default();
    assert!(d.links.allow.is_empty() && d.images.allow.is_empty());
    assert!(!d.images.data && d.images.proxy.is_none() && d.links.base.is_none());
    assert_eq!(d.raw_html, RawHtml::Sanitize);
    assert_eq!(d.links.untrusted, UntrustedDisplay::Host);
    assert_eq!(d.id_prefix.as_str(), "user-content-");
    assert_eq!(d.limits.max_input_bytes, 1 << 20);
}

#[test]
fn errors_name_the_key() {
    assert_eq!(key_of(r#"{"links": {"alow": []}}"#), "links.alow");
    assert_eq!(key_of(r#"{"linkz": {}}"#), "linkz");
    assert_eq!(
        key_of(r#"{"links": {"allow": ["https://ok.example/", "not a url"]}}"#),
        "links.allow[1]"
    );
    assert_eq!(
        key_of(r#"{"images": {"allow": ["mailto:"]}}"#),
        "images.allow[0]"
    );
    assert_eq!(key_of(r#"{"images": {"data": "yes"}}"#), "images.data");
    assert_eq!(
        key_of(r#"{"images": {"proxy": "/relative"}}"#),
        "images.proxy"
    );
    assert_eq!(
        key_of(r#"{"images": {"proxy": "https://p.example/?a=1"}}"#),
        "images.proxy"
    );
    assert_eq!(
        key_of(r#"{"links": {"base": "javascript:x"}}"#),
        "links.base"
    );
    assert_eq!(
        key_of(r#"{"links": {"untrusted": "show"}}"#),
        "links.untrusted"
    );
    assert_eq!(key_of(r#"{"raw_html": "allow"}"#), "raw_html");
    assert_eq!(key_of(r#"{"id_prefix": ""}"#), "id_prefix");
    assert_eq!(key_of(r#"{"id_prefix": "a\"b"}"#), "id_prefix");
    assert_eq!(
        key_of(r#"{"limits": {"max_nesting": 0}}"#),
        "limits.max_nesting"
    );
    assert_eq!(
        key_of(r#"{"limits": {"max_input_bytes": -1}}"#),
        "limits.max_input_bytes"
    );
    for bad in [
        "javascript:alert(1)",
        "ftp://files.example/",
        "https://user@docs.example.com/",
        "https://docs.example.com/?q=1",
        "https://docs.example.com/#x",
        "docs.example.com",
        "//docs.example.com/",
        "https://docs.example.com/\u{200B}",
        "",
    ] {
        let json = serde_json::json!({"links": {"allow": [bad]}}).to_string();
        assert_eq!(key_of(&json), "links.allow[0]", "{bad:?}");
    }
    // Not an object, trailing garbage: still an error, never the default.
    assert!(Policy::from_json("[]").is_err());
    assert_eq!(key_of(r#"{"links": []}"#), "links");
    assert_eq!(key_of(r#"{"limits": [1, 2]}"#), "limits");
    assert!(Policy::from_json("{} {}").is_err());
    assert!(Policy::from_json("").is_err());
    let msg = Policy::from_json(r#"{"links": {"alow": []}}"#)
        .unwrap_err()
        .to_string();
    assert!(
        msg.contains("`links.alow`") && msg.contains("unknown field"),
        "{msg}"
    );
}

#[test]
fn json_round_trip_and_builder() {
    let json = r#"{
        "links": {"allow": ["https://docs.example.com/api/", "mailto:"], "base": "https://app.example/", "untrusted": "url"},
        "images": {"allow": ["*"], "proxy": "https://app.example/img", "data": true},
        "raw_html": "escape",
        "id_prefix": "msg-1-",
        "limits": {"max_input_bytes": 1000, "max_nesting": 4}
    }"#;
    let p = Policy::from_json(json).unwrap();
    assert_eq!(Policy::from_json(&p.to_json()).unwrap(), p);
    let built = Policy::builder()
        .allow_link("https://docs.example.com/api/")
        .allow_link("mailto:")
        .link_base("https://app.example/")
        .untrusted_links(UntrustedDisplay::Url)
        .allow_image("*")
        .image_proxy("https://app.example/img")
        .data_images(true)
        .raw_html(RawHtml::Escape)
        .id_prefix("msg-1-")
        .max_input_bytes(1000)
        .max_nesting(4)
        .build()
        .unwrap();
    assert_eq!(built, p);
    match Policy::builder().allow_link("ok").build() {
        Err(Error::Policy { key, .. }) => assert_eq!(key, "links.allow[0]"),
        other => panic!("{other:?}"),
    }
    let mut invalid = Policy::default();
    invalid.limits.max_nesting = 0;
    assert!(Sanitizer::new(invalid).is_err());
}

fn render(policy: &str, md: &str) -> safemark::Rendered {
    Sanitizer::from_json(policy)
        .unwrap()
        .render_markdown(md)
        .unwrap()
}

fn attrs(html: &str, element: &str, attr: &str) -> Vec<String> {
    let parsed = common::parse(html);
    common::elements(&parsed.root)
        .into_iter()
        .filter(|(n, _, _)| n == element)
        .filter_map(|(_, a, _)| a.into_iter().find(|(n, _)| n == attr).map(|(_, v)| v))
        .collect()
}

#[test]
fn image_proxy_rewrites_allowed_images_only() {
    let policy = r#"{"images": {"allow": ["https://img.example.com/"], "proxy": "https://app.example/img"}}"#;
    let s = Sanitizer::from_json(policy).unwrap();
    let out = s
        .render_markdown("![a](https://img.example.com/a.png?x=1) ![b](https://evil.example/b.png) <img src=\"https://app.example/img?url=https%3A%2F%2Fevil.example%2F\">")
        .unwrap();
    assert_eq!(
        attrs(&out.html, "img", "src"),
        ["https://app.example/img?url=https%3A%2F%2Fimg.example.com%2Fa.png%3Fx%3D1"]
    );
    // Fixpoint: the proxied URL survives sanitizing again, unchanged.
    assert_eq!(s.sanitize_html(&out.html).unwrap().html, out.html);
}

#[test]
fn data_images_are_opt_in_and_raster_only() {
    let md = "![p](data:image/png;base64,iVBORw0KGgo=) ![s](data:image/svg+xml;base64,PHN2Zz4=)";
    assert!(attrs(&render("{}", md).html, "img", "src").is_empty());
    let srcs = attrs(
        &render(r#"{"images": {"data": true}}"#, md).html,
        "img",
        "src",
    );
    assert_eq!(srcs, ["data:image/png;base64,iVBORw0KGgo="]);
}

#[test]
fn base_resolves_relative_links() {
    let md = "[a](/docs/x) [b](../y) [c](//evil.example/)";
    assert!(attrs(&render("{}", md).html, "a", "href").is_empty());
    let policy = r#"{"links": {"allow": ["https://app.example/docs/"], "base": "https://app.example/docs/start"}}"#;
    assert_eq!(
        attrs(&render(policy, md).html, "a", "href"),
        ["https://app.example/docs/x"]
    );
}

#[test]
fn untrusted_display_modes() {
    let md = "[t](https://evil.example/path?d=1)";
    let text = |policy: &str| {
        let out = render(policy, md);
        common::text(&common::parse(&out.html).root)
            .trim()
            .to_string()
    };
    assert_eq!(text("{}"), "t (evil.example)");
    assert_eq!(
        text(r#"{"links": {"untrusted": "url"}}"#),
        "t (https://evil.example/path?d=1)"
    );
    assert_eq!(text(r#"{"links": {"untrusted": "text"}}"#), "t");
    assert_eq!(
        text(r#"{"links": {"untrusted": "confirm"}}"#),
        "t (evil.example)"
    );
    let confirm = Policy::from_json(r#"{"links": {"untrusted": "confirm"}}"#).unwrap();
    assert_eq!(confirm.links.untrusted, UntrustedDisplay::Confirm);
    assert_eq!(Policy::from_json(&confirm.to_json()).unwrap(), confirm);
    assert!(confirm.to_json().contains(r#""untrusted": "confirm""#));
}

#[test]
fn raw_html_escape_mode_shows_markup_as_text() {
    let out = render(
        r#"{"raw_html": "escape"}"#,
        "a <b>bold</b> <img src=x onerror=alert(1)>",
    );
    let parsed = common::parse(&out.html);
    let names: Vec<String> = common::elements(&parsed.root)
        .into_iter()
        .map(|e| e.0)
        .collect();
    assert_eq!(names, ["p"]);
    assert_eq!(
        common::text(&parsed.root).trim(),
        "a <b>bold</b> <img src=x onerror=alert(1)>"
    );
}

#[test]
fn id_prefix_applies_to_ids_and_fragments() {
    let out = render(r#"{"id_prefix": "m7-"}"#, "x[^a] [up](#top)\n\n[^a]: note");
    assert!(attrs(&out.html, "a", "href").contains(&"#m7-fn-a".to_string()));
    assert!(attrs(&out.html, "a", "href").contains(&"#m7-top".to_string()));
    assert!(attrs(&out.html, "a", "href").contains(&"#m7-fnref-a".to_string()));
    assert_eq!(attrs(&out.html, "li", "id"), ["m7-fn-a"]);
    assert_eq!(attrs(&out.html, "a", "id"), ["m7-fnref-a"]);
    let html = Sanitizer::from_json(r#"{"id_prefix": "m7-"}"#)
        .unwrap()
        .sanitize_html("<h2 id=\"install\">x</h2>")
        .unwrap()
        .html;
    assert_eq!(attrs(&html, "h2", "id"), ["m7-install"]);
}

/// Explicit custom schemes (after rehype-harden's `allowedProtocols` cases): a scheme named in
/// `links.allow` (`"tel:"`) makes its links clickable, each scheme only when named, in
/// markdown and in raw HTML, and the audit accepts them; `"*"` stays http(s) only; schemes
/// that run script, embed a document or read files can never be named.
#[test]
fn custom_schemes_are_clickable_only_when_named() {
    let policy = r#"{"links": {"allow": ["tel:", "postman:", "VSCode:", "slack:", "customapp:"]}}"#;
    let s = Sanitizer::from_json(policy).unwrap();
    for (md, href) in [
        ("[Call us](tel:+1234567890)", "tel:+1234567890"),
        ("[Open Postman](postman://)", "postman://"),
        (
            "[Open in VS Code](vscode://file/path/to/file.ts)",
            "vscode://file/path/to/file.ts",
        ),
        (
            "[Open Slack](slack://channel?id=123)",
            "slack://channel?id=123",
        ),
        (
            "[Complex](customapp://path/to/resource?param=value&other=123#section)",
            "customapp://path/to/resource?param=value&other=123#section",
        ),
    ] {
        for (out, how) in [
            (s.render_markdown(md).unwrap(), "markdown"),
            (
                s.sanitize_html(&format!("<a href=\"{href}\">x</a>"))
                    .unwrap(),
                "html",
            ),
        ] {
            assert_eq!(attrs(&out.html, "a", "href"), [href], "{how}: {}", out.html);
            assert!(
                safemark::audit(&out.html, s.policy()).is_empty(),
                "{how}: {:?}",
                safemark::audit(&out.html, s.policy())
            );
            assert_eq!(s.sanitize_html(&out.html).unwrap().html, out.html);
        }
    }
    // Only the named schemes; "*" is http(s) only.
    for policy in [
        r#"{"links": {"allow": ["tel:"]}}"#,
        r#"{"links": {"allow": ["*"]}}"#,
    ] {
        let s = Sanitizer::from_json(policy).unwrap();
        for md in [
            "[Blocked](sms:+456)",
            "[x](postman://open)",
            "[x](javascript:alert(1))",
        ] {
            let out = s.render_markdown(md).unwrap();
            assert!(
                attrs(&out.html, "a", "href").is_empty(),
                "{policy}: {}",
                out.html
            );
        }
    }
    // Never allowed: a clear error naming the key.
    for scheme in [
        "javascript:",
        "JavaScript:",
        "vbscript:",
        "data:",
        "file:",
        "blob:",
        "filesystem:",
    ] {
        let err = Policy::from_json(&format!(
            r#"{{"links": {{"allow": ["tel:", "{scheme}"]}}}}"#
        ))
        .unwrap_err();
        match err {
            Error::Policy { key, message } => {
                assert_eq!(key, "links.allow[1]");
                assert!(message.contains("can never be allowed"), "{message}");
            }
            e => panic!("{e}"),
        }
    }
    for (json, key) in [
        (r#"{"links": {"allow": ["https:"]}}"#, "links.allow[0]"),
        (r#"{"images": {"allow": ["tel:"]}}"#, "images.allow[0]"),
    ] {
        match Sanitizer::from_json(json).map(|_| ()).unwrap_err() {
            Error::Policy { key: k, .. } => assert_eq!(k, key, "{json}"),
            e => panic!("{e}"),
        }
    }
}
