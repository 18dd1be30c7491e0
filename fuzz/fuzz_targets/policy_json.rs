#![no_main]
//! Policy JSON: never panics; a policy that parses round-trips through JSON, compiles, and
//! renders a hostile document that its own audit finds safe.

use libfuzzer_sys::fuzz_target;
use safemark::{Policy, Sanitizer};

const HOSTILE: &str = "![i](https://img.example.com/a.png) ![j](https://evil.example/p?d=1) \
[l](https://docs.example.com/x) [m](//evil.example/) [n](/rel) <https://docs.example.com/y> \
<img src=x onerror=alert(1)><a href=\"javascript:alert(1)\">j</a><svg><image href=//e.example/>\
![d](data:image/png;base64,AAAA) [f](#frag)[^1]\n\n[^1]: n\n\n> > > > deep";

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
