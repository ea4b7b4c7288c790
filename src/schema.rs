//! JSON Schemas of the files govbook reads and writes, for editors (taplo,
//! tombi) and other tools. The shapes come from the serde types that parse
//! each file (derived, so a new key is in the schema once the parser reads
//! it); the descriptions come from the bundled Source format page
//! (`content/reference/sources.md`), so the page and the editor say the same.

use schemars::SchemaGenerator;
use schemars::generate::SchemaSettings;
use serde_json::{Map, Value};

/// One schema: its name (`govbook schema NAME`, `schemas/NAME.json`), the
/// file it describes, and the schema.
#[derive(Debug, Clone)]
pub struct Named {
    /// The name.
    pub name: String,
    /// The file it describes, relative to the book root.
    pub file: String,
    /// The JSON Schema (draft 07, which every editor client reads).
    pub schema: Value,
}

/// The section of the Source format page that documents the front matter.
const FRONT_MATTER: &str = "Front matter of prose pages";

/// The source page the descriptions come from.
const SOURCES_PAGE: &str = "content/reference/sources.md";

/// A generator for the files govbook reads: subschemas inlined, so each key
/// has its own place for a description and editors need no `$ref`.
fn reading() -> SchemaGenerator {
    SchemaSettings::draft07()
        .with(|s| s.inline_subschemas = true)
        .for_deserialize()
        .into_generator()
}

/// Every schema of a file govbook reads, then the manifest, in a fixed order.
pub fn all() -> Vec<Named> {
    let docs = SourceDocs::bundled();
    let mut g = reading();
    let mut out = Vec::new();
    let mut push = |name: &str, file: String, section: &str, schema: schemars::Schema| {
        let mut value = schema.to_value();
        drop_null(&mut value);
        docs.describe(&mut value, &[section, FRONT_MATTER]);
        out.push(finish(name, file, value));
    };
    push(
        "book",
        "book.toml".into(),
        "`book.toml`",
        crate::config::schema(&mut g),
    );
    push(
        "front-matter",
        "the front matter of content/**/*.md".into(),
        FRONT_MATTER,
        g.root_schema_for::<crate::model::Review>(),
    );
    let review = g.root_schema_for::<crate::model::Review>().to_value();
    for (stem, schema) in crate::model::file_schemas(&mut g) {
        let mut schema = schema;
        merge_properties(schema.ensure_object(), &review);
        push(
            stem,
            format!("content/governance/{stem}.toml"),
            &format!("`governance/{stem}.toml`"),
            schema,
        );
    }
    // JSON, unlike TOML, has null: the report's optional values are written as it.
    let report = crate::model::fleet::report_schema(&mut g).to_value();
    out.push(finish(
        "drift-report",
        "the output of `govbook drift --format json`, as `[fleet] reports` reads it".into(),
        report,
    ));
    let writing = SchemaSettings::draft07().for_serialize().into_generator();
    out.push(finish(
        "manifest",
        "templates/manifest.json".into(),
        writing
            .into_root_schema_for::<crate::templates::manifest::Manifest>()
            .to_value(),
    ));
    out
}

/// Each schema as the site publishes it: (`schemas/NAME.json`, text).
/// Made once: `serve` rebuilds often and the schemas never change.
pub fn published() -> &'static [(String, String)] {
    static PUBLISHED: std::sync::LazyLock<Vec<(String, String)>> = std::sync::LazyLock::new(|| {
        all()
            .into_iter()
            .map(|n| (format!("schemas/{}.json", n.name), to_text(&n.schema)))
            .collect()
    });
    &PUBLISHED
}

/// The schema named `name`.
pub fn get(name: &str) -> Option<Named> {
    all().into_iter().find(|n| n.name == name)
}

/// A schema as a file: pretty JSON with a final newline.
pub fn to_text(schema: &Value) -> String {
    serde_json::to_string_pretty(schema).unwrap_or_default() + "\n"
}

fn finish(name: &str, file: String, mut schema: Value) -> Named {
    if let Some(obj) = schema.as_object_mut() {
        obj.insert("title".into(), Value::String(format!("govbook: {file}")));
    }
    Named {
        name: name.to_owned(),
        file,
        schema,
    }
}

