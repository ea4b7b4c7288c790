//! What templates see: the `book` and `page` objects documented in
//! `themes/README.md`.

use serde::Serialize;

use crate::model::{Governance, Model, Review};
use crate::values::{Cadence, Date};

/// `book` in every template.
#[derive(Debug, Clone, Serialize)]
pub struct BookCtx {
    pub title: String,
    pub description: String,
    pub version: String,
    pub baseline: String,
    pub language: String,
}

impl BookCtx {
    /// From `book.toml`.
    pub fn new(model: &Model) -> BookCtx {
        let b = &model.config.book;
        BookCtx {
            title: b.title.clone().unwrap_or_else(|| "Handbook".to_owned()),
            description: b.description.clone().unwrap_or_default(),
            version: model.config.version(),
            baseline: model.config.baseline(),
            language: b.language.clone().unwrap_or_else(|| "en".to_owned()),
        }
    }
}

/// A link to another page.
#[derive(Debug, Clone, Serialize)]
pub struct PageLink {
    pub title: String,
    pub url: String,
}

/// A team as shown on a page.
#[derive(Debug, Clone, Serialize)]
pub struct OwnerCtx {
    pub id: String,
    pub name: String,
}

/// A heading in the page's table of contents.
#[derive(Debug, Clone, Serialize)]
pub struct TocEntry {
    pub level: u8,
    pub id: String,
    pub text: String,
}

/// `page` in every template.
#[derive(Debug, Clone, Serialize, Default)]
pub struct PageCtx {
    pub title: String,
    pub path: String,
    pub root: String,
    pub kind: &'static str,
    pub content: String,
    pub toc: Vec<TocEntry>,
    pub owner: Option<OwnerCtx>,
    pub reviewed: Option<String>,
    pub review_every: Option<String>,
    pub due: Option<String>,
    pub overdue: bool,
    pub prev: Option<PageLink>,
    pub next: Option<PageLink>,
    pub source: String,
}

impl PageCtx {
    /// A page at `path` (relative to the site root).
    pub fn new(path: &str, title: &str, kind: &'static str) -> PageCtx {
        PageCtx {
            title: title.to_owned(),
            path: path.to_owned(),
            root: root_of(path),
            kind,
            ..PageCtx::default()
        }
    }

    /// Fills the owner and review fields.
    pub fn review(&mut self, review: &Review, gov: Option<&Governance>, today: Date) {
        let default: Option<Cadence> = gov.and_then(Governance::default_review_every);
        self.owner = review.owner.as_ref().map(|o| {
            let id = o.get_ref().to_string();
            let name = gov.and_then(|g| g.team_name(&id)).unwrap_or(&id).to_owned();
            OwnerCtx { id, name }
        });
        self.reviewed = review.reviewed.as_ref().map(|d| d.get_ref().to_string());
        self.review_every = review.cadence(default).map(|c| c.to_string());
        let due = review.due(default);
        self.due = due.map(|d| d.to_string());
        self.overdue = due.is_some_and(|d| d < today);
    }
}

/// `../` once per directory of `path`.
pub(super) fn root_of(path: &str) -> String {
    "../".repeat(path.matches('/').count())
}
