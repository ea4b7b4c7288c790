//! The Codex `config.toml` schema for the pinned baseline (Codex CLI 0.139.0):
//! every key Codex reads, typed as Codex types it. Written from what the
//! 0.139.0 binary accepts and rejects under `--strict-config` (probed one key
//! at a time, and kept honest by `tests/testsuite/codex_differential.rs`), with Codex's
//! published config schema as the map of where to look.
//!
//! Where Codex ignores unknown keys even under `--strict-config` (permissions
//! profiles), govbook still refuses them: a misspelt permission is a silent
//! hole in a governed profile. Where a table is documented as open (TUI,
//! hooks, app and agent entries), govbook follows Codex.

/// The type a Codex setting must have.
#[derive(Debug)]
pub(super) enum Ty {
    Str,
    Bool,
    /// An integer within `min..=max` (Codex's `usize`, `u16`, `i64`, …).
    Int {
        min: i64,
        max: i64,
    },
    /// Integer or float, not negative (Codex turns it into a duration).
    Seconds,
    Array(&'static Ty),
    Enum(&'static [&'static str]),
    Struct(&'static Struct),
    /// A table whose every value has one shape (`mcp_servers.NAME`).
    MapOf(&'static Ty),
    /// Either shape, as Codex's untagged enums (`true` or a table).
    Either(&'static Ty, &'static Ty),
    /// A table Codex keeps opaque.
    AnyTable,
    /// `[features]`: flags by name (see [`feature`]).
    Features,
    /// `approval_policy`: an enum or `{ granular = { … } }`.
    Approval,
    /// A legacy selector that Codex 0.134.0 and later refuse or ignore.
    Legacy,
}

/// A table with named keys.
#[derive(Debug)]
pub(super) struct Struct {
    pub fields: &'static [(&'static str, Ty)],
    /// Keys Codex requires when the table is present.
    pub required: &'static [&'static str],
    pub rest: Rest,
}

