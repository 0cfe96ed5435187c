//! Gathering what a node runs: static pod manifests, the kubelet's unit and config files,
//! running processes on a live host, and the files the API server's flags name.
//!
//! Precedence: a control-plane component comes from its static pod manifest, else from its
//! running process (live host only). The kubelet comes from its running process on a live host
//! (the truth of what runs), else from its systemd unit rebuilt offline.

use std::collections::BTreeMap;
use std::sync::Arc;

use rampart_manifest::{Node, SourceFile};

use crate::encryption::EncryptionConfig;
use crate::fs::{join, NodeFs};
use crate::pod;
use crate::subject::{Arg, Component, ConfigLayer, EnvVar, FileState, Key, Origin, Subject};
use crate::systemd;
use crate::words;

/// kubeadm's static pod directory.
pub const MANIFEST_DIR: &str = "/etc/kubernetes/manifests";
const KUBELET_CONFIG: &str = "/var/lib/kubelet/config.yaml";
const KUBEADM_FLAGS: &str = "/var/lib/kubelet/kubeadm-flags.env";
const ETCD_CONF: &str = "/etc/etcd/etcd.conf";

/// Everything the checks need to know about the node.
#[derive(Debug, Default)]
pub struct NodeFacts {
    subjects: BTreeMap<Component, Subject>,
    /// The unit file or drop-in holding the kubelet's `ExecStart=`.
    pub kubelet_unit: Option<String>,
    /// The kubelet's `--config` file.
    pub kubelet_config: Option<String>,
    /// Files that could not be read or parsed, as `path:line: message`.
    pub problems: Vec<String>,
}

impl NodeFacts {
    pub fn get(&self, c: Component) -> Option<&Subject> {
        self.subjects.get(&c)
    }

    pub fn insert(&mut self, s: Subject) {
        self.subjects.insert(s.component, s);
    }

    /// True when any control-plane component was found.
    pub fn control_plane(&self) -> bool {
        self.subjects.keys().any(|c| c.is_control_plane())
    }

    pub fn subjects(&self) -> impl Iterator<Item = &Subject> {
        self.subjects.values()
    }
}

/// Reads the node. Parsing runs on a thread with the manifest loader's deep stack.
pub fn gather(fs: &dyn NodeFs) -> NodeFacts {
    rampart_manifest::with_parse_stack(|| gather_here(fs))
}

fn gather_here(fs: &dyn NodeFs) -> NodeFacts {
    let mut facts = NodeFacts::default();
    static_pods(fs, &mut facts);
    let processes = fs.processes();
    for c in Component::ALL {
        let live = c == Component::Kubelet || facts.get(c).is_none();
        if !live {
            continue;
        }
        if let Some(p) = processes
            .iter()
            .find(|p| p.argv.first().is_some_and(|a| base(a) == c.binary()))
        {
            let source = format!("/proc/{}/cmdline", p.pid);
            let args = p
                .argv
                .iter()
                .skip(1)
                .map(|t| Arg {
                    text: t.clone(),
                    origin: Origin::file(&source, None),
                })
                .collect();
            facts.insert(Subject::new(c, &source, args, Origin::file(&source, None)));
        }
    }
    kubelet(fs, &mut facts);
    proxy_config(fs, &mut facts);
    etcd_env(fs, &mut facts);
    apiserver_files(fs, &mut facts);
    facts
}

fn base(s: &str) -> &str {
    s.rsplit('/').next().unwrap_or(s)
}

/// Parses the single YAML/JSON object in `text`.
pub fn parse_object(path: &str, text: String) -> Result<Node, String> {
    let source = Arc::new(SourceFile {
        path: path.to_string(),
        text,
    });
    let (objects, errors, _) = rampart_manifest::parse_source(&source);
    if let Some(e) = errors.first() {
        return Err(format!("{}:{}:{}: {}", e.file, e.line, e.column, e.message));
    }
    objects
        .into_iter()
        .next()
        .map(|o| o.node)
        .ok_or_else(|| format!("{path}: no object in the file"))
}

fn static_pods(fs: &dyn NodeFs, facts: &mut NodeFacts) {
    for name in fs.list(MANIFEST_DIR) {
        // The kubelet ignores hidden files; editors' backups are not pods either.
        if name.starts_with('.') || name.ends_with('~') || name.ends_with(".swp") {
            continue;
        }
        let path = join(MANIFEST_DIR, &name);
        let Ok(text) = fs.read(&path) else { continue };
        let source = Arc::new(SourceFile {
            path: path.clone(),
            text,
        });
        let (objects, errors, _) = rampart_manifest::parse_source(&source);
        facts.problems.extend(
            errors
                .iter()
                .map(|e| format!("{}:{}:{}: {}", e.file, e.line, e.column, e.message)),
        );
        for obj in &objects {
            let Some(c) = pod::component_of(obj) else {
                continue;
            };
            if facts.get(c).is_some() {
                facts
                    .problems
                    .push(format!("{path}: a second {c} static pod is ignored"));
                continue;
            }
            if let Some(s) = pod::subject(obj, c) {
                facts.insert(s);
            }
        }
    }
}

