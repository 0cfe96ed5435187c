//! The token-format engine: one Aho-Corasick automaton over every pattern's literals decides
//! which regular expressions run at all (`secrets.md` §8); most strings never reach a regex.

use std::sync::LazyLock;

use aho_corasick::AhoCorasick;
use rampart_model::Severity;
use regex::Regex;

use crate::family::{Family, Pattern, Verdict};
use crate::rules;

/// A token found in a text: byte range, family and an optional severity override.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenHit {
    pub family: Family,
    pub start: usize,
    pub end: usize,
    pub severity: Option<Severity>,
}

struct Engine {
    patterns: Vec<&'static Pattern>,
    regexes: Vec<Regex>,
    prefilter: AhoCorasick,
    /// Literal index → pattern index.
    literal_owner: Vec<usize>,
}

fn all_patterns() -> Vec<&'static Pattern> {
    [
        rules::private_key::PATTERNS,
        rules::aws::PATTERNS,
        rules::github::PATTERNS,
        rules::gitlab::PATTERNS,
        rules::slack::PATTERNS,
        rules::stripe::PATTERNS,
        rules::google::PATTERNS,
        rules::azure::PATTERNS,
        rules::npm::PATTERNS,
        rules::sendgrid::PATTERNS,
        rules::jwt::PATTERNS,
        rules::basic_auth_url::PATTERNS,
        rules::openai::PATTERNS,
        rules::anthropic::PATTERNS,
        rules::vault::PATTERNS,
        rules::terraform::PATTERNS,
        rules::digitalocean::PATTERNS,
        rules::huggingface::PATTERNS,
        rules::pypi::PATTERNS,
        rules::twilio::PATTERNS,
        rules::mailchimp::PATTERNS,
        rules::telegram::PATTERNS,
        rules::age::PATTERNS,
        rules::bootstrap_token::PATTERNS,
    ]
    .into_iter()
    .flatten()
    .collect()
}

static ENGINE: LazyLock<Option<Engine>> = LazyLock::new(|| {
    let patterns = all_patterns();
    let mut literals = Vec::new();
    let mut literal_owner = Vec::new();
    let mut regexes = Vec::new();
    for (i, p) in patterns.iter().enumerate() {
        for l in p.literals {
            literals.push(*l);
            literal_owner.push(i);
        }
        // The patterns are constants checked by this crate's tests; a bad one disables the
        // engine rather than panicking in a user's scan.
        regexes.push(Regex::new(p.regex).ok()?);
    }
    let prefilter = AhoCorasick::new(&literals).ok()?;
    Some(Engine {
        patterns,
        regexes,
        prefilter,
        literal_owner,
    })
});

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// Every token in `text`, overlaps resolved by precedence (a token inside a URL wins over the
/// URL), in text order.
pub fn find(text: &str) -> Vec<TokenHit> {
    let Some(engine) = ENGINE.as_ref() else {
        return Vec::new();
    };
    let mut wanted = vec![false; engine.patterns.len()];
    let mut any = false;
    for m in engine.prefilter.find_overlapping_iter(text) {
        wanted[engine.literal_owner[m.pattern().as_usize()]] = true;
        any = true;
    }
    if !any {
        return Vec::new();
    }
    let bytes = text.as_bytes();
    let mut hits = Vec::new();
    for (i, p) in engine.patterns.iter().enumerate() {
        if !wanted[i] {
            continue;
        }
        for m in matches(&engine.regexes[i], text) {
            if p.left_boundary && m.start > 0 && is_word_byte(bytes[m.start - 1]) {
                continue;
            }
            if p.right_boundary && bytes.get(m.end).is_some_and(u8::is_ascii_alphanumeric) {
                continue;
            }
            if let Verdict::Accept(severity) = (p.validate)(&text[m.clone()]) {
                hits.push(TokenHit {
                    family: p.family,
                    start: m.start,
                    end: m.end,
                    severity,
                });
            }
        }
    }
    resolve_overlaps(hits)
}

/// Byte ranges of the matches of `re` in `text`: the whole match, or its first capture group
/// when the pattern has one (the token after a context such as `--token `).
fn matches(re: &Regex, text: &str) -> Vec<std::ops::Range<usize>> {
    if re.captures_len() > 1 {
        re.captures_iter(text)
            .filter_map(|c| c.get(1))
            .map(|m| m.range())
            .collect()
    } else {
        re.find_iter(text).map(|m| m.range()).collect()
    }
}

/// Keeps, among overlapping hits, the most specific family (then the longest match).
fn resolve_overlaps(mut hits: Vec<TokenHit>) -> Vec<TokenHit> {
    hits.sort_by_key(|h| (h.family.rank(), std::cmp::Reverse(h.end - h.start), h.start));
    let mut kept: Vec<TokenHit> = Vec::new();
    for h in hits {
        if !kept.iter().any(|k| h.start < k.end && k.start < h.end) {
            kept.push(h);
        }
    }
    kept.sort_by_key(|h| h.start);
    kept
}

/// True when the engine compiled (tests assert it).
#[cfg(test)]
pub fn engine_ready() -> bool {
    ENGINE.is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_pattern_compiles() {
        assert!(engine_ready());
        // At most one capture group: the reported part of the match.
        for p in all_patterns() {
            assert!(
                Regex::new(p.regex).unwrap().captures_len() <= 2,
                "{}",
                p.regex
            );
            assert!(!p.literals.is_empty(), "{}", p.regex);
        }
    }

    #[test]
    fn token_in_url_wins_over_the_url() {
        let t = "https://flux:glpat-SkiGOHE1xxqry9dpufaH@gitlab.example.com/x.git";
        let hits = find(t);
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].family, Family::GitlabToken);
    }

    #[test]
    fn boundaries_are_respected() {
        assert!(find("XAKIAAU4PCZL6HT4DTCBS").is_empty());
        assert!(find("AKIAAU4PCZL6HT4DTCBSX").is_empty());
        assert_eq!(find("key=AKIAAU4PCZL6HT4DTCBS;").len(), 1);
        assert!(find("AKIAIOSFODNN7EXAMPLE").is_empty());
    }
}
