//! Deciding one request: exemptions, policy resolution, evaluation of enforce/audit/warn.

use std::collections::HashSet;

use serde_json::Value;

use super::config::PodSecurityConfiguration;
use super::policy::{aggregate, resolve, LabelError, Labels, Policy};
use crate::evaluate::{Evaluator, Verdict};
use crate::level::LevelVersion;
use crate::pod::Pod;
use crate::template::builtin_pod;
use crate::DecodeError;

/// Why a request was not evaluated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exemption {
    Namespace,
    User,
    RuntimeClass,
}

impl Exemption {
    /// The `exempt` audit annotation's value.
    pub fn as_str(self) -> &'static str {
        match self {
            Exemption::Namespace => "namespace",
            Exemption::User => "user",
            Exemption::RuntimeClass => "runtimeClass",
        }
    }
}

/// A `PodSecurityConfiguration` ready to decide requests. Build once, share across threads
/// (it is immutable); swap the whole value on reload.
#[derive(Debug, Clone)]
pub struct AdmissionPolicy {
    defaults: Policy,
    exempt_namespaces: HashSet<String>,
    exempt_users: HashSet<String>,
    exempt_runtime_classes: HashSet<String>,
    evaluator: Evaluator,
}

impl Default for AdmissionPolicy {
    fn default() -> Self {
        Self::from_config(&PodSecurityConfiguration::default())
    }
}

/// One create or update to decide.
#[derive(Clone, Copy)]
pub struct Request<'a> {
    /// The request's namespace.
    pub namespace: &'a str,
    /// The namespace's labels (use [`super::NoLabels`] for a namespace without labels).
    pub labels: &'a dyn Labels,
    /// `userInfo.username` (the impersonated name under impersonation).
    pub username: &'a str,
    /// The object: a Pod, or a workload (PodTemplate, ReplicationController, ReplicaSet,
    /// Deployment, StatefulSet, DaemonSet, Job, CronJob). Other kinds are allowed untouched.
    pub object: &'a Value,
}

/// What Pod Security Admission would do with a request.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Decision {
    /// Skipped by an exemption (`exempt` annotation).
    pub exemption: Option<Exemption>,
    /// The effective policy, once resolved.
    pub policy: Option<Policy>,
    /// Invalid namespace labels (they were replaced by upstream's fallbacks).
    pub label_errors: Vec<LabelError>,
    /// The object's kind is a Pod (enforce applies) rather than a workload (audit and warn only).
    pub is_pod: bool,
    /// The object could not be decoded: Pods are denied (400), workloads allowed.
    pub decode_error: Option<DecodeError>,
    /// Enforce verdict (Pods only).
    pub enforce: Option<Verdict>,
    pub audit: Option<Verdict>,
    /// Warn verdict, computed only when the request is still allowed.
    pub warn: Option<Verdict>,
}

impl AdmissionPolicy {
    /// Builds the policy from a validated configuration.
    pub fn from_config(cfg: &PodSecurityConfiguration) -> Self {
        Self {
            defaults: cfg.defaults,
            exempt_namespaces: cfg.exempt_namespaces.iter().cloned().collect(),
            exempt_users: cfg.exempt_usernames.iter().cloned().collect(),
            exempt_runtime_classes: cfg.exempt_runtime_classes.iter().cloned().collect(),
            evaluator: Evaluator::new(),
        }
    }

    /// Evaluates as an API server emulating 1.`minor` (`latest` means that minor).
    #[must_use]
    pub fn with_evaluator(mut self, evaluator: Evaluator) -> Self {
        self.evaluator = evaluator;
        self
    }

    pub fn defaults(&self) -> &Policy {
        &self.defaults
    }

    pub fn evaluator(&self) -> &Evaluator {
        &self.evaluator
    }

    /// The exemptions decided before the namespace is looked up (namespace, then user): when
    /// this returns one, the webhook can answer without a namespace lookup.
    pub fn exemption(&self, namespace: &str, username: &str) -> Option<Exemption> {
        if self.exempt_namespaces.contains(namespace) {
            Some(Exemption::Namespace)
        } else if self.exempt_users.contains(username) {
            Some(Exemption::User)
        } else {
            None
        }
    }

    pub fn is_exempt_namespace(&self, namespace: &str) -> bool {
        self.exempt_namespaces.contains(namespace)
    }

    pub fn is_exempt_runtime_class(&self, runtime_class: &str) -> bool {
        !runtime_class.is_empty() && self.exempt_runtime_classes.contains(runtime_class)
    }

    /// The effective policy of a namespace with these labels.
    pub fn policy_for(&self, labels: &dyn Labels) -> (Policy, Vec<LabelError>) {
        resolve(&self.defaults, labels)
    }

    /// Decides a create (or significant update, see [`super::is_significant_pod_update`]) of a
    /// Pod or workload, in upstream's order: namespace and user exemptions, policy resolution,
    /// the fully-privileged short cut, decoding, the runtime-class exemption, then enforce
    /// (Pods), audit, and warn (only while still allowed), reusing a verdict when two modes
    /// share a level:version. Kinds that are neither are allowed with an empty decision.
    pub fn evaluate(&self, req: &Request<'_>) -> Decision {
        self.decide(req, false)
    }

