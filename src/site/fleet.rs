//! The Fleet page's data: each repository with its team, status, report
//! age and artifact versions; roll-ups per team and per artifact; and each
//! team's share of current repositories for the rollout board. Strings are
//! built here rather than in template loops, so 10,000 repositories render
//! in a fraction of a second.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use crate::model::fleet::Repo;
use crate::values::Date;

/// The status columns of the roll-ups, best first.
const COLUMNS: [&str; 7] = crate::model::fleet::STATUSES;

/// The team a repository is counted under.
fn team_of(r: &Repo) -> &str {
    r.team.as_deref().unwrap_or("(no team)")
}

/// `1.1.0 ×12, 1.0.0 ×1`: how many artifacts carry each version, most first.
fn versions<'a>(versions: impl Iterator<Item = &'a str>) -> String {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for v in versions {
        *counts.entry(v).or_default() += 1;
    }
    let mut v: Vec<(&str, usize)> = counts.into_iter().collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    v.iter()
        .map(|(v, n)| format!("{v} ×{n}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Days from `date` to `today` (negative for a report dated later).
fn age(date: Option<Date>, today: Date) -> Option<i64> {
    let d = date?;
    d.0.until(today.0).ok().map(|s| i64::from(s.get_days()))
}

/// The page's data.
pub(super) fn page(repos: &[Repo], today: Date) -> Value {
    let rows: Vec<Value> = repos
        .iter()
        .map(|r| {
            let problems: Vec<Value> = r
                .artifacts
                .iter()
                .filter(|a| a.status != "current")
                .map(|a| json!({"id": a.id, "version": a.version, "status": a.status}))
                .collect();
            json!({
                "name": r.name,
                "team": team_of(r),
                "status": r.status,
                "date": r.date.map(|d| d.to_string()),
                "age": age(r.date, today),
                "applied": r.applied,
                "versions": versions(r.artifacts.iter().filter_map(|a| a.version.as_deref())),
                "artifacts": r.artifacts.len(),
                "problems": problems,
                "report": r.report,
            })
        })
        .collect();
    let mut teams: BTreeMap<&str, [usize; 7]> = BTreeMap::new();
    for r in repos {
        let row = teams.entry(team_of(r)).or_default();
        if let Some(i) = COLUMNS.iter().position(|c| *c == r.status) {
            row[i] += 1;
        }
    }
    let teams: Vec<Value> = teams
        .iter()
        .map(|(t, counts)| {
            let total: usize = counts.iter().sum();
            json!({"team": t, "total": total, "counts": counts, "share": percent(counts[0], total)})
        })
        .collect();
    let mut artifacts: BTreeMap<&str, ([usize; 7], Vec<&str>)> = BTreeMap::new();
    for r in repos {
        for a in &r.artifacts {
            let e = artifacts.entry(&a.id).or_default();
            if let Some(i) = COLUMNS.iter().position(|c| *c == a.status) {
                e.0[i] += 1;
            }
            if let Some(v) = &a.version {
                e.1.push(v);
            }
        }
    }
    let artifacts: Vec<Value> = artifacts
        .into_iter()
        .map(|(id, (counts, vs))| json!({"id": id, "counts": counts, "versions": versions(vs.into_iter())}))
        .collect();
    let current = repos.iter().filter(|r| r.status == "current").count();
    json!({
        "columns": COLUMNS,
        "repos": rows,
        "teams": teams,
        "artifacts": artifacts,
        "total": repos.len(),
        "current": current,
        "share": percent(current, repos.len()),
    })
}

/// Each team's share of current repositories, for the rollout board.
pub(super) fn shares(repos: &[Repo]) -> Value {
    let mut by_team: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for r in repos {
        let e = by_team.entry(team_of(r)).or_default();
        e.1 += 1;
        if r.status == "current" {
            e.0 += 1;
        }
    }
    by_team
        .into_iter()
        .map(|(t, (c, n))| {
            (
                t.to_owned(),
                json!({"current": c, "total": n, "share": percent(c, n)}),
            )
        })
        .collect::<serde_json::Map<String, Value>>()
        .into()
}

/// `part` of `whole` in whole percent, rounded down (0 of 0 is 0).
fn percent(part: usize, whole: usize) -> usize {
    (part * 100).checked_div(whole).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_count_most_first() {
        assert_eq!(
            versions(["1.0.0", "1.1.0", "1.1.0"].into_iter()),
            "1.1.0 ×2, 1.0.0 ×1"
        );
        assert_eq!(percent(1, 3), 33);
        assert_eq!(percent(0, 0), 0);
    }
}
