//! Splitting command lines into words, as a shell (and systemd) would for the simple forms
//! found in unit files, environment files and `sh -c` scripts: whitespace separates words,
//! `'…'` and `"…"` group them, a backslash escapes the next character outside single quotes.

/// Splits `text` into words.
pub fn split(text: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut cur = String::new();
    let mut in_word = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                in_word = true;
                for q in chars.by_ref() {
                    if q == '\'' {
                        break;
                    }
                    cur.push(q);
                }
            }
            '"' => {
                in_word = true;
                while let Some(q) = chars.next() {
                    match q {
                        '"' => break,
                        '\\' => {
                            if let Some(n) = chars.next() {
                                cur.push(n);
                            }
                        }
                        _ => cur.push(q),
                    }
                }
            }
            '\\' => {
                if let Some(n) = chars.next() {
                    // A backslash-newline is a line continuation, not a character.
                    if n != '\n' {
                        in_word = true;
                        cur.push(n);
                    }
                }
            }
            c if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut cur));
                    in_word = false;
                }
            }
            _ => {
                in_word = true;
                cur.push(c);
            }
        }
    }
    if in_word {
        words.push(cur);
    }
    words
}

/// Removes one level of matching outer quotes from a value (`"a b"` → `a b`).
pub fn unquote(value: &str) -> String {
    let v = value.trim();
    if v.len() >= 2
        && ((v.starts_with('"') && v.ends_with('"')) || (v.starts_with('\'') && v.ends_with('\'')))
    {
        let inner = &v[1..v.len() - 1];
        if v.starts_with('"') {
            return inner.replace("\\\"", "\"").replace("\\\\", "\\");
        }
        return inner.to_string();
    }
    v.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_quotes_and_escapes() {
        assert_eq!(
            split(r#"a "b c" 'd e'  f\ g"#),
            vec!["a", "b c", "d e", "f g"]
        );
        assert_eq!(split("--x=\"1,2\" --y"), vec!["--x=1,2", "--y"]);
        assert_eq!(split(""), Vec::<String>::new());
        assert_eq!(split("\"\""), vec![""]);
        assert_eq!(split("a \\\n b"), vec!["a", "b"]);
    }

    #[test]
    fn unquotes_values() {
        assert_eq!(unquote("\"--a=1 --b\""), "--a=1 --b");
        assert_eq!(unquote("'x'"), "x");
        assert_eq!(unquote("plain"), "plain");
        assert_eq!(unquote("\""), "\"");
    }
}
