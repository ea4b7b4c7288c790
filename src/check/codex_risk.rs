//! The risk policy: settings that widen what the agent may do are refused
//! unless the entry records an exception (setting, justification, approver,
//! expiry). Judged on the effective settings Codex uses: the base config
//! alone (plain `codex`), and the base with each profile layered over it
//! (`codex -p NAME`), so a setting counts whichever layer or spelling
//! produces it.

use std::collections::HashSet;
use std::ops::Range;

use super::codex::Context;
use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::model::{Profiles, RiskException};

/// What a risky setting opens up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Class {
    /// A process Codex starts outside the sandbox.
    Process,
    Network,
    /// Writes beyond the workspace.
    FileSystem,
    FullAccess,
    /// Commands run, or requests are settled, without a person asked.
    Approval,
    /// Requests or credentials go somewhere other than the default endpoint.
    Endpoint,
    /// A repository's own `.codex/config.toml` is loaded.
    Trust,
    /// Text or files become instructions to the model.
    Instructions,
}

impl Class {
    pub(super) fn label(self) -> &'static str {
        match self {
            Class::Process => "a process outside the sandbox",
            Class::Network => "network access",
            Class::FileSystem => "file system access beyond the workspace",
            Class::FullAccess => "full access",
            Class::Approval => "approval without a person",
            Class::Endpoint => "another endpoint or credential",
            Class::Trust => "project trust",
            Class::Instructions => "injected instructions",
        }
    }
}

/// Which layer a setting came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Src {
    Base,
    Profile,
}

/// One risky setting found in an effective config.
struct Finding {
    /// Codex key path an exception names to cover it.
    setting: String,
    class: Class,
    what: String,
    src: Src,
}

/// The effective config of one `codex` invocation: a profile (if any)
/// layered over the base.
struct View<'a> {
    base: Option<&'a toml::Table>,
    profile: Option<&'a toml::Table>,
}

fn at<'t>(t: &'t toml::Table, path: &[&str]) -> Option<&'t toml::Value> {
    let (first, rest) = path.split_first()?;
    let mut v = t.get(*first)?;
    for k in rest {
        v = v.as_table()?.get(*k)?;
    }
    Some(v)
}

impl<'a> View<'a> {
    /// The value at `path`, from the top layer that sets it.
    fn get(&self, path: &[&str]) -> Option<(&'a toml::Value, Src)> {
        if let Some(v) = self.profile.and_then(|p| at(p, path)) {
            return Some((v, Src::Profile));
        }
        self.base.and_then(|b| at(b, path)).map(|v| (v, Src::Base))
    }

    fn str(&self, path: &[&str]) -> Option<(&'a str, Src)> {
        self.get(path).and_then(|(v, s)| v.as_str().map(|x| (x, s)))
    }

    /// The keys of the table at `path`, merged over both layers.
    fn keys(&self, path: &[&str]) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for layer in [self.base, self.profile].into_iter().flatten() {
            if let Some(t) = at(layer, path).and_then(|v| v.as_table()) {
                for k in t.keys() {
                    if !out.contains(k) {
                        out.push(k.clone());
                    }
                }
            }
        }
        out
    }
}

fn short(v: &toml::Value) -> String {
    let s = match v {
        toml::Value::String(s) => format!("{s:?}"),
        other => other.to_string(),
    };
    if s.chars().count() > 60 {
        format!("{}…", s.chars().take(59).collect::<String>())
    } else {
        s
    }
}

