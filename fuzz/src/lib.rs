//! What every fuzz target asserts about safemark's output, and the policies they run under.

use std::sync::LazyLock;

use safemark::{Rendered, Sanitizer};

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

/// Renders `input` and asserts the invariants: no error below the size limit, the audit finds
/// nothing, the output is a fixpoint, and it stays within a constant factor of the input.
pub fn check(sanitizer: &Sanitizer, input: &str, markdown: bool) -> Rendered {
    let out = if markdown {
        sanitizer.render_markdown(input)
    } else {
        sanitizer.sanitize_html(input)
    }
    .expect("no error below the input limit");
    let violations = safemark::audit(&out.html, sanitizer.policy());
    assert!(
        violations.is_empty(),
        "audit: {violations:?}\ninput: {input:?}\noutput: {}",
        out.html
    );
    // The output may be longer than a small `max_input_bytes`: check the fixpoint without it.
    let unlimited;
    let resanitizer = if out.html.len() > sanitizer.policy().limits.max_input_bytes {
        let mut policy = sanitizer.policy().clone();
        policy.limits.max_input_bytes = usize::MAX;
        unlimited = Sanitizer::new(policy).expect("same policy, larger limit");
        &unlimited
    } else {
        sanitizer
    };
    let again = resanitizer
        .sanitize_html(&out.html)
        .expect("no limit to exceed");
    assert_eq!(again.html, out.html, "not a fixpoint; input: {input:?}");
    assert!(
        out.html.len() <= 32 * input.len() + 4096,
        "output {} bytes for {} input bytes",
        out.html.len(),
        input.len()
    );
    out
}
