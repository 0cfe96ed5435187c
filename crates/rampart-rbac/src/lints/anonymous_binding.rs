//! RMP3008 `rbac-anonymous-binding`: a binding grants something to unauthenticated users.

use rampart_model::{Category, Finding, RuleMeta, Severity};

use super::{on_subject, Ctx};
use crate::identity::{ANONYMOUS, UNAUTHENTICATED};

pub static META: RuleMeta = RuleMeta {
    id: "RMP3008",
    name: "rbac-anonymous-binding",
    title: "Binding grants permissions to anonymous users",
    severity: Severity::Critical,
    category: Category::Rbac,
    mitre: &["T1078", "T1190"],
    what: "Reports a binding subject `User system:anonymous` or `Group system:unauthenticated` (except the bootstrap `system:public-info-viewer` binding, which only exposes health and version endpoints).",
    why: "Every request without credentials is `system:anonymous` in `system:unauthenticated`: anything bound to them is open to anyone who can reach the API server, and such requests are hard to attribute.",
    fix: "Bind the role to authenticated users or groups instead, or disable anonymous authentication (`--anonymous-auth=false`, or an anonymous authenticator limited to health endpoints).",
    example: r#"apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: public-view}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
subjects:
- {apiGroup: rbac.authorization.k8s.io, kind: User, name: "system:anonymous"}"#,
    references: &[
        "https://kubernetes.io/docs/reference/access-authn-authz/authentication/#anonymous-requests",
        "https://kubernetes.io/docs/concepts/security/rbac-good-practices/",
    ],
};

pub(crate) fn check(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    for b in &ctx.inv.bindings {
        if b.role_ref.kind == "ClusterRole" && b.role_ref.name == "system:public-info-viewer" {
            continue;
        }
        for (i, s) in b.subjects.iter().enumerate() {
            let anonymous = (s.kind == "User" && s.name == ANONYMOUS)
                || (s.kind == "Group" && s.name == UNAUTHENTICATED);
            if anonymous {
                let msg = format!(
                    "{} {} grants {} {} to unauthenticated requests ({} {})",
                    b.kind.as_str(),
                    b.name,
                    b.role_ref.kind,
                    b.role_ref.name,
                    s.kind,
                    s.name
                );
                out.extend(on_subject(ctx, &META, b, i, msg));
            }
        }
    }
}
