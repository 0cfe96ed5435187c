//! What the webhook knows about the cluster: namespace labels and, for the namespace-label
//! dry-run, the pods of a namespace. Behind [`ClusterState`] so the server works the same from a
//! file of objects (offline use, tests) as from a live watch of the API server.

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use serde_json::{Map, Value};

/// A namespace's labels, shared between the cache and in-flight requests.
pub type NamespaceLabels = Arc<Map<String, Value>>;

/// A boxed future, so the trait stays object safe.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// A failed lookup or listing (network, API error): Pods fail closed, workloads open.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct LookupError(pub String);

/// The answer of the cache for one namespace.
#[derive(Debug, Clone)]
pub enum Cached {
    Found(NamespaceLabels),
    /// The cache has no such namespace (or is not synced yet): ask [`ClusterState::fetch`].
    Miss,
}

/// Namespace labels and pods, from a cache first.
pub trait ClusterState: Send + Sync + 'static {
    /// The cached labels of `name`; answered without waiting.
    fn cached(&self, name: &str) -> Cached;
    /// A live lookup after a cache miss: `Ok(None)` when the namespace does not exist.
    fn fetch(&self, name: &str) -> BoxFuture<'_, Result<Option<NamespaceLabels>, LookupError>>;
    /// The pods of a namespace (for checking a new enforce level against existing pods).
    fn pods(&self, namespace: &str) -> BoxFuture<'_, Result<Vec<Arc<Value>>, LookupError>>;
    /// Whether the cache has synced (`/readyz`).
    fn ready(&self) -> bool;
}

/// Namespaces and pods read from manifests: the offline equivalent of a watch. A namespace
/// missing from the file is treated as existing without labels (the configured defaults apply),
/// since the API server only admits objects into namespaces that exist.
#[derive(Debug, Default)]
pub struct StaticState {
    namespaces: HashMap<String, NamespaceLabels>,
    pods: HashMap<String, Vec<Arc<Value>>>,
    empty: NamespaceLabels,
}

impl StaticState {
    /// Builds the state from objects: `Namespace` objects give labels, `Pod` objects are the
    /// existing pods of their namespace (`default` when unset); other kinds are ignored.
    pub fn from_objects<'a>(objects: impl IntoIterator<Item = &'a Value>) -> Self {
        let mut s = Self::default();
        for o in objects {
            let meta = o.get("metadata");
            let name = meta
                .and_then(|m| m.get("name"))
                .and_then(Value::as_str)
                .unwrap_or("");
            match o.get("kind").and_then(Value::as_str) {
                Some("Namespace") if !name.is_empty() => {
                    let labels = meta
                        .and_then(|m| m.get("labels"))
                        .and_then(Value::as_object)
                        .cloned()
                        .unwrap_or_default();
                    s.namespaces.insert(name.to_string(), Arc::new(labels));
                }
                Some("Pod") => {
                    let ns = meta
                        .and_then(|m| m.get("namespace"))
                        .and_then(Value::as_str)
                        .filter(|n| !n.is_empty())
                        .unwrap_or("default");
                    s.pods
                        .entry(ns.to_string())
                        .or_default()
                        .push(Arc::new(o.clone()));
                }
                _ => {}
            }
        }
        s
    }

    /// Number of namespaces known.
    pub fn namespace_count(&self) -> usize {
        self.namespaces.len()
    }
}

impl ClusterState for StaticState {
    fn cached(&self, name: &str) -> Cached {
        Cached::Found(
            self.namespaces
                .get(name)
                .cloned()
                .unwrap_or_else(|| self.empty.clone()),
        )
    }

    fn fetch(&self, name: &str) -> BoxFuture<'_, Result<Option<NamespaceLabels>, LookupError>> {
        let found = self.namespaces.get(name).cloned();
        Box::pin(async move { Ok(found) })
    }

    fn pods(&self, namespace: &str) -> BoxFuture<'_, Result<Vec<Arc<Value>>, LookupError>> {
        let pods = self.pods.get(namespace).cloned().unwrap_or_default();
        Box::pin(async move { Ok(pods) })
    }

    fn ready(&self) -> bool {
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_namespaces_and_pods() {
        let objs = [
            json!({"kind": "Namespace", "metadata": {"name": "a", "labels": {"x": "y"}}}),
            json!({"kind": "Pod", "metadata": {"name": "p", "namespace": "a"}}),
            json!({"kind": "Pod", "metadata": {"name": "q"}}),
            json!({"kind": "Secret", "metadata": {"name": "s"}}),
        ];
        let s = StaticState::from_objects(objs.iter());
        assert_eq!(s.namespace_count(), 1);
        match s.cached("a") {
            Cached::Found(l) => assert_eq!(l.get("x"), Some(&json!("y"))),
            Cached::Miss => panic!("namespace a must be cached"),
        }
        assert!(matches!(s.cached("zzz"), Cached::Found(l) if l.is_empty()));
        assert_eq!(s.pods.get("a").map(Vec::len), Some(1));
        assert_eq!(s.pods.get("default").map(Vec::len), Some(1));
    }
}
