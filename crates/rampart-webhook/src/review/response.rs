//! The response side of the wire format: `Status`, the decided [`Outcome`], and the response
//! `AdmissionReview` kube-apiserver accepts (uid echoed, no patch, `status`, `warnings`,
//! `auditAnnotations`), written directly as bytes in serde_json's exact output so a cached
//! decision can be kept as a [`Template`] and completed with a request's uid and name.

use serde::Serialize;

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

/// The start of every response, up to the uid's opening quote.
const PREFIX: &[u8] =
    br#"{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","response":{"uid":""#;

/// Text inside a JSON string value: literal, or the request's name (filled in per request).
#[derive(Debug, Clone, Copy)]
pub(crate) enum Frag<'a> {
    Text(&'a str),
    Name,
}

/// A response's content after the uid, with the request's name possibly left open.
#[derive(Debug)]
pub(crate) struct Shape<'a> {
    pub(crate) allowed: bool,
    /// `status` (code, reason, message) and `details` (name, kind) of a denial.
    pub(crate) status: Option<StatusShape<'a>>,
    pub(crate) warnings: &'a [String],
    pub(crate) annotations: &'a [(String, String)],
}

#[derive(Debug)]
pub(crate) struct StatusShape<'a> {
    pub(crate) status: &'a str,
    pub(crate) code: u16,
    pub(crate) reason: &'a str,
    pub(crate) message: &'a [Frag<'a>],
    pub(crate) details: Option<(&'a [Frag<'a>], &'a str)>,
}

/// A response written once and completed per request with its uid and name: a decision
/// answered from the cache costs two copies instead of a serialization.
#[derive(Debug, Clone)]
pub(crate) struct Template {
    /// Literal bytes, with the name inserted (JSON-escaped) between consecutive pieces.
    pieces: Vec<Box<[u8]>>,
    len: usize,
}

impl Template {
    pub(crate) fn new(shape: &Shape<'_>) -> Self {
        let mut pieces = Vec::new();
        let mut cur = Vec::with_capacity(256);
        write_shape(shape, &mut cur, &mut |cur: &mut Vec<u8>| {
            pieces.push(std::mem::take(cur).into_boxed_slice());
        });
        pieces.push(cur.into_boxed_slice());
        let len = pieces.iter().map(|p| p.len()).sum();
        Self { pieces, len }
    }

    /// The response body for `uid` and `name`.
    pub(crate) fn render(&self, uid: &str, name: &str) -> Vec<u8> {
        let mut out =
            Vec::with_capacity(PREFIX.len() + uid.len() + 1 + self.len + name.len() * 2 + 16);
        out.extend_from_slice(PREFIX);
        escape_into(&mut out, uid);
        out.push(b'"');
        let mut pieces = self.pieces.iter();
        if let Some(first) = pieces.next() {
            out.extend_from_slice(first);
        }
        for p in pieces {
            escape_into(&mut out, name);
            out.extend_from_slice(p);
        }
        out
    }
}

/// Writes everything after the uid; `hole` is called where the name goes.
fn write_shape(s: &Shape<'_>, out: &mut Vec<u8>, hole: &mut dyn FnMut(&mut Vec<u8>)) {
    out.extend_from_slice(if s.allowed {
        b",\"allowed\":true"
    } else {
        b",\"allowed\":false"
    });
    let mut frags = |out: &mut Vec<u8>, frags: &[Frag<'_>]| {
        out.push(b'"');
        for f in frags {
            match f {
                Frag::Text(t) => escape_into(out, t),
                Frag::Name => hole(out),
            }
        }
        out.push(b'"');
    };
    if let Some(st) = &s.status {
        out.extend_from_slice(b",\"status\":{\"status\":");
        frags(out, &[Frag::Text(st.status)]);
        out.extend_from_slice(b",\"code\":");
        out.extend_from_slice(st.code.to_string().as_bytes());
        out.extend_from_slice(b",\"reason\":");
        frags(out, &[Frag::Text(st.reason)]);
        out.extend_from_slice(b",\"message\":");
        frags(out, st.message);
        if let Some((name, kind)) = st.details {
            out.extend_from_slice(b",\"details\":{\"name\":");
            frags(out, name);
            out.extend_from_slice(b",\"kind\":");
            frags(out, &[Frag::Text(kind)]);
            out.push(b'}');
        }
        out.push(b'}');
    }
    if !s.warnings.is_empty() {
        out.extend_from_slice(b",\"warnings\":[");
        for (i, w) in s.warnings.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            frags(out, &[Frag::Text(w)]);
        }
        out.push(b']');
    }
    if !s.annotations.is_empty() {
        out.extend_from_slice(b",\"auditAnnotations\":{");
        for (i, (k, v)) in s.annotations.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            frags(out, &[Frag::Text(k)]);
            out.push(b':');
            frags(out, &[Frag::Text(v)]);
        }
        out.push(b'}');
    }
    out.extend_from_slice(b"}}");
}