/// What a table does with a key it does not name.
#[derive(Debug)]
pub(super) enum Rest {
    /// Refused (Codex's `--strict-config`, or govbook's own rule).
    Deny,
    /// Accepted and not looked at (Codex ignores it even when strict).
    Ignore,
    /// Every other key is an entry of this shape (`[agents.ROLE]`).
    Entries(&'static Ty),
}

/// A table with exactly these keys.
macro_rules! s {
    ($fields:expr) => {
        Ty::Struct(&Struct {
            fields: $fields,
            required: &[],
            rest: Rest::Deny,
        })
    };
}

const U64: Ty = Ty::Int {
    min: 0,
    max: i64::MAX,
};
const I64: Ty = Ty::Int {
    min: i64::MIN,
    max: i64::MAX,
};
const POSITIVE: Ty = Ty::Int {
    min: 1,
    max: i64::MAX,
};
const STRS: Ty = Ty::Array(&Ty::Str);
const STR_MAP: Ty = Ty::MapOf(&Ty::Str);
/// `allow` or `deny`, the verdict on a domain or socket.
const ALLOW_DENY: Ty = Ty::Enum(&["allow", "deny"]);
/// A key binding: one key spec or a list of them.
const KEYS: Ty = Ty::Either(&Ty::Str, &STRS);
const TOOL_APPROVAL: Ty = Ty::Enum(&["auto", "prompt", "approve"]);

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
/// Model providers built into Codex 0.139.0: `model_provider` may name them
/// and `[model_providers.*]` may not redefine them.
pub(super) const BUILTIN_PROVIDERS: &[&str] = &["openai", "ollama", "lmstudio"];

/// The `granular` approval table.
pub(super) const GRANULAR_APPROVAL: &Struct = &Struct {
    fields: &[(
        "granular",
        Ty::Struct(&Struct {
            fields: &[
                ("sandbox_approval", Ty::Bool),
                ("rules", Ty::Bool),
                ("mcp_elicitations", Ty::Bool),
                ("request_permissions", Ty::Bool),
                ("skill_approval", Ty::Bool),
            ],
            required: &["sandbox_approval", "rules", "mcp_elicitations"],
            rest: Rest::Deny,
        }),
    )],
    required: &["granular"],
    rest: Rest::Deny,
};

/// Keys only a stdio (`command`) MCP server takes.
pub(super) const MCP_STDIO_ONLY: &[&str] = &["args", "env", "env_vars", "cwd"];
/// Keys only a streamable HTTP (`url`) MCP server takes.
pub(super) const MCP_HTTP_ONLY: &[&str] = &[
    "bearer_token_env_var",
    "http_headers",
    "env_http_headers",
    "oauth",
    "oauth_resource",
];

const MCP_TOOLS: Ty = Ty::MapOf(&s!(&[("approval_mode", TOOL_APPROVAL)]));

const MCP_SERVER: Ty = s!(&[
    ("command", Ty::Str),
    ("args", STRS),
    ("env", STR_MAP),
    (
        "env_vars",
        Ty::Array(&Ty::Either(
            &Ty::Str,
            &Ty::Struct(&Struct {
                fields: &[
                    ("name", Ty::Str),
                    ("source", Ty::Enum(&["local", "remote"]))
                ],
                required: &["name"],
                rest: Rest::Deny,
            }),
        )),
    ),
    ("cwd", Ty::Str),
    ("url", Ty::Str),
    ("bearer_token_env_var", Ty::Str),
    ("http_headers", STR_MAP),
    ("env_http_headers", STR_MAP),
    ("oauth", s!(&[("client_id", Ty::Str)])),
    ("oauth_resource", Ty::Str),
    ("scopes", STRS),
    ("enabled", Ty::Bool),
    ("required", Ty::Bool),
    ("startup_timeout_sec", Ty::Seconds),
    ("startup_timeout_ms", U64),
    ("tool_timeout_sec", Ty::Seconds),
    ("enabled_tools", STRS),
    ("disabled_tools", STRS),
    ("default_tools_approval_mode", TOOL_APPROVAL),
    ("tools", MCP_TOOLS),
    ("supports_parallel_tool_calls", Ty::Bool),
    ("environment_id", Ty::Str),
    ("name", Ty::Str),
]);

const FS_ACCESS: Ty = Ty::Enum(&["read", "write", "deny", "none"]);

const NETWORK_MITM: Ty = s!(&[
    (
        "actions",
        Ty::MapOf(&Ty::Struct(&Struct {
            fields: &[
                (
                    "inject_request_headers",
                    Ty::Array(&Ty::Struct(&Struct {
                        fields: &[
                            ("name", Ty::Str),
                            ("prefix", Ty::Str),
                            ("secret_env_var", Ty::Str),
                            ("secret_file", Ty::Str),
                        ],
                        required: &[],
                        rest: Rest::Deny,
                    })),
                ),
                ("strip_request_headers", STRS),
            ],
            required: &[],
            rest: Rest::Deny,
        })),
    ),
    (
        "hooks",
        Ty::MapOf(&Ty::Struct(&Struct {
            fields: &[
                ("action", STRS),
                ("body", Ty::Bool),
                ("headers", Ty::MapOf(&STRS)),
                ("host", Ty::Str),
                ("methods", STRS),
                ("path_prefixes", STRS),
                ("query", Ty::MapOf(&STRS)),
            ],
            required: &["action", "host", "methods", "path_prefixes"],
            rest: Rest::Deny,
        })),
    ),
]);

/// The network settings shared by permissions profiles and the
/// `network_proxy` feature.
const NETWORK_FIELDS: &[(&str, Ty)] = &[
    ("allow_local_binding", Ty::Bool),
    ("allow_upstream_proxy", Ty::Bool),
    ("dangerously_allow_all_unix_sockets", Ty::Bool),
    ("dangerously_allow_non_loopback_proxy", Ty::Bool),
    ("domains", Ty::MapOf(&ALLOW_DENY)),
    ("enable_socks5", Ty::Bool),
    ("enable_socks5_udp", Ty::Bool),
    ("enabled", Ty::Bool),
    ("mitm", NETWORK_MITM),
    ("mode", Ty::Enum(&["limited", "full"])),
    ("proxy_url", Ty::Str),
    ("socks_url", Ty::Str),
    ("unix_sockets", Ty::MapOf(&ALLOW_DENY)),
];

/// The keys of a `[permissions.NAME]` table.
pub(super) const PERMISSIONS_PROFILE: Ty = s!(&[
    ("description", Ty::Str),
    ("extends", Ty::Str),
    (
        "filesystem",
        Ty::Struct(&Struct {
            fields: &[("glob_scan_max_depth", POSITIVE)],
            required: &[],
            rest: Rest::Entries(&Ty::Either(&FS_ACCESS, &Ty::MapOf(&FS_ACCESS))),
        }),
    ),
    ("network", s!(NETWORK_FIELDS)),
    ("workspace_roots", Ty::MapOf(&Ty::Bool)),
]);

const PROJECT: Ty = s!(&[("trust_level", Ty::Enum(&["trusted", "untrusted"]))]);

const FEATURE_FLAGS: &[&str] = &[
    // `codex features list` (0.139.0), every stage including removed ones:
    // Codex still accepts their keys.
    "apply_patch_freeform",
    "apply_patch_streaming_events",
    "apps",
    "artifact",
    "auth_elicitation",
    "browser_use",
    "browser_use_external",
    "child_agents_md",
    "chronicle",
    "code_mode",
    "code_mode_only",
    "codex_git_commit",
    "collaboration_modes",
    "computer_use",
    "default_mode_request_user_input",
    "elevated_windows_sandbox",
    "enable_fanout",
    "enable_mcp_apps",
    "enable_request_compression",
    "exec_permission_approvals",
    "experimental_windows_sandbox",
    "external_migration",
    "fast_mode",
    "goals",
    "guardian_approval",
    "hooks",
    "image_detail_original",
    "image_generation",
    "imagegenext",
    "in_app_browser",
    "js_repl",
    "js_repl_tools_only",
    "local_thread_store_compression",
    "memories",
    "mentions_v2",
    "multi_agent",
    "non_prefixed_mcp_tool_names",
    "personality",
    "plugin_hooks",
    "plugin_sharing",
    "plugins",
    "prevent_idle_sleep",
    "realtime_conversation",
    "remote_compaction_v2",
    "remote_control",
    "remote_models",
    "remote_plugin",
    "request_permissions_tool",
    "request_rule",
    "responses_websockets",
    "responses_websockets_v2",
    "runtime_metrics",
    "search_tool",
    "shell_snapshot",
    "shell_tool",
    "shell_zsh_fork",
    "skill_env_var_dependency_prompt",
    "skill_mcp_dependency_install",
    "sqlite",
    "standalone_web_search",
    "steer",
    "terminal_resize_reflow",
    "terminal_visualization_instructions",
    "tool_call_mcp_elicitation",
    "tool_search",
    "tool_search_always_defer_mcp_tools",
    "tool_suggest",
    "tui_app_server",
    "unavailable_dummy_tools",
    "undo",
    "unified_exec",
    "unified_exec_zsh_fork",
    "use_legacy_landlock",
    "use_linux_sandbox_bwrap",
    "web_search_cached",
    "web_search_request",
    "workspace_dependencies",
    "workspace_owner_usage_nudge",
    // Older names Codex 0.139.0 still maps onto the flags above.
    "collab",
    "connectors",
    "codex_hooks",
    "enable_experimental_windows_sandbox",
    "experimental_use_unified_exec_tool",
    "memory_tool",
    "request_permissions",
    "telepathy",
    "web_search",
];

/// The `[features]` flags that take a table as well as a boolean.
const FEATURE_TABLES: &[(&str, Ty)] = &[
    (
        "apps_mcp_path_override",
        Ty::Either(&Ty::Bool, &s!(&[("enabled", Ty::Bool), ("path", Ty::Str)])),
    ),
    (
        "multi_agent_v2",
        Ty::Either(
            &Ty::Bool,
            &s!(&[
                (
                    "default_wait_timeout_ms",
                    Ty::Int {
                        min: 0,
                        max: 3_600_000
                    }
                ),
                ("enabled", Ty::Bool),
                ("hide_spawn_agent_metadata", Ty::Bool),
                ("max_concurrent_threads_per_session", POSITIVE),
                (
                    "max_wait_timeout_ms",
                    Ty::Int {
                        min: 0,
                        max: 3_600_000
                    }
                ),
                (
                    "min_wait_timeout_ms",
                    Ty::Int {
                        min: 0,
                        max: 3_600_000
                    }
                ),
                ("non_code_mode_only", Ty::Bool),
                ("root_agent_usage_hint_text", Ty::Str),
                ("subagent_usage_hint_text", Ty::Str),
                ("tool_namespace", Ty::Str),
                ("usage_hint_enabled", Ty::Bool),
                ("usage_hint_text", Ty::Str),
            ]),
        ),
    ),
    ("network_proxy", Ty::Either(&Ty::Bool, &s!(NETWORK_FIELDS))),
];

/// Whether `name` is a `[features]` key Codex 0.139.0 knows.
pub(super) fn feature(name: &str) -> Option<&'static Ty> {
    if FEATURE_FLAGS.contains(&name) {
        return Some(&Ty::Bool);
    }
    FEATURE_TABLES
        .iter()
        .find(|(k, _)| *k == name)
        .map(|(_, t)| t)
}

