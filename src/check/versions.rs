//! "Pin and verify the baseline before changing shared runbooks": the
//! content cites no Codex CLI version other than the pinned baseline. The
//! changelog review log in upgrades.toml is the one place that names other
//! versions, by design.

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::model::Model;
use crate::text::{FileId, Sources};

/// `Codex CLI 0.139.0`, `codex-cli@0.139.0`, `@openai/codex@0.139.0`,
/// `codex 0.139.0`, `codex-cli-exec 0.139.0`, across a line break too.
static CITATION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:@openai/codex@|\bcodex(?:[- ]cli)?(?:-exec)?(?:\s+|@|/)v?)(\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?)")
        .expect("static regex")
});

/// Checks pages and governance files for other cited versions.
pub(super) fn check(model: &Model, sources: &Sources, diags: &mut Diagnostics) {
    let Some(baseline) = &model.config.baseline.codex_cli else {
        return;
    };
    let baseline = baseline.get_ref().to_string();
    for page in &model.pages {
        scan(page.file, sources, &baseline, &[], diags);
    }
    // Included text is published as part of the page that includes it;
    // artifact templates as part of every repository's files.
    let pages: Vec<_> = model.pages.iter().map(|p| p.file).collect();
    for &file in model.included.iter().filter(|f| !pages.contains(f)) {
        scan(file, sources, &baseline, &[], diags);
    }
    for (_, file) in &model.templates {
        scan(*file, sources, &baseline, &[], diags);
    }
    let Some(g) = &model.governance else { return };
    let files = [
        g.policy.as_ref().map(|f| f.file),
        g.profiles.as_ref().map(|f| f.file),
        g.commands.as_ref().map(|f| f.file),
        g.checklists.as_ref().map(|f| f.file),
        g.rollout.as_ref().map(|f| f.file),
        g.plugins.as_ref().map(|f| f.file),
        g.metrics.as_ref().map(|f| f.file),
        g.owners.as_ref().map(|f| f.file),
    ];
    for file in files.into_iter().flatten() {
        scan(file, sources, &baseline, &[], diags);
    }
    if let Some(u) = &g.upgrades {
        let end = sources.get(u.file).text.len();
        let exempt: Vec<Range<usize>> = u
            .value
            .review
            .iter()
            .map(|r| u.spans.item_extent(&r.span(), end))
            .collect();
        scan(u.file, sources, &baseline, &exempt, diags);
    }
}

/// Checks one page's text (`serve`, after an edit of that page alone).
pub(super) fn check_page(model: &Model, sources: &Sources, file: FileId, diags: &mut Diagnostics) {
    if let Some(baseline) = &model.config.baseline.codex_cli {
        scan(file, sources, &baseline.get_ref().to_string(), &[], diags);
    }
}

fn scan(
    file: FileId,
    sources: &Sources,
    baseline: &str,
    exempt: &[Range<usize>],
    diags: &mut Diagnostics,
) {
    let text = &sources.get(file).text;
    for cap in CITATION.captures_iter(text) {
        let Some(v) = cap.get(1) else { continue };
        if v.as_str() == baseline || exempt.iter().any(|r| r.contains(&v.start())) {
            continue;
        }
        diags.push(
            Diagnostic::new(
                Code::CitedVersion,
                format!("cites Codex CLI {}, but the pinned baseline is {baseline}", v.as_str()),
            )
            .at_span(file, v.range())
            .with_hint("pin and verify the baseline before changing shared runbooks: cite the baseline, or change [baseline] codex-cli after a changelog review"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::CITATION;

    #[test]
    fn finds_citations_in_their_usual_forms() {
        let text = "Codex CLI 0.145.0; codex-cli@0.139.0 and @openai/codex@0.150.0, codex-cli-exec 0.139.0,\n\
                    Codex CLI\n0.160.0, codex v0.1.2. Not: version 9.9.9, codexy 1.2.3, rustc 1.95.0";
        let found: Vec<_> = CITATION
            .captures_iter(text)
            .map(|c| c[1].to_owned())
            .collect();
        assert_eq!(
            found,
            [
                "0.145.0", "0.139.0", "0.150.0", "0.139.0", "0.160.0", "0.1.2"
            ]
        );
    }
}
