//! URLs near and over every bound: the output is a fixpoint and every refusal is reported.
//!
//! The URL bound (`MAX_URL_BYTES`, 16 KiB) applies to what is written, not only to what is
//! read: percent-encoding (a non-ASCII character is up to 12 bytes encoded), resolution against
//! `links.base`, the image proxy's wrapping and entity-escaping all grow a URL. The property
//! generates destinations whose raw length sits just under, at and over the bound before and
//! after each growth, in links, images, bare URLs and raw HTML, under policies with a base, a
//! proxy and every `untrusted` mode.
// Raw HTML sanitized (and `safemark::audit`): the `html` feature. `tests/lite.rs` covers
// the build without it.
#![cfg(feature = "html")]

mod common;

use proptest::prelude::*;
use safemark::{FindingKind, Sanitizer, MAX_POLICY_URL_BYTES};

const MAX_URL_BYTES: usize = 16 * 1024;

fn policy(mode: &str, proxy: bool, base: bool) -> Sanitizer {
    let mut json = format!(
        r#"{{"links": {{"allow": ["https://docs.example.com/", "mailto:"], "untrusted": "{mode}""#
    );
    if base {
        json.push_str(r#", "base": "https://docs.example.com/base/""#);
    }
    json.push_str(r#"}, "images": {"allow": ["https://img.example.com/"]"#);
    if proxy {
        json.push_str(&format!(
            r#", "proxy": "https://proxy.example/{}""#,
            "p".repeat(MAX_POLICY_URL_BYTES - 30)
        ));
    }
    json.push_str("}}");
    Sanitizer::from_json(&json).unwrap()
}

/// A path of `n` bytes made of `unit` (cut to a char boundary).
fn path(unit: &str, n: usize) -> String {
    let mut s = unit.repeat(n / unit.len() + 1);
    let mut cut = n.min(s.len());
    while !s.is_char_boundary(cut) {
        cut -= 1;
    }
    s.truncate(cut);
    s
}

fn trusted() -> common::Trusted {
    let mut t = common::trusted_for("allowlist");
    t.image_hosts.push("proxy.example");
    t
}

/// Every `src`/`href` in the input that is not in the output must have a finding.
fn refusals_reported(out: &safemark::Rendered, input: &str) -> Result<(), String> {
    let kept = common::elements(&common::parse(&out.html).root)
        .into_iter()
        .filter(|(name, attrs, _)| {
            (name == "a" && attrs.iter().any(|(n, _)| n == "href"))
                || (name == "img" && attrs.iter().any(|(n, _)| n == "src"))
        })
        .count();
    let asked = common::elements(&common::parse(input).root)
        .into_iter()
        .filter(|(name, attrs, _)| {
            (name == "a" && attrs.iter().any(|(n, _)| n == "href"))
                || (name == "img" && attrs.iter().any(|(n, _)| n == "src"))
        })
        .count();
    let refused = out
        .findings
        .iter()
        .filter(|f| {
            matches!(
                f.kind,
                FindingKind::InvalidUrl
                    | FindingKind::UntrustedLink
                    | FindingKind::BlockedImage
                    | FindingKind::UnsafeScheme
                    | FindingKind::RemovedAttribute
                    | FindingKind::InvisibleCharacters
            )
        })
        .count();
    if kept + refused < asked {
        return Err(format!(
            "{asked} destinations, {kept} kept, {refused} refusals reported: {:?}",
            out.findings
        ));
    }
    Ok(())
}

/// The 🙂 example of the issue: 1,370 emoji (5.5 KB) percent-encode to 16.4 KB.
#[test]
fn long_non_ascii_urls_are_refused_whole_and_reported() {
    let emoji = "🙂".repeat(1370);
    for mode in ["host", "url", "text", "confirm"] {
        let s = policy(mode, false, false);
        for md in [
            format!("![b](https://img.example.com/{emoji})"),
            format!("[l](https://docs.example.com/{emoji})"),
            format!("[l](https://evil.example/{emoji})"),
        ] {
            let out = common::check(&s, &trusted(), true, &md, mode).unwrap();
            assert!(
                out.findings
                    .iter()
                    .any(|f| f.kind == FindingKind::InvalidUrl),
                "{mode}: {:?}",
                out.findings
            );
        }
        // A bare URL that long is not linked: it stays text.
        let bare = format!("see https://docs.example.com/{emoji}");
        let out = common::check(&s, &trusted(), true, &bare, mode).unwrap();
        assert!(!out.html.contains("<a "), "{}", out.html);
        for html in [
            format!("<img src=\"https://img.example.com/{emoji}\">"),
            format!("<a href=\"https://docs.example.com/{emoji}\">l</a>"),
        ] {
            let out = common::check(&s, &trusted(), false, &html, mode).unwrap();
            refusals_reported(&out, &html).unwrap();
            assert!(out
                .findings
                .iter()
                .any(|f| f.kind == FindingKind::InvalidUrl));
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(
        std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(96)
    ))]

    #[test]
    fn urls_near_every_bound_are_a_fixpoint_and_reported(
        unit in prop::sample::select(vec!["a", "🙂", "é", "&", "&amp;", "%", " ", "\"", "<", "?a=1&b=2"]),
        // Around the bound as read, and around where encoding or wrapping crosses it.
        len in prop::sample::select(vec![
            100, MAX_URL_BYTES / 12 - 40, MAX_URL_BYTES / 12, MAX_URL_BYTES / 6,
            MAX_URL_BYTES / 3, MAX_URL_BYTES / 2, MAX_URL_BYTES - 600, MAX_URL_BYTES - 40,
            MAX_URL_BYTES - 20, MAX_URL_BYTES, MAX_URL_BYTES + 1,
        ]),
        delta in 0usize..40,
        host in prop::sample::select(vec!["https://img.example.com/", "https://docs.example.com/", "https://evil.example/", "", "mailto:"]),
        shape in 0usize..6,
        mode in prop::sample::select(vec!["host", "url", "text", "confirm"]),
        proxy in any::<bool>(),
        base in any::<bool>(),
    ) {
        let s = policy(mode, proxy, base);
        let dest = format!("{host}{}", path(unit, len.saturating_sub(delta)));
        let quoted = dest.replace('"', "&quot;");
        let (markdown, input) = match shape {
            0 => (true, format!("![i](<{}>)", dest.replace('>', "%3E"))),
            1 => (true, format!("[l](<{}>)", dest.replace('>', "%3E"))),
            2 => (true, format!("see {dest} now")),
            3 => (true, format!("[l]\n\n[l]: <{}>", dest.replace('>', "%3E"))),
            4 => (false, format!("<img src=\"{quoted}\" alt=i>")),
            _ => (false, format!("<a href=\"{quoted}\">l</a>")),
        };
        let out = common::check(&s, &trusted(), markdown, &input, mode)
            .map_err(TestCaseError::fail)?;
        if !markdown {
            refusals_reported(&out, &input).map_err(TestCaseError::fail)?;
        }
    }
}

/// Where a refused destination's tooltip is cut ([`TITLE_BYTES`] bytes of its written form, then
/// `…`), for every kind of destination a span can show: the cut may fall anywhere in a path, a
/// query, a `data:` URL's media type (before its comma) or its data, a percent-escape or a
/// multi-byte character. Rendering the output again must give it back: safemark reads its own
/// cut tooltips (found by the markdown fuzz target: a `data:` image cut before its comma lost its
/// class on the second pass). Every template, unit, suffix, shape, mode and `images.data` setting
/// is run; the distance from the cut turns through 24 values across them. The filler also goes
/// where a label reads (an address, a host, a user name), across the label's own bound.
const TITLE_BYTES: usize = 1024;

#[test]
fn tooltips_cut_anywhere_are_a_fixpoint() {
    // `{}` is where the filler goes: in a path, a query, a fragment, a `data:` URL's media type
    // or data, or in what a label shows (a `mailto:` address, a host, a user name), so that the
    // label's own bound is crossed too.
    let templates = [
        "https://evil.example/{}",
        "https://evil.example/?q={}",
        "http://evil.example:8080/a#{}",
        "//evil.example/{}",
        "mailto:someone@evil.example?body={}",
        "mailto:x{}@evil.example",
        "https://{}.example/",
        "https://user{}@evil.example/",
        "https://img.example.com/{}",
        "https://docs.example.com/{}",
        "data:image/png;base64{}",
        "data:image/png;x={}",
        "data:image/gif;base64,{}",
        "data:image/svg+xml;{}",
        "data:text/plain;{}",
        "ftp://evil.example/{}",
    ];
    let units = ["a", "\u{fffd}", "é", "🙂", "%", "%41", ";", ",", "=", " "];
    let suffixes = ["", ",iVBORw0KGgo=", "?x=1", ",AAAA"];
    let mut cases = 0usize;
    for data in [false, true] {
        let data_images = if data { r#", "data": true"# } else { "" };
        for mode in ["host", "url", "text", "confirm"] {
            let s = Sanitizer::from_json(&format!(
                r#"{{"links": {{"allow": ["https://docs.example.com/", "mailto:"], "untrusted": "{mode}"}},
                    "images": {{"allow": ["https://img.example.com/"]{data_images}}}}}"#
            ))
            .unwrap();
            let mut t = common::trusted_for("allowlist");
            t.data_images = data;
            for template in templates {
                for unit in units {
                    for suffix in suffixes {
                        for shape in 0..4 {
                            let delta = cases % 24;
                            cases += 1;
                            // The written form crosses the cut near the raw destination's end.
                            let filler = (TITLE_BYTES + 12)
                                .saturating_sub(template.len() + delta * unit.len().min(4));
                            let dest = template.replace("{}", &path(unit, filler)) + suffix;
                            let angled = dest.replace('>', "%3E");
                            let quoted = dest.replace('&', "&amp;").replace('"', "&quot;");
                            let (markdown, input) = match shape {
                                0 => (true, format!("1![x](<{angled}>)")),
                                1 => (true, format!("[l](<{angled}>) 1")),
                                2 => (false, format!("<img src=\"{quoted}\" alt=x>")),
                                _ => (false, format!("<a href=\"{quoted}\">l</a>")),
                            };
                            if let Err(e) = common::check(&s, &t, markdown, &input, mode) {
                                panic!("data images {data}, {e}");
                            }
                        }
                    }
                }
            }
        }
    }
    assert_eq!(
        cases,
        2 * 4 * templates.len() * units.len() * suffixes.len() * 4
    );
}

/// The node bound (`MAX_NODE_BYTES`, 2 KiB: text nodes are split and attribute values cut to
/// it) crossed by every attribute safemark keeps and every text it writes, in markdown and raw
/// HTML, with every kind of character (escaped or not in the output, a reference that decodes
/// shorter, multi-byte, U+0080–U+00BF which html5ever's serializer rescans for): the output is
/// safe and a fixpoint. The filler's length sits around the bound as read, as decoded and as
/// escaped, turning through the templates, modes and characters.
const MAX_NODE_BYTES: usize = 2 * 1024;

#[test]
fn every_node_across_the_node_bound_is_a_fixpoint() {
    // `{}` is where the filler goes; `(markdown, template)`.
    let templates: &[(bool, &str)] = &[
        (false, "<p title=\"{}\">x</p>"),
        (false, "<abbr title=\"{}\">x</abbr>"),
        (false, "<img alt=\"{}\" src=\"https://evil.example/x.png\">"),
        (
            false,
            "<img alt=\"{}\" src=\"https://img.example.com/x.png\">",
        ),
        (false, "<img alt=\"{}\">"),
        (false, "<div id=\"{}\">x</div>"),
        (false, "<span lang=\"{}\">x</span>"),
        (false, "<time datetime=\"{}\">t</time>"),
        (false, "<code class=\"language-{}\">x</code>"),
        (false, "<p>{}</p>"),
        (false, "<pre>{}</pre>"),
        (false, "<a href=\"https://evil.example/\">{}</a>"),
        (false, "<a href=\"https://docs.example.com/\">{}</a>"),
        (
            false,
            "<a href=\"https://evil.example/\" title=\"{}\">x</a>",
        ),
        (false, "<table><tr><td>{}</td></tr></table>"),
        (false, "<details><summary>{}</summary>x</details>"),
        (true, "{}"),
        (true, "a {} b"),
        (true, "# {}"),
        (true, "`{}`"),
        (true, "```{}\ncode\n```"),
        (true, "```\n{}\n```"),
        (true, "![{}](https://evil.example/x.png)"),
        (true, "![{}](https://img.example.com/x.png)"),
        (true, "[{}](https://evil.example/)"),
        (true, "[{}](https://docs.example.com/)"),
        (true, "[x](https://evil.example/ \"{}\")"),
        (true, "x[^1]\n\n[^1]: {}"),
        (true, "x[^{}] y[^{}]\n\n[^{}]: n"),
        (true, "[{}] [x][{}]\n\n[{}]: https://evil.example/"),
        (false, "<a href=\"#{}\">x</a><p id=\"{}\">y</p>"),
        (true, "| a |\n|---|\n| {} |"),
        (true, "> {}"),
        (true, "- {}"),
        (true, "$ {} $"),
        // Two fillers that one pass keeps apart and the next may read as one text node.
        (false, "<p>{}<!-- c -->{}</p>"),
        (false, "<p>{}<script>x</script>{}</p>"),
        (false, "<p>{}<x-y>{}</x-y></p>"),
        (false, "<p>{}<form>{}</form></p>"),
        (false, "{}<p>{}"),
        (false, "<a href=\"javascript:x\">{}</a>{}"),
        (false, "<img alt=\"{}\" src=\"javascript:x\">{}"),
        (true, "{}<!-- c -->{}"),
        (true, "{}<x-y>{}</x-y>"),
        (true, "{}<span>{}</span>"),
        (true, "[{}](javascript:x){}"),
        (true, "![{}](javascript:x){}"),
        (true, "{}\\\n{}"),
        (true, "{}  \n{}"),
        (true, "[{}](https://evil.example/){}"),
        (true, "*{}*{}"),
        // A block that writes nothing where it stands (a footnote's definition goes to the
        // end, a link's definition and a removed comment nowhere): the line feed before it
        // and the filler after it are one text node where a parser reads them.
        (true, "x\n\n[^1]: n\n\n{}"),
        (true, "x[^1]\n\n[^1]: n\n\n{}"),
        (true, "x\n[^1]: n\n<?{}"),
        (true, "x\n\n[^1]: n\n\n<div>{}</div>"),
        (true, "x\n\n[a]: https://docs.example.com/\n\n{}"),
        (true, "x\n\n<!-- c -->\n\n{}"),
        (true, "> x\n>\n> [^1]: n\n\n{}"),
        (true, "- x\n\n[^1]: n\n\n- {}"),
        // The same before raw HTML whose sanitized form starts with text (an unknown
        // element unwrapped), and text after raw HTML that ends with text.
        (true, "x\n\n[^1]: n\n\n<x-y>{}</x-y>"),
        (true, "x\n\n<!-- c -->\n\n<x-y>{}</x-y>"),
        (true, "<x-y>{}</x-y>\n\n[^1]: n\n\n{}"),
        (true, "<div>\n{}\n</div>\n\n[^1]: n\n\n{}"),
    ];
    // `(unit, bytes as read, bytes decoded, bytes escaped in the output)`.
    let units: &[(&str, usize, usize, usize)] = &[
        ("a", 1, 1, 1),
        ("a ", 2, 2, 2),
        ("&", 1, 1, 5),
        ("&amp;", 5, 1, 5),
        ("&#x1F642;", 9, 4, 4),
        ("<", 1, 1, 4),
        ("\"", 1, 1, 6),
        ("é", 2, 2, 2),
        ("🙂", 4, 4, 4),
        ("\u{80}", 2, 2, 2),
        ("\u{a0}", 2, 2, 6),
        ("\u{fffd}", 3, 3, 3),
    ];
    let modes = ["default", "host", "url", "confirm", "escape"];
    // The longest `id_prefix` a policy may name: ids and fragments are prefixed before the
    // node bound applies.
    let prefix: &'static str = "pppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppp";
    assert_eq!(prefix.len(), 64);
    let sanitizers: Vec<(Sanitizer, common::Trusted)> = modes
        .iter()
        .map(|mode| match *mode {
            "default" => (
                Sanitizer::from_json(r#"{"raw_html": "sanitize"}"#).unwrap(),
                common::Trusted::default(),
            ),
            "escape" => (
                Sanitizer::from_json(r#"{"raw_html": "escape"}"#).unwrap(),
                common::Trusted::default(),
            ),
            mode => (
                Sanitizer::from_json(&format!(
                    r#"{{"raw_html": "sanitize", "math": true, "id_prefix": "{prefix}",
                        "links": {{"allow": ["https://docs.example.com/", "mailto:"], "untrusted": "{mode}"}},
                        "images": {{"allow": ["https://img.example.com/"]}}}}"#
                ))
                .unwrap(),
                common::Trusted {
                    id_prefix: Some(prefix),
                    ..common::trusted_for("allowlist")
                },
            ),
        })
        .collect();
    // A thread a mode (the search takes most of a minute on one core).
    let search = |mode: &str, s: &Sanitizer, trusted: &common::Trusted| {
        let mut cases = 0usize;
        for (markdown, template) in templates {
            for &(unit, read, decoded, escaped) in units {
                // Around the bound as read, as decoded and as escaped.
                let fillers = template.matches("{}").count();
                let mut counts: Vec<usize> = [read, decoded, escaped]
                    .iter()
                    .flat_map(|per| {
                        let n = MAX_NODE_BYTES / (per * fillers);
                        [n.saturating_sub(1), n, n + 1]
                    })
                    .collect();
                counts.sort_unstable();
                counts.dedup();
                for count in counts {
                    let input = template.replace("{}", &unit.repeat(count));
                    // Every mode: which text nodes meet depends on the raw HTML mode too.
                    cases += 1;
                    if let Err(e) = common::check(s, trusted, *markdown, &input, mode) {
                        panic!("{unit:?} x {count} in {template:?} ({mode}): {e}");
                    }
                }
            }
        }
        cases
    };
    let cases: usize = std::thread::scope(|scope| {
        let searches: Vec<_> = modes
            .iter()
            .zip(&sanitizers)
            .map(|(mode, (s, trusted))| scope.spawn(move || search(mode, s, trusted)))
            .collect();
        searches
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .sum()
    });
    assert!(
        cases > templates.len() * units.len() * 3 * modes.len(),
        "{cases}"
    );
}

/// The same bounds, streamed: a markdown document whose text, attribute, tooltip or bare
/// URL's domain sits around its bound gives the batch render's HTML and findings when pushed
/// in pieces (61 bytes, which fall anywhere relative to the bound), under a policy that
/// sanitizes raw HTML and one that confirms untrusted links, and every state shown on the
/// way (committed and tail) is safe.
#[test]
fn streams_across_every_bound_equal_batch() {
    let templates = [
        "{}",
        "a {} b\n\nnext",
        "# {}\n\nx",
        "`{}` x",
        "```{}\ncode\n```\n",
        "```\n{}\n```\n",
        "![{}](https://evil.example/x.png) x",
        "[{}](https://evil.example/) x",
        "[x](https://evil.example/ \"{}\")",
        "x[^1]\n\n[^1]: {}\n\nafter",
        "| a |\n|---|\n| {} |\n\nx",
        "> {}\n\nx",
        "- {}\n- y",
        "{}<!-- c -->{}",
        "{}<span>{}</span>",
        "![x](data:image/png;base64{},iVBORw0KGgo=) x",
        "[x](https://evil.example/{}) x",
        "see https://{}.example/x and www.{}.com and {}@evil.example x",
    ];
    let units = ["a", "&amp;", "é", "\u{80}", "🙂", "-"];
    let policies = [
        r#"{"raw_html": "sanitize"}"#,
        r#"{"raw_html": "sanitize", "links": {"allow": ["https://docs.example.com/"], "untrusted": "confirm"}}"#,
    ];
    let mut cases = 0usize;
    for template in templates {
        let fillers = template.matches("{}").count();
        for unit in units {
            // Around the node bound (2 KiB), the tooltip's cut (1 KiB) and a domain's (256).
            let mut counts: Vec<usize> = [MAX_NODE_BYTES, TITLE_BYTES, 256]
                .iter()
                .flat_map(|bound| {
                    let n = bound / (unit.len() * fillers);
                    [n.saturating_sub(1), n, n + 1]
                })
                .collect();
            counts.sort_unstable();
            counts.dedup();
            for count in counts {
                let policy = policies[cases % 2];
                cases += 1;
                let input = template.replace("{}", &unit.repeat(count));
                let s = Sanitizer::from_json(policy).unwrap();
                let batch = s.render_markdown(&input).unwrap();
                let mut stream = s.stream();
                let (mut html, mut findings) = (String::new(), Vec::new());
                let bytes = input.as_bytes();
                for piece in bytes.chunks(61) {
                    let update = stream.push_bytes(piece).unwrap();
                    html.push_str(&update.committed);
                    findings.extend(update.findings);
                    // Every state shown is safe.
                    let shown = format!("{html}{}", update.tail);
                    let violations = common::violations(&shown, &common::Trusted::default());
                    assert!(violations.is_empty(), "{violations:?} in {shown}");
                }
                let update = stream.finish().unwrap();
                html.push_str(&update.committed);
                findings.extend(update.findings);
                assert_eq!(
                    html, batch.html,
                    "{unit:?} x {count} in {template:?}, {policy}"
                );
                assert_eq!(
                    findings, batch.findings,
                    "{unit:?} x {count} in {template:?}"
                );
            }
        }
    }
    assert!(cases > templates.len() * units.len() * 6, "{cases}");
}

/// The nesting limits crossed by every kind of container, alone and alternating with another
/// of its kind (block or inline),
/// in markdown and raw HTML: `limits.max_nesting` (block quotes and lists) under small limits,
/// the default and one over its ceiling (128), the bound on nested emphasis (64), and the
/// raw-HTML depth bounds (512 elements, 160 in markdown). At every depth from one under
/// a limit to two over it, the output is safe and a fixpoint, and the findings say whether the
/// markdown limit cut the document.
#[test]
fn every_container_across_the_nesting_limits_is_a_fixpoint() {
    // `(markdown, opening, closing)`: one level of the container; the body goes in the middle.
    // An opening that ends with a space is a block marker, which indents what it holds.
    let containers: &[(bool, &str, &str)] = &[
        (true, "> ", ""),
        (true, "- ", ""),
        (true, "1. ", ""),
        (true, "* ", ""),
        (true, "*", "*"),
        (true, "**", "**"),
        (true, "~~", "~~"),
        (true, "[", "](https://docs.example.com/)"),
        (true, "[", "](https://evil.example/)"),
        (true, "<span>", "</span>"),
        (true, "<div>\n\n", "\n\n</div>"),
        (false, "<div>", "</div>"),
        (false, "<blockquote>", "</blockquote>"),
        (false, "<ul><li>", "</li></ul>"),
        (false, "<b>", "</b>"),
        (false, "<a href=\"https://evil.example/\">", "</a>"),
        (false, "<details><summary>s</summary>", "</details>"),
        (false, "<table><tr><td>", "</td></tr></table>"),
        (false, "<ruby>", "<rt>r</rt></ruby>"),
    ];
    let bodies = [
        "x",
        "a **b** [c](https://evil.example/) ![d](https://evil.example/i.png)",
    ];
    const MAX_HTML_DEPTH: usize = 512;
    const MAX_BLOCK_NESTING: usize = 128;
    const MAX_INLINE_NESTING: usize = 64;
    let mut cases = 0usize;
    // 200 means 128 (`MAX_BLOCK_NESTING`).
    for max in [1usize, 2, 3, 5, 32, 200] {
        let s = Sanitizer::from_json(&format!(
            r#"{{"raw_html": "sanitize", "limits": {{"max_nesting": {max}}}}}"#
        ))
        .unwrap();
        let limit = max.min(MAX_BLOCK_NESTING);
        for (i, &(markdown, open, close)) in containers.iter().enumerate() {
            let block = open.ends_with(' ');
            let other = containers
                .iter()
                .cycle()
                .skip(i + 1)
                .find(|c| c.0 == markdown && c.1.ends_with(' ') == block)
                .unwrap();
            // Around the policy's limit, the inline bound, the block ceiling and the raw-HTML
            // bounds (and half of 512: lists are two elements a level).
            let mut bounds = vec![limit, MAX_INLINE_NESTING];
            if max >= 32 {
                bounds.extend([MAX_BLOCK_NESTING, 160, MAX_HTML_DEPTH / 2, MAX_HTML_DEPTH]);
            }
            let mut depths: Vec<usize> = bounds
                .into_iter()
                .flat_map(|d| d.saturating_sub(1)..=d + 2)
                .collect();
            depths.sort_unstable();
            depths.dedup();
            for depth in depths {
                for (alternate, body) in [(false, bodies[0]), (true, bodies[1])] {
                    cases += 1;
                    let mut input = String::from(body);
                    let mut blocks = 0;
                    for level in 0..depth {
                        let (o, c) = if alternate && level % 2 == 1 {
                            (other.1, other.2)
                        } else {
                            (open, close)
                        };
                        input = if o.ends_with(' ') {
                            blocks += 1;
                            let pad = " ".repeat(o.len());
                            let inner = input.replace('\n', &format!("\n{pad}"));
                            format!("{o}{inner}")
                        } else {
                            format!("{o}{input}{c}")
                        };
                    }
                    let context = format!("max {max}, depth {depth}: {input:.300?}");
                    let out =
                        common::check(&s, &common::Trusted::default(), markdown, &input, &context)
                            .unwrap_or_else(|e| panic!("{e}"));
                    let cut = out
                        .findings
                        .iter()
                        .any(|f| f.kind == FindingKind::NestingLimit);
                    if markdown && block {
                        assert_eq!(cut, blocks > limit, "{context}: {:?}", out.findings);
                    } else if markdown && depth <= MAX_INLINE_NESTING && !open.starts_with('<') {
                        assert!(!cut, "{context}: {:?}", out.findings);
                    }
                }
            }
        }
    }
    assert!(cases > containers.len() * 2 * 6 * 8, "{cases}");
}

/// Raw HTML nested around its bound in markdown (160 elements) inside markdown nested to its
/// own limits (block quotes and lists at the ceiling of 128, emphasis at 64): the output is
/// safe and a fixpoint, so the two bounds together stay within what raw HTML may nest.
#[test]
fn raw_html_deep_inside_deep_markdown_is_a_fixpoint() {
    let s = Sanitizer::from_json(r#"{"raw_html": "sanitize", "limits": {"max_nesting": 1000}}"#)
        .unwrap();
    let mut cases = 0;
    for block in ["> ", "- ", "1. "] {
        for emphasis in [0, 64, 65] {
            for (open, close) in [("<span>", "</span>"), ("<b>", "</b>"), ("<div>", "</div>")] {
                for raw in 158..=162 {
                    cases += 1;
                    let inner = format!(
                        "{}{}x{}{}",
                        "*".repeat(emphasis),
                        open.repeat(raw),
                        close.repeat(raw),
                        "*".repeat(emphasis)
                    );
                    let input = format!("{}{inner}", block.repeat(130));
                    let context = format!("{block:?} x 130, emphasis {emphasis}, {open} x {raw}");
                    common::check(&s, &common::Trusted::default(), true, &input, &context)
                        .unwrap_or_else(|e| panic!("{e}"));
                }
            }
        }
    }
    assert_eq!(cases, 3 * 3 * 3 * 5);
}
