//! The policy: what may load, what may be clicked, and the limits. One JSON shape for Rust,
//! JavaScript and the CLI.
//!
//! Every field defaults to the safe side, so `{}` is the default policy: no image loads, no
//! link to an absolute destination is clickable, raw HTML is sanitized. A policy that does not
//! parse, names an unknown key, or holds a malformed URL is an [`Error::Policy`] naming the key.
//!
//! ```
//! let policy = safemark::Policy::from_json(r#"{
//!     "links":  { "allow": ["https://docs.example.com/"] },
//!     "images": { "allow": ["https://img.example.com/"] }
//! }"#).unwrap();
//! assert_eq!(policy.links.allow.len(), 1);
//! ```

use std::fmt;

use serde::{Deserialize, Serialize};
use url::Url;

use crate::error::Error;
use crate::text;

mod read;

/// The whole policy. Build it with [`Policy::builder`], parse it with [`Policy::from_json`],
/// or start from [`Policy::default`] (the safe default) and change fields.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Policy {
    /// Which links are clickable and how untrusted ones are shown.
    pub links: LinkPolicy,
    /// Which images may load.
    pub images: ImagePolicy,
    /// What happens to raw HTML inside markdown. Default: `"sanitize"`.
    pub raw_html: RawHtml,
    /// Prefix given to every `id` so content cannot clobber the page's DOM.
    /// Default: `"user-content-"` (as GitHub does).
    pub id_prefix: IdPrefix,
    /// Input size and nesting bounds.
    pub limits: Limits,
    /// TeX math: `$…$` and `$$…$$` (pulldown-cmark's math extension) are written as escaped
    /// TeX in `<span class="math math-inline">` and `<span class="math math-display">` for
    /// the app's KaTeX, which must run with the options in the README (`trust: false` …).
    /// Default: false, so a `$` is text.
    pub math: bool,
}

/// `links`: which link destinations are trusted (clickable).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct LinkPolicy {
    /// Trusted destinations. Default: none, so no link to an absolute destination is clickable.
    /// Same-document fragment links (`#section`) always work.
    pub allow: Vec<UrlPrefix>,
    /// Base URL that relative links (`/docs/x`, `../y`) are resolved against before they are
    /// judged. Default: none, so relative links are untrusted.
    pub base: Option<AbsoluteUrl>,
    /// How an untrusted link is shown. Default: `"host"`.
    pub untrusted: UntrustedDisplay,
}

/// `images`: which images may load. By default none does.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct ImagePolicy {
    /// Image sources that may load. Default: none. Relative and protocol-relative images never
    /// load: a relative image is a same-origin request carrying the user's cookies.
    pub allow: Vec<UrlPrefix>,
    /// The app's own image proxy. When set, every allowed image is loaded as
    /// `PROXY?url=<percent-encoded image URL>`. Default: none.
    pub proxy: Option<AbsoluteUrl>,
    /// Allow `data:` images of raster types (png, gif, jpeg, webp; never SVG). Default: false.
    pub data: bool,
}

/// How an untrusted link is shown. It is never clickable; its text always stays.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum UntrustedDisplay {
    /// The text, then the destination's host in parentheses: `text (evil.example)`.
    #[default]
    Host,
    /// The text, then the whole destination URL in parentheses.
    Url,
    /// The text only; the host is not shown.
    Text,
    /// As `"host"`, and the span carries the judged destination in `data-safemark-href`, so
    /// that the npm package's `guardLinks` can open it after the reader confirms (showing the
    /// whole URL and its real host first). Only well-formed `http`, `https` and `mailto`
    /// destinations are carried; without JavaScript the link stays inert.
    Confirm,
}

/// What happens to raw HTML inside markdown.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum RawHtml {
    /// Keep what the HTML allowlist allows; remove the rest (and report it). The default;
    /// needs the `html` feature (on by default).
    #[cfg_attr(feature = "html", default)]
    Sanitize,
    /// Show raw HTML as text, as if it were code. The default without the `html` feature.
    #[cfg_attr(not(feature = "html"), default)]
    Escape,
}

