//! Bad input: every case under `tests/fixtures/bad/` is the minimal fixture
//! book with some files replaced, removed or turned into directories, and the
//! diagnostics `govbook check` must report (code, file, line, column). Each
//! case is a test of its own, named after its directory, so the cases run
//! in parallel and a failure names its case.
//!
//! Every expected diagnostic must be reported, and no error with a code the
//! case does not expect: one mistake gives one report, not a cascade.
//!
//! A case directory holds `case.toml` and an optional `files/` overlay:
//!
//! ```toml
//! description = "sandbox_mode is not a Codex value"
//! remove = ["content/governance/policy.toml"]   # optional
//! mkdir = ["content/governance/policy.toml"]    # optional, after remove
//! exit = 1                                      # optional, default 1
//! [[expect]]
//! code = "GB303"
//! file = "content/governance/profiles.toml"
//! line = 12
//! column = 16                                   # optional
//! ```
//!
//! A new case is a new directory plus its name (dashes as underscores) in
//! the `cases!` list below; `every_case_directory_is_listed` fails until
//! it is.

use serde::Deserialize;

use crate::book_test::{BookTest, fixture};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    description: String,
    #[serde(default)]
    remove: Vec<String>,
    #[serde(default)]
    mkdir: Vec<String>,
    #[serde(default = "one")]
    exit: i32,
    #[serde(default)]
    expect: Vec<Expect>,
}

fn one() -> i32 {
    1
}

#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
struct Expect {
    code: String,
    file: Option<String>,
    line: Option<usize>,
    column: Option<usize>,
}

/// One `#[test]` per case directory: a test's name is the directory's
/// with `_` for `-` (a test name cannot hold a dash).
macro_rules! cases {
    ($($case:ident,)*) => {
        $(
            #[test]
            fn $case() {
                run_case(&stringify!($case).replace('_', "-"));
            }
        )*

        /// The directories the tests above run.
        const LISTED: &[&str] = &[$(stringify!($case)),*];
    };
}

cases! {
    additional_css_missing,
    two_problems_in_one_rule,
    assisted_by_trailer_in_another_form,
    agents_md_over_32_kib,
    agents_md_over_configured_budget,
    artifact_template_reads_the_environment,
    artifact_template_runaway_range,
    baseline_review_in_the_future,
    baseline_without_adopting_review,
    bom_at_start_of_governance_file,
    bom_then_error_keeps_columns,
    book_version_missing,
    book_version_older_than_last_release,
    cadence_non_ascii_unit,
    cadence_out_of_range,
    changelog_review_overdue,
    cloud_surface_in_local_policy,
    codex_approval_untrusted_warns,
    codex_bad_profile_name,
    codex_base_writable_root,
    codex_default_permissions_undefined,
    codex_environment_secrets_across_layers,
    codex_exception_approver_unknown,
    codex_exception_expired,
    codex_exception_unused,
    codex_free_form_reasoning_effort,
    codex_full_access_by_default_permissions,
    codex_invalid_sandbox_mode,
    codex_legacy_profile_selector,
    codex_legacy_profiles_table,
    codex_mcp_command_without_exception,
    codex_mcp_url_and_command,
    codex_model_not_in_policy,
    codex_never_without_justification,
    codex_permissions_extends_full_access_with_exception,
    codex_permissions_extends_unknown_builtin,
    codex_profile_after_review,
    codex_risky_setting_with_exception_passes,
    codex_unknown_key,
    codex_wrong_type,
    command_without_run_or_manual,
    content_is_a_file,
    crlf_line_endings_keep_positions,
    csv_comma_decimal,
    csv_duplicate_observation,
    csv_empty,
    csv_future_observation,
    csv_missing_header,
    csv_unknown_metric,
    csv_value_with_unit,
    csv_wrong_column_count,
    dangling_checklist_command,
    dangling_panel_metric,
    dangling_rollout_phase,
    date_with_time,
    directory_instead_of_file,
    duplicate_checklist_item_across_checklists,
    duplicate_command_id,
    duplicate_key_in_table,
    empty_governance_file,
    front_matter_never_closed,
    hidden_characters_in_a_template,
    hidden_characters_in_governance_strings,
    invalid_date_february_30,
    invalid_duration,
    invalid_enum_in_governance,
    invalid_id,
    invalid_version_in_book_toml,
    invisible_characters_from_unicode_data,
    mdbook_only_section_warns,
    missing_book_toml,
    missing_content_directory,
    missing_required_field,
    missing_required_governance_file,
    missing_upgrade_checklist,
    model_policy_default_not_listed,
    model_rule_scope_all,
    not_utf8,
    page_cites_codex_version_other_ways,
    page_cites_other_codex_version,
    page_not_in_summary,
    page_review_overdue,
    page_reviewed_in_the_future,
    panel_slots_swapped,
    panel_without_quality_metric,
    permissions_extends_undefined_profile,
    plugin_review_in_the_future,
    plugin_review_without_reviewer_or_log,
    plugin_upgrade_log_with_issues,
    project_doc_max_bytes_zero,
    published_svg_with_script,
    raw_html_allowed_with_script,
    raw_html_bad_value,
    redirect_replaces_a_page,
    redirect_to_a_script_url,
    releases_going_backwards,
    renamed_profile_in_commands_and_policy,
    sandbox_permissions_profile_unknown,
    several_errors_in_commands,
    several_errors_in_csv,
    several_errors_in_profiles,
    several_syntax_errors_in_one_file,
    standard_plugin_without_log_review,
    static_file_in_the_search_index,
    summary_columns_count_characters,
    summary_entry_leaves_content,
    summary_junk_line,
    summary_lists_file_twice,
    summary_missing,
    summary_names_missing_file,
    team_with_adoption_data_only,
    toml_syntax_in_book_toml,
    toml_syntax_in_governance_file,
    unknown_governance_file_name,
    unknown_key_in_book_toml,
    unknown_key_in_front_matter,
    unknown_key_in_governance_file,
    unknown_review_key_in_governance_file,
    unknown_team_as_page_owner,
    unsafe_link_schemes,
    unsafe_link_schemes_disguised,
    wrong_type_string_for_array,
    include_names_a_directory,
    include_outside_book_without_include_root,
    include_root_inside_the_book,
}

