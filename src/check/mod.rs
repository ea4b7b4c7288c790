//! Checking: validates the typed model and reports every problem as a
//! diagnostic. Checks never write anything.

mod codex;
mod codex_schema;
mod html;
mod ledger;
mod links;
mod metrics;
mod pages;
mod refs;
mod review;
mod rules;
mod versions;

pub use codex::valid_profile_name;
pub use ledger::check as check_artifacts;

use crate::diag::Diagnostics;
use crate::model::Model;
use crate::model::values::Date;
use crate::source::Sources;

/// What a check run needs besides the model.
#[derive(Debug, Clone, Copy)]
pub struct CheckOptions {
    /// The date review deadlines and observation dates are judged against.
    pub today: Date,
    /// Warnings count as errors (`--strict`).
    pub strict: bool,
}

/// Runs every check on `model`.
pub fn run(model: &Model, sources: &Sources, opts: &CheckOptions, diags: &mut Diagnostics) {
    pages::check(model, sources, diags);
    pages::collisions(model, diags);
    links::check(model, sources, diags);
    html::check(model, sources, diags);
    let Some(g) = &model.governance else {
        return;
    };
    rules::check_book(model, diags);
    let ids = refs::check(g, diags);
    // Missing items (a file that failed to parse, or is absent) would make
    // every reference to them look dangling: report the cause only.
    if !model.incomplete && g.missing.is_empty() {
        refs::check_references(g, &ids, diags);
        metrics::check(model, &ids, opts.today, diags);
    }
    if let Some(p) = &g.profiles {
        codex::check(p, g.policy.as_ref(), diags);
    }
    rules::check(model, g, opts.today, diags);
    review::check(model, &ids, opts.today, diags);
    versions::check(model, sources, diags);
}
