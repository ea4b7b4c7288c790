//! `SUMMARY.md` in mdBook's syntax: an optional `# Title`, prefix chapters
//! (`[Intro](intro.md)`), part titles (`# Part`), numbered chapters as a
//! nested list (`- [Title](path.md)`), draft chapters (`- [Title]()`),
//! separators (`---`) and suffix chapters after the list.
//!
//! A line-based parser (rather than a Markdown parser) so that every entry
//! keeps the exact line and column of its link.

use std::ops::Range;

use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::text::FileId;

/// The parsed navigation.
#[derive(Debug, Default)]
pub struct Summary {
    /// The file it came from.
    pub file: Option<FileId>,
    /// The `# Title` line, if any.
    pub title: Option<String>,
    /// Entries in order.
    pub items: Vec<SummaryItem>,
}

impl Summary {
    /// The chapters, in order.
    pub fn chapters(&self) -> impl Iterator<Item = &Chapter> {
        self.items.iter().filter_map(|i| match i {
            SummaryItem::Chapter(c) => Some(c),
            _ => None,
        })
    }
}

/// One entry of the navigation.
#[derive(Debug, PartialEq)]
pub enum SummaryItem {
    /// A chapter link.
    Chapter(Chapter),
    /// A part title (`# Part` after the first chapter).
    Part(String),
    /// A horizontal rule.
    Separator,
}

/// Where a chapter stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChapterKind {
    /// Before the numbered list.
    Prefix,
    /// In the numbered list.
    Numbered,
    /// After the numbered list.
    Suffix,
}

/// A chapter link.
#[derive(Debug, PartialEq)]
pub struct Chapter {
    /// Link text as plain text (markup and escapes removed, as mdBook
    /// names chapters): for `<title>`, search and the reading order.
    pub title: String,
    /// Link text as written (inline Markdown), for the sidebar.
    pub title_md: String,
    /// Path relative to the content directory; `None` for a draft.
    pub path: Option<String>,
    /// Section number (`[2, 1]` is 2.1) for numbered chapters.
    pub number: Option<Vec<u32>>,
    /// Nesting depth, 0 for top level.
    pub level: usize,
    /// Prefix, numbered or suffix.
    pub kind: ChapterKind,
    /// Span of the whole `[..](..)` link.
    pub span: Range<usize>,
    /// Span of the path inside the parentheses.
    pub path_span: Range<usize>,
}

impl Chapter {
    /// The page this chapter names, relative to the content directory:
    /// without a `#fragment`, `%20` decoded, `.` and `..` resolved. `None`
    /// for a draft or a path that leaves the content directory.
    pub fn target(&self) -> Option<std::path::PathBuf> {
        let raw = self.path.as_deref()?;
        target_path(raw.split('#').next().unwrap_or(raw))
    }
}

/// The file an entry's link names: percent-decoded as links are, then `.`
/// and `..` resolved lexically; `None` when the path is absolute or climbs
/// out of the content directory.
pub fn target_path(raw: &str) -> Option<std::path::PathBuf> {
    crate::text::lexical_path(std::path::Path::new(&crate::text::percent_decode(raw).text))
}

/// The pages SUMMARY.md (`text`, the contents of `file`) lists, as paths
/// relative to the content directory; its mistakes are reported when it is
/// parsed for the model.
pub fn listed(text: &str, file: FileId) -> std::collections::HashSet<std::path::PathBuf> {
    let mut ignored = Diagnostics::default();
    parse(text, file, &mut ignored)
        .chapters()
        .filter_map(Chapter::target)
        .collect()
}

