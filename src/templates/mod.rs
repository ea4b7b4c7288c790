//! Artifacts developers copy into their repositories, rendered from the
//! model. For now: the Codex profile files of the approved profiles.

pub mod codex;
