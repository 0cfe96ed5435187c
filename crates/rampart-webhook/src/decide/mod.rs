//! Turning one parsed request into a response, as the upstream Pod Security Admission library
//! routes it (spec `admission.md` §3): Pods are enforced, workload templates get warnings and
//! audit annotations, Namespaces get label validation and the existing-pod dry-run. Opt-in
//! Rampart rules run after PSS on whatever PSS admitted.

mod answer;
mod cache;
mod namespace;
mod rules;
mod view;

use std::sync::{Arc, RwLock};
use std::time::Instant;

use rampart_pss::admission::{is_significant_pod_update, AdmissionPolicy, Decision, Request};
use rampart_pss::template::builtin_pod;

use crate::config::RuleActions;
use crate::review::{ObjectParts, Operation, Outcome, ReviewRequest, Status};
use crate::state::{Cached, ClusterState, LookupError, NamespaceLabels};

pub use answer::Answer;
pub use namespace::existing_pod_warnings;

/// Pod subresources PSA never evaluates; any other subresource (`ephemeralcontainers`, future
/// ones) is evaluated as a Pod so a version-skewed webhook fails safe.
const IGNORED_POD_SUBRESOURCES: [&str; 8] = [
    "exec",
    "attach",
    "binding",
    "eviction",
    "log",
    "portforward",
    "proxy",
    "status",
];

/// The decision-making configuration; swapped whole on reload.
#[derive(Debug, Clone, Default)]
pub struct Policy {
    pub pss: AdmissionPolicy,
    pub rules: RuleActions,
}

/// Which path a request took (a metrics label).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Route {
    Pod,
    Workload,
    Namespace,
    Ignored,
}

impl Route {
    pub const ALL: [Route; 4] = [
        Route::Pod,
        Route::Workload,
        Route::Namespace,
        Route::Ignored,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Route::Pod => "pods",
            Route::Workload => "workloads",
            Route::Namespace => "namespaces",
            Route::Ignored => "other",
        }
    }

    /// The route of a `group`/`resource`.
    pub fn of(group: &str, resource: &str) -> Self {
        match (group, resource) {
            ("", "pods") => Route::Pod,
            ("", "namespaces") => Route::Namespace,
            ("", "podtemplates" | "replicationcontrollers")
            | ("apps", "replicasets" | "deployments" | "statefulsets" | "daemonsets")
            | ("batch", "jobs" | "cronjobs") => Route::Workload,
            _ => Route::Ignored,
        }
    }
}

/// A policy and the decisions made under it.
#[derive(Debug, Default)]
struct Current {
    policy: Arc<Policy>,
    cache: cache::DecisionCache,
}

/// Decides requests against the current policy and cluster state.
pub struct Engine {
    current: RwLock<Arc<Current>>,
    state: Arc<dyn ClusterState>,
    use_cache: bool,
}

impl std::fmt::Debug for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Engine").finish_non_exhaustive()
    }
}

impl Engine {
    pub fn new(policy: Policy, state: Arc<dyn ClusterState>) -> Self {
        Self {
            current: RwLock::new(Arc::new(Current {
                policy: Arc::new(policy),
                cache: cache::DecisionCache::default(),
            })),
            state,
            use_cache: true,
        }
    }

    /// Turns the decision cache off (every object is decoded and evaluated).
    #[must_use]
    pub fn without_cache(mut self) -> Self {
        self.use_cache = false;
        self
    }

