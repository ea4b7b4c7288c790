//! Which `class` tokens raw HTML keeps under `raw-html = "sanitize"`.
//!
//! A class means something only where a stylesheet or script reads it, so
//! a token is kept when something the book's author wrote or chose reads
//! it: mdBook's `warning` callout (govbook's theme styles it), a class
//! selector in one of the book's `additional-css` files, or a selector in
//! a string of one of its `additional-js` files (`".mermaid"`). book.toml
//! is trusted and those files are its author's own. A token govbook's own
//! theme uses for the site's chrome is never kept, so a page cannot dress
//! its text as the sidebar, the search box or a banner.

use std::collections::BTreeSet;
use std::path::Path;
use std::sync::{Arc, LazyLock};

use regex::Regex;

/// Classes govbook's theme styles for page content, as mdBook does.
pub const CONTENT: &[&str] = &["warning"];

/// The tokens a book's raw HTML may keep (beyond [`CONTENT`]).
pub type Allowed = Arc<BTreeSet<String>>;

/// Whether raw HTML keeps `token` on an HTML element.
pub fn keeps(token: &str, allowed: &BTreeSet<String>) -> bool {
    (CONTENT.contains(&token) || allowed.contains(token)) && !is_chrome(token)
}

/// Whether `token` is one govbook's theme uses for the site itself.
pub fn is_chrome(token: &str) -> bool {
    // Highlighted code's classes come from a generated stylesheet.
    token.starts_with("hl-") || chrome().contains(token)
}

/// Every class the default theme's stylesheets, scripts and templates
/// name, but the content classes.
pub fn chrome() -> &'static BTreeSet<String> {
    static CHROME: LazyLock<BTreeSet<String>> = LazyLock::new(|| {
        let mut out = BTreeSet::new();
        for (path, bytes) in crate::bundled::theme_files() {
            let text = String::from_utf8_lossy(bytes);
            if path.ends_with(".css") {
                out.extend(from_css(&text));
            } else if path.ends_with(".js") {
                out.extend(from_js(&text));
                out.extend(js_class_names(&text));
            } else if path.ends_with(".html") {
                out.extend(from_templates(&text));
            }
        }
        out.retain(|c| !CONTENT.contains(&c.as_str()));
        out
    });
    &CHROME
}

/// The tokens the book's `additional-css` and `additional-js` files let
/// raw HTML keep: read from under `root` (a file missing or outside the
/// book is reported elsewhere, GB707, and read as nothing here).
pub fn of_book(root: &Path, css: &[String], js: &[String]) -> BTreeSet<String> {
    let canon_root = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    let read = |rel: &String| -> Option<String> {
        let lexical = crate::text::lexical_path(Path::new(rel))?;
        let path = root.join(lexical);
        if !crate::source::stays_inside(&path, &canon_root) {
            return None;
        }
        std::fs::read(&path)
            .ok()
            .map(|b| String::from_utf8_lossy(&b).into_owned())
    };
    let mut out: BTreeSet<String> = css
        .iter()
        .filter_map(read)
        .flat_map(|t| from_css(&t))
        .collect();
    out.extend(js.iter().filter_map(read).flat_map(|t| from_js(&t)));
    out.retain(|c| !is_chrome(c));
    out
}

/// A class selector's name (CSS identifiers, unescaped ones only).
static CLASS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\.(-?[_a-zA-Z][_a-zA-Z0-9-]*)").expect("static regex"));

/// The class selectors of a stylesheet: every `.name` in the text before
/// a `{` (a rule's selector list, nested rules too), comments, strings and
/// attribute selectors aside, so `0.5em` or `url(a.png)` in a declaration
/// is no class.
pub fn from_css(css: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut prelude = String::new();
    let mut chars = css.chars().peekable();
    let mut bracket = 0usize;
    while let Some(c) = chars.next() {
        match c {
            '/' if chars.peek() == Some(&'*') => {
                chars.next();
                let mut last = ' ';
                for c in chars.by_ref() {
                    if last == '*' && c == '/' {
                        break;
                    }
                    last = c;
                }
            }
            '"' | '\'' => {
                let mut escaped = false;
                for s in chars.by_ref() {
                    match s {
                        _ if escaped => escaped = false,
                        '\\' => escaped = true,
                        _ if s == c => break,
                        _ => {}
                    }
                }
                prelude.push(' ');
            }
            '[' => bracket += 1,
            ']' => bracket = bracket.saturating_sub(1),
            '{' => {
                if !prelude.trim_start().starts_with('@') {
                    out.extend(CLASS.captures_iter(&prelude).map(|m| m[1].to_owned()));
                }
                prelude.clear();
                bracket = 0;
            }
            ';' | '}' => {
                prelude.clear();
                bracket = 0;
            }
            _ if bracket > 0 => {}
            _ => prelude.push(c),
        }
    }
    out
}

