//! Raw HTML in pages. Under `raw-html = "allow"` it may format, but not
//! run script, frame or load a document, or leave the page open so that it
//! swallows what follows (GB512). Under `"sanitize"` each element or
//! attribute the sanitizer removes is a warning where it is written (GB514).
//!
//! Each raw HTML fragment is scanned for a precise location; then the whole
//! rendered page is scanned again, because fragments and the text between
//! them are what the browser reads as one.

use std::collections::BTreeSet;
use std::ops::Range;

use pulldown_cmark::{Event, Parser};

use crate::config::RawHtml;
use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::markdown::{self, Outline, active, sanitize};
use crate::model::{Model, Page};
use crate::text::Sources;

const HINT: &str = "raw HTML may format text but not run script; \
    use Markdown links and images, or set raw-html = \"escape\"";

/// Checks the raw HTML of every page (only when it is allowed through);
/// `outlines` (in page order) tell which pages have any.
pub(super) fn check(
    model: &Model,
    sources: &Sources,
    outlines: &[Outline],
    diags: &mut Diagnostics,
) {
    let with_html = model
        .pages
        .iter()
        .zip(outlines)
        .filter(|(_, o)| o.has_html)
        .map(|(p, _)| p);
    check_pages(model, sources, with_html, diags);
    check_pages(model, sources, &model.not_found, diags);
}

/// Checks the raw HTML of these pages (only when it is kept).
pub(super) fn check_pages<'a>(
    model: &Model,
    sources: &Sources,
    pages: impl IntoIterator<Item = &'a Page>,
    diags: &mut Diagnostics,
) {
    match model.config.raw_html() {
        RawHtml::Escape => {}
        RawHtml::Sanitize => {
            for page in pages {
                removals(page, sources, &model.config.flavor.classes, diags);
            }
        }
        RawHtml::Allow => {
            for page in pages {
                active_content(page, sources, diags);
            }
        }
    }
}

/// GB514 for each element or attribute the sanitizer removes from a page.
/// The page's raw HTML is read as one, as the sanitizer reads it.
fn removals(page: &Page, sources: &Sources, classes: &BTreeSet<String>, diags: &mut Diagnostics) {
    let md = page.markdown(sources);
    let Some(all) = joined(fragments(md)) else {
        return;
    };
    let removed = sanitize::scan_with(&all.text, classes).removed;
    // The same removal repeated through a page (a class on every entry of
    // a generated list) is one warning, at its first place, with a count.
    let mut seen: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for r in &removed {
        *seen.entry(r.what.as_str()).or_default() += 1;
    }
    for r in &removed {
        let Some(n) = seen.remove(r.what.as_str()) else {
            continue;
        };
        let more = match n {
            1 => String::new(),
            2 => " (and once more in this file)".into(),
            n => format!(" (and {} more times in this file)", n - 1),
        };
        let at = all.origin(r.at);
        diags.push(
            Diagnostic::new(
                Code::RawHtmlRemoved,
                format!("removed from raw HTML: {}{more}", r.what),
            )
            .at_span(
                page.file,
                page.origin(at)..page.origin(at + 1).max(page.origin(at)),
            )
            .with_hint(if r.what.starts_with("the class") {
                "a class stays when it is `warning` or an [output.html] additional-css \
                 file selects it, unless the site's own theme uses it"
            } else {
                "raw-html = \"sanitize\" keeps formatting, tables, images from the book \
                     and anchors; drop it, or use Markdown"
            }),
        );
    }
}

