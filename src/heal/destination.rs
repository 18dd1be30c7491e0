//! Whether an inline link's destination has already failed: healing shows such a `](` as the
//! text it will stay rather than hiding it as a destination still arriving.

/// Has the inline link that `rest` (what follows a `](`) begins already failed, whatever
/// follows: after its destination and whitespace comes neither a title nor `)` (`[a](x word`),
/// or after a quoted title something else than `)` (`[a](x "t" more`)? Then the `](` is
/// text, and healing shows it as it will stay. Answered only for a destination without `<`,
/// `(`, `)` or `\` and a title on one line; otherwise (and while the destination or the title
/// is still arriving) no.
pub(crate) fn destination_ended(rest: &str) -> bool {
    // Whitespace between the parts: spaces, tabs and at most one line ending.
    fn skip_space(s: &str) -> Option<&str> {
        let s = s.trim_start_matches([' ', '\t']);
        let s = match s.strip_prefix("\r\n") {
            Some(s) => s,
            None => s.strip_prefix(['\n', '\r']).unwrap_or(s),
        };
        let s = s.trim_start_matches([' ', '\t']);
        (!s.starts_with(['\n', '\r'])).then_some(s)
    }
    let Some(rest) = skip_space(rest) else {
        return false;
    };
    let Some(end) = rest.find([' ', '\t', '\n', '\r']) else {
        return false;
    };
    let destination = &rest[..end];
    if destination.is_empty()
        || destination.contains(['<', '(', ')', '\\'])
        || destination.chars().any(|c| c.is_ascii_control())
    {
        return false;
    }
    let Some(after) = skip_space(&rest[end..]) else {
        return false;
    };
    let quote = match after.chars().next() {
        None | Some('(' | ')') => return false,
        Some(q @ ('"' | '\'')) => q,
        Some(_) => return true,
    };
    // The title's end: its first quote that no backslash escapes.
    let title = &after[1..];
    let mut escaped = false;
    for (i, c) in title.char_indices() {
        match c {
            '\n' | '\r' => return false,
            '\\' if !escaped => escaped = true,
            c if c == quote && !escaped => {
                return skip_space(&title[i + 1..])
                    .and_then(|s| s.chars().next())
                    .is_some_and(|c| c != ')');
            }
            _ => escaped = false,
        }
    }
    false
}
