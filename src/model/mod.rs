//! Parsing: turns the loaded text into the typed model that checks and
//! renderers read. Every value keeps a way back to its span.

pub mod concerns;
pub mod expand;
pub mod fleet;
pub mod observations;
pub mod pages;
pub mod summary;
mod table;

use serde::Deserialize;
use serde::de::DeserializeOwned;
use toml::Spanned;

pub use concerns::*;
pub use observations::Observation;
pub use pages::Page;
pub use summary::{Chapter, ChapterKind, Summary, SummaryItem};
pub(crate) use table::load_into;
pub use table::{CONCERNS, Concern, FileRule, Governance, concern, file_schemas};

use crate::config::BookConfig;
use crate::decode::{self, SpanIndex};
use crate::diag::{Code, Diagnostic, Diagnostics, did_you_mean};
use crate::source::{ContentTree, Includes};
use crate::text::{FileId, Sources};
use crate::values::{Cadence, Date, Id};

/// Ownership and review keys: front matter of a page, or the top-level keys
/// of a governance file.
#[derive(Debug, Default, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Review {
    /// Team id of the owner.
    #[schemars(with = "Option<Id>")]
    pub owner: Option<Spanned<Id>>,
    /// When it was last reviewed.
    #[schemars(with = "Option<Date>")]
    pub reviewed: Option<Spanned<Date>>,
    /// `review-every`: how often it must be reviewed; defaults to
    /// `default-review-every` in `owners.toml`.
    #[schemars(with = "Option<Cadence>")]
    pub review_every: Option<Spanned<Cadence>>,
}

impl Review {
    /// The review cadence: the page's own, else `default`.
    pub fn cadence(&self, default: Option<Cadence>) -> Option<Cadence> {
        self.review_every.as_ref().map(|c| *c.get_ref()).or(default)
    }

    /// When the next review is due, if a review date and a cadence are known.
    pub fn due(&self, default: Option<Cadence>) -> Option<Date> {
        let reviewed = self.reviewed.as_ref()?;
        Some(self.cadence(default)?.after(*reviewed.get_ref()))
    }
}

impl Governance {
    /// The cadence for pages and files that name none.
    pub fn default_review_every(&self) -> Option<Cadence> {
        self.owners
            .as_ref()
            .and_then(|o| o.value.default_review_every)
    }

    /// A team's display name.
    pub fn team_name(&self, id: &str) -> Option<&str> {
        let owners = self.owners.as_ref()?;
        owners
            .value
            .team
            .iter()
            .find(|t| t.get_ref().id.as_str() == id)
            .map(|t| t.get_ref().name.as_str())
    }
}

/// One governance source file, parsed.
#[derive(Debug)]
pub struct GovFile<T> {
    /// The file.
    pub file: FileId,
    /// Its typed content (partial when some items had errors).
    pub value: T,
    /// Owner and review keys.
    pub review: Review,
    /// Spans of every key and value.
    pub spans: SpanIndex,
}

/// The whole typed model of a book.
#[derive(Debug, Default)]
pub struct Model {
    /// `book.toml`.
    pub config: BookConfig,
    /// `SUMMARY.md`.
    pub summary: Summary,
    /// Every Markdown page, sorted by path.
    pub pages: Vec<Page>,
    /// The governance sources, when the book has a `governance/` directory.
    pub governance: Option<Governance>,
    /// Metric observations from `metrics/*.csv`.
    pub observations: Vec<Observation>,
    /// Whether the content directory exists.
    pub content_found: bool,
    /// Markdown files SUMMARY.md does not list (not pages).
    pub unlisted: Vec<std::path::PathBuf>,
    /// `404.md`, the not-found page's body, when the book has one.
    pub not_found: Option<Page>,
    /// Files pulled into pages by `{{#include}}`.
    pub included: Vec<FileId>,
    /// Artifact templates, `templates/*.tera` (file name, file).
    pub templates: Vec<(String, FileId)>,
    /// Static files of the content directory, read when written.
    pub assets: Vec<crate::source::Asset>,
    /// Whether some source could not be fully parsed; reference checks are
    /// skipped then, since the missing items would cause false reports.
    pub incomplete: bool,
    /// The repositories of the fleet's drift reports (`[fleet] reports`).
    pub fleet: Vec<fleet::Repo>,
}

