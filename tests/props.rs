//! Properties over inputs generated from a grammar of hostile fragments (tags, attributes,
//! entity-encoded schemes, markdown images and links in tables, lists, footnotes, reference
//! definitions, quotes, code spans, partial constructs), for both modes and two policies:
//!
//! 1. the independent check finds no violation in the output;
//! 2. sanitizing the output again in HTML mode returns it unchanged (fixpoint);
//! 3. no panic, and the output stays within a constant factor of the input;
//! 4. on benign input (words in markdown constructs), every word survives and nothing is
//!    reported: no silent data loss.
//!
//! `PROPTEST_CASES` raises the number of cases (CI uses the default below).
// Raw HTML sanitized (and `safemark::audit`): the `html` feature. `tests/lite.rs` covers
// the build without it.
#![cfg(feature = "html")]

mod common;

use proptest::prelude::*;

const FRAGMENTS: &[&str] = &[
    "![a](https://attacker.example/x?d=1)",
    "![a](https://img.example.com/a.png)",
    "![a](//attacker.example/p)",
    "![a](/api/delete)",
    "![a](data:image/svg+xml,x)",
    "[l](https://docs.example.com/x)",
    "[evil.example](https://docs.example.com/x)",
    "[https://docs.example.com.evil.example/](https://docs.example.com/)",
    "<a href=\"https://docs.example.com/\">www.evil.example</a>",
    "<span class=\"safemark-link-host\"> (evil.example)</span>",
    "[l](https://evil.example/)",
    "[l](javascript:alert(1))",
    "[l](https://docs.example.com@evil.example/)",
    "[l](#frag)",
    "[l](mailto:a@evil.example)",
    "<img src=x onerror=alert(1)>",
    "<a href=\"javascript:alert(1)\">",
    "<a href=\"https://docs.example.com/\">",
    "<a href=\"//evil.example\">",
    "</a>",
    "<img src=\"https://img.example.com/x.png\">",
    "<img src=\"https://attacker.example/x.png\" alt=\"q\">",
    "<script>",
    "</script>",
    "<svg>",
    "</svg>",
    "<math>",
    "<mtext>",
    "<mglyph>",
    "<style>",
    "</style>",
    "<noscript>",
    "<template>",
    "<!--",
    "-->",
    "<p>",
    "</p>",
    "<div>",
    "</div>",
    "<table>",
    "<tr>",
    "<td>",
    "</td>",
    "<b>",
    "</b>",
    "<i>",
    "<details>",
    "<summary>",
    "<input type=checkbox>",
    "<form>",
    "<button>",
    "<select>",
    "<option>",
    "<iframe>",
    "<textarea>",
    "<title>",
    "<xmp>",
    "<p id=x>",
    " onclick=\"x\"",
    " style=\"background:url(//e.example)\"",
    "<span class=\"safemark-link-host\">",
    "<code class=\"language-x evil\">",
    "<base href=//e.example>",
    "<meta http-equiv=refresh content=0;url=//e.example>",
    "<link rel=prefetch href=//e.example>",
    "|",
    "| --- |",
    "| a | b |\n|---|---|\n",
    "\n",
    "\n\n",
    "> ",
    ">> ",
    "- ",
    "1. ",
    "- [ ] ",
    "```",
    "```js\n",
    "~~~",
    "`",
    "``",
    "*",
    "**",
    "_",
    "~~",
    "[^1]",
    "[^1]: ",
    "\n[^1]: x\n",
    "[r]: https://evil.example/\n",
    "[r]: https://docs.example.com/r\n",
    "[r]",
    "[x][r]",
    "![y][r]",
    "<https://evil.example/>",
    "<a@evil.example>",
    "https://docs.example.com/a",
    "https://evil.example/b",
    "&#106;avascript:",
    "java&#x09;script:",
    "&lt;",
    "&amp;",
    "&quot;",
    "\u{E0041}",
    "\u{202E}",
    "\u{200B}",
    "text",
    " ",
    "中文",
    "😀",
    "\"",
    "'",
    "=",
    ">",
    "<",
    "(",
    ")",
    "[",
    "]",
    "!",
    "#",
    "# ",
    "    ",
    "\t",
    "\\",
    "---\n",
    "===\n",
    "<br>",
    "<hr>",
    "<",
    "</",
    "<a",
    "<!",
    "<?x?>",
    "<![CDATA[x]]>",
    "<sub>",
    "<kbd>",
];

