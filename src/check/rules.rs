//! The handbook's own governance rules: local and cloud policy apart, the
//! baseline pinned and reviewed, plugins promoted only after log review,
//! adoption never shown without quality, and the artifacts' preconditions.

use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::model::{
    ChecklistKind, Decision, Governance, MetricKind, Model, PluginStatus, Scope, Surface, Topic,
};
use crate::values::Date;

/// Book-level settings a governance book needs.
pub(super) fn check_book(model: &Model, diags: &mut Diagnostics) {
    let cfg = &model.config;
    let Some(file) = cfg.file else { return };
    if cfg.partial {
        return;
    }
    let span = cfg.spans.key("book").unwrap_or(0..0);
    if cfg.book.version.is_none() {
        diags.push(
            Diagnostic::new(
                Code::MissingSetting,
                "a governance book needs [book] version",
            )
            .at_span(file, span.clone())
            .with_hint(
                "add `version = \"2026.11.0\"` under [book]; it is stamped into every artifact",
            ),
        );
    }
    if cfg.baseline.codex_cli.is_none() {
        diags.push(
            Diagnostic::new(
                Code::MissingSetting,
                "a governance book needs [baseline] codex-cli",
            )
            .at_span(file, cfg.spans.key("baseline").unwrap_or(span))
            .with_hint(
                "add `[baseline]` with `codex-cli = \"0.139.0\"`, the pinned Codex CLI version",
            ),
        );
    }
}

/// The governance rules. Rules about something being absent are skipped
/// while sources have errors: the item may only have been dropped.
pub(super) fn check(model: &Model, g: &Governance, today: Date, diags: &mut Diagnostics) {
    let dir = model
        .config
        .src_dir(std::path::Path::new(""))
        .join("governance");
    for name in &g.missing {
        diags.push(
            Diagnostic::new(Code::MissingGovernanceFile, format!("governance/{name}.toml is missing"))
                .at_path(&dir.join(format!("{name}.toml")))
                .with_hint("every governance book has all nine concern files; `govbook init` writes a complete set"),
        );
    }
    let complete = !model.incomplete;
    policy_scopes(g, complete, diags);
    plugins(g, today, diags);
    metrics(g, complete, diags);
    baseline_reviewed(model, g, today, complete, diags);
    commands(g, diags);
    if complete {
        checklists(g, diags);
    }
    releases(model, g, diags);
}

fn policy_scopes(g: &Governance, complete: bool, diags: &mut Diagnostics) {
    let Some(f) = &g.policy else { return };
    for rule in &f.value.rule {
        let r = rule.get_ref();
        if r.topic == Topic::Model && r.scope == Scope::All {
            diags.push(
                Diagnostic::new(
                    Code::ScopeMixed,
                    format!("model rule `{}` applies to both local Codex and Codex Cloud", r.id),
                )
                .at_span(f.file, f.spans.field(&rule.span(), "scope"))
                .with_hint("keep local and cloud model policy separate: split it into a `local` and a `cloud` rule"),
            );
        }
    }
    let Some(mp) = &f.value.model_policy else {
        if !complete {
            return;
        }
        diags.push(
            Diagnostic::new(
                Code::MissingField,
                "policy.toml has no [model-policy.local] and [model-policy.cloud]",
            )
            .at_span(f.file, 0..0)
            .with_hint(
                "state the local (CLI, IDE, app) and the Codex Cloud model policy separately",
            ),
        );
        return;
    };
    let mp = mp.get_ref();
    for (policy, cloud) in [(&mp.local, false), (&mp.cloud, true)] {
        for s in &policy.get_ref().surfaces {
            let is_cloud = *s.get_ref() == Surface::Cloud;
            if is_cloud != cloud {
                let (here, there) = if cloud {
                    ("cloud", "local")
                } else {
                    ("local", "cloud")
                };
                diags.push(
                    Diagnostic::new(
                        Code::ScopeMixed,
                        format!("the {here} model policy lists a {there} surface"),
                    )
                    .at_span(f.file, s.span())
                    .with_hint(format!("move it to [model-policy.{there}]")),
                );
            }
        }
    }
    for (name, policy) in [("local", &mp.local), ("cloud", &mp.cloud)] {
        let pol = policy.get_ref();
        if !pol.models.contains(&pol.default_model) {
            diags.push(
                Diagnostic::new(
                    Code::DefaultModelNotListed,
                    format!(
                        "the {name} default model `{}` is not among the {name} models",
                        pol.default_model
                    ),
                )
                .at_span(f.file, f.spans.field(&policy.span(), "default-model"))
                .with_hint_opt(
                    crate::diag::did_you_mean(
                        &pol.default_model,
                        pol.models.iter().map(String::as_str),
                    )
                    .or_else(|| {
                        Some(format!(
                            "add it to `models`, or pick one of: {}",
                            pol.models.join(", ")
                        ))
                    }),
                ),
            );
        }
    }
    let local = mp.local.get_ref();
    for key in ["internet-access", "allowed-domains"] {
        let set = match key {
            "internet-access" => local.internet_access.is_some(),
            _ => !local.allowed_domains.is_empty(),
        };
        if set {
            diags.push(
                Diagnostic::new(
                    Code::ScopeMixed,
                    format!("`{key}` is a Codex Cloud setting, not a local one"),
                )
                .at_span(f.file, f.spans.field_key(&mp.local.span(), key))
                .with_hint("move it to [model-policy.cloud]"),
            );
        }
    }
}

