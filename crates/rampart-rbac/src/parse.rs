//! Reading RBAC objects (and the few other kinds escalation analysis needs) out of loaded
//! manifests. A malformed object is reported with its position and left out; it never stops
//! the others from loading.

use std::collections::BTreeMap;
use std::sync::Arc;

use rampart_manifest::Object;
use rampart_model::{InputError, JsonPath};
use serde_json::Value;

use crate::model::{
    BindingDef, BindingKind, Origin, PolicyRule, RoleDef, RoleKind, RoleRef, SubjectDef,
};
use crate::selector::LabelSelector;

/// Error code for an RBAC object the API server would reject.
pub const E_INVALID: &str = "E3001";

/// Namespace a namespaced object without `metadata.namespace` lands in (`kubectl apply`).
pub const DEFAULT_NAMESPACE: &str = "default";

/// A workload (anything with a pod spec) and the service account its pods run as.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Workload {
    pub kind: String,
    pub namespace: String,
    pub name: String,
    pub service_account: String,
}

/// Everything read from the inputs, in input order.
#[derive(Debug, Default, Clone)]
pub struct Inventory {
    pub roles: Vec<RoleDef>,
    pub bindings: Vec<BindingDef>,
    /// `(namespace, name)` of every ServiceAccount object.
    pub service_accounts: Vec<(String, String)>,
    /// `(namespace, service account)` of every legacy token Secret (values are never read).
    pub token_secrets: Vec<(String, String, String)>,
    pub workloads: Vec<Workload>,
    pub namespaces: Vec<String>,
}

impl Inventory {
    /// Reads every object; `errors` collects the malformed ones.
    pub fn from_objects(objects: &[Object], errors: &mut Vec<InputError>) -> Self {
        let mut inv = Inventory::default();
        for (i, obj) in objects.iter().enumerate() {
            if let Err((path, msg)) = inv.add(obj, i) {
                let pos = obj.locate(&path);
                errors.push(InputError {
                    code: E_INVALID,
                    file: obj.file().to_string(),
                    line: pos.line,
                    column: pos.column,
                    message: format!("{} {}: {msg}", obj.kind(), obj.id.name),
                });
            }
        }
        inv
    }

    fn add(&mut self, obj: &Object, index: usize) -> Result<(), (JsonPath, String)> {
        let v = &obj.json;
        let api = v.get("apiVersion").and_then(Value::as_str).unwrap_or("");
        let origin = Origin {
            file: Arc::from(obj.file()),
            pos: obj.node.pos,
            builtin: false,
            object: Some(index),
        };
        if api.starts_with("rbac.authorization.k8s.io/") {
            match obj.kind() {
                "Role" => self.roles.push(role(v, RoleKind::Role, origin)?),
                "ClusterRole" => self.roles.push(role(v, RoleKind::ClusterRole, origin)?),
                "RoleBinding" => self
                    .bindings
                    .push(binding(v, BindingKind::RoleBinding, origin)?),
                "ClusterRoleBinding" => {
                    self.bindings
                        .push(binding(v, BindingKind::ClusterRoleBinding, origin)?);
                }
                _ => {}
            }
            return Ok(());
        }
        self.add_other(obj, api);
        Ok(())
    }

    /// Kinds outside RBAC that escalation analysis uses; read leniently, never an error.
    fn add_other(&mut self, obj: &Object, api: &str) {
        let v = &obj.json;
        let ns = || namespace_of(v);
        match (api, obj.kind()) {
            ("v1", "ServiceAccount") => {
                self.service_accounts.push((ns(), obj.id.name.clone()));
            }
            ("v1", "Namespace") => self.namespaces.push(obj.id.name.clone()),
            ("v1", "Secret") => {
                let ty = v.get("type").and_then(Value::as_str);
                let sa = v
                    .pointer("/metadata/annotations/kubernetes.io~1service-account.name")
                    .and_then(Value::as_str);
                if let (Some("kubernetes.io/service-account-token"), Some(sa)) = (ty, sa) {
                    self.token_secrets
                        .push((ns(), sa.to_string(), obj.id.name.clone()));
                }
            }
            _ => {
                if let Some(pod) = rampart_manifest::pod::pod_spec(v) {
                    let sa = ["serviceAccountName", "serviceAccount"]
                        .iter()
                        .find_map(|k| pod.spec.get(*k).and_then(Value::as_str))
                        .filter(|s| !s.is_empty())
                        .unwrap_or("default");
                    self.workloads.push(Workload {
                        kind: obj.kind().to_string(),
                        namespace: ns(),
                        name: obj.id.name.clone(),
                        service_account: sa.to_string(),
                    });
                }
            }
        }
    }
}

fn namespace_of(v: &Value) -> String {
    v.pointer("/metadata/namespace")
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
        .unwrap_or(DEFAULT_NAMESPACE)
        .to_string()
}

type Parse<T> = Result<T, (JsonPath, String)>;

