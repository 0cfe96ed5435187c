//! The 5.x policy recommendations that cluster objects decide: given manifests or a snapshot of
//! the cluster (`rampart cis check PATH…`), RBAC bindings and roles, ServiceAccounts, pod specs,
//! NetworkPolicies and namespaces are inspected directly. Every 5.x check is unscored, so a
//! failed one is `warn`. Objects in `kube-system` are left out of the pod checks: the control
//! plane legitimately uses host namespaces and hostPath.

use std::collections::BTreeSet;

use rampart_manifest::pod::{pod_spec, ContainerRef};
use rampart_manifest::Object;
use rampart_model::JsonPath;
use serde_json::Value;

use crate::check::Outcome;
use crate::subject::Origin;

/// Offenders of one check: a description and where it is.
struct Hits {
    items: Vec<(String, Origin)>,
}

impl Hits {
    fn new() -> Self {
        Self { items: Vec::new() }
    }

    fn add(&mut self, obj: &Object, path: &JsonPath, what: &str) {
        let origin = Origin::file(obj.file(), Some(obj.locate(path).line));
        self.items
            .push((format!("{} {what}", obj.id.display()), origin));
    }

    fn outcome(self, examined: usize, noun: &str) -> Outcome {
        if examined == 0 {
            return Outcome::skip(format!("no {noun} among the inputs"));
        }
        match self.items.first() {
            None => Outcome::new(
                true,
                format!("none of {examined} {noun}"),
                Origin::default(),
            ),
            Some((_, origin)) => {
                let shown: Vec<String> = self
                    .items
                    .iter()
                    .take(5)
                    .map(|(d, o)| {
                        format!(
                            "{d} ({}:{})",
                            o.file.as_deref().unwrap_or(""),
                            o.line.unwrap_or(0)
                        )
                    })
                    .collect();
                let more = self.items.len().saturating_sub(5);
                let tail = if more > 0 {
                    format!(" and {more} more")
                } else {
                    String::new()
                };
                Outcome::new(
                    false,
                    format!(
                        "{} of {examined} {noun}: {}{tail}",
                        self.items.len(),
                        shown.join("; ")
                    ),
                    origin.clone(),
                )
            }
        }
    }
}

fn s<'a>(v: &'a Value, p: &str) -> Option<&'a str> {
    v.pointer(p).and_then(Value::as_str)
}

fn is_binding(o: &Object) -> bool {
    matches!(o.kind(), "ClusterRoleBinding" | "RoleBinding")
}

/// Outcomes of every policy check the objects decide, by CIS number.
pub fn evaluate(objects: &[Object]) -> Vec<(&'static str, Outcome)> {
    let bindings: Vec<&Object> = objects.iter().filter(|o| is_binding(o)).collect();
    let workloads: Vec<&Object> = objects
        .iter()
        .filter(|o| o.id.namespace != "kube-system" && pod_spec(&o.json).is_some())
        .collect();
    let mut out = vec![
        ("5.1.1", cluster_admin(&bindings)),
        ("5.1.3", wildcards(objects)),
        ("5.1.5", default_sa(objects)),
        ("5.1.7", masters(&bindings)),
    ];
    out.extend(pod_checks(&workloads));
    out.push(("5.3.2", netpols(objects)));
    out.push(("5.6.4", default_ns(objects)));
    out
}

fn cluster_admin(bindings: &[&Object]) -> Outcome {
    let mut hits = Hits::new();
    for b in bindings {
        if s(&b.json, "/roleRef/name") != Some("cluster-admin") {
            continue;
        }
        let subjects = b
            .json
            .get("subjects")
            .and_then(Value::as_array)
            .map_or(&[][..], Vec::as_slice);
        for (i, subj) in subjects.iter().enumerate() {
            if s(subj, "/name") == Some("system:masters") && s(subj, "/kind") == Some("Group") {
                continue;
            }
            let who = format!(
                "{} {}",
                s(subj, "/kind").unwrap_or("?"),
                s(subj, "/name").unwrap_or("?")
            );
            hits.add(
                b,
                &JsonPath::root().key("subjects").index(i),
                &format!("binds cluster-admin to {who}"),
            );
        }
    }
    hits.outcome(bindings.len(), "RBAC bindings")
}

fn masters(bindings: &[&Object]) -> Outcome {
    let mut hits = Hits::new();
    for b in bindings {
        let subjects = b
            .json
            .get("subjects")
            .and_then(Value::as_array)
            .map_or(&[][..], Vec::as_slice);
        for (i, subj) in subjects.iter().enumerate() {
            if s(subj, "/name") == Some("system:masters") {
                hits.add(
                    b,
                    &JsonPath::root().key("subjects").index(i),
                    "binds the system:masters group",
                );
            }
        }
    }
    hits.outcome(bindings.len(), "RBAC bindings")
}

