//! Diagnostics: the one type every stage reports problems with, and its
//! renderers (human, JSON lines, GitHub workflow annotations).

mod codes;
mod render;

use std::path::{Path, PathBuf};

pub use codes::Code;
pub use render::{Format, from_cwd, render, render_at, render_sarif};

use crate::text::{FileId, Loc};

/// How bad a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Stops `check` (exit 1) and `build`.
    Error,
    /// Reported; an error under `--strict`.
    Warning,
}

/// What a dangling reference that mdBook builds with is: a link or an
/// include naming an anchor that does not exist (GB507, GB508; mdBook links
/// to the top of the page, includes nothing), or a link to a missing target
/// that is not a Markdown or HTML page (GB506; often a PDF another step
/// writes beside the book, or a name a preprocessor resolves). A governance handbook is held
/// to all of them. In a book without governance each is a warning, so a
/// public mdBook book builds as it is, and an error under `--strict`. A
/// link to a missing page is an error in every book.
pub fn dangling(has_governance: bool) -> Severity {
    if has_governance {
        Severity::Error
    } else {
        Severity::Warning
    }
}

/// One problem found in the sources.
#[derive(Debug, Clone)]
pub struct Diagnostic {
    /// Stable code.
    pub code: Code,
    /// Error or warning.
    pub severity: Severity,
    /// What is wrong, in one sentence.
    pub message: String,
    /// Where, when the problem is inside a loaded file.
    pub loc: Option<Loc>,
    /// Which file, when the problem is about a path rather than its text.
    pub path: Option<PathBuf>,
    /// How to fix it, when there is something useful to say.
    pub hint: Option<String>,
}

impl Diagnostic {
    /// A diagnostic with the code's default severity and no location yet.
    pub fn new(code: Code, message: impl Into<String>) -> Self {
        Diagnostic {
            code,
            severity: code.default_severity(),
            message: message.into(),
            loc: None,
            path: None,
            hint: None,
        }
    }

    /// Points the diagnostic at a span of a loaded file.
    pub fn at(mut self, loc: Loc) -> Self {
        self.loc = Some(loc);
        self
    }

    /// Points the diagnostic at a span of `file`.
    pub fn at_span(self, file: FileId, span: std::ops::Range<usize>) -> Self {
        self.at(Loc::new(file, span))
    }

    /// Names a path that has no loaded text (missing or unreadable).
    pub fn at_path(mut self, path: &Path) -> Self {
        self.path = Some(path.to_path_buf());
        self
    }

    /// Adds a hint.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Adds a hint when there is one.
    pub fn with_hint_opt(mut self, hint: Option<String>) -> Self {
        self.hint = hint;
        self
    }
}

/// The most diagnostics reported one by one in a file; past it they are
/// counted in one more (GB012). A line of 25,000 bad links or a CSV of
/// 500,000 bad rows would otherwise take minutes and gigabytes to report,
/// and nobody reads past the first screens.
pub const MAX_PER_FILE: usize = 200;

/// The diagnostics of one run.
#[derive(Debug, Default)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
    /// Per file: how many were recorded, and where its GB012 summary is.
    per_file: std::collections::HashMap<FileId, (usize, Option<usize>)>,
}

impl Diagnostics {
    /// Records a diagnostic; past [`MAX_PER_FILE`] in one file, only counts
    /// it in that file's GB012 summary (an error if any counted one is).
    pub fn push(&mut self, d: Diagnostic) {
        let Some(file) = d.loc.as_ref().map(|l| l.file) else {
            self.items.push(d);
            return;
        };
        let (count, summary) = self.per_file.entry(file).or_insert((0, None));
        *count += 1;
        if *count <= MAX_PER_FILE {
            self.items.push(d);
            return;
        }
        let hidden = *count - MAX_PER_FILE;
        let message = format!(
            "{hidden} more problem(s) in this file are not shown (the first {MAX_PER_FILE} are)"
        );
        match *summary {
            Some(at) => {
                let s = &mut self.items[at];
                s.message = message;
                s.severity = s.severity.min(d.severity);
            }
            None => {
                *summary = Some(self.items.len());
                let mut s = Diagnostic::new(Code::TooManyProblems, message)
                    .at(Loc::new(file, 0..0))
                    .with_hint("fix the ones shown and run again");
                s.severity = d.severity;
                self.items.push(s);
            }
        }
    }

    /// All diagnostics, in the order they were found.
    pub fn items(&self) -> &[Diagnostic] {
        &self.items
    }

    /// Number of errors.
    pub fn errors(&self) -> usize {
        self.count(Severity::Error)
    }

    /// Number of warnings.
    pub fn warnings(&self) -> usize {
        self.count(Severity::Warning)
    }

    fn count(&self, s: Severity) -> usize {
        self.items.iter().filter(|d| d.severity == s).count()
    }

    /// Whether any error was recorded.
    pub fn has_errors(&self) -> bool {
        self.errors() > 0
    }

    /// Turns every warning into an error (`--strict`).
    pub fn promote_warnings(&mut self) {
        for d in &mut self.items {
            d.severity = Severity::Error;
        }
    }
}

/// An error and its causes on one line (Tera nests the useful part).
pub fn error_chain(e: &dyn std::error::Error) -> String {
    let mut msg = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        msg.push_str(": ");
        msg.push_str(&s.to_string());
        source = s.source();
    }
    msg.replace('\n', " ")
}

/// The closest candidate to `word`, for "did you mean" hints.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(word, c), c))
        .filter(|(score, _)| *score > 0.8)
        // Ties go to the alphabetically first candidate, so hints are the
        // same whatever order the candidates came in.
        .max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| b.1.cmp(a.1)))
        .map(|(_, c)| format!("did you mean \"{c}\"?"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn did_you_mean_picks_close_words_only() {
        let c = ["on-request", "never", "untrusted"];
        assert_eq!(
            did_you_mean("on-requst", c).as_deref(),
            Some("did you mean \"on-request\"?")
        );
        assert_eq!(did_you_mean("zzzz", c), None);
    }
}
