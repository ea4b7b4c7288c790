//! Artifacts: the files developers copy into repositories, rendered from the
//! model. Markdown artifacts come from the book's Tera templates
//! (`content/templates/*.tera`); the Codex config files and the JSON command
//! catalog are written by code, so their bytes are exact.
//!
//! An artifact is its **managed text** plus where it goes. Stamping (see
//! [`crate::stamp`]) and writing happen later.

pub mod ci;
pub mod codex;
mod context;
mod ledger;
pub mod manifest;
pub mod sandbox;

pub use ledger::check as check_artifacts;

use serde_json::Value;

use crate::diag::{Code, Diagnostic};
use crate::model::{Governance, Model};
use crate::stamp::{self, Stamp, Syntax};
use crate::text::Sources;

/// A Markdown artifact rendered from one of the book's Tera templates.
#[derive(Debug)]
pub struct MarkdownArtifact {
    /// The artifact id (manifest key, `--only` value).
    pub id: &'static str,
    /// The template under `content/templates/`.
    pub template: &'static str,
    /// Where it goes in a repository.
    pub path: &'static str,
    /// Its title on the templates page.
    pub title: &'static str,
}

/// The Markdown artifacts, in the order they are rendered.
pub const MARKDOWN: &[MarkdownArtifact] = &[
    MarkdownArtifact {
        id: "agents-md",
        template: "agents-md.tera",
        path: "AGENTS.md",
        title: "Repository instructions (AGENTS.md)",
    },
    MarkdownArtifact {
        id: "usage-policy",
        template: "usage-policy.tera",
        path: "docs/codex/usage-policy.md",
        title: "Team usage policy",
    },
    MarkdownArtifact {
        id: "cloud-task-policy",
        template: "cloud-task-policy.tera",
        path: "docs/codex/cloud-task-policy.md",
        title: "Codex Cloud task policy",
    },
    MarkdownArtifact {
        id: "verification-commands",
        template: "verification-commands.tera",
        path: "docs/codex/verification-commands.md",
        title: "Verification command catalog",
    },
    MarkdownArtifact {
        id: "high-risk-change-checklist",
        template: "high-risk-change-checklist.tera",
        path: "docs/codex/high-risk-change-checklist.md",
        title: "High-risk change checklist",
    },
    MarkdownArtifact {
        id: "upgrade-checklist",
        template: "upgrade-checklist.tera",
        path: "docs/codex/upgrade-checklist.md",
        title: "Upgrade checklist",
    },
    MarkdownArtifact {
        id: "pull-request-template",
        template: "pull-request-template.tera",
        path: ".github/pull_request_template.md",
        title: "Pull request template",
    },
];

/// Codex's default `project_doc_max_bytes`: AGENTS.md text past it is cut.
pub const AGENTS_MAX_BYTES: usize = 32 * 1024;

/// What a repository owns below the AGENTS.md managed region in a new file.
const AGENTS_LOCAL: &str = "\n## Repository notes\n\n\
<!-- Everything below the managed region belongs to this repository: govbook apply never changes it. -->\n\n\
Describe this repository here: how to build and test it, its layout, and anything Codex must know.\n";

/// One artifact.
#[derive(Debug, Clone)]
pub struct Artifact {
    /// Stable id (`agents-md`, `codex-profile-standard`, …).
    pub id: String,
    /// Human title.
    pub title: String,
    /// Path in a repository.
    pub path: String,
    /// Comment syntax.
    pub format: Syntax,
    /// The managed text (for JSON, the canonical document).
    pub body: String,
    /// The JSON document, for JSON artifacts.
    pub json: Option<Value>,
}

impl Artifact {
    /// sha256 of the managed text.
    pub fn hash(&self) -> String {
        stamp::hash(&self.body)
    }

    /// The stamp for this artifact at a handbook version.
    pub fn stamp(&self, team: Option<&str>, version: &str, baseline: &str) -> Stamp {
        Stamp {
            id: self.id.clone(),
            team: team.map(str::to_owned),
            version: version.to_owned(),
            baseline: format!("codex-cli@{baseline}"),
            sha256: self.hash(),
        }
    }

    /// The whole text of a new file holding this artifact.
    pub fn file_text(&self, stamp: &Stamp) -> String {
        match (&self.json, self.format) {
            (Some(v), _) => stamp::json::stamped(v, stamp),
            (None, format) => {
                let mut text = stamp::wrap(format, stamp, &self.body);
                match self.id.as_str() {
                    "agents-md" => text.push_str(AGENTS_LOCAL),
                    "codex-config" => text.push_str(codex::BASE_LOCAL),
                    _ => {}
                }
                text
            }
        }
    }
}

