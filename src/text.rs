//! Text and spans: the loaded files every stage points into, and places in
//! them. A leaf: it knows nothing of diagnostics or of what the text means.

use std::ops::Range;
use std::path::{Path, PathBuf};

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
    pub(crate) fn new(path: PathBuf, text: String) -> Self {
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

    /// Every file's id, in the order they were added.
    pub fn ids(&self) -> impl Iterator<Item = FileId> + use<> {
        (0..self.files.len() as u32).map(FileId)
    }

    /// Replaces a file's text (a preprocessor's output); diagnostics then
    /// point into the new text.
    pub fn replace(&mut self, id: FileId, text: String) {
        let file = &mut self.files[id.0 as usize];
        *file = SourceFile::new(std::mem::take(&mut file.path), text);
    }

    /// The file behind an id.
    pub fn get(&self, id: FileId) -> &SourceFile {
        &self.files[id.0 as usize]
    }
}

/// What `c` is, when it is a character a reader cannot see, from the
/// Unicode Character Database (through ICU4X): a control character (tab,
/// line feed and carriage return are ordinary text here; a carriage return
/// on its own is the `decode::hidden` rule's), a default-ignorable code
/// point (zero-width characters, bidirectional controls, variation
/// selectors, tag characters, fillers), any other format character, a
/// private-use or unassigned code point, or the blank braille pattern.
/// (Line and paragraph separators are white space a reader sees as a line
/// break; the escaping of scripts handles them.) The invisible ones are how text is hidden
/// from a reviewer and still read by an agent. Some of them have a place
/// between particular neighbours (an emoji sequence, a Persian word): the
/// `decode::hidden` rule allows those.
pub fn hidden_char(c: char) -> Option<&'static str> {
    use icu_properties::props::{DefaultIgnorableCodePoint, GeneralCategory as Gc};
    use icu_properties::{CodePointMapData, CodePointSetData};
    if matches!(c, '\t' | '\n' | '\r') {
        return None;
    }
    let named = match c {
        '\0' => Some("a NUL byte"),
        '\u{80}'..='\u{9f}' => Some("a C1 control character"),
        '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' => {
            Some("a bidirectional override, which can make text read differently from what it is")
        }
        '\u{200e}' | '\u{200f}' | '\u{61c}' => Some("an invisible direction mark"),
        '\u{200b}'..='\u{200d}' | '\u{2060}'..='\u{2064}' | '\u{feff}' | '\u{180e}' => {
            Some("an invisible zero-width character")
        }
        '\u{fe00}'..='\u{fe0f}'
        | '\u{e0100}'..='\u{e01ef}'
        | '\u{180b}'..='\u{180d}'
        | '\u{180f}' => Some("a variation selector, which can carry hidden text"),
        '\u{e0000}'..='\u{e007f}' => {
            Some("a Unicode tag character, invisible text an agent still reads")
        }
        '\u{115f}' | '\u{1160}' | '\u{3164}' | '\u{ffa0}' | '\u{2800}' => {
            Some("a filler character, which displays as blank")
        }
        _ => None,
    };
    if named.is_some() {
        return named;
    }
    if CodePointSetData::new::<DefaultIgnorableCodePoint>().contains(c) {
        return Some("a default-ignorable character, which is not displayed");
    }
    match CodePointMapData::<Gc>::new().get(c) {
        Gc::Control => Some("a control character"),
        Gc::Format => Some("an invisible format character"),
        Gc::PrivateUse => Some("a private-use character, which has no agreed meaning or glyph"),
        Gc::Unassigned => Some("an unassigned code point"),
        _ => None,
    }
}

/// `s` as a terminal may show it: every character that would not be seen
/// or would act (escape sequences, bidirectional overrides, a carriage
/// return that is not part of a line ending) becomes `�`. For text that
/// comes from sources or repositories and is printed: messages, diffs,
/// tables.
pub fn visible(s: &str) -> std::borrow::Cow<'_, str> {
    let shown = |c: char, next: Option<char>| match c {
        '\t' | '\n' => c,
        '\r' if next == Some('\n') => c,
        '\r' => '\u{FFFD}',
        c if hidden_char(c).is_some() => '\u{FFFD}',
        c => c,
    };
    let mut chars = s.chars().peekable();
    let mut out = String::new();
    let mut changed = false;
    while let Some(c) = chars.next() {
        let v = shown(c, chars.peek().copied());
        changed |= v != c;
        out.push(v);
    }
    if changed { out.into() } else { s.into() }
}

/// Resolves `.` and `..` in a relative path without touching the file
/// system; `None` when the path is absolute or climbs above its start.
/// (Links are checked separately, against canonical paths.)
pub fn lexical_path(path: &Path) -> Option<PathBuf> {
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

/// Decodes the `%XX` escapes of a URL path or link target, the one rule for
/// SUMMARY.md entries, links and `serve`'s request paths. A malformed escape
/// is kept as written and bytes that are not UTF-8 become U+FFFD; `strict`
/// in the result says neither happened (a server refuses the path then).
pub fn percent_decode(s: &str) -> Decoded {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut strict = true;
    let mut i = 0;
    while i < b.len() {
        // to_digit, not from_str_radix, which would take a sign: `%+1`.
        let hex = |c: u8| (c as char).to_digit(16);
        if b[i] == b'%' {
            if let (Some(h), Some(l)) = (
                b.get(i + 1).and_then(|&c| hex(c)),
                b.get(i + 2).and_then(|&c| hex(c)),
            ) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
            strict = false;
        }
        out.push(b[i]);
        i += 1;
    }
    match String::from_utf8(out) {
        Ok(text) => Decoded { text, strict },
        Err(e) => Decoded {
            text: String::from_utf8_lossy(e.as_bytes()).into_owned(),
            strict: false,
        },
    }
}

/// What [`percent_decode`] made of its input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    /// The decoded text.
    pub text: String,
    /// Every escape was well formed and the result is UTF-8.
    pub strict: bool,
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
    fn visible_text_cannot_drive_a_terminal() {
        assert_eq!(visible("a\tb\r\nc\n"), "a\tb\r\nc\n");
        assert_eq!(
            visible("x\u{1b}[2Jy\rz\u{202e}"),
            "x\u{FFFD}[2Jy\u{FFFD}z\u{FFFD}"
        );
    }

    #[test]
    fn percent_decoding_keeps_malformed_escapes_and_says_so() {
        let d = |s| percent_decode(s);
        assert_eq!(d("caf%C3%A9").text, "café");
        assert!(d("a%20b%2D").strict);
        assert_eq!(d("a%20b%2D").text, "a b-");
        assert_eq!(d("100%").text, "100%");
        assert!(!d("100%").strict);
        assert_eq!(d("%zz%4").text, "%zz%4");
        assert_eq!(d("%+1").text, "%+1");
        assert!(!d("%FF").strict);
    }
}