/// Parses everything loaded into `sources`.
pub fn parse(
    sources: &Sources,
    config: BookConfig,
    mut tree: ContentTree,
    includes: &Includes,
    diags: &mut Diagnostics,
) -> Model {
    // Static files can be large: moved into the model, never copied.
    let assets = std::mem::take(&mut tree.assets);
    let tree = &tree;
    let errors_before = diags.errors();
    let summary = match tree.summary {
        Some(id) => summary::parse(&sources.get(id).text, id, diags),
        None => Summary::default(),
    };
    // A file pulled into pages by `{{#include}}` is a partial, not a page
    // of its own, unless SUMMARY.md lists it (mdBook renders it then too).
    let listed: std::collections::HashSet<std::path::PathBuf> =
        summary.chapters().filter_map(|c| c.target()).collect();
    let mut budget = expand::Budget::for_book();
    let pages = tree
        .pages
        .iter()
        .filter(|(path, id)| listed.contains(path) || !includes.is_included(*id))
        .map(|(path, id)| {
            let mut page = pages::parse(path.clone(), *id, sources, diags);
            budget.next_page();
            match expand::expand(sources, includes, *id, page.body_start, &mut budget) {
                Ok(expanded) => page.expanded = expanded,
                Err(overflow) => diags.push(expansion_too_large(path, *id, overflow)),
            }
            page
        })
        .collect();
    let governance = tree
        .has_governance
        .then(|| parse_governance(sources, tree, diags));
    let observations = tree
        .metrics
        .iter()
        .flat_map(|&id| observations::parse(sources, id, diags))
        .collect();
    // mdBook reads 404.md as it is: no includes.
    let not_found = tree
        .not_found
        .as_ref()
        .map(|(path, id)| pages::parse(path.clone(), *id, sources, diags));
    Model {
        config,
        summary,
        pages,
        unlisted: tree.unlisted.clone(),
        not_found,
        governance,
        observations,
        content_found: tree.found,
        assets,
        templates: tree.templates.clone(),
        included: includes.targets(),
        incomplete: diags.errors() > errors_before,
        fleet: Vec::new(),
    }
}

/// A page whose includes make more text than govbook renders (GB011).
pub fn expansion_too_large(
    path: &std::path::Path,
    file: FileId,
    overflow: expand::Overflow,
) -> Diagnostic {
    let (what, limit) = if overflow.book {
        ("the book's pages together", expand::MAX_BOOK)
    } else {
        ("this page", expand::MAX_PAGE)
    };
    Diagnostic::new(
        Code::TooLarge,
        format!(
            "{} with its includes expands past {} MiB, the most {what} may make",
            path.display(),
            limit >> 20
        ),
    )
    .at_span(file, 0..0)
    .with_hint("include each file once, or split the page: includes that include others multiply")
}

fn parse_governance(sources: &Sources, tree: &ContentTree, diags: &mut Diagnostics) -> Governance {
    let mut g = Governance::default();
    for (stem, id) in &tree.governance {
        if !load_into(&mut g, stem, sources, *id, diags) {
            let other = stem.as_str();
            let names = CONCERNS.iter().filter(|c| c.has_file()).map(|c| c.name);
            diags.push(
                Diagnostic::new(
                    Code::UnknownGovernanceFile,
                    format!("govbook does not read governance/{other}.toml"),
                )
                .at_span(*id, 0..0)
                .with_hint_opt(did_you_mean(other, names).map(|h| format!("{h} (as a file name)"))),
            );
        }
    }
    g.missing = CONCERNS
        .iter()
        .filter(|c| {
            c.file == FileRule::Required
                && !tree.governance.iter().any(|(s, _)| s == c.name)
                && !tree.governance_unreadable.iter().any(|s| s == c.name)
        })
        .map(|c| c.name)
        .collect();
    g
}

pub(crate) fn load<T: DeserializeOwned + Default>(
    sources: &Sources,
    file: FileId,
    diags: &mut Diagnostics,
) -> Option<GovFile<T>> {
    if decode::is_empty(sources, file, diags) {
        return None;
    }
    let text = &sources.get(file).text;
    let (review, parsed) =
        decode::parse_split::<Review, T>(text, file, &["owner", "reviewed", "review-every"], diags);
    Some(GovFile {
        file,
        value: parsed.value?,
        review: review.unwrap_or_default(),
        spans: parsed.spans,
    })
}
