//! What a check looks at: one component's command line, environment and configuration files,
//! each value with the place it came from.

use std::fmt;

use rampart_manifest::{Node, NodeValue};
use rampart_model::JsonPath;

use crate::encryption::EncryptionConfig;
use crate::flags::Flags;

/// The node components the benchmark covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Component {
    ApiServer,
    ControllerManager,
    Scheduler,
    Etcd,
    Kubelet,
    Proxy,
}

impl Component {
    pub const ALL: [Component; 6] = [
        Component::ApiServer,
        Component::ControllerManager,
        Component::Scheduler,
        Component::Etcd,
        Component::Kubelet,
        Component::Proxy,
    ];

    /// The binary (and static pod `component` label) name.
    pub fn binary(self) -> &'static str {
        match self {
            Component::ApiServer => "kube-apiserver",
            Component::ControllerManager => "kube-controller-manager",
            Component::Scheduler => "kube-scheduler",
            Component::Etcd => "etcd",
            Component::Kubelet => "kubelet",
            Component::Proxy => "kube-proxy",
        }
    }

    /// The component a binary, label or image name stands for.
    pub fn from_name(name: &str) -> Option<Component> {
        Component::ALL.into_iter().find(|c| c.binary() == name)
    }

    /// True for the components that run only on control-plane nodes.
    pub fn is_control_plane(self) -> bool {
        matches!(
            self,
            Component::ApiServer
                | Component::ControllerManager
                | Component::Scheduler
                | Component::Etcd
        )
    }
}

impl fmt::Display for Component {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.binary())
    }
}

/// Where a value was written: a file and line, and for manifests the JSON path of the node.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Origin {
    pub file: Option<String>,
    pub line: Option<u32>,
    pub path: Option<JsonPath>,
}

impl Origin {
    pub fn file(file: &str, line: Option<u32>) -> Self {
        Self {
            file: Some(file.to_string()),
            line,
            path: None,
        }
    }
}

/// One word of a command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Arg {
    pub text: String,
    pub origin: Origin,
}

/// An environment variable of the component's process.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnvVar {
    pub name: String,
    pub value: String,
    pub origin: Origin,
}

/// A configuration file the component reads (kubelet `--config`, its drop-ins, kube-proxy).
#[derive(Debug, Clone)]
pub struct ConfigLayer {
    pub file: String,
    pub node: Node,
}

/// A file a flag names, once looked at.
#[derive(Debug, Clone, Default)]
pub enum FileState<T> {
    /// Not read (e.g. inside `rampart scan`, which reads no node files).
    #[default]
    NotRead,
    /// Named but missing or unreadable or invalid.
    Bad {
        path: String,
        reason: String,
    },
    Loaded {
        path: String,
        value: T,
    },
}

/// One component as found on the node.
#[derive(Debug, Clone)]
pub struct Subject {
    pub component: Component,
    /// Where the command line came from (manifest, unit file, `/proc/PID/cmdline`).
    pub source: String,
    /// The words after the program name.
    pub args: Vec<Arg>,
    pub flags: Flags,
    /// Where a missing flag is reported (the `command` key of a manifest, the `ExecStart` line).
    pub anchor: Origin,
    pub env: Vec<EnvVar>,
    /// Configuration files, lowest precedence first.
    pub config: Vec<ConfigLayer>,
    /// The container image, for static pods.
    pub image: Option<(String, Origin)>,
    /// The EncryptionConfiguration named by `--encryption-provider-config` (API server).
    pub encryption: FileState<EncryptionConfig>,
    /// The API server's `--client-ca-file`, given to etcd's subject for 2.7.
    pub cluster_client_ca: Option<String>,
    /// Readability of other files flags name, e.g. the audit policy: flag → problem.
    pub file_problems: Vec<(String, String)>,
    /// True when the files flags name were looked for (a node check, not `rampart scan`).
    pub files_read: bool,
}

impl Subject {
    /// A subject with a command line and nothing else.
    pub fn new(component: Component, source: &str, args: Vec<Arg>, anchor: Origin) -> Self {
        let flags = Flags::parse(&args.iter().map(|a| a.text.as_str()).collect::<Vec<_>>());
        Self {
            component,
            source: source.to_string(),
            args,
            flags,
            anchor,
            env: Vec::new(),
            config: Vec::new(),
            image: None,
            encryption: FileState::NotRead,
            cluster_client_ca: None,
            file_problems: Vec::new(),
            files_read: false,
        }
    }

