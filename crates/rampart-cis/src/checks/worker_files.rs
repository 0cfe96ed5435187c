//! Worker node file permissions and ownership (4.1.x): the kubelet unit, kubeconfigs, client
//! CA and config file — each found where the kubelet's own command line says it is.

use crate::checks::files::{
    file_check, metas, FileSubject,
    FileTest::{ModeAtMost, Owner},
};
use crate::fs::NodeFs;
use crate::node::NodeFacts;
use crate::subject::{Component, Key, Subject};

fn kubelet(f: &NodeFacts) -> Result<&Subject, String> {
    f.get(Component::Kubelet)
        .ok_or_else(|| "no kubelet found on this node".to_string())
}

fn unit(f: &NodeFacts, fs: &dyn NodeFs) -> FileSubject {
    kubelet(f)?;
    match &f.kubelet_unit {
        Some(p) => metas(fs, std::slice::from_ref(p)),
        None => Err("no kubelet systemd unit found".into()),
    }
}

fn proxy_kubeconfig(f: &NodeFacts, fs: &dyn NodeFs) -> FileSubject {
    let Some(p) = f.get(Component::Proxy) else {
        return Err(
            "kube-proxy does not run from a file on this node (kubeadm's reads a ConfigMap)".into(),
        );
    };
    let Some(v) = p.lookup(&Key::with_config(
        "kubeconfig",
        "clientConnection.kubeconfig",
    )) else {
        return Err("kube-proxy has no kubeconfig file".into());
    };
    metas(fs, &[v.value])
}

fn kubelet_kubeconfig(f: &NodeFacts, fs: &dyn NodeFs) -> FileSubject {
    let path = kubelet(f)?
        .lookup(&Key::flag("kubeconfig"))
        .map_or_else(|| "/etc/kubernetes/kubelet.conf".to_string(), |v| v.value);
    metas(fs, &[path])
}

fn client_ca(f: &NodeFacts, fs: &dyn NodeFs) -> FileSubject {
    let Some(v) = kubelet(f)?.lookup(&Key::with_config(
        "client-ca-file",
        "authentication.x509.clientCAFile",
    )) else {
        return Err("the kubelet has no client CA file".into());
    };
    metas(fs, &[v.value])
}

fn config(f: &NodeFacts, fs: &dyn NodeFs) -> FileSubject {
    kubelet(f)?;
    match &f.kubelet_config {
        Some(p) => metas(fs, std::slice::from_ref(p)),
        None => Err("the kubelet has no config file".into()),
    }
}

file_check!(C4_1_1, WorkerFiles, "4.1.1", "Kubelet service file is mode 600 or stricter", true, unit, ModeAtMost(0o600), "chmod 600 the kubelet unit drop-in (kubeadm: /etc/systemd/system/kubelet.service.d/10-kubeadm.conf or /usr/lib/systemd/system/kubelet.service.d/10-kubeadm.conf)");
file_check!(
    C4_1_2,
    WorkerFiles,
    "4.1.2",
    "Kubelet service file is owned by root:root",
    true,
    unit,
    Owner("root:root"),
    "chown root:root the kubelet unit drop-in"
);
file_check!(
    C4_1_3,
    WorkerFiles,
    "4.1.3",
    "kube-proxy kubeconfig (if a file) is mode 600 or stricter",
    false,
    proxy_kubeconfig,
    ModeAtMost(0o600),
    "chmod 600 the file named by kube-proxy's --kubeconfig"
);
file_check!(
    C4_1_4,
    WorkerFiles,
    "4.1.4",
    "kube-proxy kubeconfig (if a file) is owned by root:root",
    false,
    proxy_kubeconfig,
    Owner("root:root"),
    "chown root:root the file named by kube-proxy's --kubeconfig"
);
file_check!(
    C4_1_5,
    WorkerFiles,
    "4.1.5",
    "Kubelet kubeconfig is mode 600 or stricter",
    true,
    kubelet_kubeconfig,
    ModeAtMost(0o600),
    "chmod 600 /etc/kubernetes/kubelet.conf"
);
file_check!(
    C4_1_6,
    WorkerFiles,
    "4.1.6",
    "Kubelet kubeconfig is owned by root:root",
    true,
    kubelet_kubeconfig,
    Owner("root:root"),
    "chown root:root /etc/kubernetes/kubelet.conf"
);
file_check!(
    C4_1_7,
    WorkerFiles,
    "4.1.7",
    "Kubelet client CA file is mode 644 or stricter",
    false,
    client_ca,
    ModeAtMost(0o644),
    "chmod 644 the kubelet's client CA file (kubeadm: /etc/kubernetes/pki/ca.crt)"
);
file_check!(
    C4_1_8,
    WorkerFiles,
    "4.1.8",
    "Kubelet client CA file is owned by root:root",
    false,
    client_ca,
    Owner("root:root"),
    "chown root:root the kubelet's client CA file"
);
file_check!(
    C4_1_9,
    WorkerFiles,
    "4.1.9",
    "Kubelet config file is mode 600 or stricter",
    true,
    config,
    ModeAtMost(0o600),
    "chmod 600 /var/lib/kubelet/config.yaml"
);
file_check!(
    C4_1_10,
    WorkerFiles,
    "4.1.10",
    "Kubelet config file is owned by root:root",
    true,
    config,
    Owner("root:root"),
    "chown root:root /var/lib/kubelet/config.yaml"
);

pub(crate) static CHECKS: &[&crate::checks::FileCheck] = &[
    &C4_1_1, &C4_1_2, &C4_1_3, &C4_1_4, &C4_1_5, &C4_1_6, &C4_1_7, &C4_1_8, &C4_1_9, &C4_1_10,
];
