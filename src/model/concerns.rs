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

use crate::values::{Cadence, Date, Id, Version};

/// `policy.toml`: the team usage policy.
#[derive(Debug, Deserialize, serde::Serialize, Default, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Policy {
    /// One-paragraph statement of what the policy is for.
    pub summary: Option<String>,
    /// The rules.
    #[serde(default)]
    #[schemars(with = "Vec<Rule>")]
    pub rule: Vec<Spanned<Rule>>,
    /// `[model-policy]`: model policy, local and cloud kept apart.
    #[schemars(with = "Option<ModelPolicies>")]
    pub model_policy: Option<Spanned<ModelPolicies>>,
}

/// One policy rule.
#[derive(Debug, Deserialize, serde::Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Rule {
    /// Stable rule id.
    pub id: Id,
    /// How binding the rule is: `must`, `should` or `must-not`.
    pub level: Level,
    /// Where it applies: local Codex (CLI, IDE, app), Codex Cloud tasks, or both.
    pub scope: Scope,
    /// What the rule is about (default `general`). A `model` rule must have
    /// scope `local` or `cloud`.
    #[serde(default)]
    pub topic: Topic,
    /// The rule's title, one line.
    pub title: String,
    /// The rule.
    pub text: String,
    /// Why the rule exists.
    pub rationale: Option<String>,
}

/// How binding a rule is.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize, schemars::JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum Level {
    /// `must`: the rule is required.
    Must,
    /// `should`: the rule is recommended.
    Should,
    /// `must-not`: the rule forbids what it names.
    MustNot,
}

/// Where a rule applies: local Codex (CLI, IDE, app), Codex Cloud tasks, or both.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize, schemars::JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum Scope {
    /// `local`: local Codex (CLI, IDE, app).
    Local,
    /// `cloud`: Codex Cloud tasks.
    Cloud,
    /// `all`: both local Codex and Codex Cloud.
    All,
}

/// What a rule is about; `model` rules must name one scope.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, serde::Serialize, schemars::JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum Topic {
    /// `general`, the default: no more specific topic.
    #[default]
    General,
    /// `model`: which models to use; needs scope `local` or `cloud`.
    Model,
    /// `data`: what data Codex may see.
    Data,
    /// `access`: what Codex may access and run.
    Access,
    /// `verification`: how changes are verified.
    Verification,
    /// `review`: human review of Codex's work.
    Review,
    /// `secrets`: keeping secrets away from Codex.
    Secrets,
}

/// `[model-policy.local]` and `[model-policy.cloud]`.
#[derive(Debug, Deserialize, serde::Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ModelPolicies {
    /// `[model-policy.local]`: the model policy of local Codex (CLI, IDE, app).
    #[schemars(with = "ModelPolicy")]
    pub local: Spanned<ModelPolicy>,
    /// `[model-policy.cloud]`: the model policy of Codex Cloud tasks.
    #[schemars(with = "ModelPolicy")]
    pub cloud: Spanned<ModelPolicy>,
}

/// The model policy of one surface family.
#[derive(Debug, Deserialize, serde::Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ModelPolicy {
    /// `cli`, `ide`, `app` for local; `cloud` for Codex Cloud.
    #[schemars(with = "Vec<Surface>")]
    pub surfaces: Vec<Spanned<Surface>>,
    /// Models that may be used.
    pub models: Vec<String>,
    /// `default-model`: the default model.
    pub default_model: String,
    /// `reasoning-effort`: reasoning effort teams should use by default.
    pub reasoning_effort: Option<String>,
    /// `internet-access`, Codex Cloud only: agent internet access during tasks.
    pub internet_access: Option<InternetAccess>,
    /// `allowed-domains`, Codex Cloud only: domains allowed when access is `allowlist`.
    #[serde(default)]
    pub allowed_domains: Vec<String>,
    /// Explanation of the policy.
    pub notes: Option<String>,
}

/// A Codex surface.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize, schemars::JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum Surface {
    /// `cli`: the Codex CLI.
    Cli,
    /// `ide`: the Codex IDE extension.
    Ide,
    /// `app`: the Codex app.
    App,
    /// `cloud`: Codex Cloud.
    Cloud,
}