fn wildcards(objects: &[Object]) -> Outcome {
    let mut hits = Hits::new();
    let mut n = 0;
    for r in objects
        .iter()
        .filter(|o| matches!(o.kind(), "Role" | "ClusterRole"))
    {
        // Built-in roles (cluster-admin and the system: ones) are wildcards by design.
        if r.id.name == "cluster-admin" || r.id.name.starts_with("system:") {
            continue;
        }
        n += 1;
        let rules = r
            .json
            .get("rules")
            .and_then(Value::as_array)
            .map_or(&[][..], Vec::as_slice);
        for (i, rule) in rules.iter().enumerate() {
            for field in ["verbs", "resources", "apiGroups", "nonResourceURLs"] {
                let has = rule.get(field).and_then(Value::as_array).is_some_and(|l| {
                    l.iter()
                        .any(|v| v.as_str().is_some_and(|t| t == "*" || t.ends_with("/*")))
                });
                if has {
                    hits.add(
                        r,
                        &JsonPath::root().key("rules").index(i).key(field),
                        &format!("uses * in {field}"),
                    );
                }
            }
        }
    }
    hits.outcome(n, "Roles and ClusterRoles")
}

fn default_sa(objects: &[Object]) -> Outcome {
    let mut hits = Hits::new();
    let sas: Vec<&Object> = objects
        .iter()
        .filter(|o| o.kind() == "ServiceAccount" && o.id.name == "default")
        .collect();
    for sa in &sas {
        if sa
            .json
            .get("automountServiceAccountToken")
            .and_then(Value::as_bool)
            != Some(false)
        {
            hits.add(
                sa,
                &JsonPath::root().key("automountServiceAccountToken"),
                "mounts its token by default",
            );
        }
    }
    hits.outcome(sas.len(), "default ServiceAccounts")
}

/// 5.2.x: one pass over every container of every workload outside kube-system.
fn pod_checks(workloads: &[&Object]) -> Vec<(&'static str, Outcome)> {
    let mut h: Vec<(&'static str, Hits)> = [
        "5.2.2", "5.2.3", "5.2.4", "5.2.5", "5.2.6", "5.2.8", "5.2.9", "5.2.10", "5.2.11",
        "5.2.12", "5.4.1", "5.6.2",
    ]
    .into_iter()
    .map(|id| (id, Hits::new()))
    .collect();
    let mut hit = |id: &str, o: &Object, p: &JsonPath, what: &str| {
        if let Some((_, hits)) = h.iter_mut().find(|(i, _)| *i == id) {
            hits.add(o, p, what);
        }
    };
    for o in workloads {
        let Some(spec) = pod_spec(&o.json) else {
            continue;
        };
        for (field, id) in [
            ("hostPID", "5.2.3"),
            ("hostIPC", "5.2.4"),
            ("hostNetwork", "5.2.5"),
        ] {
            if spec.spec.get(field).and_then(Value::as_bool) == Some(true) {
                hit(id, o, &spec.path.key(field), &format!("sets {field}"));
            }
        }
        if let Some(vols) = spec.spec.get("volumes").and_then(Value::as_array) {
            for (i, v) in vols
                .iter()
                .enumerate()
                .filter(|(_, v)| v.get("hostPath").is_some())
            {
                hit(
                    "5.2.11",
                    o,
                    &spec.path.key("volumes").index(i),
                    &format!("mounts hostPath {}", s(v, "/hostPath/path").unwrap_or("?")),
                );
            }
        }
        let pod_seccomp = s(spec.spec, "/securityContext/seccompProfile/type");
        let pod_host_process = spec
            .spec
            .pointer("/securityContext/windowsOptions/hostProcess")
            .and_then(Value::as_bool)
            == Some(true);
        let mut unconfined = false;
        for c in spec.containers() {
            container(o, &c, &mut hit);
            let seccomp = s(c.json, "/securityContext/seccompProfile/type").or(pod_seccomp);
            unconfined |= !matches!(seccomp, Some("RuntimeDefault" | "Localhost"));
            let hp = c
                .json
                .pointer("/securityContext/windowsOptions/hostProcess")
                .and_then(Value::as_bool);
            if hp == Some(true) || (hp.is_none() && pod_host_process) {
                hit(
                    "5.2.10",
                    o,
                    &c.path.key("securityContext"),
                    "runs a Windows HostProcess container",
                );
            }
        }
        if unconfined {
            hit(
                "5.6.2",
                o,
                &spec.path,
                "has a container without a RuntimeDefault or Localhost seccomp profile",
            );
        }
    }
    let n = workloads.len();
    h.into_iter()
        .map(|(id, hits)| (id, hits.outcome(n, "workloads outside kube-system")))
        .collect()
}

