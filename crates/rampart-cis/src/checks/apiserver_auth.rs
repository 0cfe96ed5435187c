//! API server authentication, authorization and TLS checks (1.2.1–1.2.8, 1.2.21–1.2.26).

use crate::check::{Absent, Outcome, Test};
use crate::checks::{flag_check, FlagCheck};
use crate::subject::{Key, Subject};

const REF: &str =
    "https://kubernetes.io/docs/reference/command-line-tools-reference/kube-apiserver/";
const ANONYMOUS: Key = Key::flag("anonymous-auth");
const AUTHZ: Key = Key::flag("authorization-mode");

pub(crate) static CHECKS: &[&FlagCheck] = &[
    &C1_2_1, &C1_2_2, &C1_2_4, &C1_2_5, &C1_2_6, &C1_2_7, &C1_2_8, &C1_2_21, &C1_2_22, &C1_2_23,
    &C1_2_24, &C1_2_25, &C1_2_26,
];

fn anonymous(s: &Subject) -> Outcome {
    let o = Test::Eq(ANONYMOUS, "false", Absent::Fail).eval(s);
    if o.failed() && s.flags.get("authentication-config").is_some() {
        return o.note("--authentication-config is set: anonymous access may be limited to health paths there, which this flag check cannot see");
    }
    o
}

fn authz(test: Test) -> impl Fn(&Subject) -> Outcome {
    move |s| {
        let o = test.eval(s);
        if o.failed() && s.flags.get("authorization-config").is_some() {
            return o.note(
                "--authorization-config is set: the authorizer chain is defined in that file",
            );
        }
        o
    }
}

fn authz_not_always_allow(s: &Subject) -> Outcome {
    authz(Test::NotHave(AUTHZ, "AlwaysAllow", Absent::Fail))(s)
}
fn authz_node(s: &Subject) -> Outcome {
    authz(Test::Has(AUTHZ, "Node", Absent::Fail))(s)
}
fn authz_rbac(s: &Subject) -> Outcome {
    authz(Test::Has(AUTHZ, "RBAC", Absent::Fail))(s)
}

flag_check!(C1_2_1 {
    cis: "1.2.1", rule: "RMP7101", name: "apiserver-anonymous-auth", component: ApiServer,
    scored: false, automated: false, severity: Medium, mitre: ["T1078"],
    title: "API server refuses anonymous requests (--anonymous-auth=false)",
    test: Test::Custom(anonymous),
    what: "Reports an API server whose `--anonymous-auth` is not `false` (the binary default is `true`).",
    why: "Anonymous requests reach the authorizer as `system:anonymous`; any binding that grants that user or `system:unauthenticated` is open to the network.",
    fix: "Set `--anonymous-auth=false` in the kube-apiserver manifest (keep health probes working with an AuthenticationConfiguration that allows anonymous only for /livez, /readyz and /healthz).",
    example: "command:\n- kube-apiserver\n- --anonymous-auth=true\n",
    reference: REF,
});

flag_check!(C1_2_2 {
    cis: "1.2.2", rule: "RMP7102", name: "apiserver-token-auth-file", component: ApiServer,
    scored: true, automated: true, severity: High, mitre: ["T1078", "T1552"],
    title: "API server uses no static token file (--token-auth-file not set)",
    test: Test::NotSet(Key::flag("token-auth-file")),
    what: "Reports an API server started with `--token-auth-file`.",
    why: "Static tokens live in clear text on the control plane, never expire and can only be changed by restarting the API server.",
    fix: "Remove `--token-auth-file`; use client certificates, OIDC or service-account tokens instead.",
    example: "command:\n- kube-apiserver\n- --token-auth-file=/etc/kubernetes/tokens.csv\n",
    reference: REF,
});

