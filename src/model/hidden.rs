//! Characters a reader cannot see, refused in governance and front matter
//! strings. Those strings are copied into AGENTS.md and Codex files, which
//! an agent reads as instructions: a control character, a bidirectional
//! override (Trojan Source) or a Unicode tag character (text an agent reads
//! and a reviewer does not) has no place there.

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::source::{FileId, hidden_char};

/// The first hidden character of `s` and what it is, if any.
pub fn find(s: &str) -> Option<(char, &'static str)> {
    s.chars().find_map(|c| hidden_char(c).map(|k| (c, k)))
}

/// Reports every key and string value of `root` that holds a hidden
/// character, at the value.
pub fn check(root: &Spanned<DeTable<'_>>, file: FileId, diags: &mut Diagnostics) {
    table(root.get_ref(), "", file, diags);
}

fn table(t: &DeTable<'_>, prefix: &str, file: FileId, diags: &mut Diagnostics) {
    for (k, v) in t.iter() {
        let path = if prefix.is_empty() {
            k.get_ref().to_string()
        } else {
            format!("{prefix}.{}", k.get_ref())
        };
        if let Some(d) = report(k.get_ref(), &format!("the key {path}"), file, k.span()) {
            diags.push(d);
        }
        value(v, &path, file, diags);
    }
}

fn value(v: &Spanned<DeValue<'_>>, path: &str, file: FileId, diags: &mut Diagnostics) {
    match v.get_ref() {
        DeValue::String(s) => {
            if let Some(d) = report(s, path, file, v.span()) {
                diags.push(d);
            }
        }
        DeValue::Table(t) => table(t, path, file, diags),
        DeValue::Array(a) => {
            for (i, item) in a.iter().enumerate() {
                value(item, &format!("{path}[{i}]"), file, diags);
            }
        }
        _ => {}
    }
}

fn report(s: &str, what: &str, file: FileId, span: std::ops::Range<usize>) -> Option<Diagnostic> {
    let (c, kind) = find(s)?;
    Some(
        Diagnostic::new(
            Code::HiddenCharacter,
            format!("{what} holds U+{:04X}, {kind}", u32::from(c)),
        )
        .at_span(file, span)
        .with_hint("delete it; this text is copied into AGENTS.md and Codex files"),
    )
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
            "emoji 👩‍💻",
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
            ("tag\u{e0041}\u{e0042}", '\u{e0041}'),
        ] {
            assert_eq!(find(bad).map(|f| f.0), Some(c), "{bad:?}");
        }
    }
}
