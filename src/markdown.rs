//! The markdown stage: pulldown-cmark events in, HTML out, with every destination judged.
//!
//! This is an event filter in pulldown-cmark's style: links, images, footnotes and tables are
//! replaced by markup written here from escaped text and judged URLs; everything else is
//! rendered by pulldown-cmark's own HTML writer. Raw HTML events pass through untouched (or are
//! escaped, under `raw_html: "escape"`): the HTML stage sanitizes them.

use std::collections::HashMap;
use std::ops::Range;

use pulldown_cmark::{
    Alignment, CowStr, Event, LinkType, Options, Parser, Tag, TagEnd, TextMergeWithOffset,
};
use pulldown_cmark_escape::escape_html;

use crate::display;
use crate::policy::{Policy, RawHtml};
use crate::report::{Finding, FindingKind};
use crate::text;
use crate::urls::{self, Deny, Purpose, Verdict};

/// The CommonMark + GFM dialect models write.
pub(crate) fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_FOOTNOTES
}

/// Renders `input` to HTML that still contains the document's raw HTML.
pub(crate) fn render(input: &str, policy: &Policy, findings: &mut Vec<Finding>) -> String {
    let parser = TextMergeWithOffset::new(Parser::new_ext(input, options()).into_offset_iter());
    let mut filter = Filter {
        policy,
        findings,
        out: Vec::new(),
        link_closers: Vec::new(),
        image: None,
        code_block: false,
        containers: Vec::new(),
        depth: 0,
        nesting_reported: false,
        footnotes: HashMap::new(),
        table: None,
    };
    for (event, range) in parser {
        filter.event(event, range);
    }
    let mut html = String::with_capacity(input.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, filter.out.into_iter());
    html
}

struct ImageState {
    verdict: Verdict,
    title: String,
    alt: String,
    depth: usize,
    range: Range<usize>,
}

struct TableState {
    aligns: Vec<Alignment>,
    cell: usize,
    in_head: bool,
    body: bool,
}

struct Filter<'p, 'a> {
    policy: &'p Policy,
    findings: &'p mut Vec<Finding>,
    out: Vec<Event<'a>>,
    /// What to write at each open link's end.
    link_closers: Vec<String>,
    /// Set while an image's alt text is being collected.
    image: Option<ImageState>,
    code_block: bool,
    /// For each open block quote, list or item: whether its tags were written.
    containers: Vec<bool>,
    /// How many written containers are open.
    depth: usize,
    nesting_reported: bool,
    footnotes: HashMap<String, usize>,
    table: Option<TableState>,
}

