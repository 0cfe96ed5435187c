//! Semantics that the conformance cases do not pin down, on in-memory nodes: flag forms and
//! precedence, live processes, etcd's environment, the EncryptionConfiguration model, skips.

use rampart_cis::{evaluate, MemFs, Report, Status};

const POD: &str = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: NAME\n  namespace: kube-system\n  labels: {component: NAME}\nspec:\n  containers:\n  - name: NAME\n    image: registry.k8s.io/NAME:v1.36.0\n    command:\n    - NAME\nARGS";

fn pod(name: &str, args: &[&str]) -> String {
    let lines: String = args.iter().map(|a| format!("    - \"{a}\"\n")).collect();
    POD.replace("NAME", name).replace("ARGS", &lines)
}

fn status(r: &Report, id: &str) -> Status {
    r.get(id)
        .map_or_else(|| panic!("no check {id}"), |c| c.status)
}

fn api(args: &[&str]) -> MemFs {
    MemFs::new().file(
        "/etc/kubernetes/manifests/kube-apiserver.yaml",
        &pod("kube-apiserver", args),
    )
}

#[test]
fn flag_forms_and_last_occurrence() {
    let r = evaluate(&api(&[
        "--profiling=true",
        "--profiling",
        "false",
        "--anonymous-auth",
        "--anonymous-auth=False",
    ]));
    // `--profiling` is boolean: the bare form means true and "false" is not its value.
    assert_eq!(status(&r, "1.2.15"), Status::Fail);
    assert_eq!(status(&r, "1.2.1"), Status::Pass);
    let r = evaluate(&api(&["--audit-log-maxage", "30", "--audit-log-maxage=7"]));
    assert_eq!(status(&r, "1.2.17"), Status::Fail);
    let c = r.get("1.2.17").expect("1.2.17");
    assert_eq!(
        (c.evidence.as_str(), c.line),
        ("--audit-log-maxage=7", Some(15))
    );
}

#[test]
fn admission_plugins_accumulate_and_match_whole_names() {
    let r = evaluate(&api(&[
        "--enable-admission-plugins=NodeRestriction",
        "--enable-admission-plugins=AlwaysPullImages,EventRateLimitX",
    ]));
    assert_eq!(status(&r, "1.2.11"), Status::Pass);
    assert_eq!(status(&r, "1.2.14"), Status::Pass);
    assert_eq!(
        status(&r, "1.2.9"),
        Status::Warn,
        "EventRateLimitX is not EventRateLimit"
    );
}

#[test]
fn encryption_configuration_model() {
    let enc = "apiVersion: apiserver.config.k8s.io/v1\nkind: EncryptionConfiguration\nresources:\n- resources: [configmaps]\n  providers: [{aesgcm: {keys: [{name: a, secret: eA==}]}}]\n- resources: ['*.']\n  providers:\n  - identity: {}\n  - secretbox: {keys: [{name: b, secret: eA==}]}\n";
    let fs = api(&["--encryption-provider-config=/etc/enc.yaml"]).file("/etc/enc.yaml", enc);
    let r = evaluate(&fs);
    assert_eq!(status(&r, "1.2.27"), Status::Pass);
    let c = r.get("1.2.28").expect("1.2.28");
    assert_eq!(c.status, Status::Warn);
    assert!(
        c.evidence.contains("*.: first provider identity"),
        "{}",
        c.evidence
    );
    assert!(!c.evidence.contains("eA=="));
    // Only configmaps covered: Secrets are not encrypted at all.
    let only_cm = "kind: EncryptionConfiguration\nresources:\n- resources: [configmaps]\n  providers: [{kms: {apiVersion: v2, name: k, endpoint: unix:///k.sock}}]\n";
    let r = evaluate(&api(&["--encryption-provider-config=/e.yaml"]).file("/e.yaml", only_cm));
    assert!(r
        .get("1.2.28")
        .is_some_and(|c| c.status == Status::Warn
            && c.evidence.contains("no resources entry covers secrets")));
    // A flag naming a missing file: the API server would not start.
    let r = evaluate(&api(&["--encryption-provider-config=/missing.yaml"]));
    assert_eq!(status(&r, "1.2.27"), Status::Warn);
    assert_eq!(status(&r, "1.2.28"), Status::Warn);
}

