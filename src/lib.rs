//! govbook compiles a team's governance for rolling out Codex into a checked
//! handbook and stamped templates.
//!
//! The pipeline runs forward, one module per stage:
//! [`source`] loads text, [`config`] and [`model`] parse it into typed values,
//! [`check`] validates them into [`diag`]nostics, [`markdown`], [`site`] and
//! [`templates`] render in memory, [`output`] writes atomically. [`cli`] holds
//! the thin command functions; [`pipeline`] runs the stages in order.

pub mod apply;
pub mod bundled;
pub mod check;
pub mod cli;
pub mod config;
pub mod diag;
pub mod drift;
#[doc(hidden)]
pub mod fuzzing;
pub mod markdown;
pub mod model;
pub mod output;
pub mod pipeline;
pub mod serve;
pub mod site;
pub mod source;
pub mod stamp;
pub mod templates;
