//! RMP4005: egress allowed to `0.0.0.0/0` or `::/0`.

use rampart_model::{Category, Finding, RuleMeta, Severity};

use super::Ctx;
use crate::model::admin::{Action, AdminPeer};
use crate::model::np::{Direction, NpPeer};

pub static META: RuleMeta = RuleMeta {
    id: "RMP4005",
    name: "egress-to-any-address",
    title: "Egress allowed to the whole internet",
    severity: Severity::Low,
    category: Category::Network,
    mitre: &["T1041", "T1071"],
    what: "Reports NetworkPolicy egress `ipBlock` peers whose `cidr` is `0.0.0.0/0` or `::/0` (with or without `except`), and AdminNetworkPolicy/BaselineAdminNetworkPolicy `Allow` egress rules whose `networks` contain them.",
    why: "Egress to any address lets a compromised pod exfiltrate data and reach command-and-control servers; `except` lists usually miss ranges (cloud metadata, other VPCs, IPv6).",
    fix: "Allow egress only to the address ranges the workload needs, or send it through an egress proxy or gateway and allow only that.",
    example: "egress:\n  - to:\n      - ipBlock:\n          cidr: 0.0.0.0/0\n          except: [10.0.0.0/8]\n    ports: [{port: 443}]\n",
    references: &["https://kubernetes.io/docs/concepts/services-networking/network-policies/#networkpolicy-resource"],
};

pub fn check(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    for p in &ctx.cluster.policies {
        if !p.egress_type {
            continue;
        }
        for (i, r) in p.egress.iter().enumerate() {
            for (j, peer) in r.peers.iter().enumerate() {
                let NpPeer::IpBlock(b) = peer else { continue };
                if b.cidr.prefix_len() != 0 {
                    continue;
                }
                let ports = if r.ports.is_empty() {
                    "every port".to_string()
                } else {
                    r.ports
                        .iter()
                        .map(ToString::to_string)
                        .collect::<Vec<_>>()
                        .join(", ")
                };
                let msg = format!(
                    "NetworkPolicy {} egress[{i}] allows egress to {} ({}{ports})",
                    p.id(),
                    b.cidr,
                    if b.except.is_empty() {
                        String::new()
                    } else {
                        format!("except {} ranges; ", b.except.len())
                    }
                );
                let path = r.path.key("to").index(j).key("ipBlock").key("cidr");
                out.extend(ctx.finding(&META, p.object, path, msg));
            }
        }
    }
    let c = &ctx.cluster;
    for p in c.admin.iter().chain(&c.baseline) {
        for (i, r) in p.rules(Direction::Egress).iter().enumerate() {
            if r.action != Action::Allow {
                continue;
            }
            for (j, peer) in r.peers.iter().enumerate() {
                let AdminPeer::Networks(nets) = peer else {
                    continue;
                };
                for (k, n) in nets.iter().enumerate().filter(|(_, n)| n.prefix_len() == 0) {
                    let msg = format!(
                        "{} {} egress[{i}] allows egress to {n}",
                        p.kind.kind_name(),
                        p.name
                    );
                    let path = r.path.key("to").index(j).key("networks").index(k);
                    out.extend(ctx.finding(&META, p.object, path, msg));
                }
            }
        }
    }
}
