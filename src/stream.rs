//! Streaming: markdown that arrives a few characters at a time, rendered as it arrives.
//!
//! A [`MarkdownStream`] keeps the input and feeds the markdown stage's state machine
//! ([`crate::markdown::Renderer`]) one *finished* top-level block at a time. Each
//! [`MarkdownStream::push`] returns an update of two parts:
//!
//! - `committed`: HTML that is final. Appended in order, everything committed up to
//!   [`MarkdownStream::finish`] is byte for byte what [`Sanitizer::render_markdown`] gives for
//!   the whole input, and so are the findings.
//! - `tail`: provisional HTML for the unfinished end, rendered under the same policy by the same
//!   pipeline after *healing* (below). It replaces the previous tail.
//!
//! ## When a block is finished
//!
//! Only complete lines are parsed for committing. In a parse of the lines not yet fed, every
//! top-level block but the last is finished: a later line cannot change it (setext underlines,
//! lazy continuation lines, loose list items, tables and fences all belong to the last block
//! until another block has started). The last block is finished too when it is a paragraph,
//! a heading or a thematic break followed by a blank line, which nothing after can join. Two
//! things can still change a finished block, and both
//! hold it back, with everything after it, until they are settled:
//!
//! - a reference (`[text][label]`, `[label]`) to a definition that has not arrived: the parser's
//!   broken-link callback reports it; also while any definition may still be growing a title;
//! - text that reads `[^`, a footnote reference whose definition has not arrived.
//!
//! What later blocks need from earlier ones is carried by a *prelude* parsed before the new
//! lines: the reference definitions seen so far, written again from their parsed destination
//! and title, and a stub for every footnote definition, so that labels resolve as they would in
//! the whole document. Its events are skipped. Footnote numbers continue in the renderer.
//!
//! ## Healing the tail
//!
//! The tail is the unfinished input rendered on its own, after healing in the manner of
//! Vercel's `remend`: an unclosed `**`, `*`, `~~` or code span is closed (or dropped when
//! nothing follows it yet), a link or image whose destination is still arriving is shown as its
//! text only, a definition on the unfinished last line is left out, and a bare URL that reaches
//! the end of the input is not linked. So no URL is loaded or linked before it is complete and
//! judged by the policy. Raw HTML needs no healing: a parser drops a tag that is not closed by
//! `>` at the end of its input.
//!
//! ## Cost
//!
//! A push parses nothing new until a line ends, or a block begins after a blank line (its
//! first character at the first column, not a digit: the blocks before it are finished but
//! a list it goes on, and are committed then; such parses read at most as many bytes in all
//! as the input has, and a few kilobytes). The lines not yet committed (normally the last
//! block) and the prelude are then parsed again, but only once a quarter as many bytes have
//! arrived since the last parse as that parse will read again.
//! A block that is held (a reference whose definition has not arrived), a long paragraph, an
//! open fence or a long list is so parsed again each time the pending text has grown by a
//! quarter, not on every line,
//! and streaming n bytes in any chunks costs O(n) parsing in total (at most about six times
//! what the batch render parses). This only delays commits, by at most a quarter of the input
//! pending; what is committed is the same. A paragraph still open at the end of the pending
//! lines is not parsed again while the lines after it start with a letter: such a line only
//! continues it (no block starts with a letter), so the next parse waits for a line that may
//! end it. A parse keeps the events of each block up to a bound only: a long block still
//! arriving is summed up (its extent, whether it waits for a reference), not held in memory,
//! and parsed once more for its events when it is finished.
//!
//! The tail is rendered on every push ([`MarkdownStream::push_committed`] skips it), but not
//! all of it: the part of the last block that nothing later can change is rendered once and
//! kept (see `crate::tail`), so streaming a long paragraph, fence or list with the tail on is
//! linear too. Blocks that never settle (a paragraph with an unclosed `[`, a table) and a
//! last block with raw HTML after a block group are rendered whole on each push.

use std::collections::HashSet;
use std::ops::Range;
use std::sync::{Arc, Mutex, PoisonError};

use pulldown_cmark::{BrokenLink, Event, Tag, TextMergeWithOffset};

use crate::error::Error;
use crate::html::HtmlStage;
use crate::markdown::{bare_cr_as_lf, events, parser, Renderer};
use crate::report::Finding;
use crate::tail::{Region, TailCache, TailEdit};
#[cfg(any(doc, test))]
use crate::Sanitizer;

/// What a push or the end of the stream produced.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StreamUpdate {
    /// Final HTML: append it after what was committed before. Never changes.
    pub committed: String,
    /// Provisional HTML for the unfinished end: replaces the previous tail. After committed
    /// HTML it starts with the line feed the batch render has after it (held back with it),
    /// and is that line feed alone when nothing more is shown yet, so that committed + tail
    /// reads as the batch render of what arrived. Empty after [`MarkdownStream::finish`].
    pub tail: String,
    /// Findings for the committed HTML (byte ranges index the whole input).
    pub findings: Vec<Finding>,
}

/// Renders markdown as it arrives. Made by [`Sanitizer::stream`].
pub struct MarkdownStream {
    /// The HTML stage, and with it the policy.
    stage: Arc<HtmlStage>,
    /// All the input so far.
    input: String,
    /// Bytes of an unfinished UTF-8 character at the end of [`MarkdownStream::push_bytes`].
    partial: Vec<u8>,
    /// How much of the input the renderer has been fed.
    fed: usize,
    renderer: Renderer,
    /// Stubs for the footnote definitions fed so far.
    footnotes: String,
    footnote_labels: HashSet<String>,
    /// The reference definitions fed so far, written again.
    definitions: String,
    definition_labels: HashSet<String>,
    /// How much output and how many findings were committed.
    sent: (usize, usize),
    /// The input length at which the pending lines are parsed again (see "Cost" above).
    next_check: usize,
    /// Set while the last parse found the pending lines ending in a paragraph that was still
    /// open: how far the lines after it have been read, each starting with a letter (lines
    /// that cannot end it, see "Cost").
    open_paragraph: Option<usize>,
    /// The start of the last line that began a block after a blank line (see
    /// [`MarkdownStream::begun_after_blank_line`]).
    begun_line: usize,
    /// How many bytes the parses such lines made read.
    early: usize,
    /// Where the input's last line starts (after its last line feed), found in each chunk.
    last_line: usize,
    /// How many bytes were given to the parser for committing (prelude included): the
    /// streaming cost the tests bound.
    parsed: usize,
    /// What the tail keeps between pushes (behind a lock: [`MarkdownStream::tail`] reads the
    /// stream).
    tail: Mutex<TailCache>,
}

