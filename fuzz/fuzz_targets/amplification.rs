#![no_main]
//! Output linear in every construct: a prefix and a piece repeated n and 2n times grow by at
//! most the output bound's factor per byte (see `safemark_fuzz::check_amplification`).

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    safemark_fuzz::check_amplification(data);
});
