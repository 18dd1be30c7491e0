//! What every fuzz target asserts about safemark's output, and the policies they run under. The
//! assertions are the tests' own oracle (`tests/common/mod.rs`, included here), so a fuzz
//! target, a property test and the regression replay check exactly the same things.

use std::sync::LazyLock;

use safemark::{Rendered, Sanitizer};

#[path = "../../tests/common/mod.rs"]
mod common;

pub use common::{max_output, Push, Trusted};

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

/// The longest input the `stream` target streams: every push renders the tail twice (as
/// shown and whole), so an input costs about its length squared over the chunk size.
pub const MAX_STREAM_INPUT: usize = 4096;

/// The `stream` target: the first byte picks the policy, the second seeds the chunking, the
/// rest (at most [`MAX_STREAM_INPUT`] bytes) is markdown, pushed as bytes that may split a
/// character. Each chunk (1 to 16 bytes) goes in one of the four ways a caller pushes
/// ([`Push`]). The stream oracle ([`common::check_stream`]) holds, and every tail shown is
/// the tail rendered whole (`<wbr>`, U+200B and line feeds at the very end aside, as the
/// crate's own `kept_tail_is_the_whole_tail` compares them).
pub fn check_stream(data: &[u8]) {
    let (first, rest) = data.split_first().unwrap_or((&0, &[]));
    let (seed, input) = rest.split_first().unwrap_or((&0, &[]));
    let input = &input[..input.len().min(MAX_STREAM_INPUT)];
    let sanitizer = &SANITIZERS[usize::from(*first) % SANITIZERS.len()];
    let mut state = u64::from(*seed).wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let next = |n: u64| {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (state >> 33) % n
    };
    let pushes = common::mixed_pushes(input, next);
    let text = String::from_utf8_lossy(input);
    let trusted = trusted(sanitizer);
    let mut settled = None;
    let result = common::check_stream(
        sanitizer,
        trusted.as_ref(),
        &text,
        &pushes,
        |stream, tail| {
            // Every block is settled or in the tail: what is settled is the batch render of
            // the input before the tail's region.
            stream.fuzzing_check_settled(&mut settled).map_err(|e| {
                let policy = usize::from(*first) % SANITIZERS.len();
                format!("{e}\n  policy: {policy}\n  pushes: {pushes:?}")
            })?;
            let whole = stream.fuzzing_whole_tail();
            let seen = |html: &str| {
                html.trim_end_matches('\n')
                    .replace("<wbr>", "")
                    .replace('\u{200B}', "")
            };
            match seen(tail) == seen(&whole) {
            true => Ok(()),
            false => Err(format!(
                "the tail shown is not the tail rendered whole\n  input: {:?}\n  shown: {tail:?}\n  whole: {whole:?}\n  policy: {}\n  pushes: {pushes:?}",
                stream.input(),
                usize::from(*first) % SANITIZERS.len()
            )),
        }
        },
    );
    if let Err(e) = result {
        panic!("{e}");
    }
}

/// How many bytes of repeated piece the `amplification` target adds between its two renders.
pub const AMPLIFICATION_BYTES: usize = 4096;

/// The `amplification` target: the first byte picks the policy, the second where the piece
/// begins (a 256th of the rest at a time) and whether the input is markdown (even) or HTML
/// (odd); the rest is a prefix and a piece. The prefix followed by the piece repeated `n`
/// times and `2n` times (`n` repetitions are about [`AMPLIFICATION_BYTES`]) must grow by at
/// most the output bound's factor per byte added (`common::bound_factor`), with the bound's
/// constant as slack: the output bound's search (`tests/limits.rs`) over any construct in any
/// context the fuzzer builds, not only the ones the search lists. A construct whose output is
/// not linear in its count (a table row completed with a header's width of cells, formatting
/// elements reopened before every text) fails it long before the whole document passes the
/// bound.
pub fn check_amplification(data: &[u8]) {
    let [first, second, rest @ ..] = data else {
        return;
    };
    let sanitizer = &SANITIZERS[usize::from(*first) % SANITIZERS.len()];
    let text = String::from_utf8_lossy(rest);
    let mut at = text.len() * usize::from(*second) / 256;
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    let (prefix, piece) = text.split_at(at);
    if piece.is_empty() {
        return;
    }
    let markdown = second % 2 == 0;
    let n = AMPLIFICATION_BYTES.div_ceil(piece.len());
    let render = |count: usize| {
        let input = [prefix, &piece.repeat(count)].concat();
        let out = match markdown {
            true => sanitizer.render_markdown(&input),
            false => sanitizer.sanitize_html(&input),
        };
        out.map(|out| (input, out.html.len())).ok()
    };
    let (Some((short, out1)), Some((long, out2))) = (render(n), render(2 * n)) else {
        return;
    };
    let factor = common::bound_factor(sanitizer);
    let added = long.len() - short.len();
    // The bound's constant (its output for no input) as slack.
    let slack = common::max_output(sanitizer, "");
    let grown = out2.saturating_sub(out1);
    assert!(
        grown <= factor * added + slack,
        "{grown} bytes more output for {added} bytes more input ({factor} a byte allowed)\n  markdown: {markdown}\n  prefix: {prefix:?}\n  piece: {piece:?}\n  policy: {}",
        usize::from(*first) % SANITIZERS.len()
    );
    assert!(out2 <= common::max_output(sanitizer, &long));
}
