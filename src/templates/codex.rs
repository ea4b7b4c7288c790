//! Codex config files: the base `config.toml` (with the `[permissions.NAME]`
//! profiles for `codex sandbox -P NAME`) and one `NAME.config.toml` per
//! approved profile, the layout Codex CLI 0.134.0 and later read for
//! `codex -p NAME` from `$CODEX_HOME`.
//!
//! They go to `.codex/home/` in a repository, never `.codex/config.toml`:
//! Codex loads a trusted project's `.codex/config.toml` above every profile,
//! so a base config there would override the profile a user asked for.

use super::Artifact;
use crate::model::Profiles;
use crate::stamp::Syntax;

/// Where the base config goes in a repository.
pub const BASE_PATH: &str = ".codex/home/config.toml";

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
            "# Base Codex config: every approved profile layers over it.\n\
             # Use with CODEX_HOME=.codex/home, or copy to ~/.codex/config.toml.",
            &base,
        ),
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
                &format!("# Codex profile `{name}`: `codex -p {name}` layers it over config.toml."),
                pr.config.get_ref(),
            ),
            json: None,
        });
    }
    out
}
