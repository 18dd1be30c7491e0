//! Canonical HTML: markup built from escaped text and judged values, written so that it needs
//! no parser to be trusted.
//!
//! Canonical means byte for byte what html5ever's serializer writes for the tree a parser
//! builds from it, so that the markdown stage's output never has to be parsed to be trusted:
//! parsing it and serializing it again gives the same bytes (the fixpoint every test and fuzz
//! target checks). Concretely:
//!
//! - text escapes `&`, `<`, `>` and U+00A0 (as `&nbsp;`); attribute values escape the same
//!   and `"`; nothing else is escaped;
//! - void elements are written `<br>`, never `<br />`;
//! - carriage returns become line feeds and U+0000 becomes U+FFFD, as a parser would read them;
//! - a run of text longer than [`limits::MAX_NODE_BYTES`] is split with `<wbr>` exactly where
//!   the HTML stage splits it, unless it is only whitespace.
//!
//! Tag and attribute names are always the writer's own constants.

use crate::limits;

/// Writes canonical HTML into a string.
#[derive(Default)]
pub(crate) struct HtmlWriter {
    out: String,
    /// The text written since the last tag, unescaped: text nodes are bounded as a whole.
    run: String,
}

impl HtmlWriter {
    /// A start tag (or a void element) with attribute values that are written escaped.
    pub(crate) fn start(&mut self, tag: &str, attrs: &[(&str, &str)]) {
        self.flush();
        self.out.push('<');
        self.out.push_str(tag);
        for (name, value) in attrs {
            self.out.push(' ');
            self.out.push_str(name);
            self.out.push_str("=\"");
            escape_attribute(&mut self.out, value);
            self.out.push('"');
        }
        self.out.push('>');
    }

    /// An end tag.
    pub(crate) fn end(&mut self, tag: &str) {
        self.flush();
        self.out.push_str("</");
        self.out.push_str(tag);
        self.out.push('>');
    }

    /// Text, escaped when the run it belongs to ends.
    pub(crate) fn text(&mut self, s: &str) {
        if memchr::memchr2(b'\r', 0, s.as_bytes()).is_some() {
            let mut chars = s.chars().peekable();
            while let Some(c) = chars.next() {
                match c {
                    '\r' => {
                        if chars.peek() != Some(&'\n') {
                            self.run.push('\n');
                        }
                    }
                    '\0' => self.run.push('\u{FFFD}'),
                    c => self.run.push(c),
                }
            }
        } else {
            self.run.push_str(s);
        }
    }

    /// A line feed, unless the output is at the start of a line (as pulldown-cmark writes
    /// block tags).
    pub(crate) fn newline(&mut self) {
        if !self.at_line_start() {
            self.run.push('\n');
        }
    }

    /// Whether the output is empty or ends with a line feed.
    pub(crate) fn at_line_start(&self) -> bool {
        let last = match self.run.chars().next_back() {
            Some(c) => Some(c),
            None => self.out.chars().next_back(),
        };
        last.is_none_or(|c| c == '\n')
    }

    /// Raw HTML from the input, written as it is: only for output that the HTML stage
    /// sanitizes next.
    pub(crate) fn raw(&mut self, html: &str) {
        self.flush();
        self.out.push_str(html);
    }

    /// Ends the current text run. Text written before it with no tag between (a line feed
    /// written before a block whose output was taken away, as a footnote's definition is) is
    /// one text node with it where a parser reads them: the run is bounded as that node's rest.
    fn flush(&mut self) {
        if self.run.is_empty() {
            return;
        }
        let (before, blank) = last_node(&self.out);
        let run = std::mem::take(&mut self.run);
        for (i, chunk) in limits::node_chunks(&run, before, blank).enumerate() {
            if i > 0 {
                self.out.push_str("<wbr>");
            }
            escape_text(&mut self.out, chunk);
        }
        self.run = run;
        self.run.clear();
    }

    /// Whether a text run with more than line feeds is open: text written since the last tag,
    /// not written out yet.
    pub(crate) fn in_run(&self) -> bool {
        self.run.bytes().any(|b| b != b'\n')
    }

