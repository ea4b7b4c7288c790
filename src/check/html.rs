//! Raw HTML in pages, when `[output.site] raw-html = "allow"` lets it
//! through: it may format, but not run script, frame or load a document,
//! or leave the page open so that it swallows what follows (GB512).
//!
//! Each raw HTML fragment is scanned for a precise location; then the whole
//! rendered page is scanned again, because fragments and the text between
//! them are what the browser reads as one.

use std::ops::Range;

use pulldown_cmark::{Event, Parser, Tag, TagEnd};

use crate::config::RawHtml;
use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::markdown::{self, active};
use crate::model::Model;
use crate::source::Sources;

const HINT: &str = "raw HTML may format text but not run script; \
    use Markdown links and images, or set raw-html = \"escape\"";

/// Checks the raw HTML of every page (only when it is allowed through).
pub fn check(model: &Model, sources: &Sources, diags: &mut Diagnostics) {
    if model.config.raw_html() != RawHtml::Allow {
        return;
    }
    for page in &model.pages {
        let md = page.markdown(sources);
        let fragments = fragments(md);
        let mut found = false;
        for (range, text) in &fragments {
            for f in active::scan(text).into_iter().filter(|f| !f.open) {
                found = true;
                let at = range.start + line_offset(text, f.line);
                let start = page.origin(at);
                diags.push(
                    Diagnostic::new(Code::ActiveContent, format!("raw HTML with {}", f.what))
                        .at_span(page.file, start..start.max(page.origin(range.end)))
                        .with_hint(HINT),
                );
            }
        }
        if found || fragments.is_empty() {
            continue;
        }
        let body = markdown::render(md, RawHtml::Allow).html;
        if let Some(f) = active::scan(&body).into_iter().next() {
            let first = &fragments[0].0;
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
}

/// The raw HTML of a page: each HTML block whole, each inline tag alone.
fn fragments(md: &str) -> Vec<(Range<usize>, String)> {
    let mut out = Vec::new();
    let mut block: Option<(Range<usize>, String)> = None;
    for (ev, range) in Parser::new_ext(md, markdown::options()).into_offset_iter() {
        match ev {
            Event::Start(Tag::HtmlBlock) => block = Some((range, String::new())),
            Event::End(TagEnd::HtmlBlock) => out.extend(block.take()),
            Event::Html(t) => match block.as_mut() {
                Some((_, text)) => text.push_str(&t),
                None => out.push((range, t.to_string())),
            },
            Event::InlineHtml(t) => out.push((range, t.to_string())),
            _ => {}
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
        let texts: Vec<&str> = f.iter().map(|(_, t)| t.as_str()).collect();
        assert_eq!(
            texts,
            ["<b>", "</b>", "<div>\n<img src=x\nonerror=y>\n</div>\n"]
        );
        assert_eq!(&md[f[2].0.clone()], f[2].1);
        assert_eq!(line_offset(&f[2].1, 3), "<div>\n<img src=x\n".len());
    }
}
