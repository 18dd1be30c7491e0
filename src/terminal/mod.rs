//! The terminal stage: markdown in, plain text for a terminal out.
//!
//! Command-line tools print model answers straight to a terminal, where the input's own escape
//! sequences could clear the screen (`ESC [2J`), set the window title, plant an OSC 8 hyperlink
//! (`ESC ]8;;`), write to the clipboard (`ESC ]52;`) or overwrite a line with a bare `\r`. Here
//! no character of the input reaches the terminal as a control: every C0 control but newline
//! and tab, DEL, every C1 control and a bare carriage return is shown as a visible symbol
//! (`ESC` → `␛`, C1 as `<U+009B>`) and reported. The only escape sequences in the output are
//! safemark's own styling (when [`TerminalOptions::color`] is set), and OSC 8 hyperlinks only
//! for links the policy trusts (when [`TerminalOptions::hyperlinks`] is set).
//!
//! Links are written as `text (host…)` (an untrusted link: the host it points to, `…` when the
//! URL goes on) or `text (URL)` (a trusted one, so it can be copied); images as `[image: alt]`;
//! raw HTML as the text it is (a terminal does not interpret it).

use std::borrow::Cow;
use std::ops::Range;

use std::sync::Arc;

use pulldown_cmark::{CodeBlockKind, Event, Tag, TagEnd};
use serde::{Deserialize, Serialize};

mod layout;

use layout::{LinkEnd, Table, Term, BOLD, CODE, DIM, ITALIC, RESET, STRIKE, UNDERLINE};

use crate::display;
use crate::judge::Judge;
use crate::judged::{self, Consumer, Image, Judged, LinkStart};
use crate::markdown;
use crate::policy::Policy;
use crate::report::Finding;
use crate::text;

/// How terminal text is styled. The default is plain text: no escape sequence at all.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct TerminalOptions {
    /// Style headings, emphasis, code and links with safemark's own ANSI SGR codes.
    pub color: bool,
    /// Make links the policy trusts clickable with OSC 8 hyperlinks. Untrusted links never are.
    pub hyperlinks: bool,
}

impl TerminalOptions {
    /// Plain text, no escape sequences (the default).
    pub fn plain() -> Self {
        TerminalOptions::default()
    }

    /// Styled, with OSC 8 hyperlinks for trusted links: for output to a terminal.
    pub fn styled() -> Self {
        TerminalOptions {
            color: true,
            hyperlinks: true,
        }
    }
}

/// Terminal text and the findings: what was neutralized and why. Serializes as
/// `{"text": …, "findings": […]}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct TerminalText {
    /// Text safe to print to a terminal.
    pub text: String,
    /// What was removed or neutralized.
    pub findings: Vec<Finding>,
}

/// Makes every control character in `s` visible: C0 controls (but `\n` and `\t`) as their
/// Unicode control pictures (`␛`), a bare `\r` as `␍` (`\r\n` is a line ending), DEL as `␡`,
/// C1 controls as `<U+0080>`…`<U+009F>`. Tag characters and bidi overrides are removed, as in
/// HTML. Returns the text and how many characters were changed.
pub(crate) fn visible(s: &str) -> (Cow<'_, str>, usize) {
    let needs = |c: char| {
        (c < ' ' && c != '\n' && c != '\t')
            || ('\u{7f}'..='\u{9f}').contains(&c)
            || text::is_stripped(c)
    };
    if !s.chars().any(needs) {
        return (Cow::Borrowed(s), 0);
    }
    let mut out = String::with_capacity(s.len() + 8);
    let mut changed = 0;
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' if chars.peek() == Some(&'\n') => {}
            c if text::is_stripped(c) => changed += 1,
            c if c < ' ' && c != '\n' && c != '\t' => {
                changed += 1;
                out.push(char::from_u32(0x2400 + c as u32).unwrap_or('\u{FFFD}'));
            }
            '\u{7f}' => {
                changed += 1;
                out.push('\u{2421}');
            }
            c if ('\u{80}'..='\u{9f}').contains(&c) => {
                changed += 1;
                out.push_str(&format!("<U+{:04X}>", c as u32));
            }
            c => out.push(c),
        }
    }
    (Cow::Owned(out), changed)
}

/// Renders `input` for a terminal: its judged events (raw HTML is text here) written as text.
pub(crate) fn render(input: &str, policy: &Arc<Policy>, options: TerminalOptions) -> TerminalText {
    let input = &*markdown::bare_cr_as_lf(input);
    let mut judge = Judge::new(Arc::clone(policy), true);
    let mut t = Term {
        max_nesting: policy.limits.max_nesting,
        options,
        out: String::with_capacity(input.len() + input.len() / 8),
        findings: Vec::new(),
        prefixes: Vec::new(),
        containers: Vec::new(),
        at_line_start: true,
        gap: false,
        styles: Vec::new(),
        active: Vec::new(),
        links: Vec::new(),
        table: None,
        lists: Vec::new(),
        nesting_reported: false,
        join_next: false,
    };
    let mut findings = Vec::new();
    for (event, range) in markdown::events(input, policy.math) {
        judge.event(&event, &range, &mut findings, &mut t);
    }
    if !t.at_line_start {
        t.out.push('\n');
    }
    TerminalText {
        text: t.out,
        findings,
    }
}

