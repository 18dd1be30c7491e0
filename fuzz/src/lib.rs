//! What every fuzz target asserts about safemark's output, and the policies they run under.

use std::sync::LazyLock;

use safemark::{Rendered, Sanitizer, TerminalOptions};

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
        out.html.len() <= max_output(sanitizer, input),
        "output {} bytes for {} input bytes",
        out.html.len(),
        input.len()
    );
    out
}

/// The largest output `input` may give: a constant factor of the input, where the factor grows
/// with the URLs the policy itself adds. A relative link of three input bytes (`[a]` after its
/// definition) shows the base-resolved URL, entity-escaped (up to 5 bytes a byte), in its
/// tooltip and its suffix; an image carries the proxy's address. That is linear in the input,
/// not amplification.
pub fn max_output(sanitizer: &Sanitizer, input: &str) -> usize {
    let policy = sanitizer.policy();
    let added: usize = [&policy.links.base, &policy.images.proxy]
        .into_iter()
        .flatten()
        .map(|url| url.as_str().len())
        .sum();
    (32 + 6 * added) * input.len() + 4096
}

/// Renders `input` for a terminal, plain and styled, and asserts that no control character of
/// the input reaches the terminal: plain text has no control character but `\n` and `\t`;
/// styled text's only escapes are SGR codes (`ESC [ digits m`) and OSC 8 hyperlinks to an
/// absolute URL of printable ASCII that the policy trusts (or the empty closing one).
pub fn check_terminal(sanitizer: &Sanitizer, input: &str) {
    let plain = sanitizer
        .render_terminal(input, TerminalOptions::plain())
        .expect("no error below the input limit");
    if let Some(c) = plain.text.chars().find(|&c| is_control(c)) {
        panic!(
            "control {c:?} in plain output\ninput: {input:?}\noutput: {:?}",
            plain.text
        );
    }
    let styled = sanitizer
        .render_terminal(input, TerminalOptions::styled())
        .expect("no error below the input limit");
    for text in [&plain.text, &styled.text] {
        assert!(
            text.len() <= 32 * input.len() + 4096,
            "terminal output {} bytes for {} input bytes",
            text.len(),
            input.len()
        );
    }
    let mut rest = styled.text.as_str();
    while let Some(i) = rest.find(is_control) {
        let after = &rest[i..];
        let len = if let Some(sgr) = after.strip_prefix("\x1b[") {
            let digits = sgr.bytes().take_while(u8::is_ascii_digit).count();
            (digits > 0 && sgr[digits..].starts_with('m')).then_some(3 + digits)
        } else if let Some(osc) = after.strip_prefix("\x1b]8;;") {
            osc.find("\x1b\\").and_then(|end| {
                let url = &osc[..end];
                // Asked of the markdown renderer as a link. `&`, `<`, `>` and `\` are
                // percent-encoded so that the probe is one pointy destination with no character
                // reference or backslash escape in it (`<` and `>` survive in an opaque path
                // such as `mailto:`'s). Encoding them does not change trust: scheme, host and
                // port stay the same and no policy prefix used here contains them.
                let probe = format!(
                    "[x](<{}>)",
                    url.replace('&', "%26")
                        .replace('<', "%3C")
                        .replace('>', "%3E")
                        .replace('\\', "%5C")
                );
                let trusted = url.is_empty()
                    || (url.bytes().all(|b| (0x21..0x7f).contains(&b))
                        && sanitizer
                            .render_markdown(&probe)
                            .is_ok_and(|r| r.html.contains("<a href=")));
                trusted.then_some(7 + end)
            })
        } else {
            None
        };
        match len {
            Some(n) => rest = &after[n..],
            None => panic!(
                "escape not written by safemark: {:?}\ninput: {input:?}",
                &after[..after.len().min(40)]
            ),
        }
    }
}

fn is_control(c: char) -> bool {
    c.is_control() && c != '\n' && c != '\t'
}
