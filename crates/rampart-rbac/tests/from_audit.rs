//! `from-audit` over `resources/test/fixtures/rbac/from-audit/audit.jsonl`: the generated
//! policy allows every logged request of the identity and nothing next to them.

use std::path::Path;

use rampart_rbac::from_audit::{least_privilege, parse};
use rampart_rbac::{Cluster, Identity, Request, Subject};

fn events() -> Vec<rampart_rbac::from_audit::Event> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../resources/test/fixtures/rbac/from-audit/audit.jsonl");
    let text = std::fs::read_to_string(&path).unwrap_or_default();
    let (events, errors) = parse("audit.jsonl", &text);
    assert!(errors.is_empty(), "{errors:?}");
    events
}

fn policy_for(
    who: &Subject,
    existing: Option<&Cluster>,
) -> (Cluster, rampart_rbac::from_audit::Generated) {
    let generated = least_privilege(&events(), who, existing.map(|c| &c.policy), None);
    let yaml = generated.to_yaml("test");
    let (_, objects, errors) = rampart_manifest::load_text("generated.yaml", yaml);
    assert!(errors.is_empty(), "{errors:?}");
    let cluster = Cluster::from_objects(&objects, false);
    assert!(cluster.errors.is_empty());
    (cluster, generated)
}

fn can(
    c: &Cluster,
    id: &Identity,
    verb: &str,
    target: &str,
    sub: Option<&str>,
    ns: Option<&str>,
) -> bool {
    let req = Request::build(verb, target, sub, ns).unwrap_or_else(|e| panic!("{e}"));
    c.policy.can_i(id, &req).allowed
}

#[test]
fn allows_exactly_the_logged_requests() {
    let (c, generated) = policy_for(&Subject::User("alice".into()), None);
    assert_eq!(generated.requests, 11);
    let alice = Identity::impersonate("alice", &[]);
    for (verb, target, sub, ns) in [
        ("list", "pods", None, Some("shop")),
        ("get", "configmaps/app-config", None, Some("shop")),
        ("update", "configmaps/flags", None, Some("shop")),
        ("create", "deployments.apps", None, Some("shop")),
        ("patch", "deployments.apps/web", Some("scale"), Some("shop")),
        ("create", "pods/web-0", Some("exec"), Some("shop")),
        ("list", "nodes", None, None),
        ("watch", "pods", None, None),
        ("get", "/healthz", None, None),
        ("get", "/apis", None, None),
        ("impersonate", "serviceaccounts/backup", None, Some("ops")),
    ] {
        assert!(
            can(&c, &alice, verb, target, sub, ns),
            "{verb} {target} {ns:?}"
        );
    }
    for (verb, target, sub, ns) in [
        ("delete", "pods", None, Some("shop")),
        ("list", "pods", None, Some("other")),
        ("get", "configmaps/other", None, Some("shop")),
        ("update", "configmaps/app-config", None, Some("shop")),
        ("get", "configmaps/flags", None, Some("shop")),
        ("create", "pods/web-1", Some("exec"), Some("shop")),
        ("get", "nodes", None, None),
        ("get", "/metrics", None, None),
        ("get", "secrets/db", None, Some("ops")),
        ("list", "secrets", None, Some("shop")),
    ] {
        assert!(
            !can(&c, &alice, verb, target, sub, ns),
            "{verb} {target} {ns:?}"
        );
    }
    // Somebody else gets nothing from it.
    assert!(!can(
        &c,
        &Identity::impersonate("bob", &[]),
        "list",
        "pods",
        None,
        Some("shop")
    ));
}

#[test]
fn service_accounts_get_their_impersonated_requests() {
    let who = Subject::ServiceAccount {
        namespace: "ops".into(),
        name: "backup".into(),
    };
    let (c, generated) = policy_for(&who, None);
    assert_eq!(generated.requests, 2);
    let sa = Identity::service_account("ops", "backup");
    assert!(can(&c, &sa, "get", "secrets/db", None, Some("ops")));
    assert!(can(
        &c,
        &sa,
        "update",
        "leases.coordination.k8s.io/backup-lock",
        None,
        Some("ops")
    ));
    assert!(!can(&c, &sa, "get", "secrets/other", None, Some("ops")));
}

#[test]
fn requests_the_existing_policy_allows_are_left_out() {
    let (_, objects, _) = rampart_manifest::load_text("none.yaml", String::new());
    let existing = Cluster::from_objects(&objects, true);
    let (c, generated) = policy_for(&Subject::User("alice".into()), Some(&existing));
    assert_eq!(
        generated.already_allowed, 2,
        "discovery and health are bootstrap grants"
    );
    let alice = Identity::impersonate("alice", &[]);
    assert!(!can(&c, &alice, "get", "/healthz", None, None));
    assert!(can(&c, &alice, "list", "nodes", None, None));
}

#[test]
fn malformed_lines_are_reported_with_their_line() {
    let (events, errors) = parse(
        "x.jsonl",
        "{\"verb\":\"get\",\"requestURI\":\"/x\"}\nnot json\n",
    );
    assert_eq!(events.len(), 1);
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].line, 2);
    let list = r#"{"kind":"EventList","items":[{"auditID":"1","verb":"get","requestURI":"/a"},{"auditID":"1","verb":"get","requestURI":"/a"}]}"#;
    assert_eq!(parse("l.json", list).0.len(), 1);
}
