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
            let (line, _) = (first.cells[0].start, ());
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
