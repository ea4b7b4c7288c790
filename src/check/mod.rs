//! Checking: validates the typed model and reports every problem as a
//! diagnostic. Checks never write anything.

mod codex;
mod codex_risk;
mod codex_schema;
mod html;
mod invocations;
mod links;
mod mdbook_html;
mod metrics;
mod pages;
mod published;
mod refs;
mod review;
mod rules;
mod trailer;
mod versions;

pub use codex::valid_profile_name;
pub use mdbook_html::{check as check_mdbook_html, is_web_url};
pub use published::check as check_published;

use crate::diag::Diagnostics;
use crate::markdown::Outline;
use crate::model::Model;
use crate::text::Sources;
use crate::values::Date;

/// What a check run needs besides the model.
#[derive(Debug, Clone, Copy)]
pub struct CheckOptions {
    /// The date review deadlines and observation dates are judged against.
    pub today: Date,
    /// Warnings count as errors (`--strict`).
    pub strict: bool,
}

/// Runs every check on `model`. Returns the pages' outlines (in page
/// order), which `serve` keeps to check one edited page again.
pub fn run(
    model: &Model,
    sources: &Sources,
    opts: &CheckOptions,
    diags: &mut Diagnostics,
) -> Vec<Outline> {
    pages::check(model, sources, diags);
    pages::collisions(model, diags);
    let outlines = links::outlines(model, sources);
    links::check(model, &outlines, 0..model.pages.len(), diags);
    html::check(model, sources, &outlines, diags);
    // Templates become AGENTS.md and Codex files, as governance strings do.
    for (_, id) in &model.templates {
        crate::decode::hidden::check_text(&sources.get(*id).text, *id, diags);
    }
    let Some(g) = &model.governance else {
        return outlines;
    };
    rules::check_book(model, diags);
    let ids = refs::check(g, diags);
    // Missing items (a file that failed to parse, or is absent) would make
    // every reference to them look dangling: report the cause only.
    if !model.incomplete && g.missing.is_empty() {
        refs::check_references(g, &ids, diags);
        metrics::check(model, &ids, opts.today, diags);
        metrics::adoption_only(model, diags);
    }
    if let Some(p) = &g.profiles {
        // Approvers are checked against owners.toml only when every team
        // in it was read: a dropped team would look like a stranger.
        let owners = (!model.incomplete).then_some(g.owners.as_ref()).flatten();
        codex::check(p, g.policy.as_ref(), owners, opts.today, diags);
    }
    rules::check(model, g, opts.today, diags);
    review::check(model, &ids, opts.today, diags);
    versions::check(model, sources, diags);
    invocations::check(model, sources, diags);
    trailer::check(sources, diags);
    outlines
}

/// The checks that depend on a page's body rather than its front matter:
/// its links, its raw HTML and the Codex versions it cites. Enough after an edit that
/// left the page's front matter and headings as they were, since every
/// other check reads only those.
pub fn page_body(
    model: &Model,
    sources: &Sources,
    outlines: &[Outline],
    index: usize,
    diags: &mut Diagnostics,
) {
    links::check(model, outlines, [index], diags);
    if let Some(page) = model.pages.get(index) {
        if outlines.get(index).is_none_or(|o| o.has_html) {
            html::check_pages(model, sources, [page], diags);
        }
        versions::check_page(model, sources, page.file, diags);
        invocations::check_page(model, sources, page.file, diags);
        trailer::check_file(sources, page.file, diags);
    }
}

/// The links with an anchor, on every page, checked again after a page's
/// headings changed: one elsewhere may name an anchor that is gone. Links
/// without one cannot have broken.
pub fn anchor_links(model: &Model, outlines: &[Outline], diags: &mut Diagnostics) {
    let with_anchor = outlines
        .iter()
        .enumerate()
        .filter(|(_, o)| o.links.iter().any(|l| l.dest.contains('#')))
        .map(|(i, _)| i);
    links::check(model, outlines, with_anchor, diags);
}

/// The headings and links of one page.
pub fn outline(
    page: &crate::model::Page,
    sources: &Sources,
    flavor: &crate::markdown::Flavor,
) -> Outline {
    links::outline(page, sources, flavor)
}
