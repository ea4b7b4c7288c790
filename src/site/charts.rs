//! Metric charts as SVG written at build time: no JavaScript, no fonts of
//! their own (the text uses the page's), colours from the theme's CSS
//! classes so they read in both themes, and bytes that depend only on the
//! data.
//!
//! One chart per panel and team: the adoption metric on top and each
//! quality metric below it, all on one time axis (small multiples), with
//! the team's rollout phase change drawn as a vertical line and targets as
//! dashed reference lines.

use std::collections::BTreeMap;
use std::fmt::Write;

use serde::Serialize;

use crate::markdown::escape;
use crate::model::{Governance, Metric, MetricKind, Model, Panel};
use crate::values::Date;

const WIDTH: f64 = 640.0;
const ROW: f64 = 96.0;
const LEFT: f64 = 56.0;
/// Room right of the plot for target labels, so no line runs through one.
const RIGHT: f64 = 72.0;
const TOP: f64 = 8.0;
const AXIS: f64 = 24.0;

/// One team's chart of one panel, with the data table under it.
#[derive(Debug, Serialize)]
pub(super) struct TeamChart {
    pub team: String,
    pub name: String,
    pub svg: String,
    /// Column headings (metric names with units).
    pub columns: Vec<String>,
    /// One row per date: the date and each metric's value (or empty).
    pub rows: Vec<(String, Vec<String>)>,
}

/// All charts of one panel.
#[derive(Debug, Serialize)]
pub(super) struct PanelCharts {
    pub id: String,
    pub title: String,
    pub teams: Vec<TeamChart>,
}

/// A series: date to value.
type Series = BTreeMap<Date, f64>;

/// Builds the charts of every panel.
pub(super) fn panels(model: &Model, g: &Governance) -> Vec<PanelCharts> {
    let Some(m) = &g.metrics else {
        return Vec::new();
    };
    let metrics: BTreeMap<&str, &Metric> = m
        .value
        .metric
        .iter()
        .map(|x| (x.get_ref().id.as_str(), x.get_ref()))
        .collect();
    // team -> metric -> series
    let mut data: BTreeMap<&str, BTreeMap<&str, Series>> = BTreeMap::new();
    for o in &model.observations {
        data.entry(&*o.team)
            .or_default()
            .entry(&*o.metric)
            .or_default()
            .insert(o.date, o.value);
    }
    m.value
        .panel
        .iter()
        .map(|p| panel(p.get_ref(), &metrics, &data, g))
        .collect()
}

fn panel(
    p: &Panel,
    metrics: &BTreeMap<&str, &Metric>,
    data: &BTreeMap<&str, BTreeMap<&str, Series>>,
    g: &Governance,
) -> PanelCharts {
    let ids: Vec<&str> = std::iter::once(p.adoption.get_ref().as_str())
        .chain(p.quality.iter().map(|q| q.get_ref().as_str()))
        .filter(|id| metrics.contains_key(id))
        .collect();
    // Shared scales across teams, so small multiples compare.
    let mut dates: Vec<Date> = Vec::new();
    let mut ranges: BTreeMap<&str, (f64, f64)> = BTreeMap::new();
    for series in data.values() {
        for id in &ids {
            if let Some(s) = series.get(id) {
                dates.extend(s.keys().copied());
                let r = ranges
                    .entry(id)
                    .or_insert((f64::INFINITY, f64::NEG_INFINITY));
                for v in s.values() {
                    r.0 = r.0.min(*v);
                    r.1 = r.1.max(*v);
                }
            }
        }
    }
    for id in &ids {
        if let (Some(r), Some(t)) = (ranges.get_mut(id), metrics[id].target) {
            r.0 = r.0.min(t);
            r.1 = r.1.max(t);
        }
    }
    dates.sort();
    dates.dedup();
    let (Some(&first), Some(&last)) = (dates.first(), dates.last()) else {
        return PanelCharts {
            id: p.id.to_string(),
            title: p.title.clone(),
            teams: Vec::new(),
        };
    };
    let teams = data
        .iter()
        .filter(|(_, s)| ids.iter().any(|id| s.contains_key(id)))
        .map(|(team, series)| {
            let name = g.team_name(team).unwrap_or(team).to_owned();
            let since = g.rollout.as_ref().and_then(|r| {
                r.value
                    .team
                    .iter()
                    .find(|t| t.get_ref().team.get_ref().as_str() == *team)
                    .map(|t| (t.get_ref().since, t.get_ref().phase.get_ref().to_string()))
            });
            let svg = svg(
                &p.title,
                &name,
                &ids,
                metrics,
                series,
                &ranges,
                (first, last),
                since,
            );
            let (columns, rows) = table(&ids, metrics, series, &dates);
            TeamChart {
                team: (*team).to_owned(),
                name,
                svg,
                columns,
                rows,
            }
        })
        .collect();
    PanelCharts {
        id: p.id.to_string(),
        title: p.title.clone(),
        teams,
    }
}

