//! Codex profile checks: every `config` table in `profiles.toml` must be a
//! config layer Codex CLI 0.139.0 loads (its schema is in `codex_schema`),
//! govbook is stricter where Codex is silent (unknown keys, free-form
//! reasoning effort, legacy profiles, values later releases reject), and
//! settings that widen what the agent may do need a recorded exception
//! (`codex_risk`).

use std::collections::HashSet;
use std::ops::Range;

use super::codex_risk;
use super::codex_schema::{self as schema, Rest, Struct, Ty};
use crate::decode::SpanIndex;
use crate::diag::{Code, Diagnostic, Diagnostics, did_you_mean};
use crate::model::{GovFile, Owners, PermissionProfile, Policy, Profiles};
use crate::text::FileId;
use crate::values::Date;
use toml::Spanned;

/// Walks one Codex config table and reports what Codex (or govbook) rejects.
pub(super) struct Walker<'a> {
    pub file: FileId,
    pub spans: &'a SpanIndex,
    pub diags: &'a mut Diagnostics,
}

impl Walker<'_> {
    pub(super) fn value_span(&self, path: &str) -> Range<usize> {
        self.spans.value(path).unwrap_or(0..0)
    }

    pub(super) fn key_span(&self, path: &str) -> Range<usize> {
        self.spans
            .key(path)
            .unwrap_or_else(|| self.value_span(path))
    }

    pub(super) fn emit(&mut self, d: Diagnostic, span: Range<usize>) {
        self.diags.push(d.at_span(self.file, span));
    }

    fn unknown(&mut self, key: &str, path: &str, cpath: &str, known: Vec<&str>) {
        let hint = did_you_mean(key, known.iter().copied());
        let span = self.key_span(path);
        self.emit(
            Diagnostic::new(
                Code::CodexUnknownKey,
                format!("Codex CLI 0.139.0 has no setting `{cpath}`"),
            )
            .with_hint_opt(hint.or_else(|| {
                Some("Codex ignores unknown keys without --strict-config and refuses them with it; govbook refuses them".into())
            })),
            span,
        );
    }

    pub(super) fn table(&mut self, table: &toml::Table, st: &Struct, base: &str, codex_path: &str) {
        for (key, value) in table {
            let path = format!("{base}.{key}");
            let cpath = join(codex_path, key);
            match st.fields.iter().find(|(k, _)| k == key) {
                Some((_, ty)) => self.value(value, ty, &path, &cpath),
                None => match &st.rest {
                    Rest::Deny => self.unknown(
                        key,
                        &path,
                        &cpath,
                        st.fields.iter().map(|(k, _)| *k).collect(),
                    ),
                    Rest::Ignore => {}
                    Rest::Entries(ty) => self.value(value, ty, &path, &cpath),
                },
            }
        }
        for req in st.required {
            if !table.contains_key(*req) {
                let span = self.key_span(base);
                let where_ = if codex_path.is_empty() {
                    "this table".to_owned()
                } else {
                    format!("`{codex_path}`")
                };
                self.emit(
                    Diagnostic::new(
                        Code::CodexInvalidValue,
                        format!("{where_} needs `{req}`: Codex refuses it without"),
                    ),
                    span,
                );
            }
        }
    }

    pub(super) fn value(&mut self, v: &toml::Value, ty: &Ty, path: &str, cpath: &str) {
        use toml::Value as V;
        let ok = match (ty, v) {
            (Ty::Str, V::String(_)) | (Ty::Bool, V::Boolean(_)) => true,
            (Ty::Int { min, max }, V::Integer(i)) => {
                if i < min || i > max {
                    let span = self.value_span(path);
                    let msg = if *min == 0 && *i < 0 {
                        format!("`{cpath}` must not be negative, found {i}")
                    } else if *max == i64::MAX {
                        format!("`{cpath}` must be at least {min}, found {i}")
                    } else {
                        format!("`{cpath}` must be between {min} and {max}, found {i}")
                    };
                    self.emit(Diagnostic::new(Code::CodexInvalidValue, msg), span);
                }
                true
            }
            (Ty::Seconds, V::Integer(_) | V::Float(_)) => {
                let n = v
                    .as_float()
                    .or_else(|| v.as_integer().map(|i| i as f64))
                    .unwrap_or(0.0);
                if !(n >= 0.0 && n.is_finite()) {
                    let span = self.value_span(path);
                    self.emit(
                        Diagnostic::new(
                            Code::CodexInvalidValue,
                            format!("`{cpath}` is a number of seconds and must not be negative"),
                        ),
                        span,
                    );
                }
                true
            }
            (Ty::Array(inner), V::Array(items)) => {
                for (i, item) in items.iter().enumerate() {
                    self.value(
                        item,
                        inner,
                        &format!("{path}[{i}]"),
                        &format!("{cpath}.{i}"),
                    );
                }
                true
            }
            (Ty::AnyTable | Ty::Features, V::Table(t)) => {
                if matches!(ty, Ty::Features) {
                    self.features(t, path, cpath);
                }
                true
            }
            (Ty::Enum(options), V::String(s)) => {
                self.enum_value(s, options, path, cpath);
                true
            }
            (Ty::Struct(st), V::Table(t)) => {
                self.table(t, st, path, cpath);
                true
            }
            (Ty::MapOf(inner), V::Table(t)) => {
                for (k, item) in t {
                    self.value(item, inner, &format!("{path}.{k}"), &format!("{cpath}.{k}"));
                }
                true
            }
            (Ty::Either(a, b), _) => {
                if shape_fits(a, v) {
                    self.value(v, a, path, cpath);
                    true
                } else if shape_fits(b, v) {
                    self.value(v, b, path, cpath);
                    true
                } else {
                    false
                }
            }
            (Ty::Approval, V::String(s)) => {
                self.approval(s, path, cpath);
                true
            }
            (Ty::Approval, V::Table(t)) => {
                self.table(t, schema::GRANULAR_APPROVAL, path, cpath);
                true
            }
            (Ty::Legacy, _) => {
                self.legacy(cpath, path);
                true
            }
            _ => false,
        };
        if !ok {
            let span = self.value_span(path);
            self.emit(
                Diagnostic::new(
                    Code::CodexWrongType,
                    format!("`{cpath}` must be {}, found {}", describe(ty), v.type_str()),
                )
                .with_hint("Codex CLI 0.139.0 refuses to load a config with this value"),
                span,
            );
        }
    }

    fn features(&mut self, t: &toml::Table, path: &str, cpath: &str) {
        for (k, v) in t {
            let p = format!("{path}.{k}");
            let c = format!("{cpath}.{k}");
            match schema::feature(k) {
                Some(ty) => self.value(v, ty, &p, &c),
                None => {
                    let known: Vec<&str> = schema::feature_names().collect();
                    self.unknown(k, &p, &c, known);
                }
            }
        }
    }

    fn enum_value(&mut self, s: &str, options: &[&str], path: &str, cpath: &str) {
        if options.contains(&s) {
            return;
        }
        let list = options
            .iter()
            .map(|o| format!("`{o}`"))
            .collect::<Vec<_>>()
            .join(", ");
        let span = self.value_span(path);
        self.emit(
            Diagnostic::new(
                Code::CodexInvalidValue,
                format!("unknown variant `{s}` for `{cpath}`, expected one of {list}"),
            )
            .with_hint_opt(did_you_mean(s, options.iter().copied())),
            span,
        );
    }

    fn approval(&mut self, s: &str, path: &str, cpath: &str) {
        let span = self.value_span(path);
        match s {
            "untrusted" => self.emit(
                Diagnostic::new(
                    Code::CodexDeprecated,
                    "approval_policy = \"untrusted\" works in Codex CLI 0.139.0 but later releases reject it",
                )
                .with_hint("use \"on-request\""),
                span,
            ),
            "on-failure" => self.emit(
                Diagnostic::new(Code::CodexDeprecated, "approval_policy = \"on-failure\" is deprecated in Codex")
                    .with_hint("use \"on-request\" for interactive runs or \"never\" for non-interactive runs"),
                span,
            ),
            _ => self.enum_value(s, schema::APPROVALS, path, cpath),
        }
    }

    fn legacy(&mut self, cpath: &str, path: &str) {
        let span = self.key_span(path);
        let msg = if cpath == "profile" {
            "a `profile = …` selector is a load error in Codex CLI 0.134.0 and later"
        } else {
            "`[profiles.*]` tables are ignored by Codex CLI 0.134.0 and later, and break `-p` for the same name"
        };
        self.emit(
            Diagnostic::new(Code::CodexLegacyProfile, msg)
                .with_hint("declare each profile as a [[profile]] in profiles.toml; govbook writes NAME.config.toml"),
            span,
        );
    }
}

