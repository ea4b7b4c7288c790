//! Ids: each kind of id is unique, and every reference names an id that
//! exists (a checklist item naming a command, a team naming a phase, a panel
//! naming a metric, …).

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;

use toml::Spanned;

use crate::diag::{Code, Diagnostic, Diagnostics, did_you_mean};
use crate::model::{GovFile, Governance, MetricKind};
use crate::text::FileId;
use crate::values::Id;

/// The ids declared in the governance sources, by kind.
#[derive(Debug, Default)]
pub(super) struct Ids {
    pub teams: BTreeSet<String>,
    pub phases: BTreeSet<String>,
    pub criteria: BTreeSet<String>,
    pub commands: BTreeSet<String>,
    pub metrics: BTreeMap<String, MetricKind>,
    pub profiles: BTreeSet<String>,
}

/// Collects ids (reporting duplicates) from every governance file.
pub(super) fn check(g: &Governance, diags: &mut Diagnostics) -> Ids {
    let mut ids = Ids::default();
    if let Some(f) = &g.owners {
        ids.teams = unique(
            f,
            f.value.team.iter().map(|t| (&t.get_ref().id, t.span())),
            "team",
            diags,
        );
    }
    if let Some(f) = &g.rollout {
        let phases = &f.value.phase;
        ids.phases = unique(
            f,
            phases.iter().map(|p| (&p.get_ref().id, p.span())),
            "phase",
            diags,
        );
        let criteria = phases.iter().flat_map(|p| p.get_ref().exit_criteria.iter());
        ids.criteria = unique(
            f,
            criteria.map(|c| (&c.get_ref().id, c.span())),
            "exit criterion",
            diags,
        );
    }
    if let Some(f) = &g.commands {
        let items = f.value.command.iter().map(|c| (&c.get_ref().id, c.span()));
        ids.commands = unique(f, items, "command", diags);
    }
    if let Some(f) = &g.checklists {
        let lists = &f.value.checklist;
        unique(
            f,
            lists.iter().map(|c| (&c.get_ref().id, c.span())),
            "checklist",
            diags,
        );
        let items = lists.iter().flat_map(|c| c.get_ref().item.iter());
        unique(
            f,
            items.map(|i| (&i.get_ref().id, i.span())),
            "checklist item",
            diags,
        );
    }
    if let Some(f) = &g.upgrades {
        unique(
            f,
            f.value.check.iter().map(|c| (&c.get_ref().id, c.span())),
            "upgrade check",
            diags,
        );
    }
    if let Some(f) = &g.plugins {
        unique(
            f,
            f.value.plugin.iter().map(|p| (&p.get_ref().id, p.span())),
            "plugin",
            diags,
        );
    }
    if let Some(f) = &g.policy {
        unique(
            f,
            f.value.rule.iter().map(|r| (&r.get_ref().id, r.span())),
            "rule",
            diags,
        );
    }
    if let Some(f) = &g.metrics {
        let metrics = &f.value.metric;
        unique(
            f,
            metrics.iter().map(|m| (&m.get_ref().id, m.span())),
            "metric",
            diags,
        );
        ids.metrics = metrics
            .iter()
            .map(|m| (m.get_ref().id.to_string(), m.get_ref().kind))
            .collect();
        unique(
            f,
            f.value.panel.iter().map(|p| (&p.get_ref().id, p.span())),
            "panel",
            diags,
        );
    }
    if let Some(f) = &g.profiles {
        ids.profiles = f
            .value
            .profile
            .iter()
            .map(|p| p.get_ref().name.get_ref().clone())
            .collect();
    }
    ids
}

fn unique<'a, T>(
    f: &GovFile<T>,
    items: impl Iterator<Item = (&'a Id, Range<usize>)>,
    kind: &str,
    diags: &mut Diagnostics,
) -> BTreeSet<String> {
    let mut seen = BTreeSet::new();
    for (id, item_span) in items {
        if !seen.insert(id.to_string()) {
            diags.push(
                Diagnostic::new(Code::DuplicateId, format!("{kind} id `{id}` is used twice"))
                    .at_span(f.file, f.spans.field(&item_span, "id"))
                    .with_hint("ids must be unique: rename one of them"),
            );
        }
    }
    seen
}

