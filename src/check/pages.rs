//! Navigation: SUMMARY.md exists, names only files inside the content
//! directory that exist, names each at most once, and every page is in it.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::model::Model;
use crate::text::Sources;

/// Checks SUMMARY.md against the pages.
pub(super) fn check(model: &Model, sources: &Sources, diags: &mut Diagnostics) {
    let Some(file) = model.summary.file else {
        if model.content_found {
            diags.push(
                Diagnostic::new(Code::SummaryMissing, "the book has no SUMMARY.md")
                    .at_path(&sources_src(model).join("SUMMARY.md"))
                    .with_hint("create SUMMARY.md listing the pages in reading order"),
            );
        }
        return;
    };
    let pages: BTreeSet<&Path> = model.pages.iter().map(|p| p.path.as_path()).collect();
    let mut listed: BTreeMap<PathBuf, ()> = BTreeMap::new();
    for ch in model.summary.chapters() {
        let Some(raw) = &ch.path else { continue };
        let Some(norm) = ch.target() else {
            diags.push(
                Diagnostic::new(
                    Code::OutsideRoot,
                    format!("`{raw}` leaves the content directory"),
                )
                .at_span(file, ch.path_span.clone())
                .with_hint("chapters are paths relative to the content directory, without `..`"),
            );
            continue;
        };
        if !pages.contains(norm.as_path()) {
            // A file that is there but was refused when loading (too large,
            // not UTF-8, a link out of the book) is reported as that.
            let on_disk = sources.root().join(sources_src(model)).join(&norm);
            if on_disk.symlink_metadata().is_ok_and(|m| !m.is_dir()) {
                continue;
            }
            diags.push(
                Diagnostic::new(Code::SummaryFileMissing, format!("`{raw}` does not exist"))
                    .at_span(file, ch.path_span.clone())
                    .with_hint_opt(closest(&norm, &pages)),
            );
            continue;
        }
        if listed.insert(norm, ()).is_some() {
            diags.push(
                Diagnostic::new(Code::SummaryDuplicate, format!("`{raw}` is listed twice"))
                    .at_span(file, ch.path_span.clone()),
            );
        }
    }
    if let Some(first) = model.unlisted.first() {
        let src = sources_src(model);
        let names: Vec<String> = model
            .unlisted
            .iter()
            .map(|p| src.join(p).display().to_string())
            .collect();
        let (n, what) = match names.len() {
            1 => (
                String::new(),
                "is not listed in SUMMARY.md, so it is not a page",
            ),
            n => (
                format!("{n} files: "),
                "are not listed in SUMMARY.md, so they are not pages",
            ),
        };
        // A book of generated pages may leave thousands out: name ten.
        let shown = if names.len() > 10 {
            format!("{} and {} more", names[..10].join(", "), names.len() - 10)
        } else {
            names.join(", ")
        };
        diags.push(
            Diagnostic::new(Code::PageNotInSummary, format!("{n}{shown} {what}"))
                .at_path(&src.join(first))
                .with_hint("add them to SUMMARY.md to publish them, or delete them"),
        );
    }
}

/// Files the site writes itself; no page or content file may take their place.
const FIXED: &[&str] = &[
    "print.html",
    "404.html",
    "toc.html",
    "toc.js",
    "toc/top.js",
    "search/meta.js",
    "sitemap.xml",
    "assets/govbook.css",
    "assets/govbook.js",
    "assets/favicon.svg",
    "assets/search.js",
    "assets/highlight.css",
];

/// The search index's and the sidebar's scripts (`search/*.js`,
/// `toc/*.js`), whose names depend on the book's words and parts: no
/// static file may take a name there.
fn generated_script(url: &str) -> Option<String> {
    let dir = url.split('/').next()?;
    (url.ends_with(".js") && url.matches('/').count() == 1 && (dir == "search" || dir == "toc"))
        .then(|| format!("the scripts govbook writes into {dir}/"))
}

