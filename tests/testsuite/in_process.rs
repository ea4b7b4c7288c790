//! The one lock for suites that write through the library in this process.
//!
//! `govbook::output::failpoint` counts write steps in a process-wide
//! counter. Once every suite shares one test binary, an in-process write
//! from one test would be counted (and could be failed) by another test's
//! armed failpoint. Tests that write through the library hold this lock;
//! tests that run the `govbook` binary are separate processes and need not.

use std::sync::{Mutex, MutexGuard};

static WRITES: Mutex<()> = Mutex::new(());

/// Holds off every other in-process writer until dropped. A test that
/// panicked while holding it leaves nothing shared behind, so the poison
/// is ignored.
pub fn writes() -> MutexGuard<'static, ()> {
    WRITES.lock().unwrap_or_else(|e| e.into_inner())
}