/// GB512 for active content in a page's raw HTML.
fn active_content(page: &Page, sources: &Sources, diags: &mut Diagnostics) {
    let md = page.markdown(sources);
    let fragments = fragments(md);
    let mut found = false;
    let mut context = active::Context::default();
    for frag in &fragments {
        let findings = active::scan_in(&frag.text, &mut context);
        for f in findings.into_iter().filter(|f| !f.open) {
            found = true;
            let at = frag.origin(line_offset(&frag.text, f.line));
            let line_end = md[at..].find('\n').map_or(md.len(), |i| at + i);
            let end = line_end.min(frag.span().end).max(at);
            diags.push(
                Diagnostic::new(Code::ActiveContent, format!("raw HTML with {}", f.what))
                    .at_span(page.file, page.origin(at)..page.origin(end))
                    .with_hint(HINT),
            );
        }
    }
    if found || fragments.is_empty() {
        return;
    }
    let body = markdown::render(md, RawHtml::Allow).html;
    if let Some(f) = active::scan(&body).into_iter().next() {
        let first = fragments[0].span();
        let start = page.origin(first.start);
        diags.push(
            Diagnostic::new(
                Code::ActiveContent,
                format!(
                    "the raw HTML of this page, read with the text around it, leaves {}",
                    f.what
                ),
            )
            .at_span(page.file, start..start.max(page.origin(first.end)))
            .with_hint("close every element, tag, quote and comment the raw HTML opens"),
        );
    }
}

/// One piece of raw HTML: its text and, for each part of it, the span in
/// the page (an HTML block arrives line by line, and inside a block quote
/// its lines are not contiguous in the source).
struct Fragment {
    text: String,
    parts: Vec<(usize, Range<usize>)>,
}

impl Fragment {
    /// The span in the page of a byte offset in the text.
    fn origin(&self, at: usize) -> usize {
        let i = self
            .parts
            .partition_point(|(s, _)| *s <= at)
            .saturating_sub(1);
        let (s, span) = &self.parts[i];
        (span.start + (at - s)).min(span.end)
    }

    fn span(&self) -> Range<usize> {
        let start = self.parts.first().map_or(0, |(_, r)| r.start);
        let end = self.parts.last().map_or(start, |(_, r)| r.end);
        start..end
    }
}

/// All the fragments of a page as one text, or `None` when there are none.
fn joined(fragments: Vec<Fragment>) -> Option<Fragment> {
    let mut all: Option<Fragment> = None;
    for f in fragments {
        let Some(a) = all.as_mut() else {
            all = Some(f);
            continue;
        };
        let base = a.text.len();
        a.parts
            .extend(f.parts.into_iter().map(|(s, span)| (s + base, span)));
        a.text.push_str(&f.text);
    }
    all
}

/// The raw HTML of a page: each run of HTML block lines whole, each inline
/// tag alone.
fn fragments(md: &str) -> Vec<Fragment> {
    let mut out = Vec::new();
    let mut block: Option<Fragment> = None;
    for (ev, range) in Parser::new_ext(md, markdown::options()).into_offset_iter() {
        match ev {
            Event::Html(t) => {
                let f = block.get_or_insert_with(|| Fragment {
                    text: String::new(),
                    parts: Vec::new(),
                });
                f.parts.push((f.text.len(), range));
                f.text.push_str(&t);
            }
            Event::InlineHtml(t) => {
                out.extend(block.take());
                out.push(Fragment {
                    text: t.to_string(),
                    parts: vec![(0, range)],
                });
            }
            _ => out.extend(block.take()),
        }
    }
    out.extend(block);
    out
}

/// The byte offset where 1-based `line` starts in `text`.
fn line_offset(text: &str, line: usize) -> usize {
    if line <= 1 {
        return 0;
    }
    text.match_indices('\n')
        .nth(line - 2)
        .map_or(text.len(), |(i, _)| i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fragments_keep_blocks_whole_and_inline_tags_apart() {
        let md = "Text <b>bold</b>.\n\n<div>\n<img src=x\nonerror=y>\n</div>\n";
        let f = fragments(md);
        let texts: Vec<&str> = f.iter().map(|f| f.text.as_str()).collect();
        assert_eq!(
            texts,
            ["<b>", "</b>", "<div>\n<img src=x\nonerror=y>\n</div>\n"]
        );
        assert_eq!(&md[f[2].span()], f[2].text);
        let third = line_offset(&f[2].text, 3);
        assert_eq!(&md[f[2].origin(third)..][..9], "onerror=y");
        // In a block quote the lines of a block are apart in the source.
        let md = "> <div>\n> <img src=x\n> onerror=y>\n> </div>\n";
        let f = fragments(md);
        assert_eq!(f.len(), 1);
        let third = line_offset(&f[0].text, 3);
        assert_eq!(&md[f[0].origin(third)..][..9], "onerror=y");
    }
}
