//! The documents and the pipelines that safemark's benchmarks compare.

#[path = "generate.rs"]
pub mod generate;

/// The sizes every benchmark measures.
pub const SIZES: &[(&str, usize)] = &[
    ("2KB", 2_000),
    ("20KB", 20_000),
    ("200KB", 200_000),
    ("2MB", 2_000_000),
];

/// The pipelines compared, by the names the benches and reports use.
pub const PIPELINES: &[&str] = &[
    "pulldown-cmark",
    "pulldown-cmark+ammonia",
    "comrak+ammonia",
    "safemark-default",
    "safemark-allowlist",
];

/// The floor: pulldown-cmark's HTML, unsanitized (unsafe to display).
pub fn pulldown_only(markdown: &str) -> String {
    let parser = pulldown_cmark::Parser::new_ext(markdown, pulldown_options());
    let mut html = String::with_capacity(markdown.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, parser);
    html
}

/// The naive safe pipeline: pulldown-cmark, then `ammonia::clean` on the whole output.
pub fn pulldown_ammonia(markdown: &str) -> String {
    ammonia::clean(&pulldown_only(markdown))
}

/// comrak (GFM, raw HTML kept), then `ammonia::clean`.
pub fn comrak_ammonia(markdown: &str) -> String {
    let mut options = comrak::Options::default();
    options.extension.table = true;
    options.extension.strikethrough = true;
    options.extension.tasklist = true;
    options.extension.autolink = true;
    options.extension.footnotes = true;
    options.render.r#unsafe = true;
    ammonia::clean(&comrak::markdown_to_html(markdown, &options))
}

fn pulldown_options() -> pulldown_cmark::Options {
    pulldown_cmark::Options::ENABLE_TABLES
        | pulldown_cmark::Options::ENABLE_STRIKETHROUGH
        | pulldown_cmark::Options::ENABLE_TASKLISTS
        | pulldown_cmark::Options::ENABLE_FOOTNOTES
}

/// `doc` in chunks of `size` bytes, each moved on to the next character boundary.
pub fn chunks(doc: &str, size: usize) -> Vec<&str> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < doc.len() {
        let mut j = (i + size).min(doc.len());
        while !doc.is_char_boundary(j) {
            j += 1;
        }
        out.push(&doc[i..j]);
        i = j;
    }
    out
}