/// TOML has no null: an optional key is one that may be left out, so the
/// `null` alternatives serde's `Option` brings are taken away (editors then
/// complete the real type).
fn drop_null(schema: &mut Value) {
    let Some(obj) = schema.as_object_mut() else {
        return;
    };
    if let Some(Value::Array(types)) = obj.get_mut("type") {
        types.retain(|t| t != "null");
        if types.len() == 1 {
            let only = types.remove(0);
            obj.insert("type".into(), only);
        }
    }
    if let Some(Value::Array(alts)) = obj.get_mut("anyOf") {
        alts.retain(|a| a.get("type").is_none_or(|t| t != "null"));
        if alts.len() == 1
            && let Some(Value::Object(only)) = alts.pop()
        {
            obj.remove("anyOf");
            for (k, v) in only {
                obj.entry(k).or_insert(v);
            }
        }
    }
    for v in obj.values_mut() {
        match v {
            Value::Object(_) => drop_null(v),
            Value::Array(items) => items.iter_mut().for_each(drop_null),
            _ => {}
        }
    }
}

/// Adds the review keys (`owner`, `reviewed`, `review-every`) that every
/// governance file may carry at top level, which the loader takes off
/// before the file's own type sees the table.
fn merge_properties(into: &mut Map<String, Value>, from: &Value) {
    let Some(props) = from.get("properties").and_then(Value::as_object) else {
        return;
    };
    let target = into
        .entry("properties")
        .or_insert_with(|| Value::Object(Map::new()));
    if let Some(target) = target.as_object_mut() {
        for (k, v) in props {
            target.insert(k.clone(), v.clone());
        }
    }
}

/// The key tables of the Source format page: for each `## ` section, its
/// rows as (keys written in the first column, meaning in the last).
#[derive(Debug, Default)]
pub struct SourceDocs {
    sections: Vec<(String, Vec<Row>)>,
}

/// One row of a key table.
#[derive(Debug, Clone)]
pub struct Row {
    /// The keys the row documents, as written (`[[rule]] id`, `summary`).
    pub keys: Vec<String>,
    /// The meaning, as written.
    pub meaning: String,
}

impl SourceDocs {
    /// The page bundled with this binary.
    pub fn bundled() -> SourceDocs {
        let text = crate::bundled::files()
            .into_iter()
            .find(|(p, _)| p == SOURCES_PAGE)
            .map(|(_, b)| String::from_utf8_lossy(b).into_owned())
            .unwrap_or_default();
        SourceDocs::parse(&text)
    }

    /// Reads the key tables (tables whose first column is `Key`).
    pub fn parse(text: &str) -> SourceDocs {
        let mut docs = SourceDocs::default();
        let mut in_keys = false;
        for line in text.lines() {
            if let Some(title) = line.strip_prefix("## ") {
                docs.sections.push((title.trim().to_owned(), Vec::new()));
                in_keys = false;
                continue;
            }
            if !line.starts_with('|') {
                in_keys = false;
                continue;
            }
            let cells = cells(line);
            if cells.first().is_some_and(|c| c == "Key") {
                in_keys = true;
                continue;
            }
            if !in_keys || cells.iter().all(|c| c.chars().all(|ch| ch == '-')) {
                continue;
            }
            let (Some(first), Some(last), Some(section)) =
                (cells.first(), cells.last(), docs.sections.last_mut())
            else {
                continue;
            };
            section.1.push(Row {
                keys: backticked(first),
                meaning: last.clone(),
            });
        }
        docs
    }

    /// The rows of a section.
    pub fn rows(&self, section: &str) -> &[Row] {
        self.sections
            .iter()
            .find(|(t, _)| t == section)
            .map_or(&[], |(_, r)| r.as_slice())
    }

    /// Sets the description of every property of `schema` that the rows of
    /// `sections` document (the first section first).
    pub fn describe(&self, schema: &mut Value, sections: &[&str]) {
        let rows: Vec<&Row> = sections.iter().flat_map(|s| self.rows(s)).collect();
        walk(schema, &[], &mut |path, prop| {
            if let Some(row) = lookup(&rows, path) {
                prop.insert("description".into(), Value::String(row.meaning.clone()));
            }
        });
    }
}

