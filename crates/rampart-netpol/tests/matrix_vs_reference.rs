//! The bit-set matrix must agree with the single-query evaluator on every pod pair and every
//! exposed port: on every conformance and own case, and on random clusters.

mod common;

use std::path::Path;

use proptest::prelude::*;
use rampart_manifest::{load_paths, LoadOptions};
use rampart_netpol::matrix::compute;
use rampart_netpol::{evaluate, Cluster, EvalOptions, PortProto, Query, Target};
use serde_json::{json, Value};

/// Every disagreement between the matrix and the evaluator.
fn disagreements(c: &Cluster, opts: EvalOptions) -> Vec<String> {
    let m = compute(c, opts);
    let mut bad = Vec::new();
    for s in 0..c.pods.len() {
        for d in 0..c.pods.len() {
            if s == d {
                continue;
            }
            let got = m.allowed_ports(s, d);
            for cp in &c.pods[d].ports {
                let pp = PortProto::new(cp.port, cp.protocol);
                let want = evaluate(
                    c,
                    opts,
                    &Query {
                        from: s,
                        to: Target::Pod(d),
                        port: pp,
                    },
                )
                .allowed;
                if want != got.contains(&pp) {
                    bad.push(format!(
                        "{} -> {} {pp}: evaluator {want}",
                        c.pod_id(s),
                        c.pod_id(d)
                    ));
                }
            }
        }
    }
    bad
}

fn check_dir(root: &Path) {
    for dir in common::case_dirs(root) {
        let loaded = load_paths(&[dir.join("resources.yaml")], &LoadOptions::default());
        let c = Cluster::from_objects(&loaded.objects);
        for ipb in [false, true] {
            let bad = disagreements(
                &c,
                EvalOptions {
                    ipblock_matches_pod_ips: ipb,
                },
            );
            assert!(bad.is_empty(), "{}: {}", dir.display(), bad.join("\n"));
        }
    }
}

#[test]
fn matrix_agrees_on_cases() {
    check_dir(&common::own_cases());
    if let Some(root) = common::shared_suite() {
        check_dir(&root);
    }
}

// ---- random clusters ----

const KEYS: [&str; 3] = ["app", "tier", "env"];
const VALS: [&str; 3] = ["a", "b", "c"];

fn labels() -> impl Strategy<Value = Value> {
    prop::collection::vec((0..3usize, 0..3usize), 0..3).prop_map(|kv| {
        let mut m = serde_json::Map::new();
        for (k, v) in kv {
            m.insert(KEYS[k].into(), VALS[v].into());
        }
        Value::Object(m)
    })
}

fn selector() -> impl Strategy<Value = Value> {
    let expr =
        (0..3usize, 0..4usize, prop::collection::vec(0..3usize, 1..3)).prop_map(|(k, op, vs)| {
            let ops = ["In", "NotIn", "Exists", "DoesNotExist"];
            let mut e = json!({"key": KEYS[k], "operator": ops[op]});
            if op < 2 {
                e["values"] = json!(vs.iter().map(|v| VALS[*v]).collect::<Vec<_>>());
            }
            e
        });
    // Half of the selectors are empty, so that policies often apply.
    prop_oneof![
        Just(json!({})),
        (labels(), prop::collection::vec(expr, 0..2))
            .prop_map(|(ml, me)| json!({"matchLabels": ml, "matchExpressions": me})),
    ]
}

const PORTS: [(u16, &str, &str); 4] = [
    (80, "http", "TCP"),
    (53, "dns", "UDP"),
    (8080, "http", "TCP"),
    (9, "s", "SCTP"),
];

fn port_entry(admin: bool) -> BoxedStrategy<Value> {
    let i = 0..PORTS.len();
    if admin {
        prop_oneof![
            i.clone().prop_map(|i| json!({"portNumber": {"port": PORTS[i].0, "protocol": PORTS[i].2}})),
            i.clone().prop_map(|i| json!({"namedPort": PORTS[i].1})),
            i.prop_map(|i| json!({"portRange": {"start": PORTS[i].0, "end": PORTS[i].0 + 100, "protocol": PORTS[i].2}})),
        ]
        .boxed()
    } else {
        prop_oneof![
            i.clone()
                .prop_map(|i| json!({"port": PORTS[i].0, "protocol": PORTS[i].2})),
            i.clone()
                .prop_map(|i| json!({"port": PORTS[i].1, "protocol": PORTS[i].2})),
            i.clone()
                .prop_map(|i| json!({"port": PORTS[i].0, "endPort": 8080})),
            i.prop_map(|i| json!({"protocol": PORTS[i].2})),
        ]
        .boxed()
    }
}

