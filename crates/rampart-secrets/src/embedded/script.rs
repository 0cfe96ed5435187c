//! Command lines and shell scripts: `--flag=value`, `--flag value`, `NAME=value`,
//! `export NAME=value`, and HTTP headers passed to curl-like tools.

use super::Pair;

/// An argv item that is a script or a command line rather than one argument.
pub fn is_script(s: &str) -> bool {
    s.contains('\n') || s.split_whitespace().nth(1).is_some()
}

/// `--api-token` → `api-token`.
fn flag_name(f: &str) -> &str {
    f.trim_start_matches('-')
}

/// `NAME=value` where NAME is an identifier.
fn assignment(s: &str) -> Option<(&str, &str)> {
    let (k, v) = s.split_once('=')?;
    let ident = !k.is_empty()
        && k.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && k.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.');
    ident.then_some((k, v))
}

/// `Authorization: Bearer x` → (`Authorization`, `Bearer x`).
fn header(s: &str) -> Option<(&str, &str)> {
    let (k, v) = s.split_once(": ")?;
    (!k.is_empty() && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
        .then_some((k, v.trim()))
}

/// Pairs in an argument vector. Items are returned with their index so the caller can place
/// each pair on its own item.
pub fn argv_pairs(items: &[&str]) -> Vec<(usize, Pair)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < items.len() {
        let s = items[i];
        if s.starts_with('-') && s.len() > 1 {
            if let Some((flag, value)) = s.split_once('=') {
                let key = flag_name(flag);
                out.push((i, Pair::new(format!("{key}="), key, value)));
            } else if let Some(next) = items.get(i + 1).filter(|n| !n.starts_with('-')) {
                let key = flag_name(s);
                let (key, value) = header(next).unwrap_or((key, next));
                out.push((i + 1, Pair::new(key.to_string(), key, value)));
                i += 1;
            }
        } else if let Some((k, v)) = assignment(s) {
            out.push((i, Pair::new(k.to_string(), k, v)));
        }
        i += 1;
    }
    out
}

/// Splits shell text into words: whitespace and `;`, `&`, `|`, `(`, `)` separate words outside
/// quotes; quotes are removed.
fn shell_words(text: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut cur = String::new();
    let mut quote: Option<char> = None;
    let mut in_word = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match quote {
            Some(q) if c == q => quote = None,
            Some('"') if c == '\\' => {
                if let Some(n) = chars.next() {
                    cur.push(n);
                }
            }
            Some(_) => cur.push(c),
            None => match c {
                '"' | '\'' => {
                    quote = Some(c);
                    in_word = true;
                }
                '\\' => {
                    if let Some(n) = chars.next() {
                        if n != '\n' {
                            cur.push(n);
                            in_word = true;
                        }
                    }
                }
                c if c.is_whitespace() || matches!(c, ';' | '&' | '|' | '(' | ')' | '`') => {
                    if in_word {
                        words.push(std::mem::take(&mut cur));
                        in_word = false;
                    }
                }
                _ => {
                    cur.push(c);
                    in_word = true;
                }
            },
        }
    }
    if in_word {
        words.push(cur);
    }
    words
}

/// Pairs in a shell script (`sh -c` bodies, multi-word arguments).
pub fn script_pairs(text: &str) -> Vec<Pair> {
    let words = shell_words(text);
    let items: Vec<&str> = words
        .iter()
        .map(String::as_str)
        .filter(|w| *w != "export")
        .collect();
    argv_pairs(&items).into_iter().map(|(_, p)| p).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn argv_forms() {
        let p = argv_pairs(&[
            "/bin/app",
            "--api-token",
            "glpat-x",
            "--interval",
            "10m",
            "--password=pw",
            "DB_PASS=x",
        ]);
        let keys: Vec<&str> = p.iter().map(|(_, p)| p.key.as_str()).collect();
        assert_eq!(keys, ["api-token", "interval", "password", "DB_PASS"]);
        assert_eq!(p[0].0, 2);
    }

    #[test]
    fn scripts() {
        let p = script_pairs("export PGPASSWORD='Hk7 vQ'; psql -h db && curl -H \"Authorization: Bearer abc\" https://x");
        assert_eq!(p[0].key, "PGPASSWORD");
        assert_eq!(p[0].value.as_str(), "Hk7 vQ");
        assert!(p
            .iter()
            .any(|p| p.key == "Authorization" && p.value.as_str() == "Bearer abc"));
    }
}
