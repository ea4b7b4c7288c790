//! Turns diagnostics into text: rustc-like for people, JSON lines for tools,
//! and `::error` lines for GitHub Actions.

use std::io::{self, Write};

use anstyle::{AnsiColor, Style};
use serde::Serialize;

use super::{Diagnostic, Severity};
use crate::text::Sources;

/// Output format of `check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// rustc-style text with the source line and a caret.
    Human,
    /// One JSON object per line, one line per diagnostic.
    Json,
    /// GitHub Actions workflow commands (`::error file=…`).
    Github,
    /// One SARIF 2.1.0 log, for GitHub code scanning and other SARIF viewers.
    Sarif,
}

/// A diagnostic with its location resolved against the sources.
#[derive(Serialize)]
struct Resolved<'a> {
    code: &'static str,
    severity: Severity,
    message: &'a str,
    file: Option<String>,
    line: Option<usize>,
    column: Option<usize>,
    end_line: Option<usize>,
    end_column: Option<usize>,
    source_line: Option<&'a str>,
    hint: Option<&'a str>,
}

fn resolve<'a>(d: &'a Diagnostic, sources: &'a Sources, base: &std::path::Path) -> Resolved<'a> {
    let display_path = |p: &std::path::Path| display_path(&base.join(p));
    let mut r = Resolved {
        code: d.code.as_str(),
        severity: d.severity,
        message: &d.message,
        file: d.path.as_ref().map(|p| display_path(p)),
        line: None,
        column: None,
        end_line: None,
        end_column: None,
        source_line: None,
        hint: d.hint.as_deref(),
    };
    if let Some(loc) = &d.loc {
        let f = sources.get(loc.file);
        let (line, col) = f.line_col(loc.span.start);
        let (end_line, end_col) = f.line_col(loc.span.end);
        r.file = Some(display_path(&f.path));
        r.line = Some(line);
        r.column = Some(col);
        r.end_line = Some(end_line);
        r.end_column = Some(end_col);
        r.source_line = Some(f.line_text(line));
    }
    r
}

fn display_path(p: &std::path::Path) -> String {
    p.to_string_lossy().replace('\\', "/")
}

/// Sorted copies: by file, line, column, then code, so output is stable.
fn sorted<'a>(
    diags: &'a [Diagnostic],
    sources: &'a Sources,
    base: &std::path::Path,
) -> Vec<Resolved<'a>> {
    let mut v: Vec<_> = diags.iter().map(|d| resolve(d, sources, base)).collect();
    v.sort_by(|a, b| {
        (&a.file, a.line, a.column, a.code, a.message)
            .cmp(&(&b.file, b.line, b.column, b.code, b.message))
    });
    v
}

/// Writes every diagnostic in `format`, each path as seen from the working
/// directory ([`from_cwd`]), so it can be opened from where govbook ran.
/// Colour is decided by the stream (an `anstream` stream strips it where it
/// is not wanted).
pub fn render(
    out: &mut dyn Write,
    format: Format,
    diags: &[Diagnostic],
    sources: &Sources,
) -> io::Result<()> {
    render_at(out, format, diags, sources, &from_cwd(sources.root()))
}

/// The book directory `dir` as seen from the working directory: the part
/// below it when the book is inside it (empty for `.`), else `dir` as given
/// when that is relative (`../handbook`), else the absolute path.
pub fn from_cwd(dir: &std::path::Path) -> std::path::PathBuf {
    use std::path::{Component, PathBuf};
    let given: PathBuf = dir
        .components()
        .filter(|c| *c != Component::CurDir)
        .collect();
    let (Ok(book), Ok(cwd)) = (
        std::fs::canonicalize(dir),
        std::env::current_dir().and_then(std::fs::canonicalize),
    ) else {
        return given;
    };
    match book.strip_prefix(&cwd) {
        Ok(rel) => rel.to_path_buf(),
        Err(_) if dir.is_relative() => given,
        Err(_) => book,
    }
}

/// Like [`render`], with every path under `base` (the book's directory as
/// seen from where the paths are read: the repository root for GitHub).
pub fn render_at(
    out: &mut dyn Write,
    format: Format,
    diags: &[Diagnostic],
    sources: &Sources,
    base: &std::path::Path,
) -> io::Result<()> {
    if format == Format::Sarif {
        return render_sarif(out, diags, sources, "");
    }
    for r in sorted(diags, sources, base) {
        match format {
            Format::Human => human(out, &r)?,
            Format::Json => {
                serde_json::to_writer(&mut *out, &r)?;
                writeln!(out)?;
            }
            Format::Github => github(out, &r)?,
            Format::Sarif => {}
        }
    }
    Ok(())
}