flag_check!(C1_2_4 {
    cis: "1.2.4", rule: "RMP7104", name: "apiserver-kubelet-client-cert", component: ApiServer,
    scored: true, automated: true, severity: High, mitre: [],
    title: "API server authenticates to kubelets with a client certificate",
    test: Test::Set(&[Key::flag("kubelet-client-certificate"), Key::flag("kubelet-client-key")]),
    what: "Reports an API server without both `--kubelet-client-certificate` and `--kubelet-client-key`.",
    why: "Without a client certificate the API server cannot authenticate to kubelets, which then must allow unauthenticated access for logs, exec and port-forward.",
    fix: "Set `--kubelet-client-certificate` and `--kubelet-client-key` to a certificate the kubelets trust (kubeadm: apiserver-kubelet-client.crt/.key).",
    example: "command:\n- kube-apiserver\n- --kubelet-client-certificate=/etc/kubernetes/pki/apiserver-kubelet-client.crt\n",
    reference: REF,
});

flag_check!(C1_2_5 {
    cis: "1.2.5", rule: "RMP7105", name: "apiserver-kubelet-ca", component: ApiServer,
    scored: true, automated: true, severity: Medium, mitre: ["T1557"],
    title: "API server verifies kubelet serving certificates (--kubelet-certificate-authority)",
    test: Test::Set(&[Key::flag("kubelet-certificate-authority")]),
    what: "Reports an API server without `--kubelet-certificate-authority`.",
    why: "Without it the API server does not verify the kubelet it connects to, so exec, attach and logs traffic can be intercepted.",
    fix: "Issue kubelet serving certificates from a CA (e.g. `serverTLSBootstrap: true`) and set `--kubelet-certificate-authority` to that CA.",
    example: "command:\n- kube-apiserver\n- --authorization-mode=Node,RBAC\n",
    reference: REF,
});

flag_check!(C1_2_6 {
    cis: "1.2.6", rule: "RMP7106", name: "apiserver-authorization-always-allow", component: ApiServer,
    scored: true, automated: true, severity: Critical, mitre: ["T1078"],
    title: "API server authorization is not AlwaysAllow",
    test: Test::Custom(authz_not_always_allow),
    what: "Reports an API server whose `--authorization-mode` includes `AlwaysAllow` or is not set.",
    why: "`AlwaysAllow` authorizes every authenticated (and, with anonymous auth, unauthenticated) request: RBAC no longer applies.",
    fix: "Set `--authorization-mode=Node,RBAC`.",
    example: "command:\n- kube-apiserver\n- --authorization-mode=AlwaysAllow\n",
    reference: REF,
});

flag_check!(C1_2_7 {
    cis: "1.2.7", rule: "RMP7107", name: "apiserver-authorization-node", component: ApiServer,
    scored: true, automated: true, severity: Medium, mitre: [],
    title: "API server authorization includes Node",
    test: Test::Custom(authz_node),
    what: "Reports an API server whose `--authorization-mode` lacks `Node`.",
    why: "The Node authorizer limits each kubelet to the objects of pods bound to its node; without it a compromised node reads every Secret its RBAC allows.",
    fix: "Set `--authorization-mode=Node,RBAC`.",
    example: "command:\n- kube-apiserver\n- --authorization-mode=RBAC\n",
    reference: REF,
});

flag_check!(C1_2_8 {
    cis: "1.2.8", rule: "RMP7108", name: "apiserver-authorization-rbac", component: ApiServer,
    scored: true, automated: true, severity: High, mitre: [],
    title: "API server authorization includes RBAC",
    test: Test::Custom(authz_rbac),
    what: "Reports an API server whose `--authorization-mode` lacks `RBAC`.",
    why: "Without RBAC, Roles and bindings have no effect and access control falls back to whatever else is configured.",
    fix: "Set `--authorization-mode=Node,RBAC`.",
    example: "command:\n- kube-apiserver\n- --authorization-mode=Node\n",
    reference: REF,
});

flag_check!(C1_2_21 {
    cis: "1.2.21",
    rule: "RMP7121",
    name: "apiserver-service-account-lookup",
    component: ApiServer,
    scored: true,
    automated: true,
    severity: Medium,
    mitre: ["T1528"],
    title: "API server checks service-account tokens against etcd (--service-account-lookup)",
    test: Test::Eq(Key::flag("service-account-lookup"), "true", Absent::Pass),
    what: "Reports an API server with `--service-account-lookup=false`.",
    why: "Without the lookup, tokens of deleted service accounts stay valid until they expire.",
    fix: "Remove `--service-account-lookup=false` (the default is `true`).",
    example: "command:\n- kube-apiserver\n- --service-account-lookup=false\n",
    reference: REF,
});

