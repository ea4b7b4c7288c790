//! The module layering, checked: a module may use only modules of a lower
//! layer, so there is no cycle between top-level modules and each stage can
//! be read and tested with only what is below it.

/// Top-level modules by layer, lowest first. Leaves first (failures, text and spans,
/// scalar values, stamps, sinks), then diagnostics, decoding and loading,
/// then the model, then what reads it, then commands.
const LAYERS: &[&[&str]] = &[
    &["failure"],
    &["text", "values", "stamp", "bundled", "output", "lock"],
    &["diag"],
    &["decode", "source"],
    &["config"],
    &["model", "markdown"],
    &["templates", "preprocess"],
    &["check", "schema"],
    &["site"],
    &["pipeline"],
    &["serve", "drift", "apply", "fuzzing"],
    &["cli"],
];

fn layer(module: &str) -> Option<usize> {
    LAYERS.iter().position(|l| l.contains(&module))
}

/// Every `crate::NAME` a file refers to outside comments.
fn uses(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for line in text.lines() {
        let code = line.split("//").next().unwrap_or("");
        let mut rest = code;
        while let Some(i) = rest.find("crate::") {
            rest = &rest[i + "crate::".len()..];
            let name: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            if !name.is_empty() {
                out.push(name);
            }
        }
    }
    out
}

/// (module, used module, file) for every reference between top-level
/// modules under `src/`.
fn edges() -> Vec<(String, String, String)> {
    let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut out = Vec::new();
    for entry in walkdir::WalkDir::new(&src) {
        let entry = entry.expect("walk src/");
        let path = entry.path();
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let rel = path.strip_prefix(&src).expect("under src/");
        let top = rel
            .components()
            .next()
            .map(|c| {
                c.as_os_str()
                    .to_string_lossy()
                    .trim_end_matches(".rs")
                    .to_owned()
            })
            .expect("a file name");
        if matches!(top.as_str(), "lib" | "main" | "layers") {
            continue;
        }
        let text = std::fs::read_to_string(path).expect("read a source file");
        for used in uses(&text) {
            if used != top {
                out.push((top.clone(), used, rel.display().to_string()));
            }
        }
    }
    out
}

#[test]
fn every_module_has_a_layer() {
    let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    for entry in std::fs::read_dir(src).expect("read src/") {
        let name = entry.expect("an entry").file_name();
        let name = name.to_string_lossy();
        let name = name.trim_end_matches(".rs");
        if !matches!(name, "lib" | "main" | "layers") {
            assert!(layer(name).is_some(), "src/{name} is in no layer of LAYERS");
        }
    }
}

#[test]
fn modules_use_only_lower_layers() {
    let mut wrong = Vec::new();
    for (from, to, file) in edges() {
        match (layer(&from), layer(&to)) {
            (Some(a), Some(b)) if b < a => {}
            _ => wrong.push(format!("{file}: {from} uses crate::{to}")),
        }
    }
    wrong.sort();
    wrong.dedup();
    assert!(
        wrong.is_empty(),
        "a module uses one of its own layer or above (a cycle in the making):\n{}",
        wrong.join("\n")
    );
}

#[test]
fn the_scan_sees_uses() {
    let text = "use crate::diag::Code; // crate::cli\nlet x = crate::text::FileId;";
    assert_eq!(uses(text), ["diag", "text"]);
}