impl MarkdownStream {
    /// A stream renderer under `stage`'s policy (made by [`Sanitizer::stream`]).
    pub(crate) fn new(stage: Arc<HtmlStage>) -> MarkdownStream {
        // Its own memo: the tail sanitizes the same raw HTML on push after push.
        let stage = Arc::new(stage.with_memo());
        let mut renderer = Renderer::new(Arc::clone(&stage), "", false);
        renderer.remember_verdicts();
        MarkdownStream {
            renderer,
            stage,
            input: String::new(),
            partial: Vec::new(),
            fed: 0,
            footnotes: String::new(),
            footnote_labels: HashSet::new(),
            definitions: String::new(),
            definition_labels: HashSet::new(),
            sent: (0, 0),
            next_check: 0,
            open_paragraph: None,
            begun_line: 0,
            early: 0,
            last_line: 0,
            parsed: 0,
            tail: Mutex::default(),
        }
    }
}

impl MarkdownStream {
    /// Adds a chunk of markdown; returns what is now final and the provisional tail.
    ///
    /// Fails, leaving the stream as it was, if the input would exceed
    /// `limits.max_input_bytes`.
    pub fn push(&mut self, chunk: &str) -> Result<StreamUpdate, Error> {
        let mut update = self.push_committed(chunk)?;
        update.tail = self.tail();
        Ok(update)
    }

    /// Like [`MarkdownStream::push`], for bytes that may split a UTF-8 character anywhere.
    /// Invalid bytes become U+FFFD as in [`String::from_utf8_lossy`]. A string pushed after
    /// bytes that ended inside a character goes on from those bytes, as the whole would be
    /// read.
    pub fn push_bytes(&mut self, chunk: &[u8]) -> Result<StreamUpdate, Error> {
        let mut update = self.push_bytes_committed(chunk)?;
        update.tail = self.tail();
        Ok(update)
    }

    /// Like [`MarkdownStream::push_bytes`] without rendering the tail (`tail` is empty).
    pub fn push_bytes_committed(&mut self, chunk: &[u8]) -> Result<StreamUpdate, Error> {
        let previous = std::mem::take(&mut self.partial);
        let mut bytes = previous.clone();
        bytes.extend_from_slice(chunk);
        let mut text = String::with_capacity(bytes.len());
        let mut rest = bytes.as_slice();
        loop {
            match std::str::from_utf8(rest) {
                Ok(s) => {
                    text.push_str(s);
                    rest = &[];
                    break;
                }
                Err(e) => {
                    let (valid, after) = rest.split_at(e.valid_up_to());
                    text.push_str(std::str::from_utf8(valid).unwrap_or_default());
                    match e.error_len() {
                        Some(n) => {
                            text.push('\u{FFFD}');
                            rest = &after[n..];
                        }
                        None => {
                            rest = after;
                            break;
                        }
                    }
                }
            }
        }
        let partial = rest.to_vec();
        let update = self.push_committed(&text);
        // On an error the stream stays as it was.
        self.partial = if update.is_ok() { partial } else { previous };
        update
    }

    /// Like [`MarkdownStream::push`] without rendering the tail (`tail` is empty): for callers
    /// that show only final HTML, or render the tail less often with [`MarkdownStream::tail`].
    pub fn push_committed(&mut self, chunk: &str) -> Result<StreamUpdate, Error> {
        if !self.partial.is_empty() {
            // After bytes that ended inside a character: the text goes on from those bytes
            // (an invalid end becomes U+FFFD before it, as `from_utf8_lossy` reads the two).
            return self.push_bytes_committed(chunk.as_bytes());
        }
        crate::limits::check_len(
            self.input.len() + self.partial.len() + chunk.len(),
            self.stage.policy(),
        )?;
        // Bare CRs are read as LF (see `markdown::bare_cr_as_lf`), as the batch render reads
        // them; a CR at the end waits for the next character, which may make it a CRLF (an
        // empty chunk has no next character: it leaves the CR waiting).
        let old = self.input.len().saturating_sub(1);
        if self.input.ends_with('\r') && !chunk.is_empty() && !chunk.starts_with('\n') {
            self.input.pop();
            self.input.push('\n');
        }
        match chunk.strip_suffix('\r') {
            Some(lines) => {
                self.input.push_str(&bare_cr_as_lf(lines));
                self.input.push('\r');
            }
            None => self.input.push_str(&bare_cr_as_lf(chunk)),
        }
        if let Some(lf) = memchr::memrchr(b'\n', &self.input.as_bytes()[old..]) {
            self.last_line = old + lf + 1;
        }
        let lines = chunk.contains(['\n', '\r']);
        if lines {
            self.advance(false);
        }
        if let Some(end) = self.begun_after_blank_line(old, lines) {
            // Every block before it is finished: parsed now, not once its line is complete
            // and the next check is due (the chunk may hold the blank line's line feed too,
            // `\nSee`, or the whole line and more, `\n```\ncode`).
            self.feed_and_schedule(end, false);
        }
        Ok(self.committed())
    }

