//! The generated pages: one per governance concern, rendered from the model.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::{Value, json};

use super::context::PageCtx;
use crate::diag::Code;
use crate::model::{CONCERNS, Governance, Metrics, Model, Review, Rollout, Stage, Upgrades};
use crate::values::Date;

/// One generated page ready for its template.
pub(super) struct GenPage {
    pub template: String,
    pub page: PageCtx,
    pub data: Value,
}

fn to_value<T: Serialize>(v: &T) -> Value {
    serde_json::to_value(v).unwrap_or(Value::Null)
}

/// A review row of the owners page.
#[derive(Serialize)]
struct Row {
    title: String,
    url: String,
    owner: String,
    reviewed: Option<String>,
    due: Option<String>,
    overdue: bool,
}

/// Builds every generated page (without prev/next, set by the caller), one
/// per row of the concern table, in its order.
pub(super) fn pages(
    model: &Model,
    g: &Governance,
    today: Date,
    files: &[super::ArtifactFile],
    manifest: &crate::templates::manifest::Manifest,
    titles: &dyn Fn(&str) -> Option<String>,
) -> Vec<GenPage> {
    // Pages without a file of their own are owned as the owners file is.
    let owners_review = g.owners.as_ref().map(|f| &f.review);
    let mut out = Vec::new();
    for c in CONCERNS {
        let page = match c.name {
            "policy" => g
                .policy
                .as_ref()
                .map(|f| (Some(&f.review), to_value(&f.value))),
            "profiles" => g.profiles.as_ref().map(|f| {
                let mut data = to_value(&f.value);
                let codex: Vec<&super::ArtifactFile> = files
                    .iter()
                    .filter(|a| a.team.is_none() && a.id.starts_with("codex-"))
                    .collect();
                data["files"] = to_value(&codex);
                (Some(&f.review), data)
            }),
            "commands" => g.commands.as_ref().map(|f| {
                let mut data = to_value(&f.value);
                data["stages"] = to_value(&STAGES);
                (Some(&f.review), data)
            }),
            "checklists" => g
                .checklists
                .as_ref()
                .map(|f| (Some(&f.review), to_value(&f.value))),
            "rollout" => g
                .rollout
                .as_ref()
                .map(|f| (Some(&f.review), rollout(model, g, &f.value))),
            "upgrades" => g
                .upgrades
                .as_ref()
                .map(|f| (Some(&f.review), upgrades(&f.value, today))),
            "plugins" => g
                .plugins
                .as_ref()
                .map(|f| (Some(&f.review), to_value(&f.value))),
            "metrics" => g
                .metrics
                .as_ref()
                .map(|f| (Some(&f.review), metrics(model, g, &f.value))),
            "owners" => Some((
                owners_review,
                json!({ "rows": owner_rows(model, g, today, titles) }),
            )),
            "releases" => Some((owners_review, changelog(model, g))),
            "diagnostics" => Some((owners_review, diagnostics())),
            "templates" => Some((
                owners_review,
                json!({ "artifacts": files, "manifest": to_value(manifest) }),
            )),
            "fleet" => model
                .config
                .fleet
                .reports
                .is_some()
                .then(|| (owners_review, super::fleet::page(&model.fleet, today))),
            other => {
                debug_assert!(false, "no page for the concern {other}");
                None
            }
        };
        if let Some((review, data)) = page {
            let mut page = PageCtx::new(c.url, c.title, "governance");
            if let Some(r) = review {
                page.review(r, Some(g), today);
            }
            out.push(GenPage {
                template: c.url.to_owned(),
                page,
                data,
            });
        }
    }
    out
}

/// The stages of the commands page, in the order a change meets them.
const STAGES: [Stage; 6] = [
    Stage::PreCommit,
    Stage::PreMerge,
    Stage::PostUpgrade,
    Stage::Release,
    Stage::Scheduled,
    Stage::OnDemand,
];

/// The rollout page: each phase with its teams, and their evidence.
fn rollout(model: &Model, g: &Governance, r: &Rollout) -> Value {
    let mut data = to_value(r);
    let board: Vec<Value> = r
        .phase
        .iter()
        .map(|p| {
            let id = &p.get_ref().id;
            let teams: Vec<Value> = r
                .team
                .iter()
                .filter(|t| t.get_ref().phase.get_ref() == id)
                .map(|t| to_value(t.get_ref()))
                .collect();
            json!({ "phase": to_value(p.get_ref()), "teams": teams })
        })
        .collect();
    data["board"] = Value::Array(board);
    data["evidence"] = evidence(model, g);
    if model.config.fleet.reports.is_some() {
        data["fleet"] = super::fleet::shares(&model.fleet);
    }
    data
}

