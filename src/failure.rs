//! Failures other than source diagnostics, typed so that the exit code
//! follows from what went wrong.

use std::fmt;

/// Why a command stopped, when it was not a problem in the sources (those
/// are [`crate::diag::Diagnostic`]s).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// The command cannot run as asked: a bad argument, an input named on
    /// the command line that is missing or of the wrong kind, a target it
    /// refuses to touch, a port it cannot listen on. Exit 2.
    Usage(String),
    /// The command ran but could not finish: a file could not be read or
    /// written, or the book lacks what the command needs. Exit 1; what was
    /// there before is left as it was.
    Failed(String),
}

impl Failure {
    /// The process exit code for this failure.
    pub fn exit_code(&self) -> u8 {
        match self {
            Failure::Usage(_) => 2,
            Failure::Failed(_) => 1,
        }
    }

    /// The failure with `context` in front of its message, same kind.
    pub fn context(self, context: impl fmt::Display) -> Failure {
        match self {
            Failure::Usage(m) => Failure::Usage(format!("{context}: {m}")),
            Failure::Failed(m) => Failure::Failed(format!("{context}: {m}")),
        }
    }

    /// The message alone.
    pub fn message(&self) -> &str {
        match self {
            Failure::Usage(m) | Failure::Failed(m) => m,
        }
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message())
    }
}

impl std::error::Error for Failure {}

/// Shorthand for a usage failure.
pub fn usage(message: impl Into<String>) -> Failure {
    Failure::Usage(message.into())
}

/// Shorthand for a failure to finish.
pub fn failed(message: impl Into<String>) -> Failure {
    Failure::Failed(message.into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exit_codes_follow_the_kind() {
        assert_eq!(usage("x").exit_code(), 2);
        assert_eq!(failed("x").exit_code(), 1);
        assert_eq!(
            failed("disk full").context("cannot write a"),
            failed("cannot write a: disk full")
        );
    }
}
