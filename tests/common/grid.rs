//! The grid the bounds are searched over: every construct (a piece) repeated in every
//! container (a context), under policies that write every output form. `tests/limits.rs`
//! holds every output of each document to the output bound, and its growth to the bound's
//! factor; `examples/scaling.rs grid` times each at two sizes, 8x apart (linear time). One
//! definition, so that the two searches cover the same class.

/// Policies (JSON objects' contents) that write every output form: the default; the longest
/// `id_prefix` with every `untrusted` mode, math and raw HTML sanitized; clickable links and
/// images; a long `links.base` and `images.proxy`.
pub fn policies() -> Vec<String> {
    let prefix = "p".repeat(64);
    let long = "x".repeat(100);
    vec![
        String::new(),
        format!(
            r#""links": {{"untrusted": "confirm"}}, "id_prefix": "{prefix}", "math": true, "raw_html": "sanitize""#
        ),
        format!(r#""links": {{"untrusted": "url"}}, "id_prefix": "{prefix}""#),
        format!(r#""links": {{"untrusted": "text"}}, "id_prefix": "{prefix}""#),
        format!(
            r#""links": {{"allow": ["*"]}}, "images": {{"allow": ["*"]}}, "id_prefix": "{prefix}", "math": true"#
        ),
        format!(
            r#""links": {{"base": "https://docs.example.com/{long}/", "allow": ["https://docs.example.com/"]}}, "images": {{"allow": ["*"], "proxy": "https://proxy.example/{long}"}}, "id_prefix": "{prefix}""#
        ),
    ]
}

/// The constructs: text of every kind, references, autolinks, links and images (allowed,
/// refused, deceptive), code, emphasis, math, entities, tags of every kind, line breaks.
pub const PIECES: &[&str] = &[
    "a",
    "&",
    "<",
    "\u{a0}",
    "\t",
    "\r",
    "\0",
    "\\",
    "|",
    "||",
    "🙂",
    "a\u{200b}",
    "[^a]",
    "[a]",
    "![a]",
    "[a][a]",
    "[a][]",
    "a@b.co",
    "a@b.co ",
    "www.a.co ",
    "<a@b.co>",
    "<http://a.co>",
    "https://a.co ",
    "http://a.co/",
    "[a](b)",
    "[](a)",
    "[a](<>)",
    "[a.co](https://b.co)",
    "[a](https://a.co)",
    "![](x)",
    "![a](https://a.co)",
    "![](https://a.co)",
    "`a`",
    "*a*",
    "_a_",
    "**a**",
    "***a***",
    "~~a~~",
    "$a$",
    "$$a$$",
    "&#0;",
    "&amp;",
    "<b>",
    "</b>",
    "<i id=a>",
    "<img src=x>",
    "<img src=https://a.co>",
    "<a href=//a.co>b.co</a>",
    "<a href=x>",
    "<td>",
    "<tr>",
    "<li>",
    "<p>",
    "<q>",
    "<br>",
    "<!---->",
    "<x>",
    "<abbr title=&>",
    "<span title=a>",
    "<details>",
    "<table>",
    "a  \n",
    "a\\\n",
];

/// A container: `open` once, then `each` (where `{}` is the piece) repeated, then `close`;
/// `html`: searched as HTML too, not only as markdown.
pub struct Context {
    pub open: String,
    pub each: &'static str,
    pub close: &'static str,
    pub html: bool,
}

/// What the references and the footnote reference point to: written before every document.
pub const DEFINED: &str = "[^a]: x\n\n[a]: https://a.co\n\n";

impl Context {
    /// The document of `piece` repeated `n` times in this context.
    pub fn document(&self, piece: &str, n: usize) -> String {
        format!(
            "{DEFINED}{}{}{}",
            self.open,
            self.each.replace("{}", piece).repeat(n),
            self.close
        )
    }
}

/// Paragraphs, lines, blocks, list items, quotes, headings, link text, emphasis, a footnote's
/// definition, a raw HTML group; formatting elements the HTML parser reopens before every
/// text and the adoption agency clones; table rows under headers of 1 to 64 columns in every
/// alignment.
pub fn contexts() -> Vec<Context> {
    // (before, each piece, after, as HTML too)
    let mut contexts: Vec<(String, &str, &str, bool)> = vec![
        (String::new(), "{}", "", true),
        (String::new(), "{}\n", "", false),
        (String::new(), "{}\n\n", "", false),
        (String::new(), "{}\n\n[^b]: x\n\n", "", false),
        (String::new(), "- {}\n", "", false),
        (String::new(), "> {}\n", "", false),
        (String::new(), "# {}\n", "", false),
        (String::new(), "1. {}\n\n", "", false),
        ("[".into(), "{}", "](https://a.co)", false),
        ("*".into(), "{}", "*", false),
        ("[^b]\n\n[^b]: ".into(), "{}", "", false),
        ("<div>\n\n".into(), "{}\n", "\n</div>", false),
    ];
    // The tree builder reopening formatting elements a block closed, with their attributes,
    // before each piece of text, and the adoption agency cloning them.
    let formatting: String = (0..50).map(|i| format!("<b title={i}>")).collect();
    for each in ["<p>{}", "<p>{}\n", "<div>{}</div>", "<li>{}"] {
        contexts.push((format!("<p>{formatting}"), each, "", true));
    }
    for each in [
        "<b title=a><div>{}</b>",
        "<a title=a><p><a>{}",
        "<b><i><u><div>{}</b></i></u>",
    ] {
        contexts.push((String::new(), each, "", true));
    }
    for columns in [1, 2, 3, 8, 64] {
        for align in ["-", ":-:", "-:"] {
            let header = format!(
                "|{}\n|{}\n",
                "a|".repeat(columns),
                format!("{align}|").repeat(columns)
            );
            for row in ["{}\n", "|{}|\n", "{}|{}\n"] {
                contexts.push((header.clone(), row, "", false));
            }
        }
    }
    contexts
        .into_iter()
        .map(|(open, each, close, html)| Context {
            open,
            each,
            close,
            html,
        })
        .collect()
}
