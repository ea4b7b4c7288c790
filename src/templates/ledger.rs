//! Checks on the rendered artifacts, run after rendering. The release ledger makes a version mean one text: once `[book] version`
//! is released, its artifacts may not change without a version bump. And
//! the AGENTS.md managed text must fit Codex's project-doc budget.

use super::manifest::ledger_key;
use super::{AGENTS_MAX_BYTES, ArtifactSet};
use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::model::Model;

/// Checks the rendered artifacts against the ledger and Codex's limits.
pub fn check(model: &Model, sets: &[ArtifactSet], diags: &mut Diagnostics) {
    for set in sets {
        for a in &set.artifacts {
            if a.id == "agents-md" && a.body.len() > AGENTS_MAX_BYTES {
                let file = model
                    .templates
                    .iter()
                    .find(|(n, _)| n == "agents-md.tera")
                    .map(|(_, f)| *f);
                let who = set
                    .team
                    .as_deref()
                    .map_or(String::new(), |t| format!(" (team {t})"));
                let d = Diagnostic::new(
                    Code::AgentsTooLarge,
                    format!(
                        "the AGENTS.md managed text{who} is {} bytes; Codex reads at most {AGENTS_MAX_BYTES} (project_doc_max_bytes)",
                        a.body.len()
                    ),
                )
                .with_hint("shorten agents-md.tera: Codex silently cuts project instructions past the budget");
                diags.push(match file {
                    Some(f) => d.at_span(f, 0..0),
                    None => d,
                });
            }
        }
    }
    let (Some(g), Some(version)) = (&model.governance, &model.config.book.version) else {
        return;
    };
    let Some(releases) = &g.releases else { return };
    let Some(release) = releases
        .value
        .release
        .iter()
        .find(|r| r.get_ref().version.get_ref() == version.get_ref())
    else {
        return;
    };
    let ledger = &release.get_ref().artifacts;
    for set in sets {
        for a in &set.artifacts {
            let key = ledger_key(&a.id, set.team.as_deref());
            let recorded = ledger.get(&key);
            if recorded.is_some_and(|h| *h == a.hash()) {
                continue;
            }
            let what = if recorded.is_some() {
                "changed"
            } else {
                "was added"
            };
            diags.push(
                Diagnostic::new(
                    Code::ArtifactChanged,
                    format!("artifact `{key}` {what} after release {} was recorded", version.get_ref()),
                )
                .at_span(releases.file, release.get_ref().version.span())
                .with_hint("bump [book] version in book.toml, then run `govbook release`: a released version means one text"),
            );
        }
    }
}
