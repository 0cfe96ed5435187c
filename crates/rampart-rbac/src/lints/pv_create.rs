//! RMP3014 `rbac-persistentvolume-create`: Role can create PersistentVolumes.

use rampart_model::{Category, Finding, RuleMeta, Severity};

use super::{describe, grants, on_rule, role_rules, Ctx};

pub static META: RuleMeta = RuleMeta {
    id: "RMP3014",
    name: "rbac-persistentvolume-create",
    title: "Role can create PersistentVolumes",
    severity: Severity::Medium,
    category: Category::Rbac,
    mitre: &["T1611"],
    what: "Reports a rule that grants `create` on `persistentvolumes`.",
    why: "A PersistentVolume is cluster-scoped and may be of type `hostPath`; bound from any namespace it mounts a node directory (`/`, `/etc/kubernetes`) into a pod, sidestepping Pod Security admission of hostPath volumes.",
    fix: "Let a storage provisioner create volumes through a StorageClass; grant `create persistentvolumes` only to its service account.",
    example: r#"apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: pv-maker}
rules:
- {apiGroups: [""], resources: [persistentvolumes], verbs: [create]}"#,
    references: &["https://kubernetes.io/docs/reference/access-authn-authz/rbac/", "https://kubernetes.io/docs/concepts/security/rbac-good-practices/#persistent-volume-creation"],
};

pub(crate) fn check(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    for (role, i, rule) in role_rules(ctx.inv) {
        if grants(rule, &["create"], "", &["persistentvolumes"]) {
            let msg = format!("{} can create PersistentVolumes: a hostPath volume mounts node directories into pods", describe(role));
            out.extend(on_rule(ctx, &META, role, i, msg));
        }
    }
}
