//! RMP3010 `rbac-cluster-admin-binding`: `cluster-admin` bound cluster-wide to a subject that is
//! not part of the system.

use rampart_model::{Category, Finding, RuleMeta, Severity};

use super::{on_subject, Ctx};
use crate::model::{BindingKind, Subject};

pub static META: RuleMeta = RuleMeta {
    id: "RMP3010",
    name: "rbac-cluster-admin-binding",
    title: "cluster-admin bound to a non-system subject",
    severity: Severity::High,
    category: Category::Rbac,
    mitre: &["T1098.006", "T1078"],
    what: "Reports a subject of a ClusterRoleBinding to the ClusterRole `cluster-admin` that is not a system identity (a user or group named `system:…`, or a service account of `kube-system`).",
    why: "`cluster-admin` is every permission on every resource in every namespace. A person's account, a CI robot or an application service account holding it turns any compromise of that identity into full control of the cluster.",
    fix: "Bind a narrower role (for people: `admin` or `edit` per namespace through RoleBindings; for CI: a role with the resources it deploys), and keep cluster-admin for break-glass access.",
    example: r#"apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: ci-admin}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}
subjects:
- {kind: ServiceAccount, name: deployer, namespace: ci}"#,
    references: &[
        "https://kubernetes.io/docs/reference/access-authn-authz/rbac/#user-facing-roles",
        "https://kubernetes.io/docs/concepts/security/rbac-good-practices/",
    ],
};

fn is_system(s: &Subject) -> bool {
    match s {
        Subject::User(n) | Subject::Group(n) => n.starts_with("system:"),
        Subject::ServiceAccount { namespace, .. } => namespace == "kube-system",
    }
}

pub(crate) fn check(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    for b in &ctx.inv.bindings {
        if b.kind != BindingKind::ClusterRoleBinding
            || b.role_ref.kind != "ClusterRole"
            || b.role_ref.name != "cluster-admin"
        {
            continue;
        }
        for (i, s) in b.subjects.iter().enumerate() {
            if let Some(subject) = Subject::resolve(s, &b.namespace).filter(|s| !is_system(s)) {
                let msg = format!(
                    "ClusterRoleBinding {} makes {subject} cluster-admin",
                    b.name
                );
                out.extend(on_subject(ctx, &META, b, i, msg));
            }
        }
    }
}
