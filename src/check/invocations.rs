//! Codex command lines wherever the sources write them (commands, policy
//! text, pages, artifact templates), read the way Codex CLI 0.139.0's
//! argument parser reads them:
//!
//! - `-p`/`--profile` after a subcommand that does not take it there
//!   (`codex review -p review` is a usage error; `codex -p review review`
//!   is right), or before one that ignores profiles (GB414);
//! - `-p NAME` naming no approved profile, and `sandbox -P NAME` naming no
//!   permissions profile: Codex silently runs a missing profile on the base
//!   config, so a renamed profile leaves commands that quietly do the wrong
//!   thing (GB415).
//!
//! Which subcommands take `-p` after them was checked against the binary:
//! `exec`, `resume`, `archive`, `unarchive`, `fork` and `sandbox` do;
//! `review`, `mcp`, `debug` and every other one exit 2. Before the
//! subcommand, `-p` works only for the runtime commands (`exec`, `review`,
//! `resume`, `archive`, `unarchive`, `fork`, `mcp`, `sandbox`,
//! `debug prompt-input`); the rest exit 1.

use std::ops::Range;

use crate::diag::{Code, Diagnostic, Diagnostics, did_you_mean};
use crate::model::{Governance, Model};
use crate::text::{FileId, Sources};

/// Codex CLI 0.139.0's subcommands (with aliases).
const SUBCOMMANDS: &[&str] = &[
    "exec",
    "e",
    "review",
    "login",
    "logout",
    "mcp",
    "plugin",
    "mcp-server",
    "app-server",
    "remote-control",
    "completion",
    "update",
    "doctor",
    "sandbox",
    "debug",
    "apply",
    "a",
    "resume",
    "archive",
    "unarchive",
    "fork",
    "cloud",
    "exec-server",
    "features",
    "help",
];

/// Subcommands that take `-p` after their name.
const PROFILE_AFTER: &[&str] = &[
    "exec",
    "e",
    "resume",
    "archive",
    "unarchive",
    "fork",
    "sandbox",
];

/// Subcommands for which `-p` before the name applies.
const RUNTIME: &[&str] = &[
    "exec",
    "e",
    "review",
    "resume",
    "archive",
    "unarchive",
    "fork",
    "mcp",
    "sandbox",
];

/// Options (top level, `exec`, `sandbox`) whose value is the next word.
const TAKES_VALUE: &[&str] = &[
    "-c",
    "--config",
    "-m",
    "--model",
    "-p",
    "--profile",
    "-s",
    "--sandbox",
    "-a",
    "--ask-for-approval",
    "-C",
    "--cd",
    "--add-dir",
    "--enable",
    "--disable",
    "--local-provider",
    "--remote",
    "--remote-auth-token-env",
    "-i",
    "--image",
    "--output-schema",
    "-o",
    "--output-last-message",
    "--color",
    "-P",
    "--permissions-profile",
    "--permission-profile",
];

/// One word of a command line: its text without quotes, and where it is.
#[derive(Debug, Clone, PartialEq)]
struct Word<'a> {
    text: &'a str,
    span: Range<usize>,
}

/// What a command line says that the rules care about.
#[derive(Debug, PartialEq)]
enum Finding {
    /// `-p` where Codex rejects it: the option's span through its value,
    /// the subcommand, and whether it came after it.
    Misplaced {
        span: Range<usize>,
        subcommand: String,
        after: bool,
    },
    /// A profile name given with `-p`.
    Profile { name: String, span: Range<usize> },
    /// A permissions profile given with `sandbox -P`.
    Permissions { name: String, span: Range<usize> },
}

/// Whether `b` may come right before the `codex` command word.
fn starts_command(b: Option<u8>) -> bool {
    match b {
        None => true,
        Some(c) => b" \t\n`('\"|;&{$".contains(&c),
    }
}

/// The words after each `codex ` in `text`, up to the end of the command
/// (a line end, a backtick, a pipe, `;`, `&`, a redirection or `)`).
fn command_lines(text: &str) -> Vec<Vec<Word<'_>>> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(found) = text[from..].find("codex") {
        let start = from + found;
        from = start + 5;
        let before = start.checked_sub(1).map(|i| bytes[i]);
        if !starts_command(before) || !matches!(bytes.get(from), Some(b' ' | b'\t')) {
            continue;
        }
        out.push(words(text, from));
    }
    out
}

