//! Kubelet checks (4.2.x): the command-line flag when given, else the config file field — the
//! precedence the kubelet itself applies.

use crate::check::{Absent, Outcome, Test};
use crate::checks::{flag_check, FlagCheck};
use crate::ciphers;
use crate::flags::{gate, parse_bool};
use crate::subject::{From, Key, Subject};

const REF: &str = "https://kubernetes.io/docs/reference/config-api/kubelet-config.v1beta1/";
const ANONYMOUS: Key = Key::with_config("anonymous-auth", "authentication.anonymous.enabled");
const AUTHZ: Key = Key::with_config("authorization-mode", "authorization.mode");
const STREAMING: Key = Key::with_config(
    "streaming-connection-idle-timeout",
    "streamingConnectionIdleTimeout",
);
const PIDS: Key = Key::with_config("pod-max-pids", "podPidsLimit");
const GATE: &str = "RotateKubeletServerCertificate";

pub(crate) static CHECKS: &[&FlagCheck] = &[
    &C4_2_1, &C4_2_2, &C4_2_3, &C4_2_4, &C4_2_5, &C4_2_6, &C4_2_7, &C4_2_8, &C4_2_9, &C4_2_10,
    &C4_2_11, &C4_2_12, &C4_2_13, &C4_2_14,
];

/// Adds the effective value when the field is absent: config-file defaults are secure, flag
/// defaults (no config file) are not.
fn with_default(
    s: &Subject,
    key: Key,
    o: Outcome,
    file_default: &str,
    flag_default: &str,
) -> Outcome {
    if s.lookup(&key).is_some() {
        return o;
    }
    if s.config.is_empty() {
        o.note(format!(
            "no config file: the kubelet's flag default is {flag_default}"
        ))
    } else {
        o.note(format!(
            "effective value from the config file default: {file_default}"
        ))
    }
}

fn anonymous(s: &Subject) -> Outcome {
    let o = Test::Eq(ANONYMOUS, "false", Absent::Fail).eval(s);
    with_default(s, ANONYMOUS, o, "false", "true")
}

fn authz(s: &Subject) -> Outcome {
    let o = Test::NotHave(AUTHZ, "AlwaysAllow", Absent::Fail).eval(s);
    with_default(s, AUTHZ, o, "Webhook", "AlwaysAllow")
}

/// Go duration text that is zero (`0`, `0s`, `0h0m0s`).
fn zero_duration(v: &str) -> bool {
    let digits: Vec<char> = v.chars().filter(char::is_ascii_digit).collect();
    !digits.is_empty() && digits.iter().all(|c| *c == '0')
}

fn streaming(s: &Subject) -> Outcome {
    match s.lookup(&STREAMING) {
        None => Outcome::new(
            true,
            format!("{} is not set (default 4h0m0s)", STREAMING.describe()),
            s.missing_origin(&STREAMING),
        ),
        // In the config file a zero duration is replaced by the 4h default when loaded.
        Some(v) if v.from == From::Config && zero_duration(&v.value) => {
            Outcome::new(true, v.shown, v.origin)
                .note("a zero duration in the config file means the default 4h0m0s")
        }
        Some(v) => Outcome::new(!zero_duration(&v.value), v.shown, v.origin),
    }
}

fn rotate_server_cert(s: &Subject) -> Outcome {
    let from_flag = s
        .lookup(&Key::flag("feature-gates"))
        .and_then(|v| gate(&v.value, GATE).map(|g| (g, v)));
    if let Some((g, v)) = from_flag {
        return Outcome::new(parse_bool(&g) != Some(false), v.shown, v.origin);
    }
    let key = Key::config_only("featureGates.RotateKubeletServerCertificate");
    match s.lookup(&key) {
        Some(v) => Outcome::new(parse_bool(&v.value) != Some(false), v.shown, v.origin),
        None => Outcome::new(
            true,
            format!("{GATE} is not set (enabled by default)"),
            s.missing_origin(&key),
        ),
    }
}

