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
        };
    }
    let config = match crate::source::read(&mut sources, book, &mut diags) {
        Some(id) => config::parse(&sources, id, &mut diags),
        None => BookConfig::default(),
    };
    let src = config.src_dir(root);
    build_dir_stays_inside(root, &config, &mut diags);
    let theme_name = config
        .site
        .theme
        .clone()
        .unwrap_or_else(|| "default".into());
    let tree = source::load_tree(&mut sources, &src, &mut diags);
    let overrides = source::load_theme(root, &theme_name, &mut diags);
    let includes = source::load_includes(&mut sources, &src, &tree.pages, &mut diags);
    let mut model = model::parse(&sources, config, tree, &includes, &mut diags);
    model.fleet = model::fleet::load(root, &model.config, &mut sources, &mut diags);
    check::check_published(&model, &mut sources, &mut diags);
    let outlines = check::run(&model, &sources, opts, &mut diags);
    let theme = match Theme::new(overrides, &format!("themes/{theme_name}")) {
        Ok(t) => Some(t),
        Err(d) => {
            diags.push(d);
            None
        }
    };
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
    let site = render_and_write(&mut checked, root, &out, opts, tick.as_deref());
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