flag_check!(C1_2_22 {
    cis: "1.2.22", rule: "RMP7122", name: "apiserver-service-account-key", component: ApiServer,
    scored: true, automated: true, severity: Medium, mitre: [],
    title: "API server has a service-account verification key (--service-account-key-file)",
    test: Test::Set(&[Key::flag("service-account-key-file")]),
    what: "Reports an API server without `--service-account-key-file`.",
    why: "The key file lets tokens be verified across key rotation; without it the serving key is reused for verification.",
    fix: "Set `--service-account-key-file` to the public key matching the controller manager's `--service-account-private-key-file`.",
    example: "command:\n- kube-apiserver\n- --service-account-issuer=https://kubernetes.default.svc\n",
    reference: REF,
});

flag_check!(C1_2_23 {
    cis: "1.2.23", rule: "RMP7123", name: "apiserver-etcd-client-cert", component: ApiServer,
    scored: true, automated: true, severity: High, mitre: ["T1557"],
    title: "API server authenticates to etcd with a client certificate",
    test: Test::Set(&[Key::flag("etcd-certfile"), Key::flag("etcd-keyfile")]),
    what: "Reports an API server without both `--etcd-certfile` and `--etcd-keyfile`.",
    why: "etcd holds every Secret; without client certificates it must accept unauthenticated clients.",
    fix: "Set `--etcd-certfile` and `--etcd-keyfile` (kubeadm: apiserver-etcd-client.crt/.key) and require client certificates in etcd.",
    example: "command:\n- kube-apiserver\n- --etcd-servers=http://10.0.0.5:2379\n",
    reference: REF,
});

flag_check!(C1_2_24 {
    cis: "1.2.24", rule: "RMP7124", name: "apiserver-tls-serving", component: ApiServer,
    scored: true, automated: true, severity: High, mitre: ["T1557"],
    title: "API server serves TLS with its own certificate (--tls-cert-file, --tls-private-key-file)",
    test: Test::Set(&[Key::flag("tls-cert-file"), Key::flag("tls-private-key-file")]),
    what: "Reports an API server without both `--tls-cert-file` and `--tls-private-key-file`.",
    why: "Without them the API server serves a self-signed certificate that clients cannot verify.",
    fix: "Set `--tls-cert-file` and `--tls-private-key-file` to a certificate signed by the cluster CA.",
    example: "command:\n- kube-apiserver\n- --secure-port=6443\n",
    reference: REF,
});

flag_check!(C1_2_25 {
    cis: "1.2.25", rule: "RMP7125", name: "apiserver-client-ca", component: ApiServer,
    scored: true, automated: true, severity: High, mitre: [],
    title: "API server authenticates client certificates (--client-ca-file)",
    test: Test::Set(&[Key::flag("client-ca-file")]),
    what: "Reports an API server without `--client-ca-file`.",
    why: "Without a client CA no client certificate is verified, so components and admins cannot use certificate authentication.",
    fix: "Set `--client-ca-file` to the cluster CA certificate.",
    example: "command:\n- kube-apiserver\n- --tls-cert-file=/etc/kubernetes/pki/apiserver.crt\n",
    reference: REF,
});

flag_check!(C1_2_26 {
    cis: "1.2.26", rule: "RMP7126", name: "apiserver-etcd-ca", component: ApiServer,
    scored: true, automated: true, severity: High, mitre: ["T1557"],
    title: "API server verifies etcd's certificate (--etcd-cafile)",
    test: Test::Set(&[Key::flag("etcd-cafile")]),
    what: "Reports an API server without `--etcd-cafile`.",
    why: "Without the etcd CA the API server cannot tell the real etcd from an impostor holding all cluster state.",
    fix: "Set `--etcd-cafile` to the CA that signed etcd's serving certificate (kubeadm: pki/etcd/ca.crt).",
    example: "command:\n- kube-apiserver\n- --etcd-servers=https://127.0.0.1:2379\n",
    reference: REF,
});
