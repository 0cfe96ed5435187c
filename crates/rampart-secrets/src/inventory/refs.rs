//! Where objects name Secrets: pod specs (env, envFrom, volumes, projected volumes, image pull
//! Secrets, CSI node-publish Secrets), ServiceAccounts, Ingress and Gateway TLS, External Secrets
//! stores, and generic `secretName` / `*SecretRef` fields of other resources. Also the objects
//! that produce Secrets (ExternalSecret, SealedSecret, cert-manager Certificate).

use rampart_manifest::{pod::pod_spec, Object};
use rampart_model::JsonPath;
use serde_json::Value;

/// How a consumer reaches a Secret.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Via {
    Env,
    EnvFrom,
    Volume,
    Projected,
    ImagePullSecrets,
    CsiNodePublish,
    ServiceAccount,
    IngressTls,
    GatewayTls,
    StoreAuth,
    Reference,
}

/// One reference from an object to a Secret.
#[derive(Debug, Clone)]
pub struct Ref {
    pub namespace: String,
    pub name: String,
    pub via: Via,
    pub container: Option<String>,
    /// Keys named by the reference (`secretKeyRef.key`, volume `items`).
    pub keys: Vec<String>,
    pub optional: bool,
    pub path: JsonPath,
}

fn s<'a>(v: &'a Value, k: &str) -> Option<&'a str> {
    v.get(k).and_then(Value::as_str).filter(|x| !x.is_empty())
}

fn arr<'a>(v: &'a Value, k: &str) -> impl Iterator<Item = (usize, &'a Value)> {
    v.get(k)
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
}

struct Collector<'a> {
    ns: &'a str,
    out: Vec<Ref>,
}

impl Collector<'_> {
    fn add(
        &mut self,
        name: &str,
        via: Via,
        path: JsonPath,
        container: Option<&str>,
        keys: Vec<String>,
        optional: bool,
    ) {
        self.out.push(Ref {
            namespace: self.ns.to_string(),
            name: name.to_string(),
            via,
            container: container.map(str::to_string),
            keys,
            optional,
            path,
        });
    }
}

fn pod_refs(obj: &Object, c: &mut Collector<'_>) -> bool {
    let Some(pod) = pod_spec(&obj.json) else {
        return false;
    };
    for ctr in pod.containers() {
        for (i, e) in arr(ctr.json, "env") {
            if let Some(r) = e.pointer("/valueFrom/secretKeyRef") {
                if let Some(name) = s(r, "name") {
                    let keys = s(r, "key").map(|k| vec![k.to_string()]).unwrap_or_default();
                    let optional = r.get("optional").and_then(Value::as_bool).unwrap_or(false);
                    let p = ctr
                        .path
                        .key("env")
                        .index(i)
                        .key("valueFrom")
                        .key("secretKeyRef");
                    c.add(name, Via::Env, p, Some(ctr.name), keys, optional);
                }
            }
        }
        for (i, e) in arr(ctr.json, "envFrom") {
            if let Some(r) = e.get("secretRef") {
                if let Some(name) = s(r, "name") {
                    let optional = r.get("optional").and_then(Value::as_bool).unwrap_or(false);
                    let p = ctr.path.key("envFrom").index(i).key("secretRef");
                    c.add(name, Via::EnvFrom, p, Some(ctr.name), Vec::new(), optional);
                }
            }
        }
    }
    for (i, vol) in arr(pod.spec, "volumes") {
        let vp = pod.path.key("volumes").index(i);
        if let Some(sec) = vol.get("secret") {
            if let Some(name) = s(sec, "secretName") {
                let keys = arr(sec, "items")
                    .filter_map(|(_, it)| s(it, "key").map(str::to_string))
                    .collect();
                let optional = sec
                    .get("optional")
                    .and_then(Value::as_bool)
                    .unwrap_or(false);
                c.add(name, Via::Volume, vp.key("secret"), None, keys, optional);
            }
        }
        if let Some(proj) = vol.get("projected") {
            for (j, src) in arr(proj, "sources") {
                if let Some(sec) = src.get("secret") {
                    if let Some(name) = s(sec, "name") {
                        let keys = arr(sec, "items")
                            .filter_map(|(_, it)| s(it, "key").map(str::to_string))
                            .collect();
                        let optional = sec
                            .get("optional")
                            .and_then(Value::as_bool)
                            .unwrap_or(false);
                        let p = vp.key("projected").key("sources").index(j).key("secret");
                        c.add(name, Via::Projected, p, None, keys, optional);
                    }
                }
            }
        }
        if let Some(name) = vol
            .pointer("/csi/nodePublishSecretRef/name")
            .and_then(Value::as_str)
        {
            c.add(
                name,
                Via::CsiNodePublish,
                vp.key("csi").key("nodePublishSecretRef"),
                None,
                Vec::new(),
                false,
            );
        }
    }
    for (i, ps) in arr(pod.spec, "imagePullSecrets") {
        if let Some(name) = s(ps, "name") {
            c.add(
                name,
                Via::ImagePullSecrets,
                pod.path.key("imagePullSecrets").index(i),
                None,
                Vec::new(),
                false,
            );
        }
    }
    true
}

