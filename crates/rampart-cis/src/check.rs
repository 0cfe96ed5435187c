//! Checks, their outcomes, and the small test language the flag checks are written in
//! (kube-bench's operators: `eq`, `noteq`, `has`, `nothave`, `gte`, `valid_elements`, set/unset).

use serde::Serialize;

use crate::flags::{list, parse_bool};
use crate::subject::{Key, Origin, Subject};

/// The benchmark version the checks follow.
pub const BENCHMARK: &str = "cis-1.12";

/// A check's result as reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Pass,
    Fail,
    /// An unscored check whose test failed.
    Warn,
    /// No automated test: a person must decide.
    Manual,
    /// The subject is absent on this node.
    Skip,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pass => "pass",
            Status::Fail => "fail",
            Status::Warn => "warn",
            Status::Manual => "manual",
            Status::Skip => "skip",
        }
    }
}

/// How results are grouped in reports: the benchmark's sections, by component.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Group {
    ControlPlaneFiles,
    ApiServer,
    ControllerManager,
    Scheduler,
    Etcd,
    ControlPlaneConfig,
    WorkerFiles,
    Kubelet,
    KubeProxy,
    Policies,
}

impl Group {
    pub fn label(self) -> &'static str {
        match self {
            Group::ControlPlaneFiles => "control-plane files (1.1)",
            Group::ApiServer => "kube-apiserver (1.2)",
            Group::ControllerManager => "kube-controller-manager (1.3)",
            Group::Scheduler => "kube-scheduler (1.4)",
            Group::Etcd => "etcd (2)",
            Group::ControlPlaneConfig => "control-plane configuration (3)",
            Group::WorkerFiles => "worker node files (4.1)",
            Group::Kubelet => "kubelet (4.2)",
            Group::KubeProxy => "kube-proxy (4.3)",
            Group::Policies => "policies (5)",
        }
    }
}

/// What every check declares about itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CheckMeta {
    /// CIS number, e.g. `1.2.1`.
    pub id: &'static str,
    pub title: &'static str,
    pub group: Group,
    /// Scored ("Automated" in kube-bench): a failed test is `fail`, else `warn`.
    pub scored: bool,
    /// The benchmark's own label: Automated or Manual.
    pub automated: bool,
    pub remediation: &'static str,
}

/// A test's verdict.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    Pass,
    Fail,
    /// Not applicable here, with the reason.
    Skip(String),
    /// No automated test.
    Manual,
}

/// A verdict with what it was based on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    pub verdict: Verdict,
    pub evidence: String,
    pub origin: Origin,
    pub notes: Vec<String>,
}

impl Outcome {
    pub fn new(pass: bool, evidence: impl Into<String>, origin: Origin) -> Self {
        Self {
            verdict: if pass { Verdict::Pass } else { Verdict::Fail },
            evidence: evidence.into(),
            origin,
            notes: Vec::new(),
        }
    }

    pub fn skip(reason: impl Into<String>) -> Self {
        let reason = reason.into();
        Self {
            verdict: Verdict::Skip(reason.clone()),
            evidence: reason,
            origin: Origin::default(),
            notes: Vec::new(),
        }
    }

    pub fn manual(evidence: impl Into<String>) -> Self {
        Self {
            verdict: Verdict::Manual,
            evidence: evidence.into(),
            origin: Origin::default(),
            notes: Vec::new(),
        }
    }

    #[must_use]
    pub fn note(mut self, note: impl Into<String>) -> Self {
        self.notes.push(note.into());
        self
    }

    pub fn passed(&self) -> bool {
        self.verdict == Verdict::Pass
    }

    pub fn failed(&self) -> bool {
        self.verdict == Verdict::Fail
    }
}

/// One check's reported result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CheckResult {
    pub id: String,
    pub title: String,
    pub status: Status,
    pub evidence: String,
    pub file: Option<String>,
    pub line: Option<u32>,
    pub group: Group,
    pub scored: bool,
    /// `Automated` or `Manual`, as the benchmark labels the recommendation.
    pub assessment: &'static str,
    pub remediation: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

