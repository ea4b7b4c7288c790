//! Typed TOML parsing that keeps spans and reports every problem in a file.
//!
//! serde stops at the first error. To report all of them, a failed item (an
//! element of an array of tables, or a top-level key) is dropped and the file
//! deserialized again, until it succeeds. The result is a partial model plus
//! one diagnostic per bad item; the caller knows the model is incomplete.

pub mod hidden;

use std::collections::HashMap;
use std::ops::Range;

use serde::de::DeserializeOwned;
use toml::Spanned;
use toml::de::{DeArray, DeTable, DeValue};

use crate::diag::{Code, Diagnostic, Diagnostics, did_you_mean};
use crate::text::{FileId, Sources};

/// Byte spans of every key and value of one TOML document, by dotted path
/// (`rule[2].level`), so checks can point at any value after parsing.
#[derive(Debug, Default, Clone)]
pub struct SpanIndex {
    values: HashMap<String, Range<usize>>,
    keys: HashMap<String, Range<usize>>,
    /// Path of each table value, by the start of its span.
    tables: HashMap<usize, String>,
}

impl SpanIndex {
    /// Builds the index of a parsed document, with every path under `prefix`.
    pub fn build(root: &Spanned<DeTable<'_>>, prefix: &str) -> SpanIndex {
        let mut idx = SpanIndex::default();
        idx.tables.insert(root.span().start, prefix.to_owned());
        idx.walk_table(root.get_ref(), prefix);
        idx
    }

    fn walk_table(&mut self, table: &DeTable<'_>, prefix: &str) {
        for (k, v) in table.iter() {
            let path = join(prefix, k.get_ref());
            self.keys.insert(path.clone(), k.span());
            self.walk_value(v, path);
        }
    }

    fn walk_value(&mut self, v: &Spanned<DeValue<'_>>, path: String) {
        match v.get_ref() {
            DeValue::Table(t) => {
                self.tables.insert(v.span().start, path.clone());
                self.walk_table(t, &path);
            }
            DeValue::Array(a) => {
                for (i, item) in a.iter().enumerate() {
                    self.walk_value(item, format!("{path}[{i}]"));
                }
            }
            _ => {}
        }
        self.values.insert(path, v.span());
    }

    /// The span of the value at `path`.
    pub fn value(&self, path: &str) -> Option<Range<usize>> {
        self.values.get(path).cloned()
    }

    /// The span of the key at `path`.
    pub fn key(&self, path: &str) -> Option<Range<usize>> {
        self.keys.get(path).cloned()
    }

    /// The path of the table whose span starts at `table_span.start`.
    pub fn path_of(&self, table_span: &Range<usize>) -> Option<&str> {
        self.tables.get(&table_span.start).map(String::as_str)
    }

    /// The span of `field` inside the table at `table_span`, falling back to
    /// the table itself (for a missing field).
    pub fn field(&self, table_span: &Range<usize>, field: &str) -> Range<usize> {
        self.path_of(table_span)
            .and_then(|p| self.value(&join(p, field)))
            .unwrap_or_else(|| table_span.clone())
    }

    /// The text an item of a top-level array of tables occupies: from its
    /// header to the next top-level item (or `end`). Table spans cover only
    /// the `[[header]]`, so this is how a whole entry is found.
    pub fn item_extent(&self, item_span: &Range<usize>, end: usize) -> Range<usize> {
        let top = |p: &&String| !p.contains('.');
        let next = self
            .values
            .iter()
            .filter(|(p, _)| top(p))
            .map(|(_, r)| r.start)
            .chain(
                self.keys
                    .iter()
                    .filter(|(p, _)| top(p))
                    .map(|(_, r)| r.start),
            )
            .filter(|&s| s >= item_span.end)
            .min()
            .unwrap_or(end);
        item_span.start..next
    }

    /// The key span of `field` inside the table at `table_span`.
    pub fn field_key(&self, table_span: &Range<usize>, field: &str) -> Range<usize> {
        self.path_of(table_span)
            .and_then(|p| self.key(&join(p, field)))
            .unwrap_or_else(|| table_span.clone())
    }
}

