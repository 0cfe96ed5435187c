//! API server admission plugins and profiling (1.2.3, 1.2.9–1.2.15).

use crate::check::{Absent, Outcome, Test};
use crate::checks::{flag_check, FlagCheck};
use crate::subject::{Key, Subject};

const REF: &str = "https://kubernetes.io/docs/reference/access-authn-authz/admission-controllers/";
const ENABLE: Key = Key::flag("enable-admission-plugins");
const DISABLE: Key = Key::flag("disable-admission-plugins");

pub(crate) static CHECKS: &[&FlagCheck] = &[
    &C1_2_3, &C1_2_9, &C1_2_10, &C1_2_11, &C1_2_12, &C1_2_13, &C1_2_14, &C1_2_15,
];

fn event_rate_limit(s: &Subject) -> Outcome {
    let o = Test::Has(ENABLE, "EventRateLimit", Absent::Fail).eval(s);
    if o.passed() && s.flags.get("admission-control-config-file").is_none() {
        return o.note(
            "EventRateLimit needs limits in --admission-control-config-file, which is not set",
        );
    }
    o
}

flag_check!(C1_2_3 {
    cis: "1.2.3", rule: "RMP7103", name: "apiserver-deny-external-ips", component: ApiServer,
    scored: false, automated: false, severity: Medium, mitre: ["T1557"],
    title: "DenyServiceExternalIPs admission plugin is enabled",
    test: Test::Has(ENABLE, "DenyServiceExternalIPs", Absent::Fail),
    what: "Reports an API server whose `--enable-admission-plugins` lacks `DenyServiceExternalIPs`.",
    why: "Anyone who can create a Service can set `externalIPs` and intercept traffic to those addresses (CVE-2020-8554).",
    fix: "Add `DenyServiceExternalIPs` to `--enable-admission-plugins`.",
    example: "command:\n- kube-apiserver\n- --enable-admission-plugins=NodeRestriction\n",
    reference: REF,
});

flag_check!(C1_2_9 {
    cis: "1.2.9", rule: "RMP7109", name: "apiserver-event-rate-limit", component: ApiServer,
    scored: false, automated: false, severity: Low, mitre: ["T1499"],
    title: "EventRateLimit admission plugin is enabled",
    test: Test::Custom(event_rate_limit),
    what: "Reports an API server whose `--enable-admission-plugins` lacks `EventRateLimit`.",
    why: "A flood of Events can exhaust the API server and etcd; the plugin rate-limits them per namespace, user or source.",
    fix: "Add `EventRateLimit` to `--enable-admission-plugins` and give its limits in the file named by `--admission-control-config-file`.",
    example: "command:\n- kube-apiserver\n- --enable-admission-plugins=NodeRestriction\n",
    reference: REF,
});

flag_check!(C1_2_10 {
    cis: "1.2.10", rule: "RMP7110", name: "apiserver-always-admit", component: ApiServer,
    scored: true, automated: true, severity: High, mitre: [],
    title: "AlwaysAdmit admission plugin is not enabled",
    test: Test::NotHave(ENABLE, "AlwaysAdmit", Absent::Pass),
    what: "Reports an API server whose `--enable-admission-plugins` includes `AlwaysAdmit`.",
    why: "`AlwaysAdmit` is deprecated and admits every request regardless of the other plugins' intent.",
    fix: "Remove `AlwaysAdmit` from `--enable-admission-plugins`.",
    example: "command:\n- kube-apiserver\n- --enable-admission-plugins=AlwaysAdmit\n",
    reference: REF,
});

flag_check!(C1_2_11 {
    cis: "1.2.11", rule: "RMP7111", name: "apiserver-always-pull-images", component: ApiServer,
    scored: false, automated: false, severity: Low, mitre: ["T1610"],
    title: "AlwaysPullImages admission plugin is enabled",
    test: Test::Has(ENABLE, "AlwaysPullImages", Absent::Fail),
    what: "Reports an API server whose `--enable-admission-plugins` lacks `AlwaysPullImages`.",
    why: "Without it, a pod on a node can use a private image another tenant already pulled there, without credentials for it.",
    fix: "Add `AlwaysPullImages` to `--enable-admission-plugins` (mind the extra registry traffic).",
    example: "command:\n- kube-apiserver\n- --enable-admission-plugins=NodeRestriction\n",
    reference: REF,
});

flag_check!(C1_2_12 {
    cis: "1.2.12", rule: "RMP7112", name: "apiserver-serviceaccount-admission", component: ApiServer,
    scored: true, automated: true, severity: Medium, mitre: [],
    title: "ServiceAccount admission plugin is not disabled",
    test: Test::NotHave(DISABLE, "ServiceAccount", Absent::Pass),
    what: "Reports an API server whose `--disable-admission-plugins` includes `ServiceAccount`.",
    why: "The plugin assigns service accounts and mounts their tokens safely; without it pods run without a managed identity.",
    fix: "Remove `ServiceAccount` from `--disable-admission-plugins`.",
    example: "command:\n- kube-apiserver\n- --disable-admission-plugins=ServiceAccount\n",
    reference: REF,
});

flag_check!(C1_2_13 {
    cis: "1.2.13", rule: "RMP7113", name: "apiserver-namespacelifecycle-admission", component: ApiServer,
    scored: true, automated: true, severity: Medium, mitre: [],
    title: "NamespaceLifecycle admission plugin is not disabled",
    test: Test::NotHave(DISABLE, "NamespaceLifecycle", Absent::Pass),
    what: "Reports an API server whose `--disable-admission-plugins` includes `NamespaceLifecycle`.",
    why: "Without it objects can be created in namespaces that are being deleted or do not exist, escaping namespace-scoped policy.",
    fix: "Remove `NamespaceLifecycle` from `--disable-admission-plugins`.",
    example: "command:\n- kube-apiserver\n- --disable-admission-plugins=NamespaceLifecycle\n",
    reference: REF,
});

flag_check!(C1_2_14 {
    cis: "1.2.14", rule: "RMP7114", name: "apiserver-node-restriction", component: ApiServer,
    scored: true, automated: true, severity: High, mitre: ["T1078"],
    title: "NodeRestriction admission plugin is enabled",
    test: Test::Has(ENABLE, "NodeRestriction", Absent::Fail),
    what: "Reports an API server whose `--enable-admission-plugins` lacks `NodeRestriction`.",
    why: "It stops a kubelet from modifying other nodes and pods not bound to it, containing a compromised node.",
    fix: "Add `NodeRestriction` to `--enable-admission-plugins` (with `--authorization-mode` including `Node`).",
    example: "command:\n- kube-apiserver\n- --enable-admission-plugins=AlwaysPullImages\n",
    reference: REF,
});

flag_check!(C1_2_15 {
    cis: "1.2.15", rule: "RMP7115", name: "apiserver-profiling", component: ApiServer,
    scored: true, automated: true, severity: Low, mitre: ["T1082"],
    title: "API server profiling is disabled (--profiling=false)",
    test: Test::Eq(Key::flag("profiling"), "false", Absent::Fail),
    what: "Reports an API server whose `--profiling` is not `false` (the default is `true`).",
    why: "The /debug/pprof endpoints reveal internals and let a caller burn CPU; they are not needed in production.",
    fix: "Set `--profiling=false`.",
    example: "command:\n- kube-apiserver\n- --secure-port=6443\n",
    reference: "https://kubernetes.io/docs/reference/command-line-tools-reference/kube-apiserver/",
});