    /// Where the input is to be parsed to, if a line whose first character arrived in the chunk
    /// (the input from `old` on, with `lines` when it has a line ending) has begun a block
    /// after a blank line, at its first column with anything but a digit (checked once a line)?
    /// After a blank line a block goes on into a line only when the line is indented (a list
    /// item's content, a footnote), when it is a fence or a raw HTML block that a blank line
    /// does not end (the parse says so), or as the next item of its list: `-`, `+` or `*` alone
    /// is an empty item already, in the list before it when that is one; a digit alone is text
    /// (`2` becomes `2.`), so a line that starts with one waits. So what the line holds now
    /// joins no block before it that the whole line will not join, and the blocks before it are
    /// finished but for what the parse says (a fence, a raw HTML block, a list this line goes
    /// on, a reference still waiting for its definition): parsing the pending lines now commits
    /// them at once, instead of once this line ends and the next check is due, while the tail
    /// would show them again before its new block (rendering a long list once more for its
    /// stable part). Such parses read at most as many bytes in all as the input has and
    /// [`EARLY_BASE`]: where blocks wait for a definition, every paragraph would parse them all
    /// again.
    fn begun_after_blank_line(&mut self, old: usize, lines: bool) -> Option<usize> {
        let last = self.last_line;
        if !lines && (last <= self.fed || last == self.begun_line) {
            // Most pushes: the last line is the only candidate, and not one.
            return None;
        }
        // The bytes such a parse reads, within what the input has (their total stays linear
        // when blocks wait for a definition and every paragraph would parse them all).
        let read = self.input.len() - self.fed + self.footnotes.len() + self.definitions.len();
        if self.early + read > self.input.len() + EARLY_BASE {
            return None;
        }
        let input = &self.input;
        // The lines that start in the chunk, and the last line (its first character may be
        // the chunk's).
        let starts = memchr::memchr_iter(b'\n', &input.as_bytes()[old..])
            .map(|lf| old + lf + 1)
            .chain(std::iter::once(last));
        let begun = starts
            .filter(|&line| line > self.fed && line != self.begun_line)
            .find(|&line| {
                input[line..].starts_with(|c: char| !(c.is_whitespace() || c.is_ascii_digit()))
                    && ends_with_blank_line(&input[..line])
            });
        let line = begun?;
        self.begun_line = line;
        self.early += read;
        // A later line, unfinished, is read once it ends (` 2` may become ` 2.`, an item of
        // a list before it).
        Some(match line == last {
            true => input.len(),
            false => last,
        })
    }

    /// Ends the stream: the rest of the HTML, all final.
    pub fn finish(mut self) -> Result<StreamUpdate, Error> {
        // What bytes that ended inside a character commit as U+FFFD (a block after a blank
        // line, begun by it, commits the blocks before it) comes first.
        let mut update = StreamUpdate::default();
        if !self.partial.is_empty() {
            let rest = String::from_utf8_lossy(&self.partial).into_owned();
            self.partial.clear();
            update = self.push_committed(&rest)?;
        }
        if self.input.ends_with('\r') {
            self.input.pop();
            self.input.push('\n');
        }
        self.advance(true);
        let (html, findings) = self.renderer.finish(&self.input);
        update
            .committed
            .push_str(html.get(self.sent.0..).unwrap_or_default());
        update
            .findings
            .extend_from_slice(findings.get(self.sent.1..).unwrap_or_default());
        Ok(update)
    }

    /// The input received so far, with bare CRs read as LF (as the batch render reads them;
    /// a CR at the end stays until the next character says whether it starts a CRLF).
    pub fn input(&self) -> &str {
        &self.input
    }

    /// The provisional HTML for what is not committed yet.
    pub fn tail(&self) -> String {
        let lead = self.sent.0 != 0;
        let prelude = self.prelude();
        self.tail_cache_lock()
            .render(&self.region(self.tail_from(), &prelude), lead)
    }

    /// The tail as [`MarkdownStream::tail`] gives it, as an edit of the tail last returned
    /// (by `tail`, `tail_edit`, [`MarkdownStream::push`] or [`MarkdownStream::push_bytes`];
    /// before the first, the empty tail).
    ///
    /// Replacing the whole tail on every push copies its length each time, so a block that
    /// stays open (a long code fence) costs the square of its length in bytes moved, to a
    /// browser or through the wasm boundary. Edits cost what changed: a chunk written into the
    /// tail is the chunk and the end tags after it. Call it after
    /// [`MarkdownStream::push_committed`]:
    ///
    /// ```
    /// let sanitizer = safemark::Sanitizer::new(safemark::Policy::default())?;
    /// let mut stream = sanitizer.stream();
    /// let mut tail = String::new();
    /// for chunk in ["```rust\nfn main() {\n", "    println!(\"hi\");", "\n}\n"] {
    ///     stream.push_committed(chunk)?;
    ///     assert!(stream.tail_edit().apply(&mut tail));
    ///     assert_eq!(tail, stream.tail()); // the same tail (`tail` returns it whole)
    /// }
    /// # Ok::<(), safemark::Error>(())
    /// ```
    pub fn tail_edit(&self) -> TailEdit {
        let lead = self.sent.0 != 0;
        let from = self.tail_from();
        let prelude = self.prelude();
        self.tail_cache_lock()
            .edit(&self.region(from, &prelude), lead)
    }