/// Whether `v` has the outer shape of `ty` (for Codex's untagged enums).
fn shape_fits(ty: &Ty, v: &toml::Value) -> bool {
    use toml::Value as V;
    match ty {
        Ty::Str | Ty::Enum(_) => v.is_str(),
        Ty::Bool => v.is_bool(),
        Ty::Int { .. } => v.is_integer(),
        Ty::Seconds => v.is_integer() || v.is_float(),
        Ty::Array(_) => v.is_array(),
        Ty::Struct(_) | Ty::MapOf(_) | Ty::AnyTable | Ty::Features => v.is_table(),
        Ty::Either(a, b) => shape_fits(a, v) || shape_fits(b, v),
        Ty::Approval => matches!(v, V::String(_) | V::Table(_)),
        Ty::Legacy => true,
    }
}

fn join(a: &str, b: &str) -> String {
    if a.is_empty() {
        b.to_owned()
    } else {
        format!("{a}.{b}")
    }
}

fn describe(ty: &Ty) -> String {
    match ty {
        Ty::Str | Ty::Enum(_) => "a string".into(),
        Ty::Bool => "a boolean".into(),
        Ty::Int { .. } => "an integer".into(),
        Ty::Seconds => "a number".into(),
        Ty::Array(inner) => format!("an array of {}", plural(inner)),
        Ty::Struct(_) | Ty::MapOf(_) | Ty::AnyTable | Ty::Features => "a table".into(),
        Ty::Either(a, b) => format!("{} or {}", describe(a), describe(b)),
        Ty::Approval => "a string or a { granular = … } table".into(),
        Ty::Legacy => "a value".into(),
    }
}