/// Every `[features]` key, for "did you mean".
pub(super) fn feature_names() -> impl Iterator<Item = &'static str> {
    FEATURE_FLAGS
        .iter()
        .copied()
        .chain(FEATURE_TABLES.iter().map(|(k, _)| *k))
}

// A hook handler is tagged by `type`; only a command handler has fields,
// and Codex ignores whatever else a handler carries.
const HOOK_HANDLER: Ty = Ty::Struct(&Struct {
    fields: &[("type", Ty::Enum(&["command", "prompt", "agent"]))],
    required: &["type"],
    rest: Rest::Ignore,
});

/// A `type = "command"` hook handler (checked in codex.rs once the type is
/// known).
pub(super) const COMMAND_HOOK: Struct = Struct {
    fields: &[
        ("type", Ty::Enum(&["command"])),
        ("command", Ty::Str),
        ("commandWindows", Ty::Str),
        ("statusMessage", Ty::Str),
        ("timeout", U64),
        ("async", Ty::Bool),
    ],
    required: &["command"],
    rest: Rest::Ignore,
};

const MATCHER_GROUP: Ty = Ty::Struct(&Struct {
    fields: &[("matcher", Ty::Str), ("hooks", Ty::Array(&HOOK_HANDLER))],
    required: &[],
    rest: Rest::Ignore,
});