    fn tail_cache_lock(&self) -> std::sync::MutexGuard<'_, TailCache> {
        self.tail.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// What the tail keeps, for the tests.
    #[cfg(test)]
    pub(crate) fn tail_cache(&self) -> std::sync::MutexGuard<'_, TailCache> {
        self.tail_cache_lock()
    }

    /// The tail rendered whole, as [`MarkdownStream::tail`] renders it when nothing of it is
    /// known to be stable: what the tests compare it with.
    #[cfg(any(test, fuzzing))]
    pub(crate) fn whole_tail(&self) -> String {
        let prelude = self.prelude();
        let whole = self.region(self.tail_from(), &prelude).whole(&mut 0);
        crate::tail::led(self.sent.0 != 0, &whole)
    }

    /// [`MarkdownStream::whole_tail`] with raw inline spans still open at the end given up
    /// to the block group (see `Region::whole_spans_given_up`).
    #[cfg(all(test, feature = "html"))]
    pub(crate) fn whole_tail_spans_given_up(&self) -> String {
        let prelude = self.prelude();
        let whole = self
            .region(self.tail_from(), &prelude)
            .whole_spans_given_up();
        crate::tail::led(self.sent.0 != 0, &whole)
    }

    /// What [`MarkdownStream::whole_tail`] depends on besides the sanitizer and the document
    /// being pushed (of which the input is a prefix): the input's length, where the tail
    /// starts, what was fed, whether anything was sent, the prelude. The tests' searches push
    /// one document in many ways and render each whole tail once.
    #[cfg(test)]
    pub(crate) fn whole_tail_key(&self) -> (usize, usize, usize, bool, String) {
        (
            self.input.len(),
            self.tail_from(),
            self.fed,
            self.sent.0 != 0,
            self.prelude(),
        )
    }

    /// For the `stream` fuzz target only (built with `--cfg fuzzing`, as cargo-fuzz builds):
    /// lifts the tail's work budget, so that every tail is the one rendered now, and returns
    /// the tail rendered whole ([`MarkdownStream::tail`] without any of its shortcuts), which
    /// the target compares every tail with. Not part of the API.
    #[cfg(fuzzing)]
    #[doc(hidden)]
    pub fn fuzzing_whole_tail(&mut self) -> String {
        self.tail_cache_lock().unbounded = true;
        self.whole_tail()
    }

    /// Checks that the HTML settled so far is the batch render of the input before the tail's
    /// region (line feeds at the end aside) after the input's reference definitions (which
    /// may come after the tail's start and resolve a reference before it), so that every
    /// block is in one of the two: a block fed to the renderer whose output is not settled
    /// yet must be rendered by the tail. Not checked when that input has a footnote (its
    /// notes section comes at the end of a batch render, and a stream's at the end of all),
    /// nor when neither changed since `last` (updated here). For the tests and the `stream`
    /// fuzz target (built with `--cfg fuzzing`); not part of the API.
    #[cfg(any(test, fuzzing))]
    #[doc(hidden)]
    pub fn fuzzing_check_settled(&self, last: &mut Option<(usize, usize)>) -> Result<(), String> {
        let before = &self.input[..self.tail_from()];
        let settled = self.renderer.settled_since((0, 0)).0;
        let now = Some((before.len(), settled.len()));
        if std::mem::replace(last, now) == now || before.contains("[^") {
            return Ok(());
        }
        let math = self.renderer.math();
        let definitions: String = Pending::parse(&self.input, 0, math, 0)
            .definitions
            .iter()
            .map(Definition::written_again)
            .collect();
        let batch = crate::markdown::render(&format!("{definitions}{before}"), &self.stage).0;
        match batch.trim_end_matches('\n') == settled.trim_end_matches('\n') {
            true => Ok(()),
            false => Err(format!(
                "the HTML settled is not the batch render of the input before the tail's \
                 region\n  input: {:?}\n  before the tail: {before:?}\n  settled: {settled:?}\n  \
                 batch: {batch:?}",
                self.input
            )),
        }
    }

    /// Where the tail's region starts: the blocks not committed yet (and an open block group).
    fn tail_from(&self) -> usize {
        self.renderer
            .unsettled_source()
            .unwrap_or(self.fed)
            .min(self.fed)
    }

    /// The tail's region from `from`, parsed after `prelude`.
    fn region<'a>(&'a self, from: usize, prelude: &'a str) -> Region<'a> {
        Region {
            input: &self.input,
            from,
            prelude,
            renderer: &self.renderer,
        }
    }

    /// What the renderer settled since the last update.
    fn committed(&mut self) -> StreamUpdate {
        let (html, findings, sent) = self.renderer.settled_since(self.sent);
        let update = StreamUpdate {
            committed: html.to_string(),
            tail: String::new(),
            findings: findings.to_vec(),
        };
        self.sent = sent;
        update
    }

    /// Definitions the input fed so far makes, for parsing the rest.
    fn prelude(&self) -> String {
        if self.footnotes.is_empty() && self.definitions.is_empty() {
            return String::new();
        }
        // A paragraph at the end closes any footnote definition, so that what follows is
        // parsed as top-level blocks.
        [&self.footnotes, &self.definitions, "x\n\n"].concat()
    }

    /// Feeds the renderer every finished block (every block, when `finishing`), parsing the
    /// pending lines again only once enough has arrived since the last parse (see "Cost").
    fn advance(&mut self, finishing: bool) {
        let end = if finishing {
            self.input.len()
        } else {
            match complete_lines(&self.input[self.fed..]) {
                0 => return,
                n => self.fed + n,
            }
        };
        if end <= self.fed || (!finishing && end < self.next_check) {
            return;
        }
        if let (Some(read), false) = (self.open_paragraph, finishing) {
            if lines_start_with_letters(&self.input[read..end]) {
                self.open_paragraph = Some(end);
                return;
            }
        }
        self.feed_and_schedule(end, finishing);
    }

    /// [`MarkdownStream::feed`], then when the next check is due: what the next parse reads
    /// again is the lines still pending and the prelude, and waiting until a quarter as much
    /// is new keeps the total work linear in the input (each parse reads at most five times
    /// what arrived since the last).
    fn feed_and_schedule(&mut self, end: usize, finishing: bool) {
        self.feed(end, finishing);
        let again = (end - self.fed) + self.footnotes.len() + self.definitions.len();
        self.next_check = end + again / 4;
    }

    /// Parses the pending lines up to `end` and feeds the renderer the finished blocks (all of
    /// them, when `finishing`).
    fn feed(&mut self, end: usize, finishing: bool) {
        let prelude = self.prelude();
        self.parsed += prelude.len() + (end - self.fed);
        let base = prelude.len();
        let text = format!("{prelude}{}", &self.input[self.fed..end]);
        let fed = self.fed;
        let shift = |r: &Range<usize>| (r.start - base + fed)..(r.end - base + fed);
        let math = self.renderer.math();
        if finishing {
            // Every block is final: fed as the parser makes them, as the batch render does,
            // without holding the events of the whole rest in memory.
            for (event, range) in events(&text, math).filter(|(_, range)| range.start >= base) {
                self.renderer.event(&event, shift(&range), &self.input);
            }
            self.fed = end;
            return;
        }
        let mut pending = Pending::parse(&text, base, math, KEPT_EVENTS);
        self.open_paragraph = pending.ends_in_open_paragraph(&text).then_some(end);
        let Some((finished, cut)) = pending.finished(&text, base) else {
            return;
        };
        if pending.blocks[..finished].iter().any(|b| !b.whole) {
            // A long block finished: parsed again for all its events (once: it is fed now).
            pending = Pending::parse(&text, base, math, usize::MAX);
        }
        let fed_events = pending
            .blocks
            .get(finished)
            .map_or(pending.events.len(), |b| b.events.start);
        let mut stubs = Vec::new();
        for (event, range) in &pending.events[..fed_events] {
            if let Event::Start(Tag::FootnoteDefinition(label)) = event {
                stubs.push(label.to_string());
            }
            self.renderer.event(event, shift(range), &self.input);
        }
        for label in stubs {
            if self.footnote_labels.insert(label.clone()) {
                self.footnotes.push_str(&format!("[^{label}]: x\n\n"));
            }
        }
        // A label already written is not written again. Compared ASCII case-insensitively
        // only: labels that match under Unicode case folding alone (`ẞ`, `ß`, `SS`) are all
        // written, in order, and the parser keeps the first as it would. (Unicode lowercasing
        // here cost the wasm its 16 KB of case tables.)
        for d in pending.definitions {
            if d.span.end <= cut && self.definition_labels.insert(d.label.to_ascii_lowercase()) {
                self.definitions.push_str(&d.written_again());
            }
        }
        self.fed += cut - base;
    }
}