fn plural(ty: &Ty) -> &'static str {
    match ty {
        Ty::Str | Ty::Enum(_) => "strings",
        Ty::Bool => "booleans",
        Ty::Int { .. } | Ty::Seconds => "numbers",
        Ty::Either(..) => "values",
        Ty::Array(_) => "arrays",
        _ => "tables",
    }
}

/// Everything the profile checks need to know about the book.
pub(super) struct Context<'a> {
    pub file: FileId,
    pub spans: &'a SpanIndex,
    pub today: Date,
    /// Team ids from owners.toml (`None` when the file is missing).
    pub owners: Option<HashSet<&'a str>>,
}

/// Checks `profiles.toml`: the base config and every profile against
/// Codex's schema and rules, the permissions profiles, then the risk
/// policy on the effective settings.
pub(super) fn check(
    profiles: &GovFile<Profiles>,
    policy: Option<&GovFile<Policy>>,
    owners: Option<&GovFile<Owners>>,
    today: Date,
    diags: &mut Diagnostics,
) {
    let file = profiles.file;
    let spans = &profiles.spans;
    let p = &profiles.value;
    let local_models: Option<Vec<&str>> =
        policy
            .and_then(|p| p.value.model_policy.as_ref())
            .map(|mp| {
                let local = mp.get_ref().local.get_ref();
                local.models.iter().map(String::as_str).collect()
            });
    let layers = Layers {
        file,
        spans,
        permission_names: p
            .permissions
            .iter()
            .map(|pp| pp.get_ref().name.get_ref().as_str())
            .collect(),
        local_models: local_models.as_deref(),
        base: p.base.as_ref().map(|b| b.get_ref().config.get_ref()),
    };
    let base_path = p
        .base
        .as_ref()
        .and_then(|b| spans.path_of(&b.get_ref().config.span()))
        .unwrap_or("base.config")
        .to_owned();
    if let Some(base) = &p.base {
        layers.config(&base.get_ref().config, &base_path, true, diags);
    }
    let profile_names = p.profile.iter().map(|pr| &pr.get_ref().name);
    unique_names(profile_names, "profile", file, diags);
    for prof in &p.profile {
        let pr = prof.get_ref();
        let path = spans
            .path_of(&pr.config.span())
            .unwrap_or_default()
            .to_owned();
        layers.config(&pr.config, &path, false, diags);
    }
    let permission_names = p.permissions.iter().map(|pp| &pp.get_ref().name);
    unique_names(permission_names, "permissions profile", file, diags);
    for perm in &p.permissions {
        layers.permissions(perm.get_ref(), diags);
    }
    permissions_chosen(p, &layers, &base_path, diags);
    let ctx = Context {
        file,
        spans,
        today,
        owners: owners.map(|o| {
            o.value
                .team
                .iter()
                .map(|t| t.get_ref().id.as_str())
                .collect()
        }),
    };
    codex_risk::check(p, &ctx, diags);
}

