//! Internal links: every link from a page to another page, generated page,
//! heading or static file resolves. External links (with a scheme) are not
//! fetched: govbook never touches the network.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::markdown::{self, Outline};
use rayon::prelude::*;

use crate::model::{Model, Page};
use crate::text::{Sources, percent_decode};

/// The headings and links of every page, in page order, with link spans
/// pointing into the page's own file.
pub(super) fn outlines(model: &Model, sources: &Sources) -> Vec<Outline> {
    model
        .pages
        .par_iter()
        .map(|p| outline(p, sources, &model.config.flavor))
        .collect()
}

/// The headings and links of one page.
pub(super) fn outline(p: &Page, sources: &Sources, flavor: &markdown::Flavor) -> Outline {
    let mut o = markdown::outline_with(p.markdown(sources), 0, flavor);
    for l in &mut o.links {
        l.span = p.origin(l.span.start)..p.origin(l.span.end).max(p.origin(l.span.start));
    }
    o
}

/// Checks the links of the pages at `which` (indexes into the model's
/// pages), against the headings in `outlines`.
pub(super) fn check(
    model: &Model,
    outlines: &[Outline],
    which: impl IntoIterator<Item = usize>,
    diags: &mut Diagnostics,
) {
    let by_md: HashMap<PathBuf, usize> = model
        .pages
        .iter()
        .enumerate()
        .map(|(i, p)| (p.path.clone(), i))
        .collect();
    let by_html: HashMap<String, usize> = model
        .pages
        .iter()
        .enumerate()
        .map(|(i, p)| (markdown::page_url(&p.path.to_string_lossy()), i))
        .collect();
    let assets: HashSet<&Path> = model.assets.iter().map(|a| a.path.as_path()).collect();
    let generated: HashSet<&str> = crate::model::CONCERNS.iter().map(|c| c.url).collect();
    let elsewhere = &model.config.site.links_elsewhere;
    // An old path `[output.html.redirect]` writes a page for still works.
    let redirected: HashSet<&str> = model
        .config
        .html
        .redirects
        .iter()
        .map(|r| r.from.trim_start_matches('/'))
        .collect();
    for i in which {
        let Some(page) = model.pages.get(i) else {
            continue;
        };
        let dir = page.path.parent().unwrap_or(Path::new(""));
        for link in &outlines[i].links {
            let dest = link.dest.trim();
            if let Some(scheme) = unsafe_scheme(dest)
                .filter(|_| !(link.image && markdown::active::inert_image_data(dest)))
            {
                diags.push(
                    Diagnostic::new(
                        Code::UnsafeLink,
                        format!("a `{scheme}:` URL runs or embeds content in the reader's browser"),
                    )
                    .at_span(page.file, link.span.clone())
                    .with_hint(
                        "link to a page or an https: URL; put images in the content directory",
                    ),
                );
                continue;
            }
            if dest.is_empty() || markdown::is_external(dest) {
                continue;
            }
            let (path, frag) = match dest.find('#') {
                Some(at) => (&dest[..at], Some(&dest[at + 1..])),
                None => (dest, None),
            };
            let path = path.split('?').next().unwrap_or(path);
            let frag = frag.map(|f| percent_decode(f).text);
            let frag = frag.as_deref();
            let target = if path.is_empty() {
                Some(i)
            } else {
                let Some(resolved) = resolve(dir, path) else {
                    // `../std/mem/index.html`: a site published beside the
                    // book. A warning (an error with --strict), unless
                    // book.toml says such pages exist.
                    if !elsewhere.iter().any(|p| dest.starts_with(p.as_str())) {
                        diags.push(
                            Diagnostic::new(
                                Code::LinkLeavesBook,
                                format!("`{dest}` leaves the book, so it is not checked"),
                            )
                            .at_span(page.file, link.span.clone())
                            .with_hint(elsewhere_hint(dest)),
                        );
                    }
                    continue;
                };
                let mut as_str = resolved.to_string_lossy().replace('\\', "/");
                // `dir/` is the page `dir/index.html` (from README.md or index.md).
                if path.ends_with('/') {
                    as_str = if as_str.is_empty() {
                        "index.html".into()
                    } else {
                        format!("{as_str}/index.html")
                    };
                }
                // `sub/index.md` is the page mdBook writes as `sub/index.html`,
                // from `sub/README.md` too (asked only when the path is no page).
                let html = || {
                    if as_str.ends_with(".md") {
                        markdown::page_url(&as_str)
                    } else {
                        as_str.clone()
                    }
                };
                if let Some(&t) = by_md.get(&resolved) {
                    Some(t)
                } else if let Some(&t) = by_html.get(&as_str).or_else(|| by_html.get(&html())) {
                    Some(t)
                } else if generated.contains(as_str.as_str())
                    || assets.contains(resolved.as_path())
                    || redirected.contains(html().as_str())
                {
                    None
                } else {
                    let hint = crate::diag::did_you_mean(
                        &as_str,
                        model.pages.iter().map(|p| p.path.to_str().unwrap_or("")),
                    );
                    let mut d =
                        Diagnostic::new(Code::BrokenLink, format!("`{dest}` does not exist"))
                            .at_span(page.file, link.span.clone())
                            .with_hint_opt(hint);
                    if !is_page_path(&as_str) {
                        d.severity = crate::diag::dangling(model.governance.is_some());
                    }
                    diags.push(d);
                    continue;
                }
            };
            if let (Some(t), Some(frag)) = (target, frag) {
                if frag.is_empty()
                    || outlines[t].has_anchor(frag, model.config.raw_html())
                    || outlines[t].term_ids.iter().any(|id| id == frag)
                {
                    continue;
                }
                let hint = crate::diag::did_you_mean(
                    frag,
                    outlines[t].headings.iter().map(|h| h.id.as_str()),
                );
                let mut d = Diagnostic::new(
                    Code::BrokenAnchor,
                    format!(
                        "`#{frag}` is not a heading of {}",
                        model.pages[t].path.display()
                    ),
                )
                .at_span(page.file, link.span.clone())
                .with_hint_opt(hint);
                d.severity = crate::diag::dangling(model.governance.is_some());
                diags.push(d);
            }
        }
    }
}