/// A log review that counts: it happened, and names who read which log.
fn plugins(g: &Governance, today: Date, diags: &mut Diagnostics) {
    let Some(f) = &g.plugins else { return };
    for plugin in &f.value.plugin {
        let p = plugin.get_ref();
        let path = f.spans.path_of(&plugin.span()).unwrap_or("").to_owned();
        let at = |j: usize, field: &str| {
            f.spans
                .value(&format!("{path}.log-review[{j}].{field}"))
                .unwrap_or_else(|| p.status.span())
        };
        let mut valid = Vec::new();
        // A review set aside with its own report needs no second one.
        let mut reported = false;
        for (j, l) in p.log_review.iter().enumerate() {
            if l.date > today {
                reported = true;
                diags.push(
                    Diagnostic::new(
                        Code::FutureDate,
                        format!(
                            "a log review of plugin `{}` is dated {}, after today ({today})",
                            p.id, l.date
                        ),
                    )
                    .at_span(f.file, at(j, "date"))
                    .with_hint("record a review once it has happened"),
                );
                continue;
            }
            let standard = *p.status.get_ref() == PluginStatus::Standard;
            let mut complete = true;
            for (field, value) in [("reviewer", &l.reviewer), ("log", &l.log)] {
                if value.trim().is_empty() {
                    complete = false;
                    if standard {
                        reported = true;
                        diags.push(
                            Diagnostic::new(
                                Code::PluginUnreviewed,
                                format!("a log review of standard plugin `{}` has an empty `{field}`", p.id),
                            )
                            .at_span(f.file, at(j, field))
                            .with_hint("a review counts only with who reviewed it and where the log is kept"),
                        );
                    }
                }
            }
            if complete {
                valid.push((j, l));
            }
        }
        if *p.status.get_ref() != PluginStatus::Standard {
            continue;
        }
        // The newest review decides: findings in a later upgrade log undo
        // an earlier clean one.
        let latest = valid.iter().max_by_key(|(j, l)| (l.date, *j));
        match latest {
            Some((_, l)) if l.outcome == crate::model::Outcome::Clean => {}
            Some((j, l)) => diags.push(
                Diagnostic::new(
                    Code::PluginUnreviewed,
                    format!(
                        "plugin `{}` is standard, but its latest log review ({} {}, {}) found issues",
                        p.id,
                        match l.kind {
                            crate::model::LogKind::Install => "install",
                            crate::model::LogKind::Upgrade => "upgrade",
                        },
                        l.version,
                        l.date
                    ),
                )
                .at_span(f.file, at(*j, "outcome"))
                .with_hint("set status = \"experiment\" until a clean review of a fixed version is recorded"),
            ),
            None if reported => {}
            None => diags.push(
                Diagnostic::new(
                    Code::PluginUnreviewed,
                    format!("plugin `{}` is standard without a clean install or upgrade log review", p.id),
                )
                .at_span(f.file, p.status.span())
                .with_hint("review the marketplace install/upgrade log and record it as a [[plugin.log-review]] with outcome = \"clean\", or keep status = \"experiment\""),
            ),
        }
    }
}

fn metrics(g: &Governance, complete: bool, diags: &mut Diagnostics) {
    let Some(f) = &g.metrics else { return };
    let m = &f.value;
    for panel in &m.panel {
        let p = panel.get_ref();
        if p.quality.is_empty() {
            diags.push(
                Diagnostic::new(
                    Code::AdoptionWithoutQuality,
                    format!("panel `{}` shows adoption without any quality metric", p.id),
                )
                .at_span(f.file, f.spans.field(&panel.span(), "adoption"))
                .with_hint(
                    "add `quality = [\"defect-rate\", …]`: track adoption only alongside quality",
                ),
            );
        }
    }
    for metric in m.metric.iter().filter(|_| complete) {
        let mm = metric.get_ref();
        if mm.kind != MetricKind::Adoption {
            continue;
        }
        let paired = m
            .panel
            .iter()
            .any(|p| p.get_ref().adoption.get_ref() == &mm.id && !p.get_ref().quality.is_empty());
        if !paired {
            diags.push(
                Diagnostic::new(
                    Code::AdoptionWithoutQuality,
                    format!(
                        "adoption metric `{}` is in no panel beside a quality metric",
                        mm.id
                    ),
                )
                .at_span(f.file, f.spans.field(&metric.span(), "id"))
                .with_hint("add a [[panel]] that shows it with at least one quality metric"),
            );
        }
    }
}

