//! The stable part of the tail's last block (see `crate::tail`): what it is, how the tail is
//! rendered around it, and how it moves on as the block grows.

use std::ops::Range;

use super::settled::{
    settled_fence, settled_list, settled_paragraph, settled_quote, settled_table,
};
use super::{establish, Region, Rendered, TOKEN};
use crate::heal::{definition_line, find_ascii, has_pair, heal_closing, rfind_lf};
use crate::markdown::bare_cr_as_lf;

/// The rest's length below which the cut is not moved on after it moved: a try parses and
/// renders the rest once more, which a rest this short costs about as much as it saves (the
/// 20 KB benchmark answer: 1% fewer instructions with 32 than with none; with 128, 0.1% more).
const REST_BEFORE_CUT: usize = 32;

/// The stable part of the tail's last block.
pub(super) struct Stable {
    /// The tail region it was found for.
    pub(super) from: usize,
    /// The HTML of the blocks between `from` and `block`.
    pub(super) before: String,
    /// Whether those blocks end in a block group (raw HTML), which the last block's own raw
    /// HTML could join or close: while the rest has raw HTML that is not all in inline spans
    /// sanitized where they stand (`Ending::grouped`), the tail is rendered whole.
    pub(super) group_before: bool,
    /// Whether the last block starts with a line feed after them: a sanitized group that left
    /// an element open is written again block by block, and the last block starts on a new
    /// line unless the block before ended with one (see `GroupEnd::Open`).
    pub(super) line_feed: bool,
    /// Where the last block starts.
    pub(super) block: usize,
    pub(super) shape: Shape,
    /// `block..cut` is stable.
    pub(super) cut: usize,
    /// The HTML of `block..cut`, inside the block's element.
    pub(super) inner: String,
    /// The input length from which a later cut is looked for.
    pub(super) next_try: usize,
    /// Whether the blocks before, or the stable part, use a reference that a later
    /// definition may define (a `[`: a reference, a footnote reference): then a `]:` after
    /// them, in the stable part (`defined`) or the rest, renders the tail whole.
    pub(super) uses: bool,
    /// Whether the stable part has a `]:`.
    pub(super) defined: bool,
    /// What the tail in the cache starts with, of what this stable part renders: kept, not
    /// written again, when the tail is rendered again.
    pub(super) written: Option<Written>,
}

/// What the tail in the cache starts with (see `Stable::written`): the first `before` bytes
/// of `Stable::before`, then, with `around`, the rest of it, the line feed (or not) and the
/// HTML before the token, and the first bytes of `Stable::inner`. Both only grow while the
/// stable part lasts (its cut moves on; a roll appends the ended block's HTML to `before`),
/// so what was written of them stays what the next render writes.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(super) struct Written {
    before: usize,
    around: Option<(bool, String, usize)>,
}

impl Written {
    /// Its length in bytes.
    fn len(&self) -> usize {
        self.before
            + self
                .around
                .as_ref()
                .map_or(0, |(lf, head, inner)| usize::from(*lf) + head.len() + inner)
    }

    /// After text was written into the tail at `at`: what is left of it before `at`.
    pub(super) fn cut_at(&mut self, at: usize) {
        if at < self.len() {
            self.around = None;
            self.before = self.before.min(at);
        }
    }
}

/// A tail a stable part rendered: the blocks before, a line feed or not, the rest's HTML
/// before the token (all of it without a token), the stable part (with a token), and the
/// rest's HTML after the token; leading line feeds are not shown.
pub(super) struct Drawn {
    /// The shape the block has now, when nothing of it was kept yet and it has changed (see
    /// [`Stable::reshape`]).
    pub(super) reshaped: Option<Shape>,
    line_feed: bool,
    head: String,
    token: bool,
    after: String,
    /// What it was rendered from (`html` empty: the pieces are the HTML).
    rendered: Rendered,
}

/// What a stable part's render gave ([`Stable::render`]).
pub(super) enum Render {
    /// The tail in pieces around the stable part.
    Drawn(Drawn),
    /// The tail rendered whole (the rest's raw HTML may join a group before).
    Whole(Rendered),
}