/// Reports a reference to an id that is not in `known`.
pub(super) fn reference<'a>(
    name: &str,
    span: Range<usize>,
    file: FileId,
    kind: &str,
    known: impl IntoIterator<Item = &'a String> + Clone,
    diags: &mut Diagnostics,
) {
    if known.clone().into_iter().any(|k| k == name) {
        return;
    }
    let hint = did_you_mean(name, known.into_iter().map(String::as_str));
    diags.push(
        Diagnostic::new(Code::UnknownReference, format!("unknown {kind} `{name}`"))
            .at_span(file, span)
            .with_hint_opt(hint),
    );
}

fn refer(
    id: &Spanned<Id>,
    file: FileId,
    kind: &str,
    known: &BTreeSet<String>,
    diags: &mut Diagnostics,
) {
    reference(id.get_ref().as_str(), id.span(), file, kind, known, diags);
}

/// Checks every cross-file reference.
pub(super) fn check_references(g: &Governance, ids: &Ids, diags: &mut Diagnostics) {
    if let Some(f) = &g.rollout {
        for t in &f.value.team {
            let t = t.get_ref();
            refer(&t.team, f.file, "team", &ids.teams, diags);
            refer(&t.phase, f.file, "phase", &ids.phases, diags);
            for c in &t.met {
                refer(c, f.file, "exit criterion", &ids.criteria, diags);
            }
        }
    }
    if let Some(f) = &g.checklists {
        for list in &f.value.checklist {
            for item in &list.get_ref().item {
                for c in &item.get_ref().commands {
                    refer(c, f.file, "command", &ids.commands, diags);
                }
            }
        }
    }
    if let Some(f) = &g.upgrades {
        for check in &f.value.check {
            for c in &check.get_ref().commands {
                refer(c, f.file, "command", &ids.commands, diags);
            }
        }
    }
    if let Some(f) = &g.commands {
        for c in &f.value.command {
            refer(&c.get_ref().owner, f.file, "team", &ids.teams, diags);
        }
    }
    if let Some(f) = &g.plugins {
        for p in &f.value.plugin {
            refer(&p.get_ref().owner, f.file, "team", &ids.teams, diags);
        }
    }
    if let Some(f) = &g.profiles {
        for p in &f.value.profile {
            if let Some(phase) = &p.get_ref().phase {
                refer(phase, f.file, "phase", &ids.phases, diags);
            }
        }
    }
    if let Some(f) = &g.owners {
        for t in &f.value.team {
            let Some(o) = &t.get_ref().overrides else {
                continue;
            };
            for p in &o.get_ref().profiles {
                reference(
                    p.get_ref(),
                    p.span(),
                    f.file,
                    "profile",
                    &ids.profiles,
                    diags,
                );
            }
            for c in &o.get_ref().commands {
                refer(c, f.file, "command", &ids.commands, diags);
            }
        }
    }
    if let Some(f) = &g.metrics {
        let names: BTreeSet<String> = ids.metrics.keys().cloned().collect();
        for panel in &f.value.panel {
            let p = panel.get_ref();
            let slots = std::iter::once((&p.adoption, MetricKind::Adoption))
                .chain(p.quality.iter().map(|q| (q, MetricKind::Quality)));
            for (m, want) in slots {
                refer(m, f.file, "metric", &names, diags);
                match ids.metrics.get(m.get_ref().as_str()) {
                    Some(&kind) if kind != want => {
                        let (slot, is) = match want {
                            MetricKind::Adoption => ("adoption", "a quality"),
                            MetricKind::Quality => ("quality", "an adoption"),
                        };
                        diags.push(
                            Diagnostic::new(
                                Code::InvalidValue,
                                format!("`{}` is {is} metric, but stands in the {slot} slot of panel `{}`", m.get_ref(), p.id),
                            )
                            .at_span(f.file, m.span()),
                        );
                    }
                    _ => {}
                }
            }
        }
    }
}
