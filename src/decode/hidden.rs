//! Characters a reader cannot see, refused (GB112) in every TOML string
//! (governance files, front matter, `book.toml`) and in artifact templates.
//! That text is copied into AGENTS.md and Codex files, which an agent reads
//! as instructions: a control character, a bidirectional override (Trojan
//! Source), or invisible text (tag characters, zero-width characters, runs
//! of variation selectors) that an agent reads and a reviewer does not has
//! no place there.

use std::ops::Range;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::text::{FileId, hidden_char};

/// The first hidden character of `s`, its byte offset, and what it is.
/// Besides [`hidden_char`], a carriage return not followed by a line feed
/// (a terminal shows the text after it over the text before). Three
/// invisible characters are text where they stand between the right
/// neighbours, and hidden anywhere else:
/// - a text or emoji variation selector right after a character (❤️; a
///   run of selectors is a known way to smuggle text);
/// - a zero-width joiner inside an emoji sequence (👩‍💻);
/// - a zero-width joiner or non-joiner between two letters or marks of a
///   script that shapes with them (Persian, Arabic, Indic: `Lo`, `Mn`,
///   `Mc`), never between Latin, Greek or Cyrillic letters.
pub fn find(s: &str) -> Option<(usize, char, &'static str)> {
    let mut prev: Option<char> = None;
    let mut chars = s.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        let next = chars.peek().map(|&(_, n)| n);
        let kind = match c {
            '\r' if next != Some('\n') => Some("a carriage return without a line feed"),
            '\u{fe0e}' | '\u{fe0f}' if prev.is_some_and(|p| !is_selector(p)) => None,
            '\u{200d}' if prev.is_some_and(ends_emoji) && next.is_some_and(is_pictographic) => None,
            '\u{200c}' | '\u{200d}' if prev.is_some_and(shapes) && next.is_some_and(shapes) => None,
            _ => hidden_char(c),
        };
        if let Some(kind) = kind {
            return Some((at, c, kind));
        }
        prev = Some(c);
    }
    None
}

fn is_selector(c: char) -> bool {
    matches!(c, '\u{fe00}'..='\u{fe0f}' | '\u{e0100}'..='\u{e01ef}')
}

fn is_pictographic(c: char) -> bool {
    use icu_properties::{CodePointSetData, props::ExtendedPictographic};
    CodePointSetData::new::<ExtendedPictographic>().contains(c)
}

/// What an emoji can end with before a joiner: the pictograph, its emoji
/// selector, or a skin-tone modifier.
fn ends_emoji(c: char) -> bool {
    use icu_properties::{CodePointSetData, props::EmojiModifier};
    c == '\u{fe0f}' || is_pictographic(c) || CodePointSetData::new::<EmojiModifier>().contains(c)
}

/// A letter or mark of the kind the joiners shape (other letters and
/// marks: Arabic, Persian, the Indic scripts), never a cased letter.
fn shapes(c: char) -> bool {
    use icu_properties::{CodePointMapData, props::GeneralCategory as Gc};
    matches!(
        CodePointMapData::<Gc>::new().get(c),
        Gc::OtherLetter | Gc::NonspacingMark | Gc::SpacingMark
    )
}

/// Reports the hidden characters of a whole file (an artifact template),
/// each at its place, at most `MAX_PER_FILE` of them.
pub fn check_text(text: &str, file: FileId, diags: &mut Diagnostics) {
    const MAX_PER_FILE: usize = 10;
    let mut from = 0;
    for _ in 0..MAX_PER_FILE {
        let Some((at, c, kind)) = text.get(from..).and_then(find) else {
            return;
        };
        let at = from + at;
        diags.push(diagnostic(
            format!("the template holds U+{:04X}, {kind}", u32::from(c)),
            file,
            at..at + c.len_utf8(),
        ));
        from = at + c.len_utf8();
    }
}

/// Reports every key and string value of `root` (parsed from `text`) that
/// holds a hidden character, at the character when it is written as it is,
/// else at the value (it was written as an escape).
pub fn check(root: &Spanned<DeTable<'_>>, text: &str, file: FileId, diags: &mut Diagnostics) {
    let ctx = Ctx { text, file };
    ctx.table(root.get_ref(), "", diags);
}

struct Ctx<'a> {
    text: &'a str,
    file: FileId,
}

