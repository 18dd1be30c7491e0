#![no_main]
//! URL judgement, differentially: a URL is put in every place a document can hold one. Beyond
//! the output invariants, a link that comes out clickable must point exactly where a browser
//! would resolve the input (the `url` crate's WHATWG parse, against the policy's base), and
//! that place must be under the policy's allowed prefix.

use libfuzzer_sys::fuzz_target;
use url::Url;

fn attribute_escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('"', "&quot;")
}

fuzz_target!(|data: &[u8]| {
    let Ok(raw) = std::str::from_utf8(data) else {
        return;
    };
    let (sanitizer, _) = safemark_fuzz::split(&[2]);
    let documents = [
        (format!("[x](<{raw}>)"), true),
        (format!("![x](<{raw}>)"), true),
        (format!("[x]\n\n[x]: <{raw}>"), true),
        (format!("<{raw}>"), true),
        (format!("see {raw} now"), true),
        (
            format!("<a href=\"{}\">x</a>", attribute_escape(raw)),
            false,
        ),
        (format!("<img src=\"{}\">", attribute_escape(raw)), false),
    ];
    for (doc, markdown) in &documents {
        safemark_fuzz::check(sanitizer, doc, *markdown);
    }
    // Differential: the href written for `<a href=RAW>` is the browser's resolution of RAW.
    let out = safemark_fuzz::check(sanitizer, &documents[5].0, false);
    let base = Url::parse("https://docs.example.com/a/b").unwrap();
    // The HTML parser turns NUL into U+FFFD and CR into LF before the URL is seen.
    let comparable = !raw.contains(['\0', '\r']);
    if let Some(start) = out.html.find("<a href=\"").filter(|_| comparable) {
        let rest = &out.html[start + 9..];
        let href = &rest[..rest.find('"').unwrap()].replace("&amp;", "&");
        if !href.starts_with('#') {
            let browser = base.join(raw).expect("a clickable link parses");
            assert_eq!(
                href,
                browser.as_str(),
                "href differs from the browser's URL for {raw:?}"
            );
            // A trailing dot names the same host (safemark's documented reading).
            let host = browser.host_str().map(|h| h.trim_end_matches('.'));
            assert_eq!(host, Some("docs.example.com"));
            assert!(browser.path().starts_with("/a/"), "{browser}");
        }
    }
});
