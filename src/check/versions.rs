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

/// A version as content writes it: two or three parts, an optional
/// pre-release.
const VERSION: &str = r"v?(\d+\.\d+(?:\.\d+)?(?:-[0-9A-Za-z.-]+)?)";

/// Any way of citing a Codex CLI version near the word "codex": `Codex CLI
/// 0.139.0`, `codex-cli@0.139.0`, `@openai/codex@0.139.0`, `Codex 0.145`,
/// `Codex CLI version 0.145.0`, `codex-cli-exec v0.139.0`, and the other
/// way round, `0.145.0 of the Codex CLI`; across a line break too.
static CITATION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i)(?:@openai/codex@|\bcodex(?:[- ]cli)?(?:-exec)?(?:\s+(?:cli|version|release|build|v))*(?:\s+|@|/)){VERSION}\b|\b{VERSION}\s+(?:of|for|in)\s+(?:the\s+)?(?:openai\s+)?codex\b"
    ))
    .expect("static regex")
});

/// Whether `cited` names the baseline: the same version, or its
/// `major.minor` alone.
fn is_baseline(cited: &str, baseline: &str) -> bool {
    cited == baseline
        || baseline
            .strip_prefix(cited)
            .is_some_and(|rest| rest.starts_with('.'))
}

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
    // book.toml's description and title are published on every page.
    for file in files.into_iter().flatten().chain(model.config.file) {
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
        let Some(v) = cap.get(1).or_else(|| cap.get(2)) else {
            continue;
        };
        if is_baseline(v.as_str(), baseline) || exempt.iter().any(|r| r.contains(&v.start())) {
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
    use super::{CITATION, is_baseline};

    #[test]
    fn finds_citations_in_their_usual_forms() {
        let text = "Codex CLI 0.145.0; codex-cli@0.139.0 and @openai/codex@0.150.0, codex-cli-exec 0.139.0,\n\
                    Codex CLI\n0.160.0, codex v0.1.2. Not: version 9.9.9, codexy 1.2.3, rustc 1.95.0, \
                    Codex Rollout Handbook, version 2026.11.0, gpt-5.1-codex";
        assert_eq!(
            found(text),
            [
                "0.145.0", "0.139.0", "0.150.0", "0.139.0", "0.160.0", "0.1.2"
            ]
        );
    }

    #[test]
    fn finds_the_other_ways_of_writing_a_version() {
        let text = "Codex 0.145 and Codex CLI version 0.145.0, 0.146.0 of the Codex CLI,\n\
                    codex release 0.147.0, 0.148.1-alpha.2 for Codex, Codex version\nv0.149.0";
        assert_eq!(
            found(text),
            [
                "0.145",
                "0.145.0",
                "0.146.0",
                "0.147.0",
                "0.148.1-alpha.2",
                "0.149.0"
            ]
        );
    }

    #[test]
    fn the_baseline_in_any_precision_is_the_baseline() {
        assert!(is_baseline("0.139.0", "0.139.0"));
        assert!(is_baseline("0.139", "0.139.0"));
        assert!(!is_baseline("0.13", "0.139.0"));
        assert!(!is_baseline("0.145", "0.139.0"));
    }

    fn found(text: &str) -> Vec<String> {
        CITATION
            .captures_iter(text)
            .map(|c| c.get(1).or_else(|| c.get(2)).unwrap().as_str().to_owned())
            .collect()
    }
}