    /// What enforce would do to the Pods a workload creates from its template (they are
    /// decoded, defaulted and enforced as Pods, under the controller's identity, so user
    /// exemptions are not applied). For a Pod this is [`AdmissionPolicy::evaluate`] without
    /// the user exemption.
    pub fn evaluate_created_pods(&self, req: &Request<'_>) -> Decision {
        let req = Request {
            username: "",
            ..*req
        };
        self.decide(&req, true)
    }

    fn decide(&self, req: &Request<'_>, as_pod: bool) -> Decision {
        let mut d = Decision::default();
        let Some(template) = builtin_pod(req.object) else {
            return d;
        };
        d.exemption = self.exemption(req.namespace, req.username);
        if d.exemption.is_some() {
            return d;
        }
        let (policy, errors) = self.policy_for(req.labels);
        d.policy = Some(policy);
        d.label_errors = errors;
        let mut template = match template {
            Ok(t) => t,
            // A workload whose template cannot be extracted: allowed with an error annotation;
            // for a Pod this cannot happen (its holder is the object itself).
            Err(_) => return d,
        };
        if as_pod {
            template.input.is_pod = true;
        }
        d.is_pod = template.input.is_pod;
        if d.label_errors.is_empty() && policy.fully_privileged() {
            return d;
        }
        if !d.is_pod
            && d.label_errors.is_empty()
            && policy.audit.level == crate::Level::Privileged
            && policy.warn.level == crate::Level::Privileged
        {
            return d;
        }
        let pod = match Pod::decode(template.input) {
            Ok(p) => p,
            Err(e) => {
                d.decode_error = Some(e);
                return d;
            }
        };
        if self.is_exempt_runtime_class(pod.runtime_class_name) {
            d.exemption = Some(Exemption::RuntimeClass);
            return d;
        }
        let run = |lv: LevelVersion, earlier: &[&Option<Verdict>]| -> Verdict {
            earlier
                .iter()
                .filter_map(|v| v.as_ref())
                .find(|v| v.level_version == lv)
                .cloned()
                .unwrap_or_else(|| self.evaluator.evaluate(lv, &pod))
        };
        if d.is_pod {
            d.enforce = Some(run(policy.enforce, &[]));
        }
        d.audit = Some(run(policy.audit, &[&d.enforce]));
        if d.allowed() {
            d.warn = Some(run(policy.warn, &[&d.enforce, &d.audit]));
        }
        d
    }
}

impl Decision {
    /// Whether the request is admitted: only Pods are ever denied, by enforce or by a decode
    /// failure.
    pub fn allowed(&self) -> bool {
        if !self.is_pod {
            return true;
        }
        self.decode_error.is_none() && self.enforce.as_ref().is_none_or(Verdict::allowed)
    }

    /// The denial's Status message, e.g. `pods "web" is forbidden: violates PodSecurity
    /// "restricted:latest": …` (`pods is forbidden: …` when the name is empty), or the decode
    /// failure (`failed to decode pod`, HTTP 400). `None` when allowed.
    pub fn denial_message(&self, name: &str) -> Option<String> {
        if self.allowed() {
            return None;
        }
        if self.decode_error.is_some() {
            return Some("failed to decode pod".to_string());
        }
        let v = self.enforce.as_ref()?;
        Some(if name.is_empty() {
            format!("pods is forbidden: {}", v.message())
        } else {
            format!("pods \"{name}\" is forbidden: {}", v.message())
        })
    }

    /// The HTTP code of the denial Status (403 for policy, 400 for an undecodable pod).
    pub fn denial_code(&self) -> Option<u16> {
        (!self.allowed()).then_some(if self.decode_error.is_some() {
            400
        } else {
            403
        })
    }

    /// Warnings to return to the client (never on a denied request).
    pub fn warnings(&self) -> Vec<String> {
        match &self.warn {
            Some(v) if self.allowed() && !v.allowed() => vec![v.would_violate()],
            _ => Vec::new(),
        }
    }

    /// Audit annotations with upstream's bare keys (`enforce-policy`, `audit-violations`,
    /// `exempt`, `error`), in that order.
    pub fn audit_annotations(&self) -> Vec<(&'static str, String)> {
        let mut out = Vec::new();
        if let Some(e) = self.exemption {
            out.push(("exempt", e.as_str().to_string()));
            return out;
        }
        if let (true, Some(p)) = (self.is_pod, &self.policy) {
            let fully = self.label_errors.is_empty() && p.fully_privileged();
            out.push((
                "enforce-policy",
                if fully {
                    "privileged:latest".to_string()
                } else {
                    p.enforce.to_string()
                },
            ));
        }
        if let Some(v) = self.audit.as_ref().filter(|v| !v.allowed()) {
            out.push(("audit-violations", v.would_violate()));
        }
        let mut errors = Vec::new();
        if !self.label_errors.is_empty() {
            errors.push(format!(
                "Failed to parse policy: {}",
                aggregate(&self.label_errors)
            ));
        }
        if let Some(e) = &self.decode_error {
            let what = if self.is_pod {
                "failed to decode pod"
            } else {
                "failed to decode object"
            };
            errors.push(format!("{what}: {e}"));
        }
        if !errors.is_empty() {
            out.push(("error", errors.join("; ")));
        }
        out
    }
}
