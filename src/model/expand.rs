//! Expands `{{#include}}` and `{{#title}}` in a page, keeping a map from
//! the expanded text back to the page's own text so diagnostics about the
//! expanded Markdown still point at the right line.

use std::ops::Range;

use std::collections::HashMap;

use crate::source::{Directive, IncludeKind, Includes, Selector, directive_spans, select};

use crate::text::{FileId, Sources};

/// A page body with its directives expanded.
#[derive(Debug, Default, Clone)]
pub struct Expanded {
    /// The Markdown to render.
    pub text: String,
    /// The `{{#title}}`, if any.
    pub title: Option<String>,
    /// Where each stretch of `text` came from.
    segments: Vec<Segment>,
}

/// A stretch of expanded text and where it came from in the page file.
#[derive(Debug, Clone)]
struct Segment {
    /// The stretch, in the expanded text.
    range: Range<usize>,
    /// Where it starts in the page file: the copied text, or the directive
    /// that inserted it.
    origin: usize,
    /// Copied from the page (maps one to one), not inserted by a directive
    /// (maps to the directive's start).
    copied: bool,
}

impl Expanded {
    /// The page-file offset of an offset in the expanded text.
    pub fn origin(&self, at: usize) -> usize {
        let i = self.segments.partition_point(|s| s.range.end <= at);
        match self.segments.get(i).or(self.segments.last()) {
            Some(s) if s.copied => s.origin + at.saturating_sub(s.range.start),
            Some(s) => s.origin,
            None => at,
        }
    }
}

/// How much text expansion may produce: includes that include others many
/// times multiply (five files each including the next ten times make 100,000
/// copies), so every byte made, nested expansions included, is counted
/// against the page and against the whole book.
#[derive(Debug)]
pub struct Budget {
    page: usize,
    book: usize,
}

/// The most text one page's expansion may make: as much as a page may hold.
pub const MAX_PAGE: usize = crate::source::MAX_TEXT as usize;
/// The most text the expansions of all pages may make together.
pub const MAX_BOOK: usize = 256 << 20;

/// The budget ran out: the page or the book expands past its limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Overflow {
    /// The book's budget ran out, not only the page's.
    pub book: bool,
}

impl Budget {
    /// A budget for a whole book.
    pub fn for_book() -> Budget {
        Budget {
            page: MAX_PAGE,
            book: MAX_BOOK,
        }
    }

    /// Starts the next page with a full page budget.
    pub fn next_page(&mut self) {
        self.page = MAX_PAGE;
    }

    fn spend(&mut self, bytes: usize) -> Result<(), Overflow> {
        if bytes > self.book {
            self.book = 0;
            return Err(Overflow { book: true });
        }
        if bytes > self.page {
            return Err(Overflow { book: false });
        }
        self.book -= bytes;
        self.page -= bytes;
        Ok(())
    }
}

/// Expands the directives of `file` from `start` on. `Ok(None)` when there
/// are none (the body is used as it is); `Err` when the expansion would
/// pass `budget`.
pub fn expand(
    sources: &Sources,
    includes: &Includes,
    file: FileId,
    start: usize,
    budget: &mut Budget,
) -> Result<Option<Expanded>, Overflow> {
    let text = &sources.get(file).text;
    if let Some(title) = includes.linked.get(&file) {
        // Expanded before the preprocessors that came after `links`: only
        // the title is left to carry.
        return Ok(title.as_ref().map(|t| {
            let mut out = Expanded {
                title: Some(t.clone()),
                ..Expanded::default()
            };
            let _ = copy(&mut out, &text[start.min(text.len())..], start, budget);
            out
        }));
    }
    let directives = includes.of(file);
    if directives.iter().all(|(r, _)| r.start < start) {
        return Ok(None);
    }
    let mut out = Expanded::default();
    let mut at = start;
    for (span, d) in directives.iter().filter(|(r, _)| r.start >= start) {
        copy(&mut out, &text[at..span.start], at, budget)?;
        let inserted = match d {
            Directive::Include {
                file,
                selector,
                kind,
            } => inline(
                sources,
                includes,
                (*file, selector, kind),
                &mut out.title,
                budget,
            )?,
            Directive::Title(t) => {
                out.title = Some(t.clone());
                String::new()
            }
            Directive::Escaped => text[span.clone()].trim_start_matches('\\').to_owned(),
            Directive::Broken => String::new(),
        };
        budget.spend(inserted.len())?;
        let begin = out.text.len();
        out.text.push_str(&inserted);
        out.segments.push(Segment {
            range: begin..out.text.len(),
            origin: span.start,
            copied: false,
        });
        at = span.end;
    }
    copy(&mut out, &text[at..], at, budget)?;
    Ok(Some(out))
}

fn copy(out: &mut Expanded, s: &str, orig: usize, budget: &mut Budget) -> Result<(), Overflow> {
    budget.spend(s.len())?;
    let begin = out.text.len();
    out.text.push_str(s);
    out.segments.push(Segment {
        range: begin..out.text.len(),
        origin: orig,
        copied: true,
    });
    Ok(())
}

/// What an include inserts, as mdBook makes it: the selected lines of the
/// file first, then the directives in them expanded (so `file:2:5` counts
/// the file's own lines, and directives outside the selection do nothing).
/// Cycles were cut when the includes were loaded, so this ends; the budget
/// bounds how much it makes. A `{{#title}}` in the inserted text sets
/// `title`, as mdBook's `links` lets an included file name the page.
fn inline(
    sources: &Sources,
    includes: &Includes,
    (file, selector, kind): (FileId, &Selector, &IncludeKind),
    title: &mut Option<String>,
    budget: &mut Budget,
) -> Result<String, Overflow> {
    let selected = select(&sources.get(file).text, selector, kind);
    budget.spend(selected.len())?;
    let known = includes.of(file);
    if known.is_empty() {
        return Ok(selected);
    }
    // A directive in the selection is one of the file's own, found by its
    // text (the same text in the same file means the same thing).
    let src = &sources.get(file).text;
    let by_text: HashMap<&str, &Directive> = known
        .iter()
        .map(|(span, d)| (&src[span.clone()], d))
        .collect();
    let mut out = String::with_capacity(selected.len());
    let mut at = 0;
    for m in directive_spans(&selected) {
        let Some(d) = by_text.get(&selected[m.clone()]) else {
            continue;
        };
        out.push_str(&selected[at..m.start]);
        match d {
            Directive::Include {
                file,
                selector,
                kind,
            } => out.push_str(&inline(
                sources,
                includes,
                (*file, selector, kind),
                title,
                budget,
            )?),
            Directive::Escaped => out.push_str(&selected[m.start + 1..m.end]),
            Directive::Title(t) => *title = Some(t.clone()),
            Directive::Broken => {}
        }
        at = m.end;
    }
    out.push_str(&selected[at..]);
    budget.spend(out.len())?;
    Ok(out)
}
