//! What a role lets its holder do towards escalation: the capability catalogue of the spec
//! (§8), read off the role's effective rules with the authorizer's own matching.

use std::collections::BTreeSet;

use crate::matcher::names_granted;
use crate::model::PolicyRule;

/// Which names a permission covers.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Names {
    #[default]
    None,
    Only(BTreeSet<String>),
    All,
}

impl Names {
    pub fn any(&self) -> bool {
        !matches!(self, Names::None)
    }

    /// Whether `name` is covered.
    pub fn covers(&self, name: &str) -> bool {
        match self {
            Names::None => false,
            Names::Only(set) => set.contains(name),
            Names::All => true,
        }
    }

    fn add(&mut self, names: &[String]) {
        match self {
            Names::All => {}
            _ if names.is_empty() => *self = Names::All,
            Names::Only(set) => set.extend(names.iter().cloned()),
            Names::None => *self = Names::Only(names.iter().cloned().collect()),
        }
    }
}

/// The escalation-relevant permissions of one role.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Caps {
    /// `*` verbs on `*` resources in `*` groups.
    pub wildcard: bool,
    /// `create` on pods or on a workload kind that makes pods.
    pub create_pods: bool,
    /// `create`/`get` on `pods/exec` or `pods/attach`, `patch` on ephemeral containers.
    pub exec: Names,
    /// `get` (names) or `list`/`watch` (all) on secrets.
    pub read_secrets: Names,
    pub create_token: Names,
    pub impersonate_sa: Names,
    pub impersonate_user: Names,
    pub impersonate_group: Names,
    pub bind_clusterroles: Names,
    pub bind_roles: Names,
    pub escalate_clusterroles: bool,
    pub escalate_roles: bool,
    pub update_clusterroles: Names,
    pub create_clusterrolebindings: bool,
    pub create_rolebindings: bool,
    pub nodes_proxy: bool,
    pub csr_approval: bool,
    pub approve_signers: Names,
    pub webhook_write: bool,
    pub create_pv: bool,
}

/// Kinds whose `create` makes pods.
const POD_MAKERS: &[(&str, &str)] = &[
    ("", "pods"),
    ("", "replicationcontrollers"),
    ("apps", "deployments"),
    ("apps", "daemonsets"),
    ("apps", "statefulsets"),
    ("apps", "replicasets"),
    ("batch", "jobs"),
    ("batch", "cronjobs"),
];

const RBAC: &str = "rbac.authorization.k8s.io";

impl Caps {
    /// Reads a role's rules.
    pub fn of(rules: &[PolicyRule]) -> Caps {
        let mut c = Caps::default();
        for r in rules {
            c.add_rule(r);
        }
        c
    }

    /// Whether the role grants anything this module cares about.
    pub fn is_empty(&self) -> bool {
        *self == Caps::default()
    }

    fn add_rule(&mut self, r: &PolicyRule) {
        // `names_granted` ignores resourceNames; the verbs below that never carry a name
        // (create, list, watch) only count when the rule has none.
        let any =
            |verb: &str, group: &str, res: &str, sub: &str| names_granted(r, verb, group, res, sub);
        let unnamed = |verb: &str, group: &str, res: &str, sub: &str| {
            any(verb, group, res, sub).is_some_and(<[String]>::is_empty)
        };
        let named = |slot: &mut Names, verbs: &[&str], group: &str, res: &str, sub: &str| {
            for v in verbs {
                if let Some(n) = any(v, group, res, sub) {
                    slot.add(n);
                }
            }
        };
        self.wildcard |= r.verbs.iter().any(|v| v == "*")
            && r.api_groups.iter().any(|g| g == "*")
            && r.resources.iter().any(|x| x == "*");
        self.create_pods |= POD_MAKERS
            .iter()
            .any(|(g, res)| unnamed("create", g, res, ""));
        named(&mut self.exec, &["create", "get"], "", "pods", "exec");
        named(&mut self.exec, &["create", "get"], "", "pods", "attach");
        named(
            &mut self.exec,
            &["update", "patch"],
            "",
            "pods",
            "ephemeralcontainers",
        );
        named(&mut self.read_secrets, &["get"], "", "secrets", "");
        if unnamed("list", "", "secrets", "") || unnamed("watch", "", "secrets", "") {
            self.read_secrets = Names::All;
        }
        named(
            &mut self.create_token,
            &["create"],
            "",
            "serviceaccounts",
            "token",
        );
        named(
            &mut self.impersonate_sa,
            &["impersonate"],
            "",
            "serviceaccounts",
            "",
        );
        named(
            &mut self.impersonate_user,
            &["impersonate"],
            "",
            "users",
            "",
        );
        named(
            &mut self.impersonate_group,
            &["impersonate"],
            "",
            "groups",
            "",
        );
        named(
            &mut self.bind_clusterroles,
            &["bind"],
            RBAC,
            "clusterroles",
            "",
        );
        named(&mut self.bind_roles, &["bind"], RBAC, "roles", "");
        self.escalate_clusterroles |= any("escalate", RBAC, "clusterroles", "").is_some();
        self.escalate_roles |= any("escalate", RBAC, "roles", "").is_some();
        named(
            &mut self.update_clusterroles,
            &["update", "patch"],
            RBAC,
            "clusterroles",
            "",
        );
        self.create_clusterrolebindings |= unnamed("create", RBAC, "clusterrolebindings", "");
        self.create_rolebindings |= unnamed("create", RBAC, "rolebindings", "");
        self.nodes_proxy |= ["get", "create", "proxy"]
            .iter()
            .any(|v| any(v, "", "nodes", "proxy").is_some());
        self.csr_approval |= any(
            "update",
            "certificates.k8s.io",
            "certificatesigningrequests",
            "approval",
        )
        .is_some();
        named(
            &mut self.approve_signers,
            &["approve"],
            "certificates.k8s.io",
            "signers",
            "",
        );
        self.webhook_write |= ["create", "update", "patch"].iter().any(|v| {
            [
                "mutatingwebhookconfigurations",
                "validatingwebhookconfigurations",
            ]
            .iter()
            .any(|res| any(v, "admissionregistration.k8s.io", res, "").is_some())
        });
        self.create_pv |= unnamed("create", "", "persistentvolumes", "");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(verbs: &[&str], groups: &[&str], res: &[&str], names: &[&str]) -> PolicyRule {
        let v = |x: &[&str]| x.iter().map(|s| (*s).to_string()).collect();
        PolicyRule {
            verbs: v(verbs),
            api_groups: v(groups),
            resources: v(res),
            resource_names: v(names),
            non_resource_urls: Vec::new(),
        }
    }

    #[test]
    fn reads_the_catalogue() {
        let c = Caps::of(&[
            rule(&["create"], &["apps"], &["deployments"], &[]),
            rule(&["get"], &[""], &["secrets"], &["db"]),
            rule(&["impersonate"], &[""], &["groups"], &["system:masters"]),
            rule(&["create"], &[""], &["pods"], &["x"]),
        ]);
        assert!(c.create_pods);
        assert!(c.read_secrets.covers("db") && !c.read_secrets.covers("other"));
        assert!(c.impersonate_group.covers("system:masters"));
        assert!(!c.wildcard);
        let star = Caps::of(&[rule(&["*"], &["*"], &["*"], &[])]);
        assert!(star.wildcard && star.nodes_proxy && star.create_pv && star.escalate_clusterroles);
        assert_eq!(star.read_secrets, Names::All);
        // create with resourceNames never authorizes anything
        assert!(!Caps::of(&[rule(&["create"], &[""], &["pods"], &["x"])]).create_pods);
    }
}