fn join(prefix: &str, key: &str) -> String {
    if prefix.is_empty() {
        key.to_owned()
    } else {
        format!("{prefix}.{key}")
    }
}

/// A parsed TOML document: the typed value (partial when items failed) and
/// the span index of the whole text.
pub struct Parsed<T> {
    /// The typed value; `None` when the document could not be read at all.
    pub value: Option<T>,
    /// Whether some items were dropped because they had errors.
    pub partial: bool,
    /// Spans of every key and value.
    pub spans: SpanIndex,
}

/// Parses `text` (which belongs to `file`, and whose byte offsets are
/// offsets in that file) into `T`, reporting every syntax error and every
/// bad item.
pub fn parse<T: DeserializeOwned>(text: &str, file: FileId, diags: &mut Diagnostics) -> Parsed<T> {
    let (root, errors) = DeTable::parse_recoverable(text);
    if !errors.is_empty() {
        for e in errors {
            let span = e.span().unwrap_or(0..0);
            diags.push(Diagnostic::new(Code::TomlSyntax, clean(e.message())).at_span(file, span));
        }
        return Parsed {
            value: None,
            partial: true,
            spans: SpanIndex::default(),
        };
    }
    let spans = SpanIndex::build(&root, "");
    hidden::check(&root, text, file, diags);
    let (value, partial) = deserialize_all(root, file, &[], diags);
    Parsed {
        value,
        partial,
        spans,
    }
}

/// Like [`parse`], but first takes the top-level `keys` off into a second
/// value of type `M` (the review keys every governance file may carry).
pub fn parse_split<M: DeserializeOwned, T: DeserializeOwned>(
    text: &str,
    file: FileId,
    keys: &[&str],
    diags: &mut Diagnostics,
) -> (Option<M>, Parsed<T>) {
    let (mut root, errors) = DeTable::parse_recoverable(text);
    if !errors.is_empty() {
        for e in errors {
            let span = e.span().unwrap_or(0..0);
            diags.push(Diagnostic::new(Code::TomlSyntax, clean(e.message())).at_span(file, span));
        }
        let none = Parsed {
            value: None,
            partial: true,
            spans: SpanIndex::default(),
        };
        return (None, none);
    }
    let spans = SpanIndex::build(&root, "");
    hidden::check(&root, text, file, diags);
    let mut meta = DeTable::new();
    for k in keys {
        if let Some((key, v)) = root.get_mut().remove_entry(*k) {
            meta.insert(key, v);
        }
    }
    let meta_span = root.span();
    let (m, _) = deserialize_all::<M>(Spanned::new(meta_span, meta), file, &[], diags);
    let (value, partial) = deserialize_all(root, file, keys, diags);
    (
        m,
        Parsed {
            value,
            partial,
            spans,
        },
    )
}

/// Deserializes, dropping each failing item and retrying, so that every bad
/// item is reported once.
fn deserialize_all<T: DeserializeOwned>(
    mut root: Spanned<DeTable<'_>>,
    file: FileId,
    extra_keys: &[&str],
    diags: &mut Diagnostics,
) -> (Option<T>, bool) {
    let mut partial = false;
    // Keys taken out of an item for a bad value, and the names an unknown
    // key taken out was probably meant to be (its hint): the item's
    // "missing field" for one of them that follows is not news (one mistake,
    // one report), and the whole item goes then.
    let mut dropped_values: Vec<String> = Vec::new();
    let mut meant: Vec<String> = Vec::new();
    // Each round removes one key or item, so this ends; the cap guards huge files.
    for _ in 0..256 {
        let de = toml::de::Deserializer::from(root.clone());
        match T::deserialize(de) {
            Ok(v) => return (Some(v), partial),
            Err(e) => {
                partial = true;
                let span = e.span().unwrap_or(0..0);
                let message = e.message();
                let known_missing = message
                    .strip_prefix("missing field `")
                    .and_then(|m| m.split('`').next())
                    .is_some_and(|k| {
                        dropped_values.iter().any(|d| d == k)
                            || meant.iter().any(|h| h.contains(&format!("\"{k}\"")))
                    });
                if !known_missing {
                    let top_level = !span_in_nested_table(root.get_ref(), &span);
                    let extra = if top_level { extra_keys } else { &[] };
                    let d = classify(message, file, span.clone(), extra);
                    let hint = d.hint.clone();
                    diags.push(d);
                    // Within an item, only the bad key goes, so the item's
                    // other problems are reported in the same run.
                    if let Some((key, was_value)) = drop_nested_key(root.get_mut(), &span, 0) {
                        if was_value {
                            dropped_values.push(key);
                        } else if let Some(h) = hint {
                            meant.push(h);
                        }
                        continue;
                    }
                }
                if !drop_item(root.get_mut(), &span) {
                    return (None, true);
                }
            }
        }
    }
    (None, true)
}

