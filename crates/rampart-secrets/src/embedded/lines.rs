//! Line formats: properties, dotenv, INI, `.npmrc`, `.netrc`, `.pgpass`, and the single-line
//! connection-string and URL-query forms.

use super::Pair;

fn unquote(v: &str) -> &str {
    let v = v.trim();
    for q in ['"', '\''] {
        if v.len() >= 2 && v.starts_with(q) && v.ends_with(q) {
            return &v[1..v.len() - 1];
        }
    }
    v
}

/// Drops a ` # comment` after an unquoted value (dotenv, INI).
fn strip_comment(v: &str) -> &str {
    let t = v.trim();
    if t.starts_with('"') || t.starts_with('\'') {
        return t;
    }
    match t.find(" #").or_else(|| t.find("\t#")) {
        Some(i) => t[..i].trim_end(),
        None => t,
    }
}

/// `k=v`, `k = v`, `export K=v`, `k: v`, INI sections (`[default]` prefixes its keys).
pub fn key_values(text: &str) -> Vec<Pair> {
    let mut out = Vec::new();
    let mut section = String::new();
    for line in text.lines() {
        let t = line.trim();
        if t.is_empty() || t.starts_with('#') || t.starts_with(';') || t.starts_with('!') {
            continue;
        }
        if t.starts_with('[') && t.ends_with(']') && !t.contains('=') {
            section = t[1..t.len() - 1].trim().to_string();
            continue;
        }
        let t = t.strip_prefix("export ").unwrap_or(t).trim_start();
        let split = match (t.find('='), t.find(": ")) {
            (Some(e), Some(c)) if c < e => Some((c, 2)),
            (Some(e), _) => Some((e, 1)),
            (None, Some(c)) => Some((c, 2)),
            (None, None) => t.strip_suffix(':').map(|_| (t.len() - 1, 1)),
        };
        let Some((at, width)) = split else { continue };
        let key = t[..at].trim();
        if key.is_empty() || key.contains(char::is_whitespace) {
            continue;
        }
        let value = unquote(strip_comment(&t[at + width..]));
        if value.is_empty() {
            continue;
        }
        let inner = if section.is_empty() {
            key.to_string()
        } else {
            format!("{section}.{key}")
        };
        out.push(Pair::new(inner, key, value));
    }
    out
}

/// `.netrc`: `machine HOST login USER password PASS`, on one line or several.
pub fn netrc(text: &str) -> Vec<Pair> {
    let words: Vec<&str> = text.split_whitespace().collect();
    let mut out = Vec::new();
    let mut machine = String::from("default");
    let mut i = 0;
    while i + 1 < words.len() {
        match words[i] {
            "machine" => {
                machine = words[i + 1].to_string();
                i += 2;
            }
            "password" | "account" => {
                out.push(Pair::new(
                    format!("machine {machine}"),
                    "password",
                    words[i + 1],
                ));
                i += 2;
            }
            "login" | "port" | "protocol" => i += 2,
            _ => i += 1,
        }
    }
    out
}

pub fn looks_like_netrc(text: &str) -> bool {
    text.trim_start().starts_with("machine ") && text.contains(" password ")
}

/// `.pgpass`: `host:port:database:user:password` (with `\:` escapes).
pub fn pgpass(text: &str) -> Vec<Pair> {
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let t = line.trim();
        if t.is_empty() || t.starts_with('#') {
            continue;
        }
        let mut fields = Vec::new();
        let mut cur = String::new();
        let mut chars = t.chars();
        while let Some(c) = chars.next() {
            match c {
                '\\' => cur.extend(chars.next()),
                ':' if fields.len() < 4 => fields.push(std::mem::take(&mut cur)),
                _ => cur.push(c),
            }
        }
        if fields.len() == 4 && !cur.is_empty() {
            out.push(Pair::new(format!("line {}", n + 1), "password", &cur));
        }
    }
    out
}

/// Query parameters of a URL (`?access_token=…&apikey=…`); they count as keys (§5.3).
pub fn url_query(text: &str) -> Option<Vec<Pair>> {
    let t = text.trim();
    let scheme = t.find("://")?;
    let q = t[scheme..].find('?')? + scheme;
    let query = t[q + 1..].split('#').next().unwrap_or("");
    let pairs: Vec<Pair> = query
        .split('&')
        .filter_map(|kv| kv.split_once('='))
        .filter(|(k, v)| !k.is_empty() && !v.is_empty())
        .map(|(k, v)| Pair::new(format!("?{k}"), k, v))
        .collect();
    (!pairs.is_empty()).then_some(pairs)
}

/// `Server=…;User Id=…;Password=…;` (ADO.NET, JDBC-style, Azure): at least two `k=v` parts.
pub fn connection_string(text: &str) -> Option<Vec<Pair>> {
    let t = text.trim();
    if !t.contains(';') || t.contains('\n') {
        return None;
    }
    let parts: Vec<(&str, &str)> = t
        .split(';')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .filter_map(|p| p.split_once('='))
        .collect();
    if parts.len() < 2
        || parts
            .iter()
            .any(|(k, _)| k.trim().is_empty() || k.contains("://"))
    {
        return None;
    }
    Some(
        parts
            .into_iter()
            .map(|(k, v)| Pair::new(k.trim(), k.trim(), unquote(v)))
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn netrc_and_pgpass() {
        let p = netrc("machine git.example.com login ci password Hk7vQ2xLm9\n");
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].inner, "machine git.example.com");
        let p = pgpass("db:5432:app:app:Hk7\\:vQ2x\n");
        assert_eq!(p[0].value.as_str(), "Hk7:vQ2x");
    }

    #[test]
    fn ini_sections_and_npmrc() {
        let p = key_values("[default]\naws_secret_access_key = abc\n");
        assert_eq!(p[0].inner, "default.aws_secret_access_key");
        let p = key_values("//registry.npmjs.org/:_authToken=abc\n_auth=xyz\n");
        assert_eq!(p[0].key, "//registry.npmjs.org/:_authToken");
        assert_eq!(p[1].key, "_auth");
    }
}
