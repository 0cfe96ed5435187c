//! A decision ready to be answered: either built for this request, or shared from the decision
//! cache, in which case the response is its pre-written bytes completed with the request's uid
//! and name (no `Outcome` is built, no strings are cloned).

use std::sync::Arc;

use super::cache::Cached;
use crate::review::{response_json, Outcome};

/// What the engine decided for one request.
#[derive(Debug)]
pub struct Answer(Kind);

#[derive(Debug)]
enum Kind {
    Built(Outcome),
    Cached(Arc<Cached>),
}

impl From<Outcome> for Answer {
    fn from(o: Outcome) -> Self {
        Answer(Kind::Built(o))
    }
}

impl Answer {
    pub(crate) fn cached(c: Arc<Cached>) -> Self {
        Answer(Kind::Cached(c))
    }

    pub fn allowed(&self) -> bool {
        match &self.0 {
            Kind::Built(o) => o.allowed,
            Kind::Cached(c) => c.allowed(),
        }
    }

    /// The response carries warnings.
    pub fn warned(&self) -> bool {
        self.warning_count() > 0
    }

    pub fn warning_count(&self) -> usize {
        match &self.0 {
            Kind::Built(o) => o.warnings.len(),
            Kind::Cached(c) => c.warning_count(),
        }
    }

    /// An exemption skipped the policy.
    pub fn exempt(&self) -> bool {
        self.annotation(|k, _| k == "exempt")
    }

    /// The namespace could not be looked up.
    pub fn lookup_failed(&self) -> bool {
        self.annotation(|k, v| k == "error" && v.contains("lookup namespace"))
    }

    fn annotation(&self, f: impl Fn(&str, &str) -> bool) -> bool {
        match &self.0 {
            Kind::Built(o) => o.annotations.iter().any(|(k, v)| f(k, v)),
            Kind::Cached(c) => c.annotations().iter().any(|(k, v)| f(k, v)),
        }
    }

    /// The denial's HTTP code, 200 when allowed.
    pub fn code(&self) -> u16 {
        match &self.0 {
            Kind::Built(o) => o.status.as_ref().map_or(200, |s| s.code),
            Kind::Cached(c) => c.code(),
        }
    }

    /// The response `AdmissionReview` for the request with this `uid` and `name`.
    pub fn response_json(&self, uid: &str, name: &str) -> Vec<u8> {
        match &self.0 {
            Kind::Built(o) => response_json(uid, o),
            Kind::Cached(c) => c.response_json(uid, name),
        }
    }

    /// The decision as an [`Outcome`] for the request named `name`.
    pub fn into_outcome(self, name: &str) -> Outcome {
        match self.0 {
            Kind::Built(o) => o,
            Kind::Cached(c) => c.outcome(name),
        }
    }
}