const HOOKS: Ty = Ty::Struct(&Struct {
    fields: &[
        ("PermissionRequest", Ty::Array(&MATCHER_GROUP)),
        ("PostCompact", Ty::Array(&MATCHER_GROUP)),
        ("PostToolUse", Ty::Array(&MATCHER_GROUP)),
        ("PreCompact", Ty::Array(&MATCHER_GROUP)),
        ("PreToolUse", Ty::Array(&MATCHER_GROUP)),
        ("SessionStart", Ty::Array(&MATCHER_GROUP)),
        ("Stop", Ty::Array(&MATCHER_GROUP)),
        ("SubagentStart", Ty::Array(&MATCHER_GROUP)),
        ("SubagentStop", Ty::Array(&MATCHER_GROUP)),
        ("UserPromptSubmit", Ty::Array(&MATCHER_GROUP)),
        (
            "state",
            Ty::MapOf(&s!(&[("enabled", Ty::Bool), ("trusted_hash", Ty::Str)])),
        ),
    ],
    required: &[],
    rest: Rest::Ignore,
});

const OTEL_TLS: Ty = s!(&[
    ("ca-certificate", Ty::Str),
    ("client-certificate", Ty::Str),
    ("client-private-key", Ty::Str),
]);

const OTEL_EXPORTER: Ty = Ty::Either(
    &Ty::Enum(&["none", "statsig"]),
    &s!(&[
        (
            "otlp-http",
            Ty::Struct(&Struct {
                fields: &[
                    ("endpoint", Ty::Str),
                    ("headers", STR_MAP),
                    ("protocol", Ty::Enum(&["binary", "json"])),
                    ("tls", OTEL_TLS),
                ],
                required: &["endpoint", "protocol"],
                rest: Rest::Deny,
            }),
        ),
        (
            "otlp-grpc",
            Ty::Struct(&Struct {
                fields: &[
                    ("endpoint", Ty::Str),
                    ("headers", STR_MAP),
                    ("tls", OTEL_TLS),
                ],
                required: &["endpoint"],
                rest: Rest::Deny,
            }),
        ),
    ]),
);

