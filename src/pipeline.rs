//! The stages run in order: load, parse, check, render, write. Commands
//! call these rather than the stages one by one.

use std::path::{Path, PathBuf};

use crate::check::{self, CheckOptions};
use crate::config::{self, BookConfig};
use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::failure::{Failure, usage};
use crate::markdown::Outline;
use crate::model::{self, Model};
use crate::site::{self, Rendered, SiteOptions, Theme};
use crate::source;
use crate::templates::{self, ArtifactSet};
use crate::text::Sources;

/// Everything one run knows about a book.
pub struct Checked {
    /// The loaded text.
    pub sources: Sources,
    /// The typed model (partial when there were errors).
    pub model: Model,
    /// The compiled theme, when it compiled.
    pub theme: Option<Theme>,
    /// The rendered artifacts (default set first, then team sets), when
    /// the sources had no errors.
    pub artifacts: Vec<ArtifactSet>,
    /// Every problem found.
    pub diags: Diagnostics,
    /// Each page's headings and links, in page order.
    pub outlines: Vec<Outline>,
    /// How long each stage took and what it made (`build -v` prints them).
    pub stages: Vec<Stage>,
}

/// One stage of a run, timed.
#[derive(Debug, Clone)]
pub struct Stage {
    /// The stage: `load`, `parse`, `check`, `artifacts`, `render and write`.
    pub name: &'static str,
    /// How long it took.
    pub took: std::time::Duration,
    /// What it made, in a few words (`41 files, 389 KiB`).
    pub made: String,
}

/// Times stages one after another.
struct Stopwatch {
    last: std::time::Instant,
    stages: Vec<Stage>,
}

impl Stopwatch {
    fn new() -> Self {
        Stopwatch {
            last: std::time::Instant::now(),
            stages: Vec::new(),
        }
    }

    /// Ends the stage `name` now.
    fn lap(&mut self, name: &'static str, made: String) {
        let now = std::time::Instant::now();
        self.stages.push(Stage {
            name,
            took: now - self.last,
            made,
        });
        self.last = now;
    }
}

impl Checked {
    /// The artifacts a repository of `team` gets (the default set without
    /// a team, or for a team that overrides nothing).
    pub fn artifact_set(&self, team: Option<&str>) -> Result<&ArtifactSet, Failure> {
        if let Some(t) = team {
            let teams: Vec<&str> = self
                .model
                .governance
                .as_ref()
                .and_then(|g| g.owners.as_ref())
                .map(|o| {
                    o.value
                        .team
                        .iter()
                        .map(|x| x.get_ref().id.as_str())
                        .collect()
                })
                .unwrap_or_default();
            if !teams.contains(&t) {
                let hint = crate::diag::did_you_mean(t, teams.iter().copied())
                    .map(|h| format!(" ({h})"))
                    .unwrap_or_default();
                return Err(usage(format!(
                    "--team {t}: no such team in owners.toml{hint}"
                )));
            }
            if let Some(set) = self.artifacts.iter().find(|s| s.team.as_deref() == Some(t)) {
                return Ok(set);
            }
        }
        self.artifacts
            .first()
            .ok_or_else(|| usage("this book renders no artifacts (it has no governance sources)"))
    }
}

