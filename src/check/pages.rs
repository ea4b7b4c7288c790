//! Navigation: SUMMARY.md exists, names only files inside the content
//! directory that exist, names each at most once, and every page is in it.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Component, Path, PathBuf};

use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::model::Model;
use crate::source::Sources;

/// Checks SUMMARY.md against the pages.
pub fn check(model: &Model, sources: &Sources, diags: &mut Diagnostics) {
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
        let path_only = raw.split('#').next().unwrap_or(raw);
        let Some(norm) = normalize(path_only) else {
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
            let _ = sources;
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
    for page in &model.pages {
        if !listed.contains_key(&page.path) {
            diags.push(
                Diagnostic::new(
                    Code::PageNotInSummary,
                    format!("{} is not listed in SUMMARY.md", page.path.display()),
                )
                .at_span(page.file, 0..0)
                .with_hint("add it to SUMMARY.md, or delete it"),
            );
        }
    }
}

fn sources_src(model: &Model) -> PathBuf {
    model.config.src_dir(Path::new(""))
}

/// Resolves `.` and `..` lexically; `None` when the path is absolute or
/// climbs out of the content directory.
fn normalize(raw: &str) -> Option<PathBuf> {
    let decoded = raw.replace("%20", " ");
    let mut out = PathBuf::new();
    for c in Path::new(&decoded).components() {
        match c {
            Component::Normal(p) => out.push(p),
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    return None;
                }
            }
            Component::RootDir | Component::Prefix(_) => return None,
        }
    }
    Some(out)
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
    use super::normalize;

    #[test]
    fn normalize_confines() {
        assert_eq!(normalize("a/./b/../c.md").unwrap().to_str(), Some("a/c.md"));
        assert!(normalize("../x.md").is_none());
        assert!(normalize("a/../../x.md").is_none());
        assert!(normalize("/etc/passwd").is_none());
    }
}
