//! Published files: a static file a browser opens as a document (HTML, SVG,
//! XML) runs with the handbook's origin, so one that runs script or loads a
//! document is refused (GB512).

use std::path::Path;

use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::markdown::active;
use crate::model::Model;
use crate::text::Sources;

/// Scans every published file of a markup type. The findings point into the
/// file's text, which is added to `sources` for that.
pub fn check(model: &Model, sources: &mut Sources, diags: &mut Diagnostics) {
    let src = model.config.src_dir(Path::new(""));
    for (in_src, bytes) in &model.assets {
        let is_markup = in_src
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| MARKUP.contains(&e.to_ascii_lowercase().as_str()));
        if is_markup {
            scan_markup(sources, &src.join(in_src), bytes, diags);
        }
    }
}

/// Published files a browser reads as a document that can run script when
/// opened from the site (same origin as the handbook).
const MARKUP: &[&str] = &["html", "htm", "xhtml", "xht", "xml", "svg", "xsl", "xslt"];

/// Refuses a published HTML, SVG or XML file that runs script or loads a
/// document (GB512): teams' files must not run in the handbook's origin.
fn scan_markup(sources: &mut Sources, rel: &Path, bytes: &[u8], diags: &mut Diagnostics) {
    let findings: Vec<_> = active::scan(&String::from_utf8_lossy(bytes))
        .into_iter()
        .filter(|f| !f.open)
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
