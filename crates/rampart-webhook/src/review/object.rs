//! Where the object of a request is in its body: the byte ranges of the parts Pod Security
//! reads (found in the envelope's single pass), and of the whole object (found on demand).

use std::ops::Range;

use serde::Deserialize;
use serde_json::value::RawValue;

use super::fields::{Meta, ObjectIn};

/// Where the object's parts are in the body.
#[derive(Debug, Clone, Default)]
pub(super) enum PartRanges {
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

/// Finds `request.object` in a body that already parsed as a review.
pub(super) fn locate_object(body: &[u8]) -> Option<Range<usize>> {
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
pub(super) fn range_in(body: &[u8], part: &str) -> Option<Range<usize>> {
    let start = (part.as_ptr() as usize).checked_sub(body.as_ptr() as usize)?;
    let end = start.checked_add(part.len())?;
    (end <= body.len()).then_some(start..end)
}

pub(super) fn part_ranges(body: &[u8], o: ObjectIn<'_>) -> PartRanges {
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
