//! `govbook check`.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use super::Cli;
use crate::check::CheckOptions;
use crate::diag::{Format, render};
use crate::failure::Failure;
use crate::pipeline;

/// Validates the book at `dir` and prints every diagnostic.
pub(super) fn run(
    cli: &Cli,
    dir: &Path,
    format: Format,
    strict: bool,
) -> Result<ExitCode, Failure> {
    let today = super::today(cli.today)?;
    let checked = pipeline::check(dir, &CheckOptions { today, strict });
    let diags = &checked.diags;
    match format {
        Format::Human => {
            let mut err = anstream::stderr().lock();
            let shown: Vec<_> = diags
                .items()
                .iter()
                .filter(|d| !cli.quiet || d.severity == crate::diag::Severity::Error)
                .cloned()
                .collect();
            render(&mut err, format, &shown, &checked.sources).map_err(super::output_failed)?;
            if !cli.quiet || diags.has_errors() {
                let (e, w) = (diags.errors(), diags.warnings());
                let line = format!("{e} error{}, {w} warning{}", plural(e), plural(w));
                if e > 0 {
                    writeln!(err, "govbook check: {line}: {} has problems", dir.display())
                        .map_err(super::output_failed)?;
                } else {
                    writeln!(err, "govbook check: {line}").map_err(super::output_failed)?;
                }
            }
        }
        Format::Sarif => {
            let mut out = std::io::stdout().lock();
            crate::diag::render_sarif(&mut out, diags.items(), &checked.sources, &repo_prefix(dir))
                .map_err(super::output_failed)?;
        }
        Format::Json => {
            let mut out = std::io::stdout().lock();
            render(&mut out, format, diags.items(), &checked.sources)
                .map_err(super::output_failed)?;
        }
        Format::Github => {
            // Annotations name files from the repository root, wherever
            // the handbook sits in it.
            let base = super::from_git_root(dir);
            let mut out = std::io::stdout().lock();
            crate::diag::render_at(&mut out, format, diags.items(), &checked.sources, &base)
                .map_err(super::output_failed)?;
        }
    }
    Ok(if diags.has_errors() {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

/// The book directory relative to the root of the git repository holding
/// it, with a final `/` (empty at the root or outside a repository): SARIF
/// locations are relative to the repository, diagnostics to the book.
fn repo_prefix(dir: &Path) -> String {
    let Ok(book) = std::fs::canonicalize(dir) else {
        return String::new();
    };
    let Some(root) = book.ancestors().find(|a| a.join(".git").exists()) else {
        return String::new();
    };
    match book.strip_prefix(root) {
        Ok(rel) if !rel.as_os_str().is_empty() => {
            format!("{}/", rel.to_string_lossy().replace('\\', "/"))
        }
        _ => String::new(),
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
