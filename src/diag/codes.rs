//! The registry of diagnostic codes. Codes are stable: a code, once shipped,
//! keeps its meaning, and the handbook's reference page lists every one
//! (a test keeps the page and this table in step).

use super::Severity;

macro_rules! codes {
    ($($variant:ident = $code:literal, $sev:ident, $title:literal;)*) => {
        /// A stable diagnostic code.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Code { $(#[doc = concat!("`", $code, "`: ", $title, ".")] $variant,)* }

        impl Code {
            /// Every code, in order.
            pub const ALL: &'static [Code] = &[$(Code::$variant,)*];

            /// The code as printed, for example `GB303`.
            pub fn as_str(self) -> &'static str {
                match self { $(Code::$variant => $code,)* }
            }

            /// The severity a diagnostic with this code has by default.
            pub fn default_severity(self) -> Severity {
                match self { $(Code::$variant => Severity::$sev,)* }
            }

            /// A one-line description, used by the reference page.
            pub fn title(self) -> &'static str {
                match self { $(Code::$variant => $title,)* }
            }
        }
    };
}

codes! {
    ReadFailed = "GB001", Error, "a file or directory cannot be read";
    NotUtf8 = "GB002", Error, "a file is not valid UTF-8";
    NotAFile = "GB003", Error, "a directory stands where a file is expected";
    NotADirectory = "GB004", Error, "a file stands where a directory is expected";
    MissingBookToml = "GB005", Error, "book.toml is missing";
    MissingContent = "GB006", Error, "the content directory is missing";
    EmptyFile = "GB007", Error, "a source file is empty";
    TomlSyntax = "GB008", Error, "TOML syntax error";
    OutsideRoot = "GB009", Error, "a path or link leaves the book root";
    FrontMatter = "GB010", Error, "front matter is not closed";
    TooLarge = "GB011", Error, "a source file is larger than govbook reads";
    TooManyProblems = "GB012", Error, "a file has more problems than are reported one by one";
    UnknownKey = "GB101", Error, "unknown key";
    WrongType = "GB102", Error, "a value has the wrong type";
    MissingField = "GB103", Error, "a required key is missing";
    InvalidValue = "GB104", Error, "a value is not one of the allowed values";
    InvalidVersion = "GB105", Error, "a version is not a valid semantic version";
    InvalidDate = "GB106", Error, "a date is not a plain calendar date";
    InvalidDuration = "GB107", Error, "a review cadence is not a duration such as 90d";
    MdbookOnlyKey = "GB108", Warning, "an mdBook-only key is ignored";
    MissingSetting = "GB109", Error, "a governance book lacks a required book.toml setting";
    UnknownGovernanceFile = "GB110", Error, "a governance file has a name govbook does not read";
    MissingGovernanceFile = "GB111", Error, "a governance file is missing";
    HiddenCharacter = "GB112", Error, "a string holds a control, bidirectional override or tag character";
    DuplicateId = "GB201", Error, "an id is used twice";
    UnknownReference = "GB202", Error, "a reference names an id that does not exist";
    InvalidId = "GB203", Error, "an id is not lowercase kebab-case";
    CodexUnknownKey = "GB301", Error, "a Codex setting that Codex 0.139.0 does not know";
    CodexWrongType = "GB302", Error, "a Codex setting has the wrong type";
    CodexInvalidValue = "GB303", Error, "a Codex setting has a value Codex rejects or govbook forbids";
    CodexLegacyProfile = "GB304", Error, "a legacy [profiles.*] table or profile = selector";
    CodexProfileName = "GB305", Error, "a profile name Codex would reject";
    CodexDeprecated = "GB306", Warning, "a Codex value that later releases reject";
    DangerUnjustified = "GB307", Error, "a setting that widens what Codex may do has no recorded exception";
    CodexPermissions = "GB308", Error, "a permissions profile that Codex cannot resolve";
    ModelNotAllowed = "GB309", Error, "a profile uses a model the local model policy does not allow";
    ExceptionExpired = "GB310", Error, "a recorded exception for a risky setting has expired";
    ExceptionIncomplete = "GB311", Error, "a recorded exception has no justification or an approver who is not a team";
    ExceptionUnused = "GB312", Warning, "a recorded exception covers no risky setting";
    ScopeMixed = "GB401", Error, "local and cloud model policy are mixed";
    CitedVersion = "GB402", Error, "content cites a Codex CLI version other than the pinned baseline";
    PluginUnreviewed = "GB403", Error, "a standard plugin has no clean install or upgrade log review";
    AdoptionWithoutQuality = "GB404", Error, "an adoption metric is shown without a quality metric";
    MissingOwner = "GB405", Warning, "a page or artifact has no owner";
    ReviewOverdue = "GB406", Warning, "a page or artifact is past its review date";
    BaselineNotReviewed = "GB407", Error, "the pinned baseline has no adopting changelog review";
    ChangelogReviewOverdue = "GB408", Warning, "the changelog review cadence has lapsed";
    CommandWithoutAction = "GB409", Error, "a verification command has neither a command line nor manual steps";
    MissingChecklist = "GB410", Error, "the high-risk or upgrade checklist is missing";
    ReleaseOrder = "GB411", Error, "release versions do not increase";
    ArtifactChanged = "GB412", Error, "an artifact differs from what the release ledger holds for this version";
    AgentsTooLarge = "GB413", Error, "the AGENTS.md managed text exceeds Codex's project_doc_max_bytes, or that budget is 0";
    ProfileMisplaced = "GB414", Error, "-p/--profile placed where Codex rejects it";
    UnknownProfile = "GB415", Error, "a command names a profile that is not approved";
    FutureDate = "GB416", Error, "a review is dated after today";
    DefaultModelNotListed = "GB417", Error, "a model policy's default model is not among its models";
    AdoptionOnlyData = "GB418", Warning, "a team has adoption data but no quality data for a panel";
    TrailerForm = "GB419", Error, "an Assisted-by trailer written in another form than `Assisted-by: Codex`";
    FleetReport = "GB430", Error, "a fleet drift report cannot be read: invalid JSON, not a drift report, too large, or too many";
    SummaryMissing = "GB501", Error, "SUMMARY.md is missing";
    SummarySyntax = "GB502", Error, "a SUMMARY.md line cannot be parsed";
    SummaryFileMissing = "GB503", Error, "SUMMARY.md names a file that does not exist";
    PageNotInSummary = "GB504", Warning, "a Markdown file is not listed in SUMMARY.md, so it is not a page";
    SummaryDuplicate = "GB505", Error, "SUMMARY.md lists a file twice";
    BrokenLink = "GB506", Error, "a link points to a page or file that does not exist";
    BrokenAnchor = "GB507", Error, "a link points to a heading that does not exist";
    IncludeMissing = "GB508", Error, "an included file or anchor does not exist";
    IncludeCycle = "GB509", Error, "includes form a cycle or nest too deep";
    OutputCollision = "GB510", Error, "two sources would be written to the same output path";
    UnsafeLink = "GB511", Error, "a link or image uses a javascript:, vbscript: or data: URL";
    ActiveContent = "GB512", Error, "raw HTML or a published HTML, SVG or XML file runs script or loads a document";
    UnsafeFileName = "GB513", Error, "a page or file name would make a link a browser reads as another scheme, host, query or fragment";
    RawHtmlRemoved = "GB514", Warning, "raw HTML in a page has an element, attribute or class token that the sanitizer removes";
    LinkLeavesBook = "GB515", Warning, "a link leaves the book, so it cannot be checked";
    CsvFormat = "GB601", Error, "a metrics CSV file is malformed";
    CsvValue = "GB602", Error, "a metrics CSV cell is not a valid value";
    DuplicateObservation = "GB603", Error, "an observation is recorded twice";
    FutureObservation = "GB604", Error, "an observation is dated after today";
    ThemeTemplate = "GB701", Error, "a theme template does not parse or render";
    ThemeMissing = "GB702", Error, "the theme named in book.toml does not exist";
    OutputWrite = "GB703", Error, "the output directory cannot be written";
    ArtifactTemplate = "GB704", Error, "an artifact template is missing, does not parse or does not render";
    PreprocessorFailed = "GB705", Error, "a preprocessor named in book.toml failed or returned something other than a book";
    BadRedirect = "GB706", Error, "an [output.html] redirect would replace a page, leave the site or use an unsafe URL";
    ExtraFileMissing = "GB707", Error, "an additional-css or additional-js file is missing or outside the book";
    MathNotConverted = "GB708", Warning, "a formula (mathjax-support) does not convert to MathML and is shown as written";
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_well_formed() {
        let mut seen = std::collections::HashSet::new();
        for c in Code::ALL {
            let s = c.as_str();
            assert!(seen.insert(s), "{s} twice");
            assert!(s.len() == 5 && s.starts_with("GB"), "{s}");
            assert!(s[2..].chars().all(|c| c.is_ascii_digit()), "{s}");
        }
    }
}
