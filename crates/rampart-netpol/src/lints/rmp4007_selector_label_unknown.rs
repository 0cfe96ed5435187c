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
    what: "Reports `matchLabels` entries and `In`/`Exists` expressions of pod selectors that no pod (or workload template) in the input satisfies, and of namespace selectors that no Namespace in the input satisfies. Pod selectors are checked only when the input holds pods or workloads, namespace selectors only when it holds Namespace objects; `kubernetes.io/metadata.name` is not checked, as namespaces may live elsewhere.",
    why: "A selector that matches nothing is almost always a typo or a stale label. In a podSelector it silently leaves pods unprotected; in a peer it silently blocks the traffic it was meant to allow, and somebody will later open it too widely.",
    fix: "Correct the label key or value so that it matches the intended pods or namespaces, or remove the stale requirement.",
    example: "podSelector:\n  matchLabels:\n    app: frontned   # no pod has app=frontned\n",
    references: &["https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/"],
};

/// Which kind of object a selector is matched against.
#[derive(Clone, Copy)]
enum Against {
    Pods,
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
    let pods: Vec<&Labels> = c.pods.iter().map(|p| &p.labels).collect();
    let namespaces: Vec<&Labels> = c.namespaces.iter().map(|n| &n.labels).collect();
    let check_ns = c.namespaces.iter().any(|n| n.object.is_some());
    let mut visit = |object: Option<usize>, sel: &LabelSelector, against: Against| {
        let (universe, what) = match against {
            Against::Pods if !pods.is_empty() => (&pods, "pod"),
            Against::Namespaces if check_ns => (&namespaces, "namespace"),
            _ => return,
        };
        for r in unknown_requirements(sel, universe) {
            if matches!(against, Against::Namespaces) && r.key == NAME_LABEL {
                continue;
            }
            let Some(path) = r.path.clone() else { continue };
            let msg = format!("no {what} in the input has the label {}: this selector matches nothing", describe(r));
            out.extend(ctx.finding(&META, object, path, msg));
        }
    };
    for p in &c.policies {
        visit(p.object, &p.pod_selector, Against::Pods);
        for r in p.ingress.iter().chain(&p.egress) {
            for peer in &r.peers {
                if let NpPeer::Pods { namespaces, pods } = peer {
                    if let NsScope::Selector(s) = namespaces {
                        visit(p.object, s, Against::Namespaces);
                    }
                    visit(p.object, pods, Against::Pods);
                }
            }
        }
    }
    for p in c.admin.iter().chain(&c.baseline) {
        visit(p.object, &p.subject.namespaces, Against::Namespaces);
        visit(p.object, &p.subject.pods, Against::Pods);
        for r in p.ingress.iter().chain(&p.egress) {
            for peer in &r.peers {
                if let AdminPeer::Pods(s) = peer {
                    visit(p.object, &s.namespaces, Against::Namespaces);
                    visit(p.object, &s.pods, Against::Pods);
                }
            }
        }
    }
}
