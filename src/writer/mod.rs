//! The HTML writer of judged events: how the markdown stage's output looks as HTML. It receives
//! judged events ([`crate::judged`]) and writes them with the canonical writer
//! ([`crate::canonical::HtmlWriter`]); blocks with raw HTML are written with it in place, grouped by
//! [`crate::group`] for the HTML stage. It decides nothing about the policy.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::Arc;

use pulldown_cmark::{Alignment, Event, Tag, TagEnd};

use crate::canonical::{self, HtmlWriter};
use crate::display;
use crate::group::Grouping;
use crate::html::{self, HtmlStage};
use crate::judge::Judge;
use crate::judged::{Consumer, ImageOut, Judged, LinkEnd, LinkStart};
use crate::report::Finding;

/// The HTML writer of judged events: how each looks as HTML. Blocks with raw HTML are written
/// with it in place, grouped by [`Grouping`] for the HTML stage.
pub(crate) struct HtmlOut {
    /// The output.
    pub(crate) w: HtmlWriter,
    /// The current top-level block's raw HTML.
    pub(crate) grouping: Grouping,
    stage: Arc<HtmlStage>,
    table: Option<TableState>,
    /// Where each open clickable link's `<a>` starts in the output.
    anchors: Vec<usize>,
    /// How many links are open.
    links: usize,
    /// The footnote definition being written: its label, where its HTML starts, its input,
    /// and how much raw HTML its top-level block had before it.
    definition: Option<(String, usize, Range<usize>, usize)>,
    /// Footnote definitions written so far (the first of each label), for the end.
    definitions: HashMap<String, String>,
}

struct TableState {
    aligns: Vec<Alignment>,
    cell: usize,
    in_head: bool,
    body: bool,
}

impl Consumer for HtmlOut {
    fn judged(&mut self, event: Judged<'_>, range: &Range<usize>, findings: &mut Vec<Finding>) {
        match event {
            Judged::Text(t) | Judged::HtmlAsText(t) => self.w.text(t),
            Judged::Code(t) => {
                self.w.start("code", &[]);
                self.w.text(t);
                self.w.end("code");
            }
            Judged::Math { tex, display } => {
                let class = match display {
                    true => "math math-display",
                    false => "math math-inline",
                };
                self.w.start("span", &[("class", class)]);
                self.w.text(tex);
                self.w.end("span");
            }
            Judged::Html { html, inline } => {
                let in_link = self.links > 0;
                let stage = &*self.stage;
                (self.grouping).html(html, inline, in_link, range, &mut self.w, findings, stage);
            }
            Judged::Autolink { href, text, host } => {
                let attrs = [
                    ("href", href),
                    ("rel", display::LINK_REL),
                    ("referrerpolicy", display::LINK_REFERRER_POLICY),
                ];
                self.w.start("a", &attrs);
                self.w.text(text);
                self.w.end("a");
                self.host_label(host.as_deref());
            }
            Judged::CodeBlock(_, class) => {
                self.w.newline();
                self.w.start("pre", &[]);
                match class {
                    Some(class) => self.w.start("code", &[("class", class)]),
                    None => self.w.start("code", &[]),
                }
            }
            Judged::Container(tag, shown) => self.container(tag, shown),
            Judged::ContainerEnd(tag, shown) => {
                if shown {
                    self.block_end(match tag {
                        TagEnd::Item => "li",
                        TagEnd::List(true) => "ol",
                        TagEnd::List(false) => "ul",
                        _ => "blockquote",
                    });
                }
            }
            Judged::Link(start) => self.link(start),
            Judged::LinkEnd(end) => self.link_end(end, findings),
            Judged::Image(image) => self.image(&image.out),
            Judged::FootnoteReference { number, link, .. } => {
                self.w
                    .start("sup", &[("class", display::FOOTNOTE_REFERENCE_CLASS)]);
                match link {
                    Some((href, id)) => {
                        let mut attrs = vec![("href", href)];
                        attrs.extend(id.map(|id| ("id", id)));
                        self.w.start("a", &attrs);
                        self.w.text(&number.to_string());
                        self.w.end("a");
                    }
                    None => self.w.text(&number.to_string()),
                }
                self.w.end("sup");
            }
            Judged::Event(event) => self.event(event, range, findings),
            Judged::Flattened => {}
        }
    }
}

impl HtmlOut {
    pub(crate) fn new(stage: Arc<HtmlStage>) -> HtmlOut {
        HtmlOut {
            w: HtmlWriter::default(),
            grouping: Grouping::default(),
            stage,
            table: None,
            anchors: Vec::new(),
            links: 0,
            definition: None,
            definitions: HashMap::new(),
        }
    }

    /// A block-level start tag on a line of its own, as pulldown-cmark writes it.
    fn block_start(&mut self, tag: &str, attrs: &[(&str, &str)]) {
        self.w.newline();
        self.w.start(tag, attrs);
    }

    fn block_end(&mut self, tag: &str) {
        self.w.end(tag);
        self.w.text("\n");
    }