impl<'a> Filter<'_, 'a> {
    fn html(&mut self, s: String) {
        self.out.push(Event::InlineHtml(s.into()));
    }

    fn clean(&mut self, s: CowStr<'a>, range: &Range<usize>) -> CowStr<'a> {
        let (cleaned, removed) = text::strip(&s);
        if removed == 0 {
            return s;
        }
        self.findings.push(
            Finding::new(FindingKind::InvisibleCharacters)
                .range(Some(range.clone()))
                .detail(format!("{removed} characters removed")),
        );
        cleaned.into_owned().into()
    }

    fn event(&mut self, event: Event<'a>, range: Range<usize>) {
        if self.image.is_some() {
            return self.image_event(event);
        }
        match event {
            Event::Text(t) => {
                let t = self.clean(t, &range);
                if self.code_block || !self.link_closers.is_empty() {
                    self.out.push(Event::Text(t));
                } else {
                    self.autolink(t);
                }
            }
            Event::Code(t) => {
                let t = self.clean(t, &range);
                self.out.push(Event::Code(t));
            }
            Event::Html(h) | Event::InlineHtml(h) if self.policy.raw_html == RawHtml::Escape => {
                let h = self.clean(h, &range);
                self.out.push(Event::Text(h));
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                ..
            }) => self.open_link(link_type, &dest_url, &title, range),
            Event::End(TagEnd::Link) => {
                let closer = self.link_closers.pop().unwrap_or_default();
                self.html(closer);
            }
            Event::Start(Tag::Image {
                dest_url, title, ..
            }) => {
                let verdict = urls::judge(&dest_url, Purpose::Image, self.policy);
                let title = self.clean(title, &range).into_string();
                self.image = Some(ImageState {
                    verdict,
                    title,
                    alt: String::new(),
                    depth: 0,
                    range,
                });
            }
            Event::Start(Tag::CodeBlock(_)) => {
                self.code_block = true;
                self.out.push(event);
            }
            Event::End(TagEnd::CodeBlock) => {
                self.code_block = false;
                self.out.push(event);
            }
            Event::FootnoteReference(label) => {
                let n = self.footnote_number(&label);
                let id = escape(&format!("{}fn-{label}", self.policy.id_prefix.as_str()));
                self.html(format!(
                    "<sup class=\"footnote-reference\"><a href=\"#{id}\">{n}</a></sup>"
                ));
            }
            Event::Start(Tag::FootnoteDefinition(label)) => {
                let n = self.footnote_number(&label);
                let id = escape(&format!("{}fn-{label}", self.policy.id_prefix.as_str()));
                self.html(format!(
                    "<div class=\"footnote-definition\" id=\"{id}\"><sup class=\"footnote-definition-label\">{n}</sup>"
                ));
            }
            Event::End(TagEnd::FootnoteDefinition) => self.html("</div>\n".into()),
            Event::Start(Tag::BlockQuote(_) | Tag::List(_)) => {
                let write = self.depth < self.policy.limits.max_nesting;
                if write {
                    self.depth += 1;
                    self.out.push(event);
                } else if !self.nesting_reported {
                    self.nesting_reported = true;
                    self.findings.push(
                        Finding::new(FindingKind::NestingLimit)
                            .range(Some(range))
                            .detail(format!(
                                "containers nested deeper than {} were flattened",
                                self.policy.limits.max_nesting
                            )),
                    );
                }
                self.containers.push(write);
            }
            Event::Start(Tag::Item) => {
                let write = self.containers.last().copied().unwrap_or(true);
                if write {
                    self.out.push(event);
                }
                self.containers.push(write);
            }
            Event::End(TagEnd::BlockQuote(_) | TagEnd::List(_) | TagEnd::Item) => {
                let written = self.containers.pop().unwrap_or(true);
                if written {
                    if !matches!(event, Event::End(TagEnd::Item)) {
                        self.depth = self.depth.saturating_sub(1);
                    }
                    self.out.push(event);
                }
            }
            Event::Start(Tag::Table(aligns)) => {
                self.table = Some(TableState {
                    aligns,
                    cell: 0,
                    in_head: false,
                    body: false,
                });
                self.html("<table>".into());
            }
            Event::End(TagEnd::Table) => {
                let body = self.table.take().is_some_and(|t| t.body);
                self.html(
                    if body {
                        "</tbody></table>\n"
                    } else {
                        "</table>\n"
                    }
                    .into(),
                );
            }
            Event::Start(Tag::TableHead) => {
                if let Some(t) = &mut self.table {
                    t.in_head = true;
                    t.cell = 0;
                }
                self.html("<thead><tr>".into());
            }
            Event::End(TagEnd::TableHead) => {
                if let Some(t) = &mut self.table {
                    t.in_head = false;
                }
                self.html("</tr></thead>".into());
            }
            Event::Start(Tag::TableRow) => {
                let mut s = String::new();
                if let Some(t) = &mut self.table {
                    t.cell = 0;
                    if !t.body {
                        t.body = true;
                        s.push_str("<tbody>");
                    }
                }
                s.push_str("<tr>");
                self.html(s);
            }
            Event::End(TagEnd::TableRow) => self.html("</tr>".into()),
            Event::Start(Tag::TableCell) => {
                let (tag, align) = match &self.table {
                    Some(t) => (
                        if t.in_head { "th" } else { "td" },
                        t.aligns.get(t.cell).copied().unwrap_or(Alignment::None),
                    ),
                    None => ("td", Alignment::None),
                };
                let align = match align {
                    Alignment::Left => " align=\"left\"",
                    Alignment::Center => " align=\"center\"",
                    Alignment::Right => " align=\"right\"",
                    Alignment::None => "",
                };
                self.html(format!("<{tag}{align}>"));
            }
            Event::End(TagEnd::TableCell) => {
                let tag = match &mut self.table {
                    Some(t) => {
                        t.cell += 1;
                        if t.in_head {
                            "th"
                        } else {
                            "td"
                        }
                    }
                    None => "td",
                };
                self.html(format!("</{tag}>"));
            }
            other => self.out.push(other),
        }
    }

    fn footnote_number(&mut self, label: &str) -> usize {
        let next = self.footnotes.len() + 1;
        *self.footnotes.entry(label.to_string()).or_insert(next)
    }

    fn open_link(&mut self, link_type: LinkType, dest: &str, title: &str, range: Range<usize>) {
        let dest = match link_type {
            LinkType::Email => format!("mailto:{dest}"),
            _ => dest.to_string(),
        };
        let (title, _) = text::strip(title);
        let verdict = urls::judge(&dest, Purpose::Link, self.policy);
        let title_attr = if title.is_empty() {
            String::new()
        } else {
            format!(" title=\"{}\"", escape(&title))
        };
        let (open, close) = match &verdict {
            Verdict::Allow(url) => (
                format!(
                    "<a href=\"{}\"{title_attr} rel=\"{}\" referrerpolicy=\"{}\">",
                    escape(url),
                    display::LINK_REL,
                    display::LINK_REFERRER_POLICY
                ),
                "</a>".to_string(),
            ),
            Verdict::Fragment(href) => (
                format!("<a href=\"{}\"{title_attr}>", escape(href)),
                "</a>".to_string(),
            ),
            Verdict::Deny { .. } => {
                self.report(&verdict, "a", "href", range);
                let shown = display::refused(&verdict, self.policy);
                let title = shown
                    .title
                    .map(|t| format!(" title=\"{}\"", escape(&t)))
                    .unwrap_or_default();
                let suffix = shown
                    .suffix
                    .map(|s| {
                        format!(
                            "<span class=\"{}\">{}</span>",
                            display::LINK_HOST_CLASS,
                            escape(&s)
                        )
                    })
                    .unwrap_or_default();
                (
                    format!("<span class=\"{}\"{title}>", display::UNTRUSTED_LINK_CLASS),
                    format!("</span>{suffix}"),
                )
            }
        };
        self.html(open);
        self.link_closers.push(close);
    }

    fn report(&mut self, verdict: &Verdict, element: &str, attribute: &str, range: Range<usize>) {
        if let Verdict::Deny { why, url, host } = verdict {
            self.findings.push(
                Finding::new(finding_kind(*why, element))
                    .element(element)
                    .attribute(attribute)
                    .url(url.clone(), host.clone())
                    .range(Some(range)),
            );
        }
    }

    /// Collects an image's alt text; writes the image (or its replacement) at its end.
    fn image_event(&mut self, event: Event<'a>) {
        let Some(image) = self.image.as_mut() else {
            return;
        };
        match event {
            Event::Start(Tag::Image { .. }) => image.depth += 1,
            Event::End(TagEnd::Image) if image.depth > 0 => image.depth -= 1,
            Event::End(TagEnd::Image) => {
                if let Some(image) = self.image.take() {
                    self.write_image(image);
                }
            }
            Event::Text(t) | Event::Code(t) | Event::InlineHtml(t) | Event::Html(t) => {
                image.alt.push_str(&t)
            }
            Event::SoftBreak | Event::HardBreak => image.alt.push('\n'),
            _ => {}
        }
    }

    fn write_image(&mut self, image: ImageState) {
        let (alt, removed) = text::strip(&image.alt);
        if removed > 0 {
            self.findings.push(
                Finding::new(FindingKind::InvisibleCharacters)
                    .element("img")
                    .attribute("alt")
                    .range(Some(image.range.clone()))
                    .detail(format!("{removed} characters removed")),
            );
        }
        let title = if image.title.is_empty() {
            String::new()
        } else {
            format!(" title=\"{}\"", escape(&image.title))
        };
        let html = match &image.verdict {
            Verdict::Allow(src) => {
                format!(
                    "<img src=\"{}\" alt=\"{}\"{title}>",
                    escape(src),
                    escape(&alt)
                )
            }
            verdict => {
                self.report(verdict, "img", "src", image.range.clone());
                let shown = display::refused(verdict, self.policy);
                let title = shown
                    .title
                    .map(|t| format!(" title=\"{}\"", escape(&t)))
                    .unwrap_or_default();
                format!(
                    "<span class=\"{}\"{title}>{}</span>",
                    display::BLOCKED_IMAGE_CLASS,
                    escape(&display::blocked_image_text(&alt))
                )
            }
        };
        self.html(html);
    }

    /// GFM's bare-URL autolinks: `https://…` in text becomes a link only where the policy
    /// trusts it; otherwise it stays plain text.
    fn autolink(&mut self, t: CowStr<'a>) {
        let mut pieces: Vec<(usize, usize, String)> = Vec::new();
        let mut from = 0;
        while let Some((start, end)) = find_bare_url(&t, from) {
            if let Verdict::Allow(url) = urls::judge(&t[start..end], Purpose::Link, self.policy) {
                pieces.push((start, end, url));
            }
            from = end;
        }
        if pieces.is_empty() {
            self.out.push(Event::Text(t));
            return;
        }
        let mut last = 0;
        for (start, end, url) in pieces {
            if start > last {
                self.out
                    .push(Event::Text(t[last..start].to_string().into()));
            }
            self.html(format!(
                "<a href=\"{}\" rel=\"{}\" referrerpolicy=\"{}\">",
                escape(&url),
                display::LINK_REL,
                display::LINK_REFERRER_POLICY
            ));
            self.out.push(Event::Text(t[start..end].to_string().into()));
            self.html("</a>".into());
            last = end;
        }
        if last < t.len() {
            self.out.push(Event::Text(t[last..].to_string().into()));
        }
    }
}

