//! Published files: a static file a browser opens as a document (HTML, SVG,
//! XML) runs with the handbook's origin, so one that runs script or loads a
//! document is refused (GB512).

use std::path::Path;

use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::markdown::active;
use crate::model::Model;
use crate::text::Sources;

/// Scans every published file a browser would open as a document. The
/// findings point into the file's text, which is added to `sources` for
/// that.
pub fn check(model: &Model, sources: &mut Sources, diags: &mut Diagnostics) {
    let src = model.config.src_dir(Path::new(""));
    for asset in &model.assets {
        let rel = src.join(&asset.path);
        let unreadable = |e: crate::source::ReadError| {
            Diagnostic::new(
                Code::ReadFailed,
                format!("cannot read {}: {e}", rel.display()),
            )
            .at_path(&rel)
        };
        // An image or a stylesheet is told by its extension alone, unread;
        // the start tells an unknown type; a document is then read whole,
        // one at a time.
        if INERT.contains(&extension(&asset.path).as_str()) {
            continue;
        }
        let head = match asset.head(512) {
            Ok(h) => h,
            Err(e) => {
                diags.push(unreadable(e));
                continue;
            }
        };
        if !is_document(&asset.path, &head) {
            continue;
        }
        let bytes = match asset.read() {
            Ok(b) => b,
            Err(e) => {
                diags.push(unreadable(e));
                continue;
            }
        };
        let bytes = &bytes;
        match unscannable(bytes) {
            Some(why) => diags.push(
                Diagnostic::new(
                    Code::ActiveContent,
                    format!("{} is published as a document, but {why}", rel.display()),
                )
                .at_path(&rel)
                .with_hint("publish it as UTF-8 without a DTD or processing instructions, or link to it elsewhere"),
            ),
            None => scan_markup(sources, &rel, bytes, is_xml(&asset.path, &head), diags),
        }
    }
}

/// Extensions a browser opens as an HTML or XML document (which may run
/// script with the handbook's origin), by the types servers and `file://`
/// give them.
const MARKUP: &[&str] = &[
    "html", "htm", "shtml", "shtm", "xhtml", "xht", "xhtm", "xml", "svg", "xsl", "xslt", "mht",
    "mhtml", "rss", "atom", "rdf", "xbl", "xul",
];

/// Extensions served with a type a browser never runs as a document.
const INERT: &[&str] = &[
    "png", "jpg", "jpeg", "gif", "webp", "avif", "ico", "bmp", "tif", "tiff", "pdf", "css", "js",
    "mjs", "json", "txt", "md", "csv", "toml", "yaml", "yml", "woff", "woff2", "ttf", "otf", "eot",
    "mp4", "webm", "mp3", "ogg", "wav", "zip", "gz", "tgz", "tar", "wasm", "map",
];

/// Whether a browser would open the file as a document: by its extension,
/// and for an extension it does not know, by sniffing the first bytes as
/// browsers do (markup starts with `<`).
fn is_document(path: &Path, bytes: &[u8]) -> bool {
    let ext = extension(path);
    if MARKUP.contains(&ext.as_str()) {
        return true;
    }
    if INERT.contains(&ext.as_str()) {
        return false;
    }
    let head = &bytes[..bytes.len().min(512)];
    start(head).starts_with(b"<") || has_utf16_bom(head)
}

/// A file's extension, lowercased (empty without one).
fn extension(path: &Path) -> String {
    path.extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default()
}

/// The first bytes past a UTF-8 byte order mark and white space.
fn start(head: &[u8]) -> &[u8] {
    head.strip_prefix(b"\xEF\xBB\xBF")
        .unwrap_or(head)
        .trim_ascii_start()
}

/// Extensions a browser parses as XML (an XML parser builds the document,
/// not the HTML one).
const XML: &[&str] = &[
    "xml", "svg", "xhtml", "xht", "xhtm", "xsl", "xslt", "rss", "atom", "rdf", "xbl", "xul",
];

/// Whether a browser parses the document as XML: by its extension, and for
/// a type it does not know, by an XML declaration at the start.
fn is_xml(path: &Path, head: &[u8]) -> bool {
    let ext = extension(path);
    if XML.contains(&ext.as_str()) {
        return true;
    }
    !MARKUP.contains(&ext.as_str()) && start(head).starts_with(b"<?xml")
}

fn has_utf16_bom(bytes: &[u8]) -> bool {
    bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF")
}