/// What checking one layer of Codex config needs.
struct Layers<'a> {
    file: FileId,
    spans: &'a SpanIndex,
    /// `[[permissions]]` names defined in the file.
    permission_names: HashSet<&'a str>,
    /// The local model policy's models, when there is a policy.
    local_models: Option<&'a [&'a str]>,
    /// The base config every profile layers over.
    base: Option<&'a toml::Table>,
}

impl Layers<'_> {
    /// The base config (`is_base`) or a profile's: schema, Codex's rules
    /// across keys (a profile's judged over the base) and the model policy.
    fn config(
        &self,
        config: &Spanned<toml::Table>,
        path: &str,
        is_base: bool,
        diags: &mut Diagnostics,
    ) {
        let (file, spans) = (self.file, self.spans);
        validate(config, path, file, spans, diags);
        let over = if is_base { None } else { self.base };
        semantics(
            config,
            path,
            over,
            &self.permission_names,
            file,
            spans,
            diags,
        );
        model_allowed(config, path, self.local_models, file, spans, diags);
    }

    /// One `[[permissions]]` profile: its table's schema and what it extends.
    fn permissions(&self, pp: &PermissionProfile, diags: &mut Diagnostics) {
        let (file, spans) = (self.file, self.spans);
        let name = pp.name.get_ref();
        let path = spans
            .path_of(&pp.config.span())
            .unwrap_or_default()
            .to_owned();
        let mut w = Walker { file, spans, diags };
        w.value(
            &toml::Value::Table(pp.config.get_ref().clone()),
            &schema::PERMISSIONS_PROFILE,
            &path,
            &format!("permissions.{name}"),
        );
        extends(
            name,
            pp.config.get_ref(),
            &path,
            pp.config.span(),
            &self.permission_names,
            file,
            spans,
            diags,
        );
    }
}

/// Every name is one `codex -p`/`sandbox -P` accepts, and none is defined
/// twice.
fn unique_names<'a>(
    names: impl Iterator<Item = &'a Spanned<String>>,
    what: &str,
    file: FileId,
    diags: &mut Diagnostics,
) {
    let mut seen = HashSet::new();
    for name in names {
        let n = name.get_ref();
        if !valid_profile_name(n) {
            let hint = if what == "profile" {
                "use letters, digits, `-` and `_` only (codex -p rejects anything else)"
            } else {
                "use letters, digits, `-` and `_`; names starting with `:` are Codex's built-ins"
            };
            let message = if what == "profile" {
                format!("`{n}` is not a profile name Codex accepts")
            } else {
                format!("`{n}` is not a {what} name")
            };
            diags.push(
                Diagnostic::new(Code::CodexProfileName, message)
                    .at_span(file, name.span())
                    .with_hint(hint),
            );
        }
        if !seen.insert(n.as_str()) {
            diags.push(
                Diagnostic::new(Code::DuplicateId, format!("{what} `{n}` is defined twice"))
                    .at_span(file, name.span()),
            );
        }
    }
}