/// Every `*SecretRef` / `secretRef` mapping with a name, and every string `secretName`, under
/// `v` (stores, issuers, Flux and Argo CD sources and other CRDs).
fn generic_refs(v: &Value, path: &JsonPath, via: Via, c: &mut Collector<'_>, depth: usize) {
    if depth > 32 {
        return;
    }
    match v {
        Value::Object(map) => {
            for (k, child) in map {
                let p = path.key(k.clone());
                let is_ref = k == "secretRef" || k.ends_with("SecretRef");
                match child {
                    Value::Object(r) if is_ref => {
                        if let Some(name) = r.get("name").and_then(Value::as_str) {
                            let ns = r.get("namespace").and_then(Value::as_str);
                            let keys = r
                                .get("key")
                                .and_then(Value::as_str)
                                .map(|k| vec![k.to_string()])
                                .unwrap_or_default();
                            let mut sub = Collector {
                                ns: ns.unwrap_or(c.ns),
                                out: Vec::new(),
                            };
                            sub.add(name, via, p.clone(), None, keys, false);
                            c.out.extend(sub.out);
                        } else {
                            generic_refs(child, &p, via, c, depth + 1);
                        }
                    }
                    Value::String(name) if k == "secretName" && !name.is_empty() => {
                        c.add(name, via, p, None, Vec::new(), false);
                    }
                    _ => generic_refs(child, &p, via, c, depth + 1),
                }
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                generic_refs(item, &path.index(i), via, c, depth + 1);
            }
        }
        _ => {}
    }
}

/// The Secrets an object refers to.
pub fn references(obj: &Object) -> Vec<Ref> {
    let mut c = Collector {
        ns: &obj.id.namespace,
        out: Vec::new(),
    };
    let kind = obj.kind();
    if pod_refs(obj, &mut c) {
        return c.out;
    }
    match kind {
        "Secret"
        | "SealedSecret"
        | "ExternalSecret"
        | "ClusterExternalSecret"
        | "Certificate"
        | "PushSecret" => {}
        "ServiceAccount" => {
            for field in ["secrets", "imagePullSecrets"] {
                for (i, r) in arr(&obj.json, field) {
                    if let Some(name) = s(r, "name") {
                        let via = if field == "secrets" {
                            Via::ServiceAccount
                        } else {
                            Via::ImagePullSecrets
                        };
                        c.add(
                            name,
                            via,
                            JsonPath::root().key(field).index(i),
                            None,
                            Vec::new(),
                            false,
                        );
                    }
                }
            }
        }
        "Ingress" => {
            let spec = obj.json.get("spec").unwrap_or(&Value::Null);
            for (i, t) in arr(spec, "tls") {
                if let Some(name) = s(t, "secretName") {
                    let p = JsonPath::root()
                        .key("spec")
                        .key("tls")
                        .index(i)
                        .key("secretName");
                    c.add(name, Via::IngressTls, p, None, Vec::new(), false);
                }
            }
        }
        "Gateway" => {
            let spec = obj.json.get("spec").unwrap_or(&Value::Null);
            for (i, l) in arr(spec, "listeners") {
                let Some(tls) = l.get("tls") else { continue };
                for (j, r) in arr(tls, "certificateRefs") {
                    let is_secret = s(r, "kind").is_none_or(|k| k == "Secret");
                    if let (true, Some(name)) = (is_secret, s(r, "name")) {
                        let ns = s(r, "namespace").unwrap_or(&obj.id.namespace).to_string();
                        let p = JsonPath::root()
                            .key("spec")
                            .key("listeners")
                            .index(i)
                            .key("tls")
                            .key("certificateRefs")
                            .index(j);
                        let mut sub = Collector {
                            ns: &ns,
                            out: Vec::new(),
                        };
                        sub.add(name, Via::GatewayTls, p, None, Vec::new(), false);
                        c.out.extend(sub.out);
                    }
                }
            }
        }
        "SecretStore" | "ClusterSecretStore" => {
            let base = JsonPath::root().key("spec");
            if let Some(spec) = obj.json.get("spec") {
                generic_refs(spec, &base, Via::StoreAuth, &mut c, 0);
            }
        }
        _ => {
            if let Some(spec) = obj.json.get("spec") {
                generic_refs(
                    spec,
                    &JsonPath::root().key("spec"),
                    Via::Reference,
                    &mut c,
                    0,
                );
            }
        }
    }
    c.out
}

/// The Secret an object makes the cluster create, as (namespace, name, producer kind).
pub fn produces(obj: &Object) -> Option<(String, String, String)> {
    let ns = obj.id.namespace.clone();
    let kind = obj.kind().to_string();
    let name = match obj.kind() {
        "ExternalSecret" if obj.id.api_version.starts_with("external-secrets.io/") => obj
            .json
            .pointer("/spec/target/name")
            .and_then(Value::as_str)
            .unwrap_or(&obj.id.name)
            .to_string(),
        "SealedSecret" => obj
            .json
            .pointer("/spec/template/metadata/name")
            .and_then(Value::as_str)
            .unwrap_or(&obj.id.name)
            .to_string(),
        "Certificate" if obj.id.api_version.starts_with("cert-manager.io/") => obj
            .json
            .pointer("/spec/secretName")
            .and_then(Value::as_str)?
            .to_string(),
        _ => return None,
    };
    Some((ns, name, kind))
}
