//! `[output.html]` values that point somewhere: redirects may not replace a
//! page, leave the site or use a script URL (GB706); additional CSS and JS
//! files must exist inside the book (GB707); the repository and edit links
//! must be web URLs.

use std::collections::HashSet;
use std::ops::Range;
use std::path::Path;

use crate::config::html::Redirect;
use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::markdown::page_url;
use crate::model::{CONCERNS, Model};
use crate::source::stays_inside;
use crate::text::{FileId, Sources, lexical_path};

/// Files govbook writes besides pages; a redirect may not replace them.
const SPECIAL: &[&str] = &[
    "index.html",
    "print.html",
    "404.html",
    "toc.html",
    "toc.js",
    "searchindex.js",
    "sitemap.xml",
    "metrics.json",
];

/// A formula that does not convert, at the line that holds it (or, when
/// Markdown escapes make it differ from the source, its page's first
/// formula).
fn math_warnings(model: &Model, sources: &Sources, diags: &mut Diagnostics) {
    if !model.config.html.math {
        return;
    }
    for p in &model.pages {
        let md = p.markdown(sources);
        if !md.contains("\\\\(") && !md.contains("\\\\[") {
            continue;
        }
        let html = crate::markdown::render(md, crate::config::RawHtml::Escape).html;
        let text = &sources.get(p.file).text;
        for (tex, why) in crate::markdown::math::failures(&html) {
            let trimmed = tex.trim();
            let at = text
                .find(trimmed)
                .map(|i| i..i + trimmed.len())
                .or_else(|| {
                    let i = text
                        .find("\\\\(")
                        .into_iter()
                        .chain(text.find("\\\\["))
                        .min()?;
                    Some(i..i + 3)
                })
                .unwrap_or(0..0);
            let shown: String = trimmed.chars().take(60).collect();
            diags.push(
                Diagnostic::new(
                    Code::MathNotConverted,
                    format!("formula `{shown}` is shown as written: {why}"),
                )
                .at_span(p.file, at),
            );
        }
    }
}

/// Directories govbook fills itself (theme assets, artifact downloads).
const OWN_DIRS: &[&str] = &["assets/", "templates/"];

/// Runs the checks on `model.config.html`.
pub fn check(model: &Model, sources: &Sources, diags: &mut Diagnostics) {
    let Some(file) = model.config.file else {
        return;
    };
    let html = &model.config.html;
    let mut taken: HashSet<String> = model
        .pages
        .iter()
        .map(|p| page_url(&p.path.to_string_lossy()))
        .chain(SPECIAL.iter().map(|s| (*s).to_owned()))
        .chain(
            model
                .assets
                .iter()
                .map(|a| a.path.to_string_lossy().replace('\\', "/")),
        )
        .collect();
    if model.governance.is_some() {
        taken.extend(CONCERNS.iter().map(|c| c.url.to_owned()));
    }
    theme_warnings(model, sources, diags);
    math_warnings(model, sources, diags);
    for r in &html.redirects {
        if let Some(d) = redirect_problem(r, &taken) {
            diags.push(d.at_span(file, r.key_span.clone()));
        }
    }
    for (key, list) in [
        ("additional-css", &html.additional_css),
        ("additional-js", &html.additional_js),
    ] {
        for f in list {
            if let Some(msg) = extra_file_problem(sources.root(), &f.value) {
                diags.push(
                    Diagnostic::new(Code::ExtraFileMissing, format!("{key} `{}` {msg}", f.value))
                        .at_span(file, f.span.clone())
                        .with_hint("name a file inside the book, relative to book.toml"),
                );
            }
        }
    }
    for (key, value) in [
        ("git-repository-url", &html.git_repository_url),
        ("edit-url-template", &html.edit_url_template),
    ] {
        if let Some(url) = value
            && !is_web_url(url)
        {
            let span = model
                .config
                .spans
                .value(&format!("output.html.{key}"))
                .unwrap_or(0..0);
            diags.push(web_url_error(key, url, file, span));
        }
    }
}

/// mdBook's theme files: the favicons are used; every other file (Handlebars
/// templates, mdBook's own stylesheets and scripts) is written for mdBook's
/// page structure, which govbook's pages do not have, and gets a warning.
fn theme_warnings(model: &Model, sources: &Sources, diags: &mut Diagnostics) {
    let rel = &model.config.html.theme_dir;
    let Some(dir) = lexical_path(Path::new(rel)) else {
        return;
    };
    let abs = sources.root().join(&dir);
    if !abs.is_dir() {
        return;
    }
    let mut files: Vec<String> = walkdir::WalkDir::new(&abs)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| {
            Some(
                e.path()
                    .strip_prefix(&abs)
                    .ok()?
                    .to_string_lossy()
                    .replace('\\', "/"),
            )
        })
        .filter(|f| !FAVICONS.contains(&f.as_str()))
        .collect();
    files.sort();
    let listed: HashSet<String> = model
        .config
        .html
        .additional_css
        .iter()
        .chain(&model.config.html.additional_js)
        .filter_map(|f| lexical_path(Path::new(&f.value)))
        .map(|p| p.to_string_lossy().replace('\\', "/"))
        .collect();
    for f in files {
        let shown = format!("{}/{f}", dir.to_string_lossy().replace('\\', "/"));
        if listed.contains(&shown) {
            continue;
        }
        let why = if f.ends_with(".hbs") {
            "a Handlebars template of mdBook's; govbook's pages come from its own theme (themes/NAME/)"
        } else {
            "written for mdBook's page structure, which govbook's pages do not have"
        };
        diags.push(
            Diagnostic::new(Code::MdbookOnlyKey, format!("{shown} is not used: {why}"))
                .at_path(Path::new(&shown))
                .with_hint("list a stylesheet or script in [output.html] additional-css / additional-js to use it"),
        );
    }
}