fn human(out: &mut dyn Write, r: &Resolved<'_>) -> io::Result<()> {
    let (label, color) = match r.severity {
        Severity::Error => ("error", AnsiColor::Red),
        Severity::Warning => ("warning", AnsiColor::Yellow),
    };
    let head = Style::new().bold().fg_color(Some(color.into()));
    let bold = Style::new().bold();
    let blue = Style::new().bold().fg_color(Some(AnsiColor::Blue.into()));
    writeln!(
        out,
        "{head}{label}[{code}]{head:#}{bold}: {msg}{bold:#}",
        code = r.code,
        msg = crate::text::visible(r.message)
    )?;
    let Some(file) = &r.file else {
        return hint(out, r, "", blue);
    };
    let (Some(line), Some(col), Some(text)) = (r.line, r.column, r.source_line) else {
        writeln!(out, "  {blue}-->{blue:#} {file}")?;
        return hint(out, r, "  ", blue);
    };
    let gutter = " ".repeat(line.to_string().len());
    writeln!(out, "{gutter}{blue}-->{blue:#} {file}:{line}:{col}")?;
    writeln!(out, "{gutter} {blue}|{blue:#}")?;
    let width = match (r.end_line, r.end_column) {
        (Some(l), Some(c)) if l == line && c > col => c - col,
        _ => 1,
    };
    let (shown, pad, width) = snippet(text, col, width);
    writeln!(out, "{blue}{line} |{blue:#} {shown}")?;
    writeln!(
        out,
        "{gutter} {blue}|{blue:#} {pad}{head}{}{head:#}",
        "^".repeat(width)
    )?;
    hint(out, r, &gutter, blue)
}

/// Characters of a source line shown around the column; a longer line is
/// cut, with `…` where text was left out.
const SNIPPET: usize = 100;

/// The part of `text` to show for a mark at 1-based character `col`, `width`
/// characters wide: the text, the padding before the caret, and the caret's
/// width within what is shown. Characters a terminal would not show as they
/// are (controls, bidirectional overrides) are shown as `�`, so the line
/// reads as it is stored and the caret stays under its place.
fn snippet(text: &str, col: usize, width: usize) -> (String, String, usize) {
    let chars: Vec<char> = text.chars().collect();
    let at = col.saturating_sub(1).min(chars.len());
    let start = if chars.len() <= SNIPPET {
        0
    } else {
        at.saturating_sub(SNIPPET / 3)
    };
    let end = (start + SNIPPET).min(chars.len());
    let mut shown = String::new();
    let mut pad = String::new();
    if start > 0 {
        shown.push('…');
        pad.push(' ');
    }
    // Character by character, so the caret below still lines up.
    let visible_char = |c: char| {
        if c != '\t' && crate::text::hidden_char(c).is_some() {
            '\u{FFFD}'
        } else {
            c
        }
    };
    shown.extend(chars[start..end].iter().map(|&c| visible_char(c)));
    if end < chars.len() {
        shown.push('…');
    }
    pad.extend(
        chars[start..at]
            .iter()
            .map(|&c| if c == '\t' { '\t' } else { ' ' }),
    );
    let width = width.min(end.saturating_sub(at)).max(1);
    (shown, pad, width)
}

fn hint(out: &mut dyn Write, r: &Resolved<'_>, gutter: &str, blue: Style) -> io::Result<()> {
    if let Some(h) = r.hint {
        writeln!(
            out,
            "{gutter} {blue}={blue:#} help: {}",
            crate::text::visible(h)
        )?;
    }
    writeln!(out)
}

fn github(out: &mut dyn Write, r: &Resolved<'_>) -> io::Result<()> {
    let kind = match r.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let mut props = Vec::new();
    if let Some(f) = &r.file {
        props.push(format!("file={}", escape_property(f)));
    }
    if let Some(l) = r.line {
        props.push(format!("line={l}"));
    }
    if let Some(c) = r.column {
        props.push(format!("col={c}"));
    }
    if let (Some(l), Some(c)) = (r.end_line, r.end_column) {
        props.push(format!("endLine={l}"));
        props.push(format!("endColumn={c}"));
    }
    props.push(format!("title={}", r.code));
    let mut msg = crate::text::visible(r.message).into_owned();
    if let Some(h) = r.hint {
        msg.push_str("\nhelp: ");
        msg.push_str(&crate::text::visible(h));
    }
    writeln!(out, "::{kind} {}::{}", props.join(","), escape_data(&msg))
}