/// The artifacts of one audience: everyone (`team` is `None`) or one team
/// with overrides.
#[derive(Debug, Clone)]
pub struct ArtifactSet {
    /// The team of a variant set.
    pub team: Option<String>,
    /// Its artifacts, in a fixed order.
    pub artifacts: Vec<Artifact>,
}

/// Renders the default set and one set per team with overrides.
pub fn render_all(model: &Model, sources: &Sources) -> Result<Vec<ArtifactSet>, Vec<Diagnostic>> {
    let Some(g) = &model.governance else {
        return Ok(Vec::new());
    };
    let tera = compile(model, sources)?;
    let mut sets = vec![render_set(model, g, &tera, None)?];
    if let Some(owners) = &g.owners {
        for t in &owners.value.team {
            let t = t.get_ref();
            if t.overrides.is_some() {
                sets.push(render_set(model, g, &tera, Some(t.id.as_str()))?);
            }
        }
    }
    Ok(sets)
}

fn compile(model: &Model, sources: &Sources) -> Result<tera::Tera, Vec<Diagnostic>> {
    let mut tera = tera::Tera::default();
    sandbox::apply(&mut tera);
    tera.autoescape_on(vec![]);
    let mut errors = Vec::new();
    for MarkdownArtifact { template, .. } in MARKDOWN {
        if !model.templates.iter().any(|(n, _)| n == template) {
            let dir = model
                .config
                .src_dir(std::path::Path::new(""))
                .join("templates");
            errors.push(
                Diagnostic::new(
                    Code::ArtifactTemplate,
                    format!("the artifact template {template} is missing"),
                )
                .at_path(&dir.join(template))
                .with_hint("`govbook init` writes the default templates"),
            );
        }
    }
    for (name, file) in &model.templates {
        if let Err(e) = tera.add_raw_template(name, &sources.get(*file).text) {
            errors.push(
                Diagnostic::new(
                    Code::ArtifactTemplate,
                    format!("template {name}: {}", crate::diag::error_chain(&e)),
                )
                .at_span(*file, 0..0),
            );
        }
    }
    if errors.is_empty() {
        Ok(tera)
    } else {
        Err(errors)
    }
}

fn render_set(
    model: &Model,
    g: &Governance,
    tera: &tera::Tera,
    team: Option<&str>,
) -> Result<ArtifactSet, Vec<Diagnostic>> {
    let ctx_value = context::build(model, g, team);
    let ctx = tera::Context::from_value(ctx_value.clone()).map_err(|e| {
        vec![Diagnostic::new(
            Code::ArtifactTemplate,
            format!("template context: {e}"),
        )]
    })?;
    let mut artifacts = Vec::new();
    let mut errors = Vec::new();
    for MarkdownArtifact {
        id,
        template,
        path,
        title,
    } in MARKDOWN
    {
        let rendered = tera
            .render(template, &ctx)
            .map_err(|e| crate::diag::error_chain(&e))
            .and_then(sandbox::bounded);
        match rendered {
            Ok(body) => artifacts.push(Artifact {
                id: (*id).to_owned(),
                title: (*title).to_owned(),
                path: (*path).to_owned(),
                format: Syntax::Markdown,
                body,
                json: None,
            }),
            Err(e) => {
                let file = model
                    .templates
                    .iter()
                    .find(|(n, _)| n == template)
                    .map(|(_, f)| *f);
                let d =
                    Diagnostic::new(Code::ArtifactTemplate, format!("template {template}: {e}"));
                errors.push(match file {
                    Some(f) => d.at_span(f, 0..0),
                    None => d,
                });
            }
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let json = context::commands_json(&ctx_value);
    artifacts.push(Artifact {
        id: "verification-commands-json".into(),
        title: "Verification command catalog (JSON)".into(),
        path: "docs/codex/verification-commands.json".into(),
        format: Syntax::Json,
        body: stamp::json::canonical(&json),
        json: Some(json),
    });
    if let Some(p) = &g.profiles {
        let allowed = context::team_profiles(g, team);
        artifacts.extend(codex::artifacts(&p.value, allowed.as_deref()));
    }
    artifacts.push(ci::artifact(model));
    Ok(ArtifactSet {
        team: team.map(str::to_owned),
        artifacts,
    })
}
