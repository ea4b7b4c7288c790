//! The typed shape of each `governance/*.toml` file. Keys are kebab-case;
//! unknown keys are errors. Every file may also carry the review keys
//! `owner`, `reviewed` and `review-every` at top level (see [`super::Review`]),
//! which the loader takes off before these types see the table.
//!
//! Codex settings inside profiles (`config` tables) keep Codex's own
//! snake_case names and are validated separately against the pinned Codex
//! schema, so they are held as raw TOML tables here.

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;

use super::values::{Cadence, Date, Id, Version};

/// `policy.toml`: the team usage policy.
#[derive(Debug, Deserialize, serde::Serialize, Default)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Policy {
    /// One-paragraph statement of what the policy is for.
    pub summary: Option<String>,
    /// The rules.
    #[serde(default)]
    pub rule: Vec<Spanned<Rule>>,
    /// Model policy, local and cloud kept apart.
    pub model_policy: Option<Spanned<ModelPolicies>>,
}

/// One policy rule.
#[derive(Debug, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Rule {
    pub id: Id,
    pub level: Level,
    pub scope: Scope,
    #[serde(default)]
    pub topic: Topic,
    pub title: String,
    pub text: String,
    pub rationale: Option<String>,
}

/// How binding a rule is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Level {
    Must,
    Should,
    MustNot,
}

/// Where a rule applies: local Codex (CLI, IDE, app), Codex Cloud tasks, or both.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Scope {
    Local,
    Cloud,
    All,
}

/// What a rule is about; `model` rules must name one scope.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Topic {
    #[default]
    General,
    Model,
    Data,
    Access,
    Verification,
    Review,
    Secrets,
}

/// `[model-policy.local]` and `[model-policy.cloud]`.
#[derive(Debug, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct ModelPolicies {
    pub local: Spanned<ModelPolicy>,
    pub cloud: Spanned<ModelPolicy>,
}

/// The model policy of one surface family.
#[derive(Debug, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ModelPolicy {
    /// `cli`, `ide`, `app` for local; `cloud` for Codex Cloud.
    pub surfaces: Vec<Spanned<Surface>>,
    /// Models that may be used.
    pub models: Vec<String>,
    pub default_model: String,
    /// Reasoning effort teams should use by default.
    pub reasoning_effort: Option<String>,
    /// Codex Cloud only: agent internet access during tasks.
    pub internet_access: Option<InternetAccess>,
    /// Codex Cloud only: domains allowed when access is `allowlist`.
    #[serde(default)]
    pub allowed_domains: Vec<String>,
    pub notes: Option<String>,
}

/// A Codex surface.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Surface {
    Cli,
    Ide,
    App,
    Cloud,
}

/// Codex Cloud agent internet access.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum InternetAccess {
    Off,
    Allowlist,
    On,
}

/// `profiles.toml`: approved profiles and permission defaults.
#[derive(Debug, Deserialize, serde::Serialize, Default)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Profiles {
    /// The base `config.toml` every profile layers over.
    pub base: Option<Spanned<BaseConfig>>,
    #[serde(default)]
    pub profile: Vec<Spanned<Profile>>,
    /// `[permissions.NAME]` profiles for `codex sandbox -P NAME`.
    #[serde(default)]
    pub permissions: Vec<Spanned<PermissionProfile>>,
}

/// The base `config.toml`.
#[derive(Debug, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct BaseConfig {
    pub description: String,
    /// Codex settings, verbatim.
    pub config: Spanned<toml::Table>,
    /// Settings that widen what the agent may do, accepted on the record.
    #[serde(default)]
    pub exception: Vec<Spanned<RiskException>>,
}

/// A recorded exception: one risky setting, why it is acceptable, who
/// approved it and until when.
#[derive(Debug, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RiskException {
    /// The Codex setting it covers, as a dotted key path
    /// (`approval_policy`, `mcp_servers.github`, `sandbox_workspace_write.network_access`).
    pub setting: Spanned<String>,
    pub justification: String,
    /// The approving team: an id from owners.toml.
    pub approver: Spanned<Id>,
    /// The last day the exception holds.
    pub expires: Spanned<Date>,
}

