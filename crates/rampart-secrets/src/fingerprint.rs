//! Salted fingerprints, so a finding can be tracked across runs without storing its value.
//!
//! `hmac-sha256(salt, value)` truncated to 16 hex digits. The salt comes from the user
//! (`--fingerprint-salt`, `RAMPART_FINGERPRINT_SALT`); without one, [`DEFAULT_SALT`] keeps
//! outputs reproducible. A published salt lets anyone confirm a guessed value against a
//! fingerprint, so teams that keep baselines should set their own.

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;
use zeroize::Zeroizing;

/// The documented default salt (see `docs/secrets.md`).
pub const DEFAULT_SALT: &str = "rampart-secrets-fingerprint-v1";

/// The key of the fingerprint HMAC.
#[derive(Clone)]
pub struct Salt(Zeroizing<Vec<u8>>);

impl Salt {
    pub fn new(salt: &[u8]) -> Self {
        Self(Zeroizing::new(salt.to_vec()))
    }

    pub(crate) fn fingerprint(&self, value: &[u8]) -> String {
        // HMAC accepts keys of any length, so this never fails; an empty MAC is a safe fallback.
        let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(&self.0) else {
            return String::from("hmac-sha256:");
        };
        mac.update(value);
        let digest = mac.finalize().into_bytes();
        let mut out = String::from("hmac-sha256:");
        for b in digest.iter().take(8) {
            out.push_str(&format!("{b:02x}"));
        }
        out
    }
}

impl Default for Salt {
    fn default() -> Self {
        Self::new(DEFAULT_SALT.as_bytes())
    }
}

impl std::fmt::Debug for Salt {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Salt(<redacted>)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_rfc4231_vector() {
        // RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?".
        let fp = Salt::new(b"Jefe").fingerprint(b"what do ya want for nothing?");
        assert_eq!(fp, "hmac-sha256:5bdcc146bf60754e");
    }

    #[test]
    fn salt_changes_the_fingerprint() {
        let a = Salt::new(b"a").fingerprint(b"v");
        let b = Salt::new(b"b").fingerprint(b"v");
        assert_ne!(a, b);
        assert_eq!(a.len(), "hmac-sha256:".len() + 16);
    }
}
