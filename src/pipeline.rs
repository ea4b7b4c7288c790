//! The stages run in order: load, parse, check. Commands call these rather
//! than the stages one by one.

use std::path::Path;

use crate::check::{self, CheckOptions};
use crate::config::{self, BookConfig};
use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::model::{self, Model};
use crate::source::{self, Sources};

/// Everything one run knows about a book.
pub struct Checked {
    /// The loaded text.
    pub sources: Sources,
    /// The typed model (partial when there were errors).
    pub model: Model,
    /// Every problem found.
    pub diags: Diagnostics,
}

/// Loads, parses and checks the book at `root`.
pub fn check(root: &Path, opts: &CheckOptions) -> Checked {
    let mut diags = Diagnostics::default();
    let mut sources = Sources::new(root);
    let book = Path::new("book.toml");
    if !root.join(book).exists() {
        let hint = if root.is_dir() {
            "run `govbook init` to create a handbook, or point to the directory that holds book.toml"
        } else {
            "the book directory does not exist"
        };
        diags.push(
            Diagnostic::new(
                Code::MissingBookToml,
                format!("no book.toml in {}", root.display()),
            )
            .at_path(book)
            .with_hint(hint),
        );
        return Checked {
            sources,
            model: Model::default(),
            diags,
        };
    }
    let config = match sources.read(book, &mut diags) {
        Some(id) => config::parse(&sources, id, &mut diags),
        None => BookConfig::default(),
    };
    let src = config.src_dir(root);
    let tree = source::load_tree(&mut sources, &src, &mut diags);
    let model = model::parse(&sources, config, &tree, &mut diags);
    check::run(&model, &sources, opts, &mut diags);
    Checked {
        sources,
        model,
        diags,
    }
}
