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

static ESCAPE: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new(b"\\u"));
static EVENT_LIST: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new(b"EventList"));
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

/// Reads the line's Event the fast way (see the module docs).
pub(crate) fn scan(b: &[u8]) -> Scan<'_> {
    if ESCAPE.find(b).is_some() || EVENT_LIST.find(b).is_some() {
        return Scan::Slow;
    }
    match walk(b) {
        Some(s) => s,
        None => Scan::Slow,
    }
}

fn walk(b: &[u8]) -> Option<Scan<'_>> {
    let mut ev = Event::default();
    let (mut seen_user, mut seen_status) = (false, false);
    let mut i = ws(b, 0);
    if b.get(i) != Some(&b'{') {
        return None;
    }
    i = ws(b, i + 1);
    if b.get(i) == Some(&b'}') {
        return Some(Scan::Irrelevant);
    }
    loop {
        let key_end = skip_string(b, i)?;
        // Keys are compared as bytes: only the few the rules read are ever decoded.
        let key = b.get(i + 1..key_end - 1)?;
        i = ws(b, key_end);
        if b.get(i) != Some(&b':') {
            return None;
        }
        let start = ws(b, i + 1);
        let end = skip_value(b, start)?;
        let v = &b[start..end];
        match key {
            b"auditID" => ev.audit_id = plain_str(v)?.into(),
            b"stage" => {
                ev.stage = plain_str(v)?.into();
                if ev.stage != "ResponseComplete" {
                    return Some(Scan::Irrelevant);
                }
            }
            b"requestURI" => ev.request_uri = plain_str(v)?.into(),
            b"verb" => ev.verb = plain_str(v)?.into(),
            b"kind" => ev.kind = plain_str(v)?.into(),
            b"user" => {
                ev.user = serde_json::from_slice::<UserInfo<'_>>(v).ok()?;
                seen_user = true;
            }
            b"impersonatedUser" => ev.impersonated_user = serde_json::from_slice(v).ok()?,
            b"objectRef" => ev.object_ref = serde_json::from_slice::<Option<ObjRef<'_>>>(v).ok()?,
            b"responseStatus" => {
                let st: Option<Status> = serde_json::from_slice(v).ok()?;
                if !st
                    .as_ref()
                    .and_then(|s| s.code)
                    .is_some_and(|c| (100..=399).contains(&c))
                {
                    return Some(Scan::Irrelevant);
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
        i = ws(b, end);
        match b.get(i) {
            Some(b',') => i = ws(b, i + 1),
            Some(b'}') => break,
            _ => return None,
        }
        // A read has no body to inspect: once everything else is known, and the rest of
        // the line holds none of the keys still missing, the rest is irrelevant.
        if seen_user
            && seen_status
            && !ev.stage.is_empty()
            && read_only(&ev.verb)
            && !ev.audit_id.is_empty()
            && !ev.request_uri.is_empty()
        {
            let rest = &b[i..];
            let may_follow = |k: &Finder<'_>| k.find(rest).is_some();
            if (ev.impersonated_user.is_some() || !may_follow(&IMPERSONATED))
                && (ev.object_ref.is_some() || !may_follow(&OBJECT_REF))
                && !may_follow(&ITEMS)
            {
                break;
            }
        }
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
