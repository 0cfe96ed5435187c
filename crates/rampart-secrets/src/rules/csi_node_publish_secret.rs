//! `csi-node-publish-secret` (optional, informational): a Secrets Store CSI volume that
//! authenticates to its provider with static credentials kept in a Secret
//! (`nodePublishSecretRef`, `secrets.md` §6.3, the CSI counterpart of `store-static-credentials`).

use rampart_manifest::{pod, Object};
use rampart_model::{Category, Finding, RuleMeta, Severity};
use serde_json::Value;

pub static META: RuleMeta = RuleMeta {
    id: "RMP5046",
    name: "csi-node-publish-secret",
    title: "Secrets Store CSI volume uses static provider credentials",
    severity: Severity::Info,
    category: Category::Secrets,
    mitre: &["T1552.007"],
    what: "Optional rule (off by default; rampart secrets scan --all-rules): reports pod volumes of the secrets-store.csi.k8s.io driver that pass nodePublishSecretRef, in every pod-bearing kind.",
    why: "The provider is reached with a long-lived credential (a service principal secret, an access key) stored in a Kubernetes Secret: whoever reads that Secret reads everything the store grants, and it must be rotated by hand.",
    fix: "Authenticate the provider with workload identity (Azure Workload Identity, IRSA or EKS Pod Identity, GKE Workload Identity) and drop nodePublishSecretRef.",
    example: "volumes:\n  - name: secrets\n    csi:\n      driver: secrets-store.csi.k8s.io\n      nodePublishSecretRef:\n        name: provider-creds\n",
    references: &["https://secrets-store-csi-driver.sigs.k8s.io/topics/best-practices"],
};

const DRIVER: &str = "secrets-store.csi.k8s.io";

pub fn check(obj: &Object) -> Vec<Finding> {
    let Some(spec) = pod::pod_spec(&obj.json) else {
        return Vec::new();
    };
    let volumes = spec.spec.get("volumes").and_then(Value::as_array);
    let mut out = Vec::new();
    for (i, v) in volumes.into_iter().flatten().enumerate() {
        let Some(csi) = v.get("csi") else { continue };
        let ours = csi.get("driver").and_then(Value::as_str) == Some(DRIVER);
        if !ours || csi.get("nodePublishSecretRef").is_none() {
            continue;
        }
        let path = spec
            .path
            .key("volumes")
            .index(i)
            .key("csi")
            .key("nodePublishSecretRef");
        let mut f = Finding::new(
            &META,
            "the CSI volume reaches its secret store with static credentials kept in a Secret",
        )
        .at(path);
        obj.place(&mut f);
        out.push(f);
    }
    out
}
