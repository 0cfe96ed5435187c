//! The bootstrap roles and bindings every cluster has (`--with-bootstrap`), kept as YAML data
//! beside this file and parsed once on first use.

use std::sync::OnceLock;

use rampart_model::InputError;

use crate::parse::Inventory;

/// `(file name, text)` of each data file, in load order.
const FILES: &[(&str, &str)] = &[
    ("<bootstrap>/roles.yaml", include_str!("roles.yaml")),
    ("<bootstrap>/system.yaml", include_str!("system.yaml")),
    (
        "<bootstrap>/controllers.yaml",
        include_str!("controllers.yaml"),
    ),
    ("<bootstrap>/bindings.yaml", include_str!("bindings.yaml")),
];

/// The bootstrap set; parsed on first use.
pub fn inventory() -> &'static Inventory {
    static SET: OnceLock<Inventory> = OnceLock::new();
    SET.get_or_init(|| parse().0)
}

/// Parses the data files; the errors are empty unless the data is broken (a test checks).
pub(crate) fn parse() -> (Inventory, Vec<InputError>) {
    let mut errors = Vec::new();
    let mut all = Inventory::default();
    for (name, text) in FILES {
        let (_, objects, errs) = rampart_manifest::load_text(name, (*text).to_string());
        errors.extend(errs);
        let mut inv = Inventory::from_objects(&objects, &mut errors);
        for role in &mut inv.roles {
            role.origin.builtin = true;
            role.origin.object = None;
        }
        for b in &mut inv.bindings {
            b.origin.builtin = true;
            b.origin.object = None;
        }
        all.roles.append(&mut inv.roles);
        all.bindings.append(&mut inv.bindings);
    }
    (all, errors)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Identity, Policy, Request};

    #[test]
    fn data_parses_without_errors() {
        let (inv, errors) = parse();
        assert!(errors.is_empty(), "{errors:?}");
        assert!(inv.roles.len() > 40);
        assert!(inv.bindings.len() > 40);
    }

    #[test]
    fn admin_contains_edit_contains_view() {
        let (policy, errors) = Policy::build(Some(inventory()), &Inventory::default());
        assert!(errors.is_empty(), "{errors:?}");
        let rules = |name: &str| {
            policy
                .role(crate::RoleKind::ClusterRole, "", name)
                .map(|r| r.rules.clone())
                .unwrap_or_default()
        };
        let (admin, edit, view) = (rules("admin"), rules("edit"), rules("view"));
        assert!(!view.is_empty());
        assert!(view.iter().all(|r| edit.contains(r)));
        assert!(edit.iter().all(|r| admin.contains(r)));
        assert!(admin.len() > edit.len() && edit.len() > view.len());
    }

    #[test]
    fn masters_and_discovery_bindings_work() {
        let (policy, _) = Policy::build(Some(inventory()), &Inventory::default());
        let root = Identity::impersonate("root", &["system:masters".to_string()]);
        let anyone = Identity::impersonate("alice", &[]);
        let anon = Identity::impersonate("system:anonymous", &[]);
        let req = |v: &str, t: &str| Request::build(v, t, None, None).ok();
        let del = req("delete", "nodes/n1");
        let apis = req("get", "/apis");
        let health = req("get", "/healthz");
        let check = |id: &Identity, r: &Option<Request>| {
            r.as_ref().is_some_and(|r| policy.can_i(id, r).allowed)
        };
        assert!(check(&root, &del));
        assert!(!check(&anyone, &del));
        assert!(check(&anyone, &apis));
        assert!(!check(&anon, &apis));
        assert!(check(&anon, &health));
    }
}