/// Removes the key inside an array element or nested table whose key or
/// (scalar or inline) value holds `span.start`; returns its name and whether
/// the error was on its value. Top-level keys are left to [`drop_item`].
fn drop_nested_key(
    table: &mut DeTable<'_>,
    span: &Range<usize>,
    depth: usize,
) -> Option<(String, bool)> {
    let at = span.start;
    let holds = |r: Range<usize>| r.start <= at && at < r.end.max(r.start + 1);
    let mut target: Option<(String, bool)> = None;
    for (k, v) in table.iter_mut() {
        match v.get_mut() {
            DeValue::Table(t) => {
                if let Some(found) = drop_nested_key(t, span, depth + 1) {
                    return Some(found);
                }
            }
            DeValue::Array(arr) => {
                for item in arr.iter_mut() {
                    if let DeValue::Table(t) = item.get_mut()
                        && let Some(found) = drop_nested_key(t, span, depth + 1)
                    {
                        return Some(found);
                    }
                }
            }
            _ => {}
        }
        if depth > 0 && target.is_none() {
            if holds(k.span()) {
                target = Some((k.get_ref().to_string(), false));
            } else if holds(v.span()) {
                target = Some((k.get_ref().to_string(), true));
            }
        }
    }
    let (key, was_value) = target?;
    table.remove(key.as_str());
    Some((key, was_value))
}

/// Removes the top-level key or array element that holds `span`. Table
/// spans cover only their `[header]`, so the owner is the item whose span
/// (or any nested span) starts last at or before the error.
fn drop_item(table: &mut DeTable<'_>, span: &Range<usize>) -> bool {
    let mut best: Option<(usize, String, Option<usize>)> = None;
    for (k, v) in table.iter() {
        let mut consider = |start: usize, elem: Option<usize>| {
            if start <= span.start && best.as_ref().is_none_or(|b| start >= b.0) {
                best = Some((start, k.get_ref().to_string(), elem));
            }
        };
        consider(k.span().start, None);
        match v.get_ref() {
            DeValue::Array(arr) => {
                for (i, item) in arr.iter().enumerate() {
                    let mut starts = vec![item.span().start];
                    nested_starts(item, &mut starts);
                    for s in starts {
                        consider(s, Some(i));
                    }
                }
            }
            _ => {
                let mut starts = vec![v.span().start];
                nested_starts(v, &mut starts);
                for s in starts {
                    consider(s, None);
                }
            }
        }
    }
    let Some((_, key, elem)) = best else {
        return false;
    };
    match (elem, table.get_mut(key.as_str())) {
        (Some(i), Some(v)) => {
            if let DeValue::Array(arr) = v.get_mut() {
                let mut rebuilt = DeArray::new();
                for (j, item) in arr.iter().enumerate() {
                    if j != i {
                        rebuilt.push(item.clone());
                    }
                }
                *arr = rebuilt;
            }
        }
        _ => {
            table.remove(key.as_str());
        }
    }
    true
}