pub(crate) fn finding_kind(why: Deny, element: &str) -> FindingKind {
    match why {
        Deny::UnsafeScheme => FindingKind::UnsafeScheme,
        Deny::Invisible => FindingKind::InvisibleCharacters,
        Deny::Invalid => FindingKind::InvalidUrl,
        Deny::Untrusted if element == "img" => FindingKind::BlockedImage,
        Deny::Untrusted => FindingKind::UntrustedLink,
    }
}

fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    // Writing to a String cannot fail.
    let _ = escape_html(&mut out, s);
    out
}

/// Finds the next GFM extended autolink (`http://` or `https://`) in `s` at or after `from`:
/// its byte span.
///
/// This only finds where a candidate starts and ends (GFM's delimiter rules); whether it is a
/// URL at all, and what it points to, is decided by the URL parser in `urls::judge`.
fn find_bare_url(s: &str, mut from: usize) -> Option<(usize, usize)> {
    let bytes = s.as_bytes();
    while let Some(pos) = bytes[from..]
        .windows(4)
        .position(|w| w.eq_ignore_ascii_case(b"http"))
    {
        let start = from + pos;
        from = start + 4;
        let after = &bytes[start..];
        let has = |p: &[u8]| after.len() >= p.len() && after[..p.len()].eq_ignore_ascii_case(p);
        let scheme_len = if has(b"https://") {
            8
        } else if has(b"http://") {
            7
        } else {
            continue;
        };
        // GFM: only at the start, after whitespace, or after `*`, `_`, `~`, `(`.
        if start > 0
            && !matches!(
                bytes[start - 1],
                b' ' | b'\t' | b'\n' | b'\r' | b'*' | b'_' | b'~' | b'('
            )
        {
            continue;
        }
        let mut end = start
            + s[start..]
                .find(|c: char| c.is_whitespace() || c == '<')
                .unwrap_or(s.len() - start);
        // Trailing punctuation is not part of the link; nor is an unbalanced `)`.
        let opens = bytes[start..end].iter().filter(|&&b| b == b'(').count();
        let mut closes = bytes[start..end].iter().filter(|&&b| b == b')').count();
        while end > start {
            match bytes[end - 1] {
                b'?' | b'!' | b'.' | b',' | b':' | b'*' | b'_' | b'~' | b'\'' | b'"' => end -= 1,
                b')' if closes > opens => {
                    closes -= 1;
                    end -= 1
                }
                _ => break,
            }
        }
        if end > start + scheme_len {
            return Some((start, end));
        }
        from = from.max(end);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::find_bare_url;

    #[test]
    fn bare_urls() {
        fn f(s: &str) -> Option<&str> {
            find_bare_url(s, 0).map(|(a, b)| &s[a..b])
        }
        assert_eq!(f("see https://a.example/x."), Some("https://a.example/x"));
        assert_eq!(
            f("(https://a.example/x_(y))"),
            Some("https://a.example/x_(y)")
        );
        assert_eq!(f("(https://a.example/x)"), Some("https://a.example/x"));
        assert_eq!(f("xhttps://a.example/"), None);
        assert_eq!(f("HTTP://A.example/<b>"), Some("HTTP://A.example/"));
        assert_eq!(f("https://"), None);
        assert_eq!(f("no url"), None);
    }
}