#[test]
fn etcd_env_and_config_file() {
    let etcd = "apiVersion: v1\nkind: Pod\nmetadata: {name: etcd, namespace: kube-system}\nspec:\n  containers:\n  - name: etcd\n    image: registry.k8s.io/etcd:3.5.21-0\n    command: [etcd, --cert-file=/p/s.crt, --key-file=/p/s.key]\n    env:\n    - {name: ETCD_CLIENT_CERT_AUTH, value: 'true'}\n    - {name: ETCD_PEER_AUTO_TLS, value: 'true'}\n";
    let fs = MemFs::new()
        .file("/etc/kubernetes/manifests/etcd.yaml", etcd)
        .file(
            "/etc/etcd/etcd.conf",
            "ETCD_TRUSTED_CA_FILE=\"/etc/kubernetes/pki/ca.crt\"\nETCD_CLIENT_CERT_AUTH=false\n",
        )
        .file(
            "/etc/kubernetes/manifests/kube-apiserver.yaml",
            &pod(
                "kube-apiserver",
                &["--client-ca-file=/etc/kubernetes/pki/ca.crt"],
            ),
        );
    let r = evaluate(&fs);
    assert_eq!(status(&r, "2.1"), Status::Pass);
    assert_eq!(
        status(&r, "2.2"),
        Status::Pass,
        "container env wins over etcd.conf"
    );
    assert_eq!(status(&r, "2.6"), Status::Fail);
    let c = r.get("2.7").expect("2.7");
    assert_eq!(c.status, Status::Pass);
    assert!(
        c.notes.iter().any(|n| n.contains("cluster CA")),
        "{:?}",
        c.notes
    );
}

#[test]
fn live_processes_fill_what_manifests_do_not() {
    let fs = MemFs::new()
        .process(10, &["/usr/local/bin/kube-apiserver", "--profiling=false", "--anonymous-auth=false"])
        .process(11, &["/usr/bin/kubelet", "--read-only-port=10255", "--config=/var/lib/kubelet/config.yaml"])
        .file("/var/lib/kubelet/config.yaml", "kind: KubeletConfiguration\nreadOnlyPort: 0\nauthentication:\n  anonymous:\n    enabled: false\n");
    let r = evaluate(&fs);
    assert_eq!(status(&r, "1.2.15"), Status::Pass);
    assert_eq!(
        r.get("1.2.15").and_then(|c| c.file.clone()).as_deref(),
        Some("/proc/10/cmdline")
    );
    assert_eq!(
        status(&r, "4.2.4"),
        Status::Warn,
        "the flag overrides the config file"
    );
    assert_eq!(status(&r, "4.2.1"), Status::Pass);
    let c = r.get("4.2.1").expect("4.2.1");
    assert_eq!(
        (c.file.as_deref(), c.line),
        (Some("/var/lib/kubelet/config.yaml"), Some(5))
    );
}

#[test]
fn kubelet_from_flag_files_without_a_unit() {
    let fs = MemFs::new()
        .file(
            "/var/lib/kubelet/kubeadm-flags.env",
            "KUBELET_KUBEADM_ARGS=\"--pod-max-pids=-1\"\n",
        )
        .file(
            "/etc/default/kubelet",
            "KUBELET_EXTRA_ARGS=--seccomp-default\n",
        )
        .file(
            "/var/lib/kubelet/config.yaml",
            "kind: KubeletConfiguration\npodPidsLimit: 1024\n",
        )
        .stat("/var/lib/kubelet/config.yaml", 0o640, "root", "root");
    let r = evaluate(&fs);
    assert_eq!(
        status(&r, "4.2.13"),
        Status::Warn,
        "-1 from the flag wins over the file"
    );
    assert_eq!(status(&r, "4.2.14"), Status::Pass);
    assert_eq!(status(&r, "4.1.9"), Status::Fail);
    assert_eq!(status(&r, "4.1.1"), Status::Skip);
}