/// Codex Cloud agent internet access.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize, schemars::JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum InternetAccess {
    /// `off`: no internet access.
    Off,
    /// `allowlist`: only the domains in `allowed-domains`.
    Allowlist,
    /// `on`: unrestricted internet access.
    On,
}

/// `profiles.toml`: approved profiles and permission defaults.
#[derive(Debug, Deserialize, serde::Serialize, Default, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Profiles {
    /// The base `config.toml` every profile layers over.
    #[schemars(with = "Option<BaseConfig>")]
    pub base: Option<Spanned<BaseConfig>>,
    /// `[[profile]]`: the approved profiles.
    #[serde(default)]
    #[schemars(with = "Vec<Profile>")]
    pub profile: Vec<Spanned<Profile>>,
    /// `[permissions.NAME]` profiles for `codex sandbox -P NAME`.
    #[serde(default)]
    #[schemars(with = "Vec<PermissionProfile>")]
    pub permissions: Vec<Spanned<PermissionProfile>>,
}

/// The base `config.toml`.
#[derive(Debug, Deserialize, serde::Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct BaseConfig {
    /// What the base config is for.
    pub description: String,
    /// Codex settings, verbatim.
    #[schemars(with = "serde_json::Map<String, serde_json::Value>")]
    pub config: Spanned<toml::Table>,
    /// Settings that widen what the agent may do, accepted on the record.
    #[serde(default)]
    #[schemars(with = "Vec<RiskException>")]
    pub exception: Vec<Spanned<RiskException>>,
}

/// A recorded exception: one risky setting, why it is acceptable, who
/// approved it and until when.
#[derive(Debug, Deserialize, serde::Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RiskException {
    /// The Codex setting it covers, as a dotted key path
    /// (`approval_policy`, `mcp_servers.github`, `sandbox_workspace_write.network_access`).
    #[schemars(with = "String")]
    pub setting: Spanned<String>,
    /// Why the setting is acceptable here.
    pub justification: String,
    /// The approving team: an id from owners.toml.
    #[schemars(with = "Id")]
    pub approver: Spanned<Id>,
    /// The last day the exception holds.
    #[schemars(with = "Date")]
    pub expires: Spanned<Date>,
}

/// One approved profile, rendered as `NAME.config.toml`.
#[derive(Debug, Deserialize, serde::Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Profile {
    /// The Codex profile name (`codex -p NAME`).
    #[schemars(with = "String")]
    pub name: Spanned<String>,
    /// Display name.
    pub title: String,
    /// What the profile allows.
    pub description: String,
    /// The rollout phase from which teams may use it.
    #[schemars(with = "Option<Id>")]
    pub phase: Option<Spanned<Id>>,
    /// `use-for`: when to use it.
    pub use_for: Option<String>,
    /// Settings that widen what the agent may do, accepted on the record.
    #[serde(default)]
    #[schemars(with = "Vec<RiskException>")]
    pub exception: Vec<Spanned<RiskException>>,
    /// Codex settings, verbatim.
    #[schemars(with = "serde_json::Map<String, serde_json::Value>")]
    pub config: Spanned<toml::Table>,
}

/// A `[permissions.NAME]` profile.
#[derive(Debug, Deserialize, serde::Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct PermissionProfile {
    /// The permissions profile name (`codex sandbox -P NAME`).
    #[schemars(with = "String")]
    pub name: Spanned<String>,
    /// Settings that widen what the agent may do, accepted on the record.
    #[serde(default)]
    #[schemars(with = "Vec<RiskException>")]
    pub exception: Vec<Spanned<RiskException>>,
    /// Codex settings of the `[permissions.NAME]` table, verbatim.
    #[schemars(with = "serde_json::Map<String, serde_json::Value>")]
    pub config: Spanned<toml::Table>,
}

/// `commands.toml`: the verification command catalog.
#[derive(Debug, Deserialize, serde::Serialize, Default, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Commands {
    /// `[[command]]`: the commands of the catalog.
    #[serde(default)]
    #[schemars(with = "Vec<Command>")]
    pub command: Vec<Spanned<Command>>,
}

