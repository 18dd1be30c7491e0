//! Streaming quality against Vercel's remend test suite (`tests/corpora/remend_cases.json`):
//! for each case the whole input is pushed into a `MarkdownStream`, and what a reader sees
//! before the stream ends (committed HTML and the provisional tail) is compared with the batch
//! render of remend's healed text, under a policy that trusts every URL (so only healing
//! differs). The number of equal cases is asserted as a floor; `REMEND_DIFF=1` prints the
//! cases that differ.
// Raw HTML sanitized (and `safemark::audit`): the `html` feature. `tests/lite.rs` covers
// the build without it.
#![cfg(feature = "html")]

use safemark::Sanitizer;

/// Equal cases today, of 550; raise it when healing improves.
const FLOOR: usize = 482;

#[test]
fn remend_suite() {
    let cases: Vec<serde_json::Value> =
        serde_json::from_str(include_str!("corpora/remend_cases.json")).unwrap();
    let s =
        Sanitizer::from_json(r#"{"links": {"allow": ["*"]}, "images": {"allow": ["*"]}}"#).unwrap();
    let show = std::env::var_os("REMEND_DIFF").is_some();
    let mut equal = 0;
    for case in &cases {
        let input = case["input"].as_str().unwrap();
        let expected = case["expected"].as_str().unwrap();
        let mut stream = s.stream();
        let update = stream.push(input).unwrap();
        let seen = format!("{}{}", update.committed, update.tail);
        let want = s.render_markdown(expected).unwrap().html;
        if seen == want {
            equal += 1;
        } else if show {
            println!(
                "-- {}\ninput:    {input:?}\nexpected: {expected:?}\nseen:     {seen:?}\nwant:     {want:?}",
                case["test"].as_str().unwrap()
            );
        }
    }
    println!("remend suite: {equal}/{} equal", cases.len());
    assert!(
        equal >= FLOOR,
        "remend suite: {equal}/{} equal, floor {FLOOR}",
        cases.len()
    );
}