const MODEL_PROVIDER: Ty = Ty::Struct(&Struct {
    fields: &[
        (
            "auth",
            Ty::Struct(&Struct {
                fields: &[
                    ("args", STRS),
                    ("command", Ty::Str),
                    ("cwd", Ty::Str),
                    ("refresh_interval_ms", U64),
                    ("timeout_ms", POSITIVE),
                ],
                required: &["command"],
                rest: Rest::Deny,
            }),
        ),
        ("aws", s!(&[("profile", Ty::Str), ("region", Ty::Str)])),
        ("base_url", Ty::Str),
        ("env_http_headers", STR_MAP),
        ("env_key", Ty::Str),
        ("env_key_instructions", Ty::Str),
        ("experimental_bearer_token", Ty::Str),
        ("http_headers", STR_MAP),
        ("name", Ty::Str),
        ("query_params", STR_MAP),
        ("request_max_retries", U64),
        ("requires_openai_auth", Ty::Bool),
        ("stream_idle_timeout_ms", U64),
        ("stream_max_retries", U64),
        ("supports_websockets", Ty::Bool),
        ("websocket_connect_timeout_ms", U64),
        ("wire_api", Ty::Enum(&["responses"])),
    ],
    // Codex refuses a provider without a display name.
    required: &["name"],
    rest: Rest::Deny,
});

const TUI: Ty = Ty::Struct(&Struct {
    fields: &[
        ("alternate_screen", Ty::Enum(&["auto", "always", "never"])),
        ("animations", Ty::Bool),
        // Contexts hold action = key spec(s); the actions per context are
        // TUI detail govbook leaves to Codex.
        (
            "keymap",
            Ty::Struct(&Struct {
                fields: &[
                    ("global", Ty::MapOf(&KEYS)),
                    ("chat", Ty::MapOf(&KEYS)),
                    ("composer", Ty::MapOf(&KEYS)),
                    ("editor", Ty::MapOf(&KEYS)),
                    ("vim_normal", Ty::MapOf(&KEYS)),
                    ("vim_operator", Ty::MapOf(&KEYS)),
                    ("vim_text_object", Ty::MapOf(&KEYS)),
                    ("pager", Ty::MapOf(&KEYS)),
                    ("list", Ty::MapOf(&KEYS)),
                    ("approval", Ty::MapOf(&KEYS)),
                ],
                required: &[],
                rest: Rest::Deny,
            }),
        ),
        (
            "model_availability_nux",
            Ty::MapOf(&Ty::Int {
                min: 0,
                max: u32::MAX as i64,
            }),
        ),
        ("notification_condition", Ty::Enum(&["unfocused", "always"])),
        ("notification_method", Ty::Enum(&["auto", "osc9", "bel"])),
        ("notifications", Ty::Either(&Ty::Bool, &STRS)),
        ("pet", Ty::Str),
        ("pet_anchor", Ty::Str),
        ("raw_output_mode", Ty::Bool),
        ("session_picker_view", Ty::Enum(&["comfortable", "dense"])),
        ("show_tooltips", Ty::Bool),
        ("status_line", STRS),
        ("status_line_use_colors", Ty::Bool),
        ("terminal_resize_reflow_max_rows", U64),
        ("terminal_title", STRS),
        ("theme", Ty::Str),
        ("vim_mode_default", Ty::Bool),
    ],
    required: &[],
    rest: Rest::Ignore,
});

const APP_FIELDS: &[(&str, Ty)] = &[
    (
        "approvals_reviewer",
        Ty::Enum(&["user", "auto_review", "guardian_subagent"]),
    ),
    ("default_tools_approval_mode", TOOL_APPROVAL),
    ("default_tools_enabled", Ty::Bool),
    ("destructive_enabled", Ty::Bool),
    ("enabled", Ty::Bool),
    ("open_world_enabled", Ty::Bool),
    (
        "tools",
        Ty::MapOf(&s!(&[
            ("approval_mode", TOOL_APPROVAL),
            ("enabled", Ty::Bool)
        ])),
    ),
];

const APPS: Ty = Ty::Struct(&Struct {
    fields: &[(
        "_default",
        s!(&[
            ("destructive_enabled", Ty::Bool),
            ("enabled", Ty::Bool),
            ("open_world_enabled", Ty::Bool),
        ]),
    )],
    required: &[],
    rest: Rest::Entries(&Ty::Struct(&Struct {
        fields: APP_FIELDS,
        required: &[],
        rest: Rest::Ignore,
    })),
});

