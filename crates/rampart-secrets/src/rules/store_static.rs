//! `store-static-credentials`: a SecretStore authenticating with a long-lived credential kept
//! in a Kubernetes Secret instead of a workload identity.

use rampart_manifest::Object;
use rampart_model::{Category, Finding, JsonPath, RuleMeta, Severity};
use serde_json::Value;

use super::eso_kind;

pub static META: RuleMeta = RuleMeta {
    id: "RMP5023",
    name: "store-static-credentials",
    title: "Secret store authenticates with static credentials",
    severity: Severity::Medium,
    category: Category::Secrets,
    mitre: &["T1552.007", "T1078.004"],
    what: "Reports SecretStores and ClusterSecretStores (external-secrets.io v1beta1 and v1) whose provider authenticates through a credential stored in a Kubernetes Secret (secretRef, authSecretRef, tokenSecretRef, AppRole, user/password, LDAP and similar), reported at the outermost such reference.",
    why: "The store's credential is the key to every secret it can read; a static one never rotates by itself, lives in etcd and in every backup, and is usually created by hand next to the store.",
    fix: "Authenticate with a workload identity: IRSA or EKS Pod Identity (aws.auth.jwt.serviceAccountRef), GCP Workload Identity, Azure Workload Identity (authType WorkloadIdentity), Vault Kubernetes auth with a serviceAccountRef.",
    example: "kind: SecretStore\nspec:\n  provider:\n    aws:\n      auth:\n        secretRef:\n          accessKeyIDSecretRef: {name: aws-creds, key: id}\n",
    references: &["https://external-secrets.io/latest/provider/aws-secrets-manager/"],
};

/// Sub-trees that hold CA material or identities, not credentials.
const NOT_CREDENTIALS: &[&str] = &[
    "caProvider",
    "caBundle",
    "serviceAccountRef",
    "jwt",
    "workloadIdentity",
];

fn credential_ref(key: &str) -> bool {
    key == "secretRef" || key == "SecretRef" || key.ends_with("SecretRef")
}

fn scan(v: &Value, path: &JsonPath, out: &mut Vec<JsonPath>) {
    match v {
        Value::Object(map) => {
            for (k, child) in map {
                if NOT_CREDENTIALS.contains(&k.as_str()) {
                    continue;
                }
                let p = path.key(k.clone());
                if credential_ref(k) {
                    out.push(p);
                } else {
                    scan(child, &p, out);
                }
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                scan(item, &path.index(i), out);
            }
        }
        _ => {}
    }
}

pub fn check(obj: &Object) -> Vec<Finding> {
    if !matches!(eso_kind(obj), Some("SecretStore" | "ClusterSecretStore")) {
        return Vec::new();
    }
    let base = JsonPath::root().key("spec").key("provider");
    let Some(provider) = base.lookup(&obj.json) else {
        return Vec::new();
    };
    let mut refs = Vec::new();
    scan(provider, &base, &mut refs);
    // Azure Key Vault's authSecretRef is only static with the ServicePrincipal auth type (the
    // default); with WorkloadIdentity or ManagedIdentity it is not used.
    let azure_identity = provider
        .get("azurekv")
        .and_then(|a| a.get("authType"))
        .and_then(Value::as_str)
        .is_some_and(|t| t != "ServicePrincipal");
    refs.into_iter()
        .filter(|p| !(azure_identity && p.to_string().contains("azurekv")))
        .map(|p| {
            let mut f = Finding::new(
                &META,
                "store authenticates with a static credential kept in a Secret; use a workload identity",
            )
            .at(p);
            obj.place(&mut f);
            f
        })
        .collect()
}
