//! govbook compiles a team's governance for rolling out Codex into a checked
//! handbook and stamped templates.
//!
//! The pipeline runs forward, one module per stage: [`source`] loads text
//! into [`text`] (files and spans), [`config`] and [`model`] parse it into
//! typed values (with [`decode`] and [`values`]), [`check`] validates them
//! into [`diag`]nostics, [`markdown`], [`templates`] and [`site`] render in
//! memory, [`output`] writes atomically. [`pipeline`] runs the stages in
//! order; [`serve`], [`drift`], [`apply`] and [`cli`] sit on top.
//!
//! Imports go one way only: each module uses only modules of a lower layer
//! (the layers and their test are in `src/layers.rs`), so there is no cycle.

// The library is the binary's stages and the tests' handle on them: an
// item is `pub` only when something outside its module reaches it.
#![warn(unreachable_pub, missing_docs)]

pub mod apply;
pub mod bundled;
pub mod check;
pub mod cli;
pub mod config;
pub mod decode;
pub mod diag;
pub mod drift;
pub mod failure;
#[doc(hidden)]
pub mod fuzzing;
pub mod lock;
pub mod markdown;
pub mod model;
pub mod output;
pub mod pipeline;
pub mod preprocess;
pub mod schema;
pub mod serve;
pub mod site;
pub mod source;
pub mod stamp;
pub mod templates;
pub mod text;
pub mod values;

#[cfg(test)]
mod layers;
