//! Faithful rendering (issue 16): an answer never loses text because it mentions a tag. Every
//! assertion reads the parsed output.
// Raw HTML sanitized (and `safemark::audit`): the `html` feature. `tests/lite.rs` covers
// the build without it.
#![cfg(feature = "html")]

mod common;

use markup5ever_rcdom::{Handle, NodeData};
use proptest::prelude::*;
use safemark::html_allowlist::REMOVED_WITH_CONTENT;
use safemark::Sanitizer;

/// The words of `s`: runs of letters and digits.
fn words(s: &str) -> Vec<String> {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

/// The text a reader can see, and the text folded into a closed `<details>` (shown when the
/// reader opens it: content, but not what follows an element left open).
fn visible_text(root: &Handle) -> (String, String) {
    let (mut out, mut folded) = (String::new(), String::new());
    let mut stack: Vec<(Handle, bool)> = root
        .children
        .borrow()
        .iter()
        .rev()
        .map(|c| (c.clone(), false))
        .collect();
    while let Some((node, hidden)) = stack.pop() {
        match &node.data {
            NodeData::Text { contents } => {
                out.push_str(&contents.borrow());
                if hidden {
                    folded.push_str(&contents.borrow());
                }
            }
            NodeData::Element { name, attrs, .. } => {
                let closed_details = &*name.local == "details"
                    && !attrs.borrow().iter().any(|a| &*a.name.local == "open");
                for child in node.children.borrow().iter().rev() {
                    let summary = matches!(&child.data, NodeData::Element { name, .. } if &*name.local == "summary");
                    stack.push((child.clone(), hidden || (closed_details && !summary)));
                }
            }
            _ => {}
        }
        out.push(' ');
    }
    (out, folded)
}

/// Renders `md` (batch and streamed a few bytes at a time, which must agree), checks the
/// oracle (safe, a fixpoint) and returns what a reader sees (see [`visible_text`]).
fn render(s: &Sanitizer, md: &str) -> (String, String) {
    let out = common::check(s, &common::trusted_for("default"), true, md, "faithful")
        .unwrap_or_else(|e| panic!("{e}"));
    let mut stream = s.stream();
    let mut streamed = String::new();
    for piece in md.as_bytes().chunks(7) {
        streamed += &stream.push_bytes(piece).unwrap().committed;
    }
    streamed += &stream.finish().unwrap().committed;
    assert_eq!(streamed, out.html, "stream = batch for {md:?}");
    visible_text(&common::parse(&out.html).root)
}

#[test]
fn a_tag_mentioned_in_prose_hides_nothing_after_it() {
    let s = Sanitizer::new(safemark::Policy::default()).unwrap();
    let md = "Use the <textarea> element for long input.\n\n## Next\n\nImportant: never share your password.";
    let (seen, folded) = render(&s, md);
    assert!(folded.is_empty(), "{folded}");
    assert!(
        seen.contains("Use the <textarea> element for long input."),
        "{seen}"
    );
    assert!(seen.contains("Next"), "{seen}");
    assert!(
        seen.contains("Important: never share your password."),
        "{seen}"
    );
    let out = s.render_markdown(md).unwrap();
    assert!(out.html.contains("<h2>Next</h2>"), "{}", out.html);
    assert!(out
        .findings
        .iter()
        .any(|f| f.element.as_deref() == Some("textarea")));
}

/// A comment left open (an HTML block that CommonMark runs to the end of the document) hides
/// nothing: its opener is shown as text, and so is what follows.
#[test]
fn an_unclosed_comment_hides_nothing() {
    let s = Sanitizer::new(safemark::Policy::default()).unwrap();
    let md = "Intro.\n\n<!-- a note\n\n## Next\n\nImportant: keep this.\n";
    let (seen, _) = render(&s, md);
    for w in words(md) {
        assert!(words(&seen).contains(&w), "{w:?} lost: {seen}");
    }
    // A closed comment is still removed, with a finding.
    let out = s
        .render_markdown("<!-- hidden note -->\n\nafter\n")
        .unwrap();
    assert!(!out.html.contains("hidden"), "{}", out.html);
}

/// Every element the allowlist removes with its content, and allowed ones that can be left
/// open, mentioned in prose (inline, at the start of a line, as a block of its own, closed
/// late): every word the model wrote around it is seen by a reader, nothing is folded away.
#[test]
fn every_word_around_every_tag_survives() {
    let s = Sanitizer::new(safemark::Policy::default()).unwrap();
    let open_allowed = [
        "details",
        "div",
        "b",
        "em",
        "table",
        "ul",
        "ol",
        "blockquote",
        "span",
        "a",
        "pre",
        "code",
        "h2",
        "sup",
        "ruby",
        "rp",
    ];
    let mut cases = 0;
    for name in REMOVED_WITH_CONTENT.iter().chain(open_allowed.iter()) {
        for shape in [
            "Use the <{}> element for long input.\n\n## Next step\n\nImportant never share your password.\n\n- first item\n- second item\n",
            "<{}>\n\nThe answer is forty two.\n\nRemember the warning above.\n",
            "Intro words here.\n\n<{}>\n\nHidden maybe words.\n\n> quoted words\n\nClosing words.\n",
            "Mixed <{}> inline and *emphasis* words.\n\nLater paragraph words.\n",
            "Upper <{}> case.\n\nStill visible words.\n",
        ] {
            let tag = if shape.starts_with("Upper") {
                name.to_ascii_uppercase()
            } else {
                name.to_string()
            };
            let md = shape.replace("{}", &tag);
            let (seen, folded) = render(&s, &md);
            let (seen, folded) = (words(&seen), words(&folded));
            // The blocks after the one the tag is in are never folded into it.
            let split = md.find("\n\n").map_or(md.len(), |i| i + 2);
            let first = words(&md[..split]);
            for w in words(&md[split..]).into_iter().filter(|w| !first.contains(w)) {
                assert!(!folded.contains(&w), "{w:?} folded away in {md:?}: {folded:?}");
            }
            let tag_words = words(&tag.to_ascii_lowercase());
            for w in words(&md) {
                if tag_words.contains(&w.to_ascii_lowercase()) {
                    continue;
                }
                assert!(seen.contains(&w), "{w:?} lost from {md:?}: {seen:?}");
            }
            cases += 1;
        }
    }
    assert!(cases >= 150, "{cases}");
}

/// Words a reader must keep, and tags (of removed and allowed elements, opening, closing,
/// with attributes, in any case) placed anywhere among them.
fn prose_with_tags() -> impl Strategy<Value = (String, Vec<String>)> {
    let names: Vec<&'static str> = REMOVED_WITH_CONTENT
        .iter()
        .copied()
        .chain([
            "details", "div", "b", "table", "span", "a", "summary", "li", "p",
        ])
        .collect();
    let tag = (proptest::sample::select(names), 0..4u8, proptest::bool::ANY).prop_map(
        |(n, form, upper)| {
            let n = if upper {
                n.to_ascii_uppercase()
            } else {
                n.to_string()
            };
            match form {
                0 => format!("<{n}>"),
                1 => format!("</{n}>"),
                2 => format!("<{n} class=\"x\">"),
                _ => format!("<{n}/>"),
            }
        },
    );
    let word = "[a-z]{3,8}".prop_map(|w| format!("w{w}"));
    let piece = prop_oneof![
        4 => word.prop_map(|w| (w.clone(), Some(w))),
        2 => tag.prop_map(|t| (t, None)),
        1 => Just(("<!--".to_string(), None)),
        1 => Just(("\n\n<!-- ".to_string(), None)),
        1 => Just((" ".to_string(), None)),
        1 => Just(("\n".to_string(), None)),
        1 => Just(("\n\n".to_string(), None)),
        1 => Just(("\n\n# ".to_string(), None)),
        1 => Just(("\n\n- ".to_string(), None)),
    ];
    proptest::collection::vec(piece, 1..30).prop_map(|pieces| {
        let mut text = String::new();
        let mut kept = Vec::new();
        for (p, w) in pieces {
            if !text.is_empty()
                && !text.ends_with(char::is_whitespace)
                && !p.starts_with(char::is_whitespace)
            {
                text.push(' ');
            }
            text.push_str(&p);
            kept.extend(w);
        }
        (text, kept)
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    /// The benign-text-survival property, extended to prose with tags: every word survives,
    /// visible to a reader, in the batch render and the stream alike.
    #[test]
    fn words_survive_prose_with_tags((md, kept) in prose_with_tags()) {
        let s = Sanitizer::new(safemark::Policy::default()).unwrap();
        let seen = words(&render(&s, &md).0);
        for w in kept {
            prop_assert!(seen.contains(&w), "{:?} lost from {:?}: {:?}", w, md, seen);
        }
    }
}

/// Footnotes in GitHub's layout: numbered by first reference, collected at the end with
/// back-links, unused ones left out; streamed, the section comes with the end.
#[test]
fn footnotes_are_collected_at_the_end() {
    let s = Sanitizer::new(safemark::Policy::default()).unwrap();
    let md = "x[^b] y[^a] z[^b]\n\n[^a]: note A\n[^b]: note B *em*\n[^c]: unused words\n\nafter";
    let (seen, _) = render(&s, md);
    assert!(!seen.contains("unused"), "{seen}");
    let out = s.render_markdown(md).unwrap().html;
    let parsed = common::parse(&out);
    let elements = common::elements(&parsed.root);
    let ids: Vec<String> = elements
        .iter()
        .filter(|(n, _, _)| n == "li")
        .filter_map(|(_, a, _)| common::attr(a, "id").map(str::to_string))
        .collect();
    assert_eq!(ids, ["user-content-fn-b", "user-content-fn-a"], "{out}");
    let last = out.trim_end().rsplit('\n').next().unwrap();
    assert_eq!(last, "</section>", "the section is last: {out}");
    let backrefs: Vec<String> = elements
        .iter()
        .filter(|(n, a, _)| n == "a" && common::attr(a, "class") == Some("footnote-backref"))
        .filter_map(|(_, a, _)| common::attr(a, "href").map(str::to_string))
        .collect();
    assert_eq!(backrefs, ["#user-content-fnref-b", "#user-content-fnref-a"]);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// Footnotes whose labels hold any kind of character (invisible ones a URL refuses, tag
    /// characters that are stripped, quotes, ampersands, non-ASCII), referred to and defined in
    /// any order, some unused: the output is a fixpoint, safe, and the stream gives the batch
    /// render. (Found in review: a back-link written without judging its fragment was cut on
    /// sanitizing again.)
    #[test]
    fn footnotes_with_any_label_are_a_fixpoint(
        labels in proptest::collection::vec(
            proptest::collection::vec(
                proptest::sample::select(vec![
                    'a', 'b', '1', '-', '"', '&', '\'', '<', 'é', '中',
                    '\u{200B}', '\u{E0041}', '\u{202E}', '\u{FEFF}', '\u{00AD}',
                ]),
                1..5,
            ).prop_map(|c| c.into_iter().collect::<String>()),
            1..4,
        ),
        order in proptest::collection::vec((0..4usize, proptest::bool::ANY), 1..8),
    ) {
        let s = Sanitizer::new(safemark::Policy::default()).unwrap();
        let mut md = String::new();
        for (i, define) in order {
            let label = &labels[i % labels.len()];
            if define {
                md.push_str(&format!("\n\n[^{label}]: note {i}\n\n"));
            } else {
                md.push_str(&format!("text[^{label}] "));
            }
        }
        render(&s, &md);
    }
}