fn kubelet(fs: &dyn NodeFs, facts: &mut NodeFacts) {
    let unit = systemd::command(fs, "kubelet.service");
    if let Some(u) = &unit {
        facts.kubelet_unit = Some(u.exec_file.clone());
    }
    if facts.get(Component::Kubelet).is_none() {
        let subject = match unit {
            Some(u) => Some(Subject::new(
                Component::Kubelet,
                &u.exec_file,
                u.args,
                u.exec_origin,
            )),
            None => kubelet_without_unit(fs),
        };
        let Some(s) = subject else { return };
        facts.insert(s);
    }
    let Some(mut s) = facts.subjects.remove(&Component::Kubelet) else {
        return;
    };
    let config = s.lookup(&Key::flag("config")).map(|v| v.value);
    if let Some(path) = &config {
        facts.kubelet_config = Some(path.clone());
        add_layer(fs, &mut s, path, &mut facts.problems);
    }
    if let Some(dir) = s.lookup(&Key::flag("config-dir")).map(|v| v.value) {
        for name in fs.list(&dir).into_iter().filter(|n| n.ends_with(".conf")) {
            add_layer(fs, &mut s, &join(&dir, &name), &mut facts.problems);
        }
    }
    facts.insert(s);
}

/// A kubelet known only from kubeadm's flag files (no unit file copied).
fn kubelet_without_unit(fs: &dyn NodeFs) -> Option<Subject> {
    let mut args = Vec::new();
    let mut found = false;
    for (file, var) in [
        (KUBEADM_FLAGS, "KUBELET_KUBEADM_ARGS"),
        ("/etc/default/kubelet", "KUBELET_EXTRA_ARGS"),
        ("/etc/sysconfig/kubelet", "KUBELET_EXTRA_ARGS"),
    ] {
        let Ok(text) = fs.read(file) else { continue };
        found = true;
        for (k, v, line) in systemd::env_file(&text) {
            if k == var {
                args.extend(words::split(&v).into_iter().map(|text| Arg {
                    text,
                    origin: Origin::file(file, Some(line)),
                }));
            }
        }
    }
    let has_config = fs.exists(KUBELET_CONFIG);
    if !found && !has_config {
        return None;
    }
    if has_config {
        args.insert(
            0,
            Arg {
                text: format!("--config={KUBELET_CONFIG}"),
                origin: Origin::file(KUBELET_CONFIG, None),
            },
        );
    }
    let source = if found { KUBEADM_FLAGS } else { KUBELET_CONFIG };
    Some(Subject::new(
        Component::Kubelet,
        source,
        args,
        Origin::file(source, None),
    ))
}

fn add_layer(fs: &dyn NodeFs, s: &mut Subject, path: &str, problems: &mut Vec<String>) {
    match fs
        .read(path)
        .map_err(|e| e.to_string())
        .and_then(|t| parse_object(path, t))
    {
        Ok(node) => s.config.push(ConfigLayer {
            file: path.to_string(),
            node,
        }),
        Err(e) => problems.push(e),
    }
}

fn proxy_config(fs: &dyn NodeFs, facts: &mut NodeFacts) {
    let Some(mut s) = facts.subjects.remove(&Component::Proxy) else {
        return;
    };
    if let Some(path) = s.lookup(&Key::flag("config")).map(|v| v.value) {
        add_layer(fs, &mut s, &path, &mut facts.problems);
    }
    facts.insert(s);
}

/// etcd's `ETCD_*` variables from `/etc/etcd/etcd.conf` (below the container's own env).
fn etcd_env(fs: &dyn NodeFs, facts: &mut NodeFacts) {
    let Ok(text) = fs.read(ETCD_CONF) else { return };
    let vars: Vec<EnvVar> = systemd::env_file(&text)
        .into_iter()
        .filter(|(k, _, _)| k.starts_with("ETCD_"))
        .map(|(name, value, line)| EnvVar {
            name,
            value,
            origin: Origin::file(ETCD_CONF, Some(line)),
        })
        .collect();
    let mut s = facts.subjects.remove(&Component::Etcd).unwrap_or_else(|| {
        Subject::new(
            Component::Etcd,
            ETCD_CONF,
            Vec::new(),
            Origin::file(ETCD_CONF, None),
        )
    });
    let mut env = vars;
    env.append(&mut s.env);
    s.env = env;
    facts.insert(s);
}

fn apiserver_files(fs: &dyn NodeFs, facts: &mut NodeFacts) {
    let Some(mut s) = facts.subjects.remove(&Component::ApiServer) else {
        return;
    };
    s.files_read = true;
    if let Some(path) = s
        .lookup(&Key::flag("encryption-provider-config"))
        .map(|v| v.value)
    {
        s.encryption = match fs
            .read(&path)
            .map_err(|e| e.to_string())
            .and_then(|t| parse_object(&path, t))
        {
            Ok(node) => match EncryptionConfig::from_node(&node) {
                Ok(value) => FileState::Loaded { path, value },
                Err(reason) => FileState::Bad { path, reason },
            },
            Err(reason) => FileState::Bad { path, reason },
        };
    }
    if let Some(path) = s.lookup(&Key::flag("audit-policy-file")).map(|v| v.value) {
        if let Err(e) = fs.read(&path) {
            s.file_problems.push((
                "audit-policy-file".into(),
                format!("cannot read the audit policy: {e}"),
            ));
        }
    }
    let ca = s.lookup(&Key::flag("client-ca-file")).map(|v| v.value);
    facts.insert(s);
    if let (Some(ca), Some(mut etcd)) = (ca, facts.subjects.remove(&Component::Etcd)) {
        etcd.cluster_client_ca = Some(ca);
        facts.insert(etcd);
    }
}
