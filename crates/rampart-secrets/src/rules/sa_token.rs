//! `sa-token-secret`: a legacy, non-expiring service-account token Secret.

use rampart_manifest::Object;
use rampart_model::{Category, Finding, JsonPath, RuleMeta, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "RMP5020",
    name: "sa-token-secret",
    title: "Legacy service-account token Secret",
    severity: Severity::Medium,
    category: Category::Secrets,
    mitre: &["T1528", "T1078.004"],
    what: "Reports Secrets of type kubernetes.io/service-account-token, which ask the token controller for a service-account token that never expires.",
    why: "A long-lived token outlives the person or pipeline that used it, cannot be bound to a pod or an audience, and is valid wherever it leaks until the Secret is deleted. Kubernetes stopped creating them in 1.24 and cleans unused ones up since 1.29.",
    fix: "Delete the Secret and request tokens through the TokenRequest API (kubectl create token) or a projected serviceAccountToken volume with an audience and expirationSeconds.",
    example: "apiVersion: v1\nkind: Secret\nmetadata:\n  annotations:\n    kubernetes.io/service-account.name: deployer\ntype: kubernetes.io/service-account-token\n",
    references: &[
        "https://kubernetes.io/docs/concepts/security/service-accounts/#get-a-token",
        "https://kubernetes.io/docs/reference/access-authn-authz/service-accounts-admin/#auto-generated-legacy-serviceaccount-token-clean-up",
    ],
};

pub fn check(obj: &Object) -> Vec<Finding> {
    if obj.kind() != "Secret"
        || obj.json.get("type").and_then(|t| t.as_str())
            != Some("kubernetes.io/service-account-token")
    {
        return Vec::new();
    }
    let sa = obj
        .annotation("kubernetes.io/service-account.name")
        .unwrap_or("");
    let who = if sa.is_empty() {
        String::from("a service account")
    } else {
        format!("service account `{sa}`")
    };
    let mut f = Finding::new(
        &META,
        format!("Secret requests a non-expiring token for {who}; use TokenRequest or a projected token instead"),
    )
    .at(JsonPath::root().key("type"));
    obj.place(&mut f);
    vec![f]
}
