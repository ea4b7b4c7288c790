//! The offline search index: one entry per heading section, loaded as a
//! script (`searchindex.js`) so search works from `file://`.

use serde::Serialize;

/// One searchable section: URL (with anchor), page title, heading, text.
#[derive(Debug, Serialize)]
pub struct Doc(pub String, pub String, pub String, pub String);

/// Longest text kept per section: search finds pages by their titles,
/// headings and opening text; the index stays small.
const MAX_TEXT: usize = 600;

/// Shortens `text` to at most [`MAX_TEXT`] bytes at a word boundary, with
/// white space folded.
pub fn excerpt(text: &str) -> String {
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

/// `searchindex.js` for these documents.
pub fn script(docs: &[Doc]) -> String {
    #[derive(Serialize)]
    struct Index<'a> {
        docs: &'a [Doc],
    }
    let json = serde_json::to_string(&Index { docs }).unwrap_or_else(|_| "{\"docs\":[]}".into());
    format!("window.GOVBOOK_SEARCH={};\n", json.replace('<', "\\u003c"))
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
        let s = script(&[Doc(
            "a.html".into(),
            "</script>".into(),
            String::new(),
            String::new(),
        )]);
        assert!(!s.contains("</script>"));
        assert!(s.starts_with("window.GOVBOOK_SEARCH={\"docs\":[["));
    }
}
