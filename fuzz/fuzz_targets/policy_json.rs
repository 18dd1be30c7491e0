#![no_main]
//! Policy JSON: never panics; a policy that parses round-trips through JSON, compiles, and
//! renders a hostile document that its own audit finds safe.

use libfuzzer_sys::fuzz_target;
use safemark::{Policy, Sanitizer};

/// The document every fuzzed policy renders; `tests/regressions.rs` replays kept policies on
/// it too.
const HOSTILE: &str = include_str!("../hostile.md");

fuzz_target!(|data: &[u8]| {
    let Ok(json) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(policy) = Policy::from_json(json) else {
        return;
    };
    let again = Policy::from_json(&policy.to_json()).expect("a policy's own JSON parses");
    assert_eq!(again, policy, "JSON round trip");
    let sanitizer = Sanitizer::new(policy).expect("a parsed policy compiles");
    if HOSTILE.len() <= sanitizer.policy().limits.max_input_bytes {
        safemark_fuzz::check(&sanitizer, HOSTILE, true);
        safemark_fuzz::check(&sanitizer, HOSTILE, false);
    }
});