/// Round ticks covering `lo..=hi`: steps of 1, 2 or 5 times a power of
/// ten, about `want` of them; the first and last enclose the range.
fn ticks(lo: f64, hi: f64, want: f64) -> Vec<f64> {
    let raw = ((hi - lo) / want).max(f64::EPSILON);
    let mag = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * mag)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * mag);
    // A hair of slack: 8.2 / 0.2 is 40.99999… in binary.
    let first = (lo / step + 1e-9).floor() as i64;
    let last = (hi / step - 1e-9).ceil() as i64;
    // Bounded: the range spans at most `want` steps rounded out.
    (first..=last.min(first + 20))
        .map(|i| (i as f64 * step * 1e9).round() / 1e9)
        .collect()
}

/// A tick's label, with as many decimals as the step between ticks needs.
fn tick_label(v: f64, marks: &[f64]) -> String {
    let step = match marks {
        [a, b, ..] => b - a,
        _ => 1.0,
    };
    let decimals = (-(step.log10() + 1e-9).floor()).max(0.0) as usize;
    format!("{v:.decimals$}")
}

/// A number for labels: whole numbers plainly, others with one decimal.
fn num(v: f64) -> String {
    if (v - v.round()).abs() < 1e-9 {
        format!("{}", v.round())
    } else {
        format!("{v:.1}")
    }
}

#[allow(clippy::too_many_arguments)]
fn svg(
    panel: &str,
    team: &str,
    ids: &[&str],
    metrics: &BTreeMap<&str, &Metric>,
    series: &BTreeMap<&str, Series>,
    ranges: &BTreeMap<&str, (f64, f64)>,
    (first, last): (Date, Date),
    since: Option<(Date, String)>,
) -> String {
    let height = TOP + ROW * ids.len() as f64 + AXIS;
    let span = (last.0 - first.0).get_days().max(1) as f64;
    let x = |d: Date| LEFT + (WIDTH - LEFT - RIGHT) * ((d.0 - first.0).get_days() as f64 / span);
    let mut desc = Vec::new();
    let mut body = String::new();
    for (row, id) in ids.iter().enumerate() {
        let m = metrics[id];
        let top = TOP + ROW * row as f64;
        let (lo, hi) = ranges.get(id).copied().unwrap_or((0.0, 1.0));
        let (lo, hi) = if hi > lo {
            (lo, hi)
        } else {
            (lo - 1.0, hi + 1.0)
        };
        let marks = ticks(lo, hi, 3.0);
        let (lo, hi) = (marks[0], marks[marks.len() - 1]);
        // The plot starts below the row's title, so the top tick's number
        // does not crowd it.
        let plot = ROW - 34.0;
        let y = |v: f64| top + 26.0 + plot * (1.0 - (v - lo) / (hi - lo));
        let kind = match m.kind {
            MetricKind::Adoption => "adoption",
            MetricKind::Quality => "quality",
        };
        let better = match m.direction {
            crate::model::Direction::HigherIsBetter => "higher is better",
            crate::model::Direction::LowerIsBetter => "lower is better",
        };
        let _ = write!(
            body,
            "<text class=\"chart-label\" x=\"{LEFT}\" y=\"{:.1}\">{} ({}, {kind}, {better})</text>",
            top + 12.0,
            escape(&m.name),
            escape(&m.unit)
        );
        for v in &marks {
            let _ = write!(
                body,
                "<line class=\"chart-grid\" x1=\"{LEFT}\" x2=\"{:.1}\" y1=\"{:.1}\" y2=\"{:.1}\"/>\
                 <text class=\"chart-tick chart-y\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>",
                WIDTH - RIGHT,
                y(*v),
                y(*v),
                LEFT - 6.0,
                y(*v) + 4.0,
                tick_label(*v, &marks)
            );
        }
        if let Some(t) = m.target {
            let _ = write!(
                body,
                "<line class=\"chart-target\" x1=\"{LEFT}\" x2=\"{:.1}\" y1=\"{:.1}\" y2=\"{:.1}\"/>\
                 <text class=\"chart-tick chart-target-label\" x=\"{:.1}\" y=\"{:.1}\">target {}</text>",
                WIDTH - RIGHT,
                y(t),
                y(t),
                WIDTH - RIGHT + 4.0,
                y(t) + 4.0,
                num(t)
            );
        }
        if let Some(s) = series.get(id) {
            let points: Vec<String> = s
                .iter()
                .map(|(d, v)| format!("{:.1},{:.1}", x(*d), y(*v)))
                .collect();
            let _ = write!(
                body,
                "<polyline class=\"chart-line chart-{kind}\" fill=\"none\" points=\"{}\"/>",
                points.join(" ")
            );
            if let (Some((d0, v0)), Some((d1, v1))) = (s.iter().next(), s.iter().next_back()) {
                desc.push(format!(
                    "{} went from {} on {d0} to {} on {d1}",
                    m.name,
                    num(*v0),
                    num(*v1)
                ));
            }
        }
    }
    let bottom = TOP + ROW * ids.len() as f64;
    if let Some((d, phase)) = since.filter(|(d, _)| *d >= first && *d <= last) {
        let _ = write!(
            body,
            "<line class=\"chart-phase\" x1=\"{x:.1}\" x2=\"{x:.1}\" y1=\"{TOP}\" y2=\"{bottom:.1}\"/>\
             <text class=\"chart-tick\" x=\"{:.1}\" y=\"{:.1}\">{} since {d}</text>",
            x(d) + 3.0,
            bottom - 4.0,
            escape(&phase),
            x = x(d)
        );
        desc.push(format!("The team entered the {phase} phase on {d}"));
    }
    // Dates on the time axis: the first, the last and evenly between.
    let steps = (span as i64).min(4);
    for i in 0..=steps {
        let d = Date(first.0 + jiff::Span::new().days(span as i64 * i / steps.max(1)));
        let anchor = match i {
            0 => "start",
            i if i == steps => "end",
            _ => "middle",
        };
        let _ = write!(
            body,
            "<text class=\"chart-tick chart-x\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"{anchor}\">{d}</text>",
            x(d),
            bottom + 16.0
        );
    }
    let title = format!("{panel}: {team}");
    format!(
        "<svg class=\"chart\" role=\"img\" viewBox=\"0 0 {WIDTH} {height:.0}\" xmlns=\"http://www.w3.org/2000/svg\">\
         <title>{}</title><desc>{}</desc>{body}</svg>",
        escape(&title),
        escape(&(desc.join(". ") + "."))
    )
}