/// The row that documents the key at `path` (each step: name, whether it
/// is an array of tables), as the page writes keys: `[table] key`,
/// `[[array]] key`, the table itself `[table]`, or the bare key in a table
/// of keys shared by several places.
pub fn lookup<'a>(rows: &[&'a Row], path: &[(String, bool)]) -> Option<&'a Row> {
    let (key, parent) = path.split_last()?;
    let dotted =
        |p: &[(String, bool)]| p.iter().map(|s| s.0.as_str()).collect::<Vec<_>>().join(".");
    let mut candidates = Vec::new();
    if parent.is_empty() {
        candidates.push(key.0.clone());
    } else {
        let p = dotted(parent);
        candidates.push(format!("[{p}] {}", key.0));
        candidates.push(format!("[[{p}]] {}", key.0));
    }
    let own = dotted(path);
    candidates.push(format!("[{own}]"));
    candidates.push(format!("[[{own}]]"));
    candidates.push(key.0.clone());
    candidates
        .iter()
        .find_map(|c| rows.iter().find(|r| r.keys.iter().any(|k| k == c)).copied())
}

/// What [`walk`] calls for each property: its path (each step: name,
/// whether it is an array of tables) and its schema object.
pub type Visit<'a> = dyn FnMut(&[(String, bool)], &mut Map<String, Value>) + 'a;

/// Calls `f` with the path and schema object of every property under
/// `schema`, through arrays and `anyOf`/`oneOf`/`allOf` alternatives.
pub fn walk(schema: &mut Value, path: &[(String, bool)], f: &mut Visit<'_>) {
    let Some(obj) = schema.as_object_mut() else {
        return;
    };
    for key in ["anyOf", "oneOf", "allOf"] {
        if let Some(Value::Array(alts)) = obj.get_mut(key) {
            for alt in alts {
                walk(alt, path, f);
            }
        }
    }
    if let Some(items) = obj.get_mut("items") {
        walk(items, path, f);
    }
    if let Some(Value::Object(props)) = obj.get_mut("properties") {
        for (name, prop) in props.iter_mut() {
            let mut here = path.to_vec();
            here.push((name.clone(), is_array_of_tables(prop)));
            if let Some(p) = prop.as_object_mut() {
                f(&here, p);
            }
            walk(prop, &here, f);
        }
    }
}

/// Whether a property holds an array of tables (`[[name]]`).
fn is_array_of_tables(prop: &Value) -> bool {
    prop.get("items")
        .is_some_and(|i| i.get("properties").is_some())
}

/// Whether a property is a table with keys of its own (its keys are
/// documented, not the table).
pub fn has_keys(prop: &Map<String, Value>) -> bool {
    let v = Value::Object(prop.clone());
    let tables = |v: &Value| v.get("properties").is_some() || is_array_of_tables(v);
    tables(&v)
        || ["anyOf", "oneOf"].iter().any(|k| {
            v.get(k)
                .and_then(Value::as_array)
                .is_some_and(|alts| alts.iter().any(tables))
        })
}

/// The cells of a Markdown table row (`\|` inside a cell is kept as `|`).
fn cells(line: &str) -> Vec<String> {
    let inner = line.trim().trim_start_matches('|').trim_end_matches('|');
    let mut out = vec![String::new()];
    let mut chars = inner.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek() == Some(&'|') => {
                chars.next();
                if let Some(last) = out.last_mut() {
                    last.push('|');
                }
            }
            '|' => out.push(String::new()),
            _ => {
                if let Some(last) = out.last_mut() {
                    last.push(c);
                }
            }
        }
    }
    out.into_iter().map(|c| c.trim().to_owned()).collect()
}