/// Builds the case's book in a scratch directory, checks it, and fails with
/// every way the report differs from the case's expectations.
fn run_case(name: &str) {
    let dir = fixture("bad").join(name);
    let text = std::fs::read_to_string(dir.join("case.toml"))
        .unwrap_or_else(|e| panic!("{name}/case.toml: {e}"));
    let case: Case = toml::from_str(&text).unwrap_or_else(|e| panic!("{name}/case.toml: {e}"));
    let mut book = BookTest::from_fixture("minimal");
    for r in &case.remove {
        book.remove(r);
    }
    for d in &case.mkdir {
        book.mkdir(d);
    }
    let overlay = dir.join("files");
    if overlay.is_dir() {
        book.overlay(&overlay);
    }
    let diags = book.check();
    let what = format!("{name} ({})", case.description);
    assert_eq!(diags.code, Some(case.exit), "{what}\n{diags}");
    let mut failures = Vec::new();
    if case.exit == 0 && diags.errors().next().is_some() {
        failures.push("expected no errors".to_owned());
    }
    for e in &case.expect {
        let found = diags.items.iter().any(|d| {
            d["code"] == e.code.as_str()
                && e.file.as_ref().is_none_or(|f| d["file"] == f.as_str())
                && e.line.is_none_or(|l| d["line"] == l)
                && e.column.is_none_or(|c| d["column"] == c)
        });
        if !found {
            failures.push(format!("missing {e:?}"));
        }
    }
    // No error beyond the expected codes: one mistake, one report, not a
    // cascade of follow-on errors.
    for d in diags.errors() {
        if !case.expect.iter().any(|e| d["code"] == e.code.as_str()) {
            failures.push(format!("unexpected error {d}"));
        }
    }
    // Whatever else is reported, every diagnostic names a file.
    for d in &diags.items {
        if d["file"].is_null() {
            failures.push(format!("diagnostic without a file: {d}"));
        }
    }
    assert!(
        failures.is_empty(),
        "{what}:\n{}\n\nin\n{diags}",
        failures.join("\n")
    );
}

/// A case directory without its test would never run: the list and the
/// directories must be the same names.
#[test]
fn every_case_directory_is_listed() {
    let mut dirs: Vec<String> = std::fs::read_dir(fixture("bad"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .map(|p| p.file_name().unwrap().to_string_lossy().replace('-', "_"))
        .collect();
    dirs.sort();
    let mut listed: Vec<String> = LISTED.iter().map(|s| s.to_string()).collect();
    listed.sort();
    let unlisted: Vec<_> = dirs.iter().filter(|d| !listed.contains(d)).collect();
    let missing: Vec<_> = listed.iter().filter(|l| !dirs.contains(l)).collect();
    assert!(
        unlisted.is_empty() && missing.is_empty(),
        "add these to `cases!` in bad_input.rs: {unlisted:?}; \
         these are listed but have no directory: {missing:?}"
    );
    // The suite was 90 cases when each became a test; fewer means cases
    // were lost, not fixed.
    assert!(dirs.len() >= 90, "only {} bad-input cases", dirs.len());
}
