//! The fast path for one log line: walk the top-level fields of the Event, read only the
//! ones the rules use, and stop as soon as the rest cannot matter.
//!
//! A full parse validates and visits every byte of every request and response body, and
//! that is most of a log's bytes. Here the values of other fields are skipped by a small
//! structural scanner (strings jumped over with `memchr`), and the scan stops early when
//! the event is not a successful `ResponseComplete`, or is a read (no body to inspect) and
//! no later field can change the verdict. Anything unusual — `\u` escapes, `EventList`,
//! a shape the scanner does not follow — goes to the full `serde_json` parse instead, which
//! also produces the error message for malformed lines.

use std::sync::LazyLock;

use memchr::memmem::Finder;
use serde_json::value::RawValue;

use super::event::{Event, ObjRef, Status, UserInfo};

static IMPERSONATED: LazyLock<Finder<'static>> =
    LazyLock::new(|| Finder::new(b"\"impersonatedUser\""));
static OBJECT_REF: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new(b"\"objectRef\""));
static ITEMS: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new(b"\"items\""));

/// What the fast path made of a line.
pub(crate) enum Scan<'a> {
    /// Cannot produce a finding (another stage, a failed request).
    Irrelevant,
    Event(Box<Event<'a>>),
    /// Use the full parser.
    Slow,
}

fn ws(b: &[u8], mut i: usize) -> usize {
    while i < b.len() && b[i].is_ascii_whitespace() {
        i += 1;
    }
    i
}

/// End (exclusive) of the string starting at `i` (which holds `"`).
fn skip_string(b: &[u8], i: usize) -> Option<usize> {
    let mut j = i + 1;
    loop {
        let k = j + memchr::memchr2(b'"', b'\\', b.get(j..)?)?;
        if b[k] == b'"' {
            return Some(k + 1);
        }
        j = k + 2;
    }
}

/// End (exclusive) of the value starting at `i`.
fn skip_value(b: &[u8], i: usize) -> Option<usize> {
    match *b.get(i)? {
        b'"' => skip_string(b, i),
        b'{' | b'[' => {
            let mut depth = 0usize;
            let mut j = i;
            while j < b.len() {
                match b[j] {
                    b'"' => {
                        j = skip_string(b, j)?;
                        continue;
                    }
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => {
                        depth -= 1;
                        if depth == 0 {
                            return Some(j + 1);
                        }
                    }
                    _ => {}
                }
                j += 1;
            }
            None
        }
        _ => {
            let n = b[i..]
                .iter()
                .position(|c| matches!(c, b',' | b'}' | b']') || c.is_ascii_whitespace())
                .unwrap_or(b.len() - i);
            (n > 0).then_some(i + n)
        }
    }
}

/// A string value without escapes, borrowed.
fn plain_str(v: &[u8]) -> Option<&str> {
    let inner = v.strip_prefix(b"\"")?.strip_suffix(b"\"")?;
    if inner.contains(&b'\\') {
        return None;
    }
    std::str::from_utf8(inner).ok()
}

fn read_only(verb: &str) -> bool {
    matches!(verb, "get" | "list" | "watch")
}

/// Calls `f` with every (key, value) of the object `b`, in order; `None` when the object is
/// not one the scanner follows (a key with an escape included) or `f` gives up.
fn fields<'a>(b: &'a [u8], mut f: impl FnMut(&'a [u8], &'a [u8]) -> Option<Flow>) -> Option<()> {
    let mut i = ws(b, 0);
    if b.get(i) != Some(&b'{') {
        return None;
    }
    i = ws(b, i + 1);
    if b.get(i) == Some(&b'}') {
        return Some(());
    }
    loop {
        let key_end = skip_string(b, i)?;
        // Keys are compared as bytes; an escaped key might spell one the rules read.
        let key = b.get(i + 1..key_end - 1)?;
        if key.contains(&b'\\') {
            return None;
        }
        i = ws(b, key_end);
        if b.get(i) != Some(&b':') {
            return None;
        }
        let start = ws(b, i + 1);
        let end = skip_value(b, start)?;
        let flow = f(key, &b[start..end])?;
        i = ws(b, end);
        match (b.get(i), flow) {
            (_, Flow::Stop) | (Some(b'}'), _) => return Some(()),
            (Some(b','), Flow::Next) => i = ws(b, i + 1),
            _ => return None,
        }
        if flow == Flow::Next && b.get(i).is_none() {
            return None;
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Flow {
    Next,
    Stop,
}

fn user(v: &[u8]) -> Option<Option<UserInfo<'_>>> {
    if v == b"null" {
        return Some(None);
    }
    let mut u = UserInfo::default();
    fields(v, |k, v| {
        match k {
            b"username" => u.username = plain_str(v)?.into(),
            b"groups" => u.groups = serde_json::from_slice::<Option<&RawValue>>(v).ok()?,
            _ => {}
        }
        Some(Flow::Next)
    })?;
    Some(Some(u))
}

fn object_ref(v: &[u8]) -> Option<Option<ObjRef<'_>>> {
    if v == b"null" {
        return Some(None);
    }
    let mut o = ObjRef::default();
    fields(v, |k, v| {
        let slot = match k {
            b"resource" => &mut o.resource,
            b"namespace" => &mut o.namespace,
            b"name" => &mut o.name,
            b"apiGroup" => &mut o.api_group,
            b"apiVersion" => &mut o.api_version,
            b"subresource" => &mut o.subresource,
            _ => return Some(Flow::Next),
        };
        *slot = plain_str(v)?.into();
        Some(Flow::Next)
    })?;
    Some(Some(o))
}

fn status(v: &[u8]) -> Option<Option<Status>> {
    if v == b"null" {
        return Some(None);
    }
    let mut st = Status::default();
    fields(v, |k, v| {
        if k == b"code" {
            st.code = Some(std::str::from_utf8(v).ok()?.parse().ok()?);
        }
        Some(Flow::Next)
    })?;
    Some(Some(st))
}

/// Reads the line's Event the fast way (see the module docs).
pub(crate) fn scan(b: &[u8]) -> Scan<'_> {
    match walk(b) {
        Some(s) => s,
        None => Scan::Slow,
    }
}