/// `limits`: bounds that keep work and output linear.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Limits {
    /// Inputs longer than this many bytes are refused with [`Error::InputTooLarge`].
    /// Default: 1 MiB (1048576). A value over what the platform can address (`usize::MAX`,
    /// 4 GiB − 1 in WebAssembly) reads as that maximum: no longer input can exist there.
    pub max_input_bytes: usize,
    /// Markdown containers (block quotes, lists) nested deeper than this are flattened into
    /// their parent, with a `nesting_limit` finding. Default: 32. Read like `max_input_bytes`;
    /// a value over 128 means 128 (deeper markdown would nest past the 512 elements raw HTML
    /// may, and its output would not read back as itself).
    pub max_nesting: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_input_bytes: 1 << 20,
            max_nesting: 32,
        }
    }
}

/// A trusted URL prefix, validated when it is parsed.
///
/// - `"*"`: every `http`/`https` URL (an explicit opt-in).
/// - A scheme and a colon, such as `"mailto:"`, `"tel:"` or `"vscode:"`: every link of that
///   scheme (links only; each scheme is clickable only when named). `javascript:`,
///   `vbscript:`, `data:`, `file:`, `blob:` and `filesystem:` can never be allowed (a policy
///   error), and `http:`/`https:` are allowed with `"*"` or URL prefixes.
/// - An absolute `http`/`https` URL such as `https://docs.example.com/api/`: matches a URL with
///   the same scheme, host (IDNA-normalized, case-insensitive, trailing dot ignored) and port
///   whose path continues the prefix's path at a segment boundary. A prefix has no user name,
///   password, query or fragment.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct UrlPrefix {
    source: String,
    pub(crate) kind: PrefixKind,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum PrefixKind {
    AnyHttp,
    /// Every link of one scheme other than `http`/`https` (`mailto`, `tel`, `vscode`, ...).
    Scheme(String),
    Url {
        scheme: String,
        host: String,
        port: Option<u16>,
        path: String,
    },
}

impl UrlPrefix {
    /// Parses a prefix; the error message says what is wrong.
    pub fn parse(source: &str) -> Result<UrlPrefix, String> {
        let kind = match source {
            "*" => PrefixKind::AnyHttp,
            _ if is_scheme_entry(source) => {
                let scheme = source[..source.len() - 1].to_ascii_lowercase();
                if NEVER_ALLOWED_SCHEMES.contains(&scheme.as_str()) {
                    return Err(format!(
                        "`{source}` can never be allowed: it runs script, embeds a document or reads local files"
                    ));
                }
                if matches!(scheme.as_str(), "http" | "https") {
                    return Err(format!(
                        "`{source}`: allow http(s) destinations with \"*\" or a URL prefix such as \"https://docs.example.com/\""
                    ));
                }
                PrefixKind::Scheme(scheme)
            }
            _ => {
                let url = parse_http_url(source)?;
                if url.query().is_some() || url.fragment().is_some() {
                    return Err(format!(
                        "`{source}`: a prefix cannot have a query or a fragment"
                    ));
                }
                PrefixKind::Url {
                    scheme: url.scheme().to_string(),
                    host: crate::host::comparable_host(&url).unwrap_or_default(),
                    port: url.port_or_known_default(),
                    path: url.path().to_string(),
                }
            }
        };
        Ok(UrlPrefix {
            source: source.to_string(),
            kind,
        })
    }

    /// The prefix as it was written.
    pub fn as_str(&self) -> &str {
        &self.source
    }
}

/// Schemes no policy may allow: script (`javascript:`, `vbscript:`), documents carried in the
/// URL (`data:`, `blob:`, `filesystem:`) and local files (`file:`).
pub const NEVER_ALLOWED_SCHEMES: &[&str] = &[
    "javascript",
    "vbscript",
    "data",
    "file",
    "blob",
    "filesystem",
];

/// Is `source` a scheme and a colon (`tel:`, `vscode:`), as URL schemes are spelled?
fn is_scheme_entry(source: &str) -> bool {
    let Some(scheme) = source.strip_suffix(':') else {
        return false;
    };
    let mut chars = scheme.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

impl fmt::Debug for UrlPrefix {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "UrlPrefix({:?})", self.source)
    }
}

impl TryFrom<String> for UrlPrefix {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        UrlPrefix::parse(&s)
    }
}

impl From<UrlPrefix> for String {
    fn from(p: UrlPrefix) -> String {
        p.source
    }
}