/// Loads, parses and checks the book at `root` (its theme included).
pub fn check(root: &Path, opts: &CheckOptions) -> Checked {
    let mut watch = Stopwatch::new();
    let mut diags = Diagnostics::default();
    let mut sources = Sources::new(root);
    let book = Path::new("book.toml");
    if !root.join(book).exists() {
        let hint = if root.is_dir() {
            "run `govbook init` to create a handbook, or point to the directory that holds book.toml"
        } else {
            "the book directory does not exist"
        };
        diags.push(
            Diagnostic::new(
                Code::MissingBookToml,
                format!("no book.toml in {}", root.display()),
            )
            .at_path(book)
            .with_hint(hint),
        );
        return Checked {
            sources,
            model: Model::default(),
            theme: None,
            artifacts: Vec::new(),
            diags,
            outlines: Vec::new(),
            stages: Vec::new(),
        };
    }
    let mut config = match crate::source::read(&mut sources, book, &mut diags) {
        Some(id) => config::parse(&sources, id, &mut diags),
        None => BookConfig::default(),
    };
    let src = config.settle(root);
    let names = |l: &[config::html::Named]| l.iter().map(|n| n.value.clone()).collect::<Vec<_>>();
    let (css, js) = (
        names(&config.html.additional_css),
        names(&config.html.additional_js),
    );
    if !css.is_empty() || !js.is_empty() {
        config.flavor.classes =
            std::sync::Arc::new(crate::markdown::classes::of_book(root, &css, &js));
    }
    build_dir_stays_inside(root, &config, &mut diags);
    let theme_name = config
        .site
        .theme
        .clone()
        .unwrap_or_else(|| "default".into());
    let mut tree = source::load_tree(&mut sources, &src, &mut diags);
    let listed = tree
        .summary
        .map(|id| model::summary::listed(&sources.get(id).text, id));
    source::read_pages(&mut sources, &mut tree, listed.as_ref(), &mut diags);
    let include_root = include_root(root, &config, &mut diags);
    let missing_anchor = crate::diag::dangling(tree.has_governance);
    // Only when book.toml is sound: it decides which programs run.
    let linked = if diags.has_errors() {
        None
    } else {
        let scope = crate::preprocess::IncludeScope {
            src: &src,
            include_root: include_root.as_deref(),
            missing_anchor,
        };
        crate::preprocess::run(root, &config, &mut sources, &tree, &scope, &mut diags)
    };
    let overrides = source::load_theme(root, &theme_name, &mut diags);
    let includes = match linked {
        Some(includes) => includes,
        None => source::load_includes(
            &mut sources,
            &src,
            &tree.pages,
            include_root.as_deref(),
            missing_anchor,
            &mut diags,
        ),
    };
    let (files, bytes) = sources
        .ids()
        .fold((0, 0), |(n, b), id| (n + 1, b + sources.get(id).text.len()));
    watch.lap("load", format!("{files} files, {} KiB", bytes / 1024));
    let mut model = model::parse(&sources, config, tree, &includes, &mut diags);
    model.fleet = model::fleet::load(root, &model.config, &mut sources, &mut diags);
    let governance = model
        .governance
        .as_ref()
        .map_or(0, |g| g.reviews().len() + usize::from(g.releases.is_some()));
    watch.lap(
        "parse",
        format!(
            "{} pages, {governance} governance files, {} observations",
            model.pages.len(),
            model.observations.len()
        ),
    );
    check::check_published(&model, &mut sources, &mut diags);
    check::check_mdbook_html(&model, &sources, &mut diags);
    let outlines = check::run(&model, &sources, opts, &mut diags);
    let theme = match Theme::new(overrides, &format!("themes/{theme_name}")) {
        Ok(t) => Some(t),
        Err(d) => {
            diags.push(d);
            None
        }
    };
    watch.lap(
        "check",
        format!("{} errors, {} warnings", diags.errors(), diags.warnings()),
    );
    // Artifacts are rendered even by `check`: the ledger and AGENTS.md
    // size rules are about their text.
    let mut artifacts = Vec::new();
    if !diags.has_errors() {
        match templates::render_all(&model, &sources) {
            Ok(sets) => {
                templates::check_artifacts(&model, &sets, &mut diags);
                artifacts = sets;
            }
            Err(errors) => errors.into_iter().for_each(|d| diags.push(d)),
        }
    }
    let made: usize = artifacts
        .iter()
        .map(|s: &ArtifactSet| s.artifacts.len())
        .sum();
    watch.lap(
        "artifacts",
        format!("{made} artifacts in {} sets", artifacts.len()),
    );
    if opts.strict {
        diags.promote_warnings();
    }
    Checked {
        sources,
        model,
        theme,
        artifacts,
        diags,
        outlines,
        stages: watch.stages,
    }
}

/// `[build] include-root` (or `[output.site] include-root`), canonical,
/// when it names a directory that contains the book root; a GB009 error at
/// the value otherwise, and a GB104 error when both are set.
fn include_root(root: &Path, config: &BookConfig, diags: &mut Diagnostics) -> Option<PathBuf> {
    let (build, site) = (&config.build.include_root, &config.site.include_root);
    if let (Some(_), Some(second)) = (build, site) {
        let mut d = Diagnostic::new(
            Code::InvalidValue,
            "include-root is set under both [build] and [output.site]",
        )
        .with_hint("keep one: [output.site] when the book is also built with mdBook 0.5");
        if let Some(file) = config.file {
            d = d.at_span(file, second.span());
        }
        diags.push(d);
        return None;
    }
    let value = build.as_ref().or(site.as_ref())?;
    let canon_root = std::fs::canonicalize(root).ok()?;
    match std::fs::canonicalize(root.join(value.get_ref())) {
        Ok(dir) if dir.is_dir() && canon_root.starts_with(&dir) => Some(dir),
        _ => {
            let mut d = Diagnostic::new(
                Code::OutsideRoot,
                format!(
                    "include-root `{}` is not a directory that contains the book",
                    value.get_ref()
                ),
            )
            .with_hint("name the book root or a directory above it, such as \"..\"");
            if let Some(file) = config.file {
                d = d.at_span(file, value.span());
            }
            diags.push(d);
            None
        }
    }
}

