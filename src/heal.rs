//! Healing the stream's tail: unfinished markdown made safe and quiet to render provisionally,
//! in the manner of Vercel's `remend`. An unclosed `**`, `*`, `~~` or code span is closed (or
//! dropped when nothing follows it yet), a link or image whose destination is still arriving
//! is shown as its text only, and a definition on the unfinished last line is left out, so
//! that no URL is loaded or linked before it is complete and judged by the policy.

use std::borrow::Cow;

/// Heals unfinished markdown for the provisional tail (see the module documentation).
pub(crate) fn heal(source: &str) -> Cow<'_, str> {
    let mut text = Cow::Borrowed(source);
    // A definition on the unfinished last line: its destination may still be arriving.
    if !text.ends_with('\n') {
        let line_start = text.rfind('\n').map_or(0, |i| i + 1);
        let line = text[line_start..].trim_start();
        if line.starts_with('[') && line.contains("]:") {
            text = Cow::Owned(text[..line_start].to_string());
        }
    }
    // Inside an unclosed fence everything is code until the end: nothing to heal.
    let fences = text
        .lines()
        .filter(|l| {
            let l = l.trim_start_matches(' ');
            l.starts_with("```") || l.starts_with("~~~")
        })
        .count();
    if fences % 2 == 1 {
        return text;
    }
    let para_start = text.rfind("\n\n").map_or(0, |i| i + 2);
    let mut para = text[para_start..].to_string();
    drop_unfinished_destination(&mut para);
    close_markers(&mut para);
    Cow::Owned(format!("{}{para}", &text[..para_start]))
}

/// `[text](partial` and `![alt](partial` become `text` and `alt`.
fn drop_unfinished_destination(para: &mut String) {
    let Some(open_paren) = para.rfind("](") else {
        return;
    };
    let mut depth = 1usize;
    for c in para[open_paren + 2..].chars() {
        match c {
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth == 0 {
                    return;
                }
            }
            _ => {}
        }
    }
    // Find the `[` that the `]` closes.
    let bytes = para.as_bytes();
    let mut depth = 0usize;
    let mut open = None;
    for i in (0..open_paren).rev() {
        match bytes[i] {
            b']' => depth += 1,
            b'[' if depth == 0 => {
                open = Some(i);
                break;
            }
            b'[' => depth -= 1,
            _ => {}
        }
    }
    let Some(open) = open else {
        para.truncate(open_paren);
        return;
    };
    let text = para[open + 1..open_paren].to_string();
    let start = if open > 0 && bytes[open - 1] == b'!' {
        open - 1
    } else {
        open
    };
    para.truncate(start);
    para.push_str(&text);
}

/// Closes unclosed `**`, `*`, `~~` and code spans, or drops an opener that nothing follows.
fn close_markers(para: &mut String) {
    let mut stack: Vec<(&'static str, usize)> = Vec::new();
    let mut code: Option<(usize, usize)> = None;
    let bytes = para.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b == b'\\' {
            i += 2;
            continue;
        }
        if b == b'`' {
            let run = bytes[i..].iter().take_while(|&&c| c == b'`').count();
            code = match code {
                Some((n, _)) if n == run => None,
                Some(open) => Some(open),
                None => Some((run, i)),
            };
            i += run;
            continue;
        }
        if code.is_some() {
            i += 1;
            continue;
        }
        let marker = if bytes[i..].starts_with(b"**") {
            Some("**")
        } else if bytes[i..].starts_with(b"~~") {
            Some("~~")
        } else if b == b'*' {
            // A list bullet or a lone star between spaces is not emphasis.
            let before = i.checked_sub(1).map(|j| bytes[j]);
            let after = bytes.get(i + 1).copied();
            let spaced =
                after.is_none_or(|c| c == b' ') && before.is_none_or(|c| c == b' ' || c == b'\n');
            (!spaced).then_some("*")
        } else {
            None
        };
        if let Some(m) = marker {
            if stack.last().is_some_and(|(top, _)| *top == m) {
                stack.pop();
            } else {
                stack.push((m, i));
            }
            i += m.len();
        } else {
            i += 1;
        }
    }
    if let Some((run, at)) = code {
        if para[at + run..].trim().is_empty() {
            para.truncate(at);
        } else {
            para.push_str(&"`".repeat(run));
            return;
        }
    }
    let trimmed = para.trim_end().len();
    para.truncate(trimmed);
    while let Some((m, at)) = stack.pop() {
        if para[at + m.len()..].trim().is_empty() {
            para.truncate(at);
            let trimmed = para.trim_end().len();
            para.truncate(trimmed);
        } else {
            para.push_str(m);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn healing() {
        let cases = [
            ("some **bold", "some **bold**"),
            ("some **bold *and", "some **bold *and***"),
            ("some **", "some"),
            ("a ~~gone", "a ~~gone~~"),
            ("use `cargo b", "use `cargo b`"),
            ("use `", "use"),
            ("see [the docs](https://docs.exa", "see the docs"),
            ("![chart](https://images.example.com/a.png?d=SE", "chart"),
            (
                "done [a](https://x.example/) and *b",
                "done [a](https://x.example/) and *b*",
            ),
            ("```\ncode **", "```\ncode **"),
            ("text\n[ref]: https://evi", "text"),
            ("- item\n- *x", "- item\n- *x*"),
            ("2 * 3 = 6", "2 * 3 = 6"),
        ];
        for (input, expected) in cases {
            assert_eq!(heal(input), expected, "{input:?}");
        }
    }
}
