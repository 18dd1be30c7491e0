#![no_main]
//! Streaming: any input pushed in any chunking, in every way a caller pushes, is safe at every
//! step, shows at every step the tail rendered whole after the HTML settled for the input
//! before it (the batch render of that input), and commits the batch render.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    safemark_fuzz::check_stream(data);
});