/// Writes every diagnostic as one SARIF 2.1.0 log. `prefix` is the book
/// directory relative to the repository root (`""` or `"handbook/"`), so
/// each location's `uri` is relative to the root (`%SRCROOT%`), as GitHub
/// code scanning places findings on a pull request's diff.
pub fn render_sarif(
    out: &mut dyn Write,
    diags: &[Diagnostic],
    sources: &Sources,
    prefix: &str,
) -> io::Result<()> {
    let level = |s: Severity| match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let rules: Vec<_> = super::Code::ALL
        .iter()
        .map(|c| {
            serde_json::json!({
                "id": c.as_str(),
                "name": format!("{c:?}"),
                "shortDescription": { "text": c.title() },
                "defaultConfiguration": { "level": level(c.default_severity()) },
            })
        })
        .collect();
    let results: Vec<_> = sorted(diags, sources, std::path::Path::new(""))
        .iter()
        .map(|r| {
            let mut text = r.message.to_owned();
            if let Some(h) = r.hint {
                text.push_str("\nhelp: ");
                text.push_str(h);
            }
            let mut result = serde_json::json!({
                "ruleId": r.code,
                "ruleIndex": super::Code::ALL.iter().position(|c| c.as_str() == r.code),
                "level": level(r.severity),
                "message": { "text": text },
            });
            if let Some(file) = &r.file {
                let mut region = serde_json::json!({
                    "startLine": r.line.unwrap_or(1),
                    "startColumn": r.column.unwrap_or(1),
                });
                if let (Some(l), Some(c)) = (r.end_line, r.end_column)
                    && (l, c) > (r.line.unwrap_or(1), r.column.unwrap_or(1))
                {
                    region["endLine"] = l.into();
                    region["endColumn"] = c.into();
                }
                result["locations"] = serde_json::json!([{
                    "physicalLocation": {
                        "artifactLocation": {
                            "uri": uri_path(&format!("{prefix}{file}")),
                            "uriBaseId": "%SRCROOT%",
                        },
                        "region": region,
                    }
                }]);
            }
            result
        })
        .collect();
    let log = serde_json::json!({
        "$schema": "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "govbook",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules,
            }},
            // Columns count characters, as the human output's do.
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    });
    serde_json::to_writer_pretty(&mut *out, &log)?;
    writeln!(out)
}

