//! `docker-config-auth`: registry credentials in a `.dockerconfigjson` / `.dockercfg`.

use rampart_model::{Category, RuleMeta, Severity};
use serde_json::Value;

use crate::detect::{decode_base64_text, placeholder};

pub static META: RuleMeta = RuleMeta {
    id: "RMP5015",
    name: "docker-config-auth",
    title: "Registry credentials in a Docker config",
    severity: Severity::High,
    category: Category::Secrets,
    mitre: &["T1552.001", "T1525"],
    what: "Decodes Docker config JSON (image pull Secrets, ConfigMap copies of config.json) and reports registry entries that carry an auth string, a password or an identity token.",
    why: "Pull credentials often have push rights too: whoever holds them can replace your images with backdoored ones, and they rarely expire.",
    fix: "Rotate the registry credential, keep image pull Secrets out of git (create them in the cluster, or use External Secrets), and prefer node or workload identity for registry access (ECR, GAR and ACR support it).",
    example: "type: kubernetes.io/dockerconfigjson\ndata:\n  .dockerconfigjson: <base64 of {\"auths\": {\"registry.example.com\": {\"auth\": \"...\"}}}>\n",
    references: &["https://kubernetes.io/docs/concepts/configuration/secret/#docker-config-secrets"],
};

/// A credential found in a Docker config: the registry entry's path and the credential text.
#[derive(Debug)]
pub struct DockerCredential {
    pub path: String,
    pub value: String,
}

/// True when `json` has the shape of a Docker config (`auths`, or the legacy registry map).
pub fn looks_like_docker_config(json: &Value) -> bool {
    json.get("auths").is_some_and(Value::is_object)
        || json.as_object().is_some_and(|o| {
            !o.is_empty()
                && o.values().all(|v| {
                    v.is_object() && (v.get("auth").is_some() || v.get("password").is_some())
                })
        })
}

fn real(v: Option<&Value>) -> Option<String> {
    let s = v?.as_str()?;
    (!placeholder::is_placeholder(s)).then(|| s.to_string())
}

/// Registry entries with a non-placeholder `auth` (base64 `user:password`), `password` or
/// `identitytoken`.
pub fn credentials(json: &Value) -> Vec<DockerCredential> {
    let registries = json
        .get("auths")
        .and_then(Value::as_object)
        .or_else(|| json.as_object());
    let Some(registries) = registries else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (host, entry) in registries {
        let path = format!("auths[\"{host}\"]");
        if let Some(auth) = real(entry.get("auth")) {
            let password = decode_base64_text(&auth)
                .and_then(|d| d.split_once(':').map(|(_, p)| p.to_string()));
            match password {
                Some(p) if placeholder::is_placeholder(&p) => {}
                _ => out.push(DockerCredential {
                    path: format!("{path}.auth"),
                    value: auth,
                }),
            }
            continue;
        }
        for field in ["password", "identitytoken", "identityToken"] {
            if let Some(v) = real(entry.get(field)) {
                out.push(DockerCredential {
                    path: format!("{path}.{field}"),
                    value: v,
                });
                break;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_auth_and_skips_placeholders() {
        let j = serde_json::json!({"auths": {"r.example.com": {"auth": "dXNlcjpIazd2UTJ4TG05"}}});
        assert!(looks_like_docker_config(&j));
        assert_eq!(credentials(&j).len(), 1);
        // user:changeme
        let j = serde_json::json!({"auths": {"r": {"auth": "dXNlcjpjaGFuZ2VtZQ=="}}});
        assert!(credentials(&j).is_empty());
        let j = serde_json::json!({"auths": {"r": {"username": "u", "password": "${PW}"}}});
        assert!(credentials(&j).is_empty());
    }
}