fn words(text: &str, mut i: usize) -> Vec<Word<'_>> {
    let bytes = text.as_bytes();
    let mut words = Vec::new();
    loop {
        while i < bytes.len() {
            match bytes[i] {
                b' ' | b'\t' => i += 1,
                // A continued line is one command.
                b'\\' if bytes.get(i + 1) == Some(&b'\n') => i += 2,
                _ => break,
            }
        }
        let Some(&c) = bytes.get(i) else { break };
        if b"\r\n`|;&)<>#".contains(&c) {
            break;
        }
        if c == b'"' || c == b'\'' {
            let Some(len) = text[i + 1..].find([c as char, '\n']) else {
                break;
            };
            let end = i + 1 + len;
            // An unclosed quote: the command ends with the line.
            if bytes[end] != c {
                break;
            }
            words.push(Word {
                text: &text[i + 1..end],
                span: i..(end + 1).min(text.len()),
            });
            i = end + 1;
            continue;
        }
        let end = text[i..]
            .find(|ch: char| ch.is_whitespace() || "`|;&)<>".contains(ch))
            .map_or(text.len(), |n| i + n);
        // Other white space (a no-break space, say) ends the command too:
        // never an empty word, so the scan always moves on.
        if end == i {
            break;
        }
        words.push(Word {
            text: &text[i..end],
            span: i..end,
        });
        i = end;
    }
    words
}

/// `-p NAME`, `-pNAME`, `--profile NAME`, `--profile=NAME`: the value and
/// its span.
fn option_value<'a>(words: &[Word<'a>], k: usize, long: &str, short: &str) -> Option<Word<'a>> {
    let w = &words[k];
    if w.text == long || w.text == short {
        return words.get(k + 1).cloned();
    }
    let value = match w.text.strip_prefix(long) {
        Some(rest) => rest.strip_prefix('=')?,
        None => w.text.strip_prefix(short)?,
    };
    Some(Word {
        text: value,
        span: w.span.end - value.len()..w.span.end,
    })
}

/// Whether the word takes its value along: `--profile=x`, `-px`.
fn attached(w: &str) -> bool {
    w.contains('=') || (w.len() > 2 && !w.starts_with("--"))
}

fn is_profile_option(w: &str) -> bool {
    w.starts_with("-p") || w == "--profile" || w.starts_with("--profile=")
}

fn is_permissions_option(w: &str) -> bool {
    w.starts_with("-P")
        || ["--permissions-profile", "--permission-profile"].contains(&w)
        || w.starts_with("--permissions-profile=")
        || w.starts_with("--permission-profile=")
}