impl Consumer for Term {
    fn judged(&mut self, event: Judged<'_>, range: &Range<usize>, findings: &mut Vec<Finding>) {
        match event {
            // A trusted link always shows its URL here unless its text is that URL, so the
            // real host needs no label of its own; the judge still reports a deceptive one.
            // Raw HTML is text here: what a reader sees is the text the judge read.
            Judged::LinkEnd(judged::LinkEnd::Clickable(check)) => {
                check.real_host(|| None, findings);
                self.close_link();
            }
            event => self.event(event, range),
        }
        findings.append(&mut self.findings);
    }
}

impl Term {
    fn event(&mut self, event: Judged<'_>, range: &Range<usize>) {
        match event {
            Judged::Text(s) | Judged::HtmlAsText(s) | Judged::Html { html: s, .. } => {
                self.text(s, range)
            }
            // A bare URL is shown as written.
            Judged::Autolink { text, .. } => self.text(text, range),
            // TeX is shown as written, between its dollars.
            Judged::Math { tex, display } => {
                let dollars = if display { "$$" } else { "$" };
                self.text(&format!("{dollars}{tex}{dollars}"), range);
            }
            Judged::Code(s) => {
                if self.table.is_some() {
                    return self.text(s, range);
                }
                if self.options.color {
                    self.style_start(CODE);
                    self.text(s, range);
                    self.style_end();
                } else {
                    self.write("`");
                    self.text(s, range);
                    self.write("`");
                }
            }
            Judged::CodeBlock(kind, _) => {
                self.block_start();
                if let CodeBlockKind::Fenced(lang) = kind {
                    let lang = lang.split_whitespace().next().unwrap_or("").to_string();
                    if !lang.is_empty() {
                        self.sgr(DIM);
                        self.text(&format!("[{lang}]"), range);
                        self.sgr(RESET);
                        self.write("\n");
                    }
                }
                self.push_prefix("    ".into(), "    ".into(), true);
            }
            Judged::Container(tag, shown) => self.container(tag, shown),
            Judged::ContainerEnd(tag, _) => self.end(tag),
            Judged::Link(start) => self.open_link(start),
            Judged::LinkEnd(_) => self.close_link(),
            Judged::Image(image) => self.image(image, range),
            Judged::FootnoteReference { label, .. } => {
                let label = format!("[{label}]");
                self.text(&label, range);
            }
            Judged::Event(Event::SoftBreak | Event::HardBreak) => {
                if self.table.is_some() {
                    self.text(" ", range);
                } else {
                    self.write("\n");
                }
            }
            Judged::Event(Event::Rule) => {
                self.block_start();
                self.write(&"─".repeat(24));
                self.block_end();
            }
            Judged::Event(Event::TaskListMarker(done)) => {
                self.write(if *done { "[x] " } else { "[ ] " })
            }
            Judged::Event(Event::Start(tag)) => self.start(tag, range),
            Judged::Event(Event::End(tag)) => self.end(*tag),
            Judged::Event(_) | Judged::Flattened => {}
        }
    }

    /// An image: its alt text, whatever the judge decided (a terminal loads nothing).
    fn image(&mut self, image: &Image, range: &Range<usize>) {
        let alt = image.alt.replace('\n', " ");
        let (alt, changed) = visible(&alt);
        self.report_controls(changed, range);
        let shown = display::blocked_image_text(alt.trim());
        self.put(&shown);
    }

    fn container(&mut self, tag: &Tag<'_>, shown: bool) {
        match tag {
            Tag::BlockQuote(_) => {
                self.block_start();
                self.push_prefix("> ".into(), "> ".into(), shown);
            }
            Tag::List(start) => {
                if self.lists.is_empty() {
                    self.block_start();
                } else {
                    self.end_line();
                }
                self.lists.push(*start);
            }
            _ => {
                self.end_line();
                let marker = match self.lists.last_mut() {
                    Some(Some(n)) => {
                        let m = format!("{n}. ");
                        *n += 1;
                        m
                    }
                    _ => "- ".to_string(),
                };
                let rest = " ".repeat(marker.chars().count());
                self.push_prefix(marker, rest, shown);
                self.gap = false;
            }
        }
    }