/// Whether any of 8 bytes needs escaping in a JSON string (`"`, `\\` or below 0x20).
fn needs_escape(chunk: [u8; 8]) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let x = u64::from_le_bytes(chunk);
    // A byte of `v` is zero exactly when the high bit of that byte in `zero(v)` is set.
    let zero = |v: u64| v.wrapping_sub(ONES) & !v & HIGH;
    let below_space = x.wrapping_sub(ONES * 0x20) & !x & HIGH;
    (below_space | zero(x ^ (ONES * u64::from(b'"'))) | zero(x ^ (ONES * u64::from(b'\\')))) != 0
}

/// Appends the contents of a JSON string for `s`, escaped exactly as `serde_json` does.
/// Text without anything to escape (nearly all of it) is checked 8 bytes at a time and copied
/// whole.
pub(crate) fn escape_into(out: &mut Vec<u8>, s: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let bytes = s.as_bytes();
    let mut clean = 0;
    let mut chunks = bytes.chunks_exact(8);
    for chunk in chunks.by_ref() {
        if <[u8; 8]>::try_from(chunk).is_ok_and(needs_escape) {
            break;
        }
        clean += 8;
    }
    if clean == bytes.len() {
        out.extend_from_slice(bytes);
        return;
    }
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate().skip(clean) {
        let esc: &[u8] = match b {
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            b'\n' => b"\\n",
            b'\r' => b"\\r",
            b'\t' => b"\\t",
            0x08 => b"\\b",
            0x0c => b"\\f",
            0..=0x1f => &[],
            _ => continue,
        };
        out.extend_from_slice(&bytes[start..i]);
        if esc.is_empty() {
            out.extend_from_slice(b"\\u00");
            out.push(HEX[usize::from(b >> 4)]);
            out.push(HEX[usize::from(b & 0xf)]);
        } else {
            out.extend_from_slice(esc);
        }
        start = i + 1;
    }
    out.extend_from_slice(&bytes[start..]);
}

/// The response `AdmissionReview` for `uid`.
pub fn response_json(uid: &str, outcome: &Outcome) -> Vec<u8> {
    let st = outcome.status.as_ref();
    let message = [Frag::Text(st.map_or("", |s| s.message.as_str()))];
    let details = st.and_then(|s| s.details.as_ref());
    let name = [Frag::Text(details.map_or("", |d| d.name.as_str()))];
    let status = st.map(|st| StatusShape {
        status: st.status,
        code: st.code,
        reason: st.reason,
        message: &message,
        details: details.map(|d| (&name[..], d.kind.as_str())),
    });
    let shape = Shape {
        allowed: outcome.allowed,
        status,
        warnings: &outcome.warnings,
        annotations: &outcome.annotations,
    };
    let mut out = Vec::with_capacity(PREFIX.len() + uid.len() + 256);
    out.extend_from_slice(PREFIX);
    escape_into(&mut out, uid);
    out.push(b'"');
    write_shape(&shape, &mut out, &mut |_| {});
    out
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
