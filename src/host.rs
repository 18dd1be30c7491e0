//! Hosts as safemark compares and shows them: the one place that says when two URLs name the
//! same host and what a reader is shown as "where it pointed". The policy's prefixes, the URL
//! judge and the deceptive-link rule all compare hosts through it.

use url::Url;

/// The host as compared with prefixes: the parser has already lower-cased and IDNA-normalized
/// it; a single trailing dot (`example.com.`) names the same host and is dropped.
pub(crate) fn comparable_host(url: &Url) -> Option<String> {
    let host = url.host_str()?;
    Some(host.strip_suffix('.').unwrap_or(host).to_string())
}

/// What a reader is shown as "where it pointed": the host (punycode, as the parser serializes
/// internationalized names) with a non-default port, or a `mailto:` address.
pub(crate) fn display_host(url: &Url) -> Option<String> {
    if url.scheme() == "mailto" {
        return Some(url.path().to_string());
    }
    let host = url.host_str()?;
    Some(match url.port() {
        Some(port) => format!("{host}:{port}"),
        None => host.to_string(),
    })
}
