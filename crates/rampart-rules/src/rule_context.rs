//! What every rule receives: the object, its pod spec and each container's effective security
//! context, computed once per object; and the sink rules report into.

use std::collections::HashMap;
use std::fmt;

use rampart_manifest::pod::{pod_spec, ContainerKind, ContainerRef, PodSpecRef};
use rampart_manifest::Object;
use rampart_model::{Finding, JsonPath, RuleMeta};
use serde_json::Value;

use crate::context::{EffectiveContext, Inputs};

/// Facts gathered across all scanned objects before any rule runs.
#[derive(Debug, Default)]
pub struct ObjectIndex {
    /// `automountServiceAccountToken` of each ServiceAccount, keyed by (directory of its file,
    /// namespace, name), with an empty namespace read as `default`.
    sa_automount: HashMap<(String, String, String), bool>,
}

fn namespace_or_default(ns: &str) -> &str {
    if ns.is_empty() {
        "default"
    } else {
        ns
    }
}

/// The directory of an object's file. Objects are only related to neighbours in the same
/// directory (a chart's or kustomization's files), never to unrelated trees of a large scan.
fn directory(o: &Object) -> &str {
    o.file().rsplit_once(['/', '\\']).map_or("", |(d, _)| d)
}

impl ObjectIndex {
    pub fn build(objects: &[Object]) -> Self {
        let mut sa_automount = HashMap::new();
        for o in objects.iter().filter(|o| o.kind() == "ServiceAccount") {
            if let Some(b) = o
                .json
                .get("automountServiceAccountToken")
                .and_then(Value::as_bool)
            {
                let ns = namespace_or_default(&o.id.namespace).to_string();
                sa_automount.insert((directory(o).to_string(), ns, o.id.name.clone()), b);
            }
        }
        Self { sa_automount }
    }

    /// What a ServiceAccount next to `object` (same directory and namespace) says about token
    /// automounting, if it says anything.
    pub fn sa_automount(&self, object: &Object, name: &str) -> Option<bool> {
        if self.sa_automount.is_empty() {
            return None;
        }
        let key = (
            directory(object).to_string(),
            namespace_or_default(&object.id.namespace).to_string(),
            name.to_string(),
        );
        self.sa_automount.get(&key).copied()
    }
}

/// A container and its effective security context.
#[derive(Debug)]
pub struct Container<'a> {
    pub kind: ContainerKind,
    pub index: usize,
    pub name: &'a str,
    /// Path from the object root to the container.
    pub path: JsonPath,
    pub json: &'a Value,
    pub sc: EffectiveContext<'a>,
}

impl<'a> Container<'a> {
    /// A field of the container, `null` counting as absent.
    pub fn get(&self, key: &str) -> Option<&'a Value> {
        self.json.get(key).filter(|v| !v.is_null())
    }

    /// `containers`, `initContainers` or `ephemeralContainers`.
    pub fn is_regular(&self) -> bool {
        self.kind == ContainerKind::Container
    }

    pub fn is_ephemeral(&self) -> bool {
        self.kind == ContainerKind::Ephemeral
    }

    /// How messages name the container: `container "x"`, `init container "x"`...
    /// (a `Display` value, so formatting a message allocates once).
    pub fn label(&self) -> Label<'_> {
        Label(self.kind, self.name)
    }
}

/// See [`Container::label`].
#[derive(Debug, Clone, Copy)]
pub struct Label<'a>(ContainerKind, &'a str);

impl fmt::Display for Label<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.0 {
            ContainerKind::Container => "container",
            ContainerKind::Init => "init container",
            ContainerKind::Ephemeral => "ephemeral container",
        };
        write!(f, "{kind} \"{}\"", self.1)
    }
}

/// A pod spec with its containers resolved.
#[derive(Debug)]
pub struct PodContext<'a> {
    pub spec: PodSpecRef<'a>,
    pub containers: Vec<Container<'a>>,
    /// `spec.os.name` is exactly `windows`: Linux-only settings do not apply.
    pub windows: bool,
    /// `spec.hostUsers` is explicitly `false`: root in the pod is not root on the node.
    pub user_namespace: bool,
}

impl<'a> PodContext<'a> {
    fn new(spec: PodSpecRef<'a>) -> Self {
        let pod_sc = spec.spec.get("securityContext");
        let pod_sc_path = spec.path.key("securityContext");
        let annotations = spec.meta("annotations");
        let containers = spec
            .containers()
            .into_iter()
            .map(|c: ContainerRef<'a>| {
                let sc = EffectiveContext::resolve(&Inputs {
                    pod_sc,
                    pod_sc_path: &pod_sc_path,
                    container: c.json,
                    container_path: &c.path,
                    annotations,
                    meta_path: &spec.meta_path,
                });
                Container {
                    kind: c.kind,
                    index: c.index,
                    name: c.name,
                    path: c.path,
                    json: c.json,
                    sc,
                }
            })
            .collect();
        let windows = spec
            .spec
            .get("os")
            .and_then(|o| o.get("name"))
            .and_then(Value::as_str)
            == Some("windows");
        let user_namespace = spec.spec.get("hostUsers").and_then(Value::as_bool) == Some(false);
        Self {
            spec,
            containers,
            windows,
            user_namespace,
        }
    }

    /// A pod spec field, `null` counting as absent.
    pub fn get(&self, key: &str) -> Option<&'a Value> {
        self.spec.spec.get(key).filter(|v| !v.is_null())
    }

    /// The path of a pod spec field.
    pub fn path(&self, key: &str) -> JsonPath {
        self.spec.path.key(key)
    }

    /// A pod (template) annotation.
    pub fn annotation(&self, key: &str) -> Option<&'a str> {
        self.spec.meta("annotations")?.get(key)?.as_str()
    }

    /// Path of a pod (template) annotation.
    pub fn annotation_path(&self, key: &str) -> JsonPath {
        self.spec.meta_path.key("annotations").key(key)
    }
}

/// Everything a rule may read about one object.
#[derive(Debug)]
pub struct RuleContext<'a> {
    pub object: &'a Object,
    pub pod: Option<PodContext<'a>>,
    pub index: &'a ObjectIndex,
}

impl<'a> RuleContext<'a> {
    pub fn new(object: &'a Object, index: &'a ObjectIndex) -> Self {
        Self {
            object,
            pod: pod_spec(&object.json).map(PodContext::new),
            index,
        }
    }

    pub fn kind(&self) -> &'a str {
        self.object.kind()
    }

    pub fn json(&self) -> &'a Value {
        &self.object.json
    }
}

/// Collects one object's findings, placing each at its path as it is reported.
#[derive(Debug)]
pub struct Sink<'a> {
    object: &'a Object,
    findings: Vec<Finding>,
}

impl<'a> Sink<'a> {
    pub fn new(object: &'a Object) -> Self {
        Self {
            object,
            findings: Vec::new(),
        }
    }

    /// Reports a finding about the object (not about one container).
    pub fn report(&mut self, rule: &'static RuleMeta, message: impl Into<String>, path: JsonPath) {
        let mut f = Finding::new(rule, message).at(path);
        self.object.place(&mut f);
        self.findings.push(f);
    }

    /// Reports a finding about one container.
    pub fn report_in(
        &mut self,
        rule: &'static RuleMeta,
        c: &Container<'_>,
        message: impl Into<String>,
        path: JsonPath,
    ) {
        let mut f = Finding::new(rule, message).at(path).container(c.name);
        self.object.place(&mut f);
        self.findings.push(f);
    }

    pub fn into_findings(self) -> Vec<Finding> {
        self.findings
    }
}