fn pod_pids(s: &Subject) -> Outcome {
    match s.lookup(&PIDS) {
        Some(v) => {
            let ok = v.value.trim().parse::<i64>().is_ok_and(|n| n > 0);
            Outcome::new(ok, v.shown, v.origin)
        }
        None => Outcome::new(
            false,
            format!("{} is not set (default -1: unlimited)", PIDS.describe()),
            s.missing_origin(&PIDS),
        ),
    }
}

fn serving_cert(s: &Subject) -> Outcome {
    const CERT: &[Key] = &[
        Key::with_config("tls-cert-file", "tlsCertFile"),
        Key::with_config("tls-private-key-file", "tlsPrivateKeyFile"),
    ];
    let o = Test::Set(CERT).eval(s);
    let bootstrap = s.lookup(&Key::config_only("serverTLSBootstrap"));
    match bootstrap {
        Some(v) if o.failed() && parse_bool(&v.value) == Some(true) => {
            o.note("serverTLSBootstrap is true: the serving certificate is requested from the cluster CA instead")
        }
        _ => o,
    }
}

flag_check!(C4_2_1 {
    cis: "4.2.1", rule: "RMP7501", name: "kubelet-anonymous-auth", component: Kubelet,
    scored: true, automated: true, severity: High, mitre: ["T1078"],
    title: "Kubelet refuses anonymous requests",
    test: Test::Custom(anonymous),
    what: "Reports a kubelet whose `--anonymous-auth` / `authentication.anonymous.enabled` is not `false`.",
    why: "The kubelet API runs commands in containers and reads their logs; anonymous access to it is node compromise.",
    fix: "Set `authentication.anonymous.enabled: false` in the kubelet config (and drop `--anonymous-auth=true`).",
    example: "kind: KubeletConfiguration\nauthentication:\n  anonymous:\n    enabled: true\n",
    reference: REF,
});

flag_check!(C4_2_2 {
    cis: "4.2.2", rule: "RMP7502", name: "kubelet-authorization-mode", component: Kubelet,
    scored: true, automated: true, severity: Critical, mitre: ["T1078"],
    title: "Kubelet authorizes requests (authorization mode not AlwaysAllow)",
    test: Test::Custom(authz),
    what: "Reports a kubelet whose `--authorization-mode` / `authorization.mode` is `AlwaysAllow` or not set.",
    why: "With AlwaysAllow any authenticated caller may exec into every pod on the node.",
    fix: "Set `authorization.mode: Webhook` in the kubelet config.",
    example: "kind: KubeletConfiguration\nauthorization:\n  mode: AlwaysAllow\n",
    reference: REF,
});

flag_check!(C4_2_3 {
    cis: "4.2.3",
    rule: "RMP7503",
    name: "kubelet-client-ca",
    component: Kubelet,
    scored: true,
    automated: true,
    severity: High,
    mitre: [],
    title: "Kubelet verifies client certificates (client CA file)",
    test: Test::Set(&[Key::with_config(
        "client-ca-file",
        "authentication.x509.clientCAFile"
    )]),
    what: "Reports a kubelet without `--client-ca-file` / `authentication.x509.clientCAFile`.",
    why: "Without a client CA the kubelet cannot authenticate the API server's client certificate.",
    fix: "Set `authentication.x509.clientCAFile` to the cluster CA certificate.",
    example: "kind: KubeletConfiguration\nauthentication:\n  x509: {}\n",
    reference: REF,
});

flag_check!(C4_2_4 {
    cis: "4.2.4",
    rule: "RMP7504",
    name: "kubelet-read-only-port",
    component: Kubelet,
    scored: false,
    automated: false,
    severity: Medium,
    mitre: ["T1082"],
    title: "Kubelet read-only port is disabled (0)",
    test: Test::Eq(
        Key::with_config("read-only-port", "readOnlyPort"),
        "0",
        Absent::Pass
    ),
    what: "Reports a kubelet whose `--read-only-port` / `readOnlyPort` is not 0.",
    why: "The read-only port serves pod specs and metrics without any authentication.",
    fix: "Set `readOnlyPort: 0` (and drop `--read-only-port`).",
    example: "kind: KubeletConfiguration\nreadOnlyPort: 10255\n",
    reference: REF,
});