fn hostile() -> impl Strategy<Value = String> {
    prop_oneof![
        8 => prop::collection::vec(prop::sample::select(FRAGMENTS), 0..48)
            .prop_map(|parts| parts.concat()),
        1 => ".{0,64}",
    ]
}

fn check_all(input: &str) -> Result<(), TestCaseError> {
    for policy in ["default", "allowlist", "confirm"] {
        let sanitizer = common::sanitizer_for(policy);
        let trusted = common::trusted_for(policy);
        for markdown in [true, false] {
            let out = common::check(&sanitizer, &trusted, markdown, input, policy)
                .map_err(TestCaseError::fail)?;
            prop_assert!(
                out.html.len() <= 32 * input.len() + 4096,
                "output {} bytes for {} bytes of input",
                out.html.len(),
                input.len()
            );
        }
    }
    Ok(())
}

const CONSTRUCTS: &[&str] = &[
    "{} ",
    "*{}* ",
    "**{}** ",
    "~~{}~~ ",
    "`{}` ",
    "# {}\n\n",
    "### {}\n",
    "- {}\n",
    "1. {}\n",
    "- [x] {}\n",
    "> {}\n\n",
    "```\n{}\n```\n",
    "| {} |\n|---|\n| x |\n\n",
    "<b>{}</b> ",
    "<sub>{}</sub> ",
    "<details><summary>{}</summary></details>\n\n",
    "{}\n",
    "{}\n\n",
    "[{}](#a) ",
    "a < {} > b ",
    "{} & ",
];

const WORDS: &[&str] = &[
    "alpha",
    "beta",
    "gamma",
    "delta",
    "omega",
    "42",
    "x1",
    "中文",
    "日本語",
    "한국어",
    "😀",
    "👩‍💻",
    "café",
    "naïve",
    "Ωmega",
    "tab",
    "end",
];

fn benign() -> impl Strategy<Value = (String, Vec<&'static str>)> {
    prop::collection::vec(
        (
            prop::sample::select(CONSTRUCTS),
            prop::sample::select(WORDS),
        ),
        1..40,
    )
    .prop_map(|parts| {
        let md = parts.iter().map(|(c, w)| c.replace("{}", w)).collect();
        (md, parts.into_iter().map(|(_, w)| w).collect())
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(
        std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(512)
    ))]

    #[test]
    fn hostile_inputs_are_safe_and_fixpoints(input in hostile()) {
        check_all(&input)?;
    }

    #[test]
    fn benign_text_survives((markdown, words) in benign()) {
        for policy in ["default", "allowlist", "confirm"] {
            let sanitizer = common::sanitizer_for(policy);
            let out = common::check(&sanitizer, &common::trusted_for(policy), true, &markdown, policy)
                .map_err(TestCaseError::fail)?;
            prop_assert!(out.findings.is_empty(), "findings on benign input: {:?}", out.findings);
            let text = common::text(&common::parse(&out.html).root);
            for w in &words {
                prop_assert!(text.contains(w), "{w:?} lost from {markdown:?}: {text:?}");
            }
        }
    }
}

/// Negative control: the same check over an unsafe pipeline (pulldown-cmark's own HTML,
/// unsanitized) goes red, so a green run means something.
#[test]
fn negative_control_unsafe_pipeline_is_caught() {
    let trusted = common::trusted_for("default");
    let mut caught = 0;
    for fragment in FRAGMENTS {
        let mut html = String::new();
        pulldown_cmark::html::push_html(&mut html, pulldown_cmark::Parser::new(fragment));
        caught += usize::from(!common::violations(&html, &trusted).is_empty());
    }
    assert!(caught >= 20, "only {caught} fragments caught");
}