/// One approved profile, rendered as `NAME.config.toml`.
#[derive(Debug, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Profile {
    /// The Codex profile name (`codex -p NAME`).
    pub name: Spanned<String>,
    pub title: String,
    pub description: String,
    /// The rollout phase from which teams may use it.
    pub phase: Option<Spanned<Id>>,
    /// When to use it.
    pub use_for: Option<String>,
    /// Settings that widen what the agent may do, accepted on the record.
    #[serde(default)]
    pub exception: Vec<Spanned<RiskException>>,
    /// Codex settings, verbatim.
    pub config: Spanned<toml::Table>,
}

/// A `[permissions.NAME]` profile.
#[derive(Debug, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct PermissionProfile {
    pub name: Spanned<String>,
    /// Settings that widen what the agent may do, accepted on the record.
    #[serde(default)]
    pub exception: Vec<Spanned<RiskException>>,
    /// Codex settings of the `[permissions.NAME]` table, verbatim.
    pub config: Spanned<toml::Table>,
}

/// `commands.toml`: the verification command catalog.
#[derive(Debug, Deserialize, serde::Serialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Commands {
    #[serde(default)]
    pub command: Vec<Spanned<Command>>,
}

/// One verification command.
#[derive(Debug, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Command {
    pub id: Id,
    pub title: String,
    /// The command line, when the check can be run.
    pub run: Option<String>,
    /// Steps, when the check is manual.
    pub manual: Option<String>,
    pub purpose: String,
    pub when: Vec<Stage>,
    /// What a pass looks like.
    pub expect: String,
    pub owner: Spanned<Id>,
    #[serde(default)]
    pub platforms: Vec<Platform>,
}

/// When a verification command runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Stage {
    PreCommit,
    PreMerge,
    PostUpgrade,
    Release,
    Scheduled,
    OnDemand,
}

/// An operating system a check is limited to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Platform {
    Linux,
    Macos,
    Windows,
}

/// `checklists.toml`: the high-risk change checklist and the upgrade checklist.
#[derive(Debug, Deserialize, serde::Serialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Checklists {
    #[serde(default)]
    pub checklist: Vec<Spanned<Checklist>>,
}

/// One checklist.
#[derive(Debug, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Checklist {
    pub id: Id,
    pub kind: ChecklistKind,
    pub title: String,
    pub description: Option<String>,
    /// What makes a change need this checklist.
    #[serde(default)]
    pub triggers: Vec<String>,
    pub item: Vec<Spanned<ChecklistItem>>,
}

/// Which checklist this is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ChecklistKind {
    HighRisk,
    Upgrade,
}

/// One checklist item.
#[derive(Debug, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ChecklistItem {
    pub id: Id,
    pub text: String,
    /// Verification commands that answer this item.
    #[serde(default)]
    pub commands: Vec<Spanned<Id>>,
    /// What a reviewer should see as evidence.
    pub evidence: Option<String>,
}

/// `rollout.toml`: phases and each team's current phase.
#[derive(Debug, Deserialize, serde::Serialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Rollout {
    #[serde(default)]
    pub phase: Vec<Spanned<Phase>>,
    #[serde(default)]
    pub team: Vec<Spanned<TeamPhase>>,
}

/// A rollout phase.
#[derive(Debug, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Phase {
    pub id: Id,
    pub name: String,
    pub goal: String,
    pub outputs: Vec<String>,
    pub exit_criteria: Vec<Spanned<Criterion>>,
}

/// An exit criterion of a phase.
#[derive(Debug, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Criterion {
    pub id: Id,
    pub text: String,
}

/// A team's place in the rollout.
#[derive(Debug, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct TeamPhase {
    pub team: Spanned<Id>,
    pub phase: Spanned<Id>,
    pub since: Date,
    /// Exit criteria (of any phase) the team meets.
    #[serde(default)]
    pub met: Vec<Spanned<Id>>,
    pub notes: Option<String>,
}

/// `upgrades.toml`: cadence, changelog review log, post-upgrade checks.
#[derive(Debug, Deserialize, serde::Serialize, Default)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Upgrades {
    /// How often the Codex changelog is reviewed.
    pub cadence: Option<Spanned<Cadence>>,
    /// Where upgrades come from, e.g. the npm package name.
    pub channel: Option<String>,
    #[serde(default)]
    pub review: Vec<Spanned<ChangelogReview>>,
    #[serde(default)]
    pub check: Vec<Spanned<UpgradeCheck>>,
}

