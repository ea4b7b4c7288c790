//! Metric observations from `metrics/*.csv`: `date,team,metric,value`, one
//! row per observation, as a team would export them from its tools.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::Arc;

use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::text::{FileId, Loc, Sources};
use crate::values::Date;

/// The header every metrics CSV starts with.
pub const HEADER: [&str; 4] = ["date", "team", "metric", "value"];

/// One observation, with the span of each cell.
#[derive(Debug, Clone)]
pub struct Observation {
    /// `date`: the day observed, an ISO date.
    pub date: Date,
    /// `team`: the team, a team id (shared by every row of the team: a
    /// CSV holds millions of rows and a handful of teams).
    pub team: Arc<str>,
    /// `metric`: the metric, a metric id (shared likewise).
    pub metric: Arc<str>,
    /// `value`: a plain number with a `.` decimal point and no unit.
    pub value: f64,
    /// The CSV file the row is in.
    pub file: FileId,
    /// Spans of the date, team, metric and value cells (a CSV is read up
    /// to 128 MiB, so offsets fit in 32 bits).
    cells: [Range<u32>; 4],
}

impl Observation {
    /// Location of cell `i` (0 = date … 3 = value).
    pub fn cell(&self, i: usize) -> Loc {
        let r = &self.cells[i];
        Loc::new(self.file, r.start as usize..r.end as usize)
    }
}

/// Parses one CSV file; bad rows are reported and skipped.
pub fn parse(sources: &Sources, file: FileId, diags: &mut Diagnostics) -> Vec<Observation> {
    let src = sources.get(file);
    let text = &src.text;
    let err =
        |code, msg: String, span: Range<usize>| Diagnostic::new(code, msg).at_span(file, span);
    if text.trim().is_empty() {
        diags.push(
            err(
                Code::EmptyFile,
                format!("{} is empty", src.path.display()),
                0..0,
            )
            .with_hint(format!("start with the header {}", HEADER.join(","))),
        );
        return Vec::new();
    }
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut out = Vec::new();
    let mut names: HashMap<String, Arc<str>> = HashMap::new();
    let mut intern = |s: &str| -> Arc<str> {
        if let Some(a) = names.get(s) {
            return Arc::clone(a);
        }
        let a: Arc<str> = Arc::from(s);
        names.insert(s.to_owned(), Arc::clone(&a));
        a
    };
    let narrow = |r: Range<usize>| r.start as u32..r.end as u32;
    let mut record = csv::StringRecord::new();
    let mut first = true;
    loop {
        let start = reader.position().byte() as usize;
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                let at = e.position().map_or(start, |p| p.byte() as usize);
                diags.push(err(
                    Code::CsvFormat,
                    format!("cannot read CSV: {e}"),
                    at..at,
                ));
                break;
            }
        }
        // The reader's position is before any blank lines it skipped.
        let start =
            start + text[start..].len() - text[start..].trim_start_matches(['\r', '\n']).len();
        let line_end = text[start..]
            .find(['\r', '\n'])
            .map_or(text.len(), |i| start + i);
        let cells = cell_spans(text, start, line_end);
        let row_span = start..line_end;
        if first {
            first = false;
            let got: Vec<&str> = record.iter().map(str::trim).collect();
            if got != HEADER {
                diags.push(
                    err(
                        Code::CsvFormat,
                        format!("expected the header `{}`", HEADER.join(",")),
                        row_span,
                    )
                    .with_hint("the first line names the columns: date,team,metric,value"),
                );
                return out;
            }
            continue;
        }
        if record.len() != 4 {
            let hint = if record.len() == 5 {
                "a decimal comma splits the value in two: write 0.5, not 0,5"
            } else {
                "each row has four cells: date,team,metric,value"
            };
            diags.push(
                err(
                    Code::CsvFormat,
                    format!("expected 4 cells, found {}", record.len()),
                    row_span,
                )
                .with_hint(hint),
            );
            continue;
        }
        let span = |i: usize| cells.get(i).cloned().unwrap_or(row_span.clone());
        let raw = |i: usize| record.get(i).unwrap_or("").trim();
        let Some(date) = Date::parse(raw(0)) else {
            diags.push(
                err(
                    Code::CsvValue,
                    format!("`{}` is not a date", raw(0)),
                    span(0),
                )
                .with_hint("write dates as YYYY-MM-DD"),
            );
            continue;
        };
        let Some(value) = parse_number(raw(3)) else {
            let hint = if raw(3).contains(',') {
                "use a point for decimals: 0.5, not 0,5"
            } else {
                "write a plain number without a unit, such as 12.5"
            };
            diags.push(
                err(
                    Code::CsvValue,
                    format!("`{}` is not a number", raw(3)),
                    span(3),
                )
                .with_hint(hint),
            );
            continue;
        };
        out.push(Observation {
            date,
            team: intern(raw(1)),
            metric: intern(raw(2)),
            value,
            file,
            cells: [
                narrow(span(0)),
                narrow(span(1)),
                narrow(span(2)),
                narrow(span(3)),
            ],
        });
    }
    out
}

