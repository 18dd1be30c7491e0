//! What a reader sees while an answer streams in (issue 18, goals 1 and 2), on generated
//! LLM-style answers (`bench/src/generate.rs`) streamed a character at a time, read as a
//! browser would show the text (all text nodes of committed + tail, whitespace collapsed):
//!
//! 1. **No garbage**: in every state, every character a reader sees is one of the input's
//!    (healing may hide an unfinished marker, never add one);
//! 2. **Low flicker, no loss**: the fraction of states whose text is a prefix of the final
//!    text, markdown's marker characters aside (an unfinished `**` or `[` shown as text and
//!    then resolved is not a loss). A state that is a prefix loses nothing: what it shows is
//!    where the final answer shows it. The figure is printed and held to a floor.
//!
//! 3. **No marker added, no text lost, no earlier block changed** (counted, state to state,
//!    over the spec examples, remend's cases and answers with raw HTML, under both raw HTML
//!    modes): see `healing_adds_no_marker_and_loses_no_text`.
//! 4. **A complete construct's text stays**: once a paragraph's complete image, link, span
//!    or reference and a word after it are shown, nothing that arrives after them hides
//!    them (every pair of constructs, in every block a paragraph is in): see
//!    `complete_constructs_stay_shown`.
//!
//! Under a policy that trusts every URL, so that what differs is streaming alone (a refused
//! link's host label is the policy's, not the stream's).
// Raw HTML sanitized (and `safemark::audit`): the `html` feature. `tests/lite.rs` covers
// the build without it.
#![cfg(feature = "html")]

mod common;

#[path = "../bench/src/generate.rs"]
#[allow(dead_code)]
mod generate;

use safemark::Sanitizer;

/// States whose text is a prefix of the final text, in percent (issue 18 asks 99; measured
/// 99.59 on 13,104 states).
const PREFIX_FLOOR: f64 = 99.0;

/// The text a reader sees: text nodes, whitespace collapsed.
fn visible(html: &str) -> String {
    let parsed = common::parse(html);
    common::text(&parsed.root)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Without the characters markdown uses as markers, which a state may show before they are
/// resolved, and without whitespace (where a block break falls) or the zero-width space that
/// keeps an underline arriving from making a heading too soon.
fn markers_aside(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace() && !"*_~`[]()!#>|-\\\u{200B}".contains(*c))
        .collect()
}