#[derive(Clone, PartialEq, Eq)]
pub(super) enum Shape {
    Paragraph,
    /// The fence's opening line, with its line feed.
    Fence(String),
    /// The first item's marker (`-`, `1.`, `3)`).
    List(String),
    /// A loose list (its items' paragraphs are `<p>` elements), by its first item's marker.
    LooseList(String),
    /// A table's header and delimiter rows, with their line feeds.
    Table(String),
    /// A block quote of paragraphs: its text, as a paragraph's, across its paragraphs.
    Quote,
}

impl Shape {
    /// What stands before the rest in the text rendered on each push.
    fn context(&self, token: bool) -> String {
        match (self, token) {
            (_, false) => String::new(),
            (Shape::Paragraph, true) => [TOKEN, " "].concat(),
            (Shape::Fence(opening), true) => [opening, TOKEN, "\n"].concat(),
            (Shape::List(marker), true) => [marker, " ", TOKEN, "\n"].concat(),
            // The blank line keeps the list loose, as the items kept made it.
            (Shape::LooseList(marker), true) => [marker, " ", TOKEN, "\n\n"].concat(),
            (Shape::Table(head), true) => [head, "| ", TOKEN, " |\n"].concat(),
            (Shape::Quote, true) => ["> ", TOKEN, " "].concat(),
        }
    }

    /// Where the token is in `html`, the output: what it became there, to be replaced by the
    /// stable part's HTML. A table's token is its row, whose cells carry the columns'
    /// alignment: the row around the first token, made of cells that are empty but its first.
    fn marker(&self, html: &str) -> Option<Range<usize>> {
        // What the token became, as the HTML before it and after it.
        let (before, after) = match self {
            Shape::Paragraph => ("", ""),
            // The token must be the first text of the quote's first paragraph: the stable part
            // may end one paragraph and begin another (`a</p>\n<p>b`), which only a
            // paragraph's text can hold (a setext underline or a table's delimiter row
            // arriving makes the token's line a heading or a header row).
            Shape::Quote => {
                let at = token_from(html, 0)?;
                let before = html[..at].trim_start_matches('\n');
                return matches!(before, "" | "<blockquote>\n<p>").then_some(at..at + TOKEN.len());
            }
            Shape::Fence(_) => ("", "\n"),
            Shape::List(_) => ("<li>", "</li>\n"),
            Shape::LooseList(_) => ("<li>\n<p>", "</p>\n</li>\n"),
            Shape::Table(_) => {
                let at = token_from(html, 0)?;
                let start = html[..at].rfind("<tr>")?;
                let end = at + html[at..].find("</tr>")? + "</tr>".len();
                let row = &html[start..end];
                let first = row.strip_prefix("<tr><td")?;
                let token = token_from(first, 0)?;
                let cells = &first[token + TOKEN.len()..];
                let empty = cells
                    .strip_prefix("</td>")?
                    .strip_suffix("</tr>")?
                    .split("</td>")
                    .all(|cell| {
                        cell.is_empty() || (cell.starts_with("<td") && cell.ends_with('>'))
                    });
                let plain = first[..token].bytes().all(|b| b != b'<');
                return (empty && plain).then_some(start..end);
            }
        };
        // The first token with that HTML around it (`html.find` of the three joined).
        let mut from = 0;
        loop {
            let at = token_from(html, from)?;
            let end = at + TOKEN.len();
            if html[..at].ends_with(before) && html[end..].starts_with(after) {
                return Some(at - before.len()..end + after.len());
            }
            from = end;
        }
    }
}

impl Stable {
    /// Whether the token stands for something yet.
    fn token(&self) -> bool {
        self.cut > self.block
    }

