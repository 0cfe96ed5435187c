//! Control-plane file permissions and ownership (1.1.x), and the machinery shared with the
//! worker-node file checks: a subject (the paths) and a test (mode mask or owner).

use crate::check::{CheckMeta, Outcome};
use crate::fs::{FileMeta, NodeFs};
use crate::node::NodeFacts;
use crate::subject::{Component, Key, Origin};

/// The files a check looks at, with their metadata; `Err` is why the check does not apply.
pub type FileSubject = Result<Vec<(String, FileMeta)>, String>;

/// What the files must satisfy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileTest {
    /// No permission bit outside the mask (kube-bench's `bitmask`).
    ModeAtMost(u32),
    /// `owner:group`.
    Owner(&'static str),
}

/// A file permission or ownership check.
#[derive(Debug)]
pub struct FileCheck {
    pub meta: CheckMeta,
    pub subject: fn(&NodeFacts, &dyn NodeFs) -> FileSubject,
    pub test: FileTest,
}

impl FileCheck {
    pub fn eval(&self, facts: &NodeFacts, fs: &dyn NodeFs) -> Outcome {
        let files = match (self.subject)(facts, fs) {
            Ok(f) if f.is_empty() => return Outcome::skip("no such file on this node"),
            Ok(f) => f,
            Err(reason) => return Outcome::skip(reason),
        };
        let bad: Vec<&(String, FileMeta)> =
            files.iter().filter(|(_, m)| !self.complies(m)).collect();
        let want = match self.test {
            FileTest::ModeAtMost(mask) => format!("{mask:o} or stricter"),
            FileTest::Owner(o) => o.to_string(),
        };
        let shown = |(p, m): &(String, FileMeta)| format!("{} {p}", m.describe());
        let (evidence, path) = match (files.len(), bad.first()) {
            (1, _) => (
                format!("{} (want {want})", shown(&files[0])),
                files[0].0.clone(),
            ),
            (n, None) => (format!("all {n} files are {want}"), files[0].0.clone()),
            (n, Some(first)) => (
                format!(
                    "{} of {n} files are not {want}: {}",
                    bad.len(),
                    bad.iter()
                        .take(5)
                        .map(|f| shown(f))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                first.0.clone(),
            ),
        };
        Outcome::new(bad.is_empty(), evidence, Origin::file(&path, None))
    }

    fn complies(&self, m: &FileMeta) -> bool {
        match self.test {
            FileTest::ModeAtMost(mask) => m.mode & !mask == 0,
            FileTest::Owner(o) => m.ownership() == o,
        }
    }
}

/// Metadata of each path that has any; `Err` when none does.
pub(crate) fn metas(fs: &dyn NodeFs, paths: &[String]) -> FileSubject {
    let found: Vec<(String, FileMeta)> = paths
        .iter()
        .filter_map(|p| fs.meta(p).map(|m| (p.clone(), m)))
        .collect();
    if found.is_empty() {
        let list = paths.join(", ");
        return Err(if paths.iter().any(|p| fs.exists(p)) {
            format!("no mode or owner recorded for {list}")
        } else {
            format!("{list} not present")
        });
    }
    Ok(found)
}

fn control_plane(facts: &NodeFacts) -> Result<(), String> {
    if facts.control_plane() {
        Ok(())
    } else {
        Err("not a control-plane node (no control-plane components found)".to_string())
    }
}

/// The manifest a component came from, else kubeadm's path.
fn manifest(facts: &NodeFacts, fs: &dyn NodeFs, c: Component) -> FileSubject {
    control_plane(facts)?;
    let path = facts
        .get(c)
        .filter(|s| s.source.starts_with(crate::node::MANIFEST_DIR))
        .map_or_else(
            || format!("{}/{}.yaml", crate::node::MANIFEST_DIR, c.binary()),
            |s| s.source.clone(),
        );
    metas(fs, &[path])
}

/// A component's `--kubeconfig`, else kubeadm's path.
fn kubeconfig(facts: &NodeFacts, fs: &dyn NodeFs, c: Component, default: &str) -> FileSubject {
    control_plane(facts)?;
    let path = facts
        .get(c)
        .and_then(|s| s.lookup(&Key::flag("kubeconfig")))
        .map_or_else(|| default.to_string(), |v| v.value);
    metas(fs, &[path])
}

fn tree_files(fs: &dyn NodeFs, dir: &str, keep: impl Fn(&str) -> bool) -> Vec<(String, FileMeta)> {
    fs.tree(dir)
        .into_iter()
        .filter(|(p, m)| !m.is_dir && keep(p))
        .collect()
}

fn apiserver(f: &NodeFacts, fs: &dyn NodeFs) -> FileSubject {
    manifest(f, fs, Component::ApiServer)
}
fn controller(f: &NodeFacts, fs: &dyn NodeFs) -> FileSubject {
    manifest(f, fs, Component::ControllerManager)
}
fn scheduler(f: &NodeFacts, fs: &dyn NodeFs) -> FileSubject {
    manifest(f, fs, Component::Scheduler)
}
fn etcd(f: &NodeFacts, fs: &dyn NodeFs) -> FileSubject {
    manifest(f, fs, Component::Etcd)
}
fn cni(f: &NodeFacts, fs: &dyn NodeFs) -> FileSubject {
    control_plane(f)?;
    let mut files = tree_files(fs, "/etc/cni/net.d", |_| true);
    files.extend(tree_files(fs, "/var/lib/cni/networks", |_| true));
    if files.is_empty() {
        return Err("no CNI files recorded under /etc/cni/net.d or /var/lib/cni/networks".into());
    }
    Ok(files)
}
fn etcd_data(f: &NodeFacts, fs: &dyn NodeFs) -> FileSubject {
    let Some(s) = f.get(Component::Etcd) else {
        return Err("etcd does not run on this node".into());
    };
    let dir = s
        .lookup(&Key::with_env("data-dir", "ETCD_DATA_DIR"))
        .map_or_else(|| "/var/lib/etcd".to_string(), |v| v.value);
    metas(fs, &[dir])
}
fn admin(f: &NodeFacts, fs: &dyn NodeFs) -> FileSubject {
    control_plane(f)?;
    metas(
        fs,
        &[
            "/etc/kubernetes/admin.conf".into(),
            "/etc/kubernetes/super-admin.conf".into(),
        ],
    )
}
fn scheduler_conf(f: &NodeFacts, fs: &dyn NodeFs) -> FileSubject {
    kubeconfig(
        f,
        fs,
        Component::Scheduler,
        "/etc/kubernetes/scheduler.conf",
    )
}
fn controller_conf(f: &NodeFacts, fs: &dyn NodeFs) -> FileSubject {
    kubeconfig(
        f,
        fs,
        Component::ControllerManager,
        "/etc/kubernetes/controller-manager.conf",
    )
}
fn pki_all(f: &NodeFacts, fs: &dyn NodeFs) -> FileSubject {
    control_plane(f)?;
    let all = fs.tree(PKI);
    if all.is_empty() {
        return Err(format!("no mode or owner recorded under {PKI}"));
    }
    Ok(all)
}
fn pki_certs(f: &NodeFacts, fs: &dyn NodeFs) -> FileSubject {
    control_plane(f)?;
    Ok(tree_files(fs, PKI, |p| p.ends_with(".crt")))
}
fn pki_keys(f: &NodeFacts, fs: &dyn NodeFs) -> FileSubject {
    control_plane(f)?;
    Ok(tree_files(fs, PKI, |p| p.ends_with(".key")))
}

const PKI: &str = "/etc/kubernetes/pki";

macro_rules! file_check {
    ($name:ident, $id:literal, $title:literal, $scored:literal, $subject:ident, $test:expr, $fix:literal) => {
        file_check!(
            $name,
            ControlPlaneFiles,
            $id,
            $title,
            $scored,
            $subject,
            $test,
            $fix
        );
    };
    ($name:ident, $group:ident, $id:literal, $title:literal, $scored:literal, $subject:ident, $test:expr, $fix:literal) => {
        static $name: $crate::checks::FileCheck = $crate::checks::FileCheck {
            meta: $crate::check::CheckMeta {
                id: $id,
                title: $title,
                group: $crate::check::Group::$group,
                scored: $scored,
                automated: $scored,
                remediation: $fix,
            },
            subject: $subject,
            test: $test,
        };
    };
}
pub(crate) use file_check;

use FileTest::{ModeAtMost, Owner};

file_check!(
    C1_1_1,
    "1.1.1",
    "API server manifest is mode 600 or stricter",
    true,
    apiserver,
    ModeAtMost(0o600),
    "chmod 600 /etc/kubernetes/manifests/kube-apiserver.yaml"
);
file_check!(
    C1_1_2,
    "1.1.2",
    "API server manifest is owned by root:root",
    true,
    apiserver,
    Owner("root:root"),
    "chown root:root /etc/kubernetes/manifests/kube-apiserver.yaml"
);
file_check!(
    C1_1_3,
    "1.1.3",
    "Controller manager manifest is mode 600 or stricter",
    true,
    controller,
    ModeAtMost(0o600),
    "chmod 600 /etc/kubernetes/manifests/kube-controller-manager.yaml"
);
file_check!(
    C1_1_4,
    "1.1.4",
    "Controller manager manifest is owned by root:root",
    true,
    controller,
    Owner("root:root"),
    "chown root:root /etc/kubernetes/manifests/kube-controller-manager.yaml"
);
file_check!(
    C1_1_5,
    "1.1.5",
    "Scheduler manifest is mode 600 or stricter",
    true,
    scheduler,
    ModeAtMost(0o600),
    "chmod 600 /etc/kubernetes/manifests/kube-scheduler.yaml"
);
file_check!(
    C1_1_6,
    "1.1.6",
    "Scheduler manifest is owned by root:root",
    true,
    scheduler,
    Owner("root:root"),
    "chown root:root /etc/kubernetes/manifests/kube-scheduler.yaml"
);
file_check!(
    C1_1_7,
    "1.1.7",
    "etcd manifest is mode 600 or stricter",
    true,
    etcd,
    ModeAtMost(0o600),
    "chmod 600 /etc/kubernetes/manifests/etcd.yaml"
);
file_check!(
    C1_1_8,
    "1.1.8",
    "etcd manifest is owned by root:root",
    true,
    etcd,
    Owner("root:root"),
    "chown root:root /etc/kubernetes/manifests/etcd.yaml"
);
file_check!(
    C1_1_9,
    "1.1.9",
    "CNI files are mode 600 or stricter",
    false,
    cni,
    ModeAtMost(0o600),
    "chmod 600 the files under /etc/cni/net.d and /var/lib/cni/networks"
);
file_check!(
    C1_1_10,
    "1.1.10",
    "CNI files are owned by root:root",
    false,
    cni,
    Owner("root:root"),
    "chown root:root the files under /etc/cni/net.d and /var/lib/cni/networks"
);
file_check!(
    C1_1_11,
    "1.1.11",
    "etcd data directory is mode 700 or stricter",
    true,
    etcd_data,
    ModeAtMost(0o700),
    "chmod 700 the etcd --data-dir (kubeadm: /var/lib/etcd)"
);
file_check!(
    C1_1_12,
    "1.1.12",
    "etcd data directory is owned by etcd:etcd",
    true,
    etcd_data,
    Owner("etcd:etcd"),
    "Run etcd as a dedicated etcd user and chown -R etcd:etcd its --data-dir"
);
file_check!(
    C1_1_13,
    "1.1.13",
    "Admin kubeconfigs (admin.conf, super-admin.conf) are mode 600 or stricter",
    true,
    admin,
    ModeAtMost(0o600),
    "chmod 600 /etc/kubernetes/admin.conf /etc/kubernetes/super-admin.conf"
);
file_check!(
    C1_1_14,
    "1.1.14",
    "Admin kubeconfigs (admin.conf, super-admin.conf) are owned by root:root",
    true,
    admin,
    Owner("root:root"),
    "chown root:root /etc/kubernetes/admin.conf /etc/kubernetes/super-admin.conf"
);
file_check!(
    C1_1_15,
    "1.1.15",
    "Scheduler kubeconfig is mode 600 or stricter",
    true,
    scheduler_conf,
    ModeAtMost(0o600),
    "chmod 600 the scheduler's --kubeconfig (kubeadm: /etc/kubernetes/scheduler.conf)"
);
file_check!(
    C1_1_16,
    "1.1.16",
    "Scheduler kubeconfig is owned by root:root",
    true,
    scheduler_conf,
    Owner("root:root"),
    "chown root:root the scheduler's --kubeconfig"
);
file_check!(C1_1_17, "1.1.17", "Controller manager kubeconfig is mode 600 or stricter", true, controller_conf, ModeAtMost(0o600), "chmod 600 the controller manager's --kubeconfig (kubeadm: /etc/kubernetes/controller-manager.conf)");
file_check!(
    C1_1_18,
    "1.1.18",
    "Controller manager kubeconfig is owned by root:root",
    true,
    controller_conf,
    Owner("root:root"),
    "chown root:root the controller manager's --kubeconfig"
);
file_check!(
    C1_1_19,
    "1.1.19",
    "PKI directory and everything in it is owned by root:root",
    true,
    pki_all,
    Owner("root:root"),
    "chown -R root:root /etc/kubernetes/pki/"
);
file_check!(
    C1_1_20,
    "1.1.20",
    "PKI certificates are mode 644 or stricter",
    false,
    pki_certs,
    ModeAtMost(0o644),
    "chmod 644 /etc/kubernetes/pki/*.crt /etc/kubernetes/pki/etcd/*.crt"
);
file_check!(
    C1_1_21,
    "1.1.21",
    "PKI keys are mode 600",
    false,
    pki_keys,
    ModeAtMost(0o600),
    "chmod 600 /etc/kubernetes/pki/*.key /etc/kubernetes/pki/etcd/*.key"
);

pub(crate) static CHECKS: &[&FileCheck] = &[
    &C1_1_1, &C1_1_2, &C1_1_3, &C1_1_4, &C1_1_5, &C1_1_6, &C1_1_7, &C1_1_8, &C1_1_9, &C1_1_10,
    &C1_1_11, &C1_1_12, &C1_1_13, &C1_1_14, &C1_1_15, &C1_1_16, &C1_1_17, &C1_1_18, &C1_1_19,
    &C1_1_20, &C1_1_21,
];
