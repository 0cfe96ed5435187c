//! `admission.k8s.io/v1` `AdmissionReview` on the wire: strict parsing of the request envelope
//! (apiVersion, kind, `request`, `request.uid`) and the response body kube-apiserver accepts
//! (uid echoed, no patch, `status`, `warnings`, `auditAnnotations`).

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use serde_json::Value;

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

/// The parts of `request` the webhook reads. The object and old object are kept as raw JSON
/// and decoded on first use: a Pod whose decision is cached is never decoded at all.
#[derive(Debug)]
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
    pub dry_run: bool,
    raw_object: Option<Box<RawValue>>,
    raw_old_object: Option<Box<RawValue>>,
    object: OnceLock<Value>,
    old_object: OnceLock<Value>,
}

impl ReviewRequest {
    /// `request.object` (`Null` when absent).
    pub fn object(&self) -> &Value {
        self.object
            .get_or_init(|| decode(self.raw_object.as_deref()))
    }

    /// `request.oldObject` (`Null` when absent).
    pub fn old_object(&self) -> &Value {
        self.old_object
            .get_or_init(|| decode(self.raw_old_object.as_deref()))
    }

    /// The object's JSON text as received.
    pub fn raw_object(&self) -> Option<&str> {
        self.raw_object.as_deref().map(RawValue::get)
    }
}

fn decode(raw: Option<&RawValue>) -> Value {
    // The text was validated as JSON when the review was parsed.
    raw.and_then(|r| serde_json::from_str(r.get()).ok())
        .unwrap_or(Value::Null)
}

#[derive(Deserialize)]
struct EnvelopeIn<'a> {
    #[serde(rename = "apiVersion", default, borrow)]
    api_version: Option<&'a RawValue>,
    #[serde(default, borrow)]
    kind: Option<&'a RawValue>,
    #[serde(default, borrow)]
    request: Option<RequestIn<'a>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RequestIn<'a> {
    #[serde(default, borrow)]
    uid: Option<&'a RawValue>,
    #[serde(default, borrow)]
    resource: Option<&'a RawValue>,
    #[serde(default, borrow)]
    sub_resource: Option<&'a RawValue>,
    #[serde(default, borrow)]
    name: Option<&'a RawValue>,
    #[serde(default, borrow)]
    namespace: Option<&'a RawValue>,
    #[serde(default, borrow)]
    operation: Option<&'a RawValue>,
    #[serde(default, borrow)]
    user_info: Option<&'a RawValue>,
    #[serde(default, borrow)]
    object: Option<&'a RawValue>,
    #[serde(default, borrow)]
    old_object: Option<&'a RawValue>,
    #[serde(default, borrow)]
    dry_run: Option<&'a RawValue>,
}

#[derive(Deserialize, Default)]
struct GroupResourceIn {
    #[serde(default)]
    group: Option<String>,
    #[serde(default)]
    resource: Option<String>,
}

#[derive(Deserialize, Default)]
struct UserInfoIn {
    #[serde(default)]
    username: Option<String>,
}

/// A field decoded into `T`; absent and `null` give the default.
fn field<'a, T: Deserialize<'a> + Default>(
    raw: Option<&'a RawValue>,
    name: &'static str,
) -> Result<T, ReviewError> {
    match raw {
        None => Ok(T::default()),
        Some(r) if r.get() == "null" => Ok(T::default()),
        Some(r) => serde_json::from_str(r.get()).map_err(|_| ReviewError::Field(name)),
    }
}

/// A field that must be a JSON object (serde would also read a sequence into a struct).
fn object_field<'a, T: Deserialize<'a> + Default>(
    raw: Option<&'a RawValue>,
    name: &'static str,
) -> Result<T, ReviewError> {
    match raw.map(RawValue::get) {
        Some(r) if r != "null" && !r.starts_with('{') => Err(ReviewError::Field(name)),
        _ => field(raw, name),
    }
}

fn owned(raw: Option<&RawValue>) -> Option<Box<RawValue>> {
    raw.filter(|r| r.get() != "null").map(RawValue::to_owned)
}

fn json_error(e: &serde_json::Error) -> ReviewError {
    ReviewError::Json {
        line: e.line(),
        column: e.column(),
        message: strip_position(&e.to_string()),
    }
}