/// Codex refuses a config whose layers define permissions profiles but
/// choose neither a permissions profile nor a sandbox mode.
fn permissions_chosen(p: &Profiles, layers: &Layers<'_>, base_path: &str, diags: &mut Diagnostics) {
    let (file, spans, base) = (layers.file, layers.spans, layers.base);
    let sets = |c: Option<&toml::Table>| {
        c.is_some_and(|c| c.contains_key("default_permissions") || c.contains_key("sandbox_mode"))
    };
    let defines = |c: Option<&toml::Table>| {
        c.and_then(|c| c.get("permissions"))
            .and_then(|v| v.as_table())
            .is_some_and(|t| !t.is_empty())
    };
    let unchosen = |span: Range<usize>, whose: &str| {
        Diagnostic::new(
            Code::CodexPermissions,
            format!("{whose} defines `[permissions]` profiles but sets neither `default_permissions` nor `sandbox_mode`: Codex refuses to load it"),
        )
        .at_span(file, span)
        .with_hint("set `sandbox_mode` (or `default_permissions`) in [base.config]")
    };
    if (!p.permissions.is_empty() || defines(base)) && !sets(base) {
        let span = p
            .permissions
            .first()
            .map(|pp| pp.get_ref().name.span())
            .or_else(|| spans.key(&format!("{base_path}.permissions")))
            .unwrap_or(0..0);
        diags.push(unchosen(span, "the base config"));
        return;
    }
    for prof in &p.profile {
        let pr = prof.get_ref();
        let c = Some(pr.config.get_ref());
        if defines(c) && !sets(c) && !sets(base) {
            let path = spans.path_of(&pr.config.span()).unwrap_or_default();
            let span = spans
                .key(&format!("{path}.permissions"))
                .unwrap_or(pr.config.span());
            diags.push(unchosen(span, &format!("profile `{}`", pr.name.get_ref())));
        }
    }
}

/// Whether Codex's `-p` accepts the name.
pub fn valid_profile_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

fn validate(
    config: &toml::Spanned<toml::Table>,
    path: &str,
    file: FileId,
    spans: &SpanIndex,
    diags: &mut Diagnostics,
) {
    let mut w = Walker { file, spans, diags };
    let top = Struct {
        fields: schema::CONFIG,
        required: &[],
        rest: Rest::Deny,
    };
    w.table(config.get_ref(), &top, path, "");
}

#[allow(clippy::too_many_arguments)]
fn extends(
    name: &str,
    config: &toml::Table,
    path: &str,
    fallback: Range<usize>,
    defined: &HashSet<&str>,
    file: FileId,
    spans: &SpanIndex,
    diags: &mut Diagnostics,
) {
    let span = spans.value(&format!("{path}.extends")).unwrap_or(fallback);
    match config.get("extends").and_then(|v| v.as_str()) {
        Some(":danger-full-access") => {
            diags.push(
                Diagnostic::new(
                    Code::CodexPermissions,
                    format!("permissions profile `{name}` cannot extend `:danger-full-access`: Codex refuses it"),
                )
                .at_span(file, span)
                .with_hint("full access has no permissions profile: use `sandbox_mode = \"danger-full-access\"` with a recorded exception, or extend `:workspace`"),
            );
        }
        Some(ext) if ext.starts_with(':') && !schema::BUILTIN_PERMISSIONS.contains(&ext) => {
            diags.push(
                Diagnostic::new(
                    Code::CodexPermissions,
                    format!("permissions profile `{name}` cannot extend unsupported built-in profile `{ext}`"),
                )
                .at_span(file, span)
                .with_hint_opt(did_you_mean(ext, [":read-only", ":workspace"])),
            );
        }
        Some(ext) if !ext.starts_with(':') && !defined.contains(ext) => {
            diags.push(
                Diagnostic::new(
                    Code::CodexPermissions,
                    format!("permissions profile `{name}` extends `{ext}`, which is not defined"),
                )
                .at_span(file, span),
            );
        }
        _ => {}
    }
}