fn np_peer() -> BoxedStrategy<Value> {
    prop_oneof![
        selector().prop_map(|s| json!({"podSelector": s})),
        selector().prop_map(|s| json!({"namespaceSelector": s})),
        (selector(), selector())
            .prop_map(|(a, b)| json!({"podSelector": a, "namespaceSelector": b})),
        Just(json!({"ipBlock": {"cidr": "10.0.0.0/16", "except": ["10.0.1.0/24"]}})),
    ]
    .boxed()
}

fn np_rule(d: &'static str) -> impl Strategy<Value = Value> {
    (
        prop::option::of(prop::collection::vec(np_peer(), 0..3)),
        prop::option::of(prop::collection::vec(port_entry(false), 0..3)),
    )
        .prop_map(move |(peers, ports)| {
            let mut r = json!({});
            if let Some(p) = peers {
                r[if d == "ingress" { "from" } else { "to" }] = json!(p);
            }
            if let Some(p) = ports {
                r["ports"] = json!(p);
            }
            r
        })
}

fn network_policy() -> impl Strategy<Value = Value> {
    (
        0..3usize,
        selector(),
        prop::option::of(prop::collection::vec(np_rule("ingress"), 0..3)),
        prop::option::of(prop::collection::vec(np_rule("egress"), 0..3)),
        0..4usize,
    )
        .prop_map(|(ns, sel, ing, eg, types)| {
            let mut spec = json!({"podSelector": sel});
            if let Some(i) = ing {
                spec["ingress"] = json!(i);
            }
            if let Some(e) = eg {
                spec["egress"] = json!(e);
            }
            let t = [
                json!(null),
                json!(["Ingress"]),
                json!(["Egress"]),
                json!(["Ingress", "Egress"]),
            ];
            if types > 0 {
                spec["policyTypes"] = t[types].clone();
            }
            json!({"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy",
                   "metadata": {"name": "np", "namespace": format!("ns{ns}")}, "spec": spec})
        })
}

fn admin_peer(egress: bool) -> BoxedStrategy<Value> {
    let base = prop_oneof![
        selector().prop_map(|s| json!({"namespaces": s})),
        (selector(), selector())
            .prop_map(|(a, b)| json!({"pods": {"namespaceSelector": a, "podSelector": b}})),
    ];
    if egress {
        prop_oneof![
            base,
            Just(json!({"networks": ["10.0.0.0/24", "fd00::/64"]}))
        ]
        .boxed()
    } else {
        base.boxed()
    }
}

fn admin_rule(egress: bool, baseline: bool) -> impl Strategy<Value = Value> {
    (
        0..if baseline { 2usize } else { 3 },
        prop::collection::vec(admin_peer(egress), 1..3),
        prop::option::of(prop::collection::vec(port_entry(true), 1..3)),
    )
        .prop_map(move |(a, peers, ports)| {
            let action = ["Allow", "Deny", "Pass"][a];
            let mut r = json!({"name": "r", "action": action});
            r[if egress { "to" } else { "from" }] = json!(peers);
            if let Some(p) = ports {
                r["ports"] = json!(p);
            }
            r
        })
}

fn admin_policy(baseline: bool) -> impl Strategy<Value = Value> {
    (
        0..1000i64,
        prop_oneof![
            selector().prop_map(|s| json!({"namespaces": s})),
            (selector(), selector())
                .prop_map(|(a, b)| json!({"pods": {"namespaceSelector": a, "podSelector": b}})),
        ],
        prop::collection::vec(admin_rule(false, baseline), 0..3),
        prop::collection::vec(admin_rule(true, baseline), 0..3),
    )
        .prop_map(move |(prio, subject, ing, eg)| {
            let kind = if baseline {
                "BaselineAdminNetworkPolicy"
            } else {
                "AdminNetworkPolicy"
            };
            let mut spec = json!({"subject": subject, "ingress": ing, "egress": eg});
            if !baseline {
                spec["priority"] = json!(prio);
            }
            json!({"apiVersion": "policy.networking.k8s.io/v1alpha1", "kind": kind,
                   "metadata": {"name": "default"}, "spec": spec})
        })
}

