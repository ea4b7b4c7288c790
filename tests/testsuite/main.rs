//! govbook's integration tests: one test binary, one module per suite,
//! shared helpers in modules of their own. See README.md here for how to
//! run one suite and how to add a suite or a bad-input case.

// Helpers shared by the suites.
mod book_test;
mod fs;
mod in_process;
mod server;

// The suites. `real_clients`, `codex_differential`, `codex_layout`,
// `mdbook_compat` and `e2e` are `#[ignore]`d: they need programs `.ci/run`
// installs.
mod apply_drift_model;
mod bad_input;
mod build;
mod cli;
mod codex_differential;
mod codex_layout;
#[cfg(unix)]
mod confinement;
mod doctor;
mod e2e;
mod editors;
mod fleet;
mod injection;
mod limits;
mod mdbook_compat;
mod mdbook_html;
mod mdbook_markdown;
mod no_lost_work;
mod raw_html;
mod real_clients;
mod serve;
mod snapshots;
mod templates;
