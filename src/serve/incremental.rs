//! Incremental rebuilds for `serve`: when only page bodies changed, render
//! those pages again and patch the search index and print page, instead of
//! loading, checking and rendering the whole book.
//!
//! The fast path is taken only when it provably gives the same site as a
//! full build: every changed file is an existing prose page with no
//! `{{#include}}` or `{{#title}}` (in it or pulling it in), its front matter
//! and title are unchanged (other pages show the title; other checks read
//! the front matter), and its own checks (links, raw HTML, cited versions)
//! pass cleanly. Its heading anchors may change: no other page renders
//! them, so only every page's links are checked again. Anything else, and
//! any problem, falls back to a full build, which also reports the problem.
//! A book with preprocessors always gets a full build.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::check;
use crate::diag::Diagnostics;
use crate::model::pages;
use crate::pipeline::Checked;
use crate::site::{Kept, SearchPages};
use crate::values::Date;

/// What the last good build knew, kept for the next edit.
pub struct Cache {
    /// The book root, absolute and canonical (the watcher reports either).
    pub roots: Vec<PathBuf>,
    /// The content directory, relative to the root.
    pub src: PathBuf,
    /// Sources, model, theme and outlines of the last good build.
    pub checked: Checked,
    /// The search and print material of the rendered site.
    pub kept: Kept,
    /// The date reviews are judged against.
    pub today: Date,
}

/// Files of the site to replace (path, bytes).
pub(super) type Patch = Vec<(String, Vec<u8>)>;

impl Cache {
    /// The forms of `root` that changed paths may start with.
    pub fn roots(root: &Path) -> Vec<PathBuf> {
        let mut roots: Vec<PathBuf> = [std::path::absolute(root), std::fs::canonicalize(root)]
            .into_iter()
            .flatten()
            .collect();
        roots.dedup();
        roots
    }

    /// Applies the changed files as page edits and returns the pages to
    /// replace, or `None` when a full build is needed. After `None` the
    /// cache is stale and must be dropped. When some page changed, the
    /// search index and print page follow from [`Cache::derived`].
    pub fn update(&mut self, changed: &BTreeSet<PathBuf>) -> Option<Patch> {
        // A preprocessor may turn one page's edit into anything: it runs
        // over the whole book in a full build.
        if !self.checked.model.config.preprocessors.is_empty() {
            return None;
        }
        let mut patch = Patch::new();
        for path in changed {
            let rel = self.roots.iter().find_map(|r| path.strip_prefix(r).ok())?;
            if rel
                .components()
                .any(|c| c.as_os_str().to_string_lossy().starts_with('.'))
            {
                // Hidden files are not part of the book (the loader skips
                // them): editors' swap files land here.
                continue;
            }
            // An editor's temporary file or backup that is gone again (a
            // save by rename: `sed -i`, vim's backup and its `4913` probe)
            // was never part of the book.
            if !path.exists() {
                if !self.knows(rel) {
                    continue;
                }
                // A save by delete and create: the file is back a moment
                // later (the two may fall into different bursts).
                if !reappears(path) {
                    return None;
                }
            }
            if let Some(file) = self.static_file(rel) {
                patch.push(file);
                continue;
            }
            let (url, html) = self.update_page(rel)?;
            patch.push((url, html.into_bytes()));
        }
        Some(patch)
    }

    /// A static file that changed, or an editor's backup of a page that
    /// appeared (`page.md~`, `page.md.bak`, `.orig`: a full build copies
    /// it as it is), as the site serves it. Nothing links to a new backup,
    /// so no check can change; any other new file needs a full build. A
    /// backup deleted later stays served until the next full build.
    fn static_file(&self, rel: &Path) -> Option<(String, Vec<u8>)> {
        let in_src = rel.strip_prefix(&self.src).ok()?;
        let m = &self.checked.model;
        let known = m.assets.iter().find(|a| a.path == in_src);
        let name = in_src.file_name()?.to_string_lossy();
        let top = in_src.components().next()?.as_os_str();
        let backup = in_src.components().count() >= 1
            && !["governance", "metrics", "templates"].contains(&top.to_string_lossy().as_ref())
            && (name.ends_with('~') || name.ends_with(".bak") || name.ends_with(".orig"));
        if known.is_none() && !backup {
            return None;
        }
        let meta = std::fs::symlink_metadata(rel_to(&self.roots, rel)?).ok()?;
        if !meta.is_file() || meta.len() > crate::source::MAX_ASSET {
            return None;
        }
        let bytes = std::fs::read(rel_to(&self.roots, rel)?).ok()?;
        Some((in_src.to_string_lossy().replace('\\', "/"), bytes))
    }

