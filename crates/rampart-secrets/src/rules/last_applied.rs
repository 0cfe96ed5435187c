//! `last-applied-secret`: kubectl's client-side-apply annotation embeds credentials.
//!
//! The annotation holds the whole applied object as JSON. For a Secret that is its data again;
//! for any other object it may be a value that the live object has since replaced with a
//! reference. At most one finding per annotation, at its first content line (§4).

use rampart_model::{Category, RuleMeta, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "RMP5019",
    name: "last-applied-secret",
    title: "Credentials in kubectl's last-applied annotation",
    severity: Severity::High,
    category: Category::Secrets,
    mitre: &["T1552.001", "T1552.007"],
    what: "Parses the last-applied-configuration annotation that client-side kubectl apply writes, and reports it once when it embeds Secret data or a credential that the live object no longer holds at the same path. The message lists the embedded paths, never the values.",
    why: "The annotation is a second, easily forgotten copy of the object: exported Secrets show their data twice, and credentials replaced by references in the spec survive here, readable by anyone who can get the object.",
    fix: "Rotate the exposed credential, remove the annotation (kubectl annotate … last-applied-configuration-), and switch to server-side apply, which keeps field ownership without copying values.",
    example: "metadata:\n  annotations:\n    kubectl.kubernetes.io/last-applied-configuration: |\n      {\"kind\":\"Secret\",\"data\":{\"password\":\"...\"}}\n",
    references: &["https://kubernetes.io/docs/reference/labels-annotations-taints/#kubectl-kubernetes-io-last-applied-configuration"],
};

/// The annotation's key.
pub const ANNOTATION: &str = "kubectl.kubernetes.io/last-applied-configuration";
