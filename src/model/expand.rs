//! Expands `{{#include}}` and `{{#title}}` in a page, keeping a map from
//! the expanded text back to the page's own text so diagnostics about the
//! expanded Markdown still point at the right line.

use std::ops::Range;

use crate::source::{Directive, Includes, select};

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

/// Expands the directives of `file` from `start` on. `None` when there are
/// none (the body is used as it is).
pub fn expand(
    sources: &Sources,
    includes: &Includes,
    file: FileId,
    start: usize,
) -> Option<Expanded> {
    let directives = includes.of(file);
    if directives.iter().all(|(r, _)| r.start < start) {
        return None;
    }
    let text = &sources.get(file).text;
    let mut out = Expanded::default();
    let mut at = start;
    for (span, d) in directives.iter().filter(|(r, _)| r.start >= start) {
        copy(&mut out, &text[at..span.start], at);
        let inserted = match d {
            Directive::Include { file, selector } => {
                select(&inline(sources, includes, *file, 0), selector)
            }
            Directive::Title(t) => {
                out.title = Some(t.clone());
                String::new()
            }
            Directive::Escaped => text[span.clone()].trim_start_matches('\\').to_owned(),
            Directive::Broken => String::new(),
        };
        let begin = out.text.len();
        out.text.push_str(&inserted);
        out.segments.push(Segment {
            range: begin..out.text.len(),
            origin: span.start,
            copied: false,
        });
        at = span.end;
    }
    copy(&mut out, &text[at..], at);
    Some(out)
}

fn copy(out: &mut Expanded, s: &str, orig: usize) {
    let begin = out.text.len();
    out.text.push_str(s);
    out.segments.push(Segment {
        range: begin..out.text.len(),
        origin: orig,
        copied: true,
    });
}

/// The full text of an included file with its own directives expanded.
/// Cycles were cut when the includes were loaded, so this ends.
fn inline(sources: &Sources, includes: &Includes, file: FileId, start: usize) -> String {
    match expand(sources, includes, file, start) {
        Some(e) => e.text,
        None => sources.get(file).text[start..].to_owned(),
    }
}