const AGENTS: Ty = Ty::Struct(&Struct {
    fields: &[
        ("interrupt_message", Ty::Bool),
        ("job_max_runtime_seconds", POSITIVE),
        ("max_depth", POSITIVE),
        ("max_threads", POSITIVE),
    ],
    required: &[],
    rest: Rest::Entries(&Ty::Struct(&Struct {
        fields: &[
            ("config_file", Ty::Str),
            ("description", Ty::Str),
            ("nickname_candidates", STRS),
        ],
        required: &[],
        rest: Rest::Ignore,
    })),
});

const WEB_SEARCH_TOOL: Ty = Ty::Either(
    &Ty::Bool,
    &Ty::Struct(&Struct {
        fields: &[
            ("allowed_domains", STRS),
            ("context_size", Ty::Enum(&["low", "medium", "high"])),
            (
                "location",
                s!(&[
                    ("city", Ty::Str),
                    ("country", Ty::Str),
                    ("region", Ty::Str),
                    ("timezone", Ty::Str),
                ]),
            ),
        ],
        required: &[],
        rest: Rest::Ignore,
    }),
);

const TOOL_SUGGESTION: Ty = Ty::Struct(&Struct {
    fields: &[
        ("id", Ty::Str),
        ("type", Ty::Enum(&["connector", "plugin"])),
    ],
    required: &["id", "type"],
    rest: Rest::Deny,
});

