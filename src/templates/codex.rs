//! Codex config files: the base `config.toml` (with the `[permissions.NAME]`
//! profiles for `codex sandbox -P NAME`) and one `NAME.config.toml` per
//! approved profile, the layout Codex CLI 0.134.0 and later read for
//! `codex -p NAME` from `$CODEX_HOME`.
//!
//! They go to `.codex/home/` in a repository, never `.codex/config.toml`:
//! Codex loads a trusted project's `.codex/config.toml` above every profile,
//! so a base config there would override the profile a user asked for. And
//! under `.codex/` the sandbox keeps them read-only for the agent itself.
//!
//! `.codex/home/` is a live Codex home, so Codex writes its own state there
//! (credentials, installation id, sessions, logs, databases, skills) and
//! appends per-machine tables (trusted projects, plugins, notices) to
//! `config.toml`. The `.gitignore` artifact keeps all of it out of git: only
//! the profile files and the ignore file itself are committed. `config.toml`
//! is installed by `govbook apply` in each checkout and never committed,
//! because Codex writes absolute paths into it. Its managed region comes
//! first and a `[projects]` table follows it, so the tables Codex appends
//! land after the region and never read as drift.

use super::Artifact;
use crate::model::{Profiles, RiskException};
use crate::stamp::Syntax;

/// Where the base config goes in a repository.
pub const BASE_PATH: &str = ".codex/home/config.toml";

/// Where the ignore file for the Codex home goes in a repository.
pub const IGNORE_PATH: &str = ".codex/home/.gitignore";

/// What follows the base config's managed region in a new file. Codex adds
/// new tables after the last table of the file and before trailing
/// comments, so without a table here its trust entries would land inside
/// the region.
pub const BASE_LOCAL: &str = "\n# Below the managed region: settings Codex writes for this machine\n\
# (trusted projects, plugins, notices). govbook apply never changes them,\n\
# and this file is not committed (see .gitignore beside it).\n\
[projects]\n";

/// The ignore file: everything in the Codex home but the profile files is
/// Codex's own state or per-machine, and must not be committed.
const IGNORE_BODY: &str = "# This directory is a Codex home (CODEX_HOME=.codex/home). Codex writes its\n\
# credentials (auth.json), installation id, sessions, logs, databases and\n\
# skills here, and per-machine tables into config.toml: none of it is\n\
# committed. Only the approved profile files and this file are tracked;\n\
# config.toml is installed in each checkout by `govbook apply`.\n\
/*\n\
!/.gitignore\n\
!/*.config.toml\n";

/// Where a profile file goes in a repository.
pub fn profile_path(name: &str) -> String {
    format!(".codex/home/{name}.config.toml")
}

/// `toml` omits the final newline; files end with one.
fn body(comment: &str, table: &toml::Table) -> String {
    let mut text = format!("{comment}\n");
    text.push_str(&toml::to_string(table).unwrap_or_default());
    if !text.ends_with('\n') {
        text.push('\n');
    }
    text
}

/// Comment lines naming each recorded exception, so whoever opens the file
/// sees what it was allowed and by whom.
fn exceptions(whose: &str, list: &[toml::Spanned<RiskException>]) -> String {
    let mut out = String::new();
    for e in list {
        let e = e.get_ref();
        let why: String = e
            .justification
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        out.push_str(&format!(
            "\n# Exception ({whose}): {} (approved by {}, expires {}): {why}",
            e.setting.get_ref(),
            e.approver.get_ref().as_str(),
            e.expires.get_ref()
        ));
    }
    out
}

/// Every exception in the book: the base config lists them all.
fn all_exceptions(p: &Profiles) -> String {
    let mut out = String::new();
    if let Some(b) = &p.base {
        out.push_str(&exceptions("base", &b.get_ref().exception));
    }
    for pp in &p.permissions {
        let pp = pp.get_ref();
        out.push_str(&exceptions(
            &format!("permissions {}", pp.name.get_ref()),
            &pp.exception,
        ));
    }
    for pr in &p.profile {
        let pr = pr.get_ref();
        out.push_str(&exceptions(
            &format!("profile {}", pr.name.get_ref()),
            &pr.exception,
        ));
    }
    out
}

/// The base config and the profile files (only `allowed` profiles, when a
/// team narrows them).
pub fn artifacts(p: &Profiles, allowed: Option<&[String]>) -> Vec<Artifact> {
    let mut out = Vec::new();
    let mut base = p
        .base
        .as_ref()
        .map(|b| b.get_ref().config.get_ref().clone())
        .unwrap_or_default();
    if !p.permissions.is_empty() {
        let mut perms = toml::Table::new();
        for pp in &p.permissions {
            let pp = pp.get_ref();
            perms.insert(
                pp.name.get_ref().clone(),
                toml::Value::Table(pp.config.get_ref().clone()),
            );
        }
        base.insert("permissions".into(), toml::Value::Table(perms));
    }
    out.push(Artifact {
        id: "codex-config".into(),
        title: "Base Codex config".into(),
        path: BASE_PATH.into(),
        format: Syntax::Toml,
        body: body(
            &format!(
                "# Base Codex config: every approved profile layers over it.\n\
                 # Use with CODEX_HOME=.codex/home, or copy to ~/.codex/config.toml.{}",
                all_exceptions(p)
            ),
            &base,
        ),
        json: None,
    });
    out.push(Artifact {
        id: "codex-home-ignore".into(),
        title: "Codex home ignore file".into(),
        path: IGNORE_PATH.into(),
        format: Syntax::Toml,
        body: IGNORE_BODY.into(),
        json: None,
    });
    for prof in &p.profile {
        let pr = prof.get_ref();
        let name = pr.name.get_ref();
        if allowed.is_some_and(|a| !a.contains(name)) {
            continue;
        }
        out.push(Artifact {
            id: format!(
                "codex-profile-{}",
                name.to_ascii_lowercase().replace('_', "-")
            ),
            title: format!("Codex profile: {}", pr.title),
            path: profile_path(name),
            format: Syntax::Toml,
            body: body(
                &format!(
                    "# Codex profile `{name}`: `codex -p {name}` layers it over config.toml.{}",
                    exceptions(&format!("profile {name}"), &pr.exception)
                ),
                pr.config.get_ref(),
            ),
            json: None,
        });
    }
    out
}
