//! etcd checks (2.x): flags, else the `ETCD_*` environment (container env or etcd.conf).

use crate::check::{Absent, Outcome, Test};
use crate::checks::{flag_check, FlagCheck};
use crate::subject::{Key, Subject};

const REF: &str = "https://etcd.io/docs/latest/op-guide/security/";
const TRUSTED_CA: Key = Key::with_env("trusted-ca-file", "ETCD_TRUSTED_CA_FILE");

pub(crate) static CHECKS: &[&FlagCheck] = &[&C2_1, &C2_2, &C2_3, &C2_4, &C2_5, &C2_6, &C2_7];

fn own_ca(s: &Subject) -> Outcome {
    let o = Test::Set(&[TRUSTED_CA]).eval(s);
    match (s.lookup(&TRUSTED_CA), &s.cluster_client_ca) {
        (Some(v), Some(ca)) if v.value == *ca => o.note(format!(
            "etcd trusts the cluster CA ({ca}): every cluster client certificate is accepted by etcd"
        )),
        _ => o,
    }
}

flag_check!(C2_1 {
    cis: "2.1",
    rule: "RMP7401",
    name: "etcd-client-tls",
    component: Etcd,
    scored: true,
    automated: true,
    severity: High,
    mitre: ["T1557"],
    title: "etcd serves clients over TLS (--cert-file, --key-file)",
    test: Test::Set(&[
        Key::with_env("cert-file", "ETCD_CERT_FILE"),
        Key::with_env("key-file", "ETCD_KEY_FILE")
    ]),
    what: "Reports an etcd without both `--cert-file` and `--key-file`.",
    why: "etcd holds all cluster state including Secrets; without TLS it is readable on the wire.",
    fix: "Set `--cert-file` and `--key-file` to etcd's serving certificate.",
    example: "command:\n- etcd\n- --listen-client-urls=http://0.0.0.0:2379\n",
    reference: REF,
});

flag_check!(C2_2 {
    cis: "2.2", rule: "RMP7402", name: "etcd-client-cert-auth", component: Etcd,
    scored: true, automated: true, severity: Critical, mitre: ["T1552"],
    title: "etcd requires client certificates (--client-cert-auth=true)",
    test: Test::Eq(Key::with_env("client-cert-auth", "ETCD_CLIENT_CERT_AUTH"), "true", Absent::Fail),
    what: "Reports an etcd whose `--client-cert-auth` is not `true`.",
    why: "Without client certificate authentication anyone who reaches the port can read and write all cluster data.",
    fix: "Set `--client-cert-auth=true` and `--trusted-ca-file`.",
    example: "command:\n- etcd\n- --client-cert-auth=false\n",
    reference: REF,
});

flag_check!(C2_3 {
    cis: "2.3", rule: "RMP7403", name: "etcd-auto-tls", component: Etcd,
    scored: true, automated: true, severity: High, mitre: ["T1557"],
    title: "etcd does not use self-signed client TLS (--auto-tls)",
    test: Test::NotEq(Key::with_env("auto-tls", "ETCD_AUTO_TLS"), "true", Absent::Pass),
    what: "Reports an etcd with `--auto-tls=true`.",
    why: "Auto-generated certificates cannot be verified by clients, so TLS no longer proves etcd's identity.",
    fix: "Remove `--auto-tls` and use certificates from the etcd CA.",
    example: "command:\n- etcd\n- --auto-tls=true\n",
    reference: REF,
});

flag_check!(C2_4 {
    cis: "2.4", rule: "RMP7404", name: "etcd-peer-tls", component: Etcd,
    scored: true, automated: true, severity: High, mitre: ["T1557"],
    title: "etcd peers talk over TLS (--peer-cert-file, --peer-key-file)",
    test: Test::Set(&[Key::with_env("peer-cert-file", "ETCD_PEER_CERT_FILE"), Key::with_env("peer-key-file", "ETCD_PEER_KEY_FILE")]),
    what: "Reports an etcd without both `--peer-cert-file` and `--peer-key-file`.",
    why: "Replication traffic carries all cluster data; without TLS it is readable and forgeable on the network.",
    fix: "Set `--peer-cert-file` and `--peer-key-file` (kubeadm: pki/etcd/peer.crt/.key).",
    example: "command:\n- etcd\n- --listen-peer-urls=http://10.0.0.5:2380\n",
    reference: REF,
});

flag_check!(C2_5 {
    cis: "2.5", rule: "RMP7405", name: "etcd-peer-client-cert-auth", component: Etcd,
    scored: true, automated: true, severity: High, mitre: ["T1557"],
    title: "etcd peers require certificates (--peer-client-cert-auth=true)",
    test: Test::Eq(Key::with_env("peer-client-cert-auth", "ETCD_PEER_CLIENT_CERT_AUTH"), "true", Absent::Fail),
    what: "Reports an etcd whose `--peer-client-cert-auth` is not `true`.",
    why: "Without it any host that reaches the peer port can join or talk to the cluster as a member.",
    fix: "Set `--peer-client-cert-auth=true` and `--peer-trusted-ca-file`.",
    example: "command:\n- etcd\n- --peer-client-cert-auth=false\n",
    reference: REF,
});

flag_check!(C2_6 {
    cis: "2.6", rule: "RMP7406", name: "etcd-peer-auto-tls", component: Etcd,
    scored: true, automated: true, severity: High, mitre: ["T1557"],
    title: "etcd peers do not use self-signed TLS (--peer-auto-tls)",
    test: Test::NotEq(Key::with_env("peer-auto-tls", "ETCD_PEER_AUTO_TLS"), "true", Absent::Pass),
    what: "Reports an etcd with `--peer-auto-tls=true`.",
    why: "Self-signed peer certificates cannot be verified, so peers cannot tell members from impostors.",
    fix: "Remove `--peer-auto-tls` and use certificates from the etcd CA.",
    example: "command:\n- etcd\n- --peer-auto-tls=true\n",
    reference: REF,
});

flag_check!(C2_7 {
    cis: "2.7", rule: "RMP7407", name: "etcd-trusted-ca", component: Etcd,
    scored: false, automated: false, severity: Medium, mitre: [],
    title: "etcd trusts its own CA for clients (--trusted-ca-file)",
    test: Test::Custom(own_ca),
    what: "Reports an etcd without `--trusted-ca-file`; notes when it is the API server's client CA.",
    why: "A CA shared with the cluster lets any holder of a cluster client certificate talk to etcd directly.",
    fix: "Use a CA dedicated to etcd (kubeadm: pki/etcd/ca.crt) for `--trusted-ca-file`.",
    example: "command:\n- etcd\n- --client-cert-auth=true\n",
    reference: REF,
});
