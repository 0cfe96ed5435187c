//! The Pod AdmissionReviews the load benchmark sends (shared by `loadgen` and `decide_cost`).
#![allow(dead_code)]

use bytes::Bytes;
use serde_json::{json, Value};

/// A realistic Pod: two containers, resources, probes, env, volumes.
pub fn pod(i: usize, security: &Value) -> Value {
    json!({
        "apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": format!("web-{i}"), "namespace": "bench",
            "labels": {"app": "web", "pod-template-hash": "7d9f8c6b5"},
            "annotations": {"prometheus.io/scrape": "true"},
            "ownerReferences": [{"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "web-7d9f8c6b5",
                "uid": "2f0c7c7e-8f5e-4d0e-9b8a-1c2d3e4f5a6b", "controller": true}]},
        "spec": {
            "serviceAccountName": "web",
            "securityContext": security["pod"],
            "containers": [
                {"name": "app", "image": "registry.example/web:1.4.2",
                 "ports": [{"containerPort": 8080, "protocol": "TCP"}],
                 "env": [{"name": "MODE", "value": "prod"}, {"name": "PORT", "value": "8080"}],
                 "resources": {"requests": {"cpu": "100m", "memory": "128Mi"}, "limits": {"memory": "256Mi"}},
                 "readinessProbe": {"httpGet": {"path": "/ready", "port": 8080}},
                 "volumeMounts": [{"name": "cache", "mountPath": "/cache"}],
                 "securityContext": security["container"]},
                {"name": "sidecar", "image": "registry.example/proxy:2.0",
                 "resources": {"requests": {"cpu": "50m", "memory": "64Mi"}},
                 "securityContext": security["container"]}
            ],
            "volumes": [{"name": "cache", "emptyDir": {}}, {"name": "cfg", "configMap": {"name": "web"}}]
        }
    })
}

pub fn bodies(namespace: &str) -> Vec<Bytes> {
    let restricted = json!({"pod": {"runAsNonRoot": true, "seccompProfile": {"type": "RuntimeDefault"}},
        "container": {"allowPrivilegeEscalation": false, "capabilities": {"drop": ["ALL"]}}});
    let baseline_only = json!({"pod": {}, "container": {}});
    let privileged = json!({"pod": {}, "container": {"privileged": true}});
    (0..64)
        .map(|i| {
            // Half compliant, a quarter warned (restricted), a quarter denied (baseline).
            let sec = match i % 4 {
                0 | 1 => &restricted,
                2 => &baseline_only,
                _ => &privileged,
            };
            let review = json!({
                "apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview",
                "request": {
                    "uid": format!("5b9a6a0e-0000-4000-8000-{i:012}"),
                    "kind": {"group": "", "version": "v1", "kind": "Pod"},
                    "resource": {"group": "", "version": "v1", "resource": "pods"},
                    "requestKind": {"group": "", "version": "v1", "kind": "Pod"},
                    "requestResource": {"group": "", "version": "v1", "resource": "pods"},
                    "name": format!("web-{i}"), "namespace": namespace, "operation": "CREATE",
                    "userInfo": {"username": "system:serviceaccount:kube-system:replicaset-controller",
                        "uid": "7e1b", "groups": ["system:serviceaccounts", "system:authenticated"]},
                    "object": pod(i, sec), "oldObject": null, "dryRun": false,
                    "options": {"apiVersion": "meta.k8s.io/v1", "kind": "CreateOptions"}
                }
            });
            Bytes::from(serde_json::to_vec(&review).unwrap_or_default())
        })
        .collect()
}
