//! Codex config files: the base `config.toml` (with the `[permissions.NAME]`
//! profiles for `codex sandbox -P NAME`) and one `NAME.config.toml` per
//! approved profile, the layout Codex CLI 0.134.0 and later read for
//! `codex -p NAME` from `$CODEX_HOME`.
//!
//! They go to `.codex/home/` in a repository, never `.codex/config.toml`:
//! Codex loads a trusted project's `.codex/config.toml` above every profile,
//! so a base config there would override the profile a user asked for.

use super::Artifact;
use crate::model::{Profiles, RiskException};
use crate::stamp::Format;

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
        format: Format::Toml,
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
            format: Format::Toml,
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
