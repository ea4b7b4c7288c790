//! The context artifact templates see (documented in
//! `content/reference/templates.md`).

use serde_json::{Map, Value, json};

use super::MARKDOWN;
use crate::model::{ChecklistKind, Governance, Model};

fn to_value<T: serde::Serialize>(v: &T) -> Value {
    serde_json::to_value(v).unwrap_or(Value::Null)
}

/// The profile names a team's set is narrowed to, if it names any.
pub(super) fn team_profiles(g: &Governance, team: Option<&str>) -> Option<Vec<String>> {
    let t = g
        .owners
        .as_ref()?
        .value
        .team
        .iter()
        .find(|t| Some(t.get_ref().id.as_str()) == team)?;
    let o = t.get_ref().overrides.as_ref()?;
    let names: Vec<String> = o
        .get_ref()
        .profiles
        .iter()
        .map(|p| p.get_ref().clone())
        .collect();
    (!names.is_empty()).then_some(names)
}

/// Builds the template context for the default set or a team's set.
pub(super) fn build(model: &Model, g: &Governance, team: Option<&str>) -> Value {
    let book = &model.config.book;
    let version = model.config.version();
    let baseline = model.config.baseline();
    let team_entry = team.and_then(|id| {
        g.owners
            .as_ref()?
            .value
            .team
            .iter()
            .find(|t| t.get_ref().id.as_str() == id)
            .map(|t| t.get_ref())
    });
    let extra: Vec<String> = team_entry
        .and_then(|t| t.overrides.as_ref())
        .map(|o| {
            o.get_ref()
                .commands
                .iter()
                .map(|c| c.get_ref().to_string())
                .collect()
        })
        .unwrap_or_default();
    let allowed = team_profiles(g, team);

    let profiles: Vec<Value> = g
        .profiles
        .as_ref()
        .map(|p| {
            p.value
                .profile
                .iter()
                .map(|p| p.get_ref())
                .filter(|p| {
                    allowed
                        .as_ref()
                        .is_none_or(|a| a.contains(p.name.get_ref()))
                })
                .map(|p| {
                    let mut v = to_value(p);
                    v["file"] = Value::String(super::codex::profile_path(p.name.get_ref()));
                    v
                })
                .collect()
        })
        .unwrap_or_default();
    // Every recorded exception in effect for this set: the base's, each
    // permissions profile's and each included profile's.
    let mut exceptions: Vec<Value> = Vec::new();
    if let Some(p) = g.profiles.as_ref().map(|p| &p.value) {
        let mut add = |entry: String, list: &[toml::Spanned<crate::model::RiskException>]| {
            for e in list {
                let mut v = to_value(e.get_ref());
                v["entry"] = Value::String(entry.clone());
                exceptions.push(v);
            }
        };
        if let Some(b) = &p.base {
            add("base config".into(), &b.get_ref().exception);
        }
        for pp in &p.permissions {
            let pp = pp.get_ref();
            add(format!("permissions {}", pp.name.get_ref()), &pp.exception);
        }
        for pr in &p.profile {
            let pr = pr.get_ref();
            if allowed
                .as_ref()
                .is_none_or(|a| a.contains(pr.name.get_ref()))
            {
                add(format!("profile {}", pr.name.get_ref()), &pr.exception);
            }
        }
    }
    let permissions: Vec<Value> = g
        .profiles
        .as_ref()
        .map(|p| {
            p.value
                .permissions
                .iter()
                .map(|x| to_value(x.get_ref()))
                .collect()
        })
        .unwrap_or_default();
    let commands: Vec<Value> = g
        .commands
        .as_ref()
        .map(|c| {
            c.value
                .command
                .iter()
                .map(|c| {
                    let mut v = to_value(c.get_ref());
                    v["extra"] = Value::Bool(extra.iter().any(|e| e == c.get_ref().id.as_str()));
                    v
                })
                .collect()
        })
        .unwrap_or_default();
    let by_id: Map<String, Value> = commands
        .iter()
        .filter_map(|c| Some((c["id"].as_str()?.to_owned(), c.clone())))
        .collect();
    let checklist = |kind: ChecklistKind| {
        g.checklists
            .as_ref()
            .and_then(|c| c.value.checklist.iter().find(|l| l.get_ref().kind == kind))
            .map(|l| to_value(l.get_ref()))
            .unwrap_or(Value::Null)
    };
    let mut paths: Map<String, Value> = MARKDOWN
        .iter()
        .map(|a| (a.id.to_owned(), Value::String(a.path.to_owned())))
        .collect();
    paths.insert(
        "verification-commands-json".into(),
        Value::String("docs/codex/verification-commands.json".into()),
    );
    paths.insert(
        "codex-config".into(),
        Value::String(super::codex::BASE_PATH.into()),
    );
    json!({
        "book": { "title": book.title.clone().unwrap_or_default(), "version": version, "baseline": baseline },
        "policy": g.policy.as_ref().map(|p| to_value(&p.value)).unwrap_or(Value::Null),
        "profiles": profiles,
        "permissions": permissions,
        "exceptions": exceptions,
        "commands": commands,
        "commands_by_id": by_id,
        "high_risk": checklist(ChecklistKind::HighRisk),
        "upgrade": checklist(ChecklistKind::Upgrade),
        "upgrades": g.upgrades.as_ref().map(|u| to_value(&u.value)).unwrap_or(Value::Null),
        "team": team_entry.map(|t| json!({
            "id": t.id.as_str(),
            "name": t.name,
            "note": t.overrides.as_ref().and_then(|o| o.get_ref().agents_note.clone()),
        })),
        "paths": paths,
    })
}

/// `verification-commands.json`: the catalog as data, for tools.
pub(super) fn commands_json(ctx: &Value) -> Value {
    json!({
        "handbook": ctx["book"]["version"],
        "baseline": format!("codex-cli@{}", ctx["book"]["baseline"].as_str().unwrap_or("")),
        "team": ctx["team"]["id"],
        "commands": ctx["commands"],
    })
}
