//! The offline search index: one entry per heading section, loaded as a
//! script (`searchindex.js`) so search works from `file://`.

use serde::Serialize;

/// One searchable section. It is written as a four-element array, the
/// compact shape `search.js` reads.
#[derive(Debug, Clone)]
pub(super) struct Doc {
    /// URL with the heading's anchor.
    pub url: String,
    /// Page title.
    pub title: String,
    /// The section's heading; empty for the page's opening text.
    pub heading: String,
    /// The section's text (an [`excerpt`]).
    pub text: String,
}

impl Serialize for Doc {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        (&self.url, &self.title, &self.heading, &self.text).serialize(s)
    }
}

/// Longest text kept per section: search finds pages by their titles,
/// headings and opening text; the index stays small.
const MAX_TEXT: usize = 600;

/// Shortens `text` to at most [`MAX_TEXT`] bytes at a word boundary, with
/// white space folded.
pub(super) fn excerpt(text: &str) -> String {
    let mut out = String::new();
    for word in text.split_whitespace() {
        if out.len() + word.len() + 1 > MAX_TEXT {
            break;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// What `searchindex.js` starts with, before the documents.
pub(super) const HEAD: &str = "window.GOVBOOK_SEARCH={\"docs\":[";
/// What it ends with, after them.
pub(super) const TAIL: &str = "]};\n";

/// The documents as comma-separated JSON arrays, ready to go between
/// [`HEAD`] and [`TAIL`]; pages keep these instead of the documents, so the
/// index is written in parts and never built whole.
pub(super) fn fragment(docs: &[Doc]) -> String {
    let mut out = String::new();
    for d in docs {
        if !out.is_empty() {
            out.push(',');
        }
        // Inside a script, `</script>` or `<!--` in a string would change
        // how the page parses it: no `<` at all.
        let json = serde_json::to_string(d).unwrap_or_else(|_| "[]".into());
        for (i, part) in json.split('<').enumerate() {
            if i > 0 {
                out.push_str("\\u003c");
            }
            out.push_str(part);
        }
    }
    // Kept for every page until the index is written: no growth slack.
    out.shrink_to_fit();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excerpt_cuts_at_words() {
        let long = "word ".repeat(500);
        let e = excerpt(&long);
        assert!(e.len() <= MAX_TEXT);
        assert!(e.ends_with("word"));
        assert_eq!(excerpt("  a\n b  "), "a b");
    }

    #[test]
    fn script_cannot_close_a_script_tag() {
        let s = format!(
            "{HEAD}{}{TAIL}",
            fragment(&[Doc {
                url: "a.html".into(),
                title: "</script>".into(),
                heading: String::new(),
                text: String::new(),
            }])
        );
        assert!(!s.contains("</script>"));
        assert!(s.starts_with("window.GOVBOOK_SEARCH={\"docs\":[["));
    }
}