/// A quoted string on one line (JavaScript's three quotes).
static JS_STRING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#""((?:[^"\\\n]|\\.)*)"|'((?:[^'\\\n]|\\.)*)'|`((?:[^`\\\n]|\\.)*)`"#)
        .expect("static regex")
});

/// A class selector inside a string: at its start or after a combinator,
/// a space, a `(` or a tag name (`"pre.mermaid"`, `'div > .x'`), so a file
/// name such as `"mermaid.min.js"` names no class.
static JS_SELECTOR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:^|[\s,>+~(]|\b(?:[a-z][a-z0-9]*))\.(-?[_a-zA-Z][_a-zA-Z0-9-]*)")
        .expect("static regex")
});

/// The class selectors in a script's strings (`querySelector(".mermaid")`).
pub fn from_js(js: &str) -> Vec<String> {
    let mut out = Vec::new();
    for s in JS_STRING.captures_iter(js) {
        let Some(text) = s.get(1).or(s.get(2)).or(s.get(3)) else {
            continue;
        };
        for m in JS_SELECTOR.captures_iter(text.as_str()) {
            let prefix = &m[0][..m[0].len() - m[1].len() - 1];
            let tag = prefix.trim_start_matches(|c: char| !c.is_ascii_alphanumeric());
            if tag.is_empty() || crate::markdown::sanitize::is_element(tag) {
                out.push(m[1].to_owned());
            }
        }
    }
    out
}

/// Names a script gives classes: `className = "a b"` and
/// `classList.add("a")` (and `toggle`, `contains`, `remove`).
fn js_class_names(js: &str) -> Vec<String> {
    static NAMED: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r#"(?:className\s*=\s*|classList\.\w+\(\s*)["']([^"']*)["']"#)
            .expect("static regex")
    });
    NAMED
        .captures_iter(js)
        .flat_map(|m| {
            m[1].split_whitespace()
                .map(str::to_owned)
                .collect::<Vec<_>>()
        })
        .collect()
}

/// The literal tokens of every `class="…"` in the theme's templates
/// (tokens that are Tera expressions are left out).
fn from_templates(html: &str) -> Vec<String> {
    static ATTR: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r#"class="([^"]*)""#).expect("static regex"));
    ATTR.captures_iter(html)
        .flat_map(|m| {
            m[1].split_whitespace()
                .filter(|t| !t.contains(['{', '}', '%']))
                .map(str::to_owned)
                .collect::<Vec<_>>()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn css_class_selectors_are_read_from_selectors_only() {
        let css = "/* .commented */\n.admonition, div.admonish-note > p:first-child { margin: 0.5em; background: url(a.png); }\n@media (max-width: 10px) { .narrow { x: y } }\n[data-x=\".quoted\"] .after-attr { }\na[href$='.pdf'] {}\n.outer { color: red; .nested { } }";
        let got: BTreeSet<String> = from_css(css).into_iter().collect();
        let want: BTreeSet<String> = [
            "admonition",
            "admonish-note",
            "narrow",
            "after-attr",
            "outer",
            "nested",
        ]
        .into_iter()
        .map(str::to_owned)
        .collect();
        assert_eq!(got, want);
    }

    #[test]
    fn js_selector_strings_name_classes_and_file_names_do_not() {
        let js = "mermaid.initialize({ querySelector: \".mermaid\" });\nload('./mermaid.min.js');\ndocument.querySelectorAll('pre.diagram, div > .box');\nvar s = \"version 1.2\";";
        let got: BTreeSet<String> = from_js(js).into_iter().collect();
        let want: BTreeSet<String> = ["mermaid", "diagram", "box"]
            .into_iter()
            .map(str::to_owned)
            .collect();
        assert_eq!(got, want);
    }

    #[test]
    fn the_chrome_is_the_themes_and_excludes_content_classes() {
        let chrome = chrome();
        for c in [
            "sidebar-open",
            "site-header",
            "skip-link",
            "alert",
            "copy-button",
        ] {
            assert!(is_chrome(c), "{c} is chrome: {chrome:?}");
        }
        assert!(is_chrome("hl-keyword"));
        for c in CONTENT {
            assert!(!is_chrome(c), "{c} is content");
        }
        let allowed: BTreeSet<String> = ["sidebar-open".to_owned(), "admonition".to_owned()].into();
        assert!(keeps("warning", &BTreeSet::new()));
        assert!(keeps("admonition", &allowed));
        assert!(!keeps("sidebar-open", &allowed));
        assert!(!keeps("unknown", &allowed));
    }
}