/// Bytes the early parses at a new block may read beyond the input's length (see
/// [`MarkdownStream::begun_after_blank_line`]): a short answer's blocks are committed at every
/// new block though each parse reads them again, a long answer's within its length.
const EARLY_BASE: usize = 4096;

/// How many events of a pending block a check keeps: one that finds a longer block unfinished
/// (the last block, still arriving) sums it up instead (see [`Block::whole`]).
#[cfg(not(fuzzing))]
const KEPT_EVENTS: usize = 4096;
/// Small for the `stream` fuzz target (its inputs are at most 4 KiB), so that it sums up
/// blocks and parses them again when they finish.
#[cfg(fuzzing)]
const KEPT_EVENTS: usize = 8;

/// A reference definition of the pending lines, as the parser read it.
struct Definition {
    label: String,
    dest: String,
    title: Option<String>,
    /// Where it is in the parsed text.
    span: Range<usize>,
}

impl Definition {
    /// The definition written again for the prelude, so that markdown reads it back as it is.
    fn written_again(&self) -> String {
        let mut def = format!("[{}]: <{}>", self.label, escape_punctuation(&self.dest));
        if let Some(title) = &self.title {
            def.push_str(&format!(" \"{}\"", escape_punctuation(title)));
        }
        def.push_str("\n\n");
        def
    }
}

/// A top-level block of the pending lines.
struct Block {
    /// Its events (indexes into [`Pending::events`]): all of them when `whole`, else the
    /// first ones.
    events: Range<usize>,
    /// Where it is in the parsed text.
    source: Range<usize>,
    /// Are all its events kept? A block of more events than the parse keeps (normally the
    /// last one, still arriving: a long paragraph, fence or list) is summed up by the fields
    /// below, so that a check that finds it unfinished does not hold it all in memory.
    whole: bool,
    /// Does a text of it read `[^` (a footnote reference whose definition may not have
    /// arrived)?
    footnote_text: bool,
    /// Where its events between the first and the last end, if it has any.
    inner_end: Option<usize>,
}

/// One parse of the prelude and the pending lines: what comes after the prelude.
struct Pending<'t> {
    events: Vec<(Event<'t>, Range<usize>)>,
    blocks: Vec<Block>,
    definitions: Vec<Definition>,
    /// References to definitions that have not arrived (the parser's broken links).
    broken: Vec<Range<usize>>,
}

