//! kube-scheduler checks (1.4.x).

use crate::check::{Absent, Test};
use crate::checks::controller::bind_loopback;
use crate::checks::{flag_check, FlagCheck};
use crate::subject::Key;

const REF: &str =
    "https://kubernetes.io/docs/reference/command-line-tools-reference/kube-scheduler/";

pub(crate) static CHECKS: &[&FlagCheck] = &[&C1_4_1, &C1_4_2];

flag_check!(C1_4_1 {
    cis: "1.4.1",
    rule: "RMP7301",
    name: "scheduler-profiling",
    component: Scheduler,
    scored: true,
    automated: true,
    severity: Low,
    mitre: ["T1082"],
    title: "Scheduler profiling is disabled (--profiling=false)",
    test: Test::Eq(Key::flag("profiling"), "false", Absent::Fail),
    what: "Reports a scheduler whose `--profiling` is not `false`.",
    why: "The pprof endpoints reveal internals and are not needed in production.",
    fix: "Set `--profiling=false`.",
    example: "command:\n- kube-scheduler\n- --leader-elect=true\n",
    reference: REF,
});

flag_check!(C1_4_2 {
    cis: "1.4.2", rule: "RMP7302", name: "scheduler-bind-address", component: Scheduler,
    scored: true, automated: true, severity: Medium, mitre: ["T1046"],
    title: "Scheduler listens on loopback only (--bind-address=127.0.0.1)",
    test: Test::Custom(bind_loopback),
    what: "Reports a scheduler whose `--bind-address` is set to something other than 127.0.0.1.",
    why: "The secure port serves health and metrics endpoints; exposing it widens the attack surface of the control plane.",
    fix: "Set `--bind-address=127.0.0.1`.",
    example: "command:\n- kube-scheduler\n- --bind-address=0.0.0.0\n",
    reference: REF,
});
