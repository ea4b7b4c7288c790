//! Checks on the rendered artifacts, run after rendering. The release ledger makes a version mean one text: once `[book] version`
//! is released, its artifacts may not change without a version bump. And
//! the AGENTS.md managed text must fit Codex's project-doc budget.

use super::manifest::ledger_key;
use super::{AGENTS_MAX_BYTES, ArtifactSet};
use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::model::Model;

/// The project-doc budget every approved session gets: the smallest
/// `project_doc_max_bytes` of the base config and each profile layered on
/// it (Codex's default where none is set). Reports a budget of 0, which
/// turns AGENTS.md off.
fn agents_budget(model: &Model, diags: &mut Diagnostics) -> usize {
    let Some(f) = model.governance.as_ref().and_then(|g| g.profiles.as_ref()) else {
        return AGENTS_MAX_BYTES;
    };
    let key = "project_doc_max_bytes";
    let base = f
        .value
        .base
        .as_ref()
        .map(|b| (b.get_ref().config.get_ref(), b.span()));
    let profiles = f
        .value
        .profile
        .iter()
        .map(|p| (p.get_ref().config.get_ref(), p.span()));
    let mut budget = None::<usize>;
    for (config, span) in base.clone().into_iter().chain(profiles) {
        let Some(value) = config.get(key).and_then(toml::Value::as_integer) else {
            continue;
        };
        let at = f
            .spans
            .path_of(&span)
            .and_then(|p| f.spans.value(&format!("{p}.config.{key}")))
            .unwrap_or(span);
        if value <= 0 {
            diags.push(
                Diagnostic::new(
                    Code::AgentsTooLarge,
                    format!(
                        "{key} = {value} turns AGENTS.md off: Codex reads no project instructions"
                    ),
                )
                .at_span(f.file, at)
                .with_hint(
                    "remove it (Codex's default is 32768) or give the bytes AGENTS.md needs",
                ),
            );
            continue;
        }
        let value = usize::try_from(value).unwrap_or(usize::MAX);
        budget = Some(budget.map_or(value, |b| b.min(value)));
    }
    // A profile without the key inherits the base, or Codex's default.
    let inherited = base.is_none_or(|(c, _)| c.get(key).is_none());
    match budget {
        Some(b) if inherited => b.min(AGENTS_MAX_BYTES),
        Some(b) => b,
        None => AGENTS_MAX_BYTES,
    }
}

/// Checks the rendered artifacts against the ledger and Codex's limits.
pub fn check(model: &Model, sets: &[ArtifactSet], diags: &mut Diagnostics) {
    let budget = agents_budget(model, diags);
    for set in sets {
        for a in &set.artifacts {
            if a.id == "agents-md" && a.body.len() > budget {
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
                        "the AGENTS.md managed text{who} is {} bytes; Codex reads at most {budget} (project_doc_max_bytes)",
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
    // One edit to a source changes every artifact (and team variant) that
    // shows it: one diagnostic lists them all, at the version to bump.
    let mut changed = Vec::new();
    let mut added = Vec::new();
    for set in sets {
        for a in &set.artifacts {
            let key = ledger_key(&a.id, set.team.as_deref());
            match ledger.get(&key) {
                Some(h) if *h == a.hash() => {}
                Some(_) => changed.push(key),
                None => added.push(key),
            }
        }
    }
    if changed.is_empty() && added.is_empty() {
        return;
    }
    let v = version.get_ref();
    let mut what = Vec::new();
    if !changed.is_empty() {
        what.push(format!("changed: {}", changed.join(", ")));
    }
    if !added.is_empty() {
        what.push(format!("added: {}", added.join(", ")));
    }
    let ledger_path = model
        .config
        .src_dir(std::path::Path::new(""))
        .join("governance/releases.toml");
    let d = Diagnostic::new(
        Code::ArtifactChanged,
        format!(
            "[book] version {v} is released, and the artifacts differ from what {} records for it ({})",
            ledger_path.display(),
            what.join("; ")
        ),
    )
    .with_hint("bump [book] version, then run `govbook release`: a released version means one text");
    diags.push(match model.config.file {
        Some(f) => d.at_span(f, version.span()),
        None => d.at_span(releases.file, release.get_ref().version.span()),
    });
}
