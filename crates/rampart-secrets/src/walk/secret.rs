//! Secret `data`/`stringData` (§3) and ConfigMap `binaryData`: values are decoded, a specific
//! family wins, otherwise a concrete value in a Secret is `secret-in-git`.

use rampart_model::JsonPath;
use serde_json::Value;
use zeroize::Zeroizing;

use crate::detect::{decode_base64, find_tokens, placeholder};
use crate::family::Family;
use crate::locate::Spot;
use crate::rules::{aws, bootstrap_token, docker_config, secret_in_git};

use super::{At, Mode, Step, Walker};

const DOCKER_TYPES: &[&str] = &["kubernetes.io/dockerconfigjson", "kubernetes.io/dockercfg"];
const DOCKER_KEYS: &[&str] = &[".dockerconfigjson", ".dockercfg"];

/// A decoded entry: UTF-8 text, or lossy text of binary data.
fn decode(raw: &str) -> Option<Zeroizing<String>> {
    let bytes = decode_base64(raw)?;
    Some(Zeroizing::new(String::from_utf8_lossy(&bytes).into_owned()))
}

impl Walker {
    pub(super) fn secret_entries(
        &mut self,
        secret: &Value,
        entries: &Value,
        path: &JsonPath,
        encoded: bool,
    ) {
        let Some(map) = entries.as_object() else {
            return;
        };
        let ty = secret
            .get("type")
            .and_then(Value::as_str)
            .unwrap_or("Opaque");
        for (k, v) in map {
            let Some(raw) = v.as_str() else { continue };
            // Templates (`{{ … }}`) are placeholders before and after decoding.
            if placeholder::is_placeholder(raw) {
                continue;
            }
            let decoded = if encoded { decode(raw) } else { None };
            let text: &str = decoded.as_deref().map_or(raw, String::as_str);
            let mut at = At::child(path, Step::Key(k));
            if decoded.is_some() {
                at.encoding = Some("base64");
            }
            self.secret_entry(&at, k, text, DOCKER_TYPES.contains(&ty));
        }
    }

    fn secret_entry(&mut self, at: &At, key: &str, text: &str, docker_type: bool) {
        let tokens = find_tokens(text);
        if !tokens.is_empty() {
            self.push_tokens(at, key, text, &tokens);
            return;
        }
        if docker_type || DOCKER_KEYS.contains(&key) {
            if let Ok(json) = serde_json::from_str::<Value>(text) {
                if docker_config::looks_like_docker_config(&json) {
                    // Only placeholders left means a template pull Secret: nothing to report.
                    let creds = docker_config::credentials(&json);
                    if !creds.is_empty() {
                        self.docker(at, key, &creds, &Spot::Start);
                    }
                    return;
                }
            }
        }
        let v = text.trim();
        if bootstrap_token::whole_value(key, v) {
            self.push(at, Family::BootstrapToken, key, v, Spot::Start);
            return;
        }
        let in_git = secret_in_git::matches(key, text).then_some(Family::SecretInGit);
        if aws::secret_key_shape(v) {
            if aws::secret_key_name(key) {
                self.push(at, Family::AwsSecretKey, key, v, Spot::Start);
            } else {
                let hit = self.make(at, Family::AwsSecretKey, key, v, Spot::Start);
                self.pending_aws.push((hit, in_git));
            }
            return;
        }
        if let Some(f) = in_git {
            self.push(at, f, key, text, Spot::Start);
        }
    }

    /// ConfigMap `binaryData`: decoded, then judged like `data` (every hit at the entry).
    pub(super) fn binary_entries(&mut self, entries: &Value, path: &JsonPath) {
        let Some(map) = entries.as_object() else {
            return;
        };
        for (k, v) in map {
            let Some(raw) = v.as_str() else { continue };
            let Some(text) = decode(raw) else {
                self.evaluate(&At::child(path, Step::Key(k)), k, raw, Mode::TokensOnly, 0);
                continue;
            };
            let mut at = At::child(path, Step::Key(k));
            at.encoding = Some("base64");
            self.evaluate(&at, k, &text, Mode::Full, 0);
        }
    }
}