/// One changelog review.
#[derive(Debug, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ChangelogReview {
    pub version: Spanned<Version>,
    pub date: Date,
    pub reviewer: String,
    pub decision: Decision,
    pub notes: String,
}

/// The outcome of a changelog review.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Decision {
    Adopt,
    Hold,
    Skip,
}

/// A post-upgrade check.
#[derive(Debug, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct UpgradeCheck {
    pub id: Id,
    pub title: String,
    pub text: String,
    #[serde(default)]
    pub commands: Vec<Spanned<Id>>,
}

/// `plugins.toml`: the plugin inventory.
#[derive(Debug, Deserialize, serde::Serialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Plugins {
    #[serde(default)]
    pub plugin: Vec<Spanned<Plugin>>,
}

/// One plugin.
#[derive(Debug, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Plugin {
    pub id: Id,
    pub name: String,
    pub marketplace: String,
    pub source: String,
    pub status: Spanned<PluginStatus>,
    pub owner: Spanned<Id>,
    pub purpose: String,
    #[serde(default)]
    pub log_review: Vec<LogReview>,
}

/// Where a plugin stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum PluginStatus {
    Experiment,
    Standard,
    Retired,
}

/// A review of a marketplace install or upgrade log.
#[derive(Debug, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct LogReview {
    pub date: Date,
    pub reviewer: String,
    pub kind: LogKind,
    pub version: String,
    /// Where the log is kept.
    pub log: String,
    pub outcome: Outcome,
}

/// Install or upgrade.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum LogKind {
    Install,
    Upgrade,
}

/// What the log review found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    Clean,
    Issues,
}

/// `metrics.toml`: metric definitions and panels.
#[derive(Debug, Deserialize, serde::Serialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Metrics {
    #[serde(default)]
    pub metric: Vec<Spanned<Metric>>,
    #[serde(default)]
    pub panel: Vec<Spanned<Panel>>,
}

/// One metric.
#[derive(Debug, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Metric {
    pub id: Id,
    pub name: String,
    pub kind: MetricKind,
    pub unit: String,
    pub direction: Direction,
    pub target: Option<f64>,
    pub description: String,
}

/// Adoption or quality.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum MetricKind {
    Adoption,
    Quality,
}

/// Which way is better.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Direction {
    HigherIsBetter,
    LowerIsBetter,
}

/// A dashboard panel: one adoption metric beside its quality metrics.
#[derive(Debug, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Panel {
    pub id: Id,
    pub title: String,
    pub adoption: Spanned<Id>,
    #[serde(default)]
    pub quality: Vec<Spanned<Id>>,
}

/// `owners.toml`: teams, and defaults for review cadence.
#[derive(Debug, Deserialize, serde::Serialize, Default)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Owners {
    /// Cadence for pages and files that name none.
    pub default_review_every: Option<Cadence>,
    #[serde(default)]
    pub team: Vec<Spanned<Team>>,
}

/// A team.
#[derive(Debug, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Team {
    pub id: Id,
    pub name: String,
    /// The accountable person.
    pub lead: String,
    pub contact: Option<String>,
    /// Settings that give this team its own template set.
    pub overrides: Option<Spanned<TeamOverrides>>,
}

/// A team's template overrides.
#[derive(Debug, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct TeamOverrides {
    /// Only these approved profiles (names) go into the team's set.
    #[serde(default)]
    pub profiles: Vec<Spanned<String>>,
    /// Extra verification commands the team runs before merge.
    #[serde(default)]
    pub commands: Vec<Spanned<Id>>,
    /// A note added to the team's AGENTS.md managed region.
    pub agents_note: Option<String>,
}

/// `releases.toml`: the release ledger written by `govbook release`.
#[derive(Debug, Deserialize, serde::Serialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Releases {
    #[serde(default)]
    pub release: Vec<Spanned<Release>>,
}

/// One released handbook version.
#[derive(Debug, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Release {
    pub version: Spanned<Version>,
    pub date: Date,
    pub notes: String,
    /// Artifact id to sha256 of its managed text.
    #[serde(default)]
    pub artifacts: BTreeMap<String, String>,
}