/// Reports sources that would be written to the same output path, which
/// would otherwise silently overwrite one another.
pub(super) fn collisions(model: &Model, diags: &mut Diagnostics) {
    let src = sources_src(model);
    let mut taken: BTreeMap<String, String> = BTreeMap::new();
    for f in FIXED {
        taken.insert((*f).to_owned(), "a file govbook writes".to_owned());
    }
    if model.governance.is_some() {
        for c in crate::model::CONCERNS {
            taken.insert(
                c.url.to_owned(),
                format!("the generated page \"{}\"", c.title),
            );
        }
    }
    for page in &model.pages {
        let url = crate::markdown::page_url(&page.path.to_string_lossy());
        let shown = src.join(&page.path).display().to_string();
        if let Some(why) = url_hazard(&url) {
            diags.push(unsafe_name(&shown, why).at_span(page.file, 0..0));
            continue;
        }
        let clash = taken.get(&url).cloned().or_else(|| {
            (url.starts_with("templates/") && model.governance.is_some())
                .then(|| "the artifact templates (templates/)".to_owned())
        });
        match clash {
            Some(other) => diags.push(
                Diagnostic::new(
                    Code::OutputCollision,
                    format!("{shown} would be written to {url}, as is {other}"),
                )
                .at_span(page.file, 0..0)
                .with_hint("rename or move one of them"),
            ),
            None => {
                taken.insert(url, shown);
            }
        }
    }
    for path in model.assets.iter().map(|a| &a.path) {
        let url = path.to_string_lossy().replace('\\', "/");
        let shown = src.join(path);
        if let Some(why) = url_hazard(&url) {
            diags.push(unsafe_name(&shown.display().to_string(), why).at_path(&shown));
            continue;
        }
        let clash = taken
            .get(&url)
            .cloned()
            .or_else(|| {
                (url.starts_with("templates/") && model.governance.is_some())
                    .then(|| "the artifact templates (templates/)".to_owned())
            })
            .or_else(|| generated_script(&url));
        if let Some(other) = clash {
            diags.push(
                Diagnostic::new(
                    Code::OutputCollision,
                    format!(
                        "{} would be written to {url}, as is {other}",
                        shown.display()
                    ),
                )
                .at_path(&shown)
                .with_hint("rename or move one of them"),
            );
        }
    }
}

/// What in a page's or file's site path would make a link to it mean
/// something else: every link govbook writes (sidebar, previous and next,
/// contents, print page, search) is the path as it is, so a name must read
/// as a path in every browser and from every directory.
fn url_hazard(url: &str) -> Option<&'static str> {
    if url.contains(':') {
        // `javascript:x.html` runs; `https:/evil.example/x.html` leaves.
        Some("a colon, so a link to it reads as a URL scheme (`javascript:`, `https:`)")
    } else if url.contains(['?', '#']) {
        Some("`?` or `#`, which end a URL's path")
    } else if url.contains('%') {
        Some("`%`, which a browser reads as an escape")
    } else if url.chars().any(|c| c.is_control() || c == '\\') {
        Some("a control character or backslash")
    } else {
        None
    }
}

fn unsafe_name(shown: &str, why: &str) -> Diagnostic {
    Diagnostic::new(
        Code::UnsafeFileName,
        format!("the name of {shown} holds {why}"),
    )
    .with_hint("rename it (and the links to it) with letters, digits, `-`, `_` and `.`")
}

fn sources_src(model: &Model) -> PathBuf {
    model.config.src_dir(Path::new(""))
}

fn closest(path: &Path, pages: &BTreeSet<&Path>) -> Option<String> {
    let s = path.to_string_lossy();
    let strs: Vec<String> = pages
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    crate::diag::did_you_mean(&s, strs.iter().map(String::as_str))
}

#[cfg(test)]
mod tests {
    use crate::model::summary::target_path;

    #[test]
    fn target_paths_are_confined_and_decoded() {
        assert_eq!(
            target_path("a/./b/../c.md").unwrap().to_str(),
            Some("a/c.md")
        );
        assert_eq!(
            target_path("a%2Db%20c.md").unwrap().to_str(),
            Some("a-b c.md")
        );
        assert!(target_path("../x.md").is_none());
        assert!(target_path("a/../../x.md").is_none());
        assert!(target_path("/etc/passwd").is_none());
    }
}