/// Top-level keys of a Codex config layer (`config.toml` or `NAME.config.toml`).
pub(super) const CONFIG: &[(&str, Ty)] = &[
    ("agents", AGENTS),
    ("allow_login_shell", Ty::Bool),
    ("analytics", s!(&[("enabled", Ty::Bool)])),
    ("approval_policy", Ty::Approval),
    (
        "approvals_reviewer",
        Ty::Enum(&["user", "auto_review", "guardian_subagent"]),
    ),
    ("apps", APPS),
    ("apps_mcp_product_sku", Ty::Str),
    (
        "audio",
        s!(&[("microphone", Ty::Str), ("speaker", Ty::Str)]),
    ),
    ("auto_review", s!(&[("policy", Ty::Str)])),
    ("background_terminal_max_timeout", U64),
    ("chatgpt_base_url", Ty::Str),
    ("check_for_update_on_startup", Ty::Bool),
    (
        "cli_auth_credentials_store",
        Ty::Enum(&["file", "keyring", "auto", "ephemeral"]),
    ),
    ("compact_prompt", Ty::Str),
    (
        "debug",
        s!(&[(
            "config_lockfile",
            s!(&[
                ("allow_codex_version_mismatch", Ty::Bool),
                ("export_dir", Ty::Str),
                ("load_path", Ty::Str),
                ("save_fields_resolved_from_model_catalog", Ty::Bool),
            ]),
        )]),
    ),
    ("default_permissions", Ty::Str),
    ("desktop", Ty::AnyTable),
    ("developer_instructions", Ty::Str),
    ("disable_paste_burst", Ty::Bool),
    ("experimental_compact_prompt_file", Ty::Str),
    ("experimental_realtime_start_instructions", Ty::Str),
    ("experimental_realtime_ws_backend_prompt", Ty::Str),
    ("experimental_realtime_ws_base_url", Ty::Str),
    ("experimental_realtime_ws_model", Ty::Str),
    ("experimental_realtime_ws_startup_context", Ty::Str),
    ("experimental_thread_config_endpoint", Ty::Str),
    (
        "experimental_thread_store",
        Ty::Struct(&Struct {
            fields: &[("type", Ty::Enum(&["local", "in_memory"]))],
            required: &["type"],
            rest: Rest::Deny,
        }),
    ),
    ("experimental_use_unified_exec_tool", Ty::Bool),
    ("features", Ty::Features),
    ("feedback", s!(&[("enabled", Ty::Bool)])),
    (
        "file_opener",
        Ty::Enum(&["vscode", "vscode-insiders", "windsurf", "cursor", "none"]),
    ),
    ("forced_chatgpt_workspace_id", Ty::Either(&Ty::Str, &STRS)),
    ("forced_login_method", Ty::Enum(&["chatgpt", "api"])),
    (
        "ghost_snapshot",
        s!(&[
            ("disable_warnings", Ty::Bool),
            ("ignore_large_untracked_dirs", I64),
            ("ignore_large_untracked_files", I64),
        ]),
    ),
    ("hide_agent_reasoning", Ty::Bool),
    (
        "history",
        s!(&[
            ("max_bytes", U64),
            ("persistence", Ty::Enum(&["save-all", "none"])),
        ]),
    ),
    ("hooks", HOOKS),
    ("include_apps_instructions", Ty::Bool),
    ("include_collaboration_mode_instructions", Ty::Bool),
    ("include_environment_context", Ty::Bool),
    ("include_permissions_instructions", Ty::Bool),
    ("instructions", Ty::Str),
    ("js_repl_node_module_dirs", STRS),
    ("js_repl_node_path", Ty::Str),
    ("log_dir", Ty::Str),
    (
        "marketplaces",
        Ty::MapOf(&s!(&[
            ("last_revision", Ty::Str),
            ("last_updated", Ty::Str),
            ("ref", Ty::Str),
            ("source", Ty::Str),
            ("source_type", Ty::Enum(&["git", "local"])),
            ("sparse_paths", STRS),
        ])),
    ),
    ("mcp_oauth_callback_port", Ty::Int { min: 0, max: 65535 }),
    ("mcp_oauth_callback_url", Ty::Str),
    (
        "mcp_oauth_credentials_store",
        Ty::Enum(&["auto", "file", "keyring"]),
    ),
    ("mcp_servers", Ty::MapOf(&MCP_SERVER)),
    (
        "memories",
        s!(&[
            ("consolidation_model", Ty::Str),
            ("dedicated_tools", Ty::Bool),
            ("disable_on_external_context", Ty::Bool),
            ("extract_model", Ty::Str),
            ("generate_memories", Ty::Bool),
            ("max_raw_memories_for_consolidation", U64),
            ("max_rollout_age_days", I64),
            ("max_rollouts_per_startup", U64),
            ("max_unused_days", I64),
            ("min_rate_limit_remaining_percent", I64),
            ("min_rollout_idle_hours", I64),
            ("use_memories", Ty::Bool),
        ]),
    ),
    ("model", Ty::Str),
    ("model_auto_compact_token_limit", I64),
    (
        "model_auto_compact_token_limit_scope",
        Ty::Enum(&["total", "body_after_prefix"]),
    ),
    ("model_catalog_json", Ty::Str),
    ("model_context_window", I64),
    ("model_instructions_file", Ty::Str),
    ("model_provider", Ty::Str),
    ("model_providers", Ty::MapOf(&MODEL_PROVIDER)),
    ("model_reasoning_effort", Ty::Enum(EFFORTS)),
    (
        "model_reasoning_summary",
        Ty::Enum(&["auto", "concise", "detailed", "none"]),
    ),
    ("model_supports_reasoning_summaries", Ty::Bool),
    ("model_verbosity", Ty::Enum(&["low", "medium", "high"])),
    (
        "notice",
        s!(&[
            (
                "external_config_migration_prompts",
                s!(&[
                    ("home", Ty::Bool),
                    ("home_last_prompted_at", I64),
                    ("project_last_prompted_at", Ty::MapOf(&I64)),
                    ("projects", Ty::MapOf(&Ty::Bool)),
                ]),
            ),
            ("fast_default_opt_out", Ty::Bool),
            ("hide_full_access_warning", Ty::Bool),
            ("hide_gpt-5.1-codex-max_migration_prompt", Ty::Bool),
            ("hide_gpt5_1_migration_prompt", Ty::Bool),
            ("hide_rate_limit_model_nudge", Ty::Bool),
            ("hide_world_writable_warning", Ty::Bool),
            ("model_migrations", STR_MAP),
        ]),
    ),
    ("notify", STRS),
    ("openai_base_url", Ty::Str),
    ("oss_provider", Ty::Str),
    (
        "otel",
        s!(&[
            ("environment", Ty::Str),
            ("exporter", OTEL_EXPORTER),
            ("log_user_prompt", Ty::Bool),
            ("metrics_exporter", OTEL_EXPORTER),
            ("span_attributes", STR_MAP),
            ("trace_exporter", OTEL_EXPORTER),
            ("tracestate", Ty::MapOf(&STR_MAP)),
        ]),
    ),
    ("permissions", Ty::MapOf(&PERMISSIONS_PROFILE)),
    ("personality", Ty::Enum(&["none", "friendly", "pragmatic"])),
    ("plan_mode_reasoning_effort", Ty::Enum(EFFORTS)),
    (
        "plugins",
        Ty::MapOf(&s!(&[
            ("enabled", Ty::Bool),
            (
                "mcp_servers",
                Ty::MapOf(&s!(&[
                    ("default_tools_approval_mode", TOOL_APPROVAL),
                    ("disabled_tools", STRS),
                    ("enabled", Ty::Bool),
                    ("enabled_tools", STRS),
                    ("tools", MCP_TOOLS),
                ])),
            ),
        ])),
    ),
    ("profile", Ty::Legacy),
    ("profiles", Ty::Legacy),
    ("project_doc_fallback_filenames", STRS),
    ("project_doc_max_bytes", U64),
    ("project_root_markers", STRS),
    ("projects", Ty::MapOf(&PROJECT)),
    (
        "realtime",
        s!(&[
            ("transport", Ty::Enum(&["webrtc", "websocket"])),
            ("type", Ty::Enum(&["conversational", "transcription"])),
            ("version", Ty::Enum(&["v1", "v2"])),
            (
                "voice",
                Ty::Enum(&[
                    "alloy", "arbor", "ash", "ballad", "breeze", "cedar", "coral", "cove", "echo",
                    "ember", "juniper", "maple", "marin", "sage", "shimmer", "sol", "spruce",
                    "vale", "verse",
                ]),
            ),
        ]),
    ),
    ("review_model", Ty::Str),
    ("sandbox_mode", Ty::Enum(SANDBOX_MODES)),
    (
        "sandbox_workspace_write",
        s!(&[
            ("writable_roots", STRS),
            ("network_access", Ty::Bool),
            ("exclude_tmpdir_env_var", Ty::Bool),
            ("exclude_slash_tmp", Ty::Bool),
        ]),
    ),
    ("service_tier", Ty::Str),
    (
        "shell_environment_policy",
        s!(&[
            ("inherit", Ty::Enum(&["core", "all", "none"])),
            ("ignore_default_excludes", Ty::Bool),
            ("exclude", STRS),
            ("include_only", STRS),
            ("set", STR_MAP),
            ("experimental_use_profile", Ty::Bool),
        ]),
    ),
    ("show_raw_agent_reasoning", Ty::Bool),
    (
        "skills",
        s!(&[
            ("bundled", s!(&[("enabled", Ty::Bool)])),
            (
                "config",
                Ty::Array(&Ty::Struct(&Struct {
                    fields: &[("enabled", Ty::Bool), ("name", Ty::Str), ("path", Ty::Str)],
                    required: &["enabled"],
                    rest: Rest::Deny,
                })),
            ),
            ("include_instructions", Ty::Bool),
        ]),
    ),
    ("sqlite_home", Ty::Str),
    ("suppress_unstable_features_warning", Ty::Bool),
    ("tool_output_token_limit", U64),
    (
        "tool_suggest",
        s!(&[
            ("disabled_tools", Ty::Array(&TOOL_SUGGESTION)),
            ("discoverables", Ty::Array(&TOOL_SUGGESTION)),
        ]),
    ),
    (
        "tools",
        s!(&[
            (
                "experimental_request_user_input",
                s!(&[("enabled", Ty::Bool)]),
            ),
            ("web_search", WEB_SEARCH_TOOL),
        ]),
    ),
    ("tui", TUI),
    ("web_search", Ty::Enum(&["disabled", "cached", "live"])),
    (
        "windows",
        s!(&[
            ("sandbox", Ty::Enum(&["elevated", "unelevated"])),
            ("sandbox_private_desktop", Ty::Bool),
        ]),
    ),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn top_level_keys_are_sorted_and_unique() {
        // Sorted so a reviewer can compare the list with Codex's schema.
        let keys: Vec<&str> = CONFIG.iter().map(|(k, _)| *k).collect();
        let mut sorted = keys.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(keys, sorted);
    }

    #[test]
    fn feature_lookup_knows_flags_tables_and_aliases() {
        assert!(matches!(feature("shell_tool"), Some(Ty::Bool)));
        assert!(matches!(feature("network_proxy"), Some(Ty::Either(..))));
        assert!(feature("web_search").is_some());
        assert!(feature("include_apply_patch_tool").is_none());
        assert!(feature("responses_websocket_response_processed").is_none());
    }
}
