//! The terminal's layout: lines, the prefixes of nested quotes, list items and code blocks,
//! safemark's own SGR styling, tables. Text reaches the terminal only through [`Term::text`],
//! which makes every control character visible.

use std::ops::Range;

use super::{visible, TerminalOptions};
use crate::report::{Finding, FindingKind};

pub(super) const BOLD: &str = "\x1b[1m";
pub(super) const ITALIC: &str = "\x1b[3m";
pub(super) const UNDERLINE: &str = "\x1b[4m";
pub(super) const STRIKE: &str = "\x1b[9m";
pub(super) const CODE: &str = "\x1b[36m";
pub(super) const DIM: &str = "\x1b[2m";
pub(super) const RESET: &str = "\x1b[0m";

/// The widest the line prefixes of nested lists, quotes and code may get, in columns.
pub(super) const MAX_PREFIX_WIDTH: usize = 40;

/// A line prefix: what the first line of a list item or quote starts with, then the rest.
pub(super) struct Prefix {
    pub(super) first: String,
    pub(super) rest: String,
    pub(super) used: bool,
}

/// An open link: how it ends.
pub(super) enum LinkEnd {
    /// Trusted: the URL to show after the text (when it is not the text itself), and whether
    /// an OSC 8 hyperlink was opened.
    Trusted {
        url: String,
        osc8: bool,
        text: String,
    },
    /// Untrusted: the host and whether the URL goes on past it.
    Untrusted(Option<String>),
    /// A fragment or a refused destination with nothing to show.
    Plain,
}

pub(super) struct Table {
    /// How many bytes of input it was written from.
    pub(super) source_len: usize,
    pub(super) rows: Vec<Vec<String>>,
    pub(super) head_rows: usize,
    pub(super) in_head: bool,
}

pub(super) struct Term {
    /// `limits.max_nesting`: at most this many line prefixes are open.
    pub(super) max_nesting: usize,
    pub(super) options: TerminalOptions,
    pub(super) out: String,
    /// Findings of this output's own (controls made visible, layout flattened), handed on
    /// after each judged event.
    pub(super) findings: Vec<Finding>,
    /// One per open list item, block quote and code block; `None` past the nesting limit.
    pub(super) prefixes: Vec<Prefix>,
    /// One per open list item, block quote and code block: whether it has a prefix in
    /// `prefixes` (false past the nesting limit, where it is flattened into its parent).
    pub(super) containers: Vec<bool>,
    pub(super) at_line_start: bool,
    /// A blank line is due before the next block.
    pub(super) gap: bool,
    /// Open SGR styles, in order, re-applied after one of them ends.
    pub(super) styles: Vec<&'static str>,
    /// How many times each distinct style is open: what is re-applied is each style once, so
    /// deeply nested emphasis costs a bounded number of codes per end.
    pub(super) active: Vec<(&'static str, usize)>,
    pub(super) links: Vec<LinkEnd>,
    pub(super) table: Option<Table>,
    /// For each open list: the next item number (`None`: bulleted).
    pub(super) lists: Vec<Option<u64>>,
    pub(super) nesting_reported: bool,
    /// The next block starts on the current line (after a footnote's label).
    pub(super) join_next: bool,
}

impl Term {
    /// Writes text from the input: controls made visible (and reported), prefixes at line
    /// starts.
    pub(super) fn text(&mut self, s: &str, range: &Range<usize>) {
        let (s, changed) = visible(s);
        self.report_controls(changed, range);
        self.put(&s);
    }

    pub(super) fn report_controls(&mut self, changed: usize, range: &Range<usize>) {
        if changed > 0 {
            self.findings.push(
                Finding::new(FindingKind::ControlCharacter)
                    .range(Some(range.clone()))
                    .detail(format!("{changed} control character(s) made visible")),
            );
        }
    }

    /// Puts visible text where it goes: the open table cell, or the output (and the open
    /// trusted link's text).
    pub(super) fn put(&mut self, s: &str) {
        if self.table.is_some() {
            if let Some(cell) = self.cell() {
                cell.push_str(&s.replace('\n', " "));
            }
            return;
        }
        if let Some(LinkEnd::Trusted { text, .. }) = self.links.last_mut() {
            text.push_str(s);
        }
        self.write(s);
    }

    /// The open table cell.
    pub(super) fn cell(&mut self) -> Option<&mut String> {
        self.table.as_mut()?.rows.last_mut()?.last_mut()
    }

    /// Writes safemark's own text (already safe), with prefixes at line starts.
    pub(super) fn write(&mut self, s: &str) {
        for (i, line) in s.split('\n').enumerate() {
            if i > 0 {
                self.out.push('\n');
                self.at_line_start = true;
            }
            if line.is_empty() {
                continue;
            }
            if self.at_line_start {
                self.prefix();
            }
            self.out.push_str(line);
        }
    }

    pub(super) fn prefix(&mut self) {
        for p in &mut self.prefixes {
            if p.used {
                self.out.push_str(&p.rest);
            } else {
                self.out.push_str(&p.first);
                p.used = true;
            }
        }
        self.at_line_start = false;
    }

    /// An SGR code of safemark's own, only when styling.
    pub(super) fn sgr(&mut self, code: &'static str) {
        if self.options.color {
            self.out.push_str(code);
        }
    }

    pub(super) fn style_start(&mut self, code: &'static str) {
        if self.at_line_start {
            self.prefix();
        }
        self.styles.push(code);
        match self.active.iter_mut().find(|(c, _)| *c == code) {
            Some((_, n)) => *n += 1,
            None => self.active.push((code, 1)),
        }
        self.sgr(code);
    }

