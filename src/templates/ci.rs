//! The CI artifact: `.github/workflows/codex-governance.yml`, a GitHub
//! Actions workflow that runs `govbook drift` in the repository against the
//! published manifest, annotates what is outdated or modified, and uploads
//! the JSON report for the handbook's Fleet page. Written by code, so its
//! bytes are exact; the only inputs are `[fleet] manifest-url` and
//! `[fleet] govbook-version`.

use super::Artifact;
use crate::model::Model;
use crate::stamp::Syntax;

/// Where the workflow goes in a repository.
pub const PATH: &str = ".github/workflows/codex-governance.yml";

/// The artifact id.
pub const ID: &str = "codex-governance-workflow";

/// The workflow artifact.
pub fn artifact(model: &Model) -> Artifact {
    let fleet = &model.config.fleet;
    // JSON strings are YAML double-quoted strings: no value can break out.
    let quote = |s: &str| serde_json::Value::String(s.to_owned()).to_string();
    let manifest = quote(fleet.manifest_url.as_deref().unwrap_or(""));
    let version = quote(fleet.govbook_version.as_deref().unwrap_or(""));
    let body = WORKFLOW
        .replace("@MANIFEST@", &manifest)
        .replace("@VERSION@", &version);
    Artifact {
        id: ID.into(),
        title: "CI: governance drift (GitHub Actions)".into(),
        path: PATH.into(),
        format: Syntax::Yaml,
        body,
        json: None,
    }
}

/// The workflow. `GOVBOOK_MANIFEST` empty: the repository's lock file
/// (`.govbook.toml`) names the manifest.
const WORKFLOW: &str = r#"# Codex governance: checks this repository's govbook artifacts against the
# handbook's published manifest, annotates outdated or edited files, and
# uploads the drift report (collected for the handbook's Fleet page).
name: Codex governance

on:
  pull_request:
  push:
    branches: [main]
  schedule:
    - cron: "23 6 * * 1"
  workflow_dispatch:

permissions:
  contents: read

jobs:
  drift:
    name: Governance drift
    runs-on: ubuntu-latest
    timeout-minutes: 15
    env:
      GOVBOOK_MANIFEST: @MANIFEST@
      GOVBOOK_VERSION: @VERSION@
    steps:
      - uses: actions/checkout@v4
      - name: Install govbook
        run: |
          if ! command -v govbook >/dev/null 2>&1; then
            if [ -n "$GOVBOOK_VERSION" ]; then
              cargo install --locked govbook --version "$GOVBOOK_VERSION"
            else
              cargo install --locked govbook
            fi
          fi
          govbook --version
      - name: Drift report
        run: |
          args=(drift . --format json)
          if [ -n "$GOVBOOK_MANIFEST" ]; then args+=(--manifest "$GOVBOOK_MANIFEST"); fi
          status=0
          govbook "${args[@]}" > govbook-drift.json || status=$?
          echo "govbook drift exited $status"
          if [ "$status" -gt 1 ]; then exit "$status"; fi
      - name: Annotate drift
        run: |
          args=(drift . --format github)
          if [ -n "$GOVBOOK_MANIFEST" ]; then args+=(--manifest "$GOVBOOK_MANIFEST"); fi
          govbook "${args[@]}"
      - name: Upload the drift report
        if: always()
        uses: actions/upload-artifact@v4
        with:
          name: govbook-drift
          path: govbook-drift.json
          if-no-files-found: ignore
"#;