/// The longest [`AbsoluteUrl`] (`links.base`, `images.proxy`), normalized, in bytes. The
/// policy's own URLs are copied into the output for every relative link or proxied image, so
/// their length bounds how much the output can grow per construct of the input.
pub const MAX_POLICY_URL_BYTES: usize = 512;

/// An absolute `http`/`https` URL without user name or password (a link base or image proxy),
/// at most [`MAX_POLICY_URL_BYTES`] long once normalized.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct AbsoluteUrl(pub(crate) Url);

impl AbsoluteUrl {
    /// Parses an absolute http(s) URL; the error message says what is wrong.
    pub fn parse(source: &str) -> Result<AbsoluteUrl, String> {
        let url = parse_http_url(source)?;
        if url.as_str().len() > MAX_POLICY_URL_BYTES {
            return Err(format!(
                "the URL is {} bytes long once normalized; at most {MAX_POLICY_URL_BYTES} are allowed",
                url.as_str().len()
            ));
        }
        Ok(AbsoluteUrl(url))
    }

    /// The URL, normalized.
    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }
}

impl fmt::Debug for AbsoluteUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "AbsoluteUrl({:?})", self.0.as_str())
    }
}

impl TryFrom<String> for AbsoluteUrl {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        AbsoluteUrl::parse(&s)
    }
}

impl From<AbsoluteUrl> for String {
    fn from(u: AbsoluteUrl) -> String {
        u.0.into()
    }
}

/// The `id` prefix: one or more ASCII letters, digits, `-` or `_`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct IdPrefix(String);

impl IdPrefix {
    /// Validates a prefix.
    pub fn parse(s: &str) -> Result<IdPrefix, String> {
        if !s.is_empty()
            && s.len() <= 64
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        {
            Ok(IdPrefix(s.to_string()))
        } else {
            Err(format!(
                "`{s}`: an id prefix is 1 to 64 ASCII letters, digits, `-` or `_`"
            ))
        }
    }

    /// The prefix.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Default for IdPrefix {
    fn default() -> Self {
        IdPrefix("user-content-".to_string())
    }
}

impl TryFrom<String> for IdPrefix {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        IdPrefix::parse(&s)
    }
}

impl From<IdPrefix> for String {
    fn from(p: IdPrefix) -> String {
        p.0
    }
}

fn parse_http_url(source: &str) -> Result<Url, String> {
    if source.chars().any(text::is_invisible_in_url) {
        return Err(format!(
            "`{}`: contains invisible or bidi control characters",
            source.escape_debug()
        ));
    }
    let url = crate::url_parse::parse(source).map_err(|e| format!("`{source}` is not an absolute URL ({e}); expected \"*\", \"mailto:\" or a URL such as \"https://docs.example.com/\""))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(format!(
            "`{source}`: only http and https URLs can be trusted (scheme `{}`)",
            url.scheme()
        ));
    }
    if url.host().is_none() {
        return Err(format!("`{source}` has no host"));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(format!(
            "`{source}`: a user name or password is not allowed"
        ));
    }
    Ok(url)
}

impl Policy {
    /// Parses a policy from JSON. Unknown or repeated keys, malformed prefixes and wrong types
    /// are errors naming the key; nothing silently falls back to the default. The policy's
    /// `Deserialize` impl reads the same way from any serde format.
    pub fn from_json(json: &str) -> Result<Policy, Error> {
        let json: read::Json =
            serde_json::from_str(json).map_err(|e| Error::policy("", e.to_string()))?;
        read::policy(&json)
    }

    /// The policy as JSON (the same shape [`Policy::from_json`] reads).
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// A builder for Rust users.
    pub fn builder() -> PolicyBuilder {
        PolicyBuilder::default()
    }