/// Rules Codex enforces across keys: MCP transports, model providers,
/// hook handlers, permissions references.
#[allow(clippy::too_many_arguments)]
fn semantics(
    config: &toml::Spanned<toml::Table>,
    path: &str,
    base: Option<&toml::Table>,
    permission_names: &HashSet<&str>,
    file: FileId,
    spans: &SpanIndex,
    diags: &mut Diagnostics,
) {
    let c = config.get_ref();
    let mut w = Walker { file, spans, diags };
    if let Some(servers) = c.get("mcp_servers").and_then(|v| v.as_table()) {
        for (name, server) in servers {
            let Some(s) = server.as_table() else { continue };
            let sp = format!("{path}.mcp_servers.{name}");
            let (cmd, url) = (s.contains_key("command"), s.contains_key("url"));
            let bad =
                |keys: &'static [&'static str]| keys.iter().find(|k| s.contains_key(**k)).copied();
            let (msg, at) = match (cmd, url) {
                (true, true) => (
                    format!(
                        "MCP server `{name}` has both `command` and `url`: url is not supported for stdio"
                    ),
                    format!("{sp}.url"),
                ),
                (false, false) => (
                    format!(
                        "MCP server `{name}` has neither `command` (stdio) nor `url` (streamable HTTP): Codex reports an invalid transport"
                    ),
                    sp.clone(),
                ),
                (true, false) => match bad(schema::MCP_HTTP_ONLY) {
                    Some(k) => (
                        format!(
                            "MCP server `{name}`: {k} is not supported for stdio (`command`) servers"
                        ),
                        format!("{sp}.{k}"),
                    ),
                    None => continue,
                },
                (false, true) => match bad(schema::MCP_STDIO_ONLY) {
                    Some(k) => (
                        format!(
                            "MCP server `{name}`: {k} is not supported for streamable HTTP (`url`) servers"
                        ),
                        format!("{sp}.{k}"),
                    ),
                    None => continue,
                },
            };
            let span = w.key_span(&at);
            w.emit(
                Diagnostic::new(Code::CodexInvalidValue, msg).with_hint(
                    "a stdio server has `command` (with `args`, `env`, `env_vars`, `cwd`); a streamable HTTP server has `url` (with `bearer_token_env_var`, `http_headers`, `env_http_headers`, `oauth`, `oauth_resource`)",
                ),
                span,
            );
        }
    }
    let providers = |t: Option<&toml::Table>| -> Vec<String> {
        t.and_then(|t| t.get("model_providers"))
            .and_then(|v| v.as_table())
            .map(|m| m.keys().cloned().collect())
            .unwrap_or_default()
    };
    if let Some(defs) = c.get("model_providers").and_then(|v| v.as_table()) {
        for (id, def) in defs {
            let at = format!("{path}.model_providers.{id}");
            if schema::BUILTIN_PROVIDERS.contains(&id.as_str()) {
                let span = w.key_span(&at);
                w.emit(
                    Diagnostic::new(
                        Code::CodexInvalidValue,
                        format!("`{id}` is a built-in model provider and cannot be redefined"),
                    )
                    .with_hint("give the custom provider another id"),
                    span,
                );
            } else if def
                .get("name")
                .and_then(|n| n.as_str())
                .is_some_and(|n| n.trim().is_empty())
            {
                let span = w.value_span(&format!("{at}.name"));
                w.emit(
                    Diagnostic::new(
                        Code::CodexInvalidValue,
                        format!("model provider `{id}` needs a non-empty `name`"),
                    ),
                    span,
                );
            }
        }
    }
    if let Some(chosen) = c.get("model_provider").and_then(|v| v.as_str()) {
        let mut known: Vec<String> = schema::BUILTIN_PROVIDERS
            .iter()
            .map(|s| s.to_string())
            .collect();
        known.extend(providers(Some(c)));
        known.extend(providers(base));
        if !known.iter().any(|k| k == chosen) {
            let span = w.value_span(&format!("{path}.model_provider"));
            w.emit(
                Diagnostic::new(
                    Code::CodexInvalidValue,
                    format!("model provider `{chosen}` not found"),
                )
                .with_hint_opt(
                    did_you_mean(chosen, known.iter().map(String::as_str))
                        .or_else(|| Some("name a built-in provider (openai, ollama, lmstudio) or define it under [model_providers]".into())),
                ),
                span,
            );
        }
    }
    if let Some(hooks) = c.get("hooks").and_then(|v| v.as_table()) {
        for (event, groups) in hooks {
            let Some(groups) = groups.as_array() else {
                continue;
            };
            for (gi, g) in groups.iter().enumerate() {
                let Some(handlers) = g.get("hooks").and_then(|h| h.as_array()) else {
                    continue;
                };
                for (hi, h) in handlers.iter().enumerate() {
                    if let Some(t) = h.as_table()
                        && t.get("type").and_then(|t| t.as_str()) == Some("command")
                    {
                        w.table(
                            t,
                            &schema::COMMAND_HOOK,
                            &format!("{path}.hooks.{event}[{gi}].hooks[{hi}]"),
                            &format!("hooks.{event}.{gi}.hooks.{hi}"),
                        );
                    }
                }
            }
        }
    }
    default_permissions(c, config.span(), path, base, permission_names, &mut w);
}

