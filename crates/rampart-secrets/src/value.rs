//! The only type that holds a credential's text once it has been found.
//!
//! `Debug` and `Display` print `<redacted>`, the memory is wiped on drop, and the public surface
//! offers only the length, a salted fingerprint and a containment test: nothing can format or
//! leak the value by accident, not even a panic message that debug-prints a finding.

use std::fmt;

use zeroize::Zeroizing;

use crate::fingerprint::Salt;

/// A secret value, zeroed on drop and never printable.
#[derive(Clone, PartialEq, Eq)]
pub struct SecretValue(Zeroizing<String>);

impl SecretValue {
    pub(crate) fn new(text: &str) -> Self {
        Self(Zeroizing::new(text.to_string()))
    }

    /// Length in characters.
    pub fn len(&self) -> usize {
        self.0.chars().count()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// `hmac-sha256:` and the first 16 hex digits of HMAC-SHA256(salt, value).
    pub fn fingerprint(&self, salt: &Salt) -> String {
        salt.fingerprint(self.0.as_bytes())
    }

    /// True when `haystack` contains the value or any run of more than `max_run` of its
    /// characters. Used by tests and by the output guard; it never reveals which part matched.
    pub fn leaks_into(&self, haystack: &str, max_run: usize) -> bool {
        let chars: Vec<char> = self.0.chars().collect();
        let window = max_run + 1;
        if chars.len() < window {
            return !chars.is_empty() && haystack.contains(self.0.as_str());
        }
        let mut buf = Zeroizing::new(String::new());
        chars.windows(window).any(|w| {
            buf.clear();
            buf.extend(w.iter());
            haystack.contains(buf.as_str())
        })
    }

    /// The text, for detectors and locators inside this crate only.
    pub(crate) fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for SecretValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

impl fmt::Display for SecretValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn never_prints_its_value() {
        let v = SecretValue::new("Tr0ub4dor&3-very-secret");
        assert_eq!(format!("{v:?} {v}"), "<redacted> <redacted>");
        assert_eq!(v.len(), 23);
    }

    #[test]
    fn detects_leaked_runs() {
        let v = SecretValue::new("abcdefghij");
        assert!(v.leaks_into("xx cdefg yy", 4));
        assert!(!v.leaks_into("xx cdef yy", 4));
        assert!(SecretValue::new("abc").leaks_into("zabcz", 4));
    }
}
