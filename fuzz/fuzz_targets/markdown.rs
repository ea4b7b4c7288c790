#![no_main]
//! Arbitrary text through `govbook::fuzzing::markdown`: no panic, invariants hold.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        govbook::fuzzing::markdown(text);
    }
});