fn pod() -> impl Strategy<Value = Value> {
    (0..3usize, labels(), prop::collection::vec(0..PORTS.len(), 0..3), any::<bool>())
        .prop_map(|(ns, l, ports, v6)| (ns, l, ports, v6))
        .prop_map(|(ns, l, ports, v6)| {
            let ports: Vec<Value> = ports
                .iter()
                .map(|i| json!({"name": PORTS[*i].1, "containerPort": PORTS[*i].0, "protocol": PORTS[*i].2}))
                .collect();
            json!({"kind": "Pod", "apiVersion": "v1", "metadata": {"namespace": format!("ns{ns}"), "labels": l},
                   "spec": {"containers": [{"name": "c", "ports": ports}]}, "v6": v6})
        })
}

/// Names the pods and gives them distinct addresses (some in the policies' CIDRs).
fn cluster(mut pods: Vec<Value>, policies: Vec<Value>, ns_labels: Vec<Value>) -> Cluster {
    for (i, p) in pods.iter_mut().enumerate() {
        p["metadata"]["name"] = json!(format!("p{i}"));
        let v4 = format!("10.0.{}.{}", i % 3, i + 1);
        let mut ips = vec![json!({"ip": v4})];
        if p["v6"] == json!(true) {
            ips.push(json!({"ip": format!("fd00::{}", i + 1)}));
        }
        p["status"] = json!({"podIP": v4, "podIPs": ips});
    }
    let mut all: Vec<Value> = ns_labels
        .into_iter()
        .enumerate()
        .map(|(i, l)| json!({"kind": "Namespace", "apiVersion": "v1", "metadata": {"name": format!("ns{i}"), "labels": l}}))
        .collect();
    all.extend(pods);
    all.extend(policies);
    let refs: Vec<&Value> = all.iter().collect();
    Cluster::from_values(&refs)
}

fn policies() -> impl Strategy<Value = Vec<Value>> {
    (
        prop::collection::vec(network_policy(), 0..4),
        prop::collection::vec(admin_policy(false), 0..3),
        prop::option::of(admin_policy(true)),
    )
        .prop_map(|(mut a, b, c)| {
            a.extend(b);
            a.extend(c);
            a
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn matrix_agrees_on_random_clusters(
        pods in prop::collection::vec(pod(), 1..7),
        pols in policies(),
        ns in prop::collection::vec(labels(), 3),
        ipb in any::<bool>(),
    ) {
        let c = cluster(pods, pols, ns);
        prop_assert!(c.issues.is_empty(), "{:?}", c.issues);
        let bad = disagreements(&c, EvalOptions { ipblock_matches_pod_ips: ipb });
        prop_assert!(bad.is_empty(), "{}", bad.join("\n"));
    }

    #[test]
    fn no_policies_allow_everything(pods in prop::collection::vec(pod(), 1..7), ns in prop::collection::vec(labels(), 3)) {
        let c = cluster(pods, Vec::new(), ns);
        for s in 0..c.pods.len() {
            for d in 0..c.pods.len() {
                if s == d { continue; }
                for pp in [PortProto::new(80, rampart_netpol::Protocol::Tcp), PortProto::new(5, rampart_netpol::Protocol::Sctp)] {
                    let q = Query { from: s, to: Target::Pod(d), port: pp };
                    prop_assert!(evaluate(&c, EvalOptions::default(), &q).allowed);
                }
            }
        }
    }

    #[test]
    fn allow_all_policies_never_deny_more(
        pods in prop::collection::vec(pod(), 1..7),
        pols in policies(),
        ns in prop::collection::vec(labels(), 3),
        target_ns in 0..3usize,
    ) {
        let before = cluster(pods.clone(), pols.clone(), ns.clone());
        let mut more = pols;
        more.push(json!({"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy",
            "metadata": {"name": "allow-all", "namespace": format!("ns{target_ns}")},
            "spec": {"podSelector": {}, "policyTypes": ["Ingress", "Egress"], "ingress": [{}], "egress": [{}]}}));
        let after = cluster(pods, more, ns);
        let (m1, m2) = (compute(&before, EvalOptions::default()), compute(&after, EvalOptions::default()));
        for s in 0..before.pods.len() {
            for d in 0..before.pods.len() {
                let (a, b) = (m1.allowed_ports(s, d), m2.allowed_ports(s, d));
                prop_assert!(a.iter().all(|p| b.contains(p)), "{} -> {} lost {:?}", before.pod_id(s), before.pod_id(d), (a, b));
            }
        }
    }
}
