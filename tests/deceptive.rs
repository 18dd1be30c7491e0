//! Deceptive links and lookalike hosts: a clickable link whose text reads as another host shows
//! the real host beside it, and every host shown to a reader is the parser's punycode form.
//! Every assertion reads the parsed output.
// Raw HTML sanitized (and `safemark::audit`): the `html` feature. `tests/lite.rs` covers
// the build without it.
#![cfg(feature = "html")]

mod common;

use common::{links_and_suffixes, parse, text};
use safemark::{FindingKind, Policy, Sanitizer};

fn sanitizer(allow: &[&str]) -> Sanitizer {
    let allow: Vec<String> = allow.iter().map(|a| format!("{a:?}")).collect();
    let json = format!(r#"{{"links": {{"allow": [{}]}}}}"#, allow.join(","));
    Sanitizer::new(Policy::from_json(&json).unwrap()).unwrap()
}

#[test]
fn link_text_naming_another_host_shows_the_real_host() {
    let s = sanitizer(&[
        "https://evil.example/",
        "https://docs.example.com/",
        "https://docs.example.com.evil.example/",
    ]);
    for (md, real) in [
        (
            "[https://docs.example.com/login](https://evil.example/x)",
            "evil.example",
        ),
        ("[docs.example.com](https://evil.example/)", "evil.example"),
        (
            "[**docs**.example.com](https://evil.example/)",
            "evil.example",
        ),
        (
            "[`docs.example.com`](https://evil.example/)",
            "evil.example",
        ),
        (
            "[docs.example.com](https://docs.example.com.evil.example/)",
            "docs.example.com.evil.example",
        ),
        (
            "<a href=\"https://evil.example/\">docs.example.com</a>",
            "evil.example",
        ),
        (
            "<p><a href=\"https://evil.example/\"><b>https://docs.example.com</b></a></p>",
            "evil.example",
        ),
    ] {
        let out = s.render_markdown(md).unwrap();
        let links = links_and_suffixes(&out.html);
        assert_eq!(links.len(), 1, "{md}: {}", out.html);
        assert_eq!(
            links[0].1.as_deref(),
            Some(format!(" ({real})").as_str()),
            "{md}: {}",
            out.html
        );
        let f: Vec<_> = out
            .findings
            .iter()
            .filter(|f| f.kind == FindingKind::DeceptiveLink)
            .collect();
        assert_eq!(f.len(), 1, "{md}: {:?}", out.findings);
        assert_eq!(f[0].host.as_deref(), Some(real));
        // Stable: sanitizing the output again adds no second host.
        assert_eq!(s.sanitize_html(&out.html).unwrap().html, out.html, "{md}");
    }
}

#[test]
fn honest_links_get_no_suffix() {
    let s = sanitizer(&["https://docs.example.com/", "https://www.example.com/"]);
    for md in [
        "[docs.example.com](https://docs.example.com/guide)",
        "[https://DOCS.example.com/other](https://docs.example.com/guide)",
        "[example.com](https://www.example.com/)",
        "[the guide](https://docs.example.com/guide)",
        "https://docs.example.com/guide",
        "<https://docs.example.com/guide>",
        "<a href=\"https://docs.example.com/\">docs.example.com</a>",
    ] {
        let out = s.render_markdown(md).unwrap();
        let links = links_and_suffixes(&out.html);
        assert_eq!(links.len(), 1, "{md}: {}", out.html);
        assert_eq!(links[0].1, None, "{md}: {}", out.html);
        assert!(out.findings.is_empty(), "{md}: {:?}", out.findings);
    }
}

#[test]
fn a_forged_host_span_does_not_hide_the_real_host() {
    let s = sanitizer(&["https://evil.example/"]);
    let html = r#"<a href="https://evil.example/">docs.example.com</a><span class="safemark-link-host"> (docs.example.com)</span>"#;
    let out = s.sanitize_html(html).unwrap();
    let links = links_and_suffixes(&out.html);
    assert_eq!(
        links[0].1.as_deref(),
        Some(" (evil.example)"),
        "{}",
        out.html
    );
    assert!(out
        .findings
        .iter()
        .any(|f| f.kind == FindingKind::DeceptiveLink));
}

#[test]
fn lookalike_hosts_are_shown_in_punycode() {
    // Expected forms computed independently (Python's IDNA codec).
    // `exаmple.com` with a Cyrillic а, `gοogle.com` with a Greek ο, mixed scripts in one label,
    // and a host that is all Cyrillic lookalikes of Latin letters.
    let cases = [
        ("https://ex\u{430}mple.com/login", "xn--exmple-4nf.com"),
        ("https://g\u{3bf}ogle.com/", "xn--gogle-rce.com"),
        (
            "https://\u{430}\u{440}\u{440}\u{4cf}\u{435}.com/",
            "xn--80ak6aa92e.com",
        ),
        ("https://docs.ex\u{430}mple.com/", "docs.xn--exmple-4nf.com"),
    ];
    // As an untrusted link (default policy: the host is shown in parentheses), as a deceptive
    // trusted link, in findings, and with `"untrusted": "url"`.
    let default = Sanitizer::new(Policy::default()).unwrap();
    let url_mode =
        Sanitizer::new(Policy::from_json(r#"{"links": {"untrusted": "url"}}"#).unwrap()).unwrap();
    for (url, puny) in cases {
        let out = default
            .render_markdown(&format!("[example.com]({url})"))
            .unwrap();
        let shown = text(&parse(&out.html).root);
        assert!(shown.contains(&format!("({puny})")), "{url}: {shown}");
        assert!(shown.is_ascii(), "a lookalike character is shown: {shown}");
        assert_eq!(out.findings[0].host.as_deref(), Some(puny));

        let out = url_mode.render_markdown(&format!("[x]({url})")).unwrap();
        let shown = text(&parse(&out.html).root);
        assert!(shown.contains(puny) && shown.is_ascii(), "{url}: {shown}");

        let trusting = sanitizer(&[&format!("https://{puny}/")]);
        let out = trusting
            .render_markdown(&format!("[example.com]({url})"))
            .unwrap();
        let links = links_and_suffixes(&out.html);
        assert_eq!(
            links[0].1.as_deref(),
            Some(format!(" ({puny})").as_str()),
            "{}",
            out.html
        );
    }
}

/// Link text a reader sees as `docs.example.com` with an invisible character before or inside
/// it (which no URL parser accepts as written) still names that host. Found by the
/// hostile-grammar property: `<a href="https://docs.example.com/">\u{E0041}https://evil.example/b`
/// (a tag character) got no host suffix until it was sanitized a second time.
#[test]
fn invisible_characters_do_not_hide_the_claimed_host() {
    let s = sanitizer(&["https://evil.example/", "https://docs.example.com/"]);
    for invisible in [
        '\u{200C}',
        '\u{200D}',
        '\u{200E}',
        '\u{061C}',
        '\u{E0041}',
        '\u{FE0F}',
    ] {
        for (markdown, md, real) in [
            (
                true,
                format!("[{invisible}docs.example.com](https://evil.example/)"),
                "evil.example",
            ),
            (
                true,
                format!("[{invisible}https://docs.example.com/login](https://evil.example/)"),
                "evil.example",
            ),
            (
                true,
                format!("<a href=\"https://evil.example/\">docs.exa{invisible}mple.com</a>"),
                "evil.example",
            ),
            (
                false,
                format!(
                    "<a href=\"https://docs.example.com/\">{invisible}https://evil.example/b[l](https://evil.example/)"
                ),
                "docs.example.com",
            ),
        ] {
            let out = if markdown {
                s.render_markdown(&md)
            } else {
                s.sanitize_html(&md)
            }
            .unwrap();
            let suffixes: Vec<_> = links_and_suffixes(&out.html)
                .into_iter()
                .filter_map(|(_, suffix)| suffix)
                .collect();
            assert_eq!(suffixes, [format!(" ({real})")], "{md:?}: {}", out.html);
            assert_eq!(s.sanitize_html(&out.html).unwrap().html, out.html, "{md:?}");
        }
    }
}

/// A forged host label cannot stand in for the real one: a label whose text a reader cannot
/// see (held in an `<rp>`, which is hidden outside ruby) used to be accepted, so the reader saw
/// only "docs.example.com". The real label is now written right after the link, as a span
/// whose only child is its text. Checked on the parsed output.
#[test]
fn forged_host_label_with_hidden_text_is_not_the_label() {
    let s = safemark::Sanitizer::from_json(r#"{"links": {"allow": ["*"]}}"#).unwrap();
    for forged in [
        "<span class=\"safemark-link-host\"><rp> (evil.example)</rp></span>",
        "<span class=\"safemark-link-host\"><b> (evil.example)</b></span>",
        "<span class=\"safemark-link-host\" title=x> (evil.example)</span>",
    ] {
        let html =
            format!("<p><a href=\"https://evil.example/login\">docs.example.com</a>{forged}</p>");
        let out = s.sanitize_html(&html).unwrap();
        let parsed = common::parse(&out.html);
        let p = parsed.root.children.borrow()[0].clone();
        let children = p.children.borrow();
        let link = children
            .iter()
            .position(|c| matches!(&c.data, markup5ever_rcdom::NodeData::Element { name, .. } if &*name.local == "a"))
            .expect("the link stays clickable");
        let label = &children[link + 1];
        let label_children = label.children.borrow();
        assert_eq!(label_children.len(), 1, "{}", out.html);
        match &label_children[0].data {
            markup5ever_rcdom::NodeData::Text { contents } => {
                assert_eq!(&**contents.borrow(), " (evil.example)", "{}", out.html)
            }
            _ => panic!("the label is not plain text: {}", out.html),
        }
        assert_eq!(
            s.sanitize_html(&out.html).unwrap().html,
            out.html,
            "fixpoint"
        );
    }
}

/// The previous element sibling of `node`, skipping nothing (text in between breaks the pair).
fn previous_sibling(node: &markup5ever_rcdom::Handle) -> Option<markup5ever_rcdom::Handle> {
    let parent = node.parent.take()?;
    node.parent.set(Some(parent.clone()));
    let parent = parent.upgrade()?;
    let children = parent.children.borrow();
    let at = children.iter().position(|c| std::rc::Rc::ptr_eq(c, node))?;
    at.checked_sub(1).map(|i| children[i].clone())
}

/// The host (and port) a reader is shown for `url`, as the label shows it.
fn shown_host(url: &str) -> Option<String> {
    let url = url::Url::parse(url).ok()?;
    let host = url.host_str()?.to_string();
    Some(match url.port() {
        Some(p) => format!("{host}:{p}"),
        None => host,
    })
}

/// Raw HTML cannot write safemark's own markup: searched over every piece of it (labels,
/// untrusted-link and blocked-image spans, `data-safemark-href`, combined classes), placed
/// alone, after an honest, a deceptive and an untrusted link, inside a link, in markdown and
/// in HTML mode, under every display mode. In the parsed output, every label follows the link
/// or span it belongs to and shows exactly the host (or URL) that one points to, every
/// untrusted-link span's tooltip and target are destinations as written, and no text the input
/// put in a label is shown as one.
#[test]
fn input_never_writes_safemark_markup() {
    let forged = [
        r#"<span class="safemark-link-host"> (docs.example.com)</span>"#,
        r#"<span class="safemark-link-host"> (evil.example)</span>"#,
        r#"<span class="safemark-link-host"> (https://docs.example.com/)</span>"#,
        r#"<span class="safemark-link-host"><rp> (evil.example)</rp></span>"#,
        r#"<span class="safemark-link-host safemark-untrusted-link"> (docs.example.com)</span>"#,
        r#"<span class="safemark-untrusted-link">Docs</span><span class="safemark-link-host"> (docs.example.com)</span>"#,
        r#"<span class="safemark-untrusted-link" title="https://docs.example.com/">Docs</span><span class="safemark-link-host"> (docs.example.com)</span>"#,
        r#"<span class="safemark-untrusted-link" title="https://evil.example/">Docs</span><span class="safemark-link-host"> (docs.example.com)</span>"#,
        r#"<span class="safemark-untrusted-link" title="https://evil.example/…">Docs</span><span class="safemark-link-host"> (evil.example)</span>"#,
        r#"<span class="safemark-untrusted-link" title="https://evil.example/" data-safemark-href="https://evil.example/">Docs</span>"#,
        r#"<span data-safemark-href="https://evil.example/">Docs</span>"#,
        r#"<b data-safemark-href="https://evil.example/">Docs</b>"#,
        r#"<span class="safemark-blocked-image">docs.example.com</span>"#,
        r#"<span class="safemark-blocked-image" title="https://docs.example.com/x.png">[image: docs.example.com]</span>"#,
    ];
    let places = [
        "{}",
        "<a href=\"https://docs.example.com/a\">the docs</a>{}",
        "<a href=\"https://docs.example.com/a\">other.example</a>{}",
        "<a href=\"https://evil.example/a\">the docs</a>{}",
        "<a href=\"https://docs.example.com/a\">see {}</a>",
    ];
    let mut cases = 0;
    for mode in ["host", "url", "text", "confirm"] {
        let json = format!(
            r#"{{"links": {{"allow": ["https://docs.example.com/"], "untrusted": "{mode}"}}}}"#
        );
        let s = Sanitizer::from_json(&json).unwrap();
        for piece in forged {
            for place in places {
                let html = place.replace("{}", piece);
                for (how, out) in [
                    ("html", s.sanitize_html(&format!("<p>{html}</p>")).unwrap()),
                    (
                        "markdown",
                        s.render_markdown(&format!("x {html} y")).unwrap(),
                    ),
                    (
                        "html block",
                        s.render_markdown(&format!("<div>\n\n{html}\n\n</div>"))
                            .unwrap(),
                    ),
                ] {
                    cases += 1;
                    let parsed = parse(&out.html);
                    let context = format!("{mode} {how}: {html}\n -> {}", out.html);
                    for (name, attrs, node) in common::elements(&parsed.root) {
                        let attr =
                            |n: &str| attrs.iter().find(|(k, _)| k == n).map(|(_, v)| v.clone());
                        let class = attr("class").unwrap_or_default();
                        // A tooltip or target is a destination as written (absolute; it may be
                        // one the policy allows: `//docs.example.com/` is refused as relative).
                        let refused = |url: &str| {
                            assert!(
                                url::Url::parse(url.trim_end_matches('…')).is_ok(),
                                "not a destination: {context}"
                            );
                        };
                        if class.contains("safemark-untrusted-link") {
                            assert_eq!(
                                (name.as_str(), class.as_str()),
                                ("span", "safemark-untrusted-link"),
                                "{context}"
                            );
                            if let Some(t) = attr("title") {
                                refused(&t);
                                if mode == "text" {
                                    panic!("a tooltip under \"text\": {context}");
                                }
                            }
                            if let Some(target) = attr("data-safemark-href") {
                                assert_eq!(mode, "confirm", "{context}");
                                assert_eq!(attr("title"), Some(target.clone()), "{context}");
                            }
                        } else {
                            assert!(attr("data-safemark-href").is_none(), "{context}");
                        }
                        if class.contains("safemark-blocked-image") {
                            assert_eq!(text(&node).get(..6), Some("[image"), "{context}");
                        }
                        if class.contains("safemark-link-host") {
                            assert_eq!(
                                (name.as_str(), class.as_str()),
                                ("span", "safemark-link-host"),
                                "{context}"
                            );
                            let label = text(&node);
                            let before =
                                previous_sibling(&node).expect("a label follows something");
                            let markup5ever_rcdom::NodeData::Element {
                                name: bname,
                                attrs: battrs,
                                ..
                            } = &before.data
                            else {
                                panic!("a label after text: {context}");
                            };
                            let battr = |n: &str| {
                                battrs
                                    .borrow()
                                    .iter()
                                    .find(|a| &*a.name.local == n)
                                    .map(|a| a.value.to_string())
                            };
                            let destination = match &*bname.local {
                                "a" => battr("href").expect("a link with a destination"),
                                "span" => {
                                    assert_eq!(
                                        battr("class").as_deref(),
                                        Some("safemark-untrusted-link"),
                                        "{context}"
                                    );
                                    battr("title")
                                        .expect("a refused link's label needs its tooltip")
                                }
                                other => panic!("a label after <{other}>: {context}"),
                            };
                            let expected = if mode == "url" && &*bname.local == "span" {
                                format!(" ({destination})")
                            } else {
                                format!(" ({})", shown_host(&destination).unwrap())
                            };
                            assert_eq!(label, expected, "{context}");
                        }
                    }
                    assert_eq!(
                        s.sanitize_html(&out.html).unwrap().html,
                        out.html,
                        "fixpoint: {context}"
                    );
                }
            }
        }
    }
    assert!(cases >= 800, "{cases} cases");
}

/// Every format (Cf) and default-ignorable code point of Unicode 15, from its data files
/// (DerivedGeneralCategory.txt, DerivedCoreProperties.txt), as inclusive ranges: independent
/// of safemark's own list. Variation selectors are left out: they attach to the character
/// before them, which a reader sees.
const INVISIBLE: &[(u32, u32)] = &[
    (0x00AD, 0x00AD),
    (0x034F, 0x034F),
    (0x0600, 0x0605),
    (0x061C, 0x061C),
    (0x06DD, 0x06DD),
    (0x070F, 0x070F),
    (0x0890, 0x0891),
    (0x08E2, 0x08E2),
    (0x115F, 0x1160),
    (0x17B4, 0x17B5),
    (0x180E, 0x180E),
    (0x200B, 0x200F),
    (0x202A, 0x202E),
    (0x2060, 0x2064),
    (0x2066, 0x206F),
    (0x3164, 0x3164),
    (0xFEFF, 0xFEFF),
    (0xFFA0, 0xFFA0),
    (0xFFF9, 0xFFFB),
    (0x110BD, 0x110BD),
    (0x110CD, 0x110CD),
    (0x13430, 0x1343F),
    (0x1BCA0, 0x1BCA3),
    (0x1D173, 0x1D17A),
    (0xE0001, 0xE0001),
    (0xE0020, 0xE007F),
];

/// What a reader takes for a host, searched as a class: the claim `docs.example.com` (bare, as
/// a URL, in a sentence, behind every kind of quote and bracket, as an e-mail domain), with its
/// dots written as every look-alike, and with every invisible character of Unicode inside it,
/// as a markdown link, an HTML link and an HTML link whose real destination is spelled out in
/// hidden text (`<rp>`, a closed `<details>`). Every time, the parsed output shows the real host
/// right after the clickable link.
#[test]
fn whatever_reads_as_a_host_shows_the_real_one() {
    let s = Sanitizer::from_json(r#"{"links": {"allow": ["*"]}}"#).unwrap();
    let real = "https://docs.example.com.evil.example/login";
    let label = " (docs.example.com.evil.example)";
    let mut claims: Vec<String> = Vec::new();
    for shape in [
        "docs.example.com",
        "https://docs.example.com/login",
        "Sign in at https://docs.example.com/login to continue",
        "mail me@docs.example.com",
        "docs.example.com:443/login",
    ] {
        claims.push(shape.to_string());
        for (open, close) in [
            ("\"", "\""),
            ("'", "'"),
            ("(", ")"),
            ("[", "]"),
            ("<", ">"),
            ("{", "}"),
            ("\u{201C}", "\u{201D}"),
            ("\u{2018}", "\u{2019}"),
            ("\u{AB}", "\u{BB}"),
            ("\u{300C}", "\u{300D}"),
            ("\u{FF08}", "\u{FF09}"),
            ("`", "`"),
            ("*", "*"),
        ] {
            claims.push(format!("see {open}{shape}{close}."));
        }
        for dot in ['\u{3002}', '\u{FF0E}', '\u{FF61}', '\u{2024}', '\u{FE52}'] {
            claims.push(shape.replace('.', &dot.to_string()));
        }
        for slash in ['\u{2215}', '\u{2044}', '\u{FF0F}'] {
            claims.push(shape.replace('/', &slash.to_string()));
        }
        claims.push(shape.replace(':', "\u{FF1A}"));
        claims.push(shape.replace(' ', "\u{2800}"));
    }
    for &(from, to) in INVISIBLE {
        for c in (from..=to).filter_map(char::from_u32) {
            claims.push(format!("docs.exa{c}mple.com"));
            claims.push(format!("{c}https://docs.example.com/"));
        }
    }
    let mut cases = 0;
    for claim in &claims {
        let escaped = claim
            .replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;");
        let md_text = claim
            .replace('\\', "\\\\")
            .replace('[', "\\[")
            .replace(']', "\\]")
            .replace('<', "\\<")
            .replace('`', "\\`")
            .replace('*', "\\*");
        for (how, out) in [
            (
                "markdown",
                s.render_markdown(&format!("[{md_text}]({real})")),
            ),
            (
                "html",
                s.sanitize_html(&format!("<a href=\"{real}\">{escaped}</a>")),
            ),
            (
                "html, real host hidden in <rp> (in a <ruby>: outside one it is unwrapped)",
                s.sanitize_html(&format!(
                    "<a href=\"{real}\"><ruby>{escaped}<rp>.evil.example</rp></ruby></a>"
                )),
            ),
            (
                "html, real host hidden in <details>",
                s.sanitize_html(&format!(
                    "<a href=\"{real}\">{escaped}<details><p>.evil.example</p></details></a>"
                )),
            ),
        ] {
            cases += 1;
            let out = out.unwrap();
            let links = links_and_suffixes(&out.html);
            assert!(!links.is_empty(), "{how}: {claim:?} -> {}", out.html);
            for (href, suffix) in links {
                assert_eq!(href, real, "{how}: {claim:?}");
                assert_eq!(
                    suffix.as_deref(),
                    Some(label),
                    "{how}: {claim:?} -> {}",
                    out.html
                );
            }
            assert_eq!(
                s.sanitize_html(&out.html).unwrap().html,
                out.html,
                "fixpoint"
            );
        }
    }
    assert!(cases > 1000, "{cases}");
    // The rule does not flag what names the real host, or names none.
    for honest in [
        "docs.example.com.evil.example",
        "https://docs.example.com.evil.example/login",
        "the login page",
        "v1.2 and 3.14",
    ] {
        let out = s.render_markdown(&format!("[{honest}]({real})")).unwrap();
        assert_eq!(links_and_suffixes(&out.html)[0].1, None, "{honest}");
    }
}

/// A homograph: the text shows a look-alike of the real host, which it is (so no other host is
/// named), yet the `xn--` form is shown beside every link to an internationalized host,
/// however it is written: a markdown link, a bare URL, an autolink, an HTML link.
#[test]
fn every_internationalized_destination_shows_its_punycode() {
    let s = Sanitizer::from_json(r#"{"links": {"allow": ["*"]}}"#).unwrap();
    let lookalike = "https://d\u{43E}cs.example.com/login";
    let puny = "xn--dcs-sed.example.com"; // Python: "d\u{43E}cs".encode("idna")
    for (how, out) in [
        (
            "bare URL",
            s.render_markdown(&format!("Go to {lookalike} now")),
        ),
        ("autolink", s.render_markdown(&format!("<{lookalike}>"))),
        (
            "link",
            s.render_markdown(&format!("[d\u{43E}cs.example.com]({lookalike})")),
        ),
        (
            "text link",
            s.render_markdown(&format!("[the docs]({lookalike})")),
        ),
        (
            "html",
            s.sanitize_html(&format!("<a href=\"{lookalike}\">{lookalike}</a>")),
        ),
    ] {
        let out = out.unwrap();
        let links = links_and_suffixes(&out.html);
        assert_eq!(links.len(), 1, "{how}: {}", out.html);
        assert_eq!(
            links[0].1.as_deref(),
            Some(format!(" ({puny})").as_str()),
            "{how}: {}",
            out.html
        );
        assert_eq!(
            s.sanitize_html(&out.html).unwrap().html,
            out.html,
            "fixpoint"
        );
    }
}

/// A deceptive link's label and the text before it at every length across the bound where
/// long text is cut into nodes (2 KiB, `<wbr>` between the pieces), with short and 200-byte
/// real hosts, in markdown and raw HTML, under the host display and the allow-everything
/// policy: the output is safe and a fixpoint, and the real host is shown once, after the link.
#[test]
fn deceptive_labels_are_a_fixpoint_across_the_text_bound() {
    let s = Sanitizer::from_json(r#"{"links": {"allow": ["*"]}}"#).unwrap();
    let long_host = format!(
        "{}.{}.{}.example",
        "a".repeat(63),
        "b".repeat(63),
        "c".repeat(63)
    );
    let mut checked = 0;
    for real in ["evil.example", long_host.as_str()] {
        for unit in ["a", "é", "a "] {
            for n in (2000..2080).step_by(3) {
                let pad = unit.repeat(n / unit.len());
                for (markdown, input) in [
                    (true, format!("[{pad} docs.example.com](https://{real}/x)")),
                    (
                        true,
                        format!("{pad}[docs.example.com {pad}](https://{real}/x)"),
                    ),
                    (
                        false,
                        format!("<a href=\"https://{real}/x\">{pad} docs.example.com</a>"),
                    ),
                    (
                        false,
                        format!("{pad}<a href=\"https://{real}/x\">docs.example.com</a>"),
                    ),
                ] {
                    let context = format!("{real} {unit:?} x {n}");
                    let out = common::check_output(&s, None, markdown, &input)
                        .unwrap_or_else(|e| panic!("{context}: {e}"));
                    let links = links_and_suffixes(&out.html);
                    assert_eq!(links.len(), 1, "{context}: {}", out.html);
                    assert_eq!(
                        links[0].1.as_deref(),
                        Some(format!(" ({real})").as_str()),
                        "{context}: {}",
                        out.html
                    );
                    checked += 1;
                }
            }
        }
    }
    assert_eq!(checked, 2 * 3 * 27 * 4);
}