    /// Looks a setting up: command-line flag first, then environment, then config files (the
    /// last layer that sets the field), the precedence the components apply.
    pub fn lookup(&self, key: &Key) -> Option<Setting> {
        if let Some(v) = self.flags.get(key.flag).filter(|_| !key.flag.is_empty()) {
            let origin = self
                .args
                .get(v.arg)
                .map_or_else(|| self.anchor.clone(), |a| a.origin.clone());
            return Some(Setting {
                shown: format!("--{}={}", key.flag, v.value),
                value: v.value,
                origin,
                from: From::Flag,
            });
        }
        if let Some(name) = key.env {
            if let Some(e) = self.env.iter().rev().find(|e| e.name == name) {
                return Some(Setting {
                    shown: format!("{}={}", e.name, e.value),
                    value: e.value.clone(),
                    origin: e.origin.clone(),
                    from: From::Env,
                });
            }
        }
        let field = key.config?;
        let path = JsonPath::parse(field);
        for layer in self.config.iter().rev() {
            let Some(node) = layer.node.at(&path) else {
                continue;
            };
            let Some(value) = scalar_text(node) else {
                continue;
            };
            let line = layer.node.locate(&path).line;
            return Some(Setting {
                shown: format!("{field}: {value} ({}:{line})", layer.file),
                value,
                origin: Origin {
                    file: Some(layer.file.clone()),
                    line: Some(line),
                    path: Some(path),
                },
                from: From::Config,
            });
        }
        None
    }

    /// The config file a missing setting is reported at, else the anchor.
    pub fn missing_origin(&self, key: &Key) -> Origin {
        match (key.config, self.config.last()) {
            (Some(_), Some(layer)) => Origin::file(&layer.file, None),
            _ => self.anchor.clone(),
        }
    }
}

/// Which of its sources gave a setting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum From {
    Flag,
    Env,
    Config,
}

/// A found setting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Setting {
    pub value: String,
    /// How to show it as evidence (`--profiling=true`, `readOnlyPort: 10255 (file)`).
    pub shown: String,
    pub origin: Origin,
    pub from: From,
}

/// Names of one setting in each place it can be given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key {
    /// Flag name without dashes.
    pub flag: &'static str,
    /// Dotted path in the component's config file.
    pub config: Option<&'static str>,
    /// Environment variable (etcd's `ETCD_*`).
    pub env: Option<&'static str>,
}

impl Key {
    pub const fn flag(flag: &'static str) -> Self {
        Self {
            flag,
            config: None,
            env: None,
        }
    }

    pub const fn with_config(flag: &'static str, config: &'static str) -> Self {
        Self {
            flag,
            config: Some(config),
            env: None,
        }
    }

    pub const fn with_env(flag: &'static str, env: &'static str) -> Self {
        Self {
            flag,
            config: None,
            env: Some(env),
        }
    }

    /// A config-file field with no command-line flag.
    pub const fn config_only(config: &'static str) -> Self {
        Self {
            flag: "",
            config: Some(config),
            env: None,
        }
    }

    /// `--flag`, `config.path` or `--flag / config.path`.
    pub fn describe(&self) -> String {
        match (self.flag, self.config) {
            ("", Some(c)) => c.to_string(),
            (f, Some(c)) => format!("--{f} / {c}"),
            (f, None) => format!("--{f}"),
        }
    }
}

/// A scalar (or list of scalars, comma-joined; or map, as `k=v` pairs) as text. Null and empty
/// strings count as unset, as the components treat them.
pub fn scalar_text(node: &Node) -> Option<String> {
    let text = match &node.value {
        NodeValue::Null => return None,
        NodeValue::Bool(b) => b.to_string(),
        NodeValue::Int(i) => i.to_string(),
        NodeValue::Float(f) => f.to_string(),
        NodeValue::Str(s) => s.clone(),
        NodeValue::Seq(items) => items
            .iter()
            .filter_map(scalar_text)
            .collect::<Vec<_>>()
            .join(","),
        NodeValue::Map(entries) => entries
            .iter()
            .filter_map(|(k, v)| scalar_text(v).map(|t| format!("{}={t}", k.name)))
            .collect::<Vec<_>>()
            .join(","),
    };
    (!text.is_empty()).then_some(text)
}
