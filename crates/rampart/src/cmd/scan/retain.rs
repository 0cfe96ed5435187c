//! What the cross-object engines (RBAC and NetworkPolicy) need to keep after a file has been
//! scanned. Everything else is dropped as soon as its file is done, so memory stays bounded
//! by the size of the largest chunk of files, not by the size of the whole input.
//!
//! Pod-bearing objects are kept slimmed to what reachability reads: metadata without
//! annotations (but `rampart.io/ignore`), status, and a pod spec holding only container names and ports and
//! `hostNetwork`. Positions are kept for what is left, so findings still point at real lines.

use rampart_manifest::pod::pod_spec;
use rampart_manifest::{Key, Node, NodeValue, Object};
use rampart_model::Seg;

/// Kinds the cross-object engines read in full.
const FULL_KINDS: [&str; 10] = [
    "Namespace",
    "ServiceAccount",
    "Role",
    "ClusterRole",
    "RoleBinding",
    "ClusterRoleBinding",
    "NetworkPolicy",
    "AdminNetworkPolicy",
    "BaselineAdminNetworkPolicy",
    "Node",
];

/// The object as the cross-object engines need it, or `None` when they do not read it.
pub fn retain(object: Object) -> Option<Object> {
    if FULL_KINDS.contains(&object.kind()) {
        return Some(object);
    }
    let Some(spec_path) = pod_spec(&object.json).map(|p| p.path) else {
        // A Pod without a spec still has labels and addresses that policies select.
        return (object.kind() == "Pod").then(|| {
            let node = slim(&object.node, &[]);
            let json = node.to_json();
            Object {
                node,
                json,
                ..object
            }
        });
    };
    let node = slim(&object.node, spec_path.segments());
    let json = node.to_json();
    Some(Object {
        node,
        json,
        ..object
    })
}

fn map_entries(node: &Node) -> &[(Key, Node)] {
    match &node.value {
        NodeValue::Map(entries) => entries,
        _ => &[],
    }
}

fn with_entries(node: &Node, entries: Vec<(Key, Node)>) -> Node {
    Node {
        pos: node.pos,
        value: NodeValue::Map(entries),
    }
}

/// Keeps identity, metadata (less annotations and managed fields), status, and the path down
/// to the pod spec, slimmed.
fn slim(root: &Node, spec_path: &[Seg]) -> Node {
    let entries = map_entries(root)
        .iter()
        .filter_map(|(k, v)| match k.name.as_str() {
            "apiVersion" | "kind" | "status" => Some((k.clone(), v.clone())),
            "metadata" => Some((k.clone(), slim_metadata(v))),
            _ => match spec_path.first() {
                Some(Seg::Key(first)) if *first == k.name => {
                    Some((k.clone(), slim_path(v, &spec_path[1..])))
                }
                _ => None,
            },
        })
        .collect();
    with_entries(root, entries)
}

/// Metadata less managed fields and annotations, but for the suppression annotation.
fn slim_metadata(meta: &Node) -> Node {
    let entries = map_entries(meta)
        .iter()
        .filter_map(|(k, v)| match k.name.as_str() {
            "managedFields" => None,
            "annotations" => {
                let kept: Vec<_> = map_entries(v)
                    .iter()
                    .filter(|(a, _)| a.name == super::suppress::ANNOTATION)
                    .cloned()
                    .collect();
                (!kept.is_empty()).then(|| (k.clone(), with_entries(v, kept)))
            }
            _ => Some((k.clone(), v.clone())),
        })
        .collect();
    with_entries(meta, entries)
}

/// Follows `path` (the rest of the way to the pod spec), keeping each level's metadata.
fn slim_path(node: &Node, path: &[Seg]) -> Node {
    let Some(Seg::Key(next)) = path.first() else {
        return slim_pod_spec(node);
    };
    let entries = map_entries(node)
        .iter()
        .filter_map(|(k, v)| {
            if k.name == *next {
                Some((k.clone(), slim_path(v, &path[1..])))
            } else if k.name == "metadata" {
                Some((k.clone(), slim_metadata(v)))
            } else {
                None
            }
        })
        .collect();
    with_entries(node, entries)
}

fn slim_pod_spec(spec: &Node) -> Node {
    let entries = map_entries(spec)
        .iter()
        .filter_map(|(k, v)| match k.name.as_str() {
            "hostNetwork" => Some((k.clone(), v.clone())),
            "containers" | "initContainers" => Some((k.clone(), slim_containers(v))),
            _ => None,
        })
        .collect();
    with_entries(spec, entries)
}

fn slim_containers(list: &Node) -> Node {
    let NodeValue::Seq(items) = &list.value else {
        return list.clone();
    };
    let items = items
        .iter()
        .map(|c| {
            let entries = map_entries(c)
                .iter()
                .filter(|(k, _)| matches!(k.name.as_str(), "name" | "ports"))
                .cloned()
                .collect();
            with_entries(c, entries)
        })
        .collect();
    Node {
        pos: list.pos,
        value: NodeValue::Seq(items),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn object(text: &str) -> Object {
        let (_, mut objects, errors) = rampart_manifest::load_text("t.yaml", text.to_string());
        assert!(errors.is_empty(), "{errors:?}");
        objects.remove(0)
    }

    #[test]
    fn workloads_keep_labels_ports_and_positions_only() {
        let o = object(
            "kind: Deployment\nmetadata:\n  name: web\n  namespace: shop\n  annotations: {a: b}\nspec:\n  replicas: 2\n  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      hostNetwork: true\n      containers:\n      - name: c\n        image: nginx\n        ports:\n        - {name: http, containerPort: 80}\n",
        );
        let slim = retain(o).unwrap_or_else(|| panic!("deployments are kept"));
        let json = slim.json.to_string();
        assert!(
            !json.contains("nginx") && !json.contains("replicas") && !json.contains("annotations"),
            "{json}"
        );
        assert_eq!(
            slim.json["spec"]["template"]["metadata"]["labels"]["app"],
            "web"
        );
        assert_eq!(
            slim.json["spec"]["template"]["spec"]["containers"][0]["ports"][0]["containerPort"],
            80
        );
        assert_eq!(
            slim.locate(&"spec.template.spec.containers[0].ports".into())
                .line,
            16
        );
    }

    #[test]
    fn rbac_kinds_are_kept_whole_and_others_dropped() {
        let role = object("kind: Role\nmetadata: {name: r}\nrules: []\n");
        assert!(retain(role).is_some_and(|r| r.json.get("rules").is_some()));
        assert!(retain(object("kind: ConfigMap\nmetadata: {name: c}\n")).is_none());
    }
}
