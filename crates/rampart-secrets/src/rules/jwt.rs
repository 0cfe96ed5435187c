//! `jwt`: JSON Web Tokens whose header and payload decode to JSON objects. Kubernetes
//! service-account tokens are critical.

use base64::Engine as _;
use rampart_model::{Category, RuleMeta, Severity};

use crate::family::{Family, Pattern, Verdict};

pub static META: RuleMeta = RuleMeta {
    id: "RMP5013",
    name: "jwt",
    title: "JSON Web Token",
    severity: Severity::High,
    category: Category::Secrets,
    mitre: &["T1528", "T1552.001"],
    what: "Finds JSON Web Tokens (optionally after a bearer prefix) whose header and payload decode to JSON objects. Kubernetes service-account tokens are reported as critical.",
    why: "A bearer token is a credential until it expires, and many never do: a leaked service-account token is an API-server login with that account's permissions.",
    fix: "Revoke the token (delete its Secret or rotate the signing key), remove it from the manifest and git history, and use projected service-account tokens with an audience and a short expiry, or fetch tokens at runtime.",
    example: "env:\n  - name: UPSTREAM_AUTH\n    value: \"Bearer <header>.<payload>.<signature>\"\n",
    references: &[
        "https://datatracker.ietf.org/doc/html/rfc7519",
        "https://kubernetes.io/docs/concepts/security/service-accounts/#get-a-token",
    ],
};

fn decode_segment(seg: &str) -> Option<serde_json::Value> {
    let engine = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let bytes = engine.decode(seg.trim_end_matches('=')).ok()?;
    let v: serde_json::Value = serde_json::from_slice(&bytes).ok()?;
    v.is_object().then_some(v)
}

fn service_account(payload: &serde_json::Value) -> bool {
    payload.get("iss").and_then(|v| v.as_str()) == Some("kubernetes/serviceaccount")
        || payload.get("kubernetes.io").is_some()
        || payload.as_object().is_some_and(|o| {
            o.keys()
                .any(|k| k.starts_with("kubernetes.io/serviceaccount"))
        })
}

fn decodes(m: &str) -> Verdict {
    let mut parts = m.split('.');
    let (Some(h), Some(p)) = (parts.next(), parts.next()) else {
        return Verdict::Reject;
    };
    match (decode_segment(h), decode_segment(p)) {
        (Some(_), Some(payload)) if service_account(&payload) => {
            Verdict::Accept(Some(Severity::Critical))
        }
        (Some(_), Some(_)) => Verdict::Accept(None),
        _ => Verdict::Reject,
    }
}

pub static PATTERNS: &[Pattern] = &[Pattern {
    family: Family::Jwt,
    literals: &["eyJ"],
    regex: r"eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]*",
    left_boundary: true,
    right_boundary: true,
    validate: decodes,
}];

#[cfg(test)]
mod tests {
    use super::*;

    fn b64(s: &str) -> String {
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s)
    }

    #[test]
    fn header_and_payload_must_be_json_objects() {
        let t = format!(
            "{}.{}.c2ln",
            b64(r#"{"alg":"HS256"}"#),
            b64(r#"{"sub":"x"}"#)
        );
        assert_eq!(decodes(&t), Verdict::Accept(None));
        let sa = format!(
            "{}.{}.c2ln",
            b64(r#"{"alg":"RS256"}"#),
            b64(r#"{"iss":"kubernetes/serviceaccount"}"#)
        );
        assert_eq!(decodes(&sa), Verdict::Accept(Some(Severity::Critical)));
        let bad = format!("{}.{}.c2ln", b64(r#"{"alg":"HS256"}"#), b64("[1,2,3]"));
        assert_eq!(decodes(&bad), Verdict::Reject);
    }
}
