//! `admission.k8s.io/v1` `AdmissionReview` on the wire: strict parsing of the request envelope
//! (apiVersion, kind, `request`, `request.uid`) and the response body kube-apiserver accepts
//! (uid echoed, no patch, `status`, `warnings`, `auditAnnotations`).

use serde::Serialize;
use serde_json::{Map, Value};

pub const API_VERSION: &str = "admission.k8s.io/v1";
pub const KIND: &str = "AdmissionReview";

/// Why a body is not a usable v1 `AdmissionReview` (answered with HTTP 400).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReviewError {
    #[error("empty request body")]
    Empty,
    #[error("malformed JSON at line {line} column {column}: {message}")]
    Json {
        line: usize,
        column: usize,
        message: String,
    },
    #[error("the body must be a JSON object (an admission.k8s.io/v1 AdmissionReview)")]
    NotAnObject,
    #[error("unsupported apiVersion {0:?}: expected \"admission.k8s.io/v1\"")]
    ApiVersion(String),
    #[error("unsupported kind {0:?}: expected \"AdmissionReview\"")]
    Kind(String),
    #[error("the AdmissionReview has no `request`")]
    MissingRequest,
    #[error("`request.uid` is missing or not a non-empty string")]
    MissingUid,
    #[error("`request.{0}` has the wrong type")]
    Field(&'static str),
}

/// Create, update, delete or connect.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operation {
    Create,
    Update,
    Delete,
    Connect,
    Other,
}

impl Operation {
    fn parse(s: &str) -> Self {
        match s {
            "CREATE" => Operation::Create,
            "UPDATE" => Operation::Update,
            "DELETE" => Operation::Delete,
            "CONNECT" => Operation::Connect,
            _ => Operation::Other,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Operation::Create => "CREATE",
            Operation::Update => "UPDATE",
            Operation::Delete => "DELETE",
            Operation::Connect => "CONNECT",
            Operation::Other => "OTHER",
        }
    }
}

/// The parts of `request` the webhook reads. `object` and `old_object` are `Null` when absent.
#[derive(Debug, Clone, PartialEq)]
pub struct ReviewRequest {
    pub uid: String,
    /// `resource.group` / `resource.resource` (the matched resource, after conversion).
    pub group: String,
    pub resource: String,
    pub sub_resource: String,
    pub name: String,
    pub namespace: String,
    pub operation: Operation,
    pub username: String,
    pub object: Value,
    pub old_object: Value,
    pub dry_run: bool,
}

/// Parses a request body. Unknown fields are ignored, as kube-apiserver's own decoder does.
pub fn parse(body: &[u8]) -> Result<ReviewRequest, ReviewError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(ReviewError::Empty);
    }
    let doc: Value = serde_json::from_slice(body).map_err(|e| ReviewError::Json {
        line: e.line(),
        column: e.column(),
        message: strip_position(&e.to_string()),
    })?;
    let Value::Object(mut top) = doc else {
        return Err(ReviewError::NotAnObject);
    };
    match top.get("apiVersion") {
        Some(Value::String(s)) if s == API_VERSION => {}
        other => return Err(ReviewError::ApiVersion(text_of(other))),
    }
    match top.get("kind") {
        Some(Value::String(s)) if s == KIND => {}
        other => return Err(ReviewError::Kind(text_of(other))),
    }
    let Some(Value::Object(mut req)) = top.remove("request") else {
        return Err(ReviewError::MissingRequest);
    };
    let uid = match req.get("uid") {
        Some(Value::String(s)) if !s.is_empty() => s.clone(),
        _ => return Err(ReviewError::MissingUid),
    };
    let resource = obj(&req, "resource")?;
    let user = obj(&req, "userInfo")?;
    Ok(ReviewRequest {
        uid,
        group: string(resource, "group", "resource.group")?,
        resource: string(resource, "resource", "resource.resource")?,
        sub_resource: string(Some(&req), "subResource", "subResource")?,
        name: string(Some(&req), "name", "name")?,
        namespace: string(Some(&req), "namespace", "namespace")?,
        operation: Operation::parse(&string(Some(&req), "operation", "operation")?),
        username: string(user, "username", "userInfo.username")?,
        dry_run: match req.get("dryRun") {
            None | Some(Value::Null) => false,
            Some(Value::Bool(b)) => *b,
            Some(_) => return Err(ReviewError::Field("dryRun")),
        },
        object: req.remove("object").unwrap_or(Value::Null),
        old_object: req.remove("oldObject").unwrap_or(Value::Null),
    })
}