/// A relative path as a URI reference: bytes other than unreserved ones
/// and `/` percent-encoded (a space, `#` or `%` in a file name).
fn uri_path(path: &str) -> String {
    let mut out = String::new();
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// GitHub's workflow-command escaping for the message part.
fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// GitHub's workflow-command escaping for a property value.
fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn paths_are_shown_from_the_working_directory() {
        let cwd = std::env::current_dir().unwrap();
        assert_eq!(from_cwd(Path::new(".")), Path::new(""));
        assert_eq!(from_cwd(&cwd.join("src")), Path::new("src"));
        assert_eq!(from_cwd(Path::new("./src/diag")), Path::new("src/diag"));
        assert_eq!(
            from_cwd(Path::new("../elsewhere-that-is-not-there")),
            Path::new("../elsewhere-that-is-not-there")
        );
        let outside = std::env::temp_dir();
        assert!(from_cwd(&outside).is_absolute());
    }
    use crate::diag::{Code, Diagnostic};

    fn one() -> (Sources, Vec<Diagnostic>) {
        let mut s = Sources::new("/book");
        let id = s.add(
            "content/governance/profiles.toml",
            "[x]\nsandbox_mode = \"bogus\"\n".into(),
        );
        let d = Diagnostic::new(Code::CodexInvalidValue, "unknown sandbox_mode \"bogus\"")
            .at_span(id, 19..26)
            .with_hint("did you mean \"read-only\"?");
        (s, vec![d])
    }

    #[test]
    fn human_shows_place_source_line_caret_and_hint() {
        let (s, d) = one();
        let mut out = Vec::new();
        render_at(&mut out, Format::Human, &d, &s, Path::new("")).unwrap();
        let text = String::from_utf8(out).unwrap();
        let plain =
            String::from_utf8(anstream::adapter::strip_bytes(text.as_bytes()).into_vec()).unwrap();
        assert_eq!(
            plain,
            "error[GB303]: unknown sandbox_mode \"bogus\"\n \
             --> content/governance/profiles.toml:2:16\n  |\n2 | sandbox_mode = \"bogus\"\n  \
             |                ^^^^^^^\n  = help: did you mean \"read-only\"?\n\n"
        );
    }

    #[test]
    fn sarif_has_the_rule_table_and_a_located_result_relative_to_the_repository() {
        let (s, d) = one();
        let mut out = Vec::new();
        render_sarif(&mut out, &d, &s, "hand book/").unwrap();
        let log: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(log["version"], "2.1.0");
        let run = &log["runs"][0];
        let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
        assert_eq!(rules.len(), Code::ALL.len());
        let result = &run["results"][0];
        let index = result["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], "GB303");
        assert_eq!(result["ruleId"], "GB303");
        assert_eq!(result["level"], "error");
        assert_eq!(
            result["message"]["text"],
            "unknown sandbox_mode \"bogus\"\nhelp: did you mean \"read-only\"?"
        );
        let loc = &result["locations"][0]["physicalLocation"];
        assert_eq!(
            loc["artifactLocation"]["uri"],
            "hand%20book/content/governance/profiles.toml"
        );
        assert_eq!(loc["artifactLocation"]["uriBaseId"], "%SRCROOT%");
        assert_eq!(loc["region"]["startLine"], 2);
        assert_eq!(loc["region"]["startColumn"], 16);
        assert_eq!(loc["region"]["endColumn"], 23);
    }

    #[test]
    fn long_lines_are_cut_around_the_mark_and_hidden_characters_shown() {
        let long = format!("{}needle{}", "a".repeat(300), "b".repeat(300));
        let (shown, pad, width) = snippet(&long, 301, 6);
        assert!(shown.starts_with('…') && shown.ends_with('…'), "{shown}");
        assert_eq!(shown.chars().count(), SNIPPET + 2);
        let caret_at = pad.chars().count();
        let under: String = shown.chars().skip(caret_at).take(width).collect();
        assert_eq!(under, "needle");
        // A mark running past the window is cut at its edge.
        let (shown, pad, width) = snippet(&long, 301, 500);
        assert_eq!(pad.chars().count() + width, shown.chars().count() - 1);
        // Short lines are whole; a bidi override does not reach the terminal.
        let (shown, pad, width) = snippet("x = \"a\u{202e}b\0\"", 5, 6);
        assert_eq!(shown, "x = \"a\u{FFFD}b\u{FFFD}\"");
        assert_eq!((pad.as_str(), width), ("    ", 6));
    }

    #[test]
    fn messages_quoting_sources_cannot_drive_the_terminal() {
        let mut s = Sources::new("/book");
        let id = s.add("f.toml", "\"x\u{1b}[2Jy\" = 1\n".into());
        let d = Diagnostic::new(Code::UnknownKey, "unknown key `x\u{1b}[2Jy\u{202e}`")
            .at_span(id, 0..10)
            .with_hint("did you mean `\u{1b}]0;owned\u{7}`?");
        for format in [Format::Human, Format::Github] {
            let mut out = Vec::new();
            render_at(
                &mut out,
                format,
                std::slice::from_ref(&d),
                &s,
                Path::new(""),
            )
            .unwrap();
            let text = String::from_utf8(anstream::adapter::strip_bytes(&out).into_vec()).unwrap();
            assert!(
                !text.contains('\u{1b}') && !text.contains('\u{202e}') && !text.contains('\u{7}'),
                "{format:?}: {text:?}"
            );
            assert!(text.contains("x\u{FFFD}[2Jy"), "{format:?}: {text:?}");
        }
    }

    #[test]
    fn json_is_one_object_per_line() {
        let (s, d) = one();
        let mut out = Vec::new();
        render_at(&mut out, Format::Json, &d, &s, Path::new("")).unwrap();
        let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(v["code"], "GB303");
        assert_eq!(v["line"], 2);
        assert_eq!(v["column"], 16);
        assert_eq!(v["severity"], "error");
        assert_eq!(v["source_line"], "sandbox_mode = \"bogus\"");
    }

    #[test]
    fn github_escapes_and_names_place() {
        let (s, d) = one();
        let mut out = Vec::new();
        render_at(&mut out, Format::Github, &d, &s, Path::new("")).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "::error file=content/governance/profiles.toml,line=2,col=16,endLine=2,endColumn=23,\
             title=GB303::unknown sandbox_mode \"bogus\"%0Ahelp: did you mean \"read-only\"?\n"
        );
    }
}