/// The upgrades page, with when the next changelog review is due.
fn upgrades(u: &Upgrades, today: Date) -> Value {
    let mut data = to_value(u);
    let last = u.review.iter().map(|r| r.get_ref().date).max();
    let due = match (&u.cadence, last) {
        (Some(c), Some(l)) => Some(c.get_ref().after(l)),
        _ => None,
    };
    data["due"] = to_value(&due);
    data["overdue"] = Value::Bool(due.is_some_and(|d| d < today));
    data
}

/// The metrics page: each team's latest observation of each metric, and
/// the charts.
fn metrics(model: &Model, g: &Governance, m: &Metrics) -> Value {
    let mut data = to_value(m);
    let mut latest: BTreeMap<(&str, &str), &crate::model::Observation> = BTreeMap::new();
    for o in &model.observations {
        let e = latest.entry((&*o.team, &*o.metric)).or_insert(o);
        if o.date > e.date {
            *e = o;
        }
    }
    data["latest"] = Value::Array(
        latest
            .values()
            .map(|o| json!({"team": &*o.team, "metric": &*o.metric, "date": o.date.to_string(), "value": o.value}))
            .collect(),
    );
    data["charts"] = to_value(&super::charts::panels(model, g));
    data
}

/// The changelog page: releases newest first, and the current version.
fn changelog(model: &Model, g: &Governance) -> Value {
    let mut releases: Vec<Value> = g
        .releases
        .as_ref()
        .map(|f| {
            f.value
                .release
                .iter()
                .map(|r| to_value(r.get_ref()))
                .collect()
        })
        .unwrap_or_default();
    releases.reverse();
    let current = model
        .config
        .book
        .version
        .as_ref()
        .map(|v| v.get_ref().to_string());
    json!({ "release": releases, "current": current })
}

/// The diagnostic codes page.
fn diagnostics() -> Value {
    let codes: Vec<Value> = Code::ALL
        .iter()
        .map(|c| {
            json!({"code": c.as_str(), "severity": to_value(&c.default_severity()), "title": c.title()})
        })
        .collect();
    json!({ "codes": codes })
}

/// Per team, links to the evidence behind its place in the rollout: its
/// charts on the metrics page and the template set it applies.
fn evidence(model: &Model, g: &Governance) -> Value {
    let mut out = serde_json::Map::new();
    let Some(rollout) = &g.rollout else {
        return Value::Object(out);
    };
    let panels: Vec<(&str, &str)> = g
        .metrics
        .as_ref()
        .map(|m| {
            m.value
                .panel
                .iter()
                .map(|p| (p.get_ref().id.as_str(), p.get_ref().title.as_str()))
                .collect()
        })
        .unwrap_or_default();
    let with_overrides = |team: &str| {
        g.owners.as_ref().is_some_and(|o| {
            o.value
                .team
                .iter()
                .any(|t| t.get_ref().id.as_str() == team && t.get_ref().overrides.is_some())
        })
    };
    for row in &rollout.value.team {
        let team = row.get_ref().team.get_ref().as_str();
        let mut links = Vec::new();
        if model.observations.iter().any(|o| &*o.team == team) {
            for (id, title) in &panels {
                links.push(json!({ "title": format!("Metrics: {title}"), "url": format!("governance/metrics.html#{id}-{team}") }));
            }
        }
        let templates = if with_overrides(team) {
            json!({ "title": "Team template set", "url": format!("templates/teams/{team}/AGENTS.md") })
        } else {
            json!({ "title": "Template set", "url": "governance/templates.html" })
        };
        links.push(templates);
        out.insert(team.to_owned(), Value::Array(links));
    }
    Value::Object(out)
}

fn owner_rows(
    model: &Model,
    g: &Governance,
    today: Date,
    titles: &dyn Fn(&str) -> Option<String>,
) -> Vec<Row> {
    let default = g.default_review_every();
    let mut rows = Vec::new();
    let mut push = |title: String, url: String, review: &Review| {
        let due = review.due(default);
        let owner = review
            .owner
            .as_ref()
            .map(|o| {
                g.team_name(o.get_ref().as_str())
                    .unwrap_or(o.get_ref().as_str())
                    .to_owned()
            })
            .unwrap_or_else(|| "—".into());
        rows.push(Row {
            title,
            url,
            owner,
            reviewed: review.reviewed.as_ref().map(|d| d.get_ref().to_string()),
            due: due.map(|d| d.to_string()),
            overdue: due.is_some_and(|d| d < today),
        });
    };
    for p in &model.pages {
        let url = crate::markdown::page_url(&p.path.to_string_lossy());
        let title = titles(&url).unwrap_or_else(|| p.path.display().to_string());
        push(title, url, &p.review);
    }
    for (c, _, r) in g.reviews() {
        push(
            format!("{} ({}.toml)", c.title, c.name),
            c.url.to_owned(),
            r,
        );
    }
    rows.sort_by(|a, b| (!a.overdue, &a.due, &a.title).cmp(&(!b.overdue, &b.due, &b.title)));
    rows
}
