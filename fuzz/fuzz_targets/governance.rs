#![no_main]
//! Arbitrary bytes through `govbook::fuzzing::governance` (the first byte picks
//! the variant): no panic, invariants hold.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    govbook::fuzzing::governance(data);
});
