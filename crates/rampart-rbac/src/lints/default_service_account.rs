//! RMP3009 `rbac-default-serviceaccount-binding`: a binding grants rights to a namespace's
//! `default` service account.

use rampart_model::{Category, Finding, RuleMeta, Severity};

use super::{on_subject, Ctx};
use crate::model::Subject;

pub static META: RuleMeta = RuleMeta {
    id: "RMP3009",
    name: "rbac-default-serviceaccount-binding",
    title: "Binding grants permissions to a default service account",
    severity: Severity::Medium,
    category: Category::Rbac,
    mitre: &["T1078.001"],
    what: "Reports a binding subject that is the ServiceAccount `default` of some namespace.",
    why: "Every pod that names no service account runs as `default` and (unless automounting is off) carries its token: a permission given to `default` is given to every such pod of the namespace, including ones deployed later for unrelated purposes.",
    fix: "Create a dedicated ServiceAccount for the workload that needs the permission, bind it there, and set `serviceAccountName` on that workload.",
    example: r#"apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: default-edit, namespace: shop}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: edit}
subjects:
- {kind: ServiceAccount, name: default, namespace: shop}"#,
    references: &[
        "https://kubernetes.io/docs/concepts/security/service-accounts/#default-service-accounts",
        "https://kubernetes.io/docs/concepts/security/rbac-good-practices/",
    ],
};

pub(crate) fn check(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    for b in &ctx.inv.bindings {
        for (i, s) in b.subjects.iter().enumerate() {
            if let Some(Subject::ServiceAccount { namespace, name }) =
                Subject::resolve(s, &b.namespace)
            {
                if name == "default" {
                    let msg = format!(
                        "{} {} grants {} {} to the default service account of {namespace}: every pod there without its own service account gets it",
                        b.kind.as_str(),
                        b.name,
                        b.role_ref.kind,
                        b.role_ref.name
                    );
                    out.extend(on_subject(ctx, &META, b, i, msg));
                }
            }
        }
    }
}