fn nested_starts(v: &Spanned<DeValue<'_>>, out: &mut Vec<usize>) {
    match v.get_ref() {
        DeValue::Table(t) => {
            for (k, item) in t.iter() {
                out.push(k.span().start);
                out.push(item.span().start);
                nested_starts(item, out);
            }
        }
        DeValue::Array(a) => {
            for item in a.iter() {
                out.push(item.span().start);
                nested_starts(item, out);
            }
        }
        _ => {}
    }
}

/// Whether `span` lies after the header of some table or array element
/// (so an unknown key there is not a top-level key).
fn span_in_nested_table(table: &DeTable<'_>, span: &Range<usize>) -> bool {
    table.iter().any(|(_, v)| match v.get_ref() {
        DeValue::Table(_) => v.span().start <= span.start,
        DeValue::Array(a) => a
            .iter()
            .any(|i| i.get_ref().is_table() && i.span().start <= span.start),
        _ => false,
    })
}

/// Maps a serde/toml message to a code and a hint. `extra` names keys that
/// are valid here although serde does not list them (the review keys taken
/// off a governance file before deserializing).
pub fn classify(message: &str, file: FileId, span: Range<usize>, extra: &[&str]) -> Diagnostic {
    let mut msg = clean(message);
    let (code, hint) = if let Some(rest) = msg.strip_prefix("unknown field ") {
        // serde lists only the struct's own fields; the hint has the full set.
        let hint = suggest(rest, extra);
        let key = rest
            .split_once(", expected")
            .map_or(rest, |(k, _)| k)
            .to_owned();
        msg = format!("unknown key {key}");
        (Code::UnknownKey, hint)
    } else if let Some(rest) = msg.strip_prefix("unknown variant ") {
        (Code::InvalidValue, suggest(rest, &[]))
    } else if msg.starts_with("missing field") {
        (Code::MissingField, None)
    } else if msg.starts_with("invalid type") || msg.starts_with("invalid length") {
        (Code::WrongType, None)
    } else if msg.starts_with("invalid version") {
        (Code::InvalidVersion, None)
    } else if msg.starts_with("invalid date") {
        (
            Code::InvalidDate,
            Some("write a date such as 2026-11-24, without time".to_owned()),
        )
    } else if msg.starts_with("invalid duration") {
        (
            Code::InvalidDuration,
            Some("write a number and a unit: 30d, 6w, 3m or 1y".to_owned()),
        )
    } else if msg.starts_with("invalid id") {
        (
            Code::InvalidId,
            Some("use lowercase letters, digits and hyphens".to_owned()),
        )
    } else {
        (Code::InvalidValue, None)
    };
    Diagnostic::new(code, msg)
        .at_span(file, span)
        .with_hint_opt(hint)
}

/// Turns "`x`, expected one of `a`, `b`" into a "did you mean" hint.
fn suggest(rest: &str, extra: &[&str]) -> Option<String> {
    let (word, expected) = rest.split_once(", expected ")?;
    let word = word.trim_matches('`');
    let mut options: Vec<&str> = expected
        .trim_start_matches("one of ")
        .split(", ")
        .flat_map(|s| s.split(" or "))
        .map(|s| s.trim_matches('`'))
        .filter(|s| !s.is_empty())
        .collect();
    options.extend_from_slice(extra);
    did_you_mean(word, options.iter().copied()).or_else(|| {
        (options.len() <= 12).then(|| format!("expected one of {}", options.join(", ")))
    })
}

/// toml sometimes ends messages with a newline; diagnostics are one line.
fn clean(message: &str) -> String {
    message.trim().replace('\n', " ")
}

/// Parses a whole loaded file. An empty (or blank) file is an error.
pub fn parse_file<T: DeserializeOwned>(
    sources: &Sources,
    file: FileId,
    diags: &mut Diagnostics,
) -> Parsed<T> {
    if is_empty(sources, file, diags) {
        return Parsed {
            value: None,
            partial: true,
            spans: SpanIndex::default(),
        };
    }
    parse(&sources.get(file).text, file, diags)
}