fn default_permissions(
    c: &toml::Table,
    fallback: Range<usize>,
    path: &str,
    base: Option<&toml::Table>,
    defined: &HashSet<&str>,
    w: &mut Walker<'_>,
) {
    let Some(name) = c.get("default_permissions").and_then(|v| v.as_str()) else {
        return;
    };
    let span = w
        .spans
        .value(&format!("{path}.default_permissions"))
        .unwrap_or(fallback);
    let in_config = |t: Option<&toml::Table>| {
        t.and_then(|t| t.get("permissions"))
            .and_then(|v| v.as_table())
            .is_some_and(|p| p.contains_key(name))
    };
    let msg = if name.starts_with(':') {
        (!schema::BUILTIN_PERMISSIONS.contains(&name))
            .then(|| format!("default_permissions refers to unknown built-in profile `{name}`"))
    } else {
        (!defined.contains(name) && !in_config(Some(c)) && !in_config(base))
            .then(|| format!("default_permissions refers to undefined profile `{name}`"))
    };
    if let Some(msg) = msg {
        let candidates = schema::BUILTIN_PERMISSIONS
            .iter()
            .copied()
            .chain(defined.iter().copied());
        w.emit(
            Diagnostic::new(Code::CodexPermissions, msg)
                .with_hint_opt(did_you_mean(name, candidates)),
            span,
        );
    }
}

fn model_allowed(
    config: &toml::Spanned<toml::Table>,
    path: &str,
    allowed: Option<&[&str]>,
    file: FileId,
    spans: &SpanIndex,
    diags: &mut Diagnostics,
) {
    let (Some(model), Some(allowed)) = (
        config.get_ref().get("model").and_then(|v| v.as_str()),
        allowed,
    ) else {
        return;
    };
    if !allowed.contains(&model) {
        diags.push(
            Diagnostic::new(
                Code::ModelNotAllowed,
                format!("model `{model}` is not in the local model policy (policy.toml [model-policy.local])"),
            )
            .at_span(file, spans.value(&format!("{path}.model")).unwrap_or(config.span()))
            .with_hint_opt(did_you_mean(model, allowed.iter().copied())),
        );
    }
}