fn table(
    ids: &[&str],
    metrics: &BTreeMap<&str, &Metric>,
    series: &BTreeMap<&str, Series>,
    dates: &[Date],
) -> (Vec<String>, Vec<(String, Vec<String>)>) {
    let columns = ids
        .iter()
        .map(|id| format!("{} ({})", metrics[id].name, metrics[id].unit))
        .collect();
    let rows = dates
        .iter()
        .filter(|d| {
            ids.iter()
                .any(|id| series.get(id).is_some_and(|s| s.contains_key(d)))
        })
        .map(|d| {
            let cells = ids
                .iter()
                .map(|id| {
                    series
                        .get(id)
                        .and_then(|s| s.get(d))
                        .map(|v| num(*v))
                        .unwrap_or_default()
                })
                .collect();
            (d.to_string(), cells)
        })
        .collect();
    (columns, rows)
}

/// `metrics.json`: every observation and each panel's latest values, for
/// other dashboards.
pub(super) fn json(model: &Model, g: &Governance) -> serde_json::Value {
    let mut latest: BTreeMap<(&str, &str), (Date, f64)> = BTreeMap::new();
    for o in &model.observations {
        let e = latest
            .entry((&*o.team, &*o.metric))
            .or_insert((o.date, o.value));
        if o.date > e.0 {
            *e = (o.date, o.value);
        }
    }
    let panels: Vec<serde_json::Value> = g
        .metrics
        .as_ref()
        .map(|m| {
            m.value
                .panel
                .iter()
                .map(|p| {
                    let p = p.get_ref();
                    let ids: Vec<&str> = std::iter::once(p.adoption.get_ref().as_str())
                        .chain(p.quality.iter().map(|q| q.get_ref().as_str()))
                        .collect();
                    let mut teams = serde_json::Map::new();
                    for ((team, metric), (date, value)) in &latest {
                        if ids.contains(metric) {
                            let t = teams.entry((*team).to_owned()).or_insert_with(|| serde_json::json!({}));
                            t[*metric] = serde_json::json!({ "date": date.to_string(), "value": value });
                        }
                    }
                    serde_json::json!({
                        "id": p.id.as_str(),
                        "title": p.title,
                        "adoption": p.adoption.get_ref().as_str(),
                        "quality": p.quality.iter().map(|q| q.get_ref().as_str()).collect::<Vec<_>>(),
                        "latest": teams,
                    })
                })
                .collect()
        })
        .unwrap_or_default();
    let mut obs: Vec<&crate::model::Observation> = model.observations.iter().collect();
    obs.sort_by(|a, b| (a.date, &a.team, &a.metric).cmp(&(b.date, &b.team, &b.metric)));
    serde_json::json!({
        "observations": obs.iter().map(|o| serde_json::json!({
            "date": o.date.to_string(), "team": &*o.team, "metric": &*o.metric, "value": o.value
        })).collect::<Vec<_>>(),
        "panels": panels,
    })
}

#[cfg(test)]
mod tests {
    use super::ticks;

    #[test]
    fn ticks_are_round_and_enclose_the_range() {
        assert_eq!(ticks(3.1, 4.4, 3.0), [3.0, 3.5, 4.0, 4.5]);
        assert_eq!(ticks(0.0, 70.0, 3.0), [0.0, 50.0, 100.0]);
        assert_eq!(ticks(0.0, 1.0, 3.0), [0.0, 0.5, 1.0]);
        assert_eq!(ticks(8.2, 8.7, 3.0), [8.2, 8.4, 8.6, 8.8]);
        // A huge range still gives a handful.
        assert!(ticks(0.0, 1e12, 3.0).len() <= 5);
        assert_eq!(super::tick_label(0.5, &[0.0, 0.5]), "0.5");
        assert_eq!(super::tick_label(50.0, &[0.0, 50.0]), "50");
        assert_eq!(super::tick_label(0.05, &[0.0, 0.05]), "0.05");
    }
}
