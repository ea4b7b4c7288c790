//! Codex profile checks: every `config` table in `profiles.toml` must be a
//! config layer Codex CLI 0.139.0 loads, and govbook is stricter where Codex
//! is silent (unknown keys, free-form reasoning effort, legacy profiles,
//! values later releases reject).

use std::collections::HashSet;
use std::ops::Range;

use super::codex_schema::{self as schema, Ty};
use crate::decode::SpanIndex;
use crate::diag::{Code, Diagnostic, Diagnostics, did_you_mean};
use crate::model::{GovFile, Policy, Profiles};
use crate::text::FileId;

/// Walks one Codex config table and reports what Codex (or govbook) rejects.
struct Walker<'a> {
    file: FileId,
    spans: &'a SpanIndex,
    diags: &'a mut Diagnostics,
}

impl Walker<'_> {
    fn value_span(&self, path: &str) -> Range<usize> {
        self.spans.value(path).unwrap_or(0..0)
    }

    fn key_span(&self, path: &str) -> Range<usize> {
        self.spans
            .key(path)
            .unwrap_or_else(|| self.value_span(path))
    }

    fn emit(&mut self, d: Diagnostic, span: Range<usize>) {
        self.diags.push(d.at_span(self.file, span));
    }

    fn table(&mut self, table: &toml::Table, fields: &[(&str, Ty)], base: &str, codex_path: &str) {
        for (key, value) in table {
            let path = format!("{base}.{key}");
            let cpath = join(codex_path, key);
            match fields.iter().find(|(k, _)| k == key) {
                Some((_, ty)) => self.value(value, ty, &path, &cpath),
                None => {
                    let hint = did_you_mean(key, fields.iter().map(|(k, _)| *k));
                    let span = self.key_span(&path);
                    self.emit(
                        Diagnostic::new(
                            Code::CodexUnknownKey,
                            format!("Codex CLI 0.139.0 has no setting `{cpath}`"),
                        )
                        .with_hint_opt(hint.or_else(|| {
                            Some("Codex ignores unknown keys without --strict-config; govbook refuses them".into())
                        })),
                        span,
                    );
                }
            }
        }
    }

    fn value(&mut self, v: &toml::Value, ty: &Ty, path: &str, cpath: &str) {
        use toml::Value as V;
        let ok = match (ty, v) {
            (Ty::Any, _) => true,
            (Ty::Str, V::String(_)) | (Ty::Bool, V::Boolean(_)) | (Ty::Int, V::Integer(_)) => true,
            (Ty::Number, V::Integer(_) | V::Float(_)) => true,
            (Ty::StrArray, V::Array(a)) => a.iter().all(|x| x.is_str()),
            (Ty::AnyTable, V::Table(_)) => true,
            (Ty::Enum(options), V::String(s)) => {
                self.enum_value(s, options, path, cpath);
                true
            }
            (Ty::Table(fields), V::Table(t)) => {
                self.table(t, fields, path, cpath);
                true
            }
            (Ty::MapOf(inner), V::Table(t)) => {
                for (k, item) in t {
                    self.value(item, inner, &format!("{path}.{k}"), &format!("{cpath}.{k}"));
                }
                true
            }
            (Ty::Approval, V::String(s)) => {
                self.approval(s, path, cpath);
                true
            }
            (Ty::Approval, V::Table(t)) => {
                if let Ty::Table(fields) = schema::GRANULAR_APPROVAL {
                    self.table(t, fields, path, cpath);
                }
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
                ),
                span,
            );
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

fn join(a: &str, b: &str) -> String {
    if a.is_empty() {
        b.to_owned()
    } else {
        format!("{a}.{b}")
    }
}

fn describe(ty: &Ty) -> &'static str {
    match ty {
        Ty::Str | Ty::Enum(_) => "a string",
        Ty::Bool => "a boolean",
        Ty::Int => "an integer",
        Ty::Number => "a number",
        Ty::StrArray => "an array of strings",
        Ty::Table(_) | Ty::MapOf(_) | Ty::AnyTable => "a table",
        Ty::Approval => "a string or a { granular = … } table",
        Ty::Any | Ty::Legacy => "a value",
    }
}

