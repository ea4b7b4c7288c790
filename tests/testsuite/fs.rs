//! Copies of directory trees and in-place edits of files, for every suite.

use std::path::Path;

/// Replaces the first `from` in the file at `path` with `to`; `from` must
/// be there, or the test would pass without testing anything.
pub fn edit_file(path: &Path, from: &str, to: &str) {
    let t = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    assert!(t.contains(from), "{from:?} not in {}", path.display());
    std::fs::write(path, t.replacen(from, to, 1)).unwrap();
}

/// Copies the directory tree `from` to `to`.
pub fn copy_tree(from: &Path, to: &Path) {
    copy_tree_skipping(from, to, &[]);
}

/// Copies the directory tree `from` to `to`, leaving out entries below the
/// top whose name is in `skip` (a fixture's built `out/`).
pub fn copy_tree_skipping(from: &Path, to: &Path, skip: &[&str]) {
    let kept = |e: &walkdir::DirEntry| {
        e.depth() == 0 || !skip.iter().any(|s| *s == e.file_name().to_string_lossy())
    };
    for entry in walkdir::WalkDir::new(from).into_iter().filter_entry(kept) {
        let entry = entry.unwrap();
        let dest = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
        } else {
            std::fs::copy(entry.path(), &dest).unwrap();
        }
    }
}
