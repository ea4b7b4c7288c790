//! The Codex `config.toml` schema for the pinned baseline (Codex CLI 0.139.0),
//! as far as govbook checks it. Top-level keys come from Codex's generated
//! `config.schema.json` and the verified facts in `reference/codex-cli.md`.
//! Tables Codex treats as open or that govbook does not model are `AnyTable`.

/// The type a Codex setting must have.
#[derive(Debug)]
pub(super) enum Ty {
    Str,
    Bool,
    Int,
    /// Integer or float.
    Number,
    StrArray,
    Enum(&'static [&'static str]),
    /// A table with exactly these keys (unknown keys are errors).
    Table(&'static [(&'static str, Ty)]),
    /// A table whose every value is of one shape (`mcp_servers.NAME`).
    MapOf(&'static Ty),
    /// A table govbook does not look inside.
    AnyTable,
    /// Anything.
    Any,
    /// `approval_policy`: an enum or `{ granular = { … } }`.
    Approval,
    /// A legacy selector that Codex 0.134.0 and later refuse or ignore.
    Legacy,
}

/// Reasoning effort: Codex 0.139.0 accepts any string here; govbook holds it
/// to the schema's list.
pub(super) const EFFORTS: &[&str] = &["none", "minimal", "low", "medium", "high", "xhigh"];
/// `approval_policy` string values Codex 0.139.0 accepts.
pub(super) const APPROVALS: &[&str] = &["untrusted", "on-failure", "on-request", "never"];
/// `sandbox_mode` values.
pub(super) const SANDBOX_MODES: &[&str] = &["read-only", "workspace-write", "danger-full-access"];
/// Built-in permissions profiles.
pub(super) const BUILTIN_PERMISSIONS: &[&str] =
    &[":read-only", ":workspace", ":danger-full-access"];

const GRANULAR: Ty = Ty::Table(&[
    ("sandbox_approval", Ty::Bool),
    ("rules", Ty::Bool),
    ("mcp_elicitations", Ty::Bool),
    ("request_permissions", Ty::Bool),
    ("skill_approval", Ty::Bool),
]);

/// The `granular` approval table.
pub(super) const GRANULAR_APPROVAL: &Ty = &Ty::Table(&[("granular", GRANULAR)]);

const MCP_SERVER: Ty = Ty::Table(&[
    ("command", Ty::Str),
    ("args", Ty::StrArray),
    ("env", Ty::AnyTable),
    ("env_vars", Ty::StrArray),
    ("cwd", Ty::Str),
    ("url", Ty::Str),
    ("bearer_token_env_var", Ty::Str),
    ("http_headers", Ty::AnyTable),
    ("env_http_headers", Ty::AnyTable),
    ("oauth", Ty::Any),
    ("oauth_resource", Ty::Str),
    ("scopes", Ty::StrArray),
    ("enabled", Ty::Bool),
    ("required", Ty::Bool),
    ("startup_timeout_sec", Ty::Number),
    ("startup_timeout_ms", Ty::Int),
    ("tool_timeout_sec", Ty::Number),
    ("enabled_tools", Ty::StrArray),
    ("disabled_tools", Ty::StrArray),
    (
        "default_tools_approval_mode",
        Ty::Enum(&["auto", "prompt", "approve"]),
    ),
    ("tools", Ty::AnyTable),
    ("supports_parallel_tool_calls", Ty::Bool),
    ("environment_id", Ty::Str),
    ("name", Ty::Str),
]);

/// The keys of a `[permissions.NAME]` table.
pub(super) const PERMISSIONS_PROFILE: Ty = Ty::Table(&[
    ("description", Ty::Str),
    ("extends", Ty::Str),
    ("filesystem", Ty::AnyTable),
    ("network", Ty::AnyTable),
    ("workspace_roots", Ty::Any),
]);

const PROJECT: Ty = Ty::Table(&[("trust_level", Ty::Enum(&["trusted", "untrusted"]))]);

