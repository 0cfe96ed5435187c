//! `csi-secret-sync` (optional, informational): a Secrets Store CSI SecretProviderClass that
//! syncs mounted content into a Kubernetes Secret (`spec.secretObjects`, `secrets.md` §6.3).

use rampart_manifest::Object;
use rampart_model::{Category, Finding, JsonPath, RuleMeta, Severity};
use serde_json::Value;

pub static META: RuleMeta = RuleMeta {
    id: "RMP5045",
    name: "csi-secret-sync",
    title: "SecretProviderClass syncs into a Kubernetes Secret",
    severity: Severity::Info,
    category: Category::Secrets,
    mitre: &["T1552.007"],
    what: "Optional rule (off by default; rampart secrets scan --all-rules): reports SecretProviderClasses (secrets-store.csi.x-k8s.io) with a non-empty spec.secretObjects.",
    why: "Mounting from the external store keeps the value out of etcd; syncing it into a Secret puts it back there, readable by anyone who can read Secrets in the namespace and present in every etcd backup.",
    fix: "Read the mounted files instead of a synced Secret; keep secretObjects only where a consumer really needs a Secret (an ingress TLS certificate, an image pull Secret) and restrict who can read Secrets there.",
    example: "kind: SecretProviderClass\nspec:\n  secretObjects:\n    - secretName: db\n      type: Opaque\n",
    references: &["https://secrets-store-csi-driver.sigs.k8s.io/topics/sync-as-kubernetes-secret"],
};

pub fn check(obj: &Object) -> Vec<Finding> {
    if obj.kind() != "SecretProviderClass"
        || !obj
            .id
            .api_version
            .starts_with("secrets-store.csi.x-k8s.io/")
    {
        return Vec::new();
    }
    let path = JsonPath::root().key("spec").key("secretObjects");
    let synced = path
        .lookup(&obj.json)
        .and_then(Value::as_array)
        .is_some_and(|a| !a.is_empty());
    if !synced {
        return Vec::new();
    }
    let mut f = Finding::new(
        &META,
        "secretObjects syncs the mounted content into a Kubernetes Secret: the value is stored in etcd after all",
    )
    .at(path);
    obj.place(&mut f);
    vec![f]
}