/// The `` `…` `` spans of a cell.
fn backticked(cell: &str) -> Vec<String> {
    cell.split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_owned)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every key of every file govbook reads has its description on the
    /// Source format page, and every key the page documents exists: a key
    /// added to a type and not to the page (or the reverse) fails here.
    #[test]
    fn the_source_page_documents_every_key_and_only_real_ones() {
        let docs = SourceDocs::bundled();
        let mut undocumented = Vec::new();
        let mut used = std::collections::BTreeSet::new();
        // The manifest and drift reports are written by govbook, not by hand.
        let written = ["manifest", "drift-report"];
        for named in all()
            .into_iter()
            .filter(|n| !written.contains(&n.name.as_str()))
        {
            let mut schema = named.schema.clone();
            let sections: Vec<String> = if named.name == "book" {
                vec!["`book.toml`".into()]
            } else if named.name == "front-matter" {
                vec![FRONT_MATTER.into()]
            } else {
                vec![
                    format!("`{}`", named.file.trim_start_matches("content/")),
                    FRONT_MATTER.into(),
                ]
            };
            let rows: Vec<&Row> = sections.iter().flat_map(|s| docs.rows(s)).collect();
            walk(
                &mut schema,
                &[],
                &mut |path, prop| match lookup(&rows, path) {
                    Some(row) => {
                        used.insert(row.keys.join(", ") + " in " + &sections[0]);
                    }
                    None if !has_keys(prop) => {
                        let p: Vec<_> = path.iter().map(|s| s.0.as_str()).collect();
                        undocumented.push(format!("{}: {}", named.file, p.join(".")));
                    }
                    None => {}
                },
            );
        }
        assert!(
            undocumented.is_empty(),
            "keys without a row in {SOURCES_PAGE}: {undocumented:#?}"
        );
        let mut stale = Vec::new();
        for (section, rows) in &docs.sections {
            let documents_a_file = section.starts_with("`governance/")
                || section == "`book.toml`"
                || section == FRONT_MATTER;
            for row in rows.iter().filter(|_| documents_a_file) {
                if !used.contains(&(row.keys.join(", ") + " in " + section)) {
                    stale.push(format!("{section}: {}", row.keys.join(", ")));
                }
            }
        }
        assert!(
            stale.is_empty(),
            "rows for keys govbook does not read: {stale:#?}"
        );
    }

    #[test]
    fn descriptions_come_from_the_page() {
        let policy = get("policy").expect("policy schema");
        let level = &policy.schema["properties"]["rule"]["items"]["properties"]["level"];
        assert_eq!(level["description"], "How binding the rule is.");
        let owner = &policy.schema["properties"]["owner"];
        assert!(
            owner["description"]
                .as_str()
                .unwrap()
                .starts_with("The owning team's id."),
            "{owner}"
        );
        assert_eq!(policy.schema["additionalProperties"], false);
    }

    #[test]
    fn names_are_unique_and_cover_every_governance_file() {
        let names: Vec<_> = all().into_iter().map(|n| n.name).collect();
        let mut sorted = names.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(sorted.len(), names.len());
        for c in crate::model::CONCERNS.iter().filter(|c| c.has_file()) {
            assert!(names.iter().any(|n| n == c.name), "{}", c.name);
        }
    }

    /// The repository's own handbook carries the schemas its sources point
    /// to (`init` writes the same files): regenerate them with
    /// `for n in $(govbook schema | cut -d' ' -f1); do govbook schema $n > schemas/$n.json; done`.
    #[test]
    fn the_committed_schemas_are_current_and_every_source_points_to_its_own() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        for (path, text) in published() {
            let committed = std::fs::read_to_string(root.join(path)).unwrap_or_default();
            assert!(
                committed == *text,
                "{path} is stale: regenerate it with `govbook schema`"
            );
        }
        for (path, bytes) in crate::bundled::files() {
            let first = String::from_utf8_lossy(bytes)
                .lines()
                .next()
                .unwrap_or("")
                .to_owned();
            let want = if path == "book.toml" {
                "#:schema ./schemas/book.json".to_owned()
            } else if let Some(stem) = path
                .strip_prefix("content/governance/")
                .and_then(|p| p.strip_suffix(".toml"))
            {
                format!("#:schema ../../schemas/{stem}.json")
            } else {
                continue;
            };
            assert_eq!(first, want, "{path}");
        }
    }

    #[test]
    fn cells_keep_escaped_bars() {
        assert_eq!(
            cells("| `a` | `x` \\| `y` | m |"),
            ["`a`", "`x` | `y`", "m"]
        );
    }
}
