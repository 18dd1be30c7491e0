//! The HTML allowlist: the elements, attributes and classes safe HTML may hold, whoever writes
//! it. The HTML stage enforces it on raw HTML (with ammonia), the markdown stage writes only
//! what it allows, and `crate::audit` checks output against it independently.
//!
//! The allowlist suits chat answers: text formatting, headings, lists, tables, code, quotes,
//! details/summary. Nothing that loads or runs: no script, style, iframe, object, embed, form,
//! media, link, meta, base, SVG or MathML; no event handlers, `style`, `srcset`, `background`,
//! `poster`, `ping`, `dir`. `class` only with the values the pipeline itself writes; `id` only
//! with the policy's prefix.

use crate::display;

/// Elements that are kept.
pub const TAGS: &[&str] = &[
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "caption",
    "cite",
    "code",
    "col",
    "colgroup",
    "dd",
    "del",
    "details",
    "dfn",
    "div",
    "dl",
    "dt",
    "em",
    "figcaption",
    "figure",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "img",
    "input",
    "ins",
    "kbd",
    "li",
    "mark",
    "ol",
    "p",
    "pre",
    "q",
    "rp",
    "rt",
    "ruby",
    "s",
    "samp",
    "section",
    "small",
    "span",
    "strike",
    "strong",
    "sub",
    "summary",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "time",
    "tr",
    "tt",
    "u",
    "ul",
    "var",
    "wbr",
];

/// Elements removed together with everything inside them: code, styles, embedded documents,
/// form controls and foreign (SVG, MathML) content, none of which is text for the reader.
pub const REMOVED_WITH_CONTENT: &[&str] = &[
    "script",
    "style",
    "template",
    "noscript",
    "iframe",
    "frame",
    "frameset",
    "object",
    "embed",
    "applet",
    "textarea",
    "select",
    "title",
    "xmp",
    "noembed",
    "noframes",
    "plaintext",
    "svg",
    "math",
];

/// Attributes allowed on every kept element.
pub const GENERIC_ATTRIBUTES: &[&str] = &["title", "lang", "id"];

/// Attributes allowed on particular elements. `href` and `src` are judged by the URL policy;
/// `class` keeps only the values in [`CLASSES`] (and `language-*` on `code`).
pub const TAG_ATTRIBUTES: &[(&str, &[&str])] = &[
    ("a", &["href", "rel", "referrerpolicy", "class"]),
    ("img", &["src", "alt", "width", "height"]),
    ("ol", &["start", "reversed", "type"]),
    ("li", &["value"]),
    ("td", &["align", "colspan", "rowspan"]),
    ("th", &["align", "colspan", "rowspan", "scope"]),
    ("col", &["span"]),
    ("colgroup", &["span"]),
    ("details", &["open"]),
    ("input", &["type", "checked", "disabled"]),
    ("time", &["datetime"]),
    ("code", &["class"]),
    ("span", &["class", display::CONFIRM_HREF_ATTRIBUTE]),
    ("sup", &["class"]),
    ("section", &["class"]),
];

/// The `class` values the pipeline writes, by element.
pub const CLASSES: &[(&str, &[&str])] = &[
    (
        "span",
        &[
            display::UNTRUSTED_LINK_CLASS,
            display::LINK_HOST_CLASS,
            display::BLOCKED_IMAGE_CLASS,
            display::MATH_CLASS,
            display::MATH_INLINE_CLASS,
            display::MATH_DISPLAY_CLASS,
        ],
    ),
    ("sup", &[display::FOOTNOTE_REFERENCE_CLASS]),
    ("section", &[display::FOOTNOTES_CLASS]),
    ("a", &[display::FOOTNOTE_BACKREF_CLASS]),
];

/// Attributes whose value is a URL, reported with the finding when they are removed.
#[cfg(feature = "html")]
pub(crate) const URL_ATTRIBUTES: &[&str] = &[
    "href",
    "src",
    "action",
    "formaction",
    "data",
    "poster",
    "background",
    "srcset",
    "ping",
    "cite",
    "longdesc",
    "lowsrc",
    "dynsrc",
    "xlink:href",
    "codebase",
    "manifest",
    "icon",
];

/// The class tokens of `value` that the pipeline itself writes on `element`.
pub(crate) fn allowed_classes(element: &str, value: &str) -> Option<String> {
    let allowed = CLASSES
        .iter()
        .find(|(tag, _)| *tag == element)
        .map(|(_, classes)| *classes)
        .unwrap_or(&[]);
    let kept: Vec<&str> = value
        .split_ascii_whitespace()
        .filter(|c| {
            allowed.contains(c)
                || (element == "code"
                    && c.strip_prefix("language-")
                        .is_some_and(|lang| !lang.is_empty()))
        })
        .collect();
    (!kept.is_empty()).then(|| kept.join(" "))
}