/// One verification command.
#[derive(Debug, Deserialize, serde::Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Command {
    /// Stable command id.
    pub id: Id,
    /// Display name.
    pub title: String,
    /// The command line, when the check can be run.
    pub run: Option<String>,
    /// Steps, when the check is manual.
    pub manual: Option<String>,
    /// Why it exists.
    pub purpose: String,
    /// When it runs.
    pub when: Vec<Stage>,
    /// What a pass looks like.
    pub expect: String,
    /// The owning team.
    #[schemars(with = "Id")]
    pub owner: Spanned<Id>,
    /// Limits the check to these systems; empty means all.
    #[serde(default)]
    pub platforms: Vec<Platform>,
}

/// When a verification command runs.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize, schemars::JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum Stage {
    /// `pre-commit`: before each commit.
    PreCommit,
    /// `pre-merge`: before a change is merged.
    PreMerge,
    /// `post-upgrade`: after a Codex CLI upgrade.
    PostUpgrade,
    /// `release`: before a release.
    Release,
    /// `scheduled`: on a schedule.
    Scheduled,
    /// `on-demand`: when someone asks for it.
    OnDemand,
}

/// An operating system a check is limited to.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize, schemars::JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum Platform {
    /// `linux`: Linux.
    Linux,
    /// `macos`: macOS.
    Macos,
    /// `windows`: Windows.
    Windows,
}

/// `checklists.toml`: the high-risk change checklist and the upgrade checklist.
#[derive(Debug, Deserialize, serde::Serialize, Default, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Checklists {
    /// `[[checklist]]`: the checklists.
    #[serde(default)]
    #[schemars(with = "Vec<Checklist>")]
    pub checklist: Vec<Spanned<Checklist>>,
}

/// One checklist.
#[derive(Debug, Deserialize, serde::Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Checklist {
    /// Stable checklist id.
    pub id: Id,
    /// Which checklist this is; both kinds must be present.
    pub kind: ChecklistKind,
    /// Display name.
    pub title: String,
    /// When and how to use it.
    pub description: Option<String>,
    /// What makes a change need this checklist.
    #[serde(default)]
    pub triggers: Vec<String>,
    /// `[[checklist.item]]`: the items, in order.
    #[schemars(with = "Vec<ChecklistItem>")]
    pub item: Vec<Spanned<ChecklistItem>>,
}

/// Which checklist this is.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize, schemars::JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum ChecklistKind {
    /// `high-risk`: the high-risk change checklist.
    HighRisk,
    /// `upgrade`: the Codex upgrade checklist.
    Upgrade,
}

/// One checklist item.
#[derive(Debug, Deserialize, serde::Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ChecklistItem {
    /// Stable item id.
    pub id: Id,
    /// The item.
    pub text: String,
    /// Verification commands that answer this item.
    #[serde(default)]
    #[schemars(with = "Vec<Id>")]
    pub commands: Vec<Spanned<Id>>,
    /// What a reviewer should see as evidence.
    pub evidence: Option<String>,
}

/// `rollout.toml`: phases and each team's current phase.
#[derive(Debug, Deserialize, serde::Serialize, Default, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Rollout {
    /// `[[phase]]`: the phases, in order.
    #[serde(default)]
    #[schemars(with = "Vec<Phase>")]
    pub phase: Vec<Spanned<Phase>>,
    /// `[[team]]`: each team's current phase.
    #[serde(default)]
    #[schemars(with = "Vec<TeamPhase>")]
    pub team: Vec<Spanned<TeamPhase>>,
}

/// A rollout phase.
#[derive(Debug, Deserialize, serde::Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Phase {
    /// Phase id, e.g. `pilot`, `standardize`, `govern`, `scale`.
    pub id: Id,
    /// Display name.
    pub name: String,
    /// The phase's goal, in one line.
    pub goal: String,
    /// What the phase produces.
    pub outputs: Vec<String>,
    /// `[[phase.exit-criteria]]`: what a team must meet to leave the phase.
    #[schemars(with = "Vec<Criterion>")]
    pub exit_criteria: Vec<Spanned<Criterion>>,
}

/// An exit criterion of a phase.
#[derive(Debug, Deserialize, serde::Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Criterion {
    /// Criterion id.
    pub id: Id,
    /// The criterion.
    pub text: String,
}

