//! Detection primitives: token formats, placeholders, key words, entropy, nested PEM.

pub mod entropy;
pub mod keyword;
pub mod placeholder;
pub mod tokens;

use base64::Engine as _;
use zeroize::Zeroizing;

pub use tokens::TokenHit;

/// Base64 of `-----BEGIN`: a PEM block encoded once more (kubeconfig `client-key-data`, Helm
/// values, caBundles).
pub const B64_PEM: &str = "LS0tLS1CRUdJT";

/// Decodes standard or URL-safe base64, ignoring whitespace and missing padding.
pub fn decode_base64(s: &str) -> Option<Zeroizing<Vec<u8>>> {
    use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE_NO_PAD};
    let compact: Zeroizing<String> =
        Zeroizing::new(s.chars().filter(|c| !c.is_whitespace()).collect());
    let trimmed = compact.trim_end_matches('=');
    STANDARD
        .decode(compact.as_bytes())
        .or_else(|_| STANDARD_NO_PAD.decode(trimmed.as_bytes()))
        .or_else(|_| URL_SAFE_NO_PAD.decode(trimmed.as_bytes()))
        .ok()
        .map(Zeroizing::new)
}

/// Decodes base64 to UTF-8 text.
pub fn decode_base64_text(s: &str) -> Option<Zeroizing<String>> {
    let bytes = decode_base64(s)?;
    std::str::from_utf8(&bytes)
        .ok()
        .map(|t| Zeroizing::new(t.to_string()))
}

/// Token hits in `text`, plus private keys hidden in base64-encoded PEM runs (reported over the
/// encoded run's range).
pub fn find_tokens(text: &str) -> Vec<TokenHit> {
    let mut hits = tokens::find(text);
    let mut from = 0;
    while let Some(i) = text.get(from..).and_then(|t| t.find(B64_PEM)) {
        let start = from + i;
        let end = text[start..]
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '+' || c == '/' || c == '='))
            .map_or(text.len(), |j| start + j);
        from = end.max(start + 1);
        if hits.iter().any(|h| h.start < end && start < h.end) {
            continue;
        }
        if let Some(decoded) = decode_base64_text(&text[start..end]) {
            if let Some(h) = tokens::find(&decoded)
                .into_iter()
                .find(|h| h.family == crate::family::Family::PrivateKey)
            {
                hits.push(TokenHit { start, end, ..h });
            }
        }
    }
    hits.sort_by_key(|h| h.start);
    hits
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_variants() {
        assert_eq!(
            decode_base64_text("Y2hhbmdlbWU=")
                .as_deref()
                .map(String::as_str),
            Some("changeme")
        );
        assert_eq!(
            decode_base64_text("Y2hhbmdlbWU")
                .as_deref()
                .map(String::as_str),
            Some("changeme")
        );
        assert_eq!(
            decode_base64_text("Y2hh\n bmdlbWU=")
                .as_deref()
                .map(String::as_str),
            Some("changeme")
        );
        assert!(decode_base64("not base64!").is_none());
    }
}