/// Reads one command line the way Codex's parser would.
fn read(words: &[Word<'_>]) -> Vec<Finding> {
    let mut out = Vec::new();
    let mut subcommand: Option<&str> = None;
    // `exec resume` and `exec review` take no `-p` after them.
    let mut nested: Option<&str> = None;
    let mut early_profile: Option<Range<usize>> = None;
    let mut k = 0;
    while k < words.len() {
        let w = &words[k];
        if w.text == "--" {
            break;
        }
        if is_profile_option(w.text) {
            let value = option_value(words, k, "--profile", "-p");
            let span = w.span.start..value.as_ref().map_or(w.span.end, |v| v.span.end);
            if let Some(v) = &value {
                out.push(Finding::Profile {
                    name: v.text.to_owned(),
                    span: v.span.clone(),
                });
            }
            match (subcommand, nested) {
                // Prose such as "review takes no -p" is not a command.
                _ if value.is_none() => {}
                (None, _) => early_profile = Some(span),
                (Some(s), None) if PROFILE_AFTER.contains(&s) => {}
                (Some(s), n) => out.push(Finding::Misplaced {
                    span,
                    subcommand: n.map_or(s.to_owned(), |n| format!("{s} {n}")),
                    after: true,
                }),
            }
            k += if attached(w.text) { 1 } else { 2 };
            continue;
        }
        if subcommand == Some("sandbox") && is_permissions_option(w.text) {
            let long = if w.text.starts_with("--permission-profile") {
                "--permission-profile"
            } else {
                "--permissions-profile"
            };
            if let Some(v) = option_value(words, k, long, "-P") {
                out.push(Finding::Permissions {
                    name: v.text.to_owned(),
                    span: v.span.clone(),
                });
            }
            k += if attached(w.text) { 1 } else { 2 };
            continue;
        }
        if w.text.starts_with('-') {
            k += if TAKES_VALUE.contains(&w.text) { 2 } else { 1 };
            continue;
        }
        match subcommand {
            None if SUBCOMMANDS.contains(&w.text) => {
                subcommand = Some(w.text);
                let next = words.get(k + 1).map(|w| w.text);
                let runtime = RUNTIME.contains(&w.text)
                    || (w.text == "debug" && next == Some("prompt-input"));
                if let (Some(span), false) = (early_profile.take(), runtime) {
                    out.push(Finding::Misplaced {
                        span,
                        subcommand: w.text.to_owned(),
                        after: false,
                    });
                }
            }
            // A prompt for the interactive session, or prose.
            None => break,
            // The sandboxed command: its words are its own.
            Some("sandbox") => break,
            Some("exec" | "e") if nested.is_none() && ["resume", "review"].contains(&w.text) => {
                nested = Some(w.text);
            }
            Some(_) => {}
        }
        k += 1;
    }
    out
}

/// A name that stands for any profile in documentation: `NAME`, `<name>`,
/// `$p`, `…`.
fn placeholder(name: &str) -> bool {
    name.is_empty()
        || name.contains(['$', '<', '>', '{', '}', '[', ']', '*', '…'])
        || name.contains("...")
        || name
            .chars()
            .all(|c| c.is_ascii_uppercase() || c == '_' || c == '-')
}

/// Approved profile and permissions profile names, when the book has
/// `profiles.toml`.
struct Approved {
    profiles: Vec<String>,
    permissions: Vec<String>,
}

fn approved(g: &Governance) -> Option<Approved> {
    let p = &g.profiles.as_ref()?.value;
    Some(Approved {
        profiles: p
            .profile
            .iter()
            .map(|x| x.get_ref().name.get_ref().clone())
            .collect(),
        permissions: p
            .permissions
            .iter()
            .map(|x| x.get_ref().name.get_ref().clone())
            .collect(),
    })
}

/// Checks the command lines in governance files, pages and templates.
pub(super) fn check(model: &Model, sources: &Sources, diags: &mut Diagnostics) {
    let approved = model.governance.as_ref().and_then(approved);
    for file in files(model) {
        scan(file, sources, approved.as_ref(), diags);
    }
}

/// Checks one page's text (`serve`, after an edit of that page alone).
pub(super) fn check_page(model: &Model, sources: &Sources, file: FileId, diags: &mut Diagnostics) {
    let approved = model.governance.as_ref().and_then(approved);
    scan(file, sources, approved.as_ref(), diags);
}

fn files(model: &Model) -> Vec<FileId> {
    let mut files: Vec<FileId> = model.pages.iter().map(|p| p.file).collect();
    files.extend(model.included.iter().copied());
    files.extend(model.templates.iter().map(|(_, f)| *f));
    if let Some(g) = &model.governance {
        files.extend(
            [
                g.policy.as_ref().map(|f| f.file),
                g.profiles.as_ref().map(|f| f.file),
                g.commands.as_ref().map(|f| f.file),
                g.checklists.as_ref().map(|f| f.file),
                g.rollout.as_ref().map(|f| f.file),
                g.upgrades.as_ref().map(|f| f.file),
                g.plugins.as_ref().map(|f| f.file),
                g.metrics.as_ref().map(|f| f.file),
                g.owners.as_ref().map(|f| f.file),
            ]
            .into_iter()
            .flatten(),
        );
    }
    files.sort();
    files.dedup();
    files
}

fn scan(file: FileId, sources: &Sources, approved: Option<&Approved>, diags: &mut Diagnostics) {
    let text = &sources.get(file).text;
    for line in command_lines(text) {
        for finding in read(&line) {
            if let Some((d, span)) = diagnostic(finding, approved) {
                diags.push(d.at_span(file, span));
            }
        }
    }
}

/// The diagnostic for a finding, and the byte span it belongs at.
fn diagnostic(finding: Finding, approved: Option<&Approved>) -> Option<(Diagnostic, Range<usize>)> {
    match finding {
        Finding::Misplaced {
            span,
            subcommand,
            after: true,
        } => Some((
            Diagnostic::new(
                Code::ProfileMisplaced,
                format!(
                    "`codex {subcommand}` does not take -p/--profile after it: Codex CLI 0.139.0 stops with a usage error"
                ),
            )
            .with_hint(format!(
                "put the profile before the subcommand: `codex -p NAME {subcommand} …`; only exec, resume, archive, unarchive, fork and sandbox take it after"
            )),
            span,
        )),
        Finding::Misplaced {
            span,
            subcommand,
            after: false,
        } => Some((
            Diagnostic::new(
                Code::ProfileMisplaced,
                format!("-p/--profile does not apply to `codex {subcommand}`: Codex exits with an error"),
            )
            .with_hint("profiles apply only to codex, exec, review, resume, archive, unarchive, fork, mcp, sandbox and debug prompt-input: drop the option"),
            span,
        )),
        Finding::Profile { name, span } => {
            let approved = approved?;
            if placeholder(&name) || approved.profiles.contains(&name) {
                return None;
            }
            Some((
                Diagnostic::new(
                    Code::UnknownProfile,
                    format!("`-p {name}` names no approved profile: Codex would silently run on the base config"),
                )
                .with_hint(
                    did_you_mean(&name, approved.profiles.iter().map(String::as_str)).unwrap_or_else(|| {
                        format!("approved profiles: {}", approved.profiles.join(", "))
                    }),
                ),
                span,
            ))
        }
        Finding::Permissions { name, span } => {
            let approved = approved?;
            if placeholder(&name) || name.starts_with(':') || approved.permissions.contains(&name) {
                return None;
            }
            Some((
                Diagnostic::new(
                    Code::UnknownProfile,
                    format!("`-P {name}` names no permissions profile in profiles.toml or built into Codex"),
                )
                .with_hint(
                    did_you_mean(&name, approved.permissions.iter().map(String::as_str)).unwrap_or_else(|| {
                        "use a [[permissions]] name from profiles.toml, or :read-only, :workspace, :danger-full-access".into()
                    }),
                ),
                span,
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn findings(text: &str) -> Vec<Finding> {
        command_lines(text).iter().flat_map(|l| read(l)).collect()
    }

    fn misplaced(text: &str) -> Vec<String> {
        findings(text)
            .into_iter()
            .filter_map(|f| match f {
                Finding::Misplaced { span, .. } => Some(text[span].to_owned()),
                _ => None,
            })
            .collect()
    }

    fn profiles(text: &str) -> Vec<String> {
        findings(text)
            .into_iter()
            .filter_map(|f| match f {
                Finding::Profile { name, .. } => Some(name),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn profile_after_a_subcommand_that_rejects_it() {
        assert_eq!(misplaced("run `codex review -p review` now"), ["-p review"]);
        assert_eq!(misplaced("codex mcp list --profile x"), ["--profile x"]);
        assert_eq!(
            misplaced("codex debug prompt-input --profile=x"),
            ["--profile=x"]
        );
        assert_eq!(misplaced("codex exec resume --last -p x"), ["-p x"]);
        assert_eq!(misplaced("codex -p x features list"), ["-p x"]);
        assert_eq!(misplaced("codex -p x debug models"), ["-p x"]);
    }

    #[test]
    fn profile_where_codex_takes_it() {
        for ok in [
            "codex -p review review",
            "codex exec -p ci-exec --json \"fix it\"",
            "codex exec \"fix it\" -p ci-exec",
            "codex sandbox -p standard -P team-workspace -- true",
            "codex -p standard debug prompt-input | grep -q x",
            "codex resume --last -p standard",
            "codex --profile standard mcp list",
            "codex sandbox -P x -- sh -c 'codex-ish -p y'",
            "@openai/codex@0.139.0 -p x review",
            "the codex review is -p",
        ] {
            assert_eq!(misplaced(ok), Vec::<String>::new(), "{ok}");
        }
    }

    #[test]
    fn profile_names_and_spans() {
        assert_eq!(
            profiles(
                "`codex -p old-name` and codex exec --profile=ci \"x\"\ncodex -p \"$p\" exec; codex -pfoo"
            ),
            ["old-name", "ci", "$p", "foo"]
        );
        let text = "x codex sandbox -P team-wrk -- true";
        let f = findings(text);
        assert!(
            matches!(&f[0], Finding::Permissions { name, span } if name == "team-wrk" && &text[span.clone()] == "team-wrk")
        );
        // A command continued over lines is one command.
        assert_eq!(misplaced("codex review \\\n  -p review"), ["-p review"]);
        // Line ends of every kind, odd white space and open quotes end the scan.
        for text in [
            "codex review\r\n-p x",
            "codex review\u{a0}-p x",
            "codex 'review -p x",
        ] {
            assert_eq!(misplaced(text), Vec::<String>::new(), "{text:?}");
        }
    }

    #[test]
    fn any_text_is_read_without_panic() {
        for text in [
            "codex ",
            "codex '",
            "codex \"é",
            "codex -p",
            "codex -p 'é",
            "codex é -p x",
            "codex\u{2028}-p x",
            "codex sandbox -P",
            "codex --profile=",
            "xcodex -p y",
            "codex exec resume",
            "codex -p\u{a0}x review",
            "codex review -p \"unterminated",
        ] {
            let _ = findings(text);
        }
    }

    #[test]
    fn placeholders_are_not_names() {
        for p in ["NAME", "<name>", "$p", "...", "PROFILE_NAME", "…"] {
            assert!(placeholder(p), "{p}");
        }
        assert!(!placeholder("standard"));
    }
}