    fn start(&mut self, tag: &Tag<'_>, range: &Range<usize>) {
        match tag {
            Tag::Paragraph if self.table.is_none() => self.block_start(),
            Tag::Heading { level, .. } => {
                self.block_start();
                self.style_start(BOLD);
                self.write(&format!("{} ", "#".repeat(*level as usize)));
            }
            Tag::FootnoteDefinition(label) => {
                self.block_start();
                let label = format!("[{label}]: ");
                self.text(&label, range);
                self.join_next = true;
            }
            Tag::Table(_) => {
                self.block_start();
                self.table = Some(Table {
                    source_len: range.len(),
                    rows: Vec::new(),
                    head_rows: 0,
                    in_head: false,
                });
            }
            Tag::TableHead | Tag::TableRow => {
                if let Some(t) = &mut self.table {
                    t.rows.push(Vec::new());
                    if matches!(tag, Tag::TableHead) {
                        t.in_head = true;
                        t.head_rows += 1;
                    }
                }
            }
            Tag::TableCell => {
                if let Some(row) = self.table.as_mut().and_then(|t| t.rows.last_mut()) {
                    row.push(String::new());
                }
            }
            Tag::Emphasis => self.inline_style(ITALIC, ""),
            Tag::Strong => self.inline_style(BOLD, ""),
            Tag::Strikethrough => self.inline_style(STRIKE, "~~"),
            _ => {}
        }
    }

    /// A link as the judge decided it: a trusted one shows its URL after its text (unless
    /// the text is the URL), and is an OSC 8 hyperlink when those are on; a refused one shows
    /// its host in words.
    fn open_link(&mut self, start: &LinkStart) {
        let end = match start {
            LinkStart::Clickable {
                href,
                external: true,
                ..
            }
            | LinkStart::Inert {
                href,
                external: true,
            } => {
                // OSC 8 only for a trusted URL, and only one the parser serialized as printable
                // ASCII (it percent-encodes everything else).
                let osc8 = self.options.hyperlinks
                    && self.table.is_none()
                    && self.links.is_empty()
                    && href.bytes().all(|b| (0x21..0x7f).contains(&b));
                if osc8 {
                    if self.at_line_start {
                        self.prefix();
                    }
                    self.out.push_str("\x1b]8;;");
                    self.out.push_str(href);
                    self.out.push_str("\x1b\\");
                }
                if self.options.color && self.table.is_none() {
                    self.style_start(UNDERLINE);
                }
                LinkEnd::Trusted {
                    url: href.clone(),
                    osc8,
                    text: String::new(),
                }
            }
            LinkStart::Refused { verdict, .. } => LinkEnd::Untrusted(display::brief_host(verdict)),
            _ => LinkEnd::Plain,
        };
        self.links.push(end);
    }

    fn close_link(&mut self) {
        let Some(end) = self.links.pop() else {
            return;
        };
        match end {
            LinkEnd::Trusted { url, osc8, text } => {
                if self.options.color && self.table.is_none() {
                    self.style_end();
                }
                if osc8 {
                    self.out.push_str("\x1b]8;;\x1b\\");
                }
                let shown = url.strip_prefix("mailto:").unwrap_or(&url);
                if text.trim() != url && text.trim() != shown {
                    let suffix = display::host_suffix(shown);
                    self.suffix(&suffix);
                }
            }
            LinkEnd::Untrusted(Some(host)) => {
                let suffix = display::host_suffix(&host);
                self.suffix(&suffix);
            }
            _ => {}
        }
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Paragraph if self.table.is_none() => self.block_end(),
            TagEnd::Heading(_) => {
                self.style_end();
                self.block_end();
            }
            TagEnd::BlockQuote(_) | TagEnd::CodeBlock => {
                self.pop_prefix();
                self.block_end();
            }
            TagEnd::List(_) => {
                self.lists.pop();
                self.block_end();
            }
            TagEnd::Item => {
                self.end_line();
                self.pop_prefix();
                self.gap = false;
            }
            TagEnd::FootnoteDefinition => {
                self.join_next = false;
                self.block_end();
            }
            TagEnd::Table => {
                if let Some(table) = self.table.take() {
                    self.write_table(table);
                }
                self.block_end();
            }
            TagEnd::TableHead => {
                if let Some(t) = &mut self.table {
                    t.in_head = false;
                }
            }
            TagEnd::Emphasis | TagEnd::Strong => self.inline_style_end(""),
            TagEnd::Strikethrough => self.inline_style_end("~~"),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::visible;

    #[test]
    fn controls_become_visible() {
        assert_eq!(visible("a\x1b[2Jb").0, "a␛[2Jb");
        assert_eq!(visible("line\r\nnext").0, "line\nnext");
        assert_eq!(visible("safe\rEVIL").0, "safe␍EVIL");
        assert_eq!(visible("\u{9b}31m").0, "<U+009B>31m");
        assert_eq!(visible("a\u{7f}\u{7}").0, "a␡␇");
        assert_eq!(visible("tab\tok\n").1, 0);
        assert_eq!(visible("x\u{202e}y").0, "xy");
    }
}