#[test]
fn absent_components_are_skipped_not_failed() {
    let r = evaluate(&MemFs::new());
    assert!(r
        .checks
        .iter()
        .all(|c| matches!(c.status, Status::Skip | Status::Manual)));
    assert!(!r.has_failures());
    let r = evaluate(&api(&["--anonymous-auth=false"]));
    assert_eq!(status(&r, "1.3.1"), Status::Skip);
    assert_eq!(status(&r, "1.1.1"), Status::Skip, "no mode recorded");
    assert_eq!(status(&r, "4.2.1"), Status::Skip);
}

#[test]
fn file_modes_use_bitmasks() {
    let fs = api(&[])
        .stat(
            "/etc/kubernetes/manifests/kube-apiserver.yaml",
            0o400,
            "root",
            "root",
        )
        .stat("/etc/kubernetes/pki/ca.crt", 0o640, "root", "root")
        .stat("/etc/kubernetes/pki/ca.key", 0o640, "root", "kube")
        .stat("/etc/kubernetes/pki", 0o755, "root", "root");
    let r = evaluate(&fs);
    assert_eq!(status(&r, "1.1.1"), Status::Pass, "400 is within 600");
    assert_eq!(status(&r, "1.1.20"), Status::Pass, "640 is within 644");
    assert_eq!(status(&r, "1.1.21"), Status::Warn, "640 is not within 600");
    assert_eq!(status(&r, "1.1.19"), Status::Fail);
    assert!(r
        .get("1.1.19")
        .is_some_and(|c| c.evidence.contains("root:kube /etc/kubernetes/pki/ca.key")));
}

#[test]
fn policy_checks_from_cluster_objects() {
    let text = "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata: {name: ops-admin}\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}\nsubjects:\n- {kind: User, name: alice}\n---\nkind: ClusterRole\napiVersion: rbac.authorization.k8s.io/v1\nmetadata: {name: ops}\nrules:\n- {apiGroups: [''], resources: ['*'], verbs: [get]}\n---\napiVersion: v1\nkind: ServiceAccount\nmetadata: {name: default, namespace: shop}\nautomountServiceAccountToken: false\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: shop}\nspec:\n  template:\n    spec:\n      hostNetwork: true\n      securityContext: {seccompProfile: {type: RuntimeDefault}}\n      containers:\n      - name: web\n        image: nginx\n        env:\n        - name: PASSWORD\n          valueFrom: {secretKeyRef: {name: db, key: pw}}\n        securityContext: {capabilities: {add: [NET_ADMIN]}}\n---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: deny, namespace: shop}\nspec: {podSelector: {}}\n";
    let (_, objects, errors) = rampart_manifest::load_text("cluster.yaml", text.to_string());
    assert!(errors.is_empty(), "{errors:?}");
    let r = rampart_cis::evaluate_with(&MemFs::new(), Some(&objects));
    assert_eq!(status(&r, "5.1.1"), Status::Warn);
    assert_eq!(r.get("5.1.1").and_then(|c| c.line), Some(6));
    assert_eq!(status(&r, "5.1.3"), Status::Warn);
    assert_eq!(status(&r, "5.1.5"), Status::Pass);
    assert_eq!(status(&r, "5.1.7"), Status::Pass);
    assert_eq!(status(&r, "5.2.2"), Status::Pass);
    assert_eq!(status(&r, "5.2.5"), Status::Warn);
    assert_eq!(status(&r, "5.2.8"), Status::Pass);
    assert_eq!(status(&r, "5.2.9"), Status::Warn);
    assert_eq!(status(&r, "5.4.1"), Status::Warn);
    assert_eq!(status(&r, "5.6.2"), Status::Pass);
    assert_eq!(status(&r, "5.3.2"), Status::Pass);
    assert_eq!(status(&r, "5.6.4"), Status::Pass);
    assert_eq!(status(&r, "5.5.1"), Status::Manual);
    assert!(!r.has_failures(), "5.x checks are unscored");
    // Without objects they stay manual.
    assert_eq!(status(&evaluate(&MemFs::new()), "5.1.1"), Status::Manual);
}
