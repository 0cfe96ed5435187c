//! Escalation paths over `resources/test/fixtures/rbac/escalation/cluster.yaml`, whose
//! comments say what each subject should reach.

use std::path::Path;

use rampart_manifest::{load_paths, LoadOptions};
use rampart_rbac::escalation::{self, render, Analysis};
use rampart_rbac::Cluster;

fn cluster(with_bootstrap: bool) -> Cluster {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../resources/test/fixtures/rbac/escalation/cluster.yaml");
    let loaded = load_paths(&[path], &LoadOptions::default());
    assert!(loaded.errors.is_empty(), "{:?}", loaded.errors);
    Cluster::from_objects(&loaded.objects, with_bootstrap)
}

/// `(length to cluster-admin, length to node-root)` of a subject, 0 for no path.
fn lengths(a: &Analysis, subject: &str) -> (usize, usize) {
    a.subjects
        .iter()
        .find(|p| a.graph.nodes[p.node].to_string() == subject)
        .map_or((0, 0), |p| {
            (
                p.cluster_admin.as_ref().map_or(0, Vec::len),
                p.node_root.as_ref().map_or(0, Vec::len),
            )
        })
}

#[test]
fn each_escalation_edge_is_found_with_its_shortest_path() {
    let c = cluster(false);
    let a = escalation::analyze(&c);
    for (subject, want) in [
        ("ServiceAccount:ci/deployer", (1, 1)),
        ("User:alice", (3, 1)),
        ("User:bob", (2, 2)),
        ("User:carol", (2, 2)),
        ("Group:helpdesk", (2, 3)),
        ("User:binder", (1, 2)),
        ("User:prober", (0, 1)),
        ("User:dave", (0, 2)),
        ("User:only-bind", (0, 0)),
        ("User:erin", (0, 0)),
    ] {
        assert_eq!(lengths(&a, subject), want, "{subject}");
    }
    // Every step of a reported path is an edge of the graph, chained from the subject.
    for p in &a.subjects {
        for path in [&p.cluster_admin, &p.node_root].into_iter().flatten() {
            let mut at = p.node;
            for &e in path {
                assert_eq!(a.graph.edges[e].from, at);
                at = a.graph.edges[e].to;
            }
        }
    }
}

#[test]
fn the_brute_force_builds_the_same_graph() {
    for bootstrap in [false, true] {
        let c = cluster(bootstrap);
        assert!(escalation::analyze(&c) == escalation::analyze_brute(&c));
    }
}

#[test]
fn bootstrap_controllers_with_escalate_reach_cluster_admin() {
    let a = escalation::analyze(&cluster(true));
    // escalate + update on its own bound ClusterRole
    assert_eq!(
        lengths(
            &a,
            "ServiceAccount:kube-system/clusterrole-aggregation-controller"
        )
        .0,
        1
    );
    assert_eq!(lengths(&a, "Group:system:masters").0, 1);
    // the controller manager mints tokens for any service account
    assert!(lengths(&a, "User:system:kube-controller-manager").0 >= 2);
}

#[test]
fn renders_json_text_and_dot() {
    let c = cluster(false);
    let a = escalation::analyze(&c);
    let report = render::Report::new(&a, &c.policy);
    let json = serde_json::to_value(&report).unwrap_or_default();
    assert_eq!(json["summary"]["to_cluster_admin"], 6);
    let alice = json["subjects"]
        .as_array()
        .and_then(|s| s.iter().find(|s| s["subject"] == "User:alice"))
        .cloned()
        .unwrap_or_default();
    assert_eq!(alice["cluster_admin"]["length"], 3);
    assert_eq!(
        alice["cluster_admin"]["steps"][0]["bindings"][0]["name"],
        "alice-pods"
    );
    assert!(report
        .text()
        .contains("User:bob\n  cluster-admin in 2 steps:"));
    let dot = render::dot(&a);
    assert!(dot.starts_with("digraph escalations {") && dot.contains("\"cluster-admin\""));
}