/// A team's place in the rollout.
#[derive(Debug, Deserialize, serde::Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct TeamPhase {
    /// The team.
    #[schemars(with = "Id")]
    pub team: Spanned<Id>,
    /// Its current phase.
    #[schemars(with = "Id")]
    pub phase: Spanned<Id>,
    /// Since when it has been in that phase.
    pub since: Date,
    /// Exit criteria (of any phase) the team meets.
    #[serde(default)]
    #[schemars(with = "Vec<Id>")]
    pub met: Vec<Spanned<Id>>,
    /// Context.
    pub notes: Option<String>,
}

/// `upgrades.toml`: cadence, changelog review log, post-upgrade checks.
#[derive(Debug, Deserialize, serde::Serialize, Default, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Upgrades {
    /// How often the Codex changelog is reviewed.
    #[schemars(with = "Option<Cadence>")]
    pub cadence: Option<Spanned<Cadence>>,
    /// Where upgrades come from, e.g. the npm package name.
    pub channel: Option<String>,
    /// `[[review]]`: the changelog reviews.
    #[serde(default)]
    #[schemars(with = "Vec<ChangelogReview>")]
    pub review: Vec<Spanned<ChangelogReview>>,
    /// `[[check]]`: the post-upgrade checks.
    #[serde(default)]
    #[schemars(with = "Vec<UpgradeCheck>")]
    pub check: Vec<Spanned<UpgradeCheck>>,
}

/// One changelog review.
#[derive(Debug, Deserialize, serde::Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ChangelogReview {
    /// The Codex CLI version reviewed. The baseline needs an `adopt` review.
    #[schemars(with = "Version")]
    pub version: Spanned<Version>,
    /// When it was reviewed.
    pub date: Date,
    /// Who reviewed it.
    pub reviewer: String,
    /// The outcome.
    pub decision: Decision,
    /// What changed and what was checked.
    pub notes: String,
}

/// The outcome of a changelog review.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize, schemars::JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum Decision {
    /// `adopt`: move to this version.
    Adopt,
    /// `hold`: do not adopt it yet.
    Hold,
    /// `skip`: do not adopt it.
    Skip,
}

/// A post-upgrade check.
#[derive(Debug, Deserialize, serde::Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct UpgradeCheck {
    /// Post-upgrade check id.
    pub id: Id,
    /// Display name.
    pub title: String,
    /// What to check.
    pub text: String,
    /// Catalog commands that perform it.
    #[serde(default)]
    #[schemars(with = "Vec<Id>")]
    pub commands: Vec<Spanned<Id>>,
}

/// `plugins.toml`: the plugin inventory.
#[derive(Debug, Deserialize, serde::Serialize, Default, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Plugins {
    /// `[[plugin]]`: the plugins.
    #[serde(default)]
    #[schemars(with = "Vec<Plugin>")]
    pub plugin: Vec<Spanned<Plugin>>,
}

/// One plugin.
#[derive(Debug, Deserialize, serde::Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Plugin {
    /// Plugin id.
    pub id: Id,
    /// Display name.
    pub name: String,
    /// The marketplace it is installed from.
    pub marketplace: String,
    /// Where the marketplace or plugin source lives.
    pub source: String,
    /// Where it stands; `standard` requires a clean log review.
    #[schemars(with = "PluginStatus")]
    pub status: Spanned<PluginStatus>,
    /// The owning team.
    #[schemars(with = "Id")]
    pub owner: Spanned<Id>,
    /// What it is for.
    pub purpose: String,
    /// `[[plugin.log-review]]`: reviews of its install and upgrade logs.
    #[serde(default)]
    pub log_review: Vec<LogReview>,
}

/// Where a plugin stands.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize, schemars::JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum PluginStatus {
    /// `experiment`: on trial.
    Experiment,
    /// `standard`: approved for use; requires a clean log review.
    Standard,
    /// `retired`: no longer in use.
    Retired,
}

/// A review of a marketplace install or upgrade log.
#[derive(Debug, Deserialize, serde::Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct LogReview {
    /// When the log was reviewed.
    pub date: Date,
    /// Who reviewed it.
    pub reviewer: String,
    /// Which log.
    pub kind: LogKind,
    /// The plugin version installed or upgraded to.
    pub version: String,
    /// Where the log is kept.
    pub log: String,
    /// What the review found.
    pub outcome: Outcome,
}

/// Install or upgrade.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize, schemars::JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum LogKind {
    /// `install`: the install log.
    Install,
    /// `upgrade`: an upgrade log.
    Upgrade,
}