/// Parses `text` (the contents of `file`).
pub fn parse(text: &str, file: FileId, diags: &mut Diagnostics) -> Summary {
    let mut summary = Summary {
        file: Some(file),
        ..Summary::default()
    };
    let mut seen_numbered = false;
    let mut seen_any = false;
    // Indentation of each open list level, and the counters per level.
    let mut indents: Vec<usize> = Vec::new();
    let mut counters: Vec<u32> = Vec::new();
    let mut in_comment = false;
    let mut offset = 0;
    for raw in text.split_inclusive('\n') {
        let line_start = offset;
        offset += raw.len();
        let line = raw.trim_end_matches(['\n', '\r']);
        let trimmed = line.trim();
        if in_comment {
            in_comment = !trimmed.contains("-->");
            continue;
        }
        if trimmed.is_empty() {
            continue;
        }
        if trimmed.starts_with("<!--") {
            in_comment = !trimmed.contains("-->");
            continue;
        }
        if let Some(title) = trimmed.strip_prefix('#') {
            let title = plain_text(title.trim_start_matches('#'));
            if !seen_any && summary.title.is_none() {
                summary.title = Some(title);
            } else {
                summary.items.push(SummaryItem::Part(title));
                seen_any = true;
            }
            continue;
        }
        if is_separator(trimmed) {
            summary.items.push(SummaryItem::Separator);
            continue;
        }
        let indent = line.len() - line.trim_start().len();
        let bullet = trimmed
            .strip_prefix("- ")
            .or_else(|| trimmed.strip_prefix("* "))
            .or_else(|| trimmed.strip_prefix("+ "));
        let (body, body_start, kind) = match bullet {
            Some(rest) => {
                let start = line_start + indent + 2 + (rest.len() - rest.trim_start().len());
                (rest.trim_start(), start, ChapterKind::Numbered)
            }
            None => {
                let kind = if seen_numbered {
                    ChapterKind::Suffix
                } else {
                    ChapterKind::Prefix
                };
                (trimmed, line_start + indent, kind)
            }
        };
        let Some(link) = parse_link(body) else {
            diags.push(
                Diagnostic::new(
                    Code::SummarySyntax,
                    "expected a chapter link such as `- [Title](path.md)`",
                )
                .at_span(file, line_start + indent..line_start + line.len())
                .with_hint("SUMMARY.md holds only titles, chapter links and separators"),
            );
            continue;
        };
        // Text after the link (`- [A](a.md) (draft)`) is ignored, as
        // mdBook ignores it.
        seen_any = true;
        let (number, level) = if kind == ChapterKind::Numbered {
            seen_numbered = true;
            // Close deeper levels. A dedent to an indent no open level has
            // (4 spaces, then 2) continues the level just closed, so its
            // numbering goes on rather than restarting.
            let mut closed = None;
            while indents.last().is_some_and(|&i| indent < i) {
                indents.pop();
                closed = counters.pop();
            }
            if indents.last().is_none_or(|&i| indent > i) {
                indents.push(indent);
                counters.push(closed.unwrap_or(0));
            }
            if let Some(last) = counters.last_mut() {
                *last += 1;
            }
            (Some(counters.clone()), counters.len() - 1)
        } else {
            if kind == ChapterKind::Suffix || seen_numbered {
                indents.clear();
                counters.clear();
            }
            (None, 0)
        };
        let path = (!link.path.is_empty()).then(|| link.path.clone());
        summary.items.push(SummaryItem::Chapter(Chapter {
            title: plain_text(&link.title_md),
            title_md: link.title_md,
            path,
            number,
            level,
            kind,
            span: body_start..body_start + link.len,
            path_span: body_start + link.path_at..body_start + link.path_at + link.path.len(),
        }));
    }
    summary
}

fn is_separator(s: &str) -> bool {
    let s: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    s.len() >= 3
        && (s.chars().all(|c| c == '-')
            || s.chars().all(|c| c == '*')
            || s.chars().all(|c| c == '_'))
}

struct Link {
    title_md: String,
    path: String,
    /// Byte offset of the path within the parsed text.
    path_at: usize,
    /// Length of the whole link.
    len: usize,
}

/// The text of inline Markdown, as mdBook's SUMMARY parser keeps it: text
/// and code, line breaks as spaces, markup and escapes gone.
fn plain_text(md: &str) -> String {
    use pulldown_cmark::{Event, Parser};
    Parser::new(md)
        .filter_map(|ev| match ev {
            Event::Text(t) | Event::Code(t) => Some(t.into_string()),
            Event::SoftBreak | Event::HardBreak => Some(" ".to_owned()),
            _ => None,
        })
        .collect::<String>()
        .trim()
        .to_owned()
}