/// Why a document cannot be judged by reading it as UTF-8 markup, if it
/// cannot: another encoding (a browser decodes UTF-16 by its byte order
/// mark, and the scan would read something else), a DTD (an XML parser
/// expands its entities into markup that is not in the text), or a
/// processing instruction (`xml-stylesheet` applies a transform that can
/// write script).
fn unscannable(bytes: &[u8]) -> Option<&'static str> {
    if has_utf16_bom(bytes) || std::str::from_utf8(bytes).is_err() {
        return Some("it is not UTF-8, so what a browser reads is not what govbook checks");
    }
    let lower = String::from_utf8_lossy(bytes).to_ascii_lowercase();
    if lower.contains("<!entity") || doctype_has_subset(&lower) {
        return Some("it declares a DTD, whose entities an XML parser expands into markup");
    }
    let body = lower.trim_start_matches('\u{feff}').trim_start();
    let body = match body.strip_prefix("<?xml ") {
        Some(rest) => rest.split_once("?>").map_or("", |(_, after)| after),
        None => body,
    };
    if body.contains("<?") {
        return Some(
            "it holds a processing instruction (`xml-stylesheet` runs a transform that can write script)",
        );
    }
    None
}

/// Whether a `<!DOCTYPE` has an internal subset (`[ … ]`) before its end.
fn doctype_has_subset(lower: &str) -> bool {
    lower.match_indices("<!doctype").any(|(at, _)| {
        let rest = &lower[at..];
        let end = rest.find('>').unwrap_or(rest.len());
        rest[..end].contains('[')
    })
}

/// Refuses a published HTML, SVG or XML file that runs script or loads a
/// document (GB512): teams' files must not run in the handbook's origin.
fn scan_markup(
    sources: &mut Sources,
    rel: &Path,
    bytes: &[u8],
    xml: bool,
    diags: &mut Diagnostics,
) {
    let text = String::from_utf8_lossy(bytes);
    let findings = if xml {
        active::scan_xml(&text)
    } else {
        active::scan(&text)
    };
    let findings: Vec<_> = findings
        .into_iter()
        .filter(|f| !f.open && !f.overlay && !f.inert_style)
        .collect();
    if findings.is_empty() {
        return;
    }
    let id = sources.add(rel, String::from_utf8_lossy(bytes).into_owned());
    for f in findings {
        let start = sources.get(id).line_start(f.line);
        let end = sources.get(id).line_start(f.line + 1);
        let line = &sources.get(id).text[start..end];
        let line_end = start + line.trim_end().len();
        let start = (start + line.len() - line.trim_start().len()).min(line_end);
        diags.push(
            Diagnostic::new(
                Code::ActiveContent,
                format!("{} is published with {}", rel.display(), f.what),
            )
            .at_span(id, start..line_end)
            .with_hint("a file of the site runs with the handbook's origin: remove the script, or link to the file elsewhere"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documents_are_known_by_extension_and_by_their_first_bytes() {
        let p = |s: &str| Path::new(s).to_path_buf();
        assert!(is_document(&p("a.SHTML"), b""));
        assert!(is_document(&p("a.xhtm"), b""));
        assert!(is_document(&p("a.unknown"), b"  <svg onload=x>"));
        assert!(is_document(&p("noext"), b"\xEF\xBB\xBF<html>"));
        assert!(is_document(&p("a.bin"), b"\xFF\xFE<\0h\0"));
        assert!(!is_document(&p("a.png"), b"<html>"));
        assert!(!is_document(&p("a.bin"), b"\x89PNG"));
    }

    #[test]
    fn what_a_browser_reads_differently_is_unscannable() {
        assert!(unscannable(b"\xFF\xFE<\0s\0").is_some());
        assert!(unscannable(b"<p>caf\xE9</p>").is_some());
        let dtd = b"<?xml version=\"1.0\"?><!DOCTYPE svg [<!ENTITY x \"&#60;script&#62;\">]><svg>&x;</svg>";
        assert!(unscannable(dtd).unwrap().contains("DTD"));
        let pi =
            b"<?xml version=\"1.0\"?>\n<?xml-stylesheet type=\"text/xsl\" href=\"x.xsl\"?><r/>";
        assert!(unscannable(pi).unwrap().contains("processing instruction"));
        assert_eq!(
            unscannable(b"<?xml version=\"1.0\"?><svg><title>t</title></svg>"),
            None
        );
        assert_eq!(unscannable(b"<!DOCTYPE html><p>ok</p>"), None);
    }
}