impl Ctx<'_> {
    fn table(&self, t: &DeTable<'_>, prefix: &str, diags: &mut Diagnostics) {
        for (k, v) in t.iter() {
            let path = if prefix.is_empty() {
                k.get_ref().to_string()
            } else {
                format!("{prefix}.{}", k.get_ref())
            };
            self.report(k.get_ref(), &format!("the key {path}"), k.span(), diags);
            self.value(v, &path, diags);
        }
    }

    fn value(&self, v: &Spanned<DeValue<'_>>, path: &str, diags: &mut Diagnostics) {
        match v.get_ref() {
            DeValue::String(s) => self.report(s, path, v.span(), diags),
            DeValue::Table(t) => self.table(t, path, diags),
            DeValue::Array(a) => {
                for (i, item) in a.iter().enumerate() {
                    self.value(item, &format!("{path}[{i}]"), diags);
                }
            }
            _ => {}
        }
    }

    fn report(&self, s: &str, what: &str, span: Range<usize>, diags: &mut Diagnostics) {
        let Some((_, c, kind)) = find(s) else {
            return;
        };
        let raw = self.text.get(span.clone()).and_then(find);
        let span = match raw {
            Some((at, rc, _)) if rc == c => span.start + at..span.start + at + c.len_utf8(),
            _ => span,
        };
        diags.push(diagnostic(
            format!("{what} holds U+{:04X}, {kind}", u32::from(c)),
            self.file,
            span,
        ));
    }
}

fn diagnostic(message: String, file: FileId, span: Range<usize>) -> Diagnostic {
    Diagnostic::new(Code::HiddenCharacter, message)
        .at_span(file, span)
        .with_hint("delete it; this text is copied into AGENTS.md and Codex files")
}

#[cfg(test)]
mod tests {
    use super::find;

    #[test]
    fn hidden_characters_are_found_and_ordinary_text_is_not() {
        for ok in [
            "plain",
            "tab\tand\nnewline\r\n",
            "ünïcödé — “quotes”",
            "עברית",
            "emoji 👩‍💻 and ❤️ and ☺︎",
            "فارسی\u{200c}ها",
            "क्\u{200d}ष",
            "👨\u{200d}👩\u{200d}👧 and 👩🏽\u{200d}💻",
        ] {
            assert_eq!(find(ok), None, "{ok:?}");
        }
        for (bad, c) in [
            ("a\0b", '\0'),
            ("bell\u{7}", '\u{7}'),
            ("del\u{7f}", '\u{7f}'),
            ("c1\u{85}", '\u{85}'),
            ("admin\u{202e}txt.exe", '\u{202e}'),
            ("isolate\u{2066}x", '\u{2066}'),
            ("mark\u{200f}x", '\u{200f}'),
            ("zero\u{200b}width", '\u{200b}'),
            ("joiner\u{2060}x", '\u{2060}'),
            ("bom\u{feff}x", '\u{feff}'),
            ("tag\u{e0041}\u{e0042}", '\u{e0041}'),
            ("models\rIGNORE PREVIOUS", '\r'),
            ("smuggled a\u{fe0f}\u{fe0f}", '\u{fe0f}'),
            ("\u{fe0f}first", '\u{fe0f}'),
            ("vs1\u{fe00}", '\u{fe00}'),
            ("vs17\u{e0100}", '\u{e0100}'),
            // Found by a reviewer; now from the Unicode data, not a list.
            ("ig\u{200c}nore", '\u{200c}'),
            ("ig\u{200d}nore", '\u{200d}'),
            ("a\u{200d}👩", '\u{200d}'),
            ("soft\u{ad}hyphen", '\u{ad}'),
            ("grapheme\u{34f}joiner", '\u{34f}'),
            ("hangul\u{115f}filler", '\u{115f}'),
            ("hangul\u{3164}filler", '\u{3164}'),
            ("inhibit\u{206a}x", '\u{206a}'),
            ("annotation\u{fff9}x", '\u{fff9}'),
            ("music\u{1d173}x", '\u{1d173}'),
            ("private\u{e000}use", '\u{e000}'),
            ("plane15\u{f0000}", '\u{f0000}'),
            ("braille\u{2800}blank", '\u{2800}'),
            ("unassigned\u{378}", '\u{378}'),
            ("mongolian\u{180e}x", '\u{180e}'),
        ] {
            assert_eq!(find(bad).map(|f| f.1), Some(c), "{bad:?}");
        }
        assert_eq!(find("ab\u{202e}").map(|f| f.0), Some(2));
    }
}