/// Whether a link target names a page (Markdown or HTML, or a directory's
/// `index.html`) rather than something else: a PDF or an archive another
/// step writes, or a name a preprocessor resolves (`items.static`,
/// `std::mem`, `mod@test`).
fn is_page_path(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    name.rsplit_once('.')
        .is_some_and(|(_, ext)| ["md", "html", "htm"].contains(&ext.to_ascii_lowercase().as_str()))
}

/// How to stop the warning for a link out of the book: name its prefix
/// (the leading `../` steps and the first directory) in book.toml.
fn elsewhere_hint(dest: &str) -> String {
    let mut rest = dest.trim_start_matches("./");
    let mut ups = 0;
    while let Some(r) = rest.strip_prefix("../") {
        ups += 1;
        rest = r;
    }
    let rest = rest.trim_start_matches('/');
    let first = rest.split('/').next().unwrap_or("");
    let prefix = if dest.starts_with('/') {
        format!("/{first}/")
    } else {
        format!("{}{first}/", "../".repeat(ups))
    };
    format!(
        "if pages under `{prefix}` are published beside the book, add to book.toml: \
         [output.site] links-elsewhere = [\"{prefix}\"]"
    )
}

/// The scheme of a URL that executes or embeds content when followed,
/// compared the way browsers do: case-insensitively, ignoring ASCII
/// whitespace and control characters they strip.
/// A Markdown link target may also be percent-encoded (`%6Aavascript:`).
fn unsafe_scheme(dest: &str) -> Option<&'static str> {
    markdown::active::unsafe_scheme(&percent_decode(dest).text)
}

/// Resolves `path` against `dir` lexically; `None` if it climbs out.
fn resolve(dir: &Path, path: &str) -> Option<PathBuf> {
    let decoded = percent_decode(path).text;
    if decoded.starts_with('/') {
        return None;
    }
    crate::text::lexical_path(&dir.join(decoded))
}

#[cfg(test)]
mod tests {

    #[test]
    fn unsafe_schemes_are_found_however_written() {
        use super::unsafe_scheme;
        for bad in [
            "javascript:alert(1)",
            "JaVaScRiPt:x",
            " java\tscript:x",
            "%6Aavascript:x",
            "vbscript:x",
            "data:text/html,x",
        ] {
            assert!(unsafe_scheme(bad).is_some(), "{bad:?}");
        }
        for ok in [
            "https://x",
            "guide.md#javascript",
            "mailto:a@b",
            "./data.md",
            "datasheet.md",
        ] {
            assert!(unsafe_scheme(ok).is_none(), "{ok:?}");
        }
    }
}