/// The theme files govbook uses: `assets/favicon.*` in the site.
const FAVICONS: &[&str] = &["favicon.svg", "favicon.png"];

fn web_url_error(key: &str, url: &str, file: FileId, span: Range<usize>) -> Diagnostic {
    Diagnostic::new(
        Code::InvalidValue,
        format!("[output.html] {key} `{url}` is not an http:// or https:// URL"),
    )
    .at_span(file, span)
}

/// What is wrong with a redirect, if anything. A `#fragment` entry is a
/// warning: mdBook follows it with a script, and govbook's pages run none
/// for it.
fn redirect_problem(r: &Redirect, taken: &HashSet<String>) -> Option<Diagnostic> {
    let bad = |msg: String| Some(Diagnostic::new(Code::BadRedirect, msg));
    if let Some((page, _)) = r.from.split_once('#') {
        return Some(
            Diagnostic::new(
                Code::MdbookOnlyKey,
                format!(
                    "redirect `{}` is ignored: a fragment redirect needs a script",
                    r.from
                ),
            )
            .with_hint(format!(
                "redirect `{page}` as a whole, or keep an anchor with the old id on the new page"
            )),
        );
    }
    match lexical_path(Path::new(&r.from)) {
        Some(p) if !p.as_os_str().is_empty() => {}
        _ => {
            return bad(format!(
                "redirect `{}` is not a path inside the site",
                r.from
            ));
        }
    }
    if taken.contains(&r.from) || OWN_DIRS.iter().any(|d| r.from.starts_with(d)) {
        return bad(format!(
            "redirect `{}` would replace a page of the book",
            r.from
        ))
        .map(|d| d.with_hint("either delete the redirect or remove the page (as mdBook asks)"));
    }
    let to = r.to.trim();
    if to.is_empty() {
        return bad(format!("redirect `{}` has an empty target", r.from));
    }
    if let Some(scheme) = scheme(to)
        && !matches!(scheme.as_str(), "http" | "https")
    {
        return bad(format!(
            "redirect `{}` goes to a `{scheme}:` URL; only relative paths and http(s) URLs are allowed",
            r.from
        ));
    }
    None
}

/// The scheme of a URL, lowercased, when it has one.
fn scheme(url: &str) -> Option<String> {
    // Browsers drop tabs and newlines anywhere in a URL.
    let clean: String = url
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    let end = clean.find([':', '/', '?', '#'])?;
    (clean[end..].starts_with(':') && end > 0).then(|| clean[..end].to_ascii_lowercase())
}

/// Whether `url` is an absolute http(s) URL.
pub fn is_web_url(url: &str) -> bool {
    matches!(scheme(url).as_deref(), Some("http" | "https"))
}

/// Why an additional file cannot be used, if it cannot.
fn extra_file_problem(root: &Path, rel: &str) -> Option<&'static str> {
    let Some(lexical) = lexical_path(Path::new(rel)).filter(|p| !p.as_os_str().is_empty()) else {
        return Some("is not a path inside the book");
    };
    let path = root.join(lexical);
    if !path.is_file() {
        return Some("does not exist");
    }
    let canon_root = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    if !stays_inside(&path, &canon_root) {
        return Some("leads (through a link) outside the book");
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(from: &str, to: &str) -> Redirect {
        Redirect {
            from: from.into(),
            to: to.into(),
            key_span: 0..0,
            value_span: 0..0,
        }
    }

    #[test]
    fn redirects_are_checked() {
        let taken: HashSet<String> = ["a.html".to_owned()].into();
        assert!(redirect_problem(&r("old.html", "a.html"), &taken).is_none());
        assert!(redirect_problem(&r("x/old.html", "https://example.org/"), &taken).is_none());
        let code = |from: &str, to: &str| redirect_problem(&r(from, to), &taken).map(|d| d.code);
        assert_eq!(code("a.html", "b.html"), Some(Code::BadRedirect));
        assert_eq!(
            code("assets/govbook.css", "b.html"),
            Some(Code::BadRedirect)
        );
        assert_eq!(code("../out.html", "b.html"), Some(Code::BadRedirect));
        assert_eq!(
            code("old.html", "JavaScript:alert(1)"),
            Some(Code::BadRedirect)
        );
        assert_eq!(
            code("old.html", " java\tscript:alert(1)"),
            Some(Code::BadRedirect)
        );
        assert_eq!(
            code("old.html", "data:text/html,x"),
            Some(Code::BadRedirect)
        );
        assert_eq!(code("old.html", ""), Some(Code::BadRedirect));
        assert_eq!(code("old.html#frag", "a.html#x"), Some(Code::MdbookOnlyKey));
    }
}
