//! Math at build time (`[output.html] mathjax-support`): TeX between mdBook's
//! delimiters, `\\(`…`\\)` inline and `\\[`…`\\]` as a block in Markdown
//! (`\(`…`\)` and `\[`…`\]` in the rendered text), becomes MathML through
//! `math-core`, so pages need no script and no other origin. Chromium,
//! Firefox and Safari render MathML. Code and preformatted text are left
//! alone, as MathJax leaves them; a formula that does not convert stays as
//! it was written.

use std::sync::LazyLock;

use math_core::{LatexToMathML, MathCoreConfig, MathDisplay};

/// Elements whose text is never math.
const SKIPPED: &[&str] = &["pre", "code", "script", "style", "textarea", "math"];

static CONVERTER: LazyLock<Option<LatexToMathML>> =
    LazyLock::new(|| LatexToMathML::new(MathCoreConfig::default()).ok());

/// `html` with every formula in its text replaced by MathML.
pub fn render(html: &str) -> String {
    walk(html, &mut |_, _| {})
}

/// The formulas of `html` that stay as written: the TeX and why.
pub fn failures(html: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    walk(html, &mut |tex, why| out.push((tex.to_owned(), why)));
    out
}

/// Converts every formula, telling `failed` about those that do not.
fn walk(html: &str, failed: &mut dyn FnMut(&str, String)) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        text(&rest[..lt], &mut out, failed);
        rest = &rest[lt..];
        let end = skip_markup(rest);
        out.push_str(&rest[..end]);
        rest = &rest[end..];
    }
    text(rest, &mut out, failed);
    out
}

/// The length of the markup at the start of `s` (which starts with `<`):
/// a comment, a tag, or a skipped element with everything inside it.
fn skip_markup(s: &str) -> usize {
    if s.starts_with("<!--") {
        return s.find("-->").map_or(s.len(), |i| i + 3);
    }
    let tag_end = s.find('>').map_or(s.len(), |i| i + 1);
    let name: String = s[1..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect::<String>()
        .to_ascii_lowercase();
    if SKIPPED.contains(&name.as_str()) && !s[..tag_end].ends_with("/>") {
        let close = format!("</{name}");
        let lower = s.to_ascii_lowercase();
        if let Some(i) = lower[tag_end..].find(&close) {
            let after = tag_end + i;
            return s[after..].find('>').map_or(s.len(), |j| after + j + 1);
        }
        return s.len();
    }
    tag_end
}

/// Copies a run of text, converting the formulas in it.
fn text(mut s: &str, out: &mut String, failed: &mut dyn FnMut(&str, String)) {
    while let Some((start, open, close, display)) = next_open(s) {
        let body_start = start + open.len();
        let Some(len) = s[body_start..].find(close) else {
            break;
        };
        let tex = unescape(&s[body_start..body_start + len]);
        out.push_str(&s[..start]);
        match convert(&tex, display) {
            Ok(mathml) => out.push_str(&mathml),
            Err(why) => {
                failed(&tex, why);
                out.push_str(&s[start..body_start + len + close.len()]);
            }
        }
        s = &s[body_start + len + close.len()..];
    }
    out.push_str(s);
}

/// The first opening delimiter in `s`: offset, the delimiter, its closer
/// and how it displays.
fn next_open(s: &str) -> Option<(usize, &'static str, &'static str, MathDisplay)> {
    let inline = s
        .find("\\(")
        .map(|i| (i, "\\(", "\\)", MathDisplay::Inline));
    let block = s.find("\\[").map(|i| (i, "\\[", "\\]", MathDisplay::Block));
    match (inline, block) {
        (Some(a), Some(b)) => Some(if a.0 < b.0 { a } else { b }),
        (a, b) => a.or(b),
    }
}

/// TeX as written: the renderer escaped `& < > "` in text.
fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// MathML for `tex`, unless it does not convert or links somewhere a page
/// may not link (`\href{javascript:…}`).
fn convert(tex: &str, display: MathDisplay) -> Result<String, String> {
    let converter = CONVERTER.as_ref().ok_or("the converter did not start")?;
    let mathml = converter
        .convert_with_local_state(tex, display)
        .map_err(|e| e.to_string())?
        .mathml;
    if links_are_safe(&mathml) {
        Ok(mathml)
    } else {
        Err("it links to a URL a page may not link to".to_owned())
    }
}

/// Whether every `href` in `mathml` is a relative, http(s) or mailto URL
/// (math-core renders `\href` in some versions).
fn links_are_safe(mathml: &str) -> bool {
    mathml.split("href=\"").skip(1).all(|rest| {
        let url = unescape(rest.split('"').next().unwrap_or(""));
        let url: String = url
            .chars()
            .filter(|c| !c.is_ascii_whitespace() && !c.is_control())
            .collect::<String>()
            .to_ascii_lowercase();
        // A character reference could spell a scheme: only plain text passes.
        let plain = !url.contains("&#");
        let web = ["http://", "https://", "mailto:"]
            .iter()
            .any(|p| url.starts_with(p));
        plain && (web || !url.contains(':'))
    })
}

#[cfg(test)]
mod tests {
    use super::{failures, links_are_safe, render};

    #[test]
    fn inline_and_block_formulas_become_mathml() {
        let html = render("<p>Area \\( \\pi r^2 \\) and</p>\n<p>\\[ \\frac{a}{b} &lt; 1 \\]</p>\n");
        assert!(html.starts_with("<p>Area <math>"), "{html}");
        assert!(html.contains("<mi>π</mi>"), "{html}");
        assert!(html.contains("<math display=\"block\">"), "{html}");
        assert!(html.contains("<mfrac>"), "{html}");
        assert!(
            html.contains("<mo>&lt;</mo>")
                || html.contains("<mo>&#x3C;</mo>")
                || html.contains("<mo>&lt;"),
            "{html}"
        );
        assert!(!html.contains("\\("), "{html}");
    }

    #[test]
    fn code_and_unclosed_delimiters_are_left_alone() {
        for html in [
            "<p><code>\\( x \\)</code></p>",
            "<pre><code class=\"language-tex\">\\[ x \\]\n</code></pre>",
            "<p>only \\( opened</p>",
            "<p>\\( x <em>across</em> \\)</p>",
        ] {
            assert_eq!(render(html), html);
        }
    }

    #[test]
    fn failures_name_the_tex_and_why() {
        let f = failures("<p>\\( \\frac{a} \\) and \\( x \\)</p>");
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(f[0].0, " \\frac{a} ");
        assert!(!f[0].1.is_empty());
    }

    #[test]
    fn a_script_link_in_tex_is_not_rendered() {
        let html = "<p>\\( \\href{javascript:alert(1)}{x} \\)</p>";
        assert!(!render(html).contains("<a "));
        assert!(links_are_safe(
            "<math><mtext><a href=\"https://example.org\">x</a></mtext></math>"
        ));
        assert!(links_are_safe(
            "<math><mtext><a href=\"#eq1\">(1)</a></mtext></math>"
        ));
        for bad in [
            "javascript:alert(1)",
            " JavaScript&#x3A;x",
            "java\tscript:x",
            "data:text/html,x",
        ] {
            let m = format!("<math><mtext><a href=\"{bad}\">x</a></mtext></math>");
            assert!(!links_are_safe(&m), "{bad}");
        }
    }
}
