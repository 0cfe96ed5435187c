//! Where a file's YAML documents start and end, without parsing it.
//!
//! A line that starts with `---` or `...` followed by nothing, a space, a tab or a line break is
//! a document marker, and YAML forbids both inside any scalar, so splitting there is exact.
//! `---` (and `...`) closes the current document when it holds text; text after `...` starts a
//! new one. The loader parses each document on its own, and the raw-text secrets pass maps
//! offsets back to the same documents.

/// One document: its byte range and its 1-based first line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DocumentSpan {
    pub start: usize,
    pub end: usize,
    pub first_line: u32,
}

/// A marker line: 0-based line number, byte range (with its line break), and whether it is
/// `...` (end of document) rather than `---`.
struct Marker {
    line: u32,
    start: usize,
    end: usize,
    is_end: bool,
}

/// The marker lines of `text`, found by looking only at the first bytes of each line.
fn markers(text: &str) -> impl Iterator<Item = Marker> + '_ {
    let bytes = text.as_bytes();
    let line_starts = std::iter::once(0).chain(memchr::memchr_iter(b'\n', bytes).map(|i| i + 1));
    (0u32..).zip(line_starts).filter_map(move |(line, start)| {
        let rest = bytes.get(start..)?;
        let is_end = match rest.get(..3)? {
            b"---" => false,
            b"..." => true,
            _ => return None,
        };
        if !matches!(rest.get(3), None | Some(b' ' | b'\t' | b'\r' | b'\n')) {
            return None;
        }
        let end = memchr::memchr(b'\n', rest).map_or(bytes.len(), |i| start + i + 1);
        Some(Marker {
            line,
            start,
            end,
            is_end,
        })
    })
}

/// The documents of `text` in order. A marker line belongs to no document, except that a
/// `---` line stays at the head of the document it opens (the parser reads it there). There is
/// always at least one document, possibly empty.
pub fn document_spans(text: &str) -> Vec<DocumentSpan> {
    let mut out = Vec::new();
    let (mut start, mut first_line) = (0usize, 1u32);
    for m in markers(text) {
        if m.start > start {
            out.push(DocumentSpan {
                start,
                end: m.start,
                first_line,
            });
            start = m.start;
            first_line = m.line + 1;
        }
        if m.is_end {
            // Skip the end marker itself; what follows starts a new document.
            start = m.end;
            first_line = m.line + 2;
        }
    }
    if start < text.len() || out.is_empty() {
        let start = start.min(text.len());
        out.push(DocumentSpan {
            start,
            end: text.len(),
            first_line,
        });
    }
    out
}

/// The document index of every byte offset, as a sorted list of (first offset, document):
/// document `d` covers offsets from its entry up to the next entry. Marker lines count with
/// the document they open or close, as [`document_spans`] numbers them.
pub fn document_starts(text: &str) -> Vec<(usize, usize)> {
    let mut out = vec![(0, 0)];
    let (mut doc, mut start) = (0usize, 0usize);
    for m in markers(text) {
        if m.start > start {
            doc += 1;
            start = m.start;
            out.push((m.start, doc));
        }
        if m.is_end {
            start = m.end;
        }
    }
    out
}

/// The document that holds byte `offset`, given [`document_starts`].
pub fn document_at(starts: &[(usize, usize)], offset: usize) -> usize {
    let i = starts.partition_point(|&(s, _)| s <= offset);
    starts.get(i.saturating_sub(1)).map_or(0, |&(_, d)| d)
}

#[cfg(test)]
mod tests;
