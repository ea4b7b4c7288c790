//! `templates/manifest.json`: every artifact with its current version and
//! hash, the hash of every released version, and the release notes. It is
//! all `govbook drift` needs besides the files it scans.
//!
//! Schema `govbook-manifest/1`:
//!
//! ```json
//! {
//!   "schema": "govbook-manifest/1",
//!   "handbook": { "title": "…", "version": "2026.11.0" },
//!   "baseline": "codex-cli@0.139.0",
//!   "artifacts": {
//!     "agents-md": {
//!       "title": "…", "path": "AGENTS.md", "format": "markdown",
//!       "version": "2026.11.0", "sha256": "…",
//!       "released": { "2026.10.0": "…" },
//!       "teams": { "payments": { "sha256": "…", "released": { "2026.10.0": "…" } } }
//!     }
//!   },
//!   "releases": [ { "version": "2026.10.0", "date": "2026-10-01", "notes": "…" } ]
//! }
//! ```
//!
//! `released` maps each released handbook version to the sha256 of the
//! artifact's managed text in that release. Team variants have their own
//! hashes under `teams`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::ArtifactSet;
use crate::model::Model;

/// The schema name written into every manifest.
pub const SCHEMA: &str = "govbook-manifest/1";

/// The manifest.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, schemars::JsonSchema)]
pub struct Manifest {
    /// Always [`SCHEMA`].
    pub schema: String,
    /// The handbook the artifacts come from.
    pub handbook: Handbook,
    /// The pinned Codex CLI as `codex-cli@VERSION`, or empty.
    pub baseline: String,
    /// Every artifact, by id.
    pub artifacts: BTreeMap<String, Entry>,
    /// Every release of the ledger, in ledger order.
    pub releases: Vec<ReleaseInfo>,
}

/// The handbook the manifest describes.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, schemars::JsonSchema)]
pub struct Handbook {
    /// `[book] title`, or empty.
    pub title: String,
    /// The current handbook version (`[book] version`), or empty.
    pub version: String,
}

/// One artifact.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, schemars::JsonSchema)]
pub struct Entry {
    /// Human title.
    pub title: String,
    /// Path in a repository.
    pub path: String,
    /// `markdown`, `toml` or `json`.
    pub format: String,
    /// The current handbook version.
    pub version: String,
    /// sha256 of the current managed text.
    pub sha256: String,
    /// Each released handbook version to the sha256 of the managed text in that
    /// release.
    #[serde(default)]
    pub released: BTreeMap<String, String>,
    /// The team variants, by team id.
    #[serde(default)]
    pub teams: BTreeMap<String, TeamEntry>,
}

/// A team's variant of an artifact.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, schemars::JsonSchema)]
pub struct TeamEntry {
    /// sha256 of the variant's current managed text.
    pub sha256: String,
    /// Each released handbook version to the sha256 of the variant's managed text
    /// in that release.
    #[serde(default)]
    pub released: BTreeMap<String, String>,
}

/// A release and its notes.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, schemars::JsonSchema)]
pub struct ReleaseInfo {
    /// The released handbook version.
    pub version: String,
    /// Release date, `YYYY-MM-DD`.
    pub date: String,
    /// Release notes.
    pub notes: String,
}

/// The ledger key of an artifact: its id, or `id/team` for a team variant.
pub fn ledger_key(id: &str, team: Option<&str>) -> String {
    match team {
        Some(t) => format!("{id}/{t}"),
        None => id.to_owned(),
    }
}

/// One `[[release]]` entry of `governance/releases.toml`: the hash of
/// every rendered artifact under `version`, serialized as TOML.
pub fn ledger_entry(
    version: &str,
    date: crate::values::Date,
    notes: &str,
    sets: &[ArtifactSet],
) -> Result<String, crate::failure::Failure> {
    #[derive(Serialize)]
    struct Ledger<'a> {
        release: [Release<'a>; 1],
    }
    #[derive(Serialize)]
    struct Release<'a> {
        version: &'a str,
        date: toml::value::Datetime,
        notes: &'a str,
        artifacts: BTreeMap<String, String>,
    }
    let artifacts = sets
        .iter()
        .flat_map(|set| {
            set.artifacts
                .iter()
                .map(|a| (ledger_key(&a.id, set.team.as_deref()), a.hash()))
        })
        .collect();
    let ledger = Ledger {
        release: [Release {
            version,
            date: date
                .to_string()
                .parse()
                .map_err(|e| crate::failure::failed(format!("release date {date}: {e}")))?,
            notes,
            artifacts,
        }],
    };
    toml::to_string(&ledger)
        .map_err(|e| crate::failure::failed(format!("cannot write the ledger entry: {e}")))
}

/// Builds the manifest from the rendered sets and the release ledger.
pub fn build(model: &Model, sets: &[ArtifactSet]) -> Manifest {
    let version = model.config.version();
    let baseline = match model.config.baseline() {
        b if b.is_empty() => b,
        b => format!("codex-cli@{b}"),
    };
    let releases: Vec<&crate::model::Release> = model
        .governance
        .as_ref()
        .and_then(|g| g.releases.as_ref())
        .map(|r| r.value.release.iter().map(|r| r.get_ref()).collect())
        .unwrap_or_default();
    let released = |key: &str| -> BTreeMap<String, String> {
        releases
            .iter()
            .filter_map(|r| {
                Some((
                    r.version.get_ref().to_string(),
                    r.artifacts.get(key)?.clone(),
                ))
            })
            .collect()
    };
    let mut artifacts = BTreeMap::new();
    for set in sets.iter().filter(|s| s.team.is_none()) {
        for a in &set.artifacts {
            artifacts.insert(
                a.id.clone(),
                Entry {
                    title: a.title.clone(),
                    path: a.path.clone(),
                    format: a.format.name().to_owned(),
                    version: version.clone(),
                    sha256: a.hash(),
                    released: released(&a.id),
                    teams: BTreeMap::new(),
                },
            );
        }
    }
    for set in sets {
        let Some(team) = &set.team else { continue };
        for a in &set.artifacts {
            if let Some(e) = artifacts.get_mut(&a.id) {
                e.teams.insert(
                    team.clone(),
                    TeamEntry {
                        sha256: a.hash(),
                        released: released(&ledger_key(&a.id, Some(team))),
                    },
                );
            }
        }
    }
    Manifest {
        schema: SCHEMA.to_owned(),
        handbook: Handbook {
            title: model.config.book.title.clone().unwrap_or_default(),
            version,
        },
        baseline,
        artifacts,
        releases: releases
            .iter()
            .map(|r| ReleaseInfo {
                version: r.version.get_ref().to_string(),
                date: r.date.to_string(),
                notes: r.notes.clone(),
            })
            .collect(),
    }
}