flag_check!(C4_2_5 {
    cis: "4.2.5", rule: "RMP7505", name: "kubelet-streaming-idle-timeout", component: Kubelet,
    scored: false, automated: false, severity: Low, mitre: ["T1499"],
    title: "Kubelet streaming connections time out (idle timeout not 0)",
    test: Test::Custom(streaming),
    what: "Reports a kubelet whose `--streaming-connection-idle-timeout` is 0 (no timeout).",
    why: "Idle exec and port-forward sessions held open forever exhaust the node and keep access alive.",
    fix: "Remove `--streaming-connection-idle-timeout=0` or set a duration such as `4h`.",
    example: "command:\n- kubelet\n- --streaming-connection-idle-timeout=0\n",
    reference: REF,
});

flag_check!(C4_2_6 {
    cis: "4.2.6", rule: "RMP7506", name: "kubelet-iptables-util-chains", component: Kubelet,
    scored: true, automated: true, severity: Low, mitre: [],
    title: "Kubelet manages its iptables chains (makeIPTablesUtilChains)",
    test: Test::Eq(Key::with_config("make-iptables-util-chains", "makeIPTablesUtilChains"), "true", Absent::Pass),
    what: "Reports a kubelet with `--make-iptables-util-chains=false` / `makeIPTablesUtilChains: false`.",
    why: "Letting the kubelet keep its iptables rules consistent with pod networking avoids drift that opens traffic.",
    fix: "Remove `makeIPTablesUtilChains: false` (the default is `true`).",
    example: "kind: KubeletConfiguration\nmakeIPTablesUtilChains: false\n",
    reference: REF,
});

flag_check!(C4_2_7 {
    cis: "4.2.7", rule: "RMP7507", name: "kubelet-hostname-override", component: Kubelet,
    scored: false, automated: false, severity: Low, mitre: [],
    title: "Kubelet does not override its hostname (--hostname-override not set)",
    test: Test::NotSet(Key::flag("hostname-override")),
    what: "Reports a kubelet started with `--hostname-override`.",
    why: "A node name that differs from the host name can break TLS verification between the API server and the kubelet.",
    fix: "Remove `--hostname-override` (or keep it only where the cloud provider requires it).",
    example: "command:\n- kubelet\n- --hostname-override=worker-7\n",
    reference: REF,
});

flag_check!(C4_2_8 {
    cis: "4.2.8",
    rule: "RMP7508",
    name: "kubelet-event-qps",
    component: Kubelet,
    scored: false,
    automated: false,
    severity: Low,
    mitre: [],
    title: "Kubelet event rate is sensible (eventRecordQPS ≥ 0)",
    test: Test::Gte(
        Key::with_config("event-qps", "eventRecordQPS"),
        0,
        Absent::Pass
    ),
    what: "Reports a kubelet whose `--event-qps` / `eventRecordQPS` is negative or not a number.",
    why: "Events record security-relevant activity; a broken rate loses them.",
    fix: "Set `eventRecordQPS` to 0 or more (default 50).",
    example: "kind: KubeletConfiguration\neventRecordQPS: -1\n",
    reference: REF,
});

flag_check!(C4_2_9 {
    cis: "4.2.9", rule: "RMP7509", name: "kubelet-serving-cert", component: Kubelet,
    scored: false, automated: false, severity: Medium, mitre: ["T1557"],
    title: "Kubelet serves TLS with a configured certificate (tlsCertFile, tlsPrivateKeyFile)",
    test: Test::Custom(serving_cert),
    what: "Reports a kubelet without both `--tls-cert-file` and `--tls-private-key-file` (or the config fields).",
    why: "Without them the kubelet serves a self-signed certificate nobody can verify.",
    fix: "Set `tlsCertFile` and `tlsPrivateKeyFile`, or enable `serverTLSBootstrap` and approve the CSRs.",
    example: "kind: KubeletConfiguration\nrotateCertificates: true\n",
    reference: REF,
});

