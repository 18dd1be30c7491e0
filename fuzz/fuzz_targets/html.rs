#![no_main]
//! HTML sanitizing: safe, fixpoint, bounded, under four policies.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (sanitizer, input) = safemark_fuzz::split(data);
    safemark_fuzz::check(sanitizer, &input, false);
});