/// Every risky setting in `view`.
fn findings(view: &View<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    let mut add = |setting: String, class: Class, what: String, src: Src| {
        out.push(Finding {
            setting,
            class,
            what,
            src,
        })
    };

    // Full access, by either spelling.
    if let Some((m, src)) = view.str(&["sandbox_mode"])
        && m == "danger-full-access"
    {
        add(
            "sandbox_mode".into(),
            Class::FullAccess,
            "= \"danger-full-access\" turns the sandbox off".into(),
            src,
        );
    }
    let default_perms = view.str(&["default_permissions"]);
    if let Some((d, src)) = default_perms
        && d == ":danger-full-access"
    {
        add(
            "default_permissions".into(),
            Class::FullAccess,
            "= \":danger-full-access\" turns the sandbox off".into(),
            src,
        );
    }
    // The workspace-write sandbox's own switches count whatever mode the
    // file picks: `codex -s workspace-write` turns them on from the command
    // line.
    {
        if let Some((v, src)) = view.get(&["sandbox_workspace_write", "network_access"])
            && v.as_bool() == Some(true)
        {
            add(
                "sandbox_workspace_write.network_access".into(),
                Class::Network,
                "= true lets sandboxed commands reach the network".into(),
                src,
            );
        }
        if let Some((v, src)) = view.get(&["sandbox_workspace_write", "writable_roots"])
            && v.as_array().is_some_and(|a| !a.is_empty())
        {
            add(
                "sandbox_workspace_write.writable_roots".into(),
                Class::FileSystem,
                format!("= {} makes more than the workspace writable", short(v)),
                src,
            );
        }
    }
    for name in view.keys(&["permissions"]) {
        let Some((t, src)) = view
            .get(&["permissions", &name])
            .and_then(|(v, s)| v.as_table().map(|t| (t, s)))
        else {
            continue;
        };
        for (setting, class, what) in permissions_risks(t) {
            add(format!("permissions.{name}.{setting}"), class, what, src);
        }
    }
    if let Some((v, src)) = view.get(&["features", "network_proxy"]) {
        let on = v.as_bool().unwrap_or_else(|| {
            v.as_table()
                .is_some_and(|t| t.get("enabled").and_then(|e| e.as_bool()) != Some(false))
        });
        if on {
            add(
                "features.network_proxy".into(),
                Class::Network,
                "turns on the network proxy for sandboxed commands".into(),
                src,
            );
        }
    }
    if let Some((w, src)) = view.str(&["web_search"])
        && w == "live"
    {
        add(
            "web_search".into(),
            Class::Network,
            "= \"live\" fetches live web content into the session".into(),
            src,
        );
    }

    // Processes started outside the sandbox.
    for name in view.keys(&["mcp_servers"]) {
        let Some((server, src)) = view
            .get(&["mcp_servers", &name])
            .and_then(|(v, s)| v.as_table().map(|t| (t, s)))
        else {
            continue;
        };
        if server.get("enabled").and_then(|e| e.as_bool()) == Some(false) {
            continue;
        }
        if let Some(cmd) = server.get("command") {
            let args = server
                .get("args")
                .map(|a| format!(" {}", short(a)))
                .unwrap_or_default();
            add(
                format!("mcp_servers.{name}"),
                Class::Process,
                format!("starts {}{args} outside the sandbox", short(cmd)),
                src,
            );
        } else if let Some(url) = server.get("url") {
            add(
                format!("mcp_servers.{name}"),
                Class::Endpoint,
                format!("connects Codex to the MCP server at {}", short(url)),
                src,
            );
        }
    }
    if let Some((v, src)) = view.get(&["notify"])
        && v.as_array().is_some_and(|a| !a.is_empty())
    {
        add(
            "notify".into(),
            Class::Process,
            format!(
                "= {} runs a program outside the sandbox after every turn",
                short(v)
            ),
            src,
        );
    }
    for event in view.keys(&["hooks"]) {
        if event == "state" {
            continue;
        }
        if let Some((v, src)) = view.get(&["hooks", &event])
            && v.as_array().is_some_and(|a| !a.is_empty())
        {
            add(
                format!("hooks.{event}"),
                Class::Process,
                "runs hook handlers outside the sandbox".into(),
                src,
            );
        }
    }
    if let Some((v, src)) = view.get(&["js_repl_node_path"]) {
        add(
            "js_repl_node_path".into(),
            Class::Process,
            format!("= {} names a program Codex runs", short(v)),
            src,
        );
    }

    // Endpoints and credentials.
    for key in [
        "openai_base_url",
        "chatgpt_base_url",
        "experimental_realtime_ws_base_url",
        "experimental_thread_config_endpoint",
    ] {
        if let Some((v, src)) = view.get(&[key]) {
            add(
                key.into(),
                Class::Endpoint,
                format!("= {} sends requests to another endpoint", short(v)),
                src,
            );
        }
    }
    if let Some((p, src)) = view.str(&["model_provider"])
        && p != "openai"
    {
        add(
            "model_provider".into(),
            Class::Endpoint,
            format!("= {p:?} sends prompts and code to another provider"),
            src,
        );
    }
    for name in view.keys(&["model_providers"]) {
        if let Some((v, src)) = view.get(&["model_providers", &name]) {
            let auth = v.get("auth").is_some();
            add(
                format!("model_providers.{name}"),
                if auth {
                    Class::Process
                } else {
                    Class::Endpoint
                },
                if auth {
                    "runs a command for a provider token and defines another endpoint".into()
                } else {
                    "defines another model endpoint and its credentials".into()
                },
                src,
            );
        }
    }
    for exporter in ["exporter", "trace_exporter", "metrics_exporter"] {
        if let Some((v, src)) = view.get(&["otel", exporter])
            && v.is_table()
        {
            add(
                format!("otel.{exporter}"),
                Class::Endpoint,
                "exports telemetry to an OTLP endpoint".into(),
                src,
            );
        }
    }
    if let (Some((inherit, src)), Some((ignore, _))) = (
        view.str(&["shell_environment_policy", "inherit"]),
        view.get(&["shell_environment_policy", "ignore_default_excludes"]),
    ) && inherit == "all"
        && ignore.as_bool() == Some(true)
    {
        add(
            "shell_environment_policy".into(),
            Class::Endpoint,
            "inherits the whole environment, secrets included (inherit = \"all\", ignore_default_excludes = true)".into(),
            src,
        );
    }

    // Project trust.
    for path in view.keys(&["projects"]) {
        if let Some((t, src)) = view.str(&["projects", &path, "trust_level"])
            && t == "trusted"
        {
            add(
                format!("projects.{path}"),
                Class::Trust,
                format!("trusts {path:?}: Codex loads that directory's own .codex/config.toml"),
                src,
            );
        }
    }

    // Injected instructions.
    for key in [
        "developer_instructions",
        "instructions",
        "model_instructions_file",
        "model_catalog_json",
        "compact_prompt",
        "experimental_compact_prompt_file",
        "experimental_realtime_start_instructions",
        "experimental_realtime_ws_backend_prompt",
        "experimental_realtime_ws_startup_context",
    ] {
        if let Some((v, src)) = view.get(&[key]) {
            add(
                key.into(),
                Class::Instructions,
                format!("= {} puts instructions in front of the model", short(v)),
                src,
            );
        }
    }
    if let Some((v, src)) = view.get(&["auto_review", "policy"]) {
        add(
            "auto_review.policy".into(),
            Class::Instructions,
            format!("= {} instructs the automatic reviewer", short(v)),
            src,
        );
    }
    if let Some((v, src)) = view.get(&["project_doc_fallback_filenames"])
        && v.as_array().is_some_and(|a| !a.is_empty())
    {
        add(
            "project_doc_fallback_filenames".into(),
            Class::Instructions,
            format!("= {} reads more repository files as instructions", short(v)),
            src,
        );
    }

    // Approvals.
    if let Some((v, src)) = view.get(&["approval_policy"]) {
        // Even where nobody could answer (`codex exec` in CI): the handbook
        // wants every run without a person on the record.
        if v.as_str() == Some("never") {
            add(
                "approval_policy".into(),
                Class::Approval,
                "= \"never\" runs without ever asking a person".into(),
                src,
            );
        } else if v.is_table() {
            add(
                "approval_policy".into(),
                Class::Approval,
                "= { granular = … } settles whole kinds of requests without asking a person".into(),
                src,
            );
        }
    }
    if let Some((r, src)) = view.str(&["approvals_reviewer"])
        && r != "user"
    {
        add(
            "approvals_reviewer".into(),
            Class::Approval,
            format!("= {r:?} lets a model, not a person, answer approval requests"),
            src,
        );
    }
    out
}

