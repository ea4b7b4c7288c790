//! `govbook schema`: the JSON Schemas of the files govbook reads and writes.

use std::process::ExitCode;

use crate::failure::{Failure, usage};
use crate::schema;

/// Prints the schema `name`, or the names and what each describes.
pub(super) fn run(name: Option<&str>) -> Result<ExitCode, Failure> {
    let all = schema::all();
    let Some(name) = name else {
        let width = all.iter().map(|n| n.name.len()).max().unwrap_or(0);
        let list: String = all
            .iter()
            .map(|n| format!("{:width$}  {}\n", n.name, n.file))
            .collect();
        super::out(&list);
        return Ok(ExitCode::SUCCESS);
    };
    match all.into_iter().find(|n| n.name == name) {
        Some(n) => {
            super::out(&schema::to_text(&n.schema));
            Ok(ExitCode::SUCCESS)
        }
        None => Err(usage(format!(
            "no schema named `{name}`; `govbook schema` lists them"
        ))),
    }
}
