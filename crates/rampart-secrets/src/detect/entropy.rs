//! Shannon entropy and the shape tests of the keyword and entropy rules (§5.3, §5.4).

/// `H = −Σ p(c)·log2 p(c)` over the characters of `s`, in bits per character.
pub fn shannon(s: &str) -> f64 {
    let mut counts = [0u32; 256];
    let mut other = std::collections::HashMap::new();
    let mut n = 0u32;
    for c in s.chars() {
        n += 1;
        match u8::try_from(c) {
            Ok(b) => counts[usize::from(b)] += 1,
            Err(_) => *other.entry(c).or_insert(0u32) += 1,
        }
    }
    if n == 0 {
        return 0.0;
    }
    let total = f64::from(n);
    counts
        .iter()
        .chain(other.values())
        .filter(|&&k| k > 0)
        .map(|&k| {
            let p = f64::from(k) / total;
            -p * p.log2()
        })
        .sum()
}

/// Keyword rule, condition 4: at least 8 characters and (entropy ≥ 3.5 or three of the four
/// classes lower/upper/digit/symbol). Prose (three or more words) never qualifies.
pub fn credential_shaped(v: &str) -> bool {
    if v.chars().count() < 8 || v.split_whitespace().count() >= 3 {
        return false;
    }
    let classes = [
        v.chars().any(char::is_lowercase),
        v.chars().any(char::is_uppercase),
        v.chars().any(|c| c.is_ascii_digit()),
        v.chars().any(|c| !c.is_alphanumeric()),
    ]
    .iter()
    .filter(|&&b| b)
    .count();
    (shannon(v) >= 3.5 || classes >= 3) && !name_like(v)
}

/// `postgres-credentials`, `redis-auth-v2`: lower-case words joined by separators name an
/// object (a Secret, a Vault role), they are not generated credentials.
fn name_like(v: &str) -> bool {
    let ok_chars = v
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '-' | '.' | '_'));
    let digits = v.chars().filter(char::is_ascii_digit).count();
    ok_chars
        && v.starts_with(|c: char| c.is_ascii_lowercase())
        && v.contains(['-', '.', '_'])
        && digits * 5 <= v.len()
        && v.split(['-', '.', '_']).all(|w| w.len() >= 2)
}

/// Entropy rule candidate and verdict (§5.4): a single base64-alphabet token of 20–1024
/// characters with H ≥ 4.5, or a hex token of at least 32 characters with H ≥ 3.0 (all-digit
/// values are damped by `1.2 / log2(len)` as detect-secrets does).
pub fn high_entropy(v: &str) -> bool {
    let len = v.len();
    if !(20..=1024).contains(&len) {
        return false;
    }
    let hex = v.bytes().all(|b| b.is_ascii_hexdigit());
    if hex {
        if len < 32 {
            return false;
        }
        let mut h = shannon(v);
        if v.bytes().all(|b| b.is_ascii_digit()) {
            #[allow(clippy::cast_precision_loss)]
            let damp = 1.2 / (len as f64).log2();
            h -= damp;
        }
        return h >= 3.0;
    }
    let b64 = v
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'=' | b'-' | b'_'));
    b64 && shannon(v) >= 4.5
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entropy_values() {
        assert!((shannon("aaaa") - 0.0).abs() < 1e-9);
        assert!((shannon("ab") - 1.0).abs() < 1e-9);
    }

    #[test]
    fn shapes() {
        assert!(credential_shaped("Tr0ub4dor&3"));
        assert!(!credential_shaped("vault-db"));
        assert!(!credential_shaped("admin123"));
        assert!(!credential_shaped("postgres-credentials"));
        assert!(credential_shaped("4z4u2HTvazdvXg#1Is"));
        assert!(high_entropy("vgM+TxlKsIA5MOD9wO1NI5uywLC9TGfqToQJQEVs2otc"));
        assert!(!high_entropy("registry.example.com/app"));
        assert!(high_entropy(
            "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
        ));
        assert!(!high_entropy("00000000000000000000000000000000"));
    }
}
