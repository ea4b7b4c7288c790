//! Prose pages and their optional TOML front matter between `+++` lines.

use std::path::PathBuf;

use super::Review;
use super::expand::Expanded;
use crate::decode;
use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::text::{FileId, Sources};

/// A Markdown page.
#[derive(Debug)]
pub struct Page {
    /// Path relative to the content directory.
    pub path: PathBuf,
    /// The loaded file.
    pub file: FileId,
    /// Owner and review keys from the front matter.
    pub review: Review,
    /// Byte offset where the Markdown body starts (after the front matter).
    pub body_start: usize,
    /// The body with `{{#include}}`/`{{#title}}` expanded, when it has any.
    pub expanded: Option<Expanded>,
}

impl Page {
    /// The Markdown to render: the body, with directives expanded.
    pub fn markdown<'a>(&'a self, sources: &'a Sources) -> &'a str {
        match &self.expanded {
            Some(e) => &e.text,
            None => &sources.get(self.file).text[self.body_start..],
        }
    }

    /// The offset in the page file of an offset in [`Page::markdown`].
    pub fn origin(&self, at: usize) -> usize {
        match &self.expanded {
            Some(e) => e.origin(at),
            None => self.body_start + at,
        }
    }

    /// The `{{#title}}` of the page, if it has one.
    pub fn title(&self) -> Option<&str> {
        self.expanded.as_ref().and_then(|e| e.title.as_deref())
    }
}

/// Splits off and parses the front matter of a page.
pub fn parse(path: PathBuf, file: FileId, sources: &Sources, diags: &mut Diagnostics) -> Page {
    let text = &sources.get(file).text;
    let mut page = Page {
        path,
        file,
        review: Review::default(),
        body_start: 0,
        expanded: None,
    };
    let Some(first) = text.lines().next() else {
        return page;
    };
    if first.trim_end() != "+++" {
        return page;
    }
    let open_len = text.find('\n').map_or(text.len(), |i| i + 1);
    debug_assert!(text.starts_with("+++"));
    // Find the closing `+++` line.
    let mut at = open_len;
    let mut close = None;
    for line in text[open_len..].split_inclusive('\n') {
        if line.trim_end() == "+++" {
            close = Some((at, at + line.len()));
            break;
        }
        at += line.len();
    }
    let Some((fm_end, body_start)) = close else {
        diags.push(
            Diagnostic::new(
                Code::FrontMatter,
                "front matter opened with +++ is never closed",
            )
            .at_span(file, 0..3)
            .with_hint("end the front matter with a line holding only +++"),
        );
        page.body_start = text.len();
        return page;
    };
    page.body_start = body_start;
    // Blank out the opening `+++` so offsets in the TOML are file offsets.
    let fm = format!("{}{}", " ".repeat(3), &text[3..fm_end]);
    let parsed = decode::parse::<Review>(&fm, file, diags);
    if let Some(r) = parsed.value {
        page.review = r;
    }
    page
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str) -> (Page, Diagnostics, Sources) {
        let mut s = Sources::new("/");
        let id = s.add("p.md", text.into());
        let mut d = Diagnostics::default();
        let p = parse("p.md".into(), id, &s, &mut d);
        (p, d, s)
    }

    #[test]
    fn front_matter_is_parsed_and_body_follows() {
        let (p, d, s) = run(
            "+++\nowner = \"platform\"\nreviewed = 2026-11-01\nreview-every = \"90d\"\n+++\n# Hi\n",
        );
        assert!(d.items().is_empty(), "{:?}", d.items());
        assert_eq!(
            p.review.owner.as_ref().unwrap().get_ref().as_str(),
            "platform"
        );
        assert_eq!(p.markdown(&s), "# Hi\n");
    }

    #[test]
    fn no_front_matter() {
        let (p, d, s) = run("# Hi\n+++\n");
        assert!(d.items().is_empty());
        assert!(p.review.owner.is_none());
        assert_eq!(p.markdown(&s), "# Hi\n+++\n");
    }

    #[test]
    fn errors_point_into_the_file() {
        let (_, d, s) = run("+++\nowner = \"platform\"\nreviewd = 2026-11-01\n+++\n");
        let e = &d.items()[0];
        assert_eq!(e.code, Code::UnknownKey);
        let loc = e.loc.as_ref().unwrap();
        assert_eq!(s.get(loc.file).line_col(loc.span.start), (3, 1));
        let (_, d, _) = run("+++\nowner = \"x\"\n");
        assert_eq!(d.items()[0].code, Code::FrontMatter);
    }
}
