//! Judging one string: token formats anywhere in it, then either its nested values (embedded
//! formats) or the whole value (aws-secret-key, keyword and entropy rules).

use crate::detect::{decode_base64_text, find_tokens, TokenHit};
use crate::embedded;
use crate::family::Family;
use crate::hit::Hit;
use crate::locate::Spot;
use crate::rules::docker_config::DockerCredential;
use crate::rules::{aws, bootstrap_token, generic_password, high_entropy};
use crate::value::SecretValue;

use super::{At, Mode, Walker};

/// Embedded formats nest (YAML in JSON in a ConfigMap value); deeper levels are not parsed.
const MAX_NESTING: u8 = 3;

impl Walker {
    pub(super) fn push(&mut self, at: &At, family: Family, key: &str, value: &str, spot: Spot) {
        self.push_hit(Hit {
            family,
            severity: None,
            path: at.path(),
            inner: at.inner.clone(),
            key: (!key.is_empty()).then(|| key.to_string()),
            spot,
            value: SecretValue::new(value),
            encoding: at.encoding,
            detail: None,
        });
    }

    pub(super) fn push_hit(&mut self, hit: Hit) {
        self.hits.push(hit);
    }

    /// Where a whole-value hit of `value` goes.
    fn whole_spot(at: &At, value: &str) -> Spot {
        if at.part && at.encoding.is_none() {
            Spot::Needle(SecretValue::new(value))
        } else {
            Spot::Start
        }
    }

    pub(super) fn push_tokens(&mut self, at: &At, key: &str, text: &str, hits: &[TokenHit]) {
        for t in hits {
            let matched = &text[t.start..t.end];
            let spot = if at.encoding.is_some() {
                Spot::Start
            } else {
                Spot::Needle(SecretValue::new(matched))
            };
            self.push_hit(Hit {
                family: t.family,
                severity: t.severity,
                path: at.path(),
                inner: at.inner.clone(),
                key: (!key.is_empty()).then(|| key.to_string()),
                spot,
                value: SecretValue::new(matched),
                encoding: at.encoding,
                detail: None,
            });
        }
    }

    /// Judges `text`, a scalar (or a nested value at `nesting` > 0, whose tokens the enclosing
    /// text already reported).
    pub(super) fn evaluate(&mut self, at: &At, key: &str, text: &str, mode: Mode, nesting: u8) {
        let tokens = find_tokens(text);
        if nesting == 0 {
            self.push_tokens(at, key, text, &tokens);
        }
        if mode == Mode::TokensOnly {
            return;
        }
        let parsed = if nesting < MAX_NESTING {
            embedded::parse(key, text)
        } else {
            None
        };
        if let Some(parsed) = parsed {
            if let Some(creds) = parsed.docker {
                if tokens.is_empty() {
                    let spot = Self::whole_spot(at, text);
                    self.docker(at, key, &creds, &spot);
                }
                return;
            }
            for pair in &parsed.pairs {
                if claimed(text, &tokens, &pair.value) {
                    continue;
                }
                let nested = at.nested(&pair.inner);
                self.evaluate(&nested, &pair.key, &pair.value, mode, nesting + 1);
            }
            return;
        }
        let single_line = !text.trim().contains('\n');
        if single_line && text.trim().contains(char::is_whitespace) && text.contains('=') {
            // A command line in a value (`JAVA_OPTS`, `EXTRA_ARGS`): its flags and assignments.
            self.script_pairs(at, text, &tokens);
            return;
        }
        if tokens.is_empty() && single_line {
            self.whole(at, key, text);
        }
    }

    /// A value that is part of a larger scalar (`--flag=value`, `NAME=value`).
    pub(super) fn part(&mut self, at: &At, key: &str, full: &str, value: &str, mode: Mode) {
        let tokens = find_tokens(full);
        self.push_tokens(at, key, full, &tokens);
        if mode == Mode::Full && tokens.is_empty() {
            let at = At {
                part: true,
                ..at.clone()
            };
            self.whole(&at, key, value);
        }
    }

    /// A shell script or command line: tokens anywhere, then its assignments and flags.
    pub(super) fn script(&mut self, at: &At, text: &str, mode: Mode) {
        let tokens = find_tokens(text);
        self.push_tokens(at, "", text, &tokens);
        if mode == Mode::Full {
            self.script_pairs(at, text, &tokens);
        }
    }

    /// The whole-value rules over a command line's `--flag value` and `NAME=value` pairs.
    fn script_pairs(&mut self, at: &At, text: &str, tokens: &[TokenHit]) {
        for pair in embedded::script_pairs(text) {
            if claimed(text, tokens, &pair.value) {
                continue;
            }
            let nested = At {
                part: true,
                ..at.clone()
            };
            self.whole(&nested, &pair.key, &pair.value);
        }
    }

    /// The whole-value rules, most specific first: aws-secret-key, generic-password,
    /// high-entropy.
    pub(super) fn whole(&mut self, at: &At, key: &str, value: &str) {
        let v = value.trim();
        let fallback = if generic_password::matches(key, v) {
            Some(Family::GenericPassword)
        } else if high_entropy::matches(key, v) {
            Some(Family::HighEntropy)
        } else {
            None
        };
        let spot = Self::whole_spot(at, v);
        if bootstrap_token::whole_value(key, v) {
            self.push(at, Family::BootstrapToken, key, v, spot);
            return;
        }
        if aws::secret_key_shape(v) {
            if aws::secret_key_name(key) {
                self.push(at, Family::AwsSecretKey, key, v, spot);
            } else {
                let hit = self.make(at, Family::AwsSecretKey, key, v, spot);
                self.pending_aws.push((hit, fallback));
            }
            return;
        }
        if let Some(f) = fallback {
            self.push(at, f, key, v, spot);
        }
    }

    /// Registry credentials of a Docker config: a token format hidden in an `auth` string or a
    /// password is reported as that token; otherwise one `docker-config-auth` for the config.
    pub(super) fn docker(&mut self, at: &At, key: &str, creds: &[DockerCredential], spot: &Spot) {
        let mut plain = Vec::new();
        for c in creds {
            let decoded = decode_base64_text(&c.value);
            let text = decoded.as_deref().map_or(c.value.as_str(), String::as_str);
            let tokens = find_tokens(text);
            if tokens.is_empty() {
                plain.push(c.value.as_str());
            }
            for t in tokens {
                let mut hit = self.make(at, t.family, key, &text[t.start..t.end], spot.clone());
                hit.severity = t.severity;
                self.push_hit(hit);
            }
        }
        if !plain.is_empty() {
            let value: String = plain.concat();
            self.push(at, Family::DockerConfigAuth, key, &value, spot.clone());
        }
    }

    pub(super) fn make(&self, at: &At, family: Family, key: &str, value: &str, spot: Spot) -> Hit {
        Hit {
            family,
            severity: None,
            path: at.path(),
            inner: at.inner.clone(),
            key: (!key.is_empty()).then(|| key.to_string()),
            spot,
            value: SecretValue::new(value),
            encoding: at.encoding,
            detail: None,
        }
    }
}

/// A nested value that a token of the enclosing text covers (or that holds a token itself)
/// was already reported as that token.
fn claimed(text: &str, tokens: &[TokenHit], value: &str) -> bool {
    let v = value.trim();
    if v.is_empty() {
        return false;
    }
    tokens.iter().any(|t| {
        let m = &text[t.start..t.end];
        m.contains(v) || v.contains(m)
    }) || !find_tokens(v).is_empty()
}
