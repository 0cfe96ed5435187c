//! API server audit logging (1.2.16–1.2.19) and the audit policy (3.2.1).

use crate::check::{Absent, Outcome, Test};
use crate::checks::{flag_check, FlagCheck};
use crate::subject::{Key, Subject};

const REF: &str = "https://kubernetes.io/docs/tasks/debug/debug-cluster/audit/";
const POLICY: Key = Key::flag("audit-policy-file");

pub(crate) static CHECKS: &[&FlagCheck] = &[&C1_2_16, &C1_2_17, &C1_2_18, &C1_2_19, &C3_2_1];

fn audit_policy(s: &Subject) -> Outcome {
    let mut o = Test::Set(&[POLICY]).eval(s);
    for (flag, problem) in &s.file_problems {
        if flag == POLICY.flag {
            o = o.note(problem.clone());
        }
    }
    if o.passed()
        && s.flags.get("audit-log-path").is_none()
        && s.flags.get("audit-webhook-config-file").is_none()
    {
        o = o.note("no --audit-log-path or --audit-webhook-config-file: the policy has no backend");
    }
    o
}

flag_check!(C1_2_16 {
    cis: "1.2.16", rule: "RMP7116", name: "apiserver-audit-log-path", component: ApiServer,
    scored: true, automated: true, severity: Medium, mitre: ["T1562.008"],
    title: "API server writes an audit log (--audit-log-path)",
    test: Test::Set(&[Key::flag("audit-log-path")]),
    what: "Reports an API server without `--audit-log-path`.",
    why: "Without an audit log there is no record of who did what through the API, for detection or forensics.",
    fix: "Set `--audit-log-path` (and `--audit-policy-file`), mounting the log directory into the static pod.",
    example: "command:\n- kube-apiserver\n- --audit-policy-file=/etc/kubernetes/audit/policy.yaml\n",
    reference: REF,
});

flag_check!(C1_2_17 {
    cis: "1.2.17", rule: "RMP7117", name: "apiserver-audit-log-maxage", component: ApiServer,
    scored: true, automated: true, severity: Low, mitre: ["T1562.008"],
    title: "Audit log files are kept at least 30 days (--audit-log-maxage)",
    test: Test::Gte(Key::flag("audit-log-maxage"), 30, Absent::Fail),
    what: "Reports an API server whose `--audit-log-maxage` is below 30 or not set.",
    why: "Investigations often start weeks after the fact; rotated logs deleted early are evidence lost.",
    fix: "Set `--audit-log-maxage=30` or more.",
    example: "command:\n- kube-apiserver\n- --audit-log-maxage=7\n",
    reference: REF,
});

flag_check!(C1_2_18 {
    cis: "1.2.18",
    rule: "RMP7118",
    name: "apiserver-audit-log-maxbackup",
    component: ApiServer,
    scored: true,
    automated: true,
    severity: Low,
    mitre: ["T1562.008"],
    title: "At least 10 rotated audit log files are kept (--audit-log-maxbackup)",
    test: Test::Gte(Key::flag("audit-log-maxbackup"), 10, Absent::Fail),
    what: "Reports an API server whose `--audit-log-maxbackup` is below 10 or not set.",
    why: "Too few backups let a burst of requests rotate the interesting records away.",
    fix: "Set `--audit-log-maxbackup=10` or more.",
    example: "command:\n- kube-apiserver\n- --audit-log-maxbackup=3\n",
    reference: REF,
});

flag_check!(C1_2_19 {
    cis: "1.2.19",
    rule: "RMP7119",
    name: "apiserver-audit-log-maxsize",
    component: ApiServer,
    scored: true,
    automated: true,
    severity: Low,
    mitre: ["T1562.008"],
    title: "Audit log files rotate at 100 MB or more (--audit-log-maxsize)",
    test: Test::Gte(Key::flag("audit-log-maxsize"), 100, Absent::Fail),
    what: "Reports an API server whose `--audit-log-maxsize` is below 100 or not set.",
    why: "Small files rotate often, and with a backup limit that means a short history.",
    fix: "Set `--audit-log-maxsize=100` or more.",
    example: "command:\n- kube-apiserver\n- --audit-log-maxsize=50\n",
    reference: REF,
});

flag_check!(C3_2_1 {
    cis: "3.2.1", rule: "RMP7150", name: "apiserver-audit-policy", component: ApiServer,
    scored: false, automated: false, severity: Medium, mitre: ["T1562.008"],
    title: "An audit policy is configured (--audit-policy-file)",
    test: Test::Custom(audit_policy),
    what: "Reports an API server without `--audit-policy-file`.",
    why: "Without a policy the API server records no audit events at all, whatever the log flags say.",
    fix: "Write an audit Policy (Metadata for Secrets, ConfigMaps and TokenReviews; request bodies for pod and workload changes, exec and port-forward) and pass it with `--audit-policy-file`.",
    example: "command:\n- kube-apiserver\n- --audit-log-path=/var/log/kubernetes/audit.log\n",
    reference: REF,
});