fn baseline_reviewed(
    model: &Model,
    g: &Governance,
    today: Date,
    complete: bool,
    diags: &mut Diagnostics,
) {
    let (Some(f), Some(baseline)) = (&g.upgrades, &model.config.baseline.codex_cli) else {
        return;
    };
    let u = &f.value;
    for r in u.review.iter().filter(|r| r.get_ref().date > today) {
        diags.push(
            Diagnostic::new(
                Code::FutureDate,
                format!(
                    "the changelog review of {} is dated {}, after today ({today})",
                    r.get_ref().version.get_ref(),
                    r.get_ref().date
                ),
            )
            .at_span(f.file, f.spans.field(&r.span(), "date"))
            .with_hint(
                "record a review once it has happened: a date ahead hides the review cadence",
            ),
        );
    }
    let adopted = u.review.iter().any(|r| {
        r.get_ref().version.get_ref() == baseline.get_ref()
            && r.get_ref().decision == Decision::Adopt
    });
    if !adopted
        && complete
        && let Some(file) = model.config.file
    {
        diags.push(
            Diagnostic::new(
                Code::BaselineNotReviewed,
                format!(
                    "the pinned baseline Codex CLI {} has no changelog review that adopts it",
                    baseline.get_ref()
                ),
            )
            .at_span(file, baseline.span())
            .with_hint(
                "record the review in upgrades.toml as a [[review]] with decision = \"adopt\"",
            ),
        );
    }
    let last = u
        .review
        .iter()
        .map(|r| r.get_ref().date)
        .filter(|d| *d <= today)
        .max();
    let (Some(cadence), Some(last)) = (&u.cadence, last) else {
        return;
    };
    let due = cadence.get_ref().after(last);
    if due < today {
        diags.push(
            Diagnostic::new(
                Code::ChangelogReviewOverdue,
                format!(
                    "the Codex changelog review was due on {due} (last review {last}, every {})",
                    cadence.get_ref()
                ),
            )
            .at_span(f.file, cadence.span())
            .with_hint("review the Codex changelog and add a [[review]] entry"),
        );
    }
}

fn commands(g: &Governance, diags: &mut Diagnostics) {
    let Some(f) = &g.commands else { return };
    for cmd in &f.value.command {
        let c = cmd.get_ref();
        let msg = match (&c.run, &c.manual) {
            (None, None) => format!("command `{}` has neither `run` nor `manual`", c.id),
            (Some(_), Some(_)) => format!("command `{}` has both `run` and `manual`", c.id),
            _ => continue,
        };
        diags.push(
            Diagnostic::new(Code::CommandWithoutAction, msg)
                .at_span(f.file, f.spans.field(&cmd.span(), "id"))
                .with_hint(
                    "give the command line in `run`, or the steps of a manual check in `manual`",
                ),
        );
    }
}

fn checklists(g: &Governance, diags: &mut Diagnostics) {
    let Some(f) = &g.checklists else { return };
    for (kind, name) in [
        (ChecklistKind::HighRisk, "high-risk"),
        (ChecklistKind::Upgrade, "upgrade"),
    ] {
        if !f.value.checklist.iter().any(|c| c.get_ref().kind == kind) {
            diags.push(
                Diagnostic::new(
                    Code::MissingChecklist,
                    format!("checklists.toml has no {name} checklist"),
                )
                .at_span(f.file, 0..0)
                .with_hint(format!("add a [[checklist]] with kind = \"{name}\"")),
            );
        }
    }
}

fn releases(model: &Model, g: &Governance, diags: &mut Diagnostics) {
    let Some(f) = &g.releases else { return };
    let mut prev: Option<&crate::values::Version> = None;
    for rel in &f.value.release {
        let v = &rel.get_ref().version;
        if let Some(p) = prev
            && v.get_ref() <= p
        {
            diags.push(
                Diagnostic::new(
                    Code::ReleaseOrder,
                    format!("release {} does not come after {p}", v.get_ref()),
                )
                .at_span(f.file, v.span()),
            );
        }
        prev = Some(v.get_ref());
    }
    if let (Some(last), Some(current), Some(file)) =
        (prev, &model.config.book.version, model.config.file)
        && current.get_ref() < last
    {
        diags.push(
            Diagnostic::new(
                Code::ReleaseOrder,
                format!(
                    "[book] version {} is older than the last release {last}",
                    current.get_ref()
                ),
            )
            .at_span(file, current.span())
            .with_hint("versions only go forward: bump [book] version past the last release"),
        );
    }
}