    pub(super) fn style_end(&mut self) {
        if let Some(code) = self.styles.pop() {
            if let Some(i) = self.active.iter().position(|(c, _)| *c == code) {
                self.active[i].1 -= 1;
                if self.active[i].1 == 0 {
                    self.active.remove(i);
                }
            }
        }
        self.reapply();
    }

    /// Resets the styling and applies each open style once.
    pub(super) fn reapply(&mut self) {
        if self.options.color {
            self.out.push_str(RESET);
            for (code, _) in &self.active {
                self.out.push_str(code);
            }
        }
    }

    pub(super) fn end_line(&mut self) {
        if !self.at_line_start {
            self.out.push('\n');
            self.at_line_start = true;
        }
    }

    pub(super) fn block_start(&mut self) {
        if std::mem::take(&mut self.join_next) {
            // The first block of a footnote continues its `[label]: ` line.
            self.gap = false;
            return;
        }
        self.end_line();
        if self.gap && !self.out.is_empty() {
            // The blank line keeps the quote markers of the blocks around it.
            let quote: String = self
                .prefixes
                .iter()
                .filter(|p| p.rest.starts_with('>'))
                .map(|p| p.rest.trim_end())
                .collect();
            self.out.push_str(&quote);
            self.out.push('\n');
        }
        self.gap = false;
    }

    pub(super) fn block_end(&mut self) {
        self.end_line();
        self.gap = true;
    }

    /// Opens a container's line prefix. A container the judge flattened (`shown` false), or
    /// one past `limits.max_nesting` prefixes (code blocks have one too) or past
    /// [`MAX_PREFIX_WIDTH`] columns of prefixes, is flattened into its parent (with a
    /// `nesting_limit` finding), so every line costs a bounded prefix.
    pub(super) fn push_prefix(&mut self, first: String, rest: String, shown: bool) {
        // At most MAX_PREFIX_WIDTH / 2 prefixes are open, so this sum is bounded.
        let width: usize = self.prefixes.iter().map(|p| p.rest.len()).sum::<usize>() + rest.len();
        let fits = self.prefixes.len() < self.max_nesting && width <= MAX_PREFIX_WIDTH;
        // Containers past the nesting limit are flattened by the judge (which reports
        // them); a prefix that does not fit the layout is this output's own finding.
        let fits = fits && shown;
        if !fits && shown && !self.nesting_reported {
            self.nesting_reported = true;
            self.findings.push(
                Finding::new(FindingKind::NestingLimit)
                    .detail("containers flattened in terminal output".to_string()),
            );
        }
        if fits {
            self.prefixes.push(Prefix {
                first,
                rest,
                used: false,
            });
        }
        self.containers.push(fits);
    }

    /// Closes the innermost container's line prefix.
    pub(super) fn pop_prefix(&mut self) {
        if self.containers.pop() == Some(true) {
            self.prefixes.pop();
        }
    }

    pub(super) fn inline_style(&mut self, code: &'static str, plain: &str) {
        if self.table.is_some() {
            return;
        }
        if self.options.color {
            self.style_start(code);
        } else if !plain.is_empty() {
            self.write(plain);
        }
    }

    pub(super) fn inline_style_end(&mut self, plain: &str) {
        if self.table.is_some() {
            return;
        }
        if self.options.color {
            self.style_end();
        } else if !plain.is_empty() {
            self.write(plain);
        }
    }

    /// What safemark adds after a link: dimmed when styling; in a table cell, plain.
    pub(super) fn suffix(&mut self, s: &str) {
        if let Some(cell) = self.cell() {
            cell.push_str(s);
            return;
        }
        self.sgr(DIM);
        self.write(s);
        self.reapply();
    }

    /// Writes a table with aligned columns, or, when padding would make it more than a few
    /// times longer than its source (one long cell over many short rows), with cells only
    /// separated: output stays linear in the input.
    pub(super) fn write_table(&mut self, table: Table) {
        let columns = table.rows.iter().map(Vec::len).max().unwrap_or(0);
        let mut widths = vec![3; columns];
        for row in &table.rows {
            for (i, cell) in row.iter().enumerate() {
                widths[i] = widths[i].max(cell.trim().chars().count());
            }
        }
        let line_width = widths.iter().sum::<usize>() + 3 * columns;
        let aligned = table
            .rows
            .len()
            .saturating_add(1)
            .saturating_mul(line_width)
            <= 4 * table.source_len + 1024;
        for (r, row) in table.rows.iter().enumerate() {
            let mut line = String::new();
            // Trailing empty cells are left out.
            let used = row
                .iter()
                .rposition(|c| !c.trim().is_empty())
                .map_or(0, |i| i + 1);
            for (i, width) in widths.iter().enumerate().take(used) {
                let cell = row.get(i).map(|c| c.trim()).unwrap_or("");
                if i > 0 {
                    line.push_str(" | ");
                }
                line.push_str(cell);
                if aligned && i + 1 < columns {
                    line.push_str(&" ".repeat(width - cell.chars().count()));
                }
            }
            self.write(line.trim_end());
            self.write("\n");
            if r + 1 == table.head_rows {
                let rule: Vec<String> = widths
                    .iter()
                    .map(|w| "-".repeat(if aligned { *w } else { 3 }))
                    .collect();
                self.write(&rule.join(" | "));
                self.write("\n");
            }
        }
    }
}