    /// The tail: the blocks before, the stable part, the rest rendered after the token.
    /// `None` when the output is not the one the token promised.
    pub(super) fn render(&self, region: &Region<'_>, work: &mut usize) -> Option<Render> {
        if self.uses && (self.defined || has_pair(&region.input[self.cut..], b"]:")) {
            // A definition may be arriving for a reference before: they are rendered again.
            return None;
        }
        let rest = bare_cr_as_lf(&region.input[self.cut..]);
        let source = [&self.shape.context(self.token()), &*rest].concat();
        let (healed, closing) = heal_closing(&source, region.renderer.math(), work);
        let kept = !healed.trim_matches([' ', '\t', '\n', '\r']).is_empty()
            && healed.starts_with(source.trim_end());
        let unchanged = kept && healed.trim_end() == source.trim_end();
        let mut drawn = Drawn {
            reshaped: None,
            line_feed: false,
            head: String::new(),
            token: false,
            after: String::new(),
            rendered: Rendered::default(),
        };
        if !healed.trim_matches([' ', '\t', '\n', '\r']).is_empty() {
            let (mut out, ending) = region.render_to_end(&healed, &source, true, work);
            drawn.rendered.raw_html = ending.raw_html;
            if self.group_before && ending.grouped {
                // Its raw HTML may join or close the group before it (raw HTML all in inline
                // spans sanitized where they stand does neither: see `Ending::grouped`).
                return Some(Render::Whole(region.whole_kept(work)));
            }
            drawn.line_feed = self.line_feed && !self.before.is_empty() && out.starts_with('<');
            // A block of which nothing is kept yet may have changed shape (a paragraph became
            // a table, a tight list a loose one).
            drawn.reshaped = self.reshaped(&out);
            if self.token() {
                let marker = self.shape.marker(&out)?;
                let at = marker.start;
                // After the token, the rest's first line starts a paragraph, and may head a
                // table (`a\nb | c` then `|---|---`): in the paragraph it goes on, a line
                // after its first heads none.
                let table = matches!(self.shape, Shape::Paragraph) && out[..at].contains("<table");
                let twice = token_from(&out, 0)
                    .is_some_and(|first| token_from(&out, first + TOKEN.len()).is_some());
                if table || twice {
                    return None;
                }
                drawn.after = out.split_off(marker.end);
                out.truncate(at);
                drawn.token = true;
            }
            drawn.head = out;
        }
        drawn.rendered.fence = matches!(&self.shape, Shape::Fence(opening) if !opening.starts_with(' '))
            && !rest.contains(['`', '~']);
        drawn.rendered.kept = kept;
        drawn.rendered.unchanged = unchanged;
        drawn.rendered.closing = closing;
        drawn.rendered.healed = healed.into_owned();
        drawn.rendered.source = source;
        Some(Render::Drawn(drawn))
    }

