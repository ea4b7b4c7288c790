//! Ownership and review: every page and governance file names an owning
//! team and is reviewed on its cadence. A lapsed review is a warning (an
//! error under `--strict`).

use std::ops::Range;

use super::refs::{Ids, reference};
use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::model::values::{Cadence, Date};
use crate::model::{Model, Review};
use crate::source::FileId;

/// Checks the review keys of every page and governance file.
pub fn check(model: &Model, ids: &Ids, today: Date, diags: &mut Diagnostics) {
    let Some(g) = &model.governance else { return };
    let default_every = g.default_review_every();
    let mut subjects: Vec<(FileId, &Review, String, Range<usize>)> = model
        .pages
        .iter()
        .map(|p| {
            (
                p.file,
                &p.review,
                format!("page {}", p.path.display()),
                p.body_start.min(3)..p.body_start.min(3),
            )
        })
        .collect();
    let files = [
        g.policy.as_ref().map(|f| (f.file, &f.review)),
        g.profiles.as_ref().map(|f| (f.file, &f.review)),
        g.commands.as_ref().map(|f| (f.file, &f.review)),
        g.checklists.as_ref().map(|f| (f.file, &f.review)),
        g.rollout.as_ref().map(|f| (f.file, &f.review)),
        g.upgrades.as_ref().map(|f| (f.file, &f.review)),
        g.plugins.as_ref().map(|f| (f.file, &f.review)),
        g.metrics.as_ref().map(|f| (f.file, &f.review)),
        g.owners.as_ref().map(|f| (f.file, &f.review)),
    ];
    for (file, review) in files.into_iter().flatten() {
        subjects.push((file, review, "this governance file".into(), 0..0));
    }
    for (file, review, what, at) in subjects {
        one(
            file,
            review,
            &what,
            at,
            ids,
            default_every,
            today,
            !model.incomplete,
            diags,
        );
    }
}

#[allow(clippy::too_many_arguments)]
fn one(
    file: FileId,
    review: &Review,
    what: &str,
    at: Range<usize>,
    ids: &Ids,
    default_every: Option<Cadence>,
    today: Date,
    complete: bool,
    diags: &mut Diagnostics,
) {
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
