//! RMP1027 `apparmor-unconfined`: the container explicitly runs without AppArmor.

use rampart_model::{Category, RuleMeta, Severity};

use crate::rule_context::{RuleContext, Sink};

pub static META: RuleMeta = RuleMeta {
    id: "RMP1027",
    name: "apparmor-unconfined",
    title: "AppArmor profile is unconfined",
    severity: Severity::High,
    category: Category::Workload,
    mitre: &["T1562.001", "T1611"],
    what: "Reports containers whose effective AppArmor profile is unconfined: \
           `appArmorProfile.type: Unconfined` on the container, or the legacy pod annotation \
           `container.apparmor.security.beta.kubernetes.io/<container>: unconfined`, or an \
           `Unconfined` pod-level field neither of those overrides (the kubelet's order).",
    why: "The runtime's default AppArmor profile blocks writes to `/proc` and `/sys`, mounts and \
          other moves used to break out of a container; `unconfined` removes that layer.",
    fix: "Use `appArmorProfile: {type: RuntimeDefault}` (or `Localhost` with a loaded profile) \
          and remove `unconfined` annotations.",
    example: "\
metadata:
  annotations:
    container.apparmor.security.beta.kubernetes.io/app: unconfined
spec:
  containers:
  - name: app
    image: registry.example/app:1.4.2
",
    references: &[
        "https://kubernetes.io/docs/tutorials/security/apparmor/",
        "https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline",
    ],
};

pub fn check(ctx: &RuleContext<'_>, out: &mut Sink<'_>) {
    let Some(pod) = &ctx.pod else { return };
    for c in &pod.containers {
        if c.sc.app_armor_type() == Some("Unconfined") {
            let s = &c.sc.app_armor_profile;
            let msg = format!(
                "{} runs with AppArmor unconfined{}",
                c.label(),
                s.source_note()
            );
            out.report_in(&META, c, msg, c.sc.path_to(s, &["type"]));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::META;
    use crate::testing::{lines, run};

    #[test]
    fn annotation_and_fields_in_kubelet_order() {
        let y = "kind: Pod\nmetadata:\n  name: p\n  annotations:\n    container.apparmor.security.beta.kubernetes.io/a: unconfined\n    container.apparmor.security.beta.kubernetes.io/b: runtime/default\nspec:\n  securityContext:\n    appArmorProfile:\n      type: Unconfined\n  containers:\n  - name: a\n    image: x\n  - name: b\n    image: x\n  - name: c\n    image: x\n  - name: d\n    image: x\n    securityContext:\n      appArmorProfile:\n        type: RuntimeDefault\n";
        assert_eq!(lines(&META, y), vec![5, 10]);
        let f = run(&META, y);
        assert_eq!(f[1].container.as_deref(), Some("c"));
    }
}