/// The risky settings of one permissions profile table (relative keys).
fn permissions_risks(t: &toml::Table) -> Vec<(String, Class, String)> {
    let mut out = Vec::new();
    if let Some(net) = t.get("network").and_then(|v| v.as_table())
        && net.get("enabled").and_then(|v| v.as_bool()) == Some(true)
    {
        out.push((
            "network".into(),
            Class::Network,
            "enables network access for sandboxed commands".into(),
        ));
    }
    if let Some(fs) = t.get("filesystem").and_then(|v| v.as_table()) {
        let writes = fs.iter().any(|(k, v)| {
            k != "glob_scan_max_depth"
                && (v.as_str() == Some("write")
                    || v.as_table()
                        .is_some_and(|sub| sub.values().any(|x| x.as_str() == Some("write"))))
        });
        if writes {
            out.push((
                "filesystem".into(),
                Class::FileSystem,
                "grants write access to paths outside the workspace".into(),
            ));
        }
    }
    if let Some(roots) = t.get("workspace_roots").and_then(|v| v.as_table())
        && roots.values().any(|v| v.as_bool() == Some(true))
    {
        out.push((
            "workspace_roots".into(),
            Class::FileSystem,
            "adds workspace roots the agent may write".into(),
        ));
    }
    out
}

fn covers(ex: &str, setting: &str) -> bool {
    setting == ex || setting.strip_prefix(ex).is_some_and(|r| r.starts_with('.'))
}