/// Checks `profiles.toml`.
pub(super) fn check(
    profiles: &GovFile<Profiles>,
    policy: Option<&GovFile<Policy>>,
    diags: &mut Diagnostics,
) {
    let file = profiles.file;
    let spans = &profiles.spans;
    let p = &profiles.value;
    let local_models: Option<Vec<&str>> =
        policy
            .and_then(|p| p.value.model_policy.as_ref())
            .map(|mp| {
                mp.get_ref()
                    .local
                    .get_ref()
                    .models
                    .iter()
                    .map(String::as_str)
                    .collect()
            });

    let permission_names: HashSet<&str> = p
        .permissions
        .iter()
        .map(|pp| pp.get_ref().name.get_ref().as_str())
        .collect();

    if let Some(base) = &p.base {
        let b = base.get_ref();
        let path = spans
            .path_of(&b.config.span())
            .unwrap_or("base.config")
            .to_owned();
        validate(&b.config, &path, file, spans, diags);
        danger(
            &b.config,
            &path,
            b.justification.as_deref(),
            b.approver.as_deref(),
            file,
            spans,
            diags,
        );
        default_permissions(&b.config, &path, &permission_names, file, spans, diags);
        model_allowed(
            &b.config,
            &path,
            local_models.as_deref(),
            file,
            spans,
            diags,
        );
    }

    let mut seen = HashSet::new();
    for prof in &p.profile {
        let pr = prof.get_ref();
        let name = pr.name.get_ref();
        if !valid_profile_name(name) {
            diags.push(
                Diagnostic::new(
                    Code::CodexProfileName,
                    format!("`{name}` is not a profile name Codex accepts"),
                )
                .at_span(file, pr.name.span())
                .with_hint(
                    "use letters, digits, `-` and `_` only (codex -p rejects anything else)",
                ),
            );
        }
        if !seen.insert(name.as_str()) {
            diags.push(
                Diagnostic::new(
                    Code::DuplicateId,
                    format!("profile `{name}` is defined twice"),
                )
                .at_span(file, pr.name.span()),
            );
        }
        let path = spans
            .path_of(&pr.config.span())
            .unwrap_or_default()
            .to_owned();
        validate(&pr.config, &path, file, spans, diags);
        danger(
            &pr.config,
            &path,
            pr.justification.as_deref(),
            pr.approver.as_deref(),
            file,
            spans,
            diags,
        );
        default_permissions(&pr.config, &path, &permission_names, file, spans, diags);
        model_allowed(
            &pr.config,
            &path,
            local_models.as_deref(),
            file,
            spans,
            diags,
        );
    }

    let mut seen = HashSet::new();
    for perm in &p.permissions {
        let pp = perm.get_ref();
        let name = pp.name.get_ref();
        if !valid_profile_name(name) {
            diags.push(
                Diagnostic::new(Code::CodexProfileName, format!("`{name}` is not a permissions profile name"))
                    .at_span(file, pp.name.span())
                    .with_hint("use letters, digits, `-` and `_`; names starting with `:` are Codex's built-ins"),
            );
        }
        if !seen.insert(name.as_str()) {
            diags.push(
                Diagnostic::new(
                    Code::DuplicateId,
                    format!("permissions profile `{name}` is defined twice"),
                )
                .at_span(file, pp.name.span()),
            );
        }
        let path = spans
            .path_of(&pp.config.span())
            .unwrap_or_default()
            .to_owned();
        let mut w = Walker { file, spans, diags };
        if let Ty::Table(fields) = &schema::PERMISSIONS_PROFILE {
            w.table(
                pp.config.get_ref(),
                fields,
                &path,
                &format!("permissions.{name}"),
            );
        }
        match pp.config.get_ref().get("extends").and_then(|v| v.as_str()) {
            Some(ext) if ext.starts_with(':') && !schema::BUILTIN_PERMISSIONS.contains(&ext) => {
                diags.push(
                    Diagnostic::new(
                        Code::CodexPermissions,
                        format!("permissions profile `{name}` cannot extend unsupported built-in profile `{ext}`"),
                    )
                    .at_span(file, spans.value(&format!("{path}.extends")).unwrap_or(pp.config.span()))
                    .with_hint_opt(did_you_mean(ext, schema::BUILTIN_PERMISSIONS.iter().copied())),
                );
            }
            Some(":danger-full-access") if pp.justification.is_none() || pp.approver.is_none() => {
                diags.push(
                    Diagnostic::new(
                        Code::DangerUnjustified,
                        format!("permissions profile `{name}` extends :danger-full-access without justification and approver"),
                    )
                    .at_span(file, spans.value(&format!("{path}.extends")).unwrap_or(pp.config.span()))
                    .with_hint("add `justification` and `approver` to the [[permissions]] entry"),
                );
            }
            Some(ext) if !ext.starts_with(':') && !permission_names.contains(ext) => {
                diags.push(
                    Diagnostic::new(
                        Code::CodexPermissions,
                        format!(
                            "permissions profile `{name}` extends `{ext}`, which is not defined"
                        ),
                    )
                    .at_span(
                        file,
                        spans
                            .value(&format!("{path}.extends"))
                            .unwrap_or(pp.config.span()),
                    ),
                );
            }
            _ => {}
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
    w.table(config.get_ref(), schema::CONFIG, path, "");
}

fn danger(
    config: &toml::Spanned<toml::Table>,
    path: &str,
    justification: Option<&str>,
    approver: Option<&str>,
    file: FileId,
    spans: &SpanIndex,
    diags: &mut Diagnostics,
) {
    let justified = justification.is_some_and(|s| !s.trim().is_empty())
        && approver.is_some_and(|s| !s.trim().is_empty());
    if justified {
        return;
    }
    let c = config.get_ref();
    for (key, bad) in [
        ("sandbox_mode", "danger-full-access"),
        ("approval_policy", "never"),
    ] {
        if c.get(key).and_then(|v| v.as_str()) == Some(bad) {
            diags.push(
                Diagnostic::new(
                    Code::DangerUnjustified,
                    format!("{key} = \"{bad}\" needs a written justification and an approver"),
                )
                .at_span(file, spans.value(&format!("{path}.{key}")).unwrap_or(config.span()))
                .with_hint("add `justification = \"…\"` and `approver = \"…\"` beside `config` in this entry"),
            );
        }
    }
}

fn default_permissions(
    config: &toml::Spanned<toml::Table>,
    path: &str,
    defined: &HashSet<&str>,
    file: FileId,
    spans: &SpanIndex,
    diags: &mut Diagnostics,
) {
    let Some(name) = config
        .get_ref()
        .get("default_permissions")
        .and_then(|v| v.as_str())
    else {
        return;
    };
    let span = spans
        .value(&format!("{path}.default_permissions"))
        .unwrap_or(config.span());
    let msg = if name.starts_with(':') {
        (!schema::BUILTIN_PERMISSIONS.contains(&name))
            .then(|| format!("default_permissions refers to unknown built-in profile `{name}`"))
    } else {
        (!defined.contains(name))
            .then(|| format!("default_permissions refers to undefined profile `{name}`"))
    };
    if let Some(msg) = msg {
        let candidates = schema::BUILTIN_PERMISSIONS
            .iter()
            .copied()
            .chain(defined.iter().copied());
        diags.push(
            Diagnostic::new(Code::CodexPermissions, msg)
                .at_span(file, span)
                .with_hint_opt(did_you_mean(name, candidates)),
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