flag_check!(C4_2_10 {
    cis: "4.2.10", rule: "RMP7510", name: "kubelet-rotate-certificates", component: Kubelet,
    scored: true, automated: true, severity: Medium, mitre: [],
    title: "Kubelet client certificate rotation is not disabled (rotateCertificates)",
    test: Test::NotEq(Key::with_config("rotate-certificates", "rotateCertificates"), "false", Absent::Pass),
    what: "Reports a kubelet with `--rotate-certificates=false` / `rotateCertificates: false`.",
    why: "Without rotation the kubelet's client certificate expires and operators resort to long-lived credentials.",
    fix: "Set `rotateCertificates: true`.",
    example: "kind: KubeletConfiguration\nrotateCertificates: false\n",
    reference: REF,
});

flag_check!(C4_2_11 {
    cis: "4.2.11",
    rule: "RMP7511",
    name: "kubelet-rotate-server-cert",
    component: Kubelet,
    scored: false,
    automated: false,
    severity: Medium,
    mitre: [],
    title: "Kubelet serving certificate rotation is not disabled (RotateKubeletServerCertificate)",
    test: Test::Custom(rotate_server_cert),
    what: "Reports a kubelet whose feature gate `RotateKubeletServerCertificate` is `false`.",
    why:
        "Rotation lets the serving certificate be renewed before it expires or after a compromise.",
    fix:
        "Remove `RotateKubeletServerCertificate: false` from `featureGates` and `--feature-gates`.",
    example: "kind: KubeletConfiguration\nfeatureGates:\n  RotateKubeletServerCertificate: false\n",
    reference: REF,
});

flag_check!(C4_2_12 {
    cis: "4.2.12", rule: "RMP7512", name: "kubelet-tls-ciphers", component: Kubelet,
    scored: false, automated: false, severity: Medium, mitre: ["T1557"],
    title: "Kubelet uses strong TLS cipher suites only (tlsCipherSuites)",
    test: Test::Valid(Key::with_config("tls-cipher-suites", "tlsCipherSuites"), ciphers::KUBELET),
    what: "Reports a kubelet whose `--tls-cipher-suites` / `tlsCipherSuites` is not set or lists a suite outside the benchmark's strong set.",
    why: "CBC and RSA key-exchange suites lack forward secrecy or have padding-oracle history.",
    fix: "Set `tlsCipherSuites` to ECDHE suites with AES-GCM or ChaCha20-Poly1305.",
    example: "kind: KubeletConfiguration\ntlsCipherSuites: [TLS_RSA_WITH_AES_128_CBC_SHA]\n",
    reference: REF,
});

flag_check!(C4_2_13 {
    cis: "4.2.13",
    rule: "RMP7513",
    name: "kubelet-pod-pids-limit",
    component: Kubelet,
    scored: false,
    automated: false,
    severity: Medium,
    mitre: ["T1499"],
    title: "Pods have a PID limit (podPidsLimit > 0)",
    test: Test::Custom(pod_pids),
    what: "Reports a kubelet whose `--pod-max-pids` / `podPidsLimit` is not a positive number.",
    why: "A fork bomb in one pod can exhaust the node's PIDs and take every other pod down.",
    fix: "Set `podPidsLimit` (e.g. 4096).",
    example: "kind: KubeletConfiguration\npodPidsLimit: -1\n",
    reference: REF,
});

flag_check!(C4_2_14 {
    cis: "4.2.14", rule: "RMP7514", name: "kubelet-seccomp-default", component: Kubelet,
    scored: false, automated: false, severity: Medium, mitre: ["T1611"],
    title: "RuntimeDefault seccomp is the default (seccompDefault: true)",
    test: Test::Eq(Key::with_config("seccomp-default", "seccompDefault"), "true", Absent::Fail),
    what: "Reports a kubelet whose `--seccomp-default` / `seccompDefault` is not `true`.",
    why: "Without it pods that do not ask for a profile run unconfined, with every syscall available to an attacker.",
    fix: "Set `seccompDefault: true`.",
    example: "kind: KubeletConfiguration\nseccompDefault: false\n",
    reference: REF,
});

#[cfg(test)]
mod tests {
    use super::zero_duration;

    #[test]
    fn zero_durations() {
        assert!(zero_duration("0"));
        assert!(zero_duration("0s"));
        assert!(zero_duration("0h0m0s"));
        assert!(!zero_duration("4h"));
        assert!(!zero_duration("10m0s"));
        assert!(!zero_duration(""));
    }
}
