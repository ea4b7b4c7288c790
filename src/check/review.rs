//! Ownership and review: every page and governance file names an owning
//! team and is reviewed on its cadence. A lapsed review is a warning (an
//! error under `--strict`).

use std::ops::Range;

use super::refs::{Ids, reference};
use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::model::{Model, Review};
use crate::text::FileId;
use crate::values::{Cadence, Date};

/// Checks the review keys of every page and governance file.
pub(super) fn check(model: &Model, ids: &Ids, today: Date, diags: &mut Diagnostics) {
    let Some(g) = &model.governance else { return };
    let rules = Rules {
        ids,
        default_every: g.default_review_every(),
        today,
        complete: !model.incomplete,
    };
    for p in &model.pages {
        let at = p.body_start.min(3);
        let what = format!("page {}", p.path.display());
        rules.one(p.file, &p.review, &what, at..at, diags);
    }
    for (_, file, review) in g.reviews() {
        rules.one(file, review, "this governance file", 0..0, diags);
    }
}

/// What every subject is checked against.
struct Rules<'a> {
    ids: &'a Ids,
    default_every: Option<Cadence>,
    today: Date,
    /// The model parsed without errors: missing keys are reported only
    /// then, so one mistake gives one report.
    complete: bool,
}

impl Rules<'_> {
    /// Checks one page or file; `what` names it and `at` is where a missing
    /// key is reported.
    fn one(
        &self,
        file: FileId,
        review: &Review,
        what: &str,
        at: Range<usize>,
        diags: &mut Diagnostics,
    ) {
        let Rules {
            ids,
            default_every,
            today,
            complete,
        } = *self;
        match &review.owner {
            None if !complete => {}
            None => diags.push(
                Diagnostic::new(Code::MissingOwner, format!("{what} has no owner"))
                    .at_span(file, at.clone())
                    .with_hint("add `owner = \"<team id>\"` (front matter of a page, top of a governance file)"),
            ),
            Some(o) if complete => reference(o.get_ref().as_str(), o.span(), file, "team", &ids.teams, diags),
            Some(_) => {}
        }
        let every = review
            .review_every
            .as_ref()
            .map(|c| *c.get_ref())
            .or(default_every);
        match (&review.reviewed, every) {
            (None, _) | (Some(_), None) if !complete => {}
            (None, _) => diags.push(
                Diagnostic::new(
                    Code::ReviewOverdue,
                    format!("{what} has never been reviewed"),
                )
                .at_span(file, at)
                .with_hint("add `reviewed = YYYY-MM-DD` when it has been reviewed"),
            ),
            (Some(_), None) => diags.push(
                Diagnostic::new(Code::MissingOwner, format!("{what} has no review cadence"))
                    .at_span(file, at)
                    .with_hint(
                        "add `review-every = \"180d\"`, or `default-review-every` in owners.toml",
                    ),
            ),
            (Some(reviewed), _) if *reviewed.get_ref() > today => diags.push(
                Diagnostic::new(
                    Code::FutureDate,
                    format!(
                        "{what} is marked reviewed on {}, after today ({today})",
                        reviewed.get_ref()
                    ),
                )
                .at_span(file, reviewed.span())
                .with_hint(
                    "`reviewed` records a review that happened; a date ahead postpones every reminder",
                ),
            ),
            (Some(reviewed), Some(every)) => {
                let due = every.after(*reviewed.get_ref());
                debug_assert_eq!(Some(due), review.due(default_every));
                if due < today {
                    diags.push(
                        Diagnostic::new(
                            Code::ReviewOverdue,
                            format!(
                                "{what} was due for review on {due} (reviewed {}, every {every})",
                                reviewed.get_ref()
                            ),
                        )
                        .at_span(file, reviewed.span())
                        .with_hint("review it, then update `reviewed`"),
                    );
                }
            }
        }
    }
}