    /// What was written up to the current text run.
    pub(crate) fn written(&self) -> &str {
        &self.out
    }

    /// Reserves room for `n` more bytes.
    pub(crate) fn reserve(&mut self, n: usize) {
        self.out.reserve(n);
    }

    /// Bytes written so far.
    pub(crate) fn len(&mut self) -> usize {
        self.flush();
        self.out.len()
    }

    /// `pos`, moved back over the line feeds that end the output before it.
    pub(crate) fn trimmed_len(&self, pos: usize) -> usize {
        self.out[..pos].trim_end_matches('\n').len()
    }

    /// Removes and returns what was written from `pos` on.
    pub(crate) fn split_off(&mut self, pos: usize) -> String {
        self.flush();
        self.out.split_off(pos)
    }

    /// Everything written so far; the writer starts again empty.
    pub(crate) fn take(&mut self) -> String {
        self.flush();
        std::mem::take(&mut self.out)
    }
}

/// Whether `joined` (text, unescaped), written right after `html` (canonical HTML that ends
/// with text or a tag), starts a new text node where the HTML stage reads one: when `html`'s
/// last text node and `joined` together take over [`limits::MAX_NODE_BYTES`] (and are not only
/// whitespace), the stage cuts them at the end of the former, so a `<wbr>` belongs there.
///
/// The last text node's length is read back from its escaped form, which holds only the
/// escapes [`escape_text`] writes (`&amp;`, `&lt;`, `&gt;`, `&nbsp;`): a length, not a decoder.
pub(crate) fn needs_cut_before(html: &str, joined: &str) -> bool {
    let (last, blank) = last_node(html);
    let whitespace = blank && joined.chars().all(limits::is_html_whitespace);
    last > 0 && last + joined.len() > limits::MAX_NODE_BYTES && !whitespace
}

/// The text node `html` ends with, after its last tag (text and attribute values have their
/// `>` escaped: the last one ends a tag): how many bytes a parser reads in it (counted from
/// its escaped form, which holds only the [`ESCAPES`]: a length, not a decoder), and whether
/// it is HTML whitespace only.
fn last_node(html: &str) -> (usize, bool) {
    // Most runs follow a tag: no search then.
    if html.ends_with('>') {
        return (0, true);
    }
    let text = html.rsplit_once('>').map_or(html, |(_, text)| text);
    (
        unescaped_len(text),
        text.chars().all(limits::is_html_whitespace),
    )
}

/// The escapes [`escape_text`] and the serializer write, with the bytes each stands for.
const ESCAPES: [(&str, usize); 4] = [("&amp;", 1), ("&lt;", 1), ("&gt;", 1), ("&nbsp;", 2)];

/// The length of the text `escaped` stands for, which holds only the [`ESCAPES`]: one pass
/// over its `&`s (none of the escapes holds another `&`, so each `&` begins at most one).
fn unescaped_len(escaped: &str) -> usize {
    escaped
        .match_indices('&')
        .fold(escaped.len(), |len, (at, _)| {
            let rest = &escaped[at..];
            let escape = ESCAPES.iter().find(|(escape, _)| rest.starts_with(escape));
            len - escape.map_or(0, |(escape, bytes)| escape.len() - bytes)
        })
}

/// Escapes text content as html5ever's serializer does.
pub(crate) fn escape_text(out: &mut String, s: &str) {
    escape(out, s, false);
}

/// Escapes a double-quoted attribute value as html5ever's serializer does.
pub(crate) fn escape_attribute(out: &mut String, s: &str) {
    escape(out, s, true);
}

/// The bytes [`escape`] may replace.
const SPECIAL: [bool; 256] = {
    let mut t = [false; 256];
    let mut i = 0;
    let special = b"&<>\"\r\0\xC2";
    while i < special.len() {
        t[special[i] as usize] = true;
        i += 1;
    }
    t
};