/// One entry's exceptions and where its config sits in profiles.toml.
struct Entry<'a> {
    /// `[[profile.exception]]` and so on, for hints.
    table: &'static str,
    label: String,
    config_path: String,
    config: Option<&'a toml::Table>,
    exceptions: &'a [toml::Spanned<RiskException>],
}

/// Checks every entry of `profiles.toml` against the risk policy.
pub(super) fn check(p: &Profiles, ctx: &Context<'_>, diags: &mut Diagnostics) {
    let base_cfg = p.base.as_ref().map(|b| b.get_ref().config.get_ref());
    let base_entry = p.base.as_ref().map(|b| Entry {
        table: "[[base.exception]]",
        label: "the base config".into(),
        config_path: ctx
            .spans
            .path_of(&b.get_ref().config.span())
            .unwrap_or("base.config")
            .to_owned(),
        config: Some(b.get_ref().config.get_ref()),
        exceptions: &b.get_ref().exception,
    });
    // Which exceptions cover something: (entry index, exception index).
    let mut used: HashSet<(usize, usize)> = HashSet::new();
    let mut reported: HashSet<(String, Range<usize>)> = HashSet::new();
    let mut emit = |entry: &Entry<'_>,
                    idx: usize,
                    also: Option<(&Entry<'_>, usize)>,
                    f: &Finding,
                    src_entry: &Entry<'_>,
                    used: &mut HashSet<(usize, usize)>,
                    diags: &mut Diagnostics| {
        let mut covered = false;
        for (ei, e) in entry.exceptions.iter().enumerate() {
            if covers(e.get_ref().setting.get_ref(), &f.setting) {
                used.insert((idx, ei));
                covered = true;
            }
        }
        if let Some((b, bidx)) = also {
            for (ei, e) in b.exceptions.iter().enumerate() {
                if covers(e.get_ref().setting.get_ref(), &f.setting) {
                    used.insert((bidx, ei));
                    covered = true;
                }
            }
        }
        if covered {
            return;
        }
        let path = format!("{}.{}", src_entry.config_path, f.setting);
        // At the value, except for a table (an MCP server, a project),
        // whose header names it better.
        let keys: Vec<&str> = f.setting.split('.').collect();
        let is_table = src_entry
            .config
            .and_then(|c| at(c, &keys))
            .is_some_and(|v| v.is_table());
        let (first, second) = if is_table {
            (ctx.spans.key(&path), ctx.spans.value(&path))
        } else {
            (ctx.spans.value(&path), ctx.spans.key(&path))
        };
        let span = first
            .or(second)
            .or_else(|| {
                // A permissions setting inside a [[permissions]] entry, or a
                // nested key whose exception path is its parent.
                f.setting.rsplit_once('.').and_then(|(parent, _)| {
                    ctx.spans
                        .key(&format!("{}.{parent}", src_entry.config_path))
                })
            })
            .unwrap_or(0..0);
        if !reported.insert((f.setting.clone(), span.clone())) {
            return;
        }
        let whose = if std::ptr::eq(entry, src_entry) {
            String::new()
        } else {
            format!(" (from {}, in effect for {})", src_entry.label, entry.label)
        };
        diags.push(
            Diagnostic::new(
                Code::DangerUnjustified,
                format!(
                    "`{}` {}{whose}; that is {} and needs a recorded exception",
                    f.setting,
                    f.what,
                    f.class.label()
                ),
            )
            .at_span(ctx.file, span)
            .with_hint(format!(
                "add {} with setting = \"{}\", justification, approver (a team id from owners.toml) and expires, or remove the setting",
                entry.table, f.setting
            )),
        );
    };

    // Entry indices: 0 = base, 1.. = profiles, then permissions.
    if let Some(be) = &base_entry {
        let view = View {
            base: base_cfg,
            profile: None,
        };
        for f in findings(&view) {
            emit(be, 0, None, &f, be, &mut used, diags);
        }
    }
    let profile_entries: Vec<Entry<'_>> = p
        .profile
        .iter()
        .map(|pr| {
            let pr = pr.get_ref();
            Entry {
                table: "[[profile.exception]]",
                label: format!("profile `{}`", pr.name.get_ref()),
                config_path: ctx
                    .spans
                    .path_of(&pr.config.span())
                    .unwrap_or_default()
                    .to_owned(),
                config: Some(pr.config.get_ref()),
                exceptions: &pr.exception,
            }
        })
        .collect();
    for (i, (pr, entry)) in p.profile.iter().zip(&profile_entries).enumerate() {
        let pr = pr.get_ref();
        let view = View {
            base: base_cfg,
            profile: Some(pr.config.get_ref()),
        };
        let base_alone: Vec<String> = base_cfg
            .map(|b| {
                findings(&View {
                    base: Some(b),
                    profile: None,
                })
                .into_iter()
                .map(|f| f.setting)
                .collect()
            })
            .unwrap_or_default();
        for f in findings(&view) {
            match (f.src, &base_entry) {
                // Reported (or covered) with the base itself.
                (Src::Base, _) if base_alone.contains(&f.setting) => {
                    if let Some(be) = &base_entry {
                        for (ei, e) in be.exceptions.iter().enumerate() {
                            if covers(e.get_ref().setting.get_ref(), &f.setting) {
                                used.insert((0, ei));
                            }
                        }
                    }
                }
                (Src::Base, Some(be)) => {
                    emit(entry, i + 1, Some((be, 0)), &f, be, &mut used, diags)
                }
                _ => emit(entry, i + 1, None, &f, entry, &mut used, diags),
            }
        }
    }
    let first_perm = 1 + p.profile.len();
    let perm_entries: Vec<Entry<'_>> = p
        .permissions
        .iter()
        .map(|pp| {
            let pp = pp.get_ref();
            Entry {
                table: "[[permissions.exception]]",
                label: format!("permissions profile `{}`", pp.name.get_ref()),
                config_path: ctx
                    .spans
                    .path_of(&pp.config.span())
                    .unwrap_or_default()
                    .to_owned(),
                config: Some(pp.config.get_ref()),
                exceptions: &pp.exception,
            }
        })
        .collect();
    for (i, (pp, entry)) in p.permissions.iter().zip(&perm_entries).enumerate() {
        for (setting, class, what) in permissions_risks(pp.get_ref().config.get_ref()) {
            let f = Finding {
                setting,
                class,
                what,
                src: Src::Profile,
            };
            emit(entry, first_perm + i, None, &f, entry, &mut used, diags);
        }
    }

    // The exceptions themselves: approver, expiry, and whether they cover
    // anything at all.
    let all: Vec<(usize, &Entry<'_>)> = base_entry
        .iter()
        .map(|e| (0, e))
        .chain(profile_entries.iter().enumerate().map(|(i, e)| (i + 1, e)))
        .chain(
            perm_entries
                .iter()
                .enumerate()
                .map(|(i, e)| (first_perm + i, e)),
        )
        .collect();
    let mut settings_seen: HashSet<(usize, String)> = HashSet::new();
    for (idx, entry) in all {
        for (ei, ex) in entry.exceptions.iter().enumerate() {
            let e = ex.get_ref();
            if !settings_seen.insert((idx, e.setting.get_ref().clone())) {
                diags.push(
                    Diagnostic::new(
                        Code::DuplicateId,
                        format!(
                            "{} records two exceptions for `{}`",
                            entry.label,
                            e.setting.get_ref()
                        ),
                    )
                    .at_span(ctx.file, e.setting.span()),
                );
            }
            if e.justification.trim().is_empty() {
                diags.push(
                    Diagnostic::new(
                        Code::ExceptionIncomplete,
                        format!(
                            "the exception for `{}` has no justification",
                            e.setting.get_ref()
                        ),
                    )
                    .at_span(ctx.file, ex.span())
                    .with_hint("say why the setting is acceptable and what contains the risk"),
                );
            }
            if let Some(owners) = &ctx.owners
                && !owners.contains(e.approver.get_ref().as_str())
            {
                let mut known: Vec<&str> = owners.iter().copied().collect();
                known.sort_unstable();
                diags.push(
                    Diagnostic::new(
                        Code::ExceptionIncomplete,
                        format!(
                            "approver `{}` is not a team in owners.toml",
                            e.approver.get_ref().as_str()
                        ),
                    )
                    .at_span(ctx.file, e.approver.span())
                    .with_hint_opt(
                        crate::diag::did_you_mean(
                            e.approver.get_ref().as_str(),
                            known.iter().copied(),
                        )
                        .or_else(|| Some(format!("approvers are team ids: {}", known.join(", ")))),
                    ),
                );
            }
            if *e.expires.get_ref() < ctx.today {
                diags.push(
                    Diagnostic::new(
                        Code::ExceptionExpired,
                        format!(
                            "the exception for `{}` expired on {}",
                            e.setting.get_ref(),
                            e.expires.get_ref()
                        ),
                    )
                    .at_span(ctx.file, e.expires.span())
                    .with_hint(
                        "review it again: renew `expires` with the approver, or remove the setting",
                    ),
                );
            } else if !used.contains(&(idx, ei)) {
                diags.push(
                    Diagnostic::new(
                        Code::ExceptionUnused,
                        format!(
                            "the exception for `{}` covers no risky setting of {}",
                            e.setting.get_ref(),
                            entry.label
                        ),
                    )
                    .at_span(ctx.file, e.setting.span())
                    .with_hint("remove it, or name the setting as the error for it does"),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn risks(base: &str, profile: Option<&str>) -> Vec<(String, Class)> {
        let b: toml::Table = toml::from_str(base).unwrap();
        let p: Option<toml::Table> = profile.map(|p| toml::from_str(p).unwrap());
        findings(&View {
            base: Some(&b),
            profile: p.as_ref(),
        })
        .into_iter()
        .map(|f| (f.setting, f.class))
        .collect()
    }

    #[test]
    fn workspace_switches_count_even_in_a_read_only_file() {
        // `codex -s workspace-write` would turn them on.
        let base =
            "sandbox_mode = \"read-only\"\n[sandbox_workspace_write]\nnetwork_access = true\n";
        let want = [(
            "sandbox_workspace_write.network_access".to_owned(),
            Class::Network,
        )];
        assert_eq!(risks(base, None), want);
        assert_eq!(
            risks(base, Some("sandbox_mode = \"workspace-write\"")),
            want
        );
        // A profile that switches it off again is clean.
        assert!(
            risks(
                base,
                Some("[sandbox_workspace_write]\nnetwork_access = false")
            )
            .is_empty()
        );
    }

    #[test]
    fn a_setting_reports_the_layer_it_comes_from() {
        let b: toml::Table = toml::from_str("notify = [\"n\"]").unwrap();
        let p: toml::Table = toml::from_str("developer_instructions = \"x\"").unwrap();
        let f = findings(&View {
            base: Some(&b),
            profile: Some(&p),
        });
        let src = |k: &str| f.iter().find(|x| x.setting == k).map(|x| x.src);
        assert_eq!(src("notify"), Some(Src::Base));
        assert_eq!(src("developer_instructions"), Some(Src::Profile));
    }

    #[test]
    fn full_access_by_either_spelling() {
        assert_eq!(
            risks("default_permissions = \":danger-full-access\"", None),
            [("default_permissions".to_owned(), Class::FullAccess)]
        );
        assert_eq!(
            risks("", Some("sandbox_mode = \"danger-full-access\"")),
            [("sandbox_mode".to_owned(), Class::FullAccess)]
        );
    }

    #[test]
    fn approvals_without_a_person_are_findings() {
        assert_eq!(risks("approval_policy = \"never\"", None).len(), 1);
        assert!(risks("approval_policy = \"on-request\"", None).is_empty());
        // A granular table is always on the record.
        let g = "approval_policy = { granular = { sandbox_approval = true, rules = true, mcp_elicitations = true } }";
        assert_eq!(risks(g, None).len(), 1);
        assert_eq!(risks("approvals_reviewer = \"auto_review\"", None).len(), 1);
    }

    #[test]
    fn exception_paths_cover_their_children_only() {
        assert!(covers("mcp_servers", "mcp_servers.github"));
        assert!(covers("mcp_servers.github", "mcp_servers.github"));
        assert!(!covers("mcp_servers.git", "mcp_servers.github"));
    }
}
