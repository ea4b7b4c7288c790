//! Loading: reads `book.toml` and everything under the content directory into
//! memory as text, so that every later stage works on spans into these files.
//!
//! Nothing here interprets the text beyond decoding it: a UTF-8 byte order mark
//! is dropped, and bytes that are not UTF-8 become a diagnostic that points at
//! the first bad byte.

mod includes;
mod theme;
mod tree;

use std::ops::Range;
use std::path::{Path, PathBuf};

use crate::diag::{Code, Diagnostic, Diagnostics};

pub use includes::{Directive, Includes, Selector, anchored, load_includes, select};
pub use theme::load_theme;
pub use tree::{ContentTree, load_tree, stays_inside};

/// Index of a file in [`Sources`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FileId(u32);

/// A place in a source file: the file and a byte range in its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Loc {
    /// The file.
    pub file: FileId,
    /// Byte range in the file's text (after the BOM was removed).
    pub span: Range<usize>,
}

impl Loc {
    /// A location covering `span` in `file`.
    pub fn new(file: FileId, span: Range<usize>) -> Self {
        Loc { file, span }
    }
}

/// One loaded text file.
#[derive(Debug)]
pub struct SourceFile {
    /// Path relative to the book root, as shown in diagnostics.
    pub path: PathBuf,
    /// The decoded text, without a byte order mark.
    pub text: String,
    line_starts: Vec<usize>,
}

impl SourceFile {
    fn new(path: PathBuf, text: String) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        SourceFile {
            path,
            text,
            line_starts,
        }
    }

    /// The 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = self.line_starts.partition_point(|&s| s <= offset) - 1;
        let start = self.line_starts[line];
        let col = self
            .text
            .get(start..offset)
            .map_or(0, |s| s.chars().count());
        (line + 1, col + 1)
    }

    /// The text of a 1-based line, without its line ending.
    pub fn line_text(&self, line: usize) -> &str {
        let Some(&start) = self.line_starts.get(line.saturating_sub(1)) else {
            return "";
        };
        let end = self
            .line_starts
            .get(line)
            .copied()
            .unwrap_or(self.text.len());
        self.text[start..end].trim_end_matches(['\n', '\r'])
    }

    /// The byte offset where a 1-based line starts.
    pub fn line_start(&self, line: usize) -> usize {
        self.line_starts
            .get(line.saturating_sub(1))
            .copied()
            .unwrap_or(self.text.len())
    }
}

/// Every file loaded for one run, addressed by [`FileId`].
#[derive(Debug, Default)]
pub struct Sources {
    root: PathBuf,
    files: Vec<SourceFile>,
}

impl Sources {
    /// An empty set of sources for the book at `root`.
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Sources {
            root: root.into(),
            files: Vec::new(),
        }
    }

    /// The book root every path is relative to.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Adds text under a display path and returns its id.
    pub fn add(&mut self, path: impl Into<PathBuf>, text: String) -> FileId {
        let id = FileId(self.files.len() as u32);
        self.files.push(SourceFile::new(path.into(), text));
        id
    }

    /// The file behind an id.
    pub fn get(&self, id: FileId) -> &SourceFile {
        &self.files[id.0 as usize]
    }

    /// Reads `rel` (relative to the root) as text. On failure the diagnostic
    /// names the file (and for bad UTF-8, the line and column of the first bad
    /// byte), and `None` is returned.
    pub fn read(&mut self, rel: &Path, diags: &mut Diagnostics) -> Option<FileId> {
        let abs = self.root.join(rel);
        let meta = match std::fs::metadata(&abs) {
            Ok(m) => m,
            Err(e) => {
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
        let limit = max_size(rel);
        if meta.is_file() && meta.len() > limit {
            diags.push(
                Diagnostic::new(
                    Code::TooLarge,
                    format!(
                        "{} is {} MiB; govbook reads files of this kind up to {} MiB",
                        rel.display(),
                        meta.len().div_ceil(1 << 20),
                        limit >> 20
                    ),
                )
                .at_path(rel)
                .with_hint("split it into several files (pages, or one CSV per team)"),
            );
            return None;
        }
        if meta.is_dir() {
            diags.push(
                Diagnostic::new(
                    Code::NotAFile,
                    format!(
                        "{} is a directory, but a file is expected here",
                        rel.display()
                    ),
                )
                .at_path(rel)
                .with_hint("remove the directory or move it out of the way"),
            );
            return None;
        }
        let bytes = match std::fs::read(&abs) {
            Ok(b) => b,
            Err(e) => {
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
            Ok(text) => Some(self.add(rel, text)),
            Err((valid, bad_at)) => {
                // Keep the valid prefix so the diagnostic can show the line.
                let id = self.add(rel, valid);
                let len = self.get(id).text.len();
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

/// What `c` is, when it is a character a reader cannot see: a control
/// character (tab, line feed and carriage return are ordinary text here;
/// see [`crate::model::hidden`] for a carriage return on its own), a
/// bidirectional override, isolate or mark (Trojan Source), a zero-width
/// character that joins nothing, a variation selector other than the text
/// and emoji ones, or a Unicode tag character. The invisible ones are how
/// text is hidden from a reviewer and still read by an agent.
pub fn hidden_char(c: char) -> Option<&'static str> {
    match c {
        '\t' | '\n' | '\r' => None,
        '\0' => Some("a NUL byte"),
        '\u{1}'..='\u{1f}' | '\u{7f}' => Some("a control character"),
        '\u{80}'..='\u{9f}' => Some("a C1 control character"),
        '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' => {
            Some("a bidirectional override, which can make text read differently from what it is")
        }
        '\u{200e}' | '\u{200f}' | '\u{61c}' => Some("an invisible direction mark"),
        '\u{200b}' | '\u{2060}'..='\u{2064}' | '\u{feff}' | '\u{180e}' => {
            Some("an invisible zero-width character")
        }
        '\u{fe00}'..='\u{fe0d}' | '\u{e0100}'..='\u{e01ef}' => {
            Some("a variation selector, which can carry hidden text")
        }
        '\u{e0000}'..='\u{e007f}' => {
            Some("a Unicode tag character, invisible text an agent still reads")
        }
        _ => None,
    }
}

/// Resolves `.` and `..` in a relative path without touching the file
/// system; `None` when the path is absolute or climbs above its start.
/// (Links are checked separately, against canonical paths.)
pub fn normalize(path: &Path) -> Option<PathBuf> {
    use std::path::Component;
    let mut out = PathBuf::new();
    for c in path.components() {
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
    fn line_col_counts_characters_and_lines() {
        let f = SourceFile::new("a".into(), "ab\nçd = 1\n".into());
        assert_eq!(f.line_col(0), (1, 1));
        assert_eq!(f.line_col(3), (2, 1));
        // 'ç' is two bytes; 'd' is the second character.
        assert_eq!(f.line_col(5), (2, 2));
        assert_eq!(f.line_text(2), "çd = 1");
        assert_eq!(f.line_text(9), "");
    }

    #[test]
    fn decode_strips_bom_and_reports_bad_byte() {
        assert_eq!(decode(b"\xEF\xBB\xBFx = 1".to_vec()).unwrap(), "x = 1");
        let (prefix, at) = decode(b"ok\n\xFFrest".to_vec()).unwrap_err();
        assert_eq!(prefix, "ok\n");
        assert_eq!(at, 3);
    }
}
