//! Static pods: which component a Pod runs, and its command line with the position of every word.
//!
//! A component is recognised by its `component` label (kubeadm's), else the program name of a
//! container's command, else the image name. `command` and `args` are concatenated as the
//! container runtime does; a `sh -c "…"` wrapper is split into words.

use rampart_manifest::Object;
use rampart_model::JsonPath;
use serde_json::Value;

use crate::subject::{Arg, Component, EnvVar, Origin, Subject};
use crate::words;

/// The component a Pod object runs, if it is one of the control-plane or node components.
pub fn component_of(obj: &Object) -> Option<Component> {
    if obj.kind() != "Pod" {
        return None;
    }
    let ns = obj.id.namespace.as_str();
    if !ns.is_empty() && ns != "kube-system" {
        return None;
    }
    let label = obj
        .json
        .pointer("/metadata/labels/component")
        .or_else(|| obj.json.pointer("/metadata/labels/k8s-app"))
        .and_then(Value::as_str)
        .and_then(Component::from_name);
    label.or_else(|| {
        containers(&obj.json)
            .iter()
            .find_map(|(_, c)| container_component(c))
    })
}

fn containers(pod: &Value) -> Vec<(usize, &Value)> {
    pod.pointer("/spec/containers")
        .and_then(Value::as_array)
        .map(|list| list.iter().enumerate().collect())
        .unwrap_or_default()
}

/// The last path segment of a program or image name, without tag or digest.
fn base_name(s: &str) -> &str {
    let s = s.split('@').next().unwrap_or(s);
    let last = s.rsplit('/').next().unwrap_or(s);
    last.split(':').next().unwrap_or(last)
}

fn container_component(c: &Value) -> Option<Component> {
    let program = c
        .pointer("/command/0")
        .and_then(Value::as_str)
        .map(base_name)
        .and_then(Component::from_name);
    program.or_else(|| {
        c.get("image")
            .and_then(Value::as_str)
            .map(base_name)
            .and_then(|n| {
                Component::from_name(n.trim_end_matches("-amd64").trim_end_matches("-arm64"))
            })
    })
}

/// Index of the container that runs `component` (else the first).
fn container_index(pod: &Value, component: Component) -> Option<usize> {
    let all = containers(pod);
    all.iter()
        .find(|(_, c)| {
            container_component(c) == Some(component)
                || c.get("name").and_then(Value::as_str) == Some(component.binary())
        })
        .or_else(|| all.first())
        .map(|(i, _)| *i)
}

/// Builds the subject for a static pod of `component`.
pub fn subject(obj: &Object, component: Component) -> Option<Subject> {
    let i = container_index(&obj.json, component)?;
    let cpath = JsonPath::root().key("spec").key("containers").index(i);
    let container = cpath.lookup(&obj.json)?;
    let file = obj.file();
    let origin = |p: JsonPath| Origin {
        file: Some(file.to_string()),
        line: Some(obj.locate(&p).line),
        path: Some(p),
    };
    let mut words: Vec<Arg> = Vec::new();
    for field in ["command", "args"] {
        let Some(list) = container.get(field).and_then(Value::as_array) else {
            continue;
        };
        for (j, item) in list.iter().enumerate() {
            let text = match item {
                Value::String(s) => s.clone(),
                Value::Null => continue,
                other => other.to_string(),
            };
            words.push(Arg {
                text,
                origin: origin(cpath.key(field).index(j)),
            });
        }
    }
    let words = unwrap_shell(words);
    // The program name is not a flag; with only `args`, the image's entrypoint is the program.
    let args: Vec<Arg> = match words.first() {
        Some(w) if !w.text.starts_with('-') => words.into_iter().skip(1).collect(),
        _ => words,
    };
    let anchor_field = ["command", "args"]
        .into_iter()
        .find(|f| container.get(*f).is_some())
        .map_or_else(|| cpath.clone(), |f| cpath.key(f));
    let mut s = Subject::new(component, file, args, origin(anchor_field));
    if let Some(env) = container.get("env").and_then(Value::as_array) {
        for (j, e) in env.iter().enumerate() {
            let (Some(name), Some(value)) = (
                e.get("name").and_then(Value::as_str),
                e.get("value").and_then(Value::as_str),
            ) else {
                continue;
            };
            s.env.push(EnvVar {
                name: name.to_string(),
                value: value.to_string(),
                origin: origin(cpath.key("env").index(j)),
            });
        }
    }
    if let Some(image) = container.get("image").and_then(Value::as_str) {
        s.image = Some((image.to_string(), origin(cpath.key("image"))));
    }
    Some(s)
}

/// `sh -c "kube-apiserver --a …"`: the script's words, all placed at the script item.
fn unwrap_shell(words: Vec<Arg>) -> Vec<Arg> {
    let is_shell = words
        .first()
        .is_some_and(|w| matches!(base_name(&w.text), "sh" | "bash" | "ash" | "dash"));
    if !is_shell || words.get(1).is_none_or(|w| w.text != "-c") {
        return words;
    }
    let Some(script) = words.get(2) else {
        return words;
    };
    let inner = words::split(&script.text.replace(['\n', ';'], " "));
    let program = inner
        .iter()
        .position(|w| Component::from_name(base_name(w)).is_some())
        .unwrap_or(0);
    inner
        .into_iter()
        .skip(program)
        .map(|text| Arg {
            text,
            origin: script.origin.clone(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn obj(text: &str) -> Object {
        let (_, objs, errs) = rampart_manifest::load_text("/m/x.yaml", text.to_string());
        assert!(errs.is_empty(), "{errs:?}");
        objs.into_iter().next().expect("one object")
    }

    #[test]
    fn finds_component_and_positions() {
        let o = obj("apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\n  namespace: kube-system\nspec:\n  containers:\n  - name: side\n    image: busybox\n  - name: api\n    image: registry.k8s.io/kube-apiserver:v1.31.4\n    command:\n    - kube-apiserver\n    - --profiling\n    - \"false\"\n    args: [--secure-port=6443]\n");
        assert_eq!(component_of(&o), Some(Component::ApiServer));
        let s = subject(&o, Component::ApiServer).expect("subject");
        assert_eq!(
            s.flags.get("profiling").map(|v| v.value),
            Some("true".into())
        );
        assert_eq!(s.args[0].origin.line, Some(14));
        assert_eq!(s.args[2].origin.line, Some(16));
        assert_eq!(s.anchor.line, Some(12));
        assert_eq!(
            s.image.as_ref().map(|i| i.0.as_str()),
            Some("registry.k8s.io/kube-apiserver:v1.31.4")
        );
    }

    #[test]
    fn shell_wrapped_commands_and_other_namespaces() {
        let o = obj("kind: Pod\nmetadata: {name: e}\nspec:\n  containers:\n  - name: etcd\n    image: quay.io/coreos/etcd:v3.5.0\n    command: [/bin/sh, -c, \"exec etcd --client-cert-auth=true --auto-tls\"]\n    env: [{name: ETCD_PEER_AUTO_TLS, value: 'true'}]\n");
        assert_eq!(component_of(&o), Some(Component::Etcd));
        let s = subject(&o, Component::Etcd).expect("subject");
        assert_eq!(
            s.flags.get("auto-tls").map(|v| v.value),
            Some("true".into())
        );
        assert_eq!(s.env[0].name, "ETCD_PEER_AUTO_TLS");
        let other = obj("kind: Pod\nmetadata: {name: e, namespace: prod, labels: {component: etcd}}\nspec: {containers: [{name: a}]}\n");
        assert_eq!(component_of(&other), None);
    }
}