    /// Checks what the field types alone cannot.
    pub fn validate(&self) -> Result<(), Error> {
        for (i, p) in self.images.allow.iter().enumerate() {
            if let PrefixKind::Scheme(scheme) = &p.kind {
                return Err(Error::policy(
                    format!("images.allow[{i}]"),
                    format!("`{scheme}:` is a link prefix, not an image source"),
                ));
            }
        }
        if let Some(proxy) = &self.images.proxy {
            if proxy.0.query().is_some() || proxy.0.fragment().is_some() {
                return Err(Error::policy(
                    "images.proxy",
                    "the proxy URL cannot have a query or fragment: safemark appends `?url=`",
                ));
            }
        }
        if self.limits.max_input_bytes == 0 {
            return Err(Error::policy(
                "limits.max_input_bytes",
                "must be at least 1",
            ));
        }
        if self.limits.max_nesting == 0 {
            return Err(Error::policy("limits.max_nesting", "must be at least 1"));
        }
        if !cfg!(feature = "html") && self.raw_html == RawHtml::Sanitize {
            return Err(Error::policy(
                "raw_html",
                "\"sanitize\" needs safemark's `html` feature (the npm package's full entry, \
                 `safemark`, not `safemark/lite`): this build can only show raw HTML as text \
                 (\"escape\")",
            ));
        }
        Ok(())
    }
}

/// Builds a [`Policy`]; errors are reported by [`PolicyBuilder::build`], naming the key.
///
/// ```
/// let policy = safemark::Policy::builder()
///     .allow_link("https://docs.example.com/")
///     .allow_image("https://img.example.com/")
///     .build()
///     .unwrap();
/// assert_eq!(policy.images.allow.len(), 1);
/// ```
#[derive(Debug, Default)]
pub struct PolicyBuilder {
    policy: Policy,
    error: Option<Error>,
}

impl PolicyBuilder {
    fn record<T>(&mut self, key: String, r: Result<T, String>) -> Option<T> {
        match r {
            Ok(v) => Some(v),
            Err(message) => {
                self.error.get_or_insert(Error::Policy { key, message });
                None
            }
        }
    }

    /// Trusts links under `prefix` (see [`UrlPrefix`]).
    pub fn allow_link(mut self, prefix: &str) -> Self {
        let key = format!("links.allow[{}]", self.policy.links.allow.len());
        if let Some(p) = self.record(key, UrlPrefix::parse(prefix)) {
            self.policy.links.allow.push(p);
        }
        self
    }

    /// Lets images under `prefix` load (see [`UrlPrefix`]).
    pub fn allow_image(mut self, prefix: &str) -> Self {
        let key = format!("images.allow[{}]", self.policy.images.allow.len());
        if let Some(p) = self.record(key, UrlPrefix::parse(prefix)) {
            self.policy.images.allow.push(p);
        }
        self
    }

    /// Resolves relative links against `base` before judging them.
    pub fn link_base(mut self, base: &str) -> Self {
        self.policy.links.base = self.record("links.base".into(), AbsoluteUrl::parse(base));
        self
    }

    /// How untrusted links are shown.
    pub fn untrusted_links(mut self, display: UntrustedDisplay) -> Self {
        self.policy.links.untrusted = display;
        self
    }

    /// Loads allowed images through `proxy?url=…`.
    pub fn image_proxy(mut self, proxy: &str) -> Self {
        self.policy.images.proxy = self.record("images.proxy".into(), AbsoluteUrl::parse(proxy));
        self
    }

    /// Allows raster `data:` images.
    pub fn data_images(mut self, allow: bool) -> Self {
        self.policy.images.data = allow;
        self
    }

    /// Sanitize or escape raw HTML in markdown.
    pub fn raw_html(mut self, mode: RawHtml) -> Self {
        self.policy.raw_html = mode;
        self
    }

    /// Writes TeX math for the app's KaTeX (see [`Policy::math`]).
    pub fn math(mut self, on: bool) -> Self {
        self.policy.math = on;
        self
    }

    /// The prefix for `id` attributes.
    pub fn id_prefix(mut self, prefix: &str) -> Self {
        if let Some(p) = self.record("id_prefix".into(), IdPrefix::parse(prefix)) {
            self.policy.id_prefix = p;
        }
        self
    }

    /// The input size limit in bytes.
    pub fn max_input_bytes(mut self, max: usize) -> Self {
        self.policy.limits.max_input_bytes = max;
        self
    }

    /// The markdown container nesting limit.
    pub fn max_nesting(mut self, max: usize) -> Self {
        self.policy.limits.max_nesting = max;
        self
    }

    /// The policy, or the first error, naming its key.
    pub fn build(self) -> Result<Policy, Error> {
        if let Some(e) = self.error {
            return Err(e);
        }
        self.policy.validate()?;
        Ok(self.policy)
    }
}
