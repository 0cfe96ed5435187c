//! ClusterRole aggregation, as the `clusterrole-aggregation` controller computes it.
//!
//! An aggregated ClusterRole's rules are the union of the rules of every *other* ClusterRole
//! matching any of its selectors: selectors in order, matching roles sorted by name, their
//! (effective) rules in order, a rule equal to one already taken skipped. Aggregation nests;
//! cycles have no defined result upstream, so the roles of a cycle get no rules and the cycle
//! is reported.

use std::collections::HashSet;

use crate::model::{PolicyRule, RoleDef, RoleKind};

/// The effective rules of every role (index-aligned with `roles`), and the indexes of the
/// aggregated roles caught in a cycle (each cycle as one group, in role order).
pub fn effective_rules(roles: &[RoleDef]) -> (Vec<Vec<PolicyRule>>, Vec<Vec<usize>>) {
    let mut clusterroles: Vec<usize> = (0..roles.len())
        .filter(|&i| roles[i].kind == RoleKind::ClusterRole)
        .collect();
    clusterroles.sort_by(|&a, &b| roles[a].name.cmp(&roles[b].name));

    // Sources of each aggregated role, in contribution order.
    let mut sources: Vec<Vec<usize>> = vec![Vec::new(); roles.len()];
    for (i, role) in roles.iter().enumerate() {
        let Some(selectors) = &role.aggregation else {
            continue;
        };
        if role.kind != RoleKind::ClusterRole {
            continue;
        }
        for sel in selectors {
            for &c in &clusterroles {
                if roles[c].name != role.name && sel.matches(&roles[c].labels) {
                    sources[i].push(c);
                }
            }
        }
    }
    let aggregated =
        |i: usize| roles[i].aggregation.is_some() && roles[i].kind == RoleKind::ClusterRole;

    let order = strongly_connected(roles.len(), |i| {
        if aggregated(i) {
            sources[i]
                .iter()
                .copied()
                .filter(|&s| aggregated(s))
                .collect()
        } else {
            Vec::new()
        }
    });
    let mut rules: Vec<Option<Vec<PolicyRule>>> = vec![None; roles.len()];
    let mut cycles = Vec::new();
    // Components come dependencies first, so every source is done before its user.
    for comp in order {
        let in_cycle = comp.len() > 1;
        if in_cycle {
            let mut c = comp.clone();
            c.sort_unstable();
            cycles.push(c);
        }
        for &i in &comp {
            rules[i] = Some(if !aggregated(i) {
                roles[i].rules.clone()
            } else if in_cycle {
                Vec::new()
            } else {
                let mut seen: HashSet<&PolicyRule> = HashSet::new();
                let mut out = Vec::new();
                for &s in &sources[i] {
                    // Plain roles contribute what they declare; aggregated ones were
                    // computed earlier (their component came first).
                    let from = if aggregated(s) {
                        rules[s].as_deref().unwrap_or(&[])
                    } else {
                        &roles[s].rules
                    };
                    for r in from {
                        if seen.insert(r) {
                            out.push(r.clone());
                        }
                    }
                }
                out
            });
        }
    }
    (
        rules.into_iter().map(Option::unwrap_or_default).collect(),
        cycles,
    )
}

/// Tarjan's algorithm without recursion (aggregation chains can be long): the strongly
/// connected components of the graph, each component after every component it points to.
fn strongly_connected(n: usize, edges: impl Fn(usize) -> Vec<usize>) -> Vec<Vec<usize>> {
    const UNSEEN: usize = usize::MAX;
    let mut index = vec![UNSEEN; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut stack = Vec::new();
    let mut out = Vec::new();
    let mut next = 0;
    for root in 0..n {
        if index[root] != UNSEEN {
            continue;
        }
        // Frames: (node, its successors, position in them).
        let mut frames: Vec<(usize, Vec<usize>, usize)> = Vec::new();
        index[root] = next;
        low[root] = next;
        next += 1;
        stack.push(root);
        on_stack[root] = true;
        frames.push((root, edges(root), 0));
        while let Some(top) = frames.last_mut() {
            let v = top.0;
            if let Some(&w) = top.1.get(top.2) {
                top.2 += 1;
                if index[w] == UNSEEN {
                    index[w] = next;
                    low[w] = next;
                    next += 1;
                    stack.push(w);
                    on_stack[w] = true;
                    frames.push((w, edges(w), 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
                continue;
            }
            frames.pop();
            if let Some((parent, _, _)) = frames.last() {
                low[*parent] = low[*parent].min(low[v]);
            }
            if low[v] == index[v] {
                let mut comp = Vec::new();
                while let Some(w) = stack.pop() {
                    on_stack[w] = false;
                    comp.push(w);
                    if w == v {
                        break;
                    }
                }
                out.push(comp);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn components_come_dependencies_first() {
        // 0 -> 1 -> 2 -> 1, 3 alone
        let g = [vec![1], vec![2], vec![1], vec![]];
        let comps = strongly_connected(4, |i| g[i].clone());
        let pos = |x: usize| comps.iter().position(|c| c.contains(&x)).unwrap_or(99);
        assert!(pos(1) < pos(0));
        assert_eq!(pos(1), pos(2));
        assert_eq!(comps.len(), 3);
    }
}
