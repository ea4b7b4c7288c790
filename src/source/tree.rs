//! Discovers and reads the files under the content directory.

use std::path::{Path, PathBuf};

use super::{FileId, Sources};
use crate::diag::{Code, Diagnostic, Diagnostics};

/// The files of one book's content directory, read into [`Sources`].
#[derive(Debug, Default)]
pub struct ContentTree {
    /// The content directory, relative to the book root.
    pub src: PathBuf,
    /// `SUMMARY.md`, when present.
    pub summary: Option<FileId>,
    /// Markdown pages other than `SUMMARY.md`, with their path relative to
    /// the content directory, sorted by path: once [`read_pages`] has run,
    /// the ones SUMMARY.md lists (every one when there is no SUMMARY.md).
    pub pages: Vec<(PathBuf, FileId)>,
    /// Every Markdown file but `SUMMARY.md`, relative to the content
    /// directory, sorted, not read yet.
    pub markdown: Vec<PathBuf>,
    /// Markdown files SUMMARY.md does not list: not pages, never read (as
    /// in mdBook), unless a page includes them.
    pub unlisted: Vec<PathBuf>,
    /// `404.md` at the top of the content directory when SUMMARY.md does
    /// not list it: the body of the not-found page, as in mdBook.
    pub not_found: Option<(PathBuf, FileId)>,
    /// `governance/*.toml`, by file stem, sorted.
    pub governance: Vec<(String, FileId)>,
    /// Whether `governance/` exists: a book without it is a plain book and
    /// the governance rules do not apply.
    pub has_governance: bool,
    /// Governance files that exist but could not be read (not UTF-8, a
    /// directory, unreadable): present, so not reported as missing.
    pub governance_unreadable: Vec<String>,
    /// Whether the content directory exists.
    pub found: bool,
    /// `metrics/*.csv`, sorted.
    pub metrics: Vec<FileId>,
    /// Other files (images, downloads), copied to the site as they are.
    pub assets: Vec<super::Asset>,
    /// `templates/*.tera`, by file name, sorted.
    pub templates: Vec<(String, FileId)>,
}

/// Reads the content directory `src` (relative to the book root).
pub fn load_tree(sources: &mut Sources, src: &Path, diags: &mut Diagnostics) -> ContentTree {
    let mut tree = ContentTree {
        src: src.to_path_buf(),
        ..ContentTree::default()
    };
    let root = sources.root().to_path_buf();
    let abs_src = root.join(src);
    match std::fs::metadata(&abs_src) {
        Ok(m) if m.is_dir() => {}
        Ok(_) => {
            diags.push(
                Diagnostic::new(
                    Code::NotADirectory,
                    format!("the content directory {} is a file", src.display()),
                )
                .at_path(src),
            );
            return tree;
        }
        Err(_) => {
            diags.push(
                Diagnostic::new(
                    Code::MissingContent,
                    format!("the content directory {} does not exist", src.display()),
                )
                .at_path(src)
                .with_hint("create it, or set [book] src in book.toml"),
            );
            return tree;
        }
    }
    let canon_root = std::fs::canonicalize(&root).unwrap_or_else(|_| root.clone());
    // `[book] src` may not lead out of the book (`..`, an absolute path, or
    // a link): everything under it is published.
    if !stays_inside(&abs_src, &canon_root) {
        diags.push(
            Diagnostic::new(
                Code::OutsideRoot,
                format!(
                    "the content directory {} is outside the book root",
                    src.display()
                ),
            )
            .at_path(Path::new("book.toml"))
            .with_hint(
                "[book] src must name a directory inside the directory that holds book.toml",
            ),
        );
        return tree;
    }
    tree.found = true;
    tree.has_governance = abs_src.join("governance").is_dir();

    let walker = walkdir::WalkDir::new(&abs_src)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let at = e
                    .path()
                    .and_then(|p| p.strip_prefix(&root).ok())
                    .unwrap_or(src)
                    .to_path_buf();
                diags.push(
                    Diagnostic::new(
                        Code::ReadFailed,
                        format!("cannot read {}: {e}", at.display()),
                    )
                    .at_path(&at),
                );
                continue;
            }
        };
        // A directory is skipped, unless it stands where a source file is
        // expected (`governance/policy.toml/`): reading it reports that.
        let looks_like_file = entry
            .path()
            .extension()
            .is_some_and(|e| e == "toml" || e == "md" || e == "csv");
        if entry.file_type().is_dir() && !(entry.depth() > 0 && looks_like_file) {
            continue;
        }
        let Ok(in_src) = entry.path().strip_prefix(&abs_src) else {
            continue;
        };
        let rel = src.join(in_src);
        if entry.path_is_symlink() && !stays_inside(entry.path(), &canon_root) {
            diags.push(
                Diagnostic::new(
                    Code::OutsideRoot,
                    format!(
                        "{} is a symbolic link that leaves the book root",
                        rel.display()
                    ),
                )
                .at_path(&rel)
                .with_hint("copy the file into the book instead of linking to it"),
            );
            continue;
        }
        classify(sources, &mut tree, in_src, &rel, diags);
    }
    tree
}

