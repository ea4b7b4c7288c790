//! Loading: reads `book.toml` and everything under the content directory into
//! memory as text, so that every later stage works on spans into these files.
//!
//! Nothing here interprets the text beyond decoding it: a UTF-8 byte order mark
//! is dropped, and bytes that are not UTF-8 become a diagnostic that points at
//! the first bad byte.

mod file;
mod includes;
mod theme;
mod tree;

use std::path::Path;

use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::text::{FileId, Loc, Sources};

pub use file::{Asset, ReadError, open_regular, read_regular};
pub use includes::{
    Directive, IncludeKind, Includes, Selector, anchored, directive_spans, load_includes, select,
};
pub use theme::load_theme;
pub use tree::{ContentTree, load_tree, read_pages, stays_inside};

/// Reads `rel` (relative to the book root) into `sources` as text. On failure the diagnostic
/// names the file (and for bad UTF-8, the line and column of the first bad
/// byte), and `None` is returned.
pub fn read(sources: &mut Sources, rel: &Path, diags: &mut Diagnostics) -> Option<FileId> {
    let abs = sources.root().join(rel);
    let limit = max_size(rel);
    let bytes = match read_regular(&abs, limit) {
        Ok(b) => b,
        Err(ReadError::TooLarge { len, limit }) => {
            diags.push(
                Diagnostic::new(
                    Code::TooLarge,
                    format!(
                        "{} is {} MiB; govbook reads files of this kind up to {} MiB",
                        rel.display(),
                        len.div_ceil(1 << 20),
                        limit >> 20
                    ),
                )
                .at_path(rel)
                .with_hint("split it into several files (pages, or one CSV per team)"),
            );
            return None;
        }
        Err(ReadError::NotRegular(kind)) => {
            diags.push(
                Diagnostic::new(
                    Code::NotAFile,
                    format!("{} is {kind}, but a file is expected here", rel.display()),
                )
                .at_path(rel)
                .with_hint("replace it with a file, or move it out of the way"),
            );
            return None;
        }
        Err(ReadError::Io(e)) => {
            diags.push(
                Diagnostic::new(
                    Code::ReadFailed,
                    format!("cannot read {}: {e}", rel.display()),
                )
                .at_path(rel),
            );
            return None;
        }
    };
    match decode(bytes) {
        Ok(text) => Some(sources.add(rel, text)),
        Err((valid, bad_at)) => {
            // Keep the valid prefix so the diagnostic can show the line.
            let id = sources.add(rel, valid);
            let len = sources.get(id).text.len();
            diags.push(
                Diagnostic::new(
                    Code::NotUtf8,
                    format!(
                        "{} is not valid UTF-8 (bad byte at offset {bad_at})",
                        rel.display()
                    ),
                )
                .at(Loc::new(id, len..len))
                .with_hint("save the file as UTF-8"),
            );
            None
        }
    }
}

/// The largest text source read, in bytes: metric CSVs hold a row per
/// observation (a million rows is about 40 MiB); a page, governance file or
/// template larger than 16 MiB is a mistake, not a handbook page.
pub const MAX_TEXT: u64 = 16 << 20;
/// The largest metrics CSV read.
pub const MAX_CSV: u64 = 128 << 20;
/// The largest static file copied to the site.
pub const MAX_ASSET: u64 = 256 << 20;

fn max_size(rel: &Path) -> u64 {
    if rel
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("csv"))
    {
        MAX_CSV
    } else {
        MAX_TEXT
    }
}

/// Decodes UTF-8, dropping a leading BOM. On failure returns the valid prefix
/// and the offset of the first invalid byte in the original bytes.
fn decode(mut bytes: Vec<u8>) -> Result<String, (String, usize)> {
    let bom = bytes.starts_with(b"\xEF\xBB\xBF");
    if bom {
        bytes.drain(..3);
    }
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let bytes = e.into_bytes();
        let prefix = String::from_utf8_lossy(&bytes[..at]).into_owned();
        (prefix, at + if bom { 3 } else { 0 })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decode_strips_bom_and_reports_bad_byte() {
        assert_eq!(decode(b"\xEF\xBB\xBFx = 1".to_vec()).unwrap(), "x = 1");
        let (prefix, at) = decode(b"ok\n\xFFrest".to_vec()).unwrap_err();
        assert_eq!(prefix, "ok\n");
        assert_eq!(at, 3);
    }
}
