//! Theme overrides: the files of `themes/NAME/` beside `book.toml`.

use std::path::Path;

use crate::diag::{Code, Diagnostic, Diagnostics};

/// Reads every file of `themes/NAME/` as (path inside the theme, bytes),
/// sorted. A missing theme directory is an error unless NAME is `default`
/// (which is embedded in the binary and needs no directory).
pub fn load_theme(root: &Path, name: &str, diags: &mut Diagnostics) -> Vec<(String, Vec<u8>)> {
    let rel = Path::new("themes").join(name);
    let dir = root.join(&rel);
    let valid_name = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if !valid_name {
        diags.push(
            Diagnostic::new(Code::ThemeMissing, format!("`{name}` is not a theme name"))
                .at_path(Path::new("book.toml"))
                .with_hint("a theme is a directory under themes/: letters, digits, `-` and `_`"),
        );
        return Vec::new();
    }
    if !dir.is_dir() {
        if name != "default" {
            diags.push(
                Diagnostic::new(
                    Code::ThemeMissing,
                    format!("theme `{name}` does not exist: no {}", rel.display()),
                )
                .at_path(&rel)
                .with_hint(
                    "create the directory with the files to override, or use theme = \"default\"",
                ),
            );
        }
        return Vec::new();
    }
    let canon = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    // The theme directory itself (or `themes/`) may be a link: its files
    // are published, so it must resolve inside the book.
    if !super::tree::stays_inside(&dir, &canon) {
        diags.push(
            Diagnostic::new(
                Code::OutsideRoot,
                format!("{} resolves outside the book root", rel.display()),
            )
            .at_path(&rel)
            .with_hint("copy the theme into the book instead of linking to it"),
        );
        return Vec::new();
    }
    let mut out = Vec::new();
    for entry in walkdir::WalkDir::new(&dir).sort_by_file_name() {
        let Ok(entry) = entry else { continue };
        if entry.file_type().is_dir() {
            continue;
        }
        let inner = entry.path().strip_prefix(&dir).unwrap_or(entry.path());
        let shown = rel.join(inner);
        if entry.path_is_symlink() && !super::tree::stays_inside(entry.path(), &canon) {
            diags.push(
                Diagnostic::new(
                    Code::OutsideRoot,
                    format!("{} is a link that leaves the book root", shown.display()),
                )
                .at_path(&shown),
            );
            continue;
        }
        match super::read_regular(entry.path(), super::MAX_ASSET) {
            Ok(bytes) => out.push((inner.to_string_lossy().replace('\\', "/"), bytes)),
            Err(e) => diags.push(
                Diagnostic::new(
                    Code::ReadFailed,
                    format!("cannot read {}: {e}", shown.display()),
                )
                .at_path(&shown),
            ),
        }
    }
    out
}
