//! `admission.k8s.io/v1` `AdmissionReview` on the wire: strict parsing of the request envelope
//! (apiVersion, kind, `request`, `request.uid`) in one pass over the body, and (in [`response`])
//! the response body kube-apiserver accepts (uid echoed, no patch, `status`, `warnings`,
//! `auditAnnotations`).

mod fields;
mod response;

use std::ops::Range;
use std::sync::OnceLock;

use bytes::Bytes;
use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::Value;

use fields::{Flag, Meta, ObjectIn, Strings, Text};
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

/// Where the object's parts are in the body.
#[derive(Debug, Clone, Default)]
enum PartRanges {
    #[default]
    Absent,
    Split {
        api_version: Option<Range<usize>>,
        kind: Option<Range<usize>>,
        metadata: MetaPart<Range<usize>>,
        spec: Option<Range<usize>>,
    },
    Unsplit,
}

/// `metadata` of the object as Pod Security reads it: absent, `null`, or a mapping with
/// (the text of) its `annotations`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) enum MetaPart<T> {
    #[default]
    Absent,
    Null,
    Map(Option<T>),
}

/// The raw JSON text of what Pod Security reads of an object, borrowed from the request body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ObjectParts<'a> {
    pub(crate) api_version: Option<&'a [u8]>,
    pub(crate) kind: Option<&'a [u8]>,
    pub(crate) metadata: MetaPart<&'a [u8]>,
    pub(crate) spec: Option<&'a [u8]>,
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

/// Finds `request.object` in a body that already parsed as a review.
fn locate_object(body: &[u8]) -> Option<Range<usize>> {
    #[derive(Deserialize)]
    struct Outer<'a> {
        #[serde(default, borrow)]
        request: Option<Inner<'a>>,
    }
    #[derive(Deserialize)]
    struct Inner<'a> {
        #[serde(default, borrow)]
        object: Option<&'a RawValue>,
    }
    let o: Outer<'_> = serde_json::from_slice(body).ok()?;
    let raw = o.request?.object?.get();
    if raw == "null" {
        return None;
    }
    range_in(body, raw)
}

/// Where `part`, a slice borrowed from `body`, lies in it.
fn range_in(body: &[u8], part: &str) -> Option<Range<usize>> {
    let start = (part.as_ptr() as usize).checked_sub(body.as_ptr() as usize)?;
    let end = start.checked_add(part.len())?;
    (end <= body.len()).then_some(start..end)
}

fn part_ranges(body: &[u8], o: ObjectIn<'_>) -> PartRanges {
    let at = |p: Option<&str>| p.and_then(|p| range_in(body, p));
    match o {
        ObjectIn::Absent => PartRanges::Absent,
        ObjectIn::Unsplit => PartRanges::Unsplit,
        ObjectIn::Split(p) => PartRanges::Split {
            api_version: at(p.api_version),
            kind: at(p.kind),
            metadata: match p.metadata {
                Meta::Absent => MetaPart::Absent,
                Meta::Null => MetaPart::Null,
                Meta::Map { annotations } => MetaPart::Map(at(annotations)),
                // Not produced for a split object.
                Meta::Unusable => return PartRanges::Unsplit,
            },
            spec: at(p.spec),
        },
    }
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

/// The envelope's fields, as [`EnvelopeIn`] decodes them.
#[derive(Debug, Default)]
struct Env<'a> {
    api_version: Option<&'a str>,
    kind: Option<&'a str>,
    request: Option<Req<'a>>,
}

#[derive(Debug, Default)]
struct Req<'a> {
    uid: Text<'a>,
    resource: Strings<'a, false>,
    sub_resource: Text<'a>,
    name: Text<'a>,
    namespace: Text<'a>,
    operation: Text<'a>,
    user_info: Strings<'a, true>,
    object: ObjectIn<'a>,
    /// Raw text, `None` when absent or `null`.
    old_object: Option<&'a str>,
    dry_run: Flag,
}

impl<'a> From<EnvelopeIn<'a>> for Env<'a> {
    fn from(e: EnvelopeIn<'a>) -> Self {
        Env {
            api_version: e.api_version.map(RawValue::get),
            kind: e.kind.map(RawValue::get),
            request: e.request.map(|r| Req {
                uid: r.uid,
                resource: r.resource,
                sub_resource: r.sub_resource,
                name: r.name,
                namespace: r.namespace,
                operation: r.operation,
                user_info: r.user_info,
                object: r.object,
                old_object: r.old_object.map(RawValue::get).filter(|t| *t != "null"),
                dry_run: r.dry_run,
            }),
        }
    }
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
    if !is(env.api_version, API_VERSION) {
        return Err(ReviewError::ApiVersion(text_of_raw(env.api_version)));
    }
    if !is(env.kind, KIND) {
        return Err(ReviewError::Kind(text_of_raw(env.kind)));
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
    let raw_old_object = req.old_object.and_then(|r| range_in(&body, r));
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
fn decode_envelope<'a>(body: &'a [u8], text: Option<&'a str>) -> Result<Env<'a>, ReviewError> {
    // Known to be UTF-8, the body's strings and raw parts need no check each (invalid UTF-8
    // is left to the byte parser, which reports where it is).
    let parsed: Result<EnvelopeIn<'_>, _> = match text {
        Some(text) => serde_json::from_str(text),
        None => serde_json::from_slice(body),
    };
    parsed.map(Env::from).map_err(|e| {
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
