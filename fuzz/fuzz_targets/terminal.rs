#![no_main]
//! Terminal rendering: no control character or escape sequence of the input reaches the
//! terminal, plain or styled, under every fuzz policy.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (sanitizer, input) = safemark_fuzz::split(data);
    safemark_fuzz::check_terminal(sanitizer, &input);
});