fn classify(
    sources: &mut Sources,
    tree: &mut ContentTree,
    in_src: &Path,
    rel: &Path,
    diags: &mut Diagnostics,
) {
    let ext = in_src.extension().and_then(|e| e.to_str()).unwrap_or("");
    let parts: Vec<_> = in_src.components().map(|c| c.as_os_str()).collect();
    let top = parts.first().and_then(|p| p.to_str()).unwrap_or("");
    let name = in_src
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("")
        .to_owned();
    let stem = in_src
        .file_stem()
        .and_then(|n| n.to_str())
        .unwrap_or("")
        .to_owned();
    match (top, parts.len(), ext) {
        ("governance", 2, "toml") => match crate::source::read(sources, rel, diags) {
            Some(id) => tree.governance.push((stem, id)),
            None => tree.governance_unreadable.push(stem),
        },
        ("metrics", 2, "csv") => {
            if let Some(id) = crate::source::read(sources, rel, diags) {
                tree.metrics.push(id);
            }
        }
        ("templates", _, "tera") => {
            if let Some(id) = crate::source::read(sources, rel, diags) {
                let name = in_src
                    .strip_prefix("templates")
                    .unwrap_or(in_src)
                    .to_string_lossy()
                    .replace('\\', "/");
                tree.templates.push((name, id));
            }
        }
        // Only templates live in templates/: nothing there is a page.
        ("templates", _, _) => {}
        (_, 1, "md") if name == "SUMMARY.md" => {
            tree.summary = crate::source::read(sources, rel, diags)
        }
        (_, _, "md") => tree.markdown.push(in_src.to_path_buf()),
        ("governance" | "metrics", _, _) => {}
        _ => match super::open_regular(&sources.root().join(rel), super::MAX_ASSET) {
            Ok((_, len)) => tree.assets.push(super::Asset {
                path: in_src.to_path_buf(),
                source: sources.root().join(rel),
                len,
            }),
            Err(super::ReadError::TooLarge { .. }) => diags.push(
                Diagnostic::new(
                    Code::TooLarge,
                    format!(
                        "{} is larger than the {} MiB govbook copies into a site",
                        rel.display(),
                        super::MAX_ASSET >> 20
                    ),
                )
                .at_path(rel)
                .with_hint("host large downloads elsewhere and link to them"),
            ),
            Err(e) => diags.push(
                Diagnostic::new(
                    Code::ReadFailed,
                    format!("cannot read {}: {e}", rel.display()),
                )
                .at_path(rel),
            ),
        },
    }
}

/// Reads the Markdown files that are pages: those `listed` (paths
/// relative to the content directory, as SUMMARY.md names them), or every
/// one when `listed` is `None` (no SUMMARY.md). An unlisted top-level
/// `404.md` is kept as the not-found page's body.
pub fn read_pages(
    sources: &mut Sources,
    tree: &mut ContentTree,
    listed: Option<&std::collections::HashSet<PathBuf>>,
    diags: &mut Diagnostics,
) {
    for path in std::mem::take(&mut tree.markdown) {
        let is_page = listed.is_none_or(|l| l.contains(&path));
        if !is_page && path != Path::new("404.md") {
            tree.unlisted.push(path);
            continue;
        }
        if let Some(id) = crate::source::read(sources, &tree.src.join(&path), diags) {
            if is_page {
                tree.pages.push((path, id));
            } else {
                tree.not_found = Some((path, id));
            }
        }
    }
}

/// Whether a path, with every link resolved, is inside `root` (compared
/// component by component, never as a string prefix).
pub fn stays_inside(path: &Path, canon_root: &Path) -> bool {
    std::fs::canonicalize(path).is_ok_and(|p| p.starts_with(canon_root))
}
