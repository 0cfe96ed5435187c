//! Encryption at rest, TLS ciphers and token lifetime (1.2.27–1.2.30).

use crate::check::{Absent, Outcome, Test};
use crate::checks::{flag_check, FlagCheck};
use crate::ciphers;
use crate::encryption::STRONG_PROVIDERS;
use crate::subject::{FileState, Key, Origin, Subject};

const REF: &str = "https://kubernetes.io/docs/tasks/administer-cluster/encrypt-data/";
const ENC: Key = Key::flag("encryption-provider-config");

pub(crate) static CHECKS: &[&FlagCheck] = &[&C1_2_27, &C1_2_28, &C1_2_29, &C1_2_30];

fn encryption_configured(s: &Subject) -> Outcome {
    let o = Test::Set(&[ENC]).eval(s);
    if !o.passed() {
        return o;
    }
    match &s.encryption {
        FileState::Bad { path, reason } => {
            let mut bad =
                Outcome::new(false, format!("{}; {path}: {reason}", o.evidence), o.origin);
            bad.notes.push(
                "the API server cannot start with an unreadable encryption configuration".into(),
            );
            bad
        }
        _ => o,
    }
}

fn encryption_provider(s: &Subject) -> Outcome {
    if !s.files_read {
        return Outcome::skip("the EncryptionConfiguration file was not read");
    }
    let Some(flag) = s.lookup(&ENC) else {
        return Outcome::new(
            false,
            "--encryption-provider-config is not set: Secrets are stored unencrypted",
            s.anchor.clone(),
        );
    };
    let (path, cfg) = match &s.encryption {
        FileState::NotRead => {
            return Outcome::skip("the EncryptionConfiguration file was not read")
        }
        FileState::Bad { path, reason } => {
            return Outcome::new(false, format!("{path}: {reason}"), flag.origin);
        }
        FileState::Loaded { path, value } => (path, value),
    };
    let entries = cfg.secret_entries();
    if entries.is_empty() {
        return Outcome::new(
            false,
            format!("{path}: no resources entry covers secrets, so Secrets are stored unencrypted"),
            Origin::file(path, None),
        );
    }
    let mut outcome = None;
    for e in &entries {
        let first = e.providers.first().map_or("(none)", String::as_str);
        let ok = STRONG_PROVIDERS.contains(&first);
        let evidence = format!(
            "{}: first provider {first} ({path}:{})",
            e.resources.join(","),
            e.line
        );
        let o = Outcome::new(ok, evidence, Origin::file(path, Some(e.line)));
        // The first failing entry decides; else the first entry.
        if !ok {
            outcome = Some(o);
            break;
        }
        outcome.get_or_insert(o);
    }
    let mut o = outcome.unwrap_or_else(|| Outcome::skip("no entry"));
    o.notes.extend(cfg.notes());
    o
}

fn api_ciphers(s: &Subject) -> Outcome {
    let o = Test::Valid(Key::flag("tls-cipher-suites"), ciphers::API_SERVER).eval(s);
    match s.flags.get("tls-min-version") {
        Some(v) if matches!(v.value.as_str(), "VersionTLS10" | "VersionTLS11") => o.note(format!(
            "--tls-min-version={} allows TLS below 1.2",
            v.value
        )),
        _ => o,
    }
}

flag_check!(C1_2_27 {
    cis: "1.2.27", rule: "RMP7127", name: "apiserver-encryption-config", component: ApiServer,
    scored: false, automated: false, severity: High, mitre: ["T1552"],
    title: "Encryption at rest is configured (--encryption-provider-config)",
    test: Test::Custom(encryption_configured),
    what: "Reports an API server without `--encryption-provider-config` (or whose file cannot be read).",
    why: "Without it Secrets are stored in etcd in plain text: any etcd backup or disk copy leaks every credential.",
    fix: "Write an EncryptionConfiguration whose first provider for secrets is kms (v2), aescbc or secretbox, mount it into the API server pod, and set `--encryption-provider-config`.",
    example: "command:\n- kube-apiserver\n- --etcd-servers=https://127.0.0.1:2379\n",
    reference: REF,
});

flag_check!(C1_2_28 {
    cis: "1.2.28", rule: "RMP7128", name: "apiserver-encryption-provider", component: ApiServer,
    scored: false, automated: false, severity: High, mitre: ["T1552"],
    title: "Secrets are written with a strong encryption provider (aescbc, kms or secretbox first)",
    test: Test::Custom(encryption_provider),
    what: "Reads the EncryptionConfiguration named by `--encryption-provider-config` and reports every entry covering secrets whose first provider is not aescbc, kms or secretbox.",
    why: "Only the first provider encrypts writes: `identity` first stores new Secrets in plain text even if a real provider follows.",
    fix: "Put kms (apiVersion v2), aescbc or secretbox first for secrets, keep identity last while migrating, then rewrite all Secrets (`kubectl get secrets -A -o json | kubectl replace -f -`).",
    example: "command:\n- kube-apiserver\n",
    reference: REF,
});

flag_check!(C1_2_29 {
    cis: "1.2.29", rule: "RMP7129", name: "apiserver-tls-ciphers", component: ApiServer,
    scored: false, automated: false, severity: Medium, mitre: ["T1557"],
    title: "API server uses strong TLS cipher suites only (--tls-cipher-suites)",
    test: Test::Custom(api_ciphers),
    what: "Reports an API server whose `--tls-cipher-suites` is not set or lists a suite outside the benchmark's strong set.",
    why: "CBC and RSA key-exchange suites lack forward secrecy or have padding-oracle history.",
    fix: "Set `--tls-cipher-suites` to TLS 1.3 suites and ECDHE with AES-GCM or ChaCha20-Poly1305 only.",
    example: "command:\n- kube-apiserver\n- --tls-cipher-suites=TLS_RSA_WITH_AES_128_GCM_SHA256\n",
    reference: "https://kubernetes.io/docs/reference/command-line-tools-reference/kube-apiserver/",
});

flag_check!(C1_2_30 {
    cis: "1.2.30", rule: "RMP7130", name: "apiserver-extend-token-expiration", component: ApiServer,
    scored: true, automated: true, severity: Low, mitre: ["T1528"],
    title: "Service-account tokens are not silently extended (--service-account-extend-token-expiration=false)",
    test: Test::Eq(Key::flag("service-account-extend-token-expiration"), "false", Absent::Fail),
    what: "Reports an API server whose `--service-account-extend-token-expiration` is not `false` (the default is `true`).",
    why: "With extension, projected tokens requested for an hour stay valid for a year, so a stolen token lives far longer than asked.",
    fix: "Set `--service-account-extend-token-expiration=false` once workloads refresh their tokens.",
    example: "command:\n- kube-apiserver\n- --service-account-issuer=https://kubernetes.default.svc\n",
    reference: "https://kubernetes.io/docs/reference/command-line-tools-reference/kube-apiserver/",
});
