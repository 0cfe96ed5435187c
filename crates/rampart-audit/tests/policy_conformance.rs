//! Every policy case of the shared conformance suite, and this crate's own cases in the same
//! format, evaluated through the library.
#![allow(clippy::unwrap_used)]

mod support;

use std::path::Path;

use rampart_audit::policy::{parse_policy, Policy, Request, Target};
use support::Query;

fn load_policy(path: &Path) -> Policy {
    let text = std::fs::read_to_string(path).unwrap();
    let (_, objects, errors) = rampart_manifest::load_text(&path.display().to_string(), text);
    assert!(errors.is_empty(), "{errors:?}");
    let obj = objects
        .iter()
        .find(|o| rampart_audit::policy::is_policy(&o.json))
        .unwrap_or_else(|| panic!("no Policy in {}", path.display()));
    parse_policy(&obj.json).unwrap()
}

fn request(args: &[String]) -> Request {
    let mut req = Request {
        user: String::new(),
        groups: Vec::new(),
        verb: String::new(),
        target: Target::NonResource {
            path: String::new(),
        },
    };
    let (mut resource, mut sub, mut group, mut ns, mut name, mut path) = (
        None,
        String::new(),
        String::new(),
        String::new(),
        String::new(),
        None,
    );
    let mut it = args.iter();
    while let Some(flag) = it.next() {
        let v = it
            .next()
            .unwrap_or_else(|| panic!("{flag} without a value"))
            .clone();
        match flag.as_str() {
            "--user" => req.user = v,
            "--group" => req.groups.push(v),
            "--verb" => req.verb = v,
            "--resource" => resource = Some(v),
            "--subresource" => sub = v,
            "--api-group" => group = v,
            "-n" | "--namespace" => ns = v,
            "--name" => name = v,
            "--path" => path = Some(v),
            other => panic!("unknown flag {other}"),
        }
    }
    req.target = match (resource, path) {
        (Some(resource), None) => Target::Resource {
            api_group: group,
            resource,
            subresource: sub,
            namespace: ns,
            name,
        },
        (None, Some(path)) => Target::NonResource { path },
        _ => panic!("exactly one of --resource and --path: {args:?}"),
    };
    req
}

fn check_case(dir: &Path) -> usize {
    let policy = load_policy(&dir.join("policy.yaml"));
    let queries: Vec<Query> =
        support::parse_queries(&std::fs::read_to_string(dir.join("expected.txt")).unwrap());
    assert!(!queries.is_empty(), "{} has no queries", dir.display());
    for q in &queries {
        let d = policy.evaluate(&request(&q.args));
        let ctx = format!("{}: {:?}", dir.display(), q.args);
        assert_eq!(d.level.as_str(), q.level, "level, {ctx}");
        assert_eq!(d.omit_stages.names(), q.omit, "omitStages, {ctx}");
        assert_eq!(d.rule, q.rule, "rule, {ctx}");
        if let Some(omf) = q.omf {
            assert_eq!(d.omit_managed_fields, omf, "omitManagedFields, {ctx}");
        }
    }
    queries.len()
}

#[test]
fn shared_policy_cases() {
    let Some(suite) = support::suite() else {
        return;
    };
    let cases = support::policy_cases(&suite);
    assert!(!cases.is_empty());
    let n: usize = cases.iter().map(|c| check_case(c)).sum();
    eprintln!("{} policy cases, {n} queries: all pass", cases.len());
}

#[test]
fn own_policy_cases() {
    let dir = Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/policy"
    ));
    let mut cases: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .collect();
    cases.sort();
    assert!(cases.len() >= 5);
    for c in &cases {
        check_case(c);
    }
}
