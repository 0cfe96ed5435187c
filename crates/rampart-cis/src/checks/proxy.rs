//! kube-proxy checks (4.3.x).

use crate::check::{Outcome, Test};
use crate::checks::{flag_check, FlagCheck};
use crate::subject::{Key, Subject};

const REF: &str = "https://kubernetes.io/docs/reference/command-line-tools-reference/kube-proxy/";
const METRICS: Key = Key::with_config("metrics-bind-address", "metricsBindAddress");

pub(crate) static CHECKS: &[&FlagCheck] = &[&C4_3_1];

fn metrics_local(s: &Subject) -> Outcome {
    match s.lookup(&METRICS) {
        Some(v) => {
            let local = v.value.contains("127.0.0.1")
                || v.value.starts_with("[::1]")
                || v.value.starts_with("localhost");
            Outcome::new(local, v.shown, v.origin)
        }
        None => Test::NotSet(METRICS)
            .eval(s)
            .note("not set: the binary default is 127.0.0.1:10249"),
    }
}

flag_check!(C4_3_1 {
    cis: "4.3.1", rule: "RMP7601", name: "proxy-metrics-bind-address", component: Proxy,
    scored: true, automated: true, severity: Low, mitre: ["T1046"],
    title: "kube-proxy serves metrics on localhost only (metricsBindAddress)",
    test: Test::Custom(metrics_local),
    what: "Reports a kube-proxy whose `--metrics-bind-address` / `metricsBindAddress` is not a loopback address.",
    why: "The metrics endpoint is unauthenticated and describes the node's services and traffic.",
    fix: "Set `metricsBindAddress: 127.0.0.1:10249`.",
    example: "kind: KubeProxyConfiguration\nmetricsBindAddress: 0.0.0.0:10249\n",
    reference: REF,
});