/// `[build] build-dir` must not lead out of the book through a link (the
/// lexical rule is checked with book.toml).
fn build_dir_stays_inside(root: &Path, config: &BookConfig, diags: &mut Diagnostics) {
    let Some(dir) = &config.build.build_dir else {
        return;
    };
    let Some(rel) = crate::text::lexical_path(Path::new(dir)) else {
        return; // reported by config::parse
    };
    let Ok(canon_root) = std::fs::canonicalize(root) else {
        return;
    };
    // The deepest part of the path that exists decides where it leads.
    let mut existing = root.join(&rel);
    while existing.symlink_metadata().is_err() {
        if !existing.pop() {
            return;
        }
    }
    if !source::stays_inside(&existing, &canon_root) {
        let span = config.spans.value("build.build-dir").unwrap_or(0..0);
        let d = Diagnostic::new(
            Code::OutsideRoot,
            format!("build-dir `{dir}` leads (through a link) outside the book root"),
        )
        .with_hint(
            "name a real directory below book.toml; use `govbook build -o DIR` to write elsewhere",
        );
        diags.push(match config.file {
            Some(file) => d.at_span(file, span),
            None => d.at_path(Path::new("book.toml")),
        });
    }
}

/// The result of a build.
pub struct Built {
    /// Everything `check` found.
    pub checked: Checked,
    /// What was written, when the site was rendered and written.
    pub site: Option<Rendered>,
    /// Where it was written.
    pub out: PathBuf,
}

/// Checks, renders and writes the book at `root` into `out` (default: the
/// book's `[build] build-dir`). Nothing is written when there are errors.
///
/// `progress` is told the number of pages once they are known, and returns
/// the per-page callback.
pub fn build(
    root: &Path,
    out: Option<&Path>,
    opts: &CheckOptions,
    progress: &dyn Fn(usize) -> Option<Box<dyn Fn() + Sync>>,
) -> Built {
    let mut checked = check(root, opts);
    let out = out
        .map(Path::to_path_buf)
        .unwrap_or_else(|| root.join(checked.model.config.build_dir()));
    let tick = progress(checked.model.pages.len());
    let started = std::time::Instant::now();
    let site = render_and_write(&mut checked, root, &out, opts, tick.as_deref());
    if let Some(r) = &site {
        checked.stages.push(Stage {
            name: "render and write",
            took: started.elapsed(),
            made: format!("{} pages, {} files", r.pages, r.files),
        });
    }
    Built { checked, site, out }
}

fn render_and_write(
    checked: &mut Checked,
    root: &Path,
    out: &Path,
    opts: &CheckOptions,
    on_page: Option<&(dyn Fn() + Sync)>,
) -> Option<Rendered> {
    if checked.diags.has_errors() {
        return None;
    }
    let theme = checked.theme.as_ref()?;
    let src = checked.model.config.src_dir(root);
    let failed = |checked: &mut Checked, d: Diagnostic| {
        checked.diags.push(d);
        None
    };
    let staging = match crate::output::Staging::new(out, root, &src) {
        Ok(s) => s,
        Err(msg) => return failed(checked, write_failure(out, msg)),
    };
    let sink = crate::output::DirSink::reusing(staging.path(), staging.previous());
    let site_opts = SiteOptions {
        today: opts.today,
        on_page,
    };
    let rendered = site::render(
        &checked.model,
        &checked.sources,
        &checked.artifacts,
        theme,
        &site_opts,
        &sink,
    );
    match rendered {
        // Dropping the staging deletes it: the old site stays as it was.
        Err(d) => failed(checked, d),
        Ok(r) => match staging.commit() {
            Ok(()) => Some(r),
            Err(msg) => failed(checked, write_failure(out, msg)),
        },
    }
}

fn write_failure(out: &Path, failure: crate::failure::Failure) -> Diagnostic {
    Diagnostic::new(Code::OutputWrite, failure.to_string())
        .at_path(out)
        .with_hint("the previous site, if any, is untouched")
}