impl CheckResult {
    pub fn from_outcome(meta: &CheckMeta, o: Outcome) -> Self {
        let status = match o.verdict {
            Verdict::Pass => Status::Pass,
            Verdict::Fail if meta.scored => Status::Fail,
            Verdict::Fail => Status::Warn,
            Verdict::Skip(_) => Status::Skip,
            Verdict::Manual => Status::Manual,
        };
        Self {
            id: meta.id.to_string(),
            title: meta.title.to_string(),
            status,
            evidence: o.evidence,
            file: o.origin.file,
            line: o.origin.line,
            group: meta.group,
            scored: meta.scored,
            assessment: if meta.automated {
                "Automated"
            } else {
                "Manual"
            },
            remediation: meta.remediation.to_string(),
            notes: o.notes,
        }
    }
}

/// What an absent setting means for a test.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Absent {
    Pass,
    Fail,
}

/// A flag test, in kube-bench's terms.
#[derive(Debug, Clone, Copy)]
pub enum Test {
    /// Equal (booleans as Go parses them, other values case-insensitively).
    Eq(Key, &'static str, Absent),
    NotEq(Key, &'static str, Absent),
    /// Every key set.
    Set(&'static [Key]),
    NotSet(Key),
    /// The comma-separated list contains the element.
    Has(Key, &'static str, Absent),
    NotHave(Key, &'static str, Absent),
    /// An integer at least this big.
    Gte(Key, i64, Absent),
    /// Every element of the list is in the allowed set; an empty or absent list fails.
    Valid(Key, &'static [&'static str]),
    /// Anything else, in code.
    Custom(fn(&Subject) -> Outcome),
}

impl Test {
    pub fn eval(&self, s: &Subject) -> Outcome {
        match *self {
            Test::Eq(k, want, absent) => compare(s, k, absent, |v| same(v, want)),
            Test::NotEq(k, bad, absent) => compare(s, k, absent, |v| !same(v, bad)),
            Test::Set(keys) => all_set(s, keys),
            Test::NotSet(k) => match s.lookup(&k) {
                Some(v) => Outcome::new(false, format!("{} is set", v.shown), v.origin),
                None => Outcome::new(
                    true,
                    format!("{} is not set", k.describe()),
                    s.missing_origin(&k),
                ),
            },
            Test::Has(k, item, absent) => compare(s, k, absent, |v| list(v).contains(&item)),
            Test::NotHave(k, item, absent) => compare(s, k, absent, |v| !list(v).contains(&item)),
            Test::Gte(k, min, absent) => compare(s, k, absent, |v| {
                v.trim().parse::<i64>().is_ok_and(|n| n >= min)
            }),
            Test::Valid(k, allowed) => match s.lookup(&k) {
                Some(v) => {
                    let items = list(&v.value);
                    let bad: Vec<&str> = items
                        .iter()
                        .copied()
                        .filter(|i| !allowed.contains(i))
                        .collect();
                    let mut o = Outcome::new(
                        !items.is_empty() && bad.is_empty(),
                        v.shown.clone(),
                        v.origin,
                    );
                    if !bad.is_empty() {
                        o.evidence = format!("{} (not allowed: {})", v.shown, bad.join(", "));
                    }
                    o
                }
                None => Outcome::new(
                    false,
                    format!("{} is not set", k.describe()),
                    s.missing_origin(&k),
                ),
            },
            Test::Custom(f) => f(s),
        }
    }
}

/// Booleans compare as Go's `strconv.ParseBool` reads them; other values case-insensitively.
pub fn same(value: &str, want: &str) -> bool {
    match (parse_bool(value), parse_bool(want)) {
        (Some(a), Some(b)) => a == b,
        _ => value.trim().eq_ignore_ascii_case(want),
    }
}

fn compare(s: &Subject, k: Key, absent: Absent, ok: impl Fn(&str) -> bool) -> Outcome {
    match s.lookup(&k) {
        Some(v) => Outcome::new(ok(&v.value), v.shown, v.origin),
        None => Outcome::new(
            absent == Absent::Pass,
            format!("{} is not set", k.describe()),
            s.missing_origin(&k),
        ),
    }
}

fn all_set(s: &Subject, keys: &[Key]) -> Outcome {
    let mut shown = Vec::new();
    let mut missing_origin = None;
    let mut first_origin = None;
    for k in keys {
        match s.lookup(k) {
            Some(v) => {
                first_origin.get_or_insert(v.origin);
                shown.push(v.shown);
            }
            None => {
                missing_origin.get_or_insert_with(|| s.missing_origin(k));
                shown.push(format!("{} is not set", k.describe()));
            }
        }
    }
    let pass = missing_origin.is_none();
    let origin = missing_origin.or(first_origin).unwrap_or_default();
    Outcome::new(pass, shown.join("; "), origin)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::subject::{Arg, Component};

    fn subject(words: &[&str]) -> Subject {
        let args = words
            .iter()
            .enumerate()
            .map(|(i, w)| Arg {
                text: (*w).to_string(),
                origin: Origin::file("/m.yaml", Some(10 + i as u32)),
            })
            .collect();
        Subject::new(
            Component::ApiServer,
            "/m.yaml",
            args,
            Origin::file("/m.yaml", Some(9)),
        )
    }

    const P: Key = Key::flag("profiling");
    const PLUGINS: Key = Key::flag("enable-admission-plugins");

    #[test]
    fn operators() {
        let s = subject(&[
            "--profiling=False",
            "--enable-admission-plugins=NodeRestriction,AlwaysPullImages",
            "--n",
            "30",
        ]);
        assert!(Test::Eq(P, "false", Absent::Fail).eval(&s).passed());
        assert!(Test::Has(PLUGINS, "AlwaysPullImages", Absent::Fail)
            .eval(&s)
            .passed());
        assert!(!Test::Has(PLUGINS, "AlwaysPull", Absent::Fail)
            .eval(&s)
            .passed());
        assert!(Test::NotHave(PLUGINS, "AlwaysAdmit", Absent::Pass)
            .eval(&s)
            .passed());
        assert!(Test::Gte(Key::flag("n"), 30, Absent::Fail)
            .eval(&s)
            .passed());
        assert!(!Test::Gte(Key::flag("n"), 31, Absent::Fail)
            .eval(&s)
            .passed());
        let o = Test::Eq(Key::flag("anonymous-auth"), "false", Absent::Fail).eval(&s);
        assert!(o.failed());
        assert_eq!(o.origin.line, Some(9));
        assert_eq!(o.evidence, "--anonymous-auth is not set");
        let o = Test::Eq(P, "true", Absent::Fail).eval(&s);
        assert_eq!(
            (o.evidence.as_str(), o.origin.line),
            ("--profiling=False", Some(10))
        );
    }

    #[test]
    fn set_and_valid_elements() {
        const A: Key = Key::flag("a");
        const B: Key = Key::flag("b");
        let s = subject(&["--a=x", "--tls=X,Y"]);
        let o = Test::Set(&[A, B]).eval(&s);
        assert!(o.failed());
        assert_eq!(o.evidence, "--a=x; --b is not set");
        assert!(Test::Valid(Key::flag("tls"), &["X", "Y", "Z"])
            .eval(&s)
            .passed());
        let o = Test::Valid(Key::flag("tls"), &["X"]).eval(&s);
        assert!(o.evidence.contains("not allowed: Y"));
        assert!(Test::Valid(Key::flag("none"), &["X"]).eval(&s).failed());
        assert!(Test::NotSet(Key::flag("token-auth-file")).eval(&s).passed());
    }
}