    /// Whether `rel` (to the root) is a file the book was built from: a
    /// page, a static file or any other loaded source.
    fn knows(&self, rel: &Path) -> bool {
        let m = &self.checked.model;
        let in_src = rel.strip_prefix(&self.src).ok();
        let page_or_asset = in_src.is_some_and(|p| {
            m.pages.iter().any(|page| page.path == p) || m.assets.iter().any(|a| a.path == p)
        });
        page_or_asset
            || self
                .checked
                .sources
                .ids()
                .any(|id| self.checked.sources.get(id).path == rel)
    }

    /// The print page, which every page feeds, and what the search index
    /// is built from ([`SearchPages::files`], slower at 10,000 pages: the
    /// caller builds it on another thread).
    pub fn derived(&self) -> (Patch, SearchPages) {
        (
            vec![("print.html".to_owned(), self.kept.print_parts().concat())],
            self.kept.search_pages(),
        )
    }

    /// One changed file, `rel` to the root.
    fn update_page(&mut self, rel: &Path) -> Option<(String, String)> {
        let in_src = rel.strip_prefix(&self.src).ok()?;
        if in_src.extension()? != "md" || in_src == Path::new("SUMMARY.md") {
            return None;
        }
        let c = &mut self.checked;
        // Without a README, the first chapter is index.html as well: a
        // full rebuild writes both.
        let first = c.model.summary.chapters().find_map(|ch| ch.target());
        let has_home = c
            .model
            .pages
            .iter()
            .any(|p| crate::markdown::page_url(&p.path.to_string_lossy()) == "index.html");
        if !has_home && first.as_deref() == Some(in_src) {
            return None;
        }
        let index = c
            .model
            .pages
            .binary_search_by(|p| p.path.as_path().cmp(in_src))
            .ok()?;
        let old = &c.model.pages[index];
        // A page with includes, or one another page includes, changes
        // more than itself.
        let path = &c.sources.get(old.file).path;
        let included = c.model.included.iter();
        if old.expanded.is_some() || included.map(|&f| &c.sources.get(f).path).any(|p| p == path) {
            return None;
        }
        let old_front = c
            .sources
            .get(old.file)
            .text
            .get(..old.body_start)?
            .to_owned();
        let mut diags = Diagnostics::default();
        let id = crate::source::read(&mut c.sources, rel, &mut diags)?;
        let text = &c.sources.get(id).text;
        if !diags.items().is_empty() || text.contains("{{#") {
            return None;
        }
        let page = pages::parse(in_src.to_path_buf(), id, &c.sources, &mut diags);
        if !diags.items().is_empty() || text.get(..page.body_start)? != old_front {
            return None;
        }
        let outline = check::outline(&page, &c.sources, &c.model.config.flavor);
        let old = c.outlines.get(index)?;
        let old_ids = old.headings.iter().map(|h| &h.id);
        let anchors_changed =
            !outline.headings.iter().map(|h| &h.id).eq(old_ids) || outline.term_ids != old.term_ids;
        c.model.pages[index] = page;
        c.outlines[index] = outline;
        check::page_body(&c.model, &c.sources, &c.outlines, index, &mut diags);
        if anchors_changed {
            // Other pages render the same; only their links to this page's
            // anchors may now be broken.
            check::anchor_links(&c.model, &c.outlines, &mut diags);
        }
        // An error needs the full build's report and its last-good-site
        // rule; warnings (a link out of an mdBook book, a missing anchor)
        // are shown, and the page still goes live alone.
        if diags.has_errors() {
            return None;
        }
        if !diags.items().is_empty() {
            let mut report = Vec::new();
            let _ = crate::diag::render(
                &mut report,
                crate::diag::Format::Human,
                diags.items(),
                &c.sources,
            );
            anstream::eprint!("{}", String::from_utf8_lossy(&report));
        }
        let theme = c.theme.as_ref()?;
        let updated = self
            .kept
            .update_page(&c.model, &c.sources, theme, self.today, index)?
            .ok()?;
        Some((updated.url, updated.html))
    }
}

/// The file `rel` under the book root.
fn rel_to(roots: &[PathBuf], rel: &Path) -> Option<PathBuf> {
    roots.first().map(|r| r.join(rel))
}

/// Whether a file deleted a moment ago is there again within 100 ms.
fn reappears(path: &Path) -> bool {
    let until = std::time::Instant::now() + std::time::Duration::from_millis(100);
    while std::time::Instant::now() < until {
        std::thread::sleep(std::time::Duration::from_millis(5));
        if path.exists() {
            return true;
        }
    }
    false
}