fn escape(out: &mut String, s: &str, attribute: bool) {
    let bytes = s.as_bytes();
    // Most text has nothing to escape: two vectorized scans say so.
    if memchr::memchr3(b'&', b'<', b'>', bytes).is_none()
        && memchr::memchr3(b'\r', 0, 0xC2, bytes).is_none()
        && !(attribute && memchr::memchr(b'"', bytes).is_some())
    {
        out.push_str(s);
        return;
    }
    let mut last = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if !SPECIAL[usize::from(b)] {
            continue;
        }
        // Every byte matched here is ASCII or the lead byte of U+00A0, so the slices below
        // always fall on character boundaries.
        let replacement = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' if attribute => "&quot;",
            0xC2 if bytes.get(i + 1) == Some(&0xA0) => "&nbsp;",
            b'\r' if bytes.get(i + 1) == Some(&b'\n') => "",
            b'\r' => "\n",
            b'\0' => "\u{FFFD}",
            _ => continue,
        };
        out.push_str(&s[last..i]);
        out.push_str(replacement);
        last = if b == 0xC2 { i + 2 } else { i + 1 };
    }
    out.push_str(&s[last..]);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every text of up to four pieces (each escape's character, each escape's name after a
    /// literal `&`, an escape written as text) escaped, then measured: the length read back is
    /// the text's own.
    #[test]
    fn an_escaped_text_is_measured_as_the_text_it_stands_for() {
        let pieces = [
            "a", "&", "<", ">", "\u{A0}", "amp;", "lt;", "gt;", "nbsp;", "&amp;", "\"", "é",
        ];
        let mut texts = vec![String::new()];
        for _ in 0..4 {
            let longer: Vec<String> = texts
                .iter()
                .flat_map(|t| pieces.iter().map(move |p| format!("{t}{p}")))
                .collect();
            texts.extend(longer);
        }
        texts.sort();
        texts.dedup();
        assert!(texts.len() > 20_000);
        for text in &texts {
            let mut escaped = String::new();
            escape_text(&mut escaped, text);
            assert_eq!(
                unescaped_len(&escaped),
                text.len(),
                "{text:?} as {escaped:?}"
            );
        }
    }

    #[test]
    fn escapes_like_the_serializer() {
        let mut w = HtmlWriter::default();
        w.start("a", &[("title", "a \"b\" & c\u{A0}<d>")]);
        w.text("x < y & \"z\"\u{A0}\r\n\r>");
        w.end("a");
        w.start("br", &[]);
        assert_eq!(
            w.take(),
            "<a title=\"a &quot;b&quot; &amp; c&nbsp;&lt;d&gt;\">x &lt; y &amp; \"z\"&nbsp;\n\n&gt;</a><br>"
        );
    }

    #[test]
    fn a_cut_is_needed_where_joined_text_takes_over_the_bound() {
        let full = |unit: &str, n: usize| format!("<p>{}", unit.repeat(n));
        let max = limits::MAX_NODE_BYTES;
        assert!(needs_cut_before(&full("a", max), " "));
        assert!(!needs_cut_before(&full("a", max - 1), " "));
        // Escapes are counted as the text they stand for.
        assert!(needs_cut_before(&full("&amp;", max), " "));
        assert!(!needs_cut_before(&full("&amp;", max - 1), " "));
        assert!(needs_cut_before(&full("&nbsp;", max / 2), " "));
        assert!(!needs_cut_before(&full("&nbsp;", max / 2 - 1), " "));
        // After a tag there is no text to join; whitespace alone is never cut.
        assert!(!needs_cut_before(&format!("{}<b>", full("a", max)), " "));
        assert!(!needs_cut_before(&full(" ", max), " "));
    }

    #[test]
    fn long_runs_are_split_but_whitespace_is_not() {
        let mut w = HtmlWriter::default();
        w.text(&"a".repeat(limits::MAX_NODE_BYTES));
        w.text("b");
        w.end("p");
        w.text(&" ".repeat(limits::MAX_NODE_BYTES + 1));
        let out = w.take();
        let expected = format!(
            "{}<wbr>b</p>{}",
            "a".repeat(limits::MAX_NODE_BYTES),
            " ".repeat(limits::MAX_NODE_BYTES + 1)
        );
        assert_eq!(out, expected);
    }
}