    /// The pieces of `drawn`, in order.
    fn pieces<'s>(&'s self, drawn: &'s Drawn) -> [&'s str; 5] {
        let line_feed = if drawn.line_feed { "\n" } else { "" };
        let inner = if drawn.token { self.inner.as_str() } else { "" };
        [&self.before, line_feed, &drawn.head, inner, &drawn.after]
    }

    /// How many bytes `drawn` starts with that the tail in the cache starts with too
    /// ([`Written`]).
    fn known(&self, drawn: &Drawn) -> usize {
        let Some(written) = &self.written else {
            return 0;
        };
        match &written.around {
            Some((line_feed, head, inner))
                if written.before == self.before.len()
                    && drawn.token
                    && *line_feed == drawn.line_feed
                    && *head == drawn.head
                    && *inner <= self.inner.len() =>
            {
                written.len()
            }
            _ => written.before,
        }
    }

    /// What the tail in the cache starts with once it is `drawn`, when leading line feeds
    /// take nothing from it.
    fn written_for(&self, drawn: &Drawn) -> Written {
        Written {
            before: self.before.len(),
            around: drawn
                .token
                .then(|| (drawn.line_feed, drawn.head.clone(), self.inner.len())),
        }
    }

    /// Makes `tail`, the tail in the cache, the one `drawn` is, writing only what follows
    /// the part of it that stays ([`Written`]). Returns it with what it was rendered from,
    /// how many bytes of the tail before it stay, and the bytes that went.
    pub(super) fn assemble(&mut self, drawn: Drawn, mut tail: String) -> (Rendered, usize, String) {
        let pieces = self.pieces(&drawn);
        let feeds = leading_line_feeds(&pieces);
        let mut known = match feeds {
            0 => self.known(&drawn),
            _ => 0,
        };
        if known > tail.len() || !tail.is_char_boundary(known) {
            known = 0;
        }
        let mut removed = tail.split_off(known);
        let rest = match skipped(pieces, known.max(feeds)) {
            Some(rest) => rest,
            None => {
                // Not where the pieces' characters start: written whole (never expected).
                removed.insert_str(0, &tail);
                tail.clear();
                known = 0;
                skipped(pieces, feeds).unwrap_or_default()
            }
        };
        rest.iter().for_each(|piece| tail.push_str(piece));
        // Before `closed`: the blocks before, and the kept part, whose elements are closed,
        // after the fence's `<pre><code>` for a fence.
        let closed = match drawn.token {
            true => pieces[..4].iter().map(|p| p.len()).sum::<usize>(),
            false => pieces[..2].iter().map(|p| p.len()).sum(),
        };
        let same = common_prefix(&removed, &tail[known..]);
        removed.drain(..same);
        self.written = (feeds == 0).then(|| self.written_for(&drawn));
        let rendered = Rendered {
            html: tail,
            closed: (
                closed.saturating_sub(feeds),
                drawn.token && matches!(self.shape, Shape::Fence(_)),
            ),
            ..drawn.rendered
        };
        (rendered, known + same, removed)
    }

    /// Is `tail` the tail `drawn` is? Compared after what the two are known to share.
    fn draws(&self, drawn: &Drawn, tail: &str) -> bool {
        let pieces = self.pieces(drawn);
        let feeds = leading_line_feeds(&pieces);
        let known = match feeds {
            0 => self.known(drawn).min(tail.len()),
            _ => 0,
        };
        let total: usize = pieces.iter().map(|p| p.len()).sum();
        if total - feeds != tail.len() {
            return false;
        }
        let Some(rest) = skipped(pieces, known.max(feeds)) else {
            return false;
        };
        let mut at = known.max(feeds) - feeds;
        for piece in rest {
            if tail.as_bytes()[at..at + piece.len()] != *piece.as_bytes() {
                return false;
            }
            at += piece.len();
        }
        true
    }

    /// When the last block has ended and another has started after it: the stable part of
    /// the new last block, with the HTML of the blocks from the ended one on moved into
    /// `before`. Found from the ended block on, not from the region's start, so that a region
    /// that keeps many blocks (every block after a citation `[1]`, or inside an open
    /// `<details>`) costs each block once; kept only when the tail it renders is the tail just
    /// `shown`, and never across raw HTML that a block group before or after it joins.
    pub(super) fn roll(
        &mut self,
        region: &Region<'_>,
        shown: &str,
        work: &mut usize,
    ) -> Option<Stable> {
        let ended = Region {
            from: self.block,
            ..*region
        };
        let next = establish(&ended, &mut None, work).ok()?;
        if next.block <= self.block {
            return None;
        }
        let raw = region.input[self.block..next.block].contains('<');
        if raw && (self.group_before || next.group_before) {
            return None;
        }
        // Moved, not copied: the blocks before may be most of the region.
        let mut before = std::mem::take(&mut self.before);
        let kept = before.len();
        if self.line_feed && !before.is_empty() && next.before.starts_with('<') {
            before.push('\n');
        }
        before.push_str(&next.before);
        // The last block starts on a line of its own after an open group: the blocks rolled
        // into `before` may have ended the line already.
        let line_feed = self.line_feed && !before.ends_with('\n');
        let rolled = Stable {
            from: region.from,
            before,
            group_before: self.group_before,
            line_feed,
            uses: self.uses || next.uses,
            // The tail shown starts with the blocks before it (when it starts with them).
            written: self.written.as_ref().map(|w| Written {
                before: w.before.min(kept),
                around: None,
            }),
            ..next
        };
        let same = match rolled.render(region, work) {
            Some(Render::Drawn(drawn)) if rolled.draws(&drawn, shown) => Some(drawn),
            _ => None,
        };
        match same {
            Some(drawn) => {
                let written = Some(rolled.written_for(&drawn));
                let leading = leading_line_feeds(&rolled.pieces(&drawn)) > 0;
                Some(Stable {
                    written: written.filter(|_| !leading),
                    ..rolled
                })
            }
            None => {
                let mut before = rolled.before;
                before.truncate(kept);
                self.before = before;
                None
            }
        }
    }

    /// The shape of the block that `html` (its render when nothing of it is kept) shows, when
    /// it is not the shape it had: a paragraph whose first line became a table's header (its
    /// delimiter row arrived), a tight list that became loose (its first item's text is a
    /// `<p>` now).
    fn reshaped(&self, html: &str) -> Option<Shape> {
        if self.token() {
            return None;
        }
        let html = html.trim_start_matches('\n');
        match &self.shape {
            // Its head is read from its input (see `Stable::reshape`).
            Shape::Paragraph if html.starts_with("<table") => Some(Shape::Table(String::new())),
            // A first line of backticks or tildes became a fence's opening once its line
            // ended (`` ``` `` then `rust` and a line feed): read from its input too.
            Shape::Paragraph if html.starts_with("<pre><code") => Some(Shape::Fence(String::new())),
            Shape::List(marker) => {
                let items = &html[html.find('\n')? + 1..];
                (html.starts_with("<ul>") || html.starts_with("<ol"))
                    .then_some(())
                    .filter(|()| items.starts_with("<li>\n<p>"))
                    .map(|()| Shape::LooseList(marker.clone()))
            }
            _ => None,
        }
    }

    /// The block is of `shape` from now on (see [`Stable::reshaped`]): rendered as before
    /// (nothing of it is kept yet), its rows or items are kept as they complete. A table once
    /// its header and delimiter rows are complete.
    pub(super) fn reshape(&mut self, region: &Region<'_>, shape: Shape) {
        self.shape = match shape {
            Shape::Table(_) => match super::table_head(&region.input[self.block..]) {
                Some(head) => Shape::Table(head),
                None => return,
            },
            // Kept from its first line of code on, as `establish` keeps a fence it finds.
            Shape::Fence(_) => {
                let Some(opening) = super::fence_opening(&region.input[self.block..]) else {
                    return;
                };
                if !opening.trim_start_matches(' ').starts_with(['`', '~']) {
                    return;
                }
                self.cut = self.block + opening.len();
                Shape::Fence(opening.to_string())
            }
            shape => shape,
        };
        self.next_try = 0;
    }

    /// Whether a block may have begun after the last one in `rest`: a line after a blank line
    /// (see [`Stable::roll`]). In a loose list, a blank line is followed by more of the list,
    /// an indented line or the next item: only another line begins another block. (Rolled on
    /// every blank line, each try read the list from its start.)
    pub(super) fn block_may_follow(&self, rest: &str) -> bool {
        let rest = rest.trim_end();
        let Shape::LooseList(marker) = &self.shape else {
            return super::has_blank_line(rest);
        };
        let mut after_blank = false;
        for line in rest.split('\n') {
            let blank = crate::heal::blank(line);
            // An item's marker may still be arriving (`-`, `12`).
            let item = sibling(line, marker) || super::marker_arriving(line);
            if after_blank && !blank && !line.starts_with([' ', '\t']) && !item {
                return true;
            }
            after_blank = blank;
        }
        false
    }

    /// Moves the cut as far as the rest allows, and says when to try again: on the next
    /// render (once the rest is [`REST_BEFORE_CUT`] bytes long, after a move), unless a cut
    /// was found that the parse does not settle (then once the rest has grown by an eighth).
    /// A try costs at most what the render it follows cost, and a cut made early keeps every
    /// later render of the rest short (a list's complete items, a paragraph's closed words).
    /// Returns whether it moved.
    pub(super) fn advance(&mut self, region: &Region<'_>, work: &mut usize) -> bool {
        let rest = &region.input[self.cut..];
        let mut moved = false;
        let mut failed = false;
        // A cut on a line without a letter yet may be before content that makes the line a
        // block marker (`1. ` then text interrupts the paragraph). A cut on a line that starts
        // as a definition does (`[r]: `) would keep what healing hides while that line is the
        // last (a destination may be arriving; see `heal`).
        // (In a quote, a line that starts as a definition after its `> ` holds a `[`, which
        // no stable part does.)
        let line_may_cut = |at: usize| {
            let before = &region.input[..self.cut + at];
            let line = &before[rfind_lf(before).map_or(0, |i| i + 1)..];
            line.chars().any(char::is_alphabetic) && !definition_line(line)
        };
        let text = matches!(self.shape, Shape::Paragraph | Shape::Quote);
        let cut = |rest: &str| self.next_cut(rest).filter(|&at| !text || line_may_cut(at));
        // The last place may be on a line without a letter before it yet (`> l`, a quote's
        // next line; renders that come only as lines begin would never cut): then the last
        // one before that line.
        let at = cut(rest).or_else(|| cut(&rest[..rfind_lf(rest).filter(|_| text)?]));
        if let Some(at) = at {
            let mid = bare_cr_as_lf(&rest[..at]);
            if let Some(piece) = self.stable_html(region, &mid, work) {
                self.inner.push_str(&piece);
                // Rendered on its own: a definition after it would make its `[^1]` or `[r]`
                // a footnote or a link, which the whole render shows.
                self.uses |= mid.contains('[');
                self.defined |= mid.contains("]:");
                self.cut += at;
                moved = true;
            } else {
                failed = true;
            }
        }
        let left = region.input.len() - self.cut;
        self.next_try = match (failed, moved) {
            (true, _) => region.input.len() + 8 + left / 8,
            (false, true) => (region.input.len() + 1).max(self.cut + REST_BEFORE_CUT),
            (false, false) => region.input.len() + 1,
        };
        moved
    }

    /// The last place in `rest` where a cut may go.
    fn next_cut(&self, rest: &str) -> Option<usize> {
        let b = rest.as_bytes();
        match &self.shape {
            // After a single space, before a word.
            // The last one before which brackets and code spans look closed (the parse
            // decides).
            Shape::Paragraph | Shape::Quote => {
                // One pass: what the text before each place holds (asked of every place, a
                // search of the text before it would cost the square of the rest).
                let mut before = Brackets::default();
                let mut last = None;
                for j in 0..b.len() {
                    if j >= 2
                        && b[j - 1] == b' '
                        // A vertical tab before it is whitespace the paragraph's end drops.
                        && !(b[j - 2].is_ascii_whitespace() || b[j - 2] == 0x0B)
                        && !b[j].is_ascii_whitespace()
                        && before.look_closed()
                    {
                        last = Some(j);
                    }
                    before.read(b[j], j);
                }
                last
            }
            // After a complete line.
            Shape::Fence(_) => rfind_lf(rest).map(|i| i + 1),
            // After a complete row: past the header and the delimiter row, and a row, at first
            // (a table without a row has no body).
            Shape::Table(head) => {
                let at = rfind_lf(rest)? + 1;
                (self.token() || at > head.len()).then_some(at)
            }
            // Before a line that starts an item of the same list: in a tight list after no
            // blank line (a line of spaces is one: `- a\n  \n- b` is a loose list); in a loose
            // list after one too, but not before an empty item after a line of text, which
            // it cannot interrupt (`- a` then `- `: a lazy line of the paragraph), where the
            // blank line after the token would let it start an item.
            Shape::List(marker) | Shape::LooseList(marker) => {
                let loose = matches!(self.shape, Shape::LooseList(_));
                let mut at = None;
                for (i, _) in rest.match_indices('\n') {
                    let line = &rest[i + 1..];
                    let blank_before = super::blank_line_at_end(&rest[..=i]);
                    let cut = match loose {
                        true => blank_before || has_content(line),
                        false => !blank_before,
                    };
                    if sibling(line, marker) && cut {
                        at = Some(i + 1);
                    }
                }
                at
            }
        }
    }

    /// The HTML of `mid` (what follows the cut) inside the block's element, if nothing after
    /// it can change it.
    fn stable_html(&self, region: &Region<'_>, mid: &str, work: &mut usize) -> Option<String> {
        let context = self.shape.context(self.token());
        let source = [&context, mid].concat();
        let text = [region.prelude, &source].concat();
        let events = region.events(&text, work);
        let settled = match &self.shape {
            Shape::Paragraph => {
                settled_paragraph(&events, &source, context.len(), region.renderer.math())
            }
            Shape::Fence(_) => settled_fence(&events, &source),
            Shape::List(_) => settled_list(&events, &source, false),
            Shape::LooseList(_) => settled_list(&events, &source, true),
            Shape::Table(_) => settled_table(&events, &source),
            Shape::Quote => settled_quote(&events, &source, context.len(), region.renderer.math()),
        };
        if !settled {
            return None;
        }
        let html = region.render_events(&text, events, work);
        let html = html.trim_end_matches('\n');
        let inside = match &self.shape {
            Shape::Paragraph => html.strip_prefix("<p>")?.strip_suffix("</p>")?,
            Shape::Fence(_) => {
                let start = html.find('>')? + 1;
                let start = start + html[start..].find('>')? + 1;
                html[start..].strip_suffix("</code></pre>")?
            }
            Shape::List(_) | Shape::LooseList(_) => {
                let start = html.find('\n')? + 1;
                let inside = html[start..]
                    .strip_suffix("</ul>")
                    .or_else(|| html[start..].strip_suffix("</ol>"))?;
                inside
            }
            Shape::Table(_) => {
                let start = html.find("<tbody>")? + "<tbody>".len();
                html[start..].strip_suffix("</tbody></table>")?
            }
            // Its paragraphs' HTML without the first's start tag and the last's end tag.
            Shape::Quote => html
                .strip_prefix("<blockquote>\n<p>")?
                .strip_suffix("</p>\n</blockquote>")?,
        };
        if !self.token() {
            return Some(inside.to_string());
        }
        let marker = self.shape.marker(inside).filter(|m| m.start == 0)?;
        Some(inside[marker.end..].to_string())
    }
}