    fn container(&mut self, tag: &Tag<'_>, shown: bool) {
        if !shown {
            return;
        }
        match tag {
            Tag::Item => return self.block_start("li", &[]),
            Tag::List(Some(1)) => self.block_start("ol", &[]),
            Tag::List(Some(start)) => self.block_start("ol", &[("start", &start.to_string())]),
            Tag::List(None) => self.block_start("ul", &[]),
            _ => self.block_start("blockquote", &[]),
        }
        self.w.text("\n");
    }

    fn link(&mut self, start: &LinkStart) {
        self.links += 1;
        match start {
            LinkStart::Clickable {
                href,
                title,
                external,
            } => {
                let mut attrs: Vec<(&str, &str)> = vec![("href", href)];
                if !title.is_empty() {
                    attrs.push(("title", title));
                }
                if *external {
                    attrs.push(("rel", display::LINK_REL));
                    attrs.push(("referrerpolicy", display::LINK_REFERRER_POLICY));
                }
                let at = self.w.len();
                self.anchors.push(at);
                self.w.start("a", &attrs);
            }
            LinkStart::Inert { .. } => {}
            LinkStart::Refused { shown, .. } => {
                let mut attrs = vec![("class", display::UNTRUSTED_LINK_CLASS)];
                if let Some(t) = &shown.title {
                    attrs.push(("title", t));
                }
                if let Some(u) = &shown.confirm {
                    attrs.push((display::CONFIRM_HREF_ATTRIBUTE, u));
                }
                self.w.start("span", &attrs);
            }
        }
    }

    fn link_end(&mut self, end: LinkEnd, findings: &mut Vec<Finding>) {
        self.links = self.links.saturating_sub(1);
        match end {
            LinkEnd::Clickable(check) => {
                self.w.end("a");
                let start = self.anchors.pop().unwrap_or(0);
                // Raw HTML in the link may hide some of its text: what a reader sees is read
                // from the link as written, as the HTML stage reads it.
                let written = &self.w.written()[start..];
                let host = check.real_host(|| html::link_views_of(written), findings);
                self.host_label(host.as_deref());
            }
            LinkEnd::Inert => {}
            LinkEnd::Refused(suffix) => {
                self.w.end("span");
                if let Some(suffix) = suffix {
                    self.w.start("span", &[("class", display::LINK_HOST_CLASS)]);
                    self.w.text(&suffix);
                    self.w.end("span");
                }
            }
        }
    }

    /// The real host shown after a link whose text reads as another.
    fn host_label(&mut self, host: Option<&str>) {
        if let Some(host) = host {
            self.w.start("span", &[("class", display::LINK_HOST_CLASS)]);
            self.w.text(&display::host_suffix(host));
            self.w.end("span");
        }
    }

    fn image(&mut self, image: &ImageOut) {
        match image {
            ImageOut::Shown { src, alt, title } => {
                let mut attrs = vec![("src", src.as_str()), ("alt", alt)];
                if !title.is_empty() {
                    attrs.push(("title", title));
                }
                self.w.start("img", &attrs);
            }
            ImageOut::Blocked { title, text } => {
                let mut attrs = vec![("class", display::BLOCKED_IMAGE_CLASS)];
                if let Some(t) = title {
                    attrs.push(("title", t));
                }
                self.w.start("span", &attrs);
                self.w.text(text);
                self.w.end("span");
            }
        }
    }

    /// Structure with nothing judged.
    fn event(&mut self, event: &Event<'_>, range: &Range<usize>, findings: &mut Vec<Finding>) {
        match event {
            Event::SoftBreak => self.w.text("\n"),
            Event::HardBreak => {
                self.w.start("br", &[]);
                self.w.text("\n");
            }
            Event::Rule => {
                self.block_start("hr", &[]);
                self.w.text("\n");
            }
            Event::TaskListMarker(checked) => {
                let mut attrs = vec![("disabled", ""), ("type", "checkbox")];
                if *checked {
                    attrs.push(("checked", ""));
                }
                self.w.start("input", &attrs);
                self.w.text("\n");
            }
            Event::Start(tag) => self.start(tag, range),
            Event::End(tag) => self.end(*tag, findings),
            _ => {}
        }
    }