/// What the log review found.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize, schemars::JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    /// `clean`: nothing wrong found.
    Clean,
    /// `issues`: problems found.
    Issues,
}

/// `metrics.toml`: metric definitions and panels.
#[derive(Debug, Deserialize, serde::Serialize, Default, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Metrics {
    /// `[[metric]]`: the metric definitions.
    #[serde(default)]
    #[schemars(with = "Vec<Metric>")]
    pub metric: Vec<Spanned<Metric>>,
    /// `[[panel]]`: the dashboard panels.
    #[serde(default)]
    #[schemars(with = "Vec<Panel>")]
    pub panel: Vec<Spanned<Panel>>,
}

/// One metric.
#[derive(Debug, Deserialize, serde::Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Metric {
    /// Metric id, used in CSV files and panels.
    pub id: Id,
    /// Display name.
    pub name: String,
    /// Which side of a panel it belongs on.
    pub kind: MetricKind,
    /// Unit shown on charts.
    pub unit: String,
    /// Which way is better.
    pub direction: Direction,
    /// Target drawn on the chart.
    pub target: Option<f64>,
    /// How it is measured.
    pub description: String,
}

/// Adoption or quality.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize, schemars::JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum MetricKind {
    /// `adoption`: how much Codex is used.
    Adoption,
    /// `quality`: how good the resulting work is.
    Quality,
}

/// Which way is better.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize, schemars::JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum Direction {
    /// `higher-is-better`: a higher value is better.
    HigherIsBetter,
    /// `lower-is-better`: a lower value is better.
    LowerIsBetter,
}

/// A dashboard panel: one adoption metric beside its quality metrics.
#[derive(Debug, Deserialize, serde::Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Panel {
    /// Panel id.
    pub id: Id,
    /// Display title.
    pub title: String,
    /// One adoption metric.
    #[schemars(with = "Id")]
    pub adoption: Spanned<Id>,
    /// The quality metrics shown beside it; at least one.
    #[serde(default)]
    #[schemars(with = "Vec<Id>")]
    pub quality: Vec<Spanned<Id>>,
}

/// `owners.toml`: teams, and defaults for review cadence.
#[derive(Debug, Deserialize, serde::Serialize, Default, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Owners {
    /// `default-review-every`: cadence for pages and files that name none.
    pub default_review_every: Option<Cadence>,
    /// `[[team]]`: the teams.
    #[serde(default)]
    #[schemars(with = "Vec<Team>")]
    pub team: Vec<Spanned<Team>>,
}

/// A team.
#[derive(Debug, Deserialize, serde::Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Team {
    /// The team id used everywhere as an owner.
    pub id: Id,
    /// Display name.
    pub name: String,
    /// The accountable person.
    pub lead: String,
    /// Where to ask, e.g. a chat channel.
    pub contact: Option<String>,
    /// `[team.overrides]`: settings that give this team its own template set.
    #[schemars(with = "Option<TeamOverrides>")]
    pub overrides: Option<Spanned<TeamOverrides>>,
}

/// A team's template overrides.
#[derive(Debug, Deserialize, serde::Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct TeamOverrides {
    /// Only these approved profiles (names) go into the team's set.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub profiles: Vec<Spanned<String>>,
    /// Extra verification commands the team runs before merge.
    #[serde(default)]
    #[schemars(with = "Vec<Id>")]
    pub commands: Vec<Spanned<Id>>,
    /// `agents-note`: a note added to the team's AGENTS.md managed region.
    pub agents_note: Option<String>,
}

/// `releases.toml`: the release ledger written by `govbook release`.
#[derive(Debug, Deserialize, serde::Serialize, Default, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Releases {
    /// `[[release]]`: the releases, oldest first.
    #[serde(default)]
    #[schemars(with = "Vec<Release>")]
    pub release: Vec<Spanned<Release>>,
}

/// One released handbook version.
#[derive(Debug, Deserialize, serde::Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Release {
    /// A released handbook version; versions increase.
    #[schemars(with = "Version")]
    pub version: Spanned<Version>,
    /// Release date.
    pub date: Date,
    /// Release notes.
    pub notes: String,
    /// Artifact id (`id/team` for a team's variant) to the sha256 of its
    /// managed text in this release.
    #[serde(default)]
    pub artifacts: BTreeMap<String, String>,
}