/// Parses `[title](path)` at the start of `s`, allowing nested brackets and
/// backslash escapes in the title.
fn parse_link(s: &str) -> Option<Link> {
    let rest = s.strip_prefix('[')?;
    let mut depth = 1;
    let mut chars = rest.char_indices();
    let mut close = None;
    while let Some((i, c)) = chars.next() {
        match c {
            '\\' => {
                chars.next();
            }
            '[' => depth += 1,
            ']' => {
                depth -= 1;
                if depth == 0 {
                    close = Some(i);
                    break;
                }
            }
            _ => {}
        }
    }
    let title_md = rest[..close?].trim().to_owned();
    let close = close? + 1; // index in `s` of ']'
    let after = &s[close + 1..];
    let inner = after.strip_prefix('(')?;
    let end = inner.find(')')?;
    let raw_path = &inner[..end];
    let path = raw_path.trim();
    let path_at = close + 2 + (raw_path.len() - raw_path.trim_start().len());
    let len = close + 2 + end + 1;
    Some(Link {
        title_md,
        path: path.to_owned(),
        path_at,
        len,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::Sources;

    fn run(text: &str) -> (Summary, Diagnostics) {
        let mut s = Sources::new("/");
        let id = s.add("SUMMARY.md", text.into());
        let mut d = Diagnostics::default();
        (parse(text, id, &mut d), d)
    }

    #[test]
    fn full_mdbook_syntax() {
        let text = "# Summary\n\n[Intro](README.md)\n\n# Part one\n\n- [A](a.md)\n  - [A1](a/1.md)\n    \
                    - [A1x](a/1x.md)\n  - [A2]()\n- [B \\[beta\\]](b.md)\n\n---\n\n# Part two\n\n\
                    * [C](c.md)\n\n<!-- a\ncomment -->\n[Credits](credits.md)\n";
        let (s, d) = run(text);
        assert!(d.items().is_empty(), "{:?}", d.items());
        assert_eq!(s.title.as_deref(), Some("Summary"));
        let got: Vec<_> = s
            .items
            .iter()
            .map(|i| match i {
                SummaryItem::Chapter(c) => format!(
                    "{:?} {} {:?} {:?} L{}",
                    c.kind, c.title, c.path, c.number, c.level
                ),
                SummaryItem::Part(p) => format!("part {p}"),
                SummaryItem::Separator => "---".into(),
            })
            .collect();
        assert_eq!(
            got,
            [
                "Prefix Intro Some(\"README.md\") None L0",
                "part Part one",
                "Numbered A Some(\"a.md\") Some([1]) L0",
                "Numbered A1 Some(\"a/1.md\") Some([1, 1]) L1",
                "Numbered A1x Some(\"a/1x.md\") Some([1, 1, 1]) L2",
                "Numbered A2 None Some([1, 2]) L1",
                "Numbered B [beta] Some(\"b.md\") Some([2]) L0",
                "---",
                "part Part two",
                "Numbered C Some(\"c.md\") Some([3]) L0",
                "Suffix Credits Some(\"credits.md\") None L0",
            ]
        );
    }

    #[test]
    fn titles_are_plain_text_and_trailing_text_is_ignored() {
        let (s, d) =
            run("# The `x` book\n\n# Part *one*\n\n- [`open` **now**](a.md) (since 1.2)\n");
        assert!(d.items().is_empty(), "{:?}", d.items());
        assert_eq!(s.title.as_deref(), Some("The x book"));
        assert_eq!(s.items[0], SummaryItem::Part("Part one".into()));
        let c = s.chapters().next().unwrap();
        assert_eq!(c.title, "open now");
        assert_eq!(c.title_md, "`open` **now**");
    }

    #[test]
    fn uneven_dedent_continues_numbering() {
        let (s, d) = run("# S\n- [A](a.md)\n    - [B](b.md)\n  - [C](c.md)\n- [D](d.md)\n");
        assert!(d.items().is_empty());
        let numbers: Vec<_> = s.chapters().map(|c| c.number.clone().unwrap()).collect();
        assert_eq!(numbers, [vec![1], vec![1, 1], vec![1, 2], vec![2]]);
    }

    #[test]
    fn spans_point_at_the_path() {
        let text = "# S\n- [A](a.md)\n";
        let (s, _) = run(text);
        let c = s.chapters().next().unwrap();
        assert_eq!(&text[c.path_span.clone()], "a.md");
        assert_eq!(&text[c.span.clone()], "[A](a.md)");
    }

    #[test]
    fn junk_lines_are_errors_with_place() {
        let (_, d) = run("# S\n- [A](a.md)\nsome prose\n- [B(b.md)\n");
        let codes: Vec<_> = d.items().iter().map(|d| d.code).collect();
        assert_eq!(codes, [Code::SummarySyntax, Code::SummarySyntax]);
        assert_eq!(d.items()[0].loc.as_ref().unwrap().span.start, 16);
    }
}