/// The brackets and backticks of a text read so far (see [`Brackets::look_closed`]).
#[derive(Default)]
struct Brackets {
    open: Option<usize>,
    close: Option<usize>,
    backticks: usize,
}

impl Brackets {
    /// Reads the byte at `at`.
    fn read(&mut self, byte: u8, at: usize) {
        match byte {
            b'[' => self.open = Some(at),
            b']' => self.close = Some(at),
            b'`' => self.backticks += 1,
            _ => {}
        }
    }

    /// No `[` after the last `]`, an even number of backticks.
    fn look_closed(&self) -> bool {
        self.open.is_none_or(|o| self.close.is_some_and(|c| c > o)) && self.backticks % 2 == 0
    }
}

/// Does `line` start an item of the list whose first marker is `marker`?
fn sibling(line: &str, marker: &str) -> bool {
    let delimiter = marker.as_bytes()[marker.len() - 1];
    let b = line.as_bytes();
    let digits = b.iter().take_while(|c| c.is_ascii_digit()).count();
    let ordered = marker.len() > 1;
    let at = if ordered { digits } else { 0 };
    if (ordered && !(1..=9).contains(&digits)) || b.get(at) != Some(&delimiter) {
        return false;
    }
    matches!(b.get(at + 1), Some(b' ' | b'\t' | b'\n'))
}

