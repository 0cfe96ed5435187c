//! `admission.k8s.io/v1` `AdmissionReview` on the wire: strict parsing of the request envelope
//! (apiVersion, kind, `request`, `request.uid`) in one pass over the body, and (in [`response`])
//! the response body kube-apiserver accepts (uid echoed, no patch, `status`, `warnings`,
//! `auditAnnotations`).

mod fields;
mod object;
mod response;

use std::ops::Range;
use std::sync::OnceLock;

use bytes::Bytes;
use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::Value;

use fields::{Flag, ObjectIn, Strings, Text};
use object::{locate_object, part_ranges, range_in, PartRanges};
pub(crate) use object::{MetaPart, ObjectParts};
pub use response::{error_json, reason_for, response_json, Details, Outcome, Status};
pub(crate) use response::{Frag, Shape, StatusShape, Template};

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

/// The parts of `request` the webhook reads. The body itself is kept (a shared buffer, not a
/// copy) and the object is known by the byte ranges of the parts Pod Security reads, found in
/// the same pass as the envelope: a Pod whose decision is cached is never decoded at all.
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
    body: Bytes,
    parts: PartRanges,
    /// `request.object`'s whole text, located on first use (rules and full decodes only).
    raw_object: OnceLock<Option<Range<usize>>>,
    raw_old_object: Option<Range<usize>>,
    object: OnceLock<Value>,
    old_object: OnceLock<Value>,
}

impl ReviewRequest {
    /// `request.object` (`Null` when absent).
    pub fn object(&self) -> &Value {
        self.object
            .get_or_init(|| decode(self.raw_object().map(str::as_bytes)))
    }

    /// `request.oldObject` (`Null` when absent).
    pub fn old_object(&self) -> &Value {
        self.old_object
            .get_or_init(|| decode(self.raw_old_object.clone().and_then(|r| self.body.get(r))))
    }

    /// The object's JSON text as received.
    pub fn raw_object(&self) -> Option<&str> {
        let range = self
            .raw_object
            .get_or_init(|| locate_object(&self.body))
            .clone()?;
        std::str::from_utf8(self.body.get(range)?).ok()
    }

    /// The parts of the object Pod Security reads, or `None` when the object is absent or does
    /// not split cleanly into them (not a mapping, a part given twice): then only the full
    /// decode can tell what the object means.
    pub(crate) fn object_parts(&self) -> Option<ObjectParts<'_>> {
        let PartRanges::Split {
            api_version,
            kind,
            metadata,
            spec,
        } = &self.parts
        else {
            return None;
        };
        let at = |r: &Option<Range<usize>>| r.clone().and_then(|r| self.body.get(r));
        Some(ObjectParts {
            api_version: at(api_version),
            kind: at(kind),
            metadata: match metadata {
                MetaPart::Absent => MetaPart::Absent,
                MetaPart::Null => MetaPart::Null,
                MetaPart::Map(a) => MetaPart::Map(at(a)),
            },
            spec: at(spec),
        })
    }
}

fn decode(raw: Option<&[u8]>) -> Value {
    // The text was validated as JSON when the review was parsed.
    raw.and_then(|r| serde_json::from_slice(r).ok())
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

/// Every field the webhook reads, decoded in the one pass; everything else is skipped.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RequestIn<'a> {
    #[serde(default, borrow)]
    uid: Text<'a>,
    #[serde(default, borrow)]
    resource: Strings<'a, false>,
    #[serde(default, borrow)]
    sub_resource: Text<'a>,
    #[serde(default, borrow)]
    name: Text<'a>,
    #[serde(default, borrow)]
    namespace: Text<'a>,
    #[serde(default, borrow)]
    operation: Text<'a>,
    #[serde(default, borrow)]
    user_info: Strings<'a, true>,
    #[serde(default, borrow)]
    object: ObjectIn<'a>,
    #[serde(default, borrow)]
    old_object: Option<&'a RawValue>,
    #[serde(default)]
    dry_run: Flag,
}

/// A string field, or the error naming it.
fn text(t: Text<'_>, name: &'static str) -> Result<String, ReviewError> {
    t.into_string().ok_or(ReviewError::Field(name))
}