/// Parses a request body. Unknown fields are ignored, as kube-apiserver's own decoder does.
/// The envelope is decoded into borrowed raw fields, so nothing is built for the object yet.
pub fn parse(body: &[u8]) -> Result<ReviewRequest, ReviewError> {
    let Some(first) = body.iter().find(|b| !b.is_ascii_whitespace()) else {
        return Err(ReviewError::Empty);
    };
    if *first != b'{' {
        // Tell malformed JSON from a well-formed non-object.
        return Err(
            match serde_json::from_slice::<serde::de::IgnoredAny>(body) {
                Ok(_) => ReviewError::NotAnObject,
                Err(e) => json_error(&e),
            },
        );
    }
    // One pass over the body: the request's fields are borrowed raw JSON, decoded below.
    let env: EnvelopeIn<'_> = serde_json::from_slice(body).map_err(|e| {
        if e.is_data() && e.to_string().contains("struct RequestIn") {
            ReviewError::MissingRequest
        } else {
            json_error(&e)
        }
    })?;
    let api_version: Option<String> = field(env.api_version, "apiVersion").ok().flatten();
    if api_version.as_deref() != Some(API_VERSION) {
        return Err(ReviewError::ApiVersion(text_of_raw(env.api_version)));
    }
    let kind: Option<String> = field(env.kind, "kind").ok().flatten();
    if kind.as_deref() != Some(KIND) {
        return Err(ReviewError::Kind(text_of_raw(env.kind)));
    }
    let Some(req) = env.request else {
        return Err(ReviewError::MissingRequest);
    };
    let uid: Option<String> = field(req.uid, "uid").map_err(|_| ReviewError::MissingUid)?;
    let uid = uid
        .filter(|u| !u.is_empty())
        .ok_or(ReviewError::MissingUid)?;
    let resource: GroupResourceIn = object_field(req.resource, "resource")?;
    let user: UserInfoIn = object_field(req.user_info, "userInfo")?;
    let text = |raw, name| -> Result<String, ReviewError> {
        Ok(field::<Option<String>>(raw, name)?.unwrap_or_default())
    };
    let operation = text(req.operation, "operation")?;
    Ok(ReviewRequest {
        uid,
        group: resource.group.unwrap_or_default(),
        resource: resource.resource.unwrap_or_default(),
        sub_resource: text(req.sub_resource, "subResource")?,
        name: text(req.name, "name")?,
        namespace: text(req.namespace, "namespace")?,
        operation: Operation::parse(&operation),
        username: user.username.unwrap_or_default(),
        dry_run: field::<Option<bool>>(req.dry_run, "dryRun")?.unwrap_or(false),
        raw_object: owned(req.object),
        raw_old_object: owned(req.old_object),
        object: OnceLock::new(),
        old_object: OnceLock::new(),
    })
}

fn text_of_raw(raw: Option<&RawValue>) -> String {
    text_of(
        raw.and_then(|r| serde_json::from_str::<Value>(r.get()).ok())
            .as_ref(),
    )
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
    #[serde(skip_serializing_if = "Annotations::is_empty")]
    audit_annotations: Annotations<'a>,
}

/// Serialized as a JSON object straight from the ordered pairs (no intermediate map).
struct Annotations<'a>(&'a [(String, String)]);

impl Annotations<'_> {
    fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl Serialize for Annotations<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(self.0.iter().map(|(k, v)| (k, v)))
    }
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
    let audit_annotations = Annotations(&outcome.annotations);
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
        assert_eq!(parse(b"  ").err(), Some(ReviewError::Empty));
        assert!(matches!(parse(b"{\"a\":"), Err(ReviewError::Json { .. })));
        assert!(matches!(parse(b"[]"), Err(ReviewError::NotAnObject)));
        assert!(matches!(parse(b"[1,"), Err(ReviewError::Json { .. })));
        assert_eq!(
            parse(
                br#"{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":"x"}"#
            )
            .err(),
            Some(ReviewError::MissingRequest)
        );
        assert_eq!(
            parse(br#"{"apiVersion":"admission.k8s.io/v1beta1","kind":"AdmissionReview"}"#).err(),
            Some(ReviewError::ApiVersion("admission.k8s.io/v1beta1".into()))
        );
        assert_eq!(
            parse(br#"{"apiVersion":"admission.k8s.io/v1","kind":"Review"}"#).err(),
            Some(ReviewError::Kind("Review".into()))
        );
        assert_eq!(
            parse(br#"{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview"}"#).err(),
            Some(ReviewError::MissingRequest)
        );
        assert_eq!(
            parse(br#"{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{}}"#)
                .err(),
            Some(ReviewError::MissingUid)
        );
        assert_eq!(
            parse(
                br#"{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"x","namespace":3}}"#
            ).err(),
            Some(ReviewError::Field("namespace"))
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
