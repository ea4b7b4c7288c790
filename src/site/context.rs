//! What templates see: the `book` and `page` objects documented in
//! `themes/README.md`.

use serde::Serialize;

use crate::model::{Governance, Model, Review};
use crate::values::{Cadence, Date};

/// `book` in every template.
#[derive(Debug, Clone, Serialize)]
pub struct BookCtx {
    /// Site title (`[book] title`, default `Handbook`).
    pub title: String,
    /// One-sentence description (`[book] description`), or empty.
    pub description: String,
    /// The handbook version (`[book] version`), or empty.
    pub version: String,
    /// The pinned Codex CLI version (`[baseline] codex-cli`), or empty.
    pub baseline: String,
    /// Language code (`[book] language`, default `en`).
    pub language: String,
    /// `[output.html] additional-css`, as site paths (fingerprinted under
    /// `hash-files`), linked after the theme's stylesheets.
    pub extra_css: Vec<String>,
    /// `[output.html] additional-js`, as site paths, loaded by every page.
    pub extra_js: Vec<String>,
    /// `[output.html] git-repository-url`, or empty.
    pub repository: String,
    /// Whether the book has mdBook's `theme/favicon.png` (linked besides the SVG icon).
    pub favicon_png: bool,
    /// Each additional file: its site path and where it is read from.
    #[serde(skip)]
    pub extra_files: Vec<(String, std::path::PathBuf)>,
}

impl BookCtx {
    /// From `book.toml`; additional files are read from under `root`.
    pub fn new(model: &Model, root: &std::path::Path) -> BookCtx {
        let b = &model.config.book;
        let html = &model.config.html;
        let mut extra_files = Vec::new();
        let mut extra = |list: &[crate::config::html::Named]| -> Vec<String> {
            list.iter()
                .filter_map(|f| {
                    let rel = crate::text::lexical_path(std::path::Path::new(&f.value))?;
                    let source = root.join(&rel);
                    let mut site = rel.to_string_lossy().replace('\\', "/");
                    if html.hash_files {
                        let bytes = std::fs::read(&source).ok()?;
                        site = fingerprinted(&site, &bytes);
                    }
                    extra_files.push((site.clone(), source));
                    Some(site)
                })
                .collect()
        };
        let extra_css = extra(&html.additional_css);
        let extra_js = extra(&html.additional_js);
        // mdBook's theme/favicon.{svg,png} replace the theme's icon.
        let mut favicon_png = false;
        if let Some(theme) = crate::text::lexical_path(std::path::Path::new(&html.theme_dir)) {
            for name in ["favicon.svg", "favicon.png"] {
                let source = root.join(&theme).join(name);
                if source.is_file() {
                    favicon_png |= name.ends_with(".png");
                    extra_files.push((format!("assets/{name}"), source));
                }
            }
        }
        BookCtx {
            extra_css,
            extra_js,
            extra_files,
            repository: html.git_repository_url.clone().unwrap_or_default(),
            favicon_png,
            title: b.title.clone().unwrap_or_else(|| "Handbook".to_owned()),
            description: b.description.clone().unwrap_or_default(),
            version: model.config.version(),
            baseline: model.config.baseline(),
            language: b.language.clone().unwrap_or_else(|| "en".to_owned()),
        }
    }
}

/// `dir/name.ext` as `dir/name-HASH.ext`, HASH the first 8 hex digits of
/// the SHA-256 of `bytes` (mdBook's `hash-files`): a changed file gets a
/// new name, so a browser never keeps a stale copy.
fn fingerprinted(path: &str, bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    let hash: String = Sha256::digest(bytes)
        .iter()
        .take(4)
        .map(|b| format!("{b:02x}"))
        .collect();
    let file_start = path.rfind('/').map_or(0, |i| i + 1);
    match path[file_start..].rfind('.') {
        Some(dot) if dot > 0 => {
            let at = file_start + dot;
            format!("{}-{hash}{}", &path[..at], &path[at..])
        }
        _ => format!("{path}-{hash}"),
    }
}

/// A link to another page.
#[derive(Debug, Clone, Serialize)]
pub struct PageLink {
    /// The linked page's title.
    pub title: String,
    /// Its URL relative to the site root.
    pub url: String,
}

/// A team as shown on a page.
#[derive(Debug, Clone, Serialize)]
pub struct OwnerCtx {
    /// The team id.
    pub id: String,
    /// The team's display name (its id if `owners.toml` does not name it).
    pub name: String,
}

/// A heading in the page's table of contents.
#[derive(Debug, Clone, Serialize)]
pub struct TocEntry {
    /// Heading level, 2 or 3.
    pub level: u8,
    /// The heading's anchor id.
    pub id: String,
    /// The heading as plain text.
    pub text: String,
}

/// `page` in every template.
#[derive(Debug, Clone, Serialize, Default)]
pub struct PageCtx {
    /// Page title (plain text).
    pub title: String,
    /// Output path relative to the site root, e.g. `guide/agents-md.html`.
    pub path: String,
    /// Relative prefix from this page to the site root, e.g. `../` (empty at
    /// top level); every site-internal URL starts with it.
    pub root: String,
    /// `prose`, `governance` or `special`.
    pub kind: &'static str,
    /// The page body as HTML (prose pages; already escaped where needed).
    pub content: String,
    /// The page's headings of levels 2 and 3.
    pub toc: Vec<TocEntry>,
    /// The owning team, if the page or governance file names one.
    pub owner: Option<OwnerCtx>,
    /// The date of the last review, if known.
    pub reviewed: Option<String>,
    /// The review cadence: the page's own, else the default, if any.
    pub review_every: Option<String>,
    /// When the next review is due, if known.
    pub due: Option<String>,
    /// Whether `due` is before the build's today (`--today`).
    pub overdue: bool,
    /// The previous page in navigation order.
    pub prev: Option<PageLink>,
    /// The next page in navigation order.
    pub next: Option<PageLink>,
    /// The source file path relative to the book root (for "edit this page").
    pub source: String,
    /// `[output.html] edit-url-template` with `{path}` replaced by the
    /// source's path from the book root.
    pub edit_url: Option<String>,
    /// The sidebar chunk (`toc/N.js`) the page loads besides the top.
    pub toc_chunk: Option<usize>,
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