fn parse_number(s: &str) -> Option<f64> {
    let ok = !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | '-' | '+' | 'e' | 'E'));
    ok.then(|| s.parse::<f64>().ok())
        .flatten()
        .filter(|v| v.is_finite())
}

/// Byte spans of the cells of the line `start..end` (commas inside quotes
/// do not split).
fn cell_spans(text: &str, start: usize, end: usize) -> Vec<Range<usize>> {
    let mut spans = Vec::new();
    let mut cell_start = start;
    let mut quoted = false;
    for (i, b) in text[start..end].bytes().enumerate() {
        match b {
            b'"' => quoted = !quoted,
            b',' if !quoted => {
                spans.push(cell_start..start + i);
                cell_start = start + i + 1;
            }
            _ => {}
        }
    }
    spans.push(cell_start..end);
    spans
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str) -> (Vec<Observation>, Diagnostics) {
        let mut s = Sources::new("/");
        let id = s.add("m.csv", text.into());
        let mut d = Diagnostics::default();
        (parse(&s, id, &mut d), d)
    }

    #[test]
    fn good_rows() {
        let text = "date,team,metric,value\n2026-01-05,payments,defect-rate,0.5\n\n2026-01-12,payments,defect-rate,1e1\n";
        let (o, d) = run(text);
        assert!(d.items().is_empty(), "{:?}", d.items());
        assert_eq!(o.len(), 2);
        assert_eq!(o[1].value, 10.0);
        assert_eq!(&text[o[0].cell(3).span], "0.5");
        assert_eq!(&text[o[1].cell(0).span], "2026-01-12");
    }

    #[test]
    fn bad_rows_are_reported_with_the_cell() {
        let text = "date,team,metric,value\n2026-01-05,p,m,12%\n2026-01-05,p,m,0,5\n2026-13-01,p,m,1\n2026-01-05,p,m,\"0,5\"\n";
        let (o, d) = run(text);
        assert!(o.is_empty());
        let got: Vec<_> = d
            .items()
            .iter()
            .map(|d| (d.code, &text[d.loc.as_ref().unwrap().span.clone()]))
            .collect();
        assert_eq!(
            got,
            [
                (Code::CsvValue, "12%"),
                (Code::CsvFormat, "2026-01-05,p,m,0,5"),
                (Code::CsvValue, "2026-13-01"),
                (Code::CsvValue, "\"0,5\""),
            ]
        );
    }

    #[test]
    fn header_and_empty() {
        let (_, d) = run("when,team,metric,value\n");
        assert_eq!(d.items()[0].code, Code::CsvFormat);
        let (_, d) = run("");
        assert_eq!(d.items()[0].code, Code::EmptyFile);
    }
}