/// Whether a loaded file is empty or blank, which is an error (GB007).
pub fn is_empty(sources: &Sources, file: FileId, diags: &mut Diagnostics) -> bool {
    let source = sources.get(file);
    if !source.text.trim().is_empty() {
        return false;
    }
    diags.push(
        Diagnostic::new(
            Code::EmptyFile,
            format!("{} is empty", source.path.display()),
        )
        .at_span(file, 0..0)
        .with_hint("delete the file, or give it content"),
    );
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    struct Doc {
        #[serde(default)]
        item: Vec<Spanned<Item>>,
    }
    #[derive(Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    struct Item {
        id: String,
        #[allow(dead_code)] // present to be validated, not read
        level: Level,
    }
    #[derive(Deserialize, Debug)]
    #[serde(rename_all = "kebab-case")]
    enum Level {
        Must,
        Should,
    }

    fn run(text: &str) -> (Parsed<Doc>, Diagnostics) {
        let mut s = Sources::new("/");
        let id = s.add("f.toml", text.into());
        let mut d = Diagnostics::default();
        let p = parse_file::<Doc>(&s, id, &mut d);
        (p, d)
    }

    #[test]
    fn reports_every_bad_item_and_keeps_the_good_ones() {
        let text = "[[item]]\nid = \"a\"\nlevel = \"must\"\n\n[[item]]\nid = \"b\"\nlevel = \"mustt\"\n\n\
                    [[item]]\nid = \"c\"\nlevel = \"should\"\ncolour = 1\n\n[[item]]\nid = \"d\"\nlevel = \"should\"\n";
        let (p, d) = run(text);
        let codes: Vec<_> = d.items().iter().map(|d| d.code).collect();
        assert_eq!(codes, vec![Code::InvalidValue, Code::UnknownKey]);
        assert_eq!(d.items()[0].hint.as_deref(), Some("did you mean \"must\"?"));
        let doc = p.value.unwrap();
        let ids: Vec<_> = doc.item.iter().map(|i| i.get_ref().id.as_str()).collect();
        // An unknown key goes alone; a bad value takes its item with it.
        assert_eq!(ids, ["a", "c", "d"]);
        assert!(p.partial);
    }

    #[test]
    fn every_problem_of_one_item_is_reported_once() {
        let text = "[[item]]\nid = \"a\"\ncolour = 1\nlevel = \"mustt\"\nshape = 2\n\n[[item]]\nid = \"b\"\nlevel = \"must\"\n";
        let (p, d) = run(text);
        let got: Vec<_> = d
            .items()
            .iter()
            .map(|d| (d.code, d.loc.as_ref().unwrap().span.start))
            .collect();
        assert_eq!(
            got,
            vec![
                (Code::UnknownKey, text.find("colour").unwrap()),
                (Code::InvalidValue, text.find("\"mustt\"").unwrap()),
                (Code::UnknownKey, text.find("shape").unwrap()),
            ],
            "{:?}",
            d.items()
        );
        // No "missing field `level`" for the value taken out.
        let ids: Vec<_> = p
            .value
            .unwrap()
            .item
            .iter()
            .map(|i| i.get_ref().id.clone())
            .collect();
        assert_eq!(ids, ["b"]);
    }

    #[test]
    fn span_index_finds_fields_of_items() {
        let text =
            "[[item]]\nid = \"a\"\nlevel = \"must\"\n[[item]]\nid = \"b\"\nlevel = \"should\"\n";
        let (p, d) = run(text);
        assert!(d.items().is_empty());
        let doc = p.value.unwrap();
        let second = doc.item[1].span();
        let span = p.spans.field(&second, "id");
        assert_eq!(&text[span], "\"b\"");
    }

    #[test]
    fn syntax_errors_are_all_reported() {
        let (p, d) = run("a = \nb = [1,\n");
        assert!(p.value.is_none());
        assert!(d.items().iter().all(|d| d.code == Code::TomlSyntax));
        assert!(!d.items().is_empty());
    }

    #[test]
    fn empty_file_is_an_error() {
        let (_, d) = run("  \n");
        assert_eq!(d.items()[0].code, Code::EmptyFile);
    }
}