fn container(
    o: &Object,
    c: &ContainerRef<'_>,
    hit: &mut impl FnMut(&str, &Object, &JsonPath, &str),
) {
    let sc = c.json.get("securityContext");
    let flag = |k: &str| sc.and_then(|s| s.get(k)).and_then(Value::as_bool);
    let name = c.name;
    if flag("privileged") == Some(true) {
        hit(
            "5.2.2",
            o,
            &c.path.key("securityContext").key("privileged"),
            &format!("container {name} is privileged"),
        );
    }
    if flag("allowPrivilegeEscalation") == Some(true) {
        hit(
            "5.2.6",
            o,
            &c.path
                .key("securityContext")
                .key("allowPrivilegeEscalation"),
            &format!("container {name} allows privilege escalation"),
        );
    }
    let adds: Vec<&str> = sc
        .and_then(|s| s.pointer("/capabilities/add"))
        .and_then(Value::as_array)
        .map(|l| l.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let cap_path = c.path.key("securityContext").key("capabilities").key("add");
    if adds
        .iter()
        .any(|a| matches!(a.trim_start_matches("CAP_"), "NET_RAW" | "ALL"))
    {
        hit(
            "5.2.8",
            o,
            &cap_path,
            &format!("container {name} adds NET_RAW"),
        );
    }
    if adds
        .iter()
        .any(|a| a.trim_start_matches("CAP_") != "NET_BIND_SERVICE")
    {
        hit(
            "5.2.9",
            o,
            &cap_path,
            &format!("container {name} adds {}", adds.join(",")),
        );
    }
    if let Some(ports) = c.json.get("ports").and_then(Value::as_array) {
        for (i, p) in ports.iter().enumerate().filter(|(_, p)| {
            p.get("hostPort")
                .and_then(Value::as_i64)
                .is_some_and(|n| n > 0)
        }) {
            hit(
                "5.2.12",
                o,
                &c.path.key("ports").index(i),
                &format!("container {name} uses hostPort {}", p["hostPort"]),
            );
        }
    }
    let secret_env = c
        .json
        .get("env")
        .and_then(Value::as_array)
        .and_then(|l| {
            l.iter()
                .position(|e| e.pointer("/valueFrom/secretKeyRef").is_some())
        })
        .map(|i| c.path.key("env").index(i));
    let secret_env_from = c
        .json
        .get("envFrom")
        .and_then(Value::as_array)
        .and_then(|l| l.iter().position(|e| e.get("secretRef").is_some()))
        .map(|i| c.path.key("envFrom").index(i));
    if let Some(p) = secret_env.or(secret_env_from) {
        hit(
            "5.4.1",
            o,
            &p,
            &format!("container {name} reads a Secret into its environment"),
        );
    }
}

fn netpols(objects: &[Object]) -> Outcome {
    let mut namespaces: BTreeSet<String> = objects
        .iter()
        .filter(|o| o.kind() == "Namespace")
        .map(|o| o.id.name.clone())
        .collect();
    namespaces.extend(
        objects
            .iter()
            .filter(|o| pod_spec(&o.json).is_some())
            .map(|o| o.id.namespace.clone())
            .filter(|n| !n.is_empty()),
    );
    let system = ["kube-system", "kube-public", "kube-node-lease"];
    namespaces.retain(|n| !system.contains(&n.as_str()));
    let covered: BTreeSet<&str> = objects
        .iter()
        .filter(|o| o.kind() == "NetworkPolicy")
        .map(|o| o.id.namespace.as_str())
        .collect();
    let missing: Vec<&String> = namespaces
        .iter()
        .filter(|n| !covered.contains(n.as_str()))
        .collect();
    if namespaces.is_empty() {
        return Outcome::skip("no namespaces among the inputs");
    }
    if missing.is_empty() {
        return Outcome::new(
            true,
            format!("all {} namespaces have a NetworkPolicy", namespaces.len()),
            Origin::default(),
        );
    }
    let shown: Vec<&str> = missing.iter().take(10).map(|s| s.as_str()).collect();
    Outcome::new(
        false,
        format!(
            "{} of {} namespaces have no NetworkPolicy: {}",
            missing.len(),
            namespaces.len(),
            shown.join(", ")
        ),
        Origin::default(),
    )
}

fn default_ns(objects: &[Object]) -> Outcome {
    let mut hits = Hits::new();
    let mut n = 0;
    for o in objects.iter().filter(|o| !o.id.namespace.is_empty()) {
        n += 1;
        // The API server's own `kubernetes` Service and Endpoints live in default.
        let builtin = o.id.name == "kubernetes"
            && matches!(o.kind(), "Service" | "Endpoints" | "EndpointSlice");
        if o.id.namespace == "default" && !builtin {
            hits.add(
                o,
                &JsonPath::root().key("metadata").key("namespace"),
                "is in the default namespace",
            );
        }
    }
    hits.outcome(n, "namespaced objects")
}
