//! Message helpers shaped exactly like upstream's (`pluralize`, `joinQuote`, Go's `%q`).

use std::fmt::Write;

/// `singular` when `count` is exactly 1.
pub(crate) fn pluralize(
    singular: &'static str,
    plural: &'static str,
    count: usize,
) -> &'static str {
    if count == 1 {
        singular
    } else {
        plural
    }
}

/// Each item wrapped in `"` and joined with `", "`; no escaping of embedded quotes.
pub(crate) fn join_quote<'s, I>(items: I) -> String
where
    I: IntoIterator<Item = &'s str>,
{
    let mut out = String::new();
    for (i, item) in items.into_iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        out.push('"');
        out.push_str(item);
        out.push('"');
    }
    out
}

/// `container "a"` / `containers "a", "b"`.
pub(crate) fn containers(names: &[&str]) -> String {
    format!(
        "{} {}",
        pluralize("container", "containers", names.len()),
        join_quote(names.iter().copied())
    )
}

/// `pod`, `container(s) "…"` or both, joined by ` and ` (upstream's "bad setters").
pub(crate) fn setters(pod: bool, names: &[&str]) -> String {
    let mut parts: Vec<String> = Vec::with_capacity(2);
    if pod {
        parts.push("pod".to_string());
    }
    if !names.is_empty() {
        parts.push(containers(names));
    }
    parts.join(" and ")
}

/// A byte-order-sorted, de-duplicated copy (Go's `sets.String.List()`).
pub(crate) fn sorted_set<'s>(items: impl IntoIterator<Item = &'s str>) -> Vec<&'s str> {
    let mut v: Vec<&str> = items.into_iter().collect();
    v.sort_unstable();
    v.dedup();
    v
}

/// Go's `strconv.Quote` (what `%q` prints): backslash escapes for `"`, `\` and characters
/// that are not printable; printable non-ASCII characters are kept as they are.
pub(crate) fn go_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            c if is_go_printable(c) => out.push(c),
            '\u{7}' => out.push_str("\\a"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{b}' => out.push_str("\\v"),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c if (c as u32) < 0x10000 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => {
                let _ = write!(out, "\\U{:08x}", c as u32);
            }
        }
    }
    out.push('"');
    out
}

/// Go's `unicode.IsPrint`: letters, marks, numbers, punctuation, symbols and the ASCII space.
/// Without Unicode tables, this excludes control characters, every space other than U+0020,
/// the format characters (Cf) and private-use code points; unassigned code points are treated
/// as printable (they cannot occur in a valid Kubernetes annotation value in practice).
fn is_go_printable(c: char) -> bool {
    if c == ' ' {
        return true;
    }
    if c.is_control() || c.is_whitespace() {
        return false;
    }
    let u = c as u32;
    let format = matches!(u,
        0xAD | 0x600..=0x605 | 0x61C | 0x6DD | 0x70F | 0x890..=0x891 | 0x8E2 | 0x180E
        | 0x200B..=0x200F | 0x202A..=0x202E | 0x2060..=0x2064 | 0x2066..=0x206F | 0xFEFF
        | 0xFFF9..=0xFFFB | 0x110BD | 0x110CD | 0x13430..=0x1343F | 0x1BCA0..=0x1BCA3
        | 0x1D173..=0x1D17A | 0xE0001 | 0xE0020..=0xE007F);
    let private = matches!(u, 0xE000..=0xF8FF | 0xF0000..=0xFFFFD | 0x100000..=0x10FFFD);
    let nonchar = (u & 0xFFFE) == 0xFFFE || (0xFDD0..=0xFDEF).contains(&u);
    !(format || private || nonchar)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_like_go() {
        assert_eq!(go_quote("unconfined"), r#""unconfined""#);
        assert_eq!(go_quote(r#"a"b\c"#), r#""a\"b\\c""#);
        assert_eq!(go_quote("x\ny\t\u{1}\u{7f}"), r#""x\ny\t\x01\x7f""#);
        assert_eq!(go_quote("é中"), "\"é中\"");
        assert_eq!(go_quote("\u{a0}\u{200b}"), r#""\u00a0\u200b""#);
        assert_eq!(go_quote("\u{F0000}"), r#""\U000f0000""#);
    }

    #[test]
    fn joins_and_pluralizes() {
        assert_eq!(join_quote(["a", "b"]), r#""a", "b""#);
        assert_eq!(join_quote(Vec::<&str>::new()), "");
        assert_eq!(setters(true, &["a"]), r#"pod and container "a""#);
        assert_eq!(setters(false, &["a", "a"]), r#"containers "a", "a""#);
        assert_eq!(sorted_set(["b", "a", "b"]), vec!["a", "b"]);
    }
}
