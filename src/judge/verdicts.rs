//! What a stream's judge remembers: the verdict on each destination, and what a refused one
//! shows (see [`Verdicts`]).

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};

use crate::display::{self, Shown};
use crate::policy::Policy;
use crate::urls::{self, Purpose, Verdict};

/// Verdicts a stream's judge gave, by purpose and destination, and how each refused one is
/// shown. A stream renders its tail again on many pushes, and the links in it mostly have not
/// changed: a verdict is a function of the destination, its purpose and the policy (one per
/// stream), and what is shown of a refusal a function of the verdict and the policy, so an
/// earlier result is the result.
#[derive(Default)]
pub(crate) struct Verdicts(Mutex<Known>);

#[derive(Default)]
struct Known {
    /// Links' verdicts, then images'.
    verdicts: [HashMap<String, Verdict>; 2],
    /// What is shown of refused destinations.
    shown: HashMap<Verdict, Shown>,
    /// Bytes held, keys and values.
    bytes: usize,
}

/// The bytes after which a memo of verdicts starts again: what it costs a stream at most.
const KNOWN_MAX_BYTES: usize = 256 * 1024;

impl Verdicts {
    /// [`urls::judge`], given once for each destination and purpose.
    pub(crate) fn judge(&self, raw: &str, purpose: Purpose, policy: &Policy) -> Verdict {
        let at = purpose as usize;
        // It holds finished verdicts only: one left by a panic is still whole.
        let lock = || self.0.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(known) = lock().verdicts[at].get(raw) {
            return known.clone();
        }
        let verdict = urls::judge(raw, purpose, policy);
        let mut known = lock();
        known.hold(raw.len() + size(&verdict));
        known.verdicts[at].insert(raw.to_string(), verdict.clone());
        verdict
    }

    /// [`display::refused`], given once for each verdict.
    pub(crate) fn refused(&self, verdict: &Verdict, policy: &Policy) -> Shown {
        let lock = || self.0.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(known) = lock().shown.get(verdict) {
            return known.clone();
        }
        let shown = display::refused(verdict, policy);
        let mut known = lock();
        let shown_size = [&shown.title, &shown.suffix, &shown.confirm]
            .iter()
            .map(|s| s.as_ref().map_or(0, String::len))
            .sum::<usize>();
        known.hold(size(verdict) + shown_size);
        known.shown.insert(verdict.clone(), shown.clone());
        shown
    }
}

impl Known {
    /// Makes room for `size` more bytes: starts again when they would go over the bound.
    fn hold(&mut self, size: usize) {
        if self.bytes + size > KNOWN_MAX_BYTES {
            *self = Known::default();
        }
        self.bytes += size;
    }
}

/// The bytes of a verdict's strings.
fn size(verdict: &Verdict) -> usize {
    match verdict {
        Verdict::Allow(s) | Verdict::Fragment(s) => s.len(),
        Verdict::Deny { url, host, .. } => {
            url.as_ref().map_or(0, String::len) + host.as_ref().map_or(0, String::len)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A remembered verdict, and what a remembered refusal shows, is what the URL stage and
    /// the display give, asked once or again, for links and images, allowed, refused as
    /// untrusted, unsafe, invisible and invalid, under every display of untrusted links.
    #[test]
    fn remembered_is_what_the_stages_give() {
        let destinations = [
            "https://docs.example.com/guide",
            "https://evil.example/x?d=secret",
            "javascript:alert(1)",
            "https://docs.example.com/\u{200B}x",
            "http://[::1",
            "#section",
            "/relative/path",
            "mailto:someone@evil.example",
            "https://images.example.com/p.png",
        ];
        for untrusted in ["text", "host", "url", "confirm"] {
            let policy: Policy = serde_json::from_str(&format!(
                r#"{{"links": {{"allow": ["https://docs.example.com/"], "untrusted": "{untrusted}"}},
                    "images": {{"allow": ["https://images.example.com/"]}}}}"#
            ))
            .unwrap();
            let verdicts = Verdicts::default();
            for _ in 0..2 {
                for (raw, purpose) in destinations
                    .iter()
                    .flat_map(|d| [(d, Purpose::Link), (d, Purpose::Image)])
                {
                    let want = urls::judge(raw, purpose, &policy);
                    assert_eq!(verdicts.judge(raw, purpose, &policy), want, "{raw}");
                    if let Verdict::Deny { .. } = want {
                        let shown = display::refused(&want, &policy);
                        assert_eq!(verdicts.refused(&want, &policy), shown, "{raw}");
                    }
                }
            }
        }
    }

    /// A stream's memo holds at most its bound, however many destinations it judges.
    #[test]
    fn remembered_verdicts_are_bounded() {
        let policy = Policy::default();
        let verdicts = Verdicts::default();
        for i in 0..2_000 {
            let raw = format!("https://evil.example/{i}/{}", "p".repeat(500));
            let verdict = verdicts.judge(&raw, Purpose::Link, &policy);
            verdicts.refused(&verdict, &policy);
            let known = verdicts.0.lock().unwrap();
            assert!(known.bytes <= KNOWN_MAX_BYTES, "{} bytes", known.bytes);
        }
    }
}
