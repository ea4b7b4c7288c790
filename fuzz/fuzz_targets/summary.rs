#![no_main]
//! Arbitrary text through `govbook::fuzzing::summary`: no panic, invariants hold.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        govbook::fuzzing::summary(text);
    }
});
