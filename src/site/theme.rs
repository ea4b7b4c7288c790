//! The theme: embedded default files, overridden file by file by the
//! book's `themes/NAME/`, compiled into Tera templates and static assets.

use std::collections::BTreeMap;

use include_dir::{Dir, DirEntry};
use tera::Tera;

use crate::diag::{Code, Diagnostic};

use crate::bundled::THEME as DEFAULT;

/// A compiled theme.
pub struct Theme {
    /// The templates (`page.html`, `governance/policy.html`, …).
    pub tera: Tera,
    /// Files under `assets/`, copied to the site as they are.
    pub assets: BTreeMap<String, Vec<u8>>,
}

fn embedded(dir: &'static Dir<'static>, out: &mut BTreeMap<String, Vec<u8>>) {
    for entry in dir.entries() {
        match entry {
            DirEntry::Dir(d) => embedded(d, out),
            DirEntry::File(f) => {
                out.insert(
                    f.path().to_string_lossy().replace('\\', "/"),
                    f.contents().to_vec(),
                );
            }
        }
    }
}

impl Theme {
    /// The default theme with `overrides` (path inside the theme, bytes)
    /// laid over it. `theme_dir` names the override directory in errors.
    pub fn new(overrides: Vec<(String, Vec<u8>)>, theme_dir: &str) -> Result<Theme, Diagnostic> {
        let mut files = BTreeMap::new();
        embedded(&DEFAULT, &mut files);
        let overridden: Vec<String> = overrides.iter().map(|(p, _)| p.clone()).collect();
        files.extend(overrides);
        let mut templates = Vec::new();
        let mut assets = BTreeMap::new();
        for (path, bytes) in files {
            if path.ends_with(".html") && !path.starts_with("assets/") {
                let text = String::from_utf8(bytes).map_err(|_| {
                    Diagnostic::new(
                        Code::ThemeTemplate,
                        format!("theme template {path} is not UTF-8"),
                    )
                    .at_path(std::path::Path::new(&format!("{theme_dir}/{path}")))
                })?;
                templates.push((path, text));
            } else if let Some(asset) = path.strip_prefix("assets/") {
                assets.insert(asset.to_owned(), bytes);
            }
        }
        let mut tera = Tera::default();
        crate::templates::sandbox::apply(&mut tera);
        tera.add_raw_templates(templates.iter().map(|(p, t)| (p.as_str(), t.as_str())))
            .map_err(|e| {
                let msg = crate::diag::error_chain(&e);
                let culprit = overridden.iter().find(|p| msg.contains(p.as_str()));
                let d =
                    Diagnostic::new(Code::ThemeTemplate, format!("theme template error: {msg}"));
                match culprit {
                    Some(p) => d.at_path(std::path::Path::new(&format!("{theme_dir}/{p}"))),
                    None => d,
                }
            })?;
        tera.autoescape_on(vec![".html", ".xml"]);
        // Tera's default also escapes `/`, which bloats every URL; these five
        // characters are all that HTML text and quoted attributes need.
        tera.set_escape_fn(crate::markdown::escape);
        Ok(Theme { tera, assets })
    }
}
