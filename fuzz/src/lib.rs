//! What every fuzz target asserts about safemark's output, and the policies they run under. The
//! assertions are the tests' own oracle (`tests/common/mod.rs`, included here), so a fuzz
//! target, a property test and the regression replay check exactly the same things.

use std::sync::LazyLock;

use safemark::{Rendered, Sanitizer};

#[path = "../../tests/common/mod.rs"]
mod common;

pub use common::{max_output, Trusted};

/// The policies a target picks from with its first input byte (`fuzz/policies.json`, also
/// read by `tests/regressions.rs` when it replays `fuzz/regressions/`).
pub const POLICIES_JSON: &str = include_str!("../policies.json");

static SANITIZERS: LazyLock<Vec<Sanitizer>> = LazyLock::new(|| {
    let policies: Vec<serde_json::Value> =
        serde_json::from_str(POLICIES_JSON).expect("fuzz/policies.json is JSON");
    policies
        .iter()
        .map(|p| Sanitizer::from_json(&p.to_string()).expect("fuzz policies are valid"))
        .collect()
});

/// Splits a fuzz input into a sanitizer (first byte) and the text (the rest, lossily decoded).
pub fn split(data: &[u8]) -> (&'static Sanitizer, String) {
    let (first, rest) = data.split_first().unwrap_or((&0, &[]));
    let sanitizer = &SANITIZERS[usize::from(*first) % SANITIZERS.len()];
    (sanitizer, String::from_utf8_lossy(rest).into_owned())
}

/// What the independent check knows a sanitizer's policy trusts: the two fuzz policies the
/// tests' rules describe (the default and the allowlist with confirmation); `None` for the
/// others (the audit still checks them).
pub fn trusted(sanitizer: &Sanitizer) -> Option<Trusted> {
    let names = ["default", "confirm"];
    names
        .into_iter()
        .find(|name| common::sanitizer_for(name).policy() == sanitizer.policy())
        .map(common::trusted_for)
}

/// Renders `input` and asserts the oracle ([`common::check_output`]): no error below the size
/// limit, no violation (independent check, audit), a fixpoint, output within a constant factor.
pub fn check(sanitizer: &Sanitizer, input: &str, markdown: bool) -> Rendered {
    let trusted = trusted(sanitizer);
    common::check_output(sanitizer, trusted.as_ref(), markdown, input)
        .unwrap_or_else(|e| panic!("{e}"))
}

/// Renders `input` for a terminal and asserts its oracle ([`common::check_terminal`]).
pub fn check_terminal(sanitizer: &Sanitizer, input: &str) {
    common::check_terminal(sanitizer, input)
}
