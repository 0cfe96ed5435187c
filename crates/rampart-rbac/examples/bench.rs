//! RBAC benchmark: indexed queries against the brute-force evaluator, in the same process.
//!
//! ```sh
//! cargo run --release -p rampart-rbac --example bench -- DIR/rbac.yaml [DIR/queries.txt]
//! ```
//!
//! Prints, for each measurement, Rampart's time, the brute-force time and their ratio:
//! one who-can (median of many), one who-can for every namespace, the generated queries,
//! and the whole escalation graph. Every indexed answer is checked against the brute force.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use rampart_manifest::{load_paths, LoadOptions};
use rampart_rbac::query::{Answer, Asker, Query};
use rampart_rbac::{brute, escalation, Cluster, Identity, Request};

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

/// Runs `f` repeatedly for at least `budget` (and at least 3 times); the median run.
fn time<T>(budget: Duration, mut f: impl FnMut() -> T) -> (Duration, T) {
    let mut runs = Vec::new();
    let start = Instant::now();
    let mut last;
    loop {
        let t = Instant::now();
        last = f();
        runs.push(t.elapsed());
        if runs.len() >= 3 && start.elapsed() >= budget {
            break;
        }
    }
    (median(runs), last)
}

fn ms(d: Duration) -> String {
    format!("{:.3} ms", d.as_secs_f64() * 1e3)
}

fn row(what: &str, fast: Duration, slow: Duration) {
    let ratio = slow.as_secs_f64() / fast.as_secs_f64().max(1e-9);
    println!("| {what} | {} | {} | {ratio:.1}x |", ms(fast), ms(slow));
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(input) = args.first() else {
        eprintln!("usage: bench RBAC.yaml [QUERIES.txt]");
        std::process::exit(2);
    };
    let t = Instant::now();
    let loaded = load_paths(&[PathBuf::from(input)], &LoadOptions::default());
    let load = t.elapsed();
    let t = Instant::now();
    let cluster = Cluster::from_objects(&loaded.objects, false);
    let build = t.elapsed();
    let p = &cluster.policy;
    println!(
        "input: {} objects, {} roles, {} bindings ({} cluster-wide); load {}, build {}",
        loaded.objects.len(),
        p.roles.len(),
        p.bindings.len(),
        p.cluster_bindings,
        ms(load),
        ms(build)
    );
    println!("\n| measurement | rampart (indexed) | brute force | ratio |\n|---|---:|---:|---:|");
    let budget = Duration::from_millis(500);

    // One who-can, in the namespace with the most RoleBindings.
    let mut namespaces: Vec<&str> = p.binding_namespaces().collect();
    namespaces.sort_unstable();
    let busiest = namespaces
        .iter()
        .copied()
        .max_by_key(|ns| p.applicable(ns).count())
        .unwrap_or("default");
    for (verb, target, ns) in [("get", "secrets", Some(busiest)), ("list", "pods", None)] {
        let req = Request::build(verb, target, None, ns).unwrap_or_else(|e| panic!("{e}"));
        let (fast, holders) = time(budget, || p.who_can(&req));
        let (slow, oracle) = time(budget, || brute::who_can(p, &req));
        let got: Vec<String> = holders.iter().map(|h| h.subject.to_string()).collect();
        assert_eq!(got, oracle, "who-can {req} differs from the brute force");
        row(
            &format!("who-can {req} ({} subjects)", got.len()),
            fast,
            slow,
        );
    }

    // who-can for one verb/resource in every namespace (and cluster-wide).
    let all_ns: Vec<Option<&str>> = std::iter::once(None)
        .chain(namespaces.iter().map(|n| Some(*n)))
        .collect();
    let reqs: Vec<Request> = all_ns
        .iter()
        .map(|ns| Request::build("get", "secrets", None, *ns).unwrap_or_else(|e| panic!("{e}")))
        .collect();
    let (fast, a) = time(budget, || {
        reqs.iter().map(|r| p.who_can(r).len()).sum::<usize>()
    });
    let (slow, b) = time(Duration::ZERO, || {
        reqs.iter()
            .map(|r| brute::who_can(p, r).len())
            .sum::<usize>()
    });
    assert_eq!(a, b);
    row(
        &format!(
            "who-can get secrets, each of {} namespaces + cluster-wide",
            reqs.len()
        ),
        fast,
        slow,
    );

    // The generated queries.
    if let Some(qpath) = args.get(1) {
        let text = std::fs::read_to_string(qpath).unwrap_or_default();
        let queries: Vec<Query> = text
            .lines()
            .filter_map(|l| Query::parse(l).ok().flatten())
            .collect();
        let answer_fast = |q: &Query| q.answer(p).ok();
        let answer_slow = |q: &Query| {
            let req = q.request().ok()?;
            Some(match &q.asker {
                Asker::User { user, groups } => {
                    Answer::Allowed(brute::can_i(p, &Identity::impersonate(user, groups), &req))
                }
                Asker::Anyone => Answer::Subjects(brute::who_can(p, &req)),
            })
        };
        let (fast, fa) = time(budget, || {
            queries.iter().map(answer_fast).collect::<Vec<_>>()
        });
        let (slow, sa) = time(Duration::ZERO, || {
            queries.iter().map(answer_slow).collect::<Vec<_>>()
        });
        assert_eq!(fa, sa, "generated queries differ from the brute force");
        let allowed = fa
            .iter()
            .filter(|a| matches!(a, Some(Answer::Allowed(true))))
            .count();
        row(
            &format!("{} generated queries ({allowed} allowed)", queries.len()),
            fast,
            slow,
        );
    }

    // The whole escalation graph.
    let (fast, analysis) = time(Duration::from_secs(2), || escalation::analyze(&cluster));
    let (slow, oracle) = time(Duration::ZERO, || escalation::analyze_brute(&cluster));
    assert!(analysis == oracle, "escalation graphs differ");
    let admin = analysis
        .subjects
        .iter()
        .filter(|s| s.cluster_admin.is_some())
        .count();
    let root = analysis
        .subjects
        .iter()
        .filter(|s| s.node_root.is_some())
        .count();
    row(
        &format!(
            "escalation graph ({} subjects, {} nodes, {} edges; {admin} reach cluster-admin, {root} node-root)",
            analysis.identities,
            analysis.graph.nodes.len(),
            analysis.graph.edges.len()
        ),
        fast,
        slow,
    );
}
