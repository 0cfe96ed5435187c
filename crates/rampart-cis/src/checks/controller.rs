//! kube-controller-manager checks (1.3.x).

use crate::check::{Absent, Outcome, Test};
use crate::checks::{flag_check, FlagCheck};
use crate::flags::{gate, parse_bool};
use crate::subject::{Key, Subject};

const REF: &str =
    "https://kubernetes.io/docs/reference/command-line-tools-reference/kube-controller-manager/";
const GATES: Key = Key::flag("feature-gates");

pub(crate) static CHECKS: &[&FlagCheck] = &[
    &C1_3_1, &C1_3_2, &C1_3_3, &C1_3_4, &C1_3_5, &C1_3_6, &C1_3_7,
];

fn rotate_server_cert(s: &Subject) -> Outcome {
    gate_not_false(s, GATES, "RotateKubeletServerCertificate")
}

/// A feature gate is not turned off (absent passes).
pub(crate) fn gate_not_false(s: &Subject, key: Key, name: &str) -> Outcome {
    match s.lookup(&key) {
        Some(v) => match gate(&v.value, name) {
            Some(g) => Outcome::new(parse_bool(&g) != Some(false), v.shown, v.origin),
            None => Outcome::new(true, format!("{name} not in {}", v.shown), v.origin),
        },
        None => Outcome::new(
            true,
            format!("{} is not set", key.describe()),
            s.missing_origin(&key),
        ),
    }
}

/// `--bind-address` is loopback or absent (kube-bench passes absent; the binary default is not).
pub(crate) fn bind_loopback(s: &Subject) -> Outcome {
    let key = Key::flag("bind-address");
    let o = Test::Eq(key, "127.0.0.1", Absent::Pass).eval(s);
    if s.lookup(&key).is_none() {
        return o.note(
            "--bind-address is not set: the binary default 0.0.0.0 listens on every interface",
        );
    }
    o
}

flag_check!(C1_3_1 {
    cis: "1.3.1",
    rule: "RMP7201",
    name: "controller-terminated-pod-gc",
    component: ControllerManager,
    scored: false,
    automated: false,
    severity: Low,
    mitre: ["T1499"],
    title: "Terminated pods are garbage-collected (--terminated-pod-gc-threshold)",
    test: Test::Set(&[Key::flag("terminated-pod-gc-threshold")]),
    what: "Reports a controller manager without `--terminated-pod-gc-threshold`.",
    why: "The default keeps 12500 terminated pods, which can degrade the API server and etcd.",
    fix: "Set `--terminated-pod-gc-threshold` to a value suited to the cluster (e.g. 10).",
    example: "command:\n- kube-controller-manager\n- --leader-elect=true\n",
    reference: REF,
});

flag_check!(C1_3_2 {
    cis: "1.3.2",
    rule: "RMP7202",
    name: "controller-profiling",
    component: ControllerManager,
    scored: true,
    automated: true,
    severity: Low,
    mitre: ["T1082"],
    title: "Controller manager profiling is disabled (--profiling=false)",
    test: Test::Eq(Key::flag("profiling"), "false", Absent::Fail),
    what: "Reports a controller manager whose `--profiling` is not `false`.",
    why: "The pprof endpoints reveal internals and are not needed in production.",
    fix: "Set `--profiling=false`.",
    example: "command:\n- kube-controller-manager\n- --profiling=true\n",
    reference: REF,
});

flag_check!(C1_3_3 {
    cis: "1.3.3", rule: "RMP7203", name: "controller-sa-credentials", component: ControllerManager,
    scored: true, automated: true, severity: Medium, mitre: ["T1078"],
    title: "Each controller uses its own service account (--use-service-account-credentials)",
    test: Test::NotEq(Key::flag("use-service-account-credentials"), "false", Absent::Fail),
    what: "Reports a controller manager whose `--use-service-account-credentials` is `false` or not set.",
    why: "Without it every controller acts with the controller manager's own broad identity instead of a least-privilege role per controller.",
    fix: "Set `--use-service-account-credentials=true`.",
    example: "command:\n- kube-controller-manager\n- --use-service-account-credentials=false\n",
    reference: REF,
});

flag_check!(C1_3_4 {
    cis: "1.3.4", rule: "RMP7204", name: "controller-sa-private-key", component: ControllerManager,
    scored: true, automated: true, severity: Medium, mitre: [],
    title: "Controller manager signs service-account tokens with a key (--service-account-private-key-file)",
    test: Test::Set(&[Key::flag("service-account-private-key-file")]),
    what: "Reports a controller manager without `--service-account-private-key-file`.",
    why: "A dedicated signing key allows tokens to be verified and the key to be rotated.",
    fix: "Set `--service-account-private-key-file` (kubeadm: pki/sa.key).",
    example: "command:\n- kube-controller-manager\n- --root-ca-file=/etc/kubernetes/pki/ca.crt\n",
    reference: REF,
});

flag_check!(C1_3_5 {
    cis: "1.3.5", rule: "RMP7205", name: "controller-root-ca", component: ControllerManager,
    scored: true, automated: true, severity: Medium, mitre: ["T1557"],
    title: "Pods receive the cluster root CA (--root-ca-file)",
    test: Test::Set(&[Key::flag("root-ca-file")]),
    what: "Reports a controller manager without `--root-ca-file`.",
    why: "Pods need the CA to verify the API server's certificate; without it they must skip verification.",
    fix: "Set `--root-ca-file` to the cluster CA certificate.",
    example: "command:\n- kube-controller-manager\n- --service-account-private-key-file=/etc/kubernetes/pki/sa.key\n",
    reference: REF,
});

flag_check!(C1_3_6 {
    cis: "1.3.6", rule: "RMP7206", name: "controller-rotate-kubelet-server-cert", component: ControllerManager,
    scored: true, automated: true, severity: Medium, mitre: [],
    title: "Kubelet serving certificate rotation is not disabled (RotateKubeletServerCertificate)",
    test: Test::Custom(rotate_server_cert),
    what: "Reports a controller manager whose `--feature-gates` sets `RotateKubeletServerCertificate=false`.",
    why: "Rotation lets kubelet serving certificates be renewed before they expire or after a compromise.",
    fix: "Remove `RotateKubeletServerCertificate=false` from `--feature-gates`.",
    example: "command:\n- kube-controller-manager\n- --feature-gates=RotateKubeletServerCertificate=false\n",
    reference: REF,
});

flag_check!(C1_3_7 {
    cis: "1.3.7", rule: "RMP7207", name: "controller-bind-address", component: ControllerManager,
    scored: true, automated: true, severity: Medium, mitre: ["T1046"],
    title: "Controller manager listens on loopback only (--bind-address=127.0.0.1)",
    test: Test::Custom(bind_loopback),
    what: "Reports a controller manager whose `--bind-address` is set to something other than 127.0.0.1.",
    why: "The secure port serves health and metrics endpoints; exposing it widens the attack surface of the control plane.",
    fix: "Set `--bind-address=127.0.0.1`.",
    example: "command:\n- kube-controller-manager\n- --bind-address=0.0.0.0\n",
    reference: REF,
});
