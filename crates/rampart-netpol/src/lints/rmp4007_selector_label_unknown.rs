//! RMP4007: a selector requiring a label that no pod (or namespace) in the input has.

use rampart_model::{Category, Finding, RuleMeta, Severity};

use super::context::unknown_requirements;
use super::Ctx;
use crate::model::admin::AdminPeer;
use crate::model::np::{NpPeer, NsScope};
use crate::model::pods::NAME_LABEL;
use crate::selector::{LabelSelector, Labels, Op, Requirement};

pub static META: RuleMeta = RuleMeta {
    id: "RMP4007",
    name: "selector-label-not-found",
    title: "Selector uses a label no pod or namespace has",
    severity: Severity::Medium,
    category: Category::Network,
    mitre: &[],
    what: "Reports `matchLabels` entries and `In`/`Exists` expressions of pod selectors that no pod (or workload template) in the input satisfies, and of namespace selectors that no Namespace in the input satisfies. Pod selectors are checked against the pods of the namespaces in their scope (the policy's own, or those a namespace selector names with `In`/`matchLabels`) when the input holds pods of them; namespace selectors, and open-ended namespace scopes, only when the input is a whole cluster (it has a `kube-system` Namespace). `kubernetes.io/metadata.name` is never checked, as namespaces may live elsewhere.",
    why: "A selector that matches nothing is almost always a typo or a stale label. In a podSelector it silently leaves pods unprotected; in a peer it silently blocks the traffic it was meant to allow, and somebody will later open it too widely.",
    fix: "Correct the label key or value so that it matches the intended pods or namespaces, or remove the stale requirement.",
    example: "podSelector:\n  matchLabels:\n    app: frontned   # no pod has app=frontned\n",
    references: &["https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/"],
};

/// What a selector is matched against: the pods of some namespaces, or namespaces.
#[derive(Clone)]
enum Against {
    /// Pods of these namespaces (only those the input holds pods of are checked).
    Pods(Vec<usize>),
    Namespaces,
}

fn describe(r: &Requirement) -> String {
    match r.op {
        Op::In if r.values.len() == 1 => format!("{}={}", r.key, r.values[0]),
        Op::In => format!("{} in ({})", r.key, r.values.join(",")),
        _ => r.key.clone(),
    }
}

pub fn check(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let c = &ctx.cluster;
    let namespaces: Vec<&Labels> = c.namespaces.iter().map(|n| &n.labels).collect();
    // Namespace objects in a manifest repository are a few of the cluster's; only a whole
    // cluster dump (recognised by its kube-system Namespace) lists them all.
    let whole_cluster = c
        .namespaces
        .iter()
        .any(|n| n.object.is_some() && n.name == "kube-system");
    let check_ns = whole_cluster;
    // Namespaces matching a selector (by id), and one namespace by name.
    let matching = |s: &LabelSelector| -> Vec<usize> {
        (0..c.namespaces.len())
            .filter(|i| s.matches(&c.namespaces[*i].labels))
            .collect()
    };
    // Pods are checked within the namespaces a selector names; an open-ended one (`{}`,
    // `NotIn`, …) also covers namespaces outside the input, unless the input is the cluster.
    let scope = |s: &LabelSelector| -> Vec<usize> {
        let names_some = s.requirements.iter().any(|r| matches!(r.op, Op::In));
        if whole_cluster {
            matching(s)
        } else if names_some {
            // System namespaces' pods (kube-dns, say) are rarely in a repository.
            let mut m = matching(s);
            m.retain(|n| {
                !super::context::SYSTEM_NAMESPACES.contains(&c.namespaces[*n].name.as_str())
            });
            m
        } else {
            Vec::new()
        }
    };
    let named = |n: &str| -> Vec<usize> { c.find_namespace(n).into_iter().collect() };
    let mut visit = |object: Option<usize>, sel: &LabelSelector, against: Against| {
        let pods: Vec<&Labels>;
        let (universe, what) = match &against {
            Against::Pods(nss) => {
                // Pods of namespaces outside the input (kube-system, say) are unknown, not absent.
                pods = c
                    .pods
                    .iter()
                    .filter(|p| nss.contains(&p.namespace))
                    .map(|p| &p.labels)
                    .collect();
                if pods.is_empty() {
                    return;
                }
                (&pods, "pod")
            }
            Against::Namespaces if check_ns => (&namespaces, "namespace"),
            Against::Namespaces => return,
        };
        for r in unknown_requirements(sel, universe) {
            if matches!(against, Against::Namespaces) && r.key == NAME_LABEL {
                continue;
            }
            let Some(path) = r.path.clone() else { continue };
            let msg = format!(
                "no {what} in the input has the label {}: this selector matches nothing",
                describe(r)
            );
            out.extend(ctx.finding(&META, object, path, msg));
        }
    };
    for p in &c.policies {
        visit(
            p.object,
            &p.pod_selector,
            Against::Pods(named(&p.namespace)),
        );
        for r in p.ingress.iter().chain(&p.egress) {
            for peer in &r.peers {
                if let NpPeer::Pods { namespaces, pods } = peer {
                    let scope = match namespaces {
                        NsScope::Own => named(&p.namespace),
                        NsScope::Selector(s) => {
                            visit(p.object, s, Against::Namespaces);
                            scope(s)
                        }
                    };
                    visit(p.object, pods, Against::Pods(scope));
                }
            }
        }
    }
    for p in c.admin.iter().chain(&c.baseline) {
        visit(p.object, &p.subject.namespaces, Against::Namespaces);
        visit(
            p.object,
            &p.subject.pods,
            Against::Pods(matching(&p.subject.namespaces)),
        );
        for r in p.ingress.iter().chain(&p.egress) {
            for peer in &r.peers {
                if let AdminPeer::Pods(s) = peer {
                    visit(p.object, &s.namespaces, Against::Namespaces);
                    visit(p.object, &s.pods, Against::Pods(scope(&s.namespaces)));
                }
            }
        }
    }
}