fn walk(b: &[u8]) -> Option<Scan<'_>> {
    let mut ev = Event::default();
    let (mut seen_user, mut seen_status) = (false, false);
    let mut verdict = None;
    fields(b, |key, v| {
        match key {
            b"auditID" => ev.audit_id = plain_str(v)?.into(),
            b"stage" => {
                ev.stage = plain_str(v)?.into();
                if ev.stage != "ResponseComplete" {
                    verdict = Some(Scan::Irrelevant);
                    return Some(Flow::Stop);
                }
            }
            b"requestURI" => ev.request_uri = plain_str(v)?.into(),
            b"verb" => ev.verb = plain_str(v)?.into(),
            b"kind" => {
                ev.kind = plain_str(v)?.into();
                if ev.kind == "EventList" {
                    return None;
                }
            }
            b"user" => {
                ev.user = user(v)?.unwrap_or_default();
                seen_user = true;
            }
            b"impersonatedUser" => ev.impersonated_user = user(v)?,
            b"objectRef" => ev.object_ref = object_ref(v)?,
            b"responseStatus" => {
                let st = status(v)?;
                if !st
                    .as_ref()
                    .and_then(|s| s.code)
                    .is_some_and(|c| (100..=399).contains(&c))
                {
                    verdict = Some(Scan::Irrelevant);
                    return Some(Flow::Stop);
                }
                ev.response_status = st;
                seen_status = true;
            }
            b"requestObject" => {
                ev.request_object = serde_json::from_slice::<Option<&RawValue>>(v).ok()?
            }
            b"items" => return None,
            _ => {}
        }
        // A read has no body to inspect: once everything else is known, and the rest of
        // the line holds none of the keys still missing, the rest is irrelevant.
        if seen_user
            && seen_status
            && read_only(&ev.verb)
            && !ev.stage.is_empty()
            && !ev.audit_id.is_empty()
            && !ev.request_uri.is_empty()
        {
            let end = (v.as_ptr() as usize - b.as_ptr() as usize) + v.len();
            let rest = b.get(end..)?;
            let may_follow = |k: &Finder<'_>| k.find(rest).is_some();
            if (ev.impersonated_user.is_some() || !may_follow(&IMPERSONATED))
                && (ev.object_ref.is_some() || !may_follow(&OBJECT_REF))
                && !may_follow(&ITEMS)
            {
                return Some(Flow::Stop);
            }
        }
        Some(Flow::Next)
    })?;
    if let Some(v) = verdict {
        return Some(v);
    }
    if ev.stage != "ResponseComplete" || !seen_status {
        return Some(Scan::Irrelevant);
    }
    Some(Scan::Event(Box::new(ev)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skips_nested_values_and_strings() {
        let b = br#"{"a":{"x":[1,{"y":"}\"]"}],"z":null},"b":"q\\"}"#;
        assert_eq!(skip_value(b, 5), Some(36));
        assert_eq!(skip_value(br#"12.5e3,"#, 0), Some(6));
        assert_eq!(skip_value(br#""open"#, 0), None);
        assert_eq!(skip_value(b"{[", 0), None);
    }

    #[test]
    fn reads_fields_and_stops_early() {
        let line = br#"{"kind":"Event","auditID":"a","stage":"ResponseComplete","requestURI":"/api/v1/pods","verb":"list","user":{"username":"u","groups":["g"]},"objectRef":{"resource":"pods"},"responseStatus":{"code":200},"responseObject":{"broken":"#;
        let Scan::Event(ev) = scan(line) else {
            panic!("expected an event")
        };
        assert_eq!(ev.user.username, "u");
        assert_eq!(
            ev.object_ref.as_ref().map(|o| o.resource.as_ref()),
            Some("pods")
        );
        let other = br#"{"kind":"Event","auditID":"a","stage":"RequestReceived","verb":"get"}"#;
        assert!(matches!(scan(other), Scan::Irrelevant));
        let failed = br#"{"stage":"ResponseComplete","responseStatus":{"code":403}}"#;
        assert!(matches!(scan(failed), Scan::Irrelevant));
        assert!(matches!(scan(br#"{"user":"#), Scan::Slow));
        assert!(matches!(scan(br#"{"verb":"g\u0065t"}"#), Scan::Slow));
    }
}