/// `apiVersion` or `kind` equal to `want` (the common spelling is compared as raw text).
fn is(raw: Option<&str>, want: &str) -> bool {
    let Some(t) = raw else { return false };
    if t.len() == want.len() + 2 && t.starts_with('"') && &t[1..t.len() - 1] == want {
        return true;
    }
    serde_json::from_str::<String>(t).is_ok_and(|s| s == want)
}

fn json_error(e: &serde_json::Error) -> ReviewError {
    ReviewError::Json {
        line: e.line(),
        column: e.column(),
        message: strip_position(&e.to_string()),
    }
}

/// Parses a request body. Unknown fields are ignored, as kube-apiserver's own decoder does.
pub fn parse(body: &[u8]) -> Result<ReviewRequest, ReviewError> {
    parse_bytes(Bytes::copy_from_slice(body))
}

/// [`parse`] of a received body, kept without copying. One pass over the body decodes the
/// envelope's fields and finds the object's parts; nothing is built for the object yet.
pub fn parse_bytes(body: Bytes) -> Result<ReviewRequest, ReviewError> {
    let Some(first) = body.iter().find(|b| !b.is_ascii_whitespace()) else {
        return Err(ReviewError::Empty);
    };
    if *first != b'{' {
        // Tell malformed JSON from a well-formed non-object.
        return Err(
            match serde_json::from_slice::<serde::de::IgnoredAny>(&body) {
                Ok(_) => ReviewError::NotAnObject,
                Err(e) => json_error(&e),
            },
        );
    }
    let env = decode_envelope(&body, std::str::from_utf8(&body).ok())?;
    let api_version = env.api_version.map(RawValue::get);
    let kind = env.kind.map(RawValue::get);
    if !is(api_version, API_VERSION) {
        return Err(ReviewError::ApiVersion(text_of_raw(api_version)));
    }
    if !is(kind, KIND) {
        return Err(ReviewError::Kind(text_of_raw(kind)));
    }
    let Some(req) = env.request else {
        return Err(ReviewError::MissingRequest);
    };
    let uid = req
        .uid
        .as_str()
        .filter(|u| !u.is_empty())
        .ok_or(ReviewError::MissingUid)?
        .to_string();
    if req.resource.wrong {
        return Err(ReviewError::Field("resource"));
    }
    if req.user_info.wrong {
        return Err(ReviewError::Field("userInfo"));
    }
    let [group, resource] = req.resource.values;
    let [username, _] = req.user_info.values;
    let operation = Operation::parse(&text(req.operation, "operation")?);
    let sub_resource = text(req.sub_resource, "subResource")?;
    let name = text(req.name, "name")?;
    let namespace = text(req.namespace, "namespace")?;
    let dry_run = match req.dry_run {
        Flag::Missing => false,
        Flag::Bool(b) => b,
        Flag::Wrong => return Err(ReviewError::Field("dryRun")),
    };
    let parts = part_ranges(&body, req.object);
    let raw_old_object = req
        .old_object
        .map(RawValue::get)
        .filter(|t| *t != "null")
        .and_then(|r| range_in(&body, r));
    let (group, resource, username) = (
        group.into_string().unwrap_or_default(),
        resource.into_string().unwrap_or_default(),
        username.into_string().unwrap_or_default(),
    );
    Ok(ReviewRequest {
        uid,
        group,
        resource,
        sub_resource,
        name,
        namespace,
        operation,
        username,
        dry_run,
        body,
        parts,
        raw_object: OnceLock::new(),
        raw_old_object,
        object: OnceLock::new(),
        old_object: OnceLock::new(),
    })
}

/// Decodes the envelope in one pass; `serde_json` words every error.
fn decode_envelope<'a>(
    body: &'a [u8],
    text: Option<&'a str>,
) -> Result<EnvelopeIn<'a>, ReviewError> {
    // Known to be UTF-8, the body's strings and raw parts need no check each (invalid UTF-8
    // is left to the byte parser, which reports where it is).
    let parsed: Result<EnvelopeIn<'_>, _> = match text {
        Some(text) => serde_json::from_str(text),
        None => serde_json::from_slice(body),
    };
    parsed.map_err(|e| {
        if e.is_data() && e.to_string().contains("struct RequestIn") {
            ReviewError::MissingRequest
        } else {
            json_error(&e)
        }
    })
}

fn text_of_raw(raw: Option<&str>) -> String {
    text_of(
        raw.and_then(|r| serde_json::from_str::<Value>(r).ok())
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

#[cfg(test)]
mod tests;