    fn current(&self) -> Arc<Current> {
        match self.current.read() {
            Ok(p) => p.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    /// The policy in force.
    pub fn policy(&self) -> Arc<Policy> {
        self.current().policy.clone()
    }

    /// Decisions cached under the current policy.
    pub fn cached_decisions(&self) -> usize {
        self.current().cache.len()
    }

    /// Replaces the policy atomically (requests in flight keep the one they started with);
    /// cached decisions of the old policy are dropped with it.
    pub fn set_policy(&self, policy: Policy) {
        let new = Arc::new(Current {
            policy: Arc::new(policy),
            cache: cache::DecisionCache::default(),
        });
        match self.current.write() {
            Ok(mut p) => *p = new,
            Err(poisoned) => *poisoned.into_inner() = new,
        }
    }

    pub fn state(&self) -> &Arc<dyn ClusterState> {
        &self.state
    }

    /// Decides one request. `deadline` bounds the namespace dry-run over existing pods.
    pub async fn review(&self, req: &ReviewRequest, deadline: Instant) -> (Route, Outcome) {
        let (route, answer) = self.decide(req, deadline).await;
        (route, answer.into_outcome(&req.name))
    }

    /// [`Engine::review`], answered straight from the decision cache when it can be.
    pub async fn decide(&self, req: &ReviewRequest, deadline: Instant) -> (Route, Answer) {
        let route = Route::of(&req.group, &req.resource);
        if !matches!(req.operation, Operation::Create | Operation::Update) {
            return (route, Outcome::allow().into());
        }
        let current = self.current();
        let out = match route {
            Route::Pod => self.pod(&current, req).await,
            Route::Workload => self.workload(&current, req).await,
            Route::Namespace => {
                namespace::review(&current.policy, self.state.as_ref(), req, deadline)
                    .await
                    .into()
            }
            Route::Ignored => Outcome::allow().into(),
        };
        (route, out)
    }

    /// The namespace's labels from the cache, or one live lookup on a miss.
    async fn labels(&self, ns: &str) -> Result<NamespaceLabels, LookupError> {
        match self.state.cached(ns) {
            Cached::Found(l) => Ok(l),
            Cached::Miss => self
                .state
                .fetch(ns)
                .await?
                .ok_or_else(|| LookupError(format!("namespaces {ns:?} not found"))),
        }
    }

    async fn pod(&self, current: &Current, r: &ReviewRequest) -> Answer {
        let p = &*current.policy;
        if IGNORED_POD_SUBRESOURCES.contains(&r.sub_resource.as_str()) {
            return Outcome::allow().into();
        }
        if let Some(e) = p.pss.exemption(&r.namespace, &r.username) {
            return Outcome::allow().annotate("exempt", e.as_str()).into();
        }
        let labels = match self.labels(&r.namespace).await {
            Ok(l) => l,
            Err(e) => {
                // Pods fail closed.
                let msg = format!(
                    "Internal error occurred: failed to lookup namespace {:?}",
                    r.namespace
                );
                return Outcome::deny(Status::failure(500, msg.clone()))
                    .annotate("error", format!("{msg}: {e}"))
                    .into();
            }
        };
        let (resolved, errors) = p.pss.policy_for(&*labels);
        let fully_privileged = errors.is_empty() && resolved.fully_privileged();
        // A create decided before under the same policy: answer without decoding the object.
        let cache_key = self.cache_key(p, r, resolved, &errors, true);
        if let Some(hit) = cache_key
            .as_ref()
            .and_then(|k| current.cache.get(k.0, k.1, &k.2))
        {
            return Answer::cached(hit);
        }
        let pss_object = pss_object(r);
        let significant = r.operation != Operation::Update
            || r.old_object().is_null()
            || is_significant_pod_update(r.object(), r.old_object());
        let mut out = if fully_privileged {
            Outcome::allow().annotate("enforce-policy", "privileged:latest")
        } else if builtin_pod(&pss_object).is_none() {
            return Outcome::deny(Status::failure(400, "failed to decode pod"))
                .annotate(
                    "error",
                    "failed to decode pod: the request object is not a v1 Pod",
                )
                .into();
        } else if !significant {
            // Label, annotation and status changes are never re-evaluated.
            return Outcome::allow().into();
        } else {
            let d = evaluate(&p.pss, r, &pss_object, &labels);
            if let Some((policy, is_pod, parts)) = cache_key {
                let cached = Arc::new(cache::Cached::from_decision(&d));
                current.cache.insert(policy, is_pod, &parts, cached.clone());
                return Answer::cached(cached);
            }
            from_decision(&d, &r.name)
        };
        if out.allowed && significant && p.rules.enabled() && !exempt_annotation(&out) {
            rules::apply(&p.rules, r, true, &mut out);
        }
        out.into()
    }

    async fn workload(&self, current: &Current, r: &ReviewRequest) -> Answer {
        let p = &*current.policy;
        if !r.sub_resource.is_empty() {
            return Outcome::allow().into();
        }
        if let Some(e) = p.pss.exemption(&r.namespace, &r.username) {
            return Outcome::allow().annotate("exempt", e.as_str()).into();
        }
        let labels = match self.labels(&r.namespace).await {
            Ok(l) => l,
            // Workloads fail open.
            Err(e) => {
                return Outcome::allow()
                    .annotate(
                        "error",
                        format!("failed to lookup namespace {:?}: {e}", r.namespace),
                    )
                    .into()
            }
        };
        let (resolved, errors) = p.pss.policy_for(&*labels);
        let cache_key = self.cache_key(p, r, resolved, &errors, false);
        if let Some(hit) = cache_key
            .as_ref()
            .and_then(|k| current.cache.get(k.0, k.1, &k.2))
        {
            return Answer::cached(hit);
        }
        let pss_object = pss_object(r);
        let mut out = match builtin_pod(&pss_object) {
            None => Outcome::allow().annotate(
                "error",
                "failed to decode object: the request object is not a known workload",
            ),
            Some(Err(bad)) => Outcome::allow().annotate(
                "error",
                format!(
                    "failed to extract pod template: `{}` must be a mapping",
                    bad.0
                ),
            ),
            Some(Ok(_)) => {
                let d = evaluate(&p.pss, r, &pss_object, &labels);
                if let Some((policy, is_pod, parts)) = cache_key {
                    let cached = Arc::new(cache::Cached::from_decision(&d));
                    current.cache.insert(policy, is_pod, &parts, cached.clone());
                    return Answer::cached(cached);
                }
                from_decision(&d, &r.name)
            }
        };
        if p.rules.enabled() && !exempt_annotation(&out) {
            rules::apply(&p.rules, r, false, &mut out);
        }
        out.into()
    }
}

impl Engine {
    /// The cache key of a create, when caching applies: no Rampart rules (they read the whole
    /// object), no namespace label errors (their text is in the answer), a CREATE (updates
    /// compare with the old object first).
    fn cache_key<'r>(
        &self,
        p: &Policy,
        r: &'r ReviewRequest,
        resolved: rampart_pss::admission::Policy,
        errors: &[rampart_pss::admission::LabelError],
        is_pod: bool,
    ) -> Option<(rampart_pss::admission::Policy, bool, ObjectParts<'r>)> {
        if !self.use_cache
            || p.rules.enabled()
            || !errors.is_empty()
            || r.operation != Operation::Create
        {
            return None;
        }
        Some((resolved, is_pod, r.object_parts()?))
    }
}

fn exempt_annotation(out: &Outcome) -> bool {
    out.annotations.iter().any(|(k, _)| k == "exempt")
}

/// What PSS reads of the request's object: the slim view when the text allows, else the whole.
fn pss_object(r: &ReviewRequest) -> std::borrow::Cow<'_, serde_json::Value> {
    match r.object_parts().and_then(|p| view::pss_view(&p)) {
        Some(v) => std::borrow::Cow::Owned(v),
        None => std::borrow::Cow::Borrowed(r.object()),
    }
}

fn evaluate(
    pss: &AdmissionPolicy,
    r: &ReviewRequest,
    object: &serde_json::Value,
    labels: &NamespaceLabels,
) -> Decision {
    pss.evaluate(&Request {
        namespace: &r.namespace,
        labels: &**labels,
        username: &r.username,
        object,
    })
}

/// The response for a PSS decision: denial Status, warnings, audit annotations.
fn from_decision(d: &Decision, name: &str) -> Outcome {
    let mut out = match (d.denial_code(), d.denial_message(name)) {
        (Some(code), Some(msg)) => {
            let status = Status::failure(code, msg);
            Outcome::deny(if code == 403 {
                status.with_details(name, "pods")
            } else {
                status
            })
        }
        _ => Outcome::allow(),
    };
    out.warnings = d.warnings();
    out.annotations = d
        .audit_annotations()
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
    out
}