fn text_of(v: Option<&Value>) -> String {
    match v {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    }
}

/// serde_json appends ` at line L column C`; the position is reported separately.
fn strip_position(msg: &str) -> String {
    msg.rsplit_once(" at line ")
        .map_or(msg, |(head, _)| head)
        .to_string()
}

fn obj<'a>(
    m: &'a Map<String, Value>,
    key: &'static str,
) -> Result<Option<&'a Map<String, Value>>, ReviewError> {
    match m.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Object(o)) => Ok(Some(o)),
        Some(_) => Err(ReviewError::Field(key)),
    }
}

fn string(
    m: Option<&Map<String, Value>>,
    key: &str,
    field: &'static str,
) -> Result<String, ReviewError> {
    match m.and_then(|m| m.get(key)) {
        None | Some(Value::Null) => Ok(String::new()),
        Some(Value::String(s)) => Ok(s.clone()),
        Some(_) => Err(ReviewError::Field(field)),
    }
}

/// A Kubernetes `Status` (the `response.status` of a denial, and the body of HTTP errors).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Status {
    pub status: &'static str,
    pub code: u16,
    pub reason: &'static str,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub details: Option<Details>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Details {
    pub name: String,
    pub kind: String,
}

impl Status {
    /// A failure with the standard reason for `code`.
    pub fn failure(code: u16, message: impl Into<String>) -> Self {
        Self {
            status: "Failure",
            code,
            reason: reason_for(code),
            message: message.into(),
            details: None,
        }
    }

    #[must_use]
    pub fn with_details(mut self, name: &str, kind: &str) -> Self {
        self.details = Some(Details {
            name: name.to_string(),
            kind: kind.to_string(),
        });
        self
    }
}

/// `metav1.StatusReason` for the codes the webhook produces.
pub fn reason_for(code: u16) -> &'static str {
    match code {
        400 => "BadRequest",
        403 => "Forbidden",
        404 => "NotFound",
        408 => "Timeout",
        413 => "RequestEntityTooLarge",
        415 => "UnsupportedMediaType",
        422 => "Invalid",
        429 => "TooManyRequests",
        503 => "ServiceUnavailable",
        504 => "Timeout",
        _ => "InternalError",
    }
}

/// What the webhook answers for one request.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Outcome {
    pub allowed: bool,
    pub status: Option<Status>,
    pub warnings: Vec<String>,
    /// Bare keys (`enforce-policy`, `audit-violations`, `exempt`, `error`, …), in order.
    pub annotations: Vec<(String, String)>,
}

impl Outcome {
    pub fn allow() -> Self {
        Self {
            allowed: true,
            ..Self::default()
        }
    }

    pub fn deny(status: Status) -> Self {
        Self {
            allowed: false,
            status: Some(status),
            ..Self::default()
        }
    }

