//! Metric observations: known teams and metrics, one value per team, metric
//! and date, nothing dated after today.

use std::collections::HashMap;

use super::refs::{Ids, reference};
use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::model::Model;
use crate::values::Date;

/// Checks the observations of `metrics/*.csv`.
pub(super) fn check(model: &Model, ids: &Ids, today: Date, diags: &mut Diagnostics) {
    let metric_ids: Vec<String> = ids.metrics.keys().cloned().collect();
    let mut seen: HashMap<(Date, &str, &str), &crate::model::Observation> = HashMap::new();
    for o in &model.observations {
        let team = o.cell(1);
        reference(&o.team, team.span, o.file, "team", &ids.teams, diags);
        let metric = o.cell(2);
        reference(&o.metric, metric.span, o.file, "metric", &metric_ids, diags);
        if o.date > today {
            diags.push(
                Diagnostic::new(
                    Code::FutureObservation,
                    format!("observation dated {} is after today ({today})", o.date),
                )
                .at(o.cell(0))
                .with_hint("observations record what happened; check the date, or pass --today"),
            );
        }
        if let Some(first) = seen.insert((o.date, &o.team, &o.metric), o) {
            let (line, _) = (first.cell(0).span.start, ());
            let _ = line;
            diags.push(
                Diagnostic::new(
                    Code::DuplicateObservation,
                    format!("{} {} {} is recorded twice", o.date, o.team, o.metric),
                )
                .at(o.cell(0))
                .with_hint("keep one row per date, team and metric"),
            );
        }
    }
}

/// A team whose observations hold a panel's adoption metric but none of its
/// quality metrics: the chart would show adoption on target beside quality
/// "no data", which is adoption shown alone.
pub(super) fn adoption_only(model: &Model, diags: &mut Diagnostics) {
    let Some(f) = model.governance.as_ref().and_then(|g| g.metrics.as_ref()) else {
        return;
    };
    for panel in &f.value.panel {
        let p = panel.get_ref();
        let adoption = p.adoption.get_ref().as_str();
        let quality: Vec<&str> = p.quality.iter().map(|q| q.get_ref().as_str()).collect();
        if quality.is_empty() {
            continue;
        }
        let mut teams: Vec<&str> = Vec::new();
        for o in model.observations.iter().filter(|o| &*o.metric == adoption) {
            if teams.contains(&&*o.team) {
                continue;
            }
            teams.push(&o.team);
            let measured = model
                .observations
                .iter()
                .any(|q| q.team == o.team && quality.contains(&&*q.metric));
            if !measured {
                diags.push(
                    Diagnostic::new(
                        Code::AdoptionOnlyData,
                        format!(
                            "team `{}` records `{adoption}` but none of {} (panel `{}`)",
                            o.team,
                            quality.join(", "),
                            p.id
                        ),
                    )
                    .at(o.cell(2))
                    .with_hint("record the quality metrics beside adoption: adoption is tracked only alongside quality"),
                );
            }
        }
    }
}