    fn start(&mut self, tag: &Tag<'_>, range: &Range<usize>) {
        match tag {
            Tag::Paragraph => self.block_start("p", &[]),
            Tag::Heading { level, .. } => self.block_start(heading(*level as usize), &[]),
            Tag::Emphasis => self.w.start("em", &[]),
            Tag::Strong => self.w.start("strong", &[]),
            Tag::Strikethrough => self.w.start("del", &[]),
            Tag::FootnoteDefinition(label) => {
                // Written aside and placed at the end, in the footnotes section.
                self.grouping.abort_span();
                self.w.newline();
                let raw_before = self.grouping.raw_len();
                let at = self.w.len();
                self.definition = Some((label.to_string(), at, range.clone(), raw_before));
            }
            Tag::Table(aligns) => {
                self.table = Some(TableState {
                    aligns: aligns.clone(),
                    cell: 0,
                    in_head: false,
                    body: false,
                });
                self.block_start("table", &[]);
            }
            Tag::TableHead => {
                if let Some(t) = &mut self.table {
                    t.in_head = true;
                    t.cell = 0;
                }
                self.w.start("thead", &[]);
                self.w.start("tr", &[]);
            }
            Tag::TableRow => {
                if let Some(t) = &mut self.table {
                    t.cell = 0;
                    if !t.body {
                        t.body = true;
                        self.w.start("tbody", &[]);
                    }
                }
                self.w.start("tr", &[]);
            }
            Tag::TableCell => {
                let (tag, align) = match &self.table {
                    Some(t) => (
                        if t.in_head { "th" } else { "td" },
                        t.aligns.get(t.cell).copied().unwrap_or(Alignment::None),
                    ),
                    None => ("td", Alignment::None),
                };
                let align = match align {
                    Alignment::Left => Some("left"),
                    Alignment::Center => Some("center"),
                    Alignment::Right => Some("right"),
                    Alignment::None => None,
                };
                match align {
                    Some(a) => self.w.start(tag, &[("align", a)]),
                    None => self.w.start(tag, &[]),
                }
            }
            _ => {}
        }
    }

    fn end(&mut self, tag: TagEnd, findings: &mut Vec<Finding>) {
        match tag {
            TagEnd::Paragraph => self.block_end("p"),
            TagEnd::Heading(level) => self.block_end(heading(level as usize)),
            TagEnd::Emphasis => self.w.end("em"),
            TagEnd::Strong => self.w.end("strong"),
            TagEnd::Strikethrough => self.w.end("del"),
            TagEnd::CodeBlock => {
                self.w.end("code");
                self.block_end("pre");
            }
            TagEnd::FootnoteDefinition => self.end_definition(findings),
            TagEnd::Table => {
                if self.table.take().is_some_and(|t| t.body) {
                    self.w.end("tbody");
                }
                self.block_end("table");
            }
            TagEnd::TableHead => {
                if let Some(t) = &mut self.table {
                    t.in_head = false;
                }
                self.w.end("tr");
                self.w.end("thead");
            }
            TagEnd::TableRow => self.w.end("tr"),
            TagEnd::TableCell => {
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
                self.w.end(tag);
            }
            _ => {}
        }
    }

    /// Takes the footnote definition just written out of the output, sanitized on its own if
    /// it holds raw HTML (so no block group spans it), for [`HtmlOut::write_footnotes`]. Raw
    /// HTML of its block from before it (a definition can stand in a block quote) stays with
    /// that block, for its group.
    fn end_definition(&mut self, findings: &mut Vec<Finding>) {
        let Some((label, start, range, raw_before)) = self.definition.take() else {
            return;
        };
        self.grouping.abort_span();
        let mut body = self.w.split_off(start);
        if self.grouping.take_raw_after(raw_before) {
            let mut found = Vec::new();
            body = self.stage.sanitize(&body, &mut found);
            for mut f in found {
                f.range.get_or_insert_with(|| range.clone().into());
                findings.push(f);
            }
        }
        self.definitions.entry(label).or_insert(body);
    }

    /// GitHub's footnotes section, as `judge` resolves it: every referenced definition, in
    /// order of first reference, each with a link back to that reference.
    pub(crate) fn write_footnotes(&mut self, judge: &Judge, findings: &mut Vec<Finding>) {
        let notes = judge.notes(std::mem::take(&mut self.definitions), findings);
        if notes.is_empty() {
            return;
        }
        let mut out = String::from("<section class=\"");
        out.push_str(display::FOOTNOTES_CLASS);
        out.push_str("\">\n<ol>\n");
        for note in &notes {
            let mut item = HtmlWriter::default();
            item.start("li", &[("id", &note.id)]);
            out.push_str(item.written());
            out.push('\n');
            let mut back = HtmlWriter::default();
            if let Some(href) = &note.backref {
                back.start(
                    "a",
                    &[("href", href), ("class", display::FOOTNOTE_BACKREF_CLASS)],
                );
                back.text("\u{21A9}");
                back.end("a");
            }
            let body = note.body.trim_start_matches('\n');
            let back = back.written();
            match body.strip_suffix("</p>\n").filter(|_| !back.is_empty()) {
                Some(para) => {
                    out.push_str(para);
                    // The space joins the paragraph's last text node: cut where the HTML
                    // stage would cut the two.
                    if canonical::needs_cut_before(para, " ") {
                        out.push_str("<wbr>");
                    }
                    out.push(' ');
                    out.push_str(back);
                    out.push_str("</p>\n");
                }
                None => {
                    out.push_str(body);
                    if !body.is_empty() && !body.ends_with('\n') {
                        out.push('\n');
                    }
                    if !back.is_empty() {
                        out.push_str(back);
                        out.push('\n');
                    }
                }
            }
            out.push_str("</li>\n");
        }
        out.push_str("</ol>\n</section>\n");
        self.w.newline();
        self.w.raw(&out);
    }
}

fn heading(level: usize) -> &'static str {
    ["h1", "h2", "h3", "h4", "h5", "h6"][level.clamp(1, 6) - 1]
}
