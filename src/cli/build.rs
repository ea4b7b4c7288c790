//! `govbook build`.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

use super::Cli;
use crate::check::CheckOptions;
use crate::diag::{Format, Severity, render};
use crate::failure::Failure;
use crate::pipeline;

/// Checks, renders and writes the site; prints diagnostics and a summary.
pub(super) fn run(
    cli: &Cli,
    dir: &Path,
    out: Option<&Path>,
    strict: bool,
) -> Result<ExitCode, Failure> {
    let today = super::today(cli.today)?;
    let started = Instant::now();
    let quiet = cli.quiet;
    let bar = indicatif::ProgressBar::hidden();
    let progress = |pages: usize| -> Option<Box<dyn Fn() + Sync>> {
        if quiet || !std::io::IsTerminal::is_terminal(&std::io::stderr()) {
            return None;
        }
        bar.set_length(pages as u64);
        if let Ok(style) =
            indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} pages {elapsed}")
        {
            bar.set_style(style);
        }
        let bar = bar.clone();
        // Only builds that take longer than about a second show a bar.
        Some(Box::new(move || {
            bar.inc(1);
            if bar.is_hidden() && started.elapsed().as_millis() > 1000 {
                bar.set_draw_target(indicatif::ProgressDrawTarget::stderr());
            }
        }))
    };
    let built = pipeline::build(dir, out, &CheckOptions { today, strict }, &progress);
    bar.finish_and_clear();
    let diags = &built.checked.diags;
    let mut err = anstream::stderr().lock();
    let shown: Vec<_> = diags
        .items()
        .iter()
        .filter(|d| !cli.quiet || d.severity == Severity::Error)
        .cloned()
        .collect();
    render(&mut err, Format::Human, &shown, &built.checked.sources)
        .map_err(super::output_failed)?;
    match &built.site {
        Some(site) if !diags.has_errors() => {
            if cli.verbose {
                for stage in &built.checked.stages {
                    writeln!(
                        err,
                        "govbook build: {:<16} {:>6} ms  {}",
                        stage.name,
                        stage.took.as_millis(),
                        stage.made
                    )
                    .map_err(super::output_failed)?;
                }
            }
            super::warn_unreleased(cli, &built.checked);
            if !cli.quiet {
                let ms = started.elapsed().as_millis();
                let w = diags.warnings();
                writeln!(
                    err,
                    "govbook build: {} pages, {} files, {w} warning{} in {ms} ms -> {}",
                    site.pages,
                    site.files,
                    if w == 1 { "" } else { "s" },
                    built.out.display()
                )
                .map_err(super::output_failed)?;
            }
            Ok(ExitCode::SUCCESS)
        }
        _ => {
            // Only an output that exists can be "as it was".
            let kept = if built.out.exists() {
                format!(" ({} is as it was)", built.out.display())
            } else {
                String::new()
            };
            writeln!(
                err,
                "govbook build: {} error{}; nothing was written{kept}",
                diags.errors(),
                if diags.errors() == 1 { "" } else { "s" },
            )
            .map_err(super::output_failed)?;
            Ok(ExitCode::FAILURE)
        }
    }
}