/// Top-level keys of a Codex config layer (`config.toml` or `NAME.config.toml`).
pub(super) const CONFIG: &[(&str, Ty)] = &[
    ("agents", Ty::AnyTable),
    ("allow_login_shell", Ty::Bool),
    ("analytics", Ty::Table(&[("enabled", Ty::Bool)])),
    ("approval_policy", Ty::Approval),
    (
        "approvals_reviewer",
        Ty::Enum(&["user", "auto_review", "guardian_subagent"]),
    ),
    ("apps", Ty::AnyTable),
    ("apps_mcp_product_sku", Ty::Str),
    ("audio", Ty::AnyTable),
    ("auto_review", Ty::AnyTable),
    ("background_terminal_max_timeout", Ty::Int),
    ("chatgpt_base_url", Ty::Str),
    ("check_for_update_on_startup", Ty::Bool),
    (
        "cli_auth_credentials_store",
        Ty::Enum(&["file", "keyring", "auto", "ephemeral"]),
    ),
    ("compact_prompt", Ty::Str),
    ("debug", Ty::AnyTable),
    ("default_permissions", Ty::Str),
    ("desktop", Ty::AnyTable),
    ("developer_instructions", Ty::Str),
    ("disable_paste_burst", Ty::Bool),
    ("experimental_compact_prompt_file", Ty::Str),
    ("experimental_instructions_file", Ty::Str),
    ("experimental_realtime_start_instructions", Ty::Str),
    ("experimental_realtime_ws_backend_prompt", Ty::Str),
    ("experimental_realtime_ws_base_url", Ty::Str),
    ("experimental_realtime_ws_model", Ty::Str),
    ("experimental_realtime_ws_startup_context", Ty::Str),
    ("experimental_thread_config_endpoint", Ty::Str),
    ("experimental_thread_store", Ty::Any),
    ("experimental_use_freeform_apply_patch", Ty::Bool),
    ("experimental_use_unified_exec_tool", Ty::Bool),
    ("features", Ty::AnyTable),
    ("feedback", Ty::AnyTable),
    (
        "file_opener",
        Ty::Enum(&["vscode", "vscode-insiders", "windsurf", "cursor", "none"]),
    ),
    ("forced_chatgpt_workspace_id", Ty::Any),
    ("forced_login_method", Ty::Str),
    ("ghost_snapshot", Ty::Any),
    ("hide_agent_reasoning", Ty::Bool),
    ("history", Ty::AnyTable),
    ("hooks", Ty::AnyTable),
    ("include_apply_patch_tool", Ty::Bool),
    ("include_apps_instructions", Ty::Bool),
    ("include_collaboration_mode_instructions", Ty::Bool),
    ("include_environment_context", Ty::Bool),
    ("include_permissions_instructions", Ty::Bool),
    ("instructions", Ty::Str),
    ("js_repl_node_module_dirs", Ty::StrArray),
    ("js_repl_node_path", Ty::Str),
    ("log_dir", Ty::Str),
    ("marketplaces", Ty::AnyTable),
    ("mcp_oauth_callback_port", Ty::Int),
    ("mcp_oauth_callback_url", Ty::Str),
    (
        "mcp_oauth_credentials_store",
        Ty::Enum(&["auto", "file", "keyring"]),
    ),
    ("mcp_servers", Ty::MapOf(&MCP_SERVER)),
    ("memories", Ty::AnyTable),
    ("model", Ty::Str),
    ("model_auto_compact_token_limit", Ty::Int),
    (
        "model_auto_compact_token_limit_scope",
        Ty::Enum(&["total", "body_after_prefix"]),
    ),
    ("model_catalog_json", Ty::Str),
    ("model_context_window", Ty::Int),
    ("model_instructions_file", Ty::Str),
    ("model_provider", Ty::Str),
    ("model_providers", Ty::AnyTable),
    ("model_reasoning_effort", Ty::Enum(EFFORTS)),
    (
        "model_reasoning_summary",
        Ty::Enum(&["auto", "concise", "detailed", "none"]),
    ),
    ("model_supports_reasoning_summaries", Ty::Bool),
    ("model_verbosity", Ty::Enum(&["low", "medium", "high"])),
    ("notice", Ty::AnyTable),
    ("notify", Ty::StrArray),
    ("openai_base_url", Ty::Str),
    ("openai_file_api_base_url", Ty::Str),
    ("oss_provider", Ty::Str),
    ("otel", Ty::AnyTable),
    ("permissions", Ty::MapOf(&PERMISSIONS_PROFILE)),
    ("personality", Ty::Enum(&["none", "friendly", "pragmatic"])),
    ("plan_mode_reasoning_effort", Ty::Enum(EFFORTS)),
    ("plugins", Ty::AnyTable),
    ("profile", Ty::Legacy),
    ("profiles", Ty::Legacy),
    ("project_doc_fallback_filenames", Ty::StrArray),
    ("project_doc_max_bytes", Ty::Int),
    ("project_root_markers", Ty::StrArray),
    ("projects", Ty::MapOf(&PROJECT)),
    ("realtime", Ty::Any),
    ("review_model", Ty::Str),
    ("sandbox_mode", Ty::Enum(SANDBOX_MODES)),
    (
        "sandbox_workspace_write",
        Ty::Table(&[
            ("writable_roots", Ty::StrArray),
            ("network_access", Ty::Bool),
            ("exclude_tmpdir_env_var", Ty::Bool),
            ("exclude_slash_tmp", Ty::Bool),
        ]),
    ),
    ("service_tier", Ty::Str),
    (
        "shell_environment_policy",
        Ty::Table(&[
            ("inherit", Ty::Enum(&["core", "all", "none"])),
            ("ignore_default_excludes", Ty::Bool),
            ("exclude", Ty::StrArray),
            ("include_only", Ty::StrArray),
            ("set", Ty::AnyTable),
            ("experimental_use_profile", Ty::Bool),
        ]),
    ),
    ("show_raw_agent_reasoning", Ty::Bool),
    ("skills", Ty::AnyTable),
    ("sqlite_home", Ty::Str),
    ("suppress_unstable_features_warning", Ty::Bool),
    ("tool_output_token_limit", Ty::Int),
    ("tool_suggest", Ty::AnyTable),
    ("tools", Ty::AnyTable),
    ("tools_view_image", Ty::Bool),
    ("tui", Ty::AnyTable),
    ("web_search", Ty::Enum(&["disabled", "cached", "live"])),
    ("windows", Ty::AnyTable),
    ("zsh_path", Ty::Str),
];