fn name_of(v: &Value) -> Parse<String> {
    match v.pointer("/metadata/name") {
        Some(Value::String(s)) if !s.is_empty() => Ok(s.clone()),
        _ => Err((
            JsonPath::parse("metadata"),
            "`metadata.name` is required".into(),
        )),
    }
}

fn role(v: &Value, kind: RoleKind, origin: Origin) -> Parse<RoleDef> {
    let name = name_of(v)?;
    let namespace = match kind {
        RoleKind::Role => namespace_of(v),
        RoleKind::ClusterRole => String::new(),
    };
    let mut labels = BTreeMap::new();
    if let Some(l) = v.pointer("/metadata/labels").filter(|l| !l.is_null()) {
        let path = JsonPath::parse("metadata.labels");
        let map = l
            .as_object()
            .ok_or_else(|| (path.clone(), "`metadata.labels` must be a mapping".into()))?;
        for (k, val) in map {
            let text = match val {
                Value::String(s) => s.clone(),
                Value::Bool(b) => b.to_string(),
                Value::Number(n) => n.to_string(),
                _ => return Err((path.key(k), format!("label `{k}` must be a string"))),
            };
            labels.insert(k.clone(), text);
        }
    }
    let rules = rules(v.get("rules"), &JsonPath::parse("rules"))?;
    let aggregation = match (kind, v.get("aggregationRule")) {
        (RoleKind::ClusterRole, Some(a)) if !a.is_null() => Some(selectors(a)?),
        _ => None,
    };
    Ok(RoleDef {
        kind,
        namespace,
        name,
        labels,
        rules,
        aggregation,
        origin,
    })
}

fn selectors(agg: &Value) -> Parse<Vec<LabelSelector>> {
    let base = JsonPath::parse("aggregationRule.clusterRoleSelectors");
    match agg.get("clusterRoleSelectors") {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::Array(list)) => list
            .iter()
            .enumerate()
            .map(|(i, s)| LabelSelector::parse(s).map_err(|m| (base.index(i), m)))
            .collect(),
        Some(_) => Err((base, "`clusterRoleSelectors` must be a list".into())),
    }
}

/// Reads a `rules` list.
pub(crate) fn rules(v: Option<&Value>, path: &JsonPath) -> Parse<Vec<PolicyRule>> {
    let list = match v {
        None | Some(Value::Null) => return Ok(Vec::new()),
        Some(Value::Array(list)) => list,
        Some(_) => return Err((path.clone(), "`rules` must be a list".into())),
    };
    list.iter()
        .enumerate()
        .map(|(i, r)| {
            let p = path.index(i);
            if !r.is_object() {
                return Err((p, "a rule must be a mapping".into()));
            }
            Ok(PolicyRule {
                verbs: strings(r, "verbs", &p)?,
                api_groups: strings(r, "apiGroups", &p)?,
                resources: strings(r, "resources", &p)?,
                resource_names: strings(r, "resourceNames", &p)?,
                non_resource_urls: strings(r, "nonResourceURLs", &p)?,
            })
        })
        .collect()
}

fn strings(v: &Value, key: &str, path: &JsonPath) -> Parse<Vec<String>> {
    let p = path.key(key);
    match v.get(key) {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::Array(items)) => items
            .iter()
            .enumerate()
            .map(|(i, s)| match s {
                Value::String(s) => Ok(s.clone()),
                _ => Err((p.index(i), format!("`{key}` must hold strings"))),
            })
            .collect(),
        Some(_) => Err((p, format!("`{key}` must be a list of strings"))),
    }
}

fn text(v: &Value, key: &str, path: &JsonPath) -> Parse<String> {
    match v.get(key) {
        None | Some(Value::Null) => Ok(String::new()),
        Some(Value::String(s)) => Ok(s.clone()),
        Some(_) => Err((path.key(key), format!("`{key}` must be a string"))),
    }
}

fn binding(v: &Value, kind: BindingKind, origin: Origin) -> Parse<BindingDef> {
    let name = name_of(v)?;
    let namespace = match kind {
        BindingKind::RoleBinding => namespace_of(v),
        BindingKind::ClusterRoleBinding => String::new(),
    };
    let rp = JsonPath::parse("roleRef");
    let rr = v
        .get("roleRef")
        .filter(|r| r.is_object())
        .ok_or_else(|| (JsonPath::root(), "`roleRef` is required".to_string()))?;
    let role_ref = RoleRef {
        kind: text(rr, "kind", &rp)?,
        name: text(rr, "name", &rp)?,
    };
    let sp = JsonPath::parse("subjects");
    let subjects = match v.get("subjects") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(list)) => list
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let p = sp.index(i);
                if !s.is_object() {
                    return Err((p, "a subject must be a mapping".to_string()));
                }
                Ok(SubjectDef {
                    kind: text(s, "kind", &p)?,
                    name: text(s, "name", &p)?,
                    namespace: text(s, "namespace", &p)?,
                })
            })
            .collect::<Parse<_>>()?,
        Some(_) => return Err((sp, "`subjects` must be a list".into())),
    };
    Ok(BindingDef {
        kind,
        namespace,
        name,
        role_ref,
        subjects,
        origin,
    })
}
