//! What a render keeps after writing the pages: each prose page's search
//! sections and print chapter. The search index and the print page are made
//! from it, and `serve` uses it to render one edited page again without
//! rendering the others.

use super::renderer::Renderer;
use super::{Theme, search};
use crate::diag::Diagnostic;
use crate::model::Model;
use crate::text::Sources;
use crate::values::Date;

/// Splits the print layout where the chapters go.
pub(super) const PRINT_MARK: &str = "\u{1}govbook-print-body\u{1}";

/// What is kept of one prose page.
#[derive(Debug, Clone)]
pub(super) struct KeptPage {
    pub url: String,
    pub title: String,
    /// Its sections and words, for the search index (shared with index
    /// builds running beside an edit, see [`SearchPages`]).
    pub search: std::sync::Arc<search::PageIndex>,
    /// The page's HTML without highlight spans, for the print page.
    pub print: String,
}

/// A print chapter's body.
#[derive(Debug, Clone)]
pub(super) enum Chapter {
    /// The prose page at this index of the model's pages.
    Prose(usize),
    /// A generated page's article.
    Generated(String),
}

/// The search and print material of a rendered site.
#[derive(Debug, Clone)]
pub struct Kept {
    /// One per prose page, in the model's page order.
    pub(super) prose: Vec<KeptPage>,
    /// The generated pages' search entries (after the prose ones).
    pub(super) generated_docs: Vec<std::sync::Arc<search::PageIndex>>,
    pub(super) print_head: String,
    pub(super) print_tail: String,
    /// Opening tag and body of each print chapter, in reading order.
    pub(super) chapters: Vec<(String, Chapter)>,
}

/// Every page's search material at one moment.
pub struct SearchPages(Vec<std::sync::Arc<search::PageIndex>>);

impl SearchPages {
    /// The search index's files (`search/…`), path and contents.
    pub fn files(&self) -> Vec<(String, String)> {
        let pages: Vec<&search::PageIndex> = self.0.iter().map(|p| &**p).collect();
        search::files(&pages)
    }

    /// Hands each file of the search index to `put` as it is made.
    pub fn each_file<E: Send>(
        &self,
        put: &(dyn Fn(&str, &str) -> Result<(), E> + Sync),
    ) -> Result<(), E> {
        let pages: Vec<&search::PageIndex> = self.0.iter().map(|p| &**p).collect();
        search::each_file(&pages, put)
    }
}

/// A page rendered again by [`Kept::update_page`].
#[derive(Debug)]
pub struct Updated {
    /// Output path of the page.
    pub url: String,
    /// Its HTML.
    pub html: String,
}

impl Kept {
    /// What the search index is made of, shared (cheap to take): `serve`
    /// builds the index from it on another thread while edits go on.
    pub fn search_pages(&self) -> SearchPages {
        SearchPages(
            self.prose
                .iter()
                .map(|p| std::sync::Arc::clone(&p.search))
                .chain(self.generated_docs.iter().cloned())
                .collect(),
        )
    }

    /// `print.html`, in parts.
    pub fn print_parts(&self) -> Vec<&[u8]> {
        let mut parts: Vec<&[u8]> = vec![self.print_head.as_bytes()];
        for (open, body) in &self.chapters {
            let content = match body {
                Chapter::Prose(i) => self.prose.get(*i).map_or("", |p| p.print.as_str()),
                Chapter::Generated(article) => article.as_str(),
            };
            parts.extend([
                open.as_bytes(),
                content.as_bytes(),
                b"</section>\n".as_slice(),
            ]);
        }
        parts.push(self.print_tail.as_bytes());
        parts
    }

    /// Renders prose page `index` of `model` again after its body changed,
    /// and keeps its new search sections and print chapter. `None` when the
    /// page's title changed, which other pages show: the caller must then
    /// render the whole site.
    pub fn update_page(
        &mut self,
        model: &Model,
        sources: &Sources,
        theme: &Theme,
        today: Date,
        index: usize,
    ) -> Option<Result<Updated, Diagnostic>> {
        let page = model.pages.get(index)?;
        let old = self.prose.get(index)?;
        let r = Renderer::new(model, sources, theme, today);
        let (html, kept) = match r.prose(page) {
            Ok(x) => x,
            Err(d) => return Some(Err(d)),
        };
        if kept.title != old.title || kept.url != old.url {
            return None;
        }
        let url = kept.url.clone();
        self.prose[index] = kept;
        Some(Ok(Updated { url, html }))
    }
}