impl<'t> Pending<'t> {
    /// Parses `text`, of which the first `base` bytes are the prelude, keeping the events of
    /// each block up to `keep` of them (a block with more is summed up only: see
    /// [`Block::whole`]).
    fn parse(text: &'t str, base: usize, math: bool, keep: usize) -> Pending<'t> {
        let mut broken: Vec<Range<usize>> = Vec::new();
        let mut callback = |link: BrokenLink<'_>| {
            broken.push(link.span.clone());
            None
        };
        let mut parser = parser(text, math, Some(&mut callback)).into_offset_iter();
        let mut events: Vec<(Event<'t>, Range<usize>)> = Vec::new();
        let mut blocks: Vec<Block> = Vec::new();
        let mut open: Option<Block> = None;
        let (mut level, mut seen) = (0usize, 0usize);
        for (event, range) in
            TextMergeWithOffset::new(parser.by_ref()).filter(|(_, range)| range.start >= base)
        {
            if open.is_none() {
                seen = 0;
            }
            seen += 1;
            let block = open.get_or_insert_with(|| Block {
                events: events.len()..events.len(),
                source: range.clone(),
                whole: true,
                footnote_text: false,
                inner_end: None,
            });
            match &event {
                Event::Start(_) => level += 1,
                Event::End(_) => level = level.saturating_sub(1),
                Event::Text(t) if t.contains("[^") => block.footnote_text = true,
                _ => {}
            }
            if seen > 1 && level > 0 {
                block.inner_end = Some(block.inner_end.map_or(range.end, |e| e.max(range.end)));
            }
            block.source.end = range.end;
            if block.whole && block.events.len() < keep {
                events.push((event, range));
                block.events.end = events.len();
            } else {
                block.whole = false;
            }
            if level == 0 {
                blocks.extend(open.take());
            }
        }
        blocks.extend(open);
        let definitions = parser
            .reference_definitions()
            .iter()
            .filter(|(_, d)| d.span.start >= base)
            .map(|(label, d)| Definition {
                label: label.to_string(),
                dest: d.dest.to_string(),
                title: d.title.as_ref().map(|t| t.to_string()),
                span: d.span.clone(),
            })
            .collect();
        drop(parser);
        Pending {
            events,
            blocks,
            definitions,
            broken,
        }
    }

    /// How many blocks are finished, and where the input they were written from ends (the
    /// start of the next block's line): `None` when none is.
    ///
    /// Every block but the last is finished, and the last too when nothing that follows can
    /// change it (see [`Pending::last_is_final`]), unless a reference in it has no definition
    /// yet (or may use a definition still growing a title), or its text reads `[^` (a
    /// footnote reference whose definition has not arrived): then it waits, and so does
    /// every block after it.
    fn finished(&self, text: &str, base: usize) -> Option<(usize, usize)> {
        let blocks = &self.blocks;
        let last_start = blocks.last().map_or(text.len(), |b| b.source.start);
        let mut finished = if self.definitions.iter().any(|d| d.span.end > last_start) {
            // A definition after the finished blocks may still grow a title, and they may use
            // it.
            0
        } else {
            let held = blocks.iter().position(|b| self.held(b));
            let open = usize::from(!self.last_is_final(text));
            held.unwrap_or(blocks.len())
                .min(blocks.len().saturating_sub(open))
        };
        let line_start = |at: usize| {
            text[..at]
                .rfind(['\n', '\r'])
                .map_or(0, |i| i + 1)
                .max(base)
        };
        loop {
            if finished == 0 {
                return None;
            }
            // The start of the next block's line (an indented code block's range starts after
            // its indentation), if nothing but blank lines comes between: definitions there
            // (even ones a parser ignores as duplicates) can start a paragraph that the next
            // line continues, so the block before them waits.
            let next = blocks
                .get(finished)
                .map_or(text.len(), |b| line_start(b.source.start));
            let end = self.content_end(&blocks[finished - 1]).min(next);
            if text[end..next].trim().is_empty() {
                return Some((finished, next));
            }
            finished -= 1;
        }
    }

    /// Do the parsed lines end in a top-level paragraph, with no blank line after it? Then a
    /// line starting with a letter can only continue it: no block starts so (a heading,
    /// quote, list, fence, rule, table's delimiter row, HTML block, definition, footnote or
    /// display math starts with a mark, a digit or a space, and so does a setext underline or
    /// a blank line that ends it), so nothing finishes until another line arrives.
    fn ends_in_open_paragraph(&self, text: &str) -> bool {
        self.blocks.last().is_some_and(|b| {
            matches!(
                self.events.get(b.events.start),
                Some((Event::Start(Tag::Paragraph), _))
            ) && matches!(&text[b.source.end..], "" | "\n" | "\r" | "\r\n")
        })
    }

    /// Is the last block final already: a top-level paragraph, heading or thematic break
    /// followed by a blank line? Nothing after a blank line joins one (no lazy line, setext
    /// underline or table delimiter row reaches across it), so it is fed as soon as its blank
    /// line is complete, not once the next block's first line is: an answer's paragraphs are
    /// long single lines, and until then the tail rendered the block before again with every
    /// push. (Also measured, and not cheaper on the benchmark's answer: a heading fed once its
    /// own line is complete, a fence once its closing line is.)
    fn last_is_final(&self, text: &str) -> bool {
        let Some(block) = self.blocks.last() else {
            return false;
        };
        if !matches!(
            self.events.get(block.events.start),
            Some((
                Event::Start(Tag::Paragraph | Tag::Heading { .. }) | Event::Rule,
                _
            ))
        ) {
            return false;
        }
        // From the end of its last line's content: that line's ending, then a blank line.
        let mut end = block.source.end;
        if text[..end].ends_with("\r\n") {
            end -= 2;
        } else if text[..end].ends_with(['\n', '\r']) {
            end -= 1;
        }
        let after = &text[end..];
        let endings = after.matches('\n').count() + after.matches('\r').count()
            - after.matches("\r\n").count();
        after
            .bytes()
            .all(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r'))
            && endings >= 2
    }

    /// Must `block` wait for something still to arrive?
    fn held(&self, block: &Block) -> bool {
        let range = &block.source;
        self.broken
            .iter()
            .any(|s| s.start < range.end && s.end > range.start)
            || block.footnote_text
    }

    /// Where a block's content ends: a container's range can take in lines after its
    /// content.
    fn content_end(&self, block: &Block) -> usize {
        match self.events.get(block.events.start) {
            Some((
                Event::Start(Tag::List(_) | Tag::BlockQuote(_) | Tag::FootnoteDefinition(_)),
                _,
            )) => block.inner_end.unwrap_or(block.source.end),
            _ => block.source.end,
        }
    }
}

/// How many bytes of `s` are complete lines. CommonMark ends a line with LF, CR or CRLF; a CR
/// at the very end may be the first half of a CRLF, so its line is complete only once the next
/// character has arrived (parsed without its LF, the LF would read as a blank line).
fn complete_lines(s: &str) -> usize {
    let lines = s.strip_suffix('\r').unwrap_or(s);
    lines.rfind(['\n', '\r']).map_or(0, |i| i + 1)
}

/// Does `text` end with a blank line, of spaces and tabs only (before its line feed, or a
/// CRLF), after a line feed? Not a line of U+000B or U+000C: pulldown-cmark reads one as blank
/// between a list's items (`heal::blank`) but as text after a paragraph's line (`a\n\u{b}\nb`
/// is one paragraph), so the blocks before it may go on (`r\\\n\u{c}\u{b}\n#x` committed
/// its paragraph at the `#`: found by the `stream` fuzz target).
fn ends_with_blank_line(text: &str) -> bool {
    let Some(text) = text.strip_suffix('\n') else {
        return false;
    };
    crate::heal::rfind_lf(text).is_some_and(|lf| {
        let line = &text[lf + 1..];
        let line = line.strip_suffix('\r').unwrap_or(line);
        line.bytes().all(|b| b == b' ' || b == b'\t')
    })
}

/// Does every line of `s` (complete lines) start with an ASCII letter?
fn lines_start_with_letters(s: &str) -> bool {
    let mut rest = s;
    while !rest.is_empty() {
        if !rest.starts_with(|c: char| c.is_ascii_alphabetic()) {
            return false;
        }
        let Some(at) = rest.find(['\n', '\r']) else {
            return true;
        };
        let ending = if rest[at..].starts_with("\r\n") { 2 } else { 1 };
        rest = &rest[at + ending..];
    }
    true
}

/// Backslash before every ASCII punctuation character, and line breaks as character
/// references (a destination in `<>` holds none, and a blank line in a title would end it;
/// either may be decoded from one: `&NewLine;`): markdown reads the text back as it is.
fn escape_punctuation(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            c if c.is_ascii_punctuation() => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Streaming cost: for every shape that keeps blocks pending (held by a reference or a
    /// footnote whose definition has not arrived, a long paragraph, an open fence, long lists,
    /// tables, quotes, an open raw-HTML group, many definitions and footnotes), in chunks of
    /// every size and on every line ending, the bytes parsed for committing stay within a
    /// constant factor of the input, and the output is the batch render.
    #[test]
    fn streaming_parses_linear_bytes() {
        // (name, first block, then a unit repeated with `{i}` numbering it).
        let shapes = [
            (
                "held reference",
                "[x][nowhere] held\n\n",
                "para {i} words\n\n",
            ),
            ("held footnote", "see[^late]\n\n", "para {i}\n\n"),
            ("long paragraph", "", "word {i} and more\n"),
            ("open fence", "```\n", "code {i}\n"),
            ("tight list", "", "- item {i}\n"),
            ("loose list", "", "- item {i}\n\n"),
            ("nested list", "", "- a {i}\n  - b\n"),
            ("table", "|a|b|\n|-|-|\n", "|{i}|x|\n"),
            ("quote", "", "> line {i}\n"),
            ("open html group", "<div>\n\n", "para {i}\n\n"),
            ("definitions", "", "[d{i}]: /u{i} \"t\"\n"),
            (
                "definitions and uses",
                "",
                "[d{i}]: /u{i}\n\nuse [d{i}]\n\n",
            ),
            ("footnotes and uses", "", "[^{i}]: note\n\nuse[^{i}]\n\n"),
        ];
        let sanitizer = Sanitizer::new(crate::Policy::default()).unwrap();
        let mut worst = 0.0f64;
        for (name, first, unit) in shapes {
            for ending in ["\n", "\r", "\r\n"] {
                let mut input = first.replace('\n', ending);
                let mut i = 0;
                while input.len() < 64 * 1024 {
                    input.push_str(&unit.replace("{i}", &i.to_string()).replace('\n', ending));
                    i += 1;
                }
                let batch = sanitizer.render_markdown(&input).unwrap();
                for chunk in [1, 16, 1000] {
                    let mut stream = sanitizer.stream();
                    let mut html = String::new();
                    for piece in input.as_bytes().chunks(chunk) {
                        html += &stream.push_bytes_committed(piece).unwrap().committed;
                    }
                    let parsed = stream.parsed;
                    html += &stream.finish().unwrap().committed;
                    assert_eq!(html, batch.html, "{name} {ending:?} in {chunk}-byte chunks");
                    let ratio = parsed as f64 / input.len() as f64;
                    // A paragraph still open is not parsed again for lines that only continue
                    // it (without that, about x5).
                    assert!(
                        name != "long paragraph" || ratio < 1.5,
                        "{name} {ending:?} in {chunk}-byte chunks: parsed x{ratio:.1}"
                    );
                    worst = worst.max(ratio);
                    assert!(
                        ratio < 8.0,
                        "{name} {ending:?} in {chunk}-byte chunks: parsed {parsed} bytes for {} (x{ratio:.1})",
                        input.len()
                    );
                }
            }
        }
        println!("streaming parses at most x{worst:.1} the input");
    }

    /// A block longer than a check keeps the events of ([`KEPT_EVENTS`]) is committed whole
    /// once it ends: a paragraph, a list, a quote, a table and a footnote of more events, then
    /// short paragraphs, on every line ending and in chunks of 1, 7 and 1,000 bytes. Before
    /// `finish`, the committed HTML holds the batch render of the long block and the first
    /// paragraph after it, and is a prefix of the batch render of the whole input; after, it
    /// is the batch render.
    #[test]
    fn long_blocks_commit_whole_when_they_end() {
        let n = KEPT_EVENTS; // lines; at least two events each
        let long = [
            ("paragraph", "w\n".repeat(n)),
            ("list", "- i\n".repeat(n)),
            ("quote", "> q\n".repeat(n)),
            ("table", format!("|a|\n|-|\n{}", "|c|\n".repeat(n))),
            (
                "footnote",
                format!("x[^1]\n\n[^1]: {}", "    f\n".repeat(n)),
            ),
        ];
        let sanitizer = Sanitizer::new(crate::Policy::default()).unwrap();
        for (name, block) in long {
            for ending in ["\n", "\r", "\r\n"] {
                let first = format!("{block}\nnext\n\n").replace('\n', ending);
                let mut input = first.clone();
                // Enough after it that the pending lines are parsed again (see "Cost").
                while input.len() < 2 * first.len() {
                    input.push_str(&"after\n\n".replace('\n', ending));
                }
                let held = sanitizer.render_markdown(&first).unwrap().html;
                let batch = sanitizer.render_markdown(&input).unwrap().html;
                for chunk in [1, 7, 1000] {
                    let mut stream = sanitizer.stream();
                    let mut html = String::new();
                    for piece in input.as_bytes().chunks(chunk) {
                        html += &stream.push_bytes_committed(piece).unwrap().committed;
                    }
                    // (a footnote section is rendered last, by `finish`)
                    let held = held.split("<section").next().unwrap_or_default();
                    assert!(
                        html.starts_with(held) && batch.starts_with(&html),
                        "{name} {ending:?} in {chunk}-byte chunks: {} bytes committed, {} \
                         expected at least",
                        html.len(),
                        held.len()
                    );
                    html += &stream.finish().unwrap().committed;
                    assert!(html == batch, "{name} {ending:?} in {chunk}-byte chunks");
                }
            }
        }
    }

    /// A paragraph, heading or thematic break is fed as soon as the blank line after it is
    /// complete (`Pending::last_is_final`), and that changes nothing the stream shows in the
    /// end: over every kind of first block (those fed early, and the containers, fences, HTML
    /// blocks, definitions and tables that are not), each way of writing the blank line, and
    /// every next block that could try to join it (setext underlines, rules, lazy and indented
    /// lines, list items, quotes, a table's delimiter row, definitions that resolve a reference
    /// before, footnotes), on every line ending: the committed HTML and findings are the batch
    /// render's, the blocks fed early are committed before the next block arrives, and a block
    /// that waits for a definition still waits.
    #[test]
    fn a_block_nothing_can_join_is_fed_at_its_blank_line() {
        let s = crate::Sanitizer::from_json("{}").unwrap();
        // (first block, fed once its blank line is complete: the others wait for the next
        // block, or for a definition)
        let firsts = [
            ("a", true),
            ("a *b* `c`", true),
            ("a\nb", true),
            ("a  ", true),
            ("# h", true),
            ("h\n===", true),
            ("h\n---", true),
            ("---", true),
            ("* * *", true),
            ("a | b", true),
            ("<span>a</span> b", true),
            ("a [x]", false),
            ("a [x][y]", false),
            ("a[^1]", false),
            ("- a", false),
            ("1. a", false),
            ("> q", false),
            ("```\ncode", false),
            ("```\ncode\n```", false),
            ("    code", false),
            ("<div>", false),
            ("<!--", false),
            ("[x]: /u", false),
            ("[^1]: n", false),
            ("|a|\n|-|", false),
        ];
        let blanks = ["\n\n", "\n \n", "\n\t\n", "\n\n\n"];
        let nexts = [
            "",
            "a",
            "===",
            "---",
            "  a",
            "    a",
            "- a",
            "1. a",
            "> a",
            "|-|-|",
            "[x]: /v",
            "[y]: /w 't'",
            "[^1]: n",
            "```",
            "<div>",
            "* * *",
            "  - a",
            "b\n===",
            "-->",
        ];
        let mut checked = 0;
        for ending in ["\n", "\r\n", "\r"] {
            for (first, fed) in firsts {
                for blank in blanks {
                    for next in nexts {
                        let whole = [first, blank, next, "\n"].concat().replace('\n', ending);
                        let lead = [first, blank].concat().replace('\n', ending);
                        let batch = s.render_markdown(&whole).unwrap();
                        let mut stream = s.stream();
                        let early = stream.push(&lead).unwrap();
                        // (A bare CR at the end may be a CRLF's first half: its line is
                        // complete once the next character arrives, so the blank line is
                        // complete only if another line ending follows it.)
                        let complete = ending != "\r" || blank.matches('\n').count() > 2;
                        assert_eq!(
                            !early.committed.is_empty(),
                            fed && complete,
                            "{lead:?}: fed at its blank line"
                        );
                        let later = stream.push(&whole[lead.len()..]).unwrap();
                        let end = stream.finish().unwrap();
                        let html =
                            [early.committed.as_str(), &later.committed, &end.committed].concat();
                        let findings: Vec<_> = [early.findings, later.findings, end.findings]
                            .into_iter()
                            .flatten()
                            .collect();
                        assert_eq!(html, batch.html, "{whole:?}");
                        assert_eq!(findings, batch.findings, "{whole:?}");
                        assert_eq!(end.tail, "", "{whole:?}");
                        checked += 1;
                    }
                }
            }
        }
        assert!(checked > 5_000, "{checked}");
    }

    /// The lines a check skips while the pending lines end in an open paragraph (those
    /// starting with a letter) change nothing a check would find: over pending texts that end
    /// in a paragraph after every kind of block, held or not, and every line of up to three
    /// characters from an alphabet of marks, digits, spaces and letters, alone or followed by
    /// ` a`, on both line endings
    /// (a stream reads a bare CR as LF). For each line [`lines_start_with_letters`] accepts, the parse with it added
    /// ends in the same open paragraph, with the same blocks before it and the same finished
    /// ones.
    #[test]
    fn lines_a_check_skips_cannot_end_a_paragraph() {
        let leads = [
            "a\n",
            "a|b\n",
            "|a|b|\n",
            "# h\n\npara\n",
            "- item\n\npara\n",
            "1. item\n\npara\n",
            "> q\n\npara\n",
            "```\ncode\n```\npara\n",
            "[held] ref\n\npara\n",
            "[d]: /u\n\npara [d]\n",
            "[d]: /u\npara\n",
            "x[^1]\n\n[^1]: note\n\npara\n",
            "<div>\n\npara\n",
            "para\n    indented\n",
            "term\n: definition?\n",
            "para *open\n",
            "para <span\n",
        ];
        let mut alphabet: Vec<char> = "aZ19 \t".chars().collect();
        alphabet.extend(
            (b'!'..=b'~')
                .map(char::from)
                .filter(|c| c.is_ascii_punctuation()),
        );
        let mut lines = vec![String::new()];
        for _ in 0..3 {
            let longer: Vec<String> = lines
                .iter()
                .flat_map(|l| alphabet.iter().map(move |c| format!("{l}{c}")))
                .collect();
            lines.extend(longer);
        }
        // And each with text after it (`1.` then ` a` is a list item; empty, it is not one).
        let with_text: Vec<String> = lines.iter().map(|l| format!("{l} a")).collect();
        lines.extend(with_text);
        let (mut checked, mut skipped) = (0usize, 0usize);
        for ending in ["\n", "\r\n"] {
            for lead in leads {
                let lead = lead.replace('\n', ending);
                let before = Pending::parse(&lead, 0, false, usize::MAX);
                assert!(before.ends_in_open_paragraph(&lead), "{lead:?}");
                let found = before.finished(&lead, 0);
                for line in &lines {
                    let line = format!("{line}{ending}");
                    if !lines_start_with_letters(&line) {
                        continue;
                    }
                    skipped += 1;
                    let text = format!("{lead}{line}");
                    let after = Pending::parse(&text, 0, false, usize::MAX);
                    let sources = |p: &Pending| -> Vec<Range<usize>> {
                        let n = p.blocks.len() - 1;
                        p.blocks[..n].iter().map(|b| b.source.clone()).collect()
                    };
                    assert!(
                        after.ends_in_open_paragraph(&text)
                            && sources(&after) == sources(&before)
                            && after.finished(&text, 0) == found,
                        "{line:?} after {lead:?} ends what a check would skip"
                    );
                }
                checked += 1;
            }
        }
        assert!(skipped > 100_000, "{skipped} lines for {checked} leads");
        println!("{skipped} lines a check skips, after {checked} paragraphs: none ends one");
    }
}