/// Has the item whose first line `text` starts with more than its marker on that line?
fn has_content(text: &str) -> bool {
    let line = &text[..text.find('\n').unwrap_or(text.len())];
    line.split_once([' ', '\t'])
        .is_some_and(|(_, content)| !content.trim().is_empty())
}

/// How many line feeds the HTML in `pieces` starts with (the tail does not show them).
fn leading_line_feeds(pieces: &[&str]) -> usize {
    let mut feeds = 0;
    for piece in pieces {
        let trimmed = piece.trim_start_matches('\n');
        feeds += piece.len() - trimmed.len();
        if !trimmed.is_empty() {
            break;
        }
    }
    feeds
}

/// `pieces` without their first `skip` bytes; `None` if those end inside a character.
fn skipped(pieces: [&str; 5], mut skip: usize) -> Option<[&str; 5]> {
    let mut out = [""; 5];
    for (rest, piece) in out.iter_mut().zip(pieces) {
        let from = skip.min(piece.len());
        skip -= from;
        *rest = piece.get(from..)?;
    }
    Some(out)
}

/// Where the token first occurs in `html` from `from` on (`html[from..].find(TOKEN)`, as
/// [`find_ascii`] finds it on every render).
fn token_from(html: &str, from: usize) -> Option<usize> {
    find_ascii(html, TOKEN.as_bytes(), from)
}

/// How many bytes `a` and `b` start with in common, to a character boundary: compared a block
/// at a time first (a memory compare), then byte by byte.
pub(super) fn common_prefix(a: &str, b: &str) -> usize {
    let (x, y) = (a.as_bytes(), b.as_bytes());
    let shorter = x.len().min(y.len());
    let mut same = 0;
    while same + 16 <= shorter && x[same..same + 16] == y[same..same + 16] {
        same += 16;
    }
    same += x[same..shorter]
        .iter()
        .zip(&y[same..shorter])
        .take_while(|(p, q)| p == q)
        .count();
    while !a.is_char_boundary(same) {
        same -= 1;
    }
    same
}