#[test]
fn a_reader_sees_no_garbage_and_little_flicker() {
    let sanitizer =
        Sanitizer::from_json(r#"{"links": {"allow": ["*"]}, "images": {"allow": ["*"]}}"#).unwrap();
    let (mut states, mut prefixes) = (0usize, 0usize);
    let mut worst: Vec<(String, String)> = Vec::new();
    for seed in 0..8u64 {
        let doc = generate::answer_with_seed(2_500, seed)
            // Raw HTML is sanitized whole, not healed: a tag arriving is its own matter
            // (checked by the stream's safety tests).
            .lines()
            .filter(|l| !l.contains('<'))
            .collect::<Vec<_>>()
            .join("\n");
        let input_chars: std::collections::HashSet<char> = doc.chars().collect();
        let final_text = markers_aside(&visible(&sanitizer.render_markdown(&doc).unwrap().html));
        let mut stream = sanitizer.stream();
        let mut committed = String::new();
        for (i, c) in doc.char_indices() {
            let update = stream.push(c.encode_utf8(&mut [0; 4])).unwrap();
            committed.push_str(&update.committed);
            let seen = visible(&format!("{committed}{}", update.tail));
            let garbage: String = seen
                .chars()
                .filter(|c| !c.is_whitespace() && !input_chars.contains(c))
                .collect();
            assert!(
                garbage.is_empty(),
                "seed {seed}: after {:?} a reader sees {garbage:?} in {seen:?}",
                &doc[..i + c.len_utf8()]
            );
            states += 1;
            if final_text.starts_with(&markers_aside(&seen)) {
                prefixes += 1;
            } else if worst.len() < 5 {
                worst.push((doc[..i + c.len_utf8()].to_string(), seen));
            }
        }
    }
    let figure = 100.0 * prefixes as f64 / states as f64;
    println!("{prefixes}/{states} states ({figure:.2}%) are a prefix of the final text");
    for (input, seen) in &worst {
        let tail: String = input
            .chars()
            .rev()
            .take(60)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        println!(
            "  not a prefix after …{tail:?}: …{:?}",
            &seen[seen.len().saturating_sub(80)..]
        );
    }
    assert!(figure >= PREFIX_FLOOR, "{figure:.2}% < {PREFIX_FLOOR}%");
}

/// **Healing adds no marker** (issue 18, goal 1, counted): in every state of every document
/// streamed a character at a time, a reader sees no more of any delimiter character than the
/// input so far has (or its batch render shows: `&#42;` is a `*`): healing may hide a marker
/// or resolve it into markup, never write one
/// that stays text. A set of characters (the test above) cannot see a stray closer when the
/// input has the character elsewhere; a count can. Over the CommonMark and GFM spec examples,
/// remend's cases, generated answers with their raw HTML, and HTML blocks that a blank line
/// does not end (where healing, reading from the last blank line, wrote a stray backtick after
/// the block), with raw HTML sanitized and shown as text, each document on one of the three
/// line endings in turn.
///
/// **No text is lost** (issue 18, goal 1): from each state to the next, what disappears
/// (markers aside) is only the unfinished end of the input being resolved: an entity
/// (`&amp` → `&`), a tag arriving (`<d` hidden), a list number before its `.`, a setext
/// underline, a definition or the reference it resolves, an HTML comment closing. The test
/// reads it so: text that a state shows and the next does not is written, in order, in the
/// input's last block (from its last blank line on, or from the start of an HTML block that
/// was open). A block shown nowhere (neither committed nor in the tail), or one the tail
/// dropped, is text from an earlier block: under `raw_html: "escape"` an HTML block before a
/// paragraph was, until the next block settled (`<div>\n*foo*\n\n*bar*\n` showed `bar`).
///
/// **Healing changes only the last block**: every block before the input's last top-level
/// block is shown as the batch render shows it (`common::earlier_blocks_differ`; raw HTML aside).
/// Also over headings and table rows held in the tail with a marker open, then a line that
/// healing cuts short: healing wrote its closer into the heading's ended line (code in the
/// heading) until `write_closers` learned that a heading's line ends.
#[test]
fn healing_adds_no_marker_and_loses_no_text() {
    let mut docs: Vec<String> = Vec::new();
    for corpus in [
        include_str!("corpora/commonmark_spec.json"),
        include_str!("corpora/gfm_spec.json"),
        include_str!("corpora/remend_cases.json"),
    ] {
        let cases: Vec<serde_json::Value> = serde_json::from_str(corpus).unwrap();
        docs.extend(cases.iter().filter_map(|c| {
            c["markdown"]
                .as_str()
                .or_else(|| c["input"].as_str())
                .map(String::from)
        }));
    }
    docs.extend((0..2).map(|seed| generate::answer_with_seed(1_500, seed)));
    for open in [
        "<script>",
        "<pre>",
        "<style>",
        "<textarea>",
        "<!--",
        "<?x",
        "<!X",
        "<![CDATA[",
    ] {
        for marker in ["//`h", "*a", "**b", "_c", "~~d", "`` e"] {
            docs.push(format!("{open} a\n\n{marker}\nend\n\n}});\nmore *x\n"));
        }
    }
    // A heading or a table row held in the tail (a reference in it may still be defined)
    // with a marker left open in it, then a line that healing cuts short.
    for block in [
        "## a [r] `b",
        "# x [r] *y",
        "| a | b |\n|---|---|\n| [r] `c | d |",
    ] {
        for cut in ["![(tes", "![i](https://x.example/p", "[a](ht"] {
            docs.push(format!("{block}\n{cut}\0\n{}ampom)", "w".repeat(40)));
        }
    }
    let mut states = 0;
    for raw_html in ["sanitize", "escape"] {
        let sanitizer = Sanitizer::from_json(&format!(
            r#"{{"links": {{"allow": ["*"]}}, "images": {{"allow": ["*"]}}, "raw_html": "{raw_html}"}}"#
        ))
        .unwrap();
        // Each line ending in turn (a bare CR reads as a line feed).
        for (n, doc) in docs.iter().enumerate() {
            let doc = &doc.replace('\n', ["\n", "\r\n", "\r"][n % 3]);
            let mut stream = sanitizer.stream();
            let mut committed = String::new();
            let mut before = String::new();
            for (i, c) in doc.char_indices() {
                let update = stream.push(c.encode_utf8(&mut [0; 4])).unwrap();
                committed.push_str(&update.committed);
                let input = &doc[..i + c.len_utf8()];
                let seen = visible(&format!("{committed}{}", update.tail));
                let shown = format!("{committed}{}", update.tail);
                if let Some(diff) = common::earlier_blocks_differ(&sanitizer, &shown, input) {
                    panic!("{raw_html}: after {input:?} healing changed an earlier block: {diff}");
                }
                let lost = lost_text(&before, &seen, input);
                assert!(
                    lost.is_none(),
                    "{raw_html}: after {input:?} a reader no longer sees {lost:?}: {seen:?}"
                );
                before = seen.clone();
                // What the input has, or its batch render shows (`&#42;` is a `*`).
                let batch = visible(&sanitizer.render_markdown(input).unwrap().html);
                let has = |d: char| input.matches(d).count().max(batch.matches(d).count());
                let added: Vec<char> = "*_`~"
                    .chars()
                    .filter(|&d| seen.matches(d).count() > has(d))
                    .collect();
                assert!(
                    added.is_empty(),
                    "{raw_html}: after {input:?} a reader sees more {added:?} than the input has: \
                     {seen:?}"
                );
                states += 1;
            }
        }
    }
    println!("{states} states of {} documents", docs.len());
}

/// The text `before` showed and `now` does not, markers aside, when it is not written in the
/// last block of `input` (from its last blank line on, or from an HTML block still open that
/// a blank line does not end): `None` when nothing is lost, or
/// only what that block resolves. What is lost is what is left of `before` between the text
/// it begins and ends with in common with `now`; written in the block is in order there.
fn lost_text(before: &str, now: &str, input: &str) -> Option<String> {
    // Without what a refused image shows in its place (`[image: alt]`), which is the
    // policy's, not the input's.
    let aside = |t: &str| markers_aside(&t.replace("image:", ""));
    let (before, now): (Vec<char>, Vec<char>) = (
        aside(before).chars().collect(),
        aside(now).chars().collect(),
    );
    let prefix = before.iter().zip(&now).take_while(|(a, b)| a == b).count();
    let suffix = before[prefix..]
        .iter()
        .rev()
        .zip(now[prefix..].iter().rev())
        .take_while(|(a, b)| a == b)
        .count();
    let lost: String = before[prefix..before.len() - suffix].iter().collect();
    // Open before the last character arrived.
    let was = input
        .char_indices()
        .next_back()
        .map_or(input, |(at, _)| &input[..at]);
    let blank = [
        input.rfind("\n\n"),
        input.rfind("\n\r\n"),
        input.rfind("\r\r"),
    ]
    .into_iter()
    .max()
    .flatten();
    let last_block = &input[blank.unwrap_or(0).min(open_html_block(was))..];
    // Case aside: a reference's label (`[foo][BaR]`) resolves by a definition's (`[bar]:`).
    let mut written = markers_aside(&last_block.to_lowercase())
        .chars()
        .collect::<Vec<_>>()
        .into_iter();
    let in_order = lost.to_lowercase().chars().all(|c| written.any(|w| w == c));
    (!in_order).then_some(lost)
}

/// Where an HTML block starts that a blank line does not end (a comment, a processing
/// instruction, CDATA, `script`, `pre`, `style`, `textarea`) and its end has not arrived:
/// the end of `input` when there is none. Its text shows until it ends.
fn open_html_block(input: &str) -> usize {
    let lower = input.to_ascii_lowercase();
    [
        ("<!--", "-->"),
        ("<?", "?>"),
        ("<![cdata[", "]]>"),
        ("<script", "</script>"),
        ("<pre", "</pre>"),
        ("<style", "</style>"),
        ("<textarea", "</textarea>"),
    ]
    .iter()
    .filter_map(|(open, close)| {
        let at = lower.rfind(open)?;
        (!lower[at..].contains(close)).then_some(at)
    })
    .min()
    .unwrap_or(input.len())
}

/// **Text of a complete construct stays** (issue 18, goal 1): a paragraph that begins with a
/// complete inline construct and a word, then streams another construct character by
/// character. Once the word has arrived, what the reader sees of the paragraph so far (markers
/// aside) begins every later state: nothing that arrives after it may hide it. The general
/// oracle above lets text written in the last block disappear (the unfinished end resolving),
/// and so let `![a](u) foo [` hide the whole paragraph from the image on until the bracket
/// closed (healing counted the brackets from the image's `!` to the end). Every pair of
/// constructs, after the starts of the blocks a paragraph is in (a footnote's definition
/// too), under a policy that allows
/// every URL and under the default one (refused images show their alt text), with raw HTML
/// sanitized.
#[test]
fn complete_constructs_stay_shown() {
    let firsts = [
        "![a](https://i.example/x.png)",
        "![a](https://i.example/x.png \"t\")",
        "![a]",
        "[l](https://l.example/)",
        "[r]",
        "`c`",
        "**b**",
        "*e*",
        "~~s~~",
        "<kbd>k</kbd>",
        "https://auto.example/p",
        "&amp;",
    ];
    let seconds = [
        "[x](https://x.example/)",
        "![y](https://y.example/y.png)",
        "[z] w [v]",
        "![w] u",
        "`code`",
        "**bold**",
        "_em_",
        "<kbd>q</kbd>",
        "<https://x.example/>",
        "&copy;",
    ];
    // A footnote's text (its definition's line) is read as a paragraph's: it was hidden
    // until its line ended (healing hides a definition's line while its destination may be
    // arriving), and a footnote section streamed a line at a time.
    let leads = ["", "- ", "> ", "1. ", "# ", "Note[^1].\n\n[^1]: "];
    let mut states = 0;
    for policy in [
        r#"{"links": {"allow": ["*"]}, "images": {"allow": ["*"]}, "raw_html": "sanitize"}"#,
        r#"{"raw_html": "sanitize"}"#,
    ] {
        let sanitizer = Sanitizer::from_json(policy).unwrap();
        for lead in leads {
            for first in firsts {
                for second in seconds {
                    let shown_at = format!("{lead}{first} foo").len();
                    let doc = format!("{lead}{first} foo {second} end");
                    let mut stream = sanitizer.stream();
                    let mut committed = String::new();
                    let mut kept: Option<String> = None;
                    for (i, c) in doc.char_indices() {
                        let update = stream.push(c.encode_utf8(&mut [0; 4])).unwrap();
                        committed.push_str(&update.committed);
                        // Without a footnote's back reference, which follows its text.
                        let seen = markers_aside(&visible(&format!("{committed}{}", update.tail)))
                            .replace('\u{21A9}', "");
                        let end = i + c.len_utf8();
                        if end == shown_at {
                            assert!(seen.ends_with("foo"), "{doc:?}: {seen:?}");
                            kept = Some(seen);
                        } else if let Some(kept) = &kept {
                            assert!(
                                seen.starts_with(kept.as_str()),
                                "{policy}: after {:?} a reader no longer sees {kept:?}: {seen:?}",
                                &doc[..end]
                            );
                            states += 1;
                        }
                    }
                }
            }
        }
    }
    assert!(states > 20_000, "{states}");
    println!("{states} states after a complete construct");
}