    #[must_use]
    pub fn annotate(mut self, key: &str, value: impl Into<String>) -> Self {
        self.annotations.push((key.to_string(), value.into()));
        self
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ResponseBody<'a> {
    uid: &'a str,
    allowed: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    status: Option<&'a Status>,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    warnings: &'a [String],
    #[serde(skip_serializing_if = "Map::is_empty")]
    audit_annotations: Map<String, Value>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Envelope<'a> {
    api_version: &'static str,
    kind: &'static str,
    response: ResponseBody<'a>,
}

/// The response `AdmissionReview` for `uid`.
pub fn response_json(uid: &str, outcome: &Outcome) -> Vec<u8> {
    let audit_annotations = outcome
        .annotations
        .iter()
        .map(|(k, v)| (k.clone(), Value::String(v.clone())))
        .collect();
    let env = Envelope {
        api_version: API_VERSION,
        kind: KIND,
        response: ResponseBody {
            uid,
            allowed: outcome.allowed,
            status: outcome.status.as_ref(),
            warnings: &outcome.warnings,
            audit_annotations,
        },
    };
    // Serializing plain strings, bools and maps cannot fail.
    serde_json::to_vec(&env).unwrap_or_default()
}

/// The JSON body of an HTTP error: a `v1` `Status` object.
pub fn error_json(status: &Status) -> Vec<u8> {
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Body<'a> {
        api_version: &'static str,
        kind: &'static str,
        #[serde(flatten)]
        status: &'a Status,
    }
    serde_json::to_vec(&Body {
        api_version: "v1",
        kind: "Status",
        status,
    })
    .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_a_review_and_rejects_bad_envelopes() {
        let body = br#"{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{
            "uid":"u1","resource":{"group":"","version":"v1","resource":"pods"},"namespace":"ns",
            "operation":"CREATE","userInfo":{"username":"alice"},"object":{"kind":"Pod"},"dryRun":true}}"#;
        let r = parse(body).map_err(|e| e.to_string());
        let r = r.as_ref().map(|r| {
            (
                r.uid.as_str(),
                r.resource.as_str(),
                r.operation,
                r.username.as_str(),
                r.dry_run,
            )
        });
        assert_eq!(
            r,
            Ok(("u1", "pods", Operation::Create, "alice", true)),
            "{r:?}"
        );
        assert_eq!(parse(b"  "), Err(ReviewError::Empty));
        assert!(matches!(parse(b"{\"a\":"), Err(ReviewError::Json { .. })));
        assert!(matches!(parse(b"[]"), Err(ReviewError::NotAnObject)));
        assert_eq!(
            parse(br#"{"apiVersion":"admission.k8s.io/v1beta1","kind":"AdmissionReview"}"#),
            Err(ReviewError::ApiVersion("admission.k8s.io/v1beta1".into()))
        );
        assert_eq!(
            parse(br#"{"apiVersion":"admission.k8s.io/v1","kind":"Review"}"#),
            Err(ReviewError::Kind("Review".into()))
        );
        assert_eq!(
            parse(br#"{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview"}"#),
            Err(ReviewError::MissingRequest)
        );
        assert_eq!(
            parse(br#"{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{}}"#),
            Err(ReviewError::MissingUid)
        );
        assert_eq!(
            parse(
                br#"{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"x","namespace":3}}"#
            ),
            Err(ReviewError::Field("namespace"))
        );
    }

    #[test]
    fn response_echoes_uid_and_omits_empty_fields() {
        let out = Outcome::allow().annotate("enforce-policy", "baseline:latest");
        let v: Value = serde_json::from_slice(&response_json("u1", &out)).unwrap_or_default();
        assert_eq!(v["apiVersion"], "admission.k8s.io/v1");
        assert_eq!(v["response"]["uid"], "u1");
        assert_eq!(v["response"]["allowed"], true);
        assert!(v["response"].get("warnings").is_none());
        assert!(v["response"].get("patch").is_none());
        assert_eq!(
            v["response"]["auditAnnotations"]["enforce-policy"],
            "baseline:latest"
        );
        let deny = Outcome::deny(Status::failure(403, "no").with_details("web", "pods"));
        let v: Value = serde_json::from_slice(&response_json("u2", &deny)).unwrap_or_default();
        assert_eq!(v["response"]["status"]["reason"], "Forbidden");
        assert_eq!(v["response"]["status"]["details"]["kind"], "pods");
    }
}
