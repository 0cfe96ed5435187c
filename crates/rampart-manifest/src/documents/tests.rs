use proptest::prelude::*;

use super::{document_at, document_spans, document_starts, DocumentSpan};

/// The plain line-by-line statement of the splitting rule, to check the fast version against.
fn reference_spans(text: &str) -> Vec<DocumentSpan> {
    let mut out = Vec::new();
    let (mut start, mut start_line, mut offset) = (0usize, 1u32, 0usize);
    for (line_no, line) in (1u32..).zip(text.split_inclusive('\n')) {
        let is_marker = |m: &str| {
            line.strip_prefix(m)
                .is_some_and(|r| r.is_empty() || r.starts_with([' ', '\t', '\r', '\n']))
        };
        if (is_marker("---") || is_marker("...")) && offset > start {
            out.push(DocumentSpan {
                start,
                end: offset,
                first_line: start_line,
            });
            start = offset;
            start_line = line_no;
        }
        if is_marker("...") {
            start = offset + line.len();
            start_line = line_no + 1;
        }
        offset += line.len();
    }
    if start < text.len() || out.is_empty() {
        out.push(DocumentSpan {
            start: start.min(text.len()),
            end: text.len(),
            first_line: start_line,
        });
    }
    out
}

/// The document of each line, line by line.
fn reference_line_docs(text: &str) -> Vec<usize> {
    let mut docs = Vec::new();
    let (mut doc, mut start, mut offset) = (0usize, 0usize, 0usize);
    for line in text.split_inclusive('\n') {
        let is_marker = |m: &str| {
            line.strip_prefix(m)
                .is_some_and(|r| r.is_empty() || r.starts_with([' ', '\t', '\r', '\n']))
        };
        if (is_marker("---") || is_marker("...")) && offset > start {
            doc += 1;
            start = offset;
        }
        docs.push(doc);
        if is_marker("...") {
            start = offset + line.len();
        }
        offset += line.len();
    }
    docs
}

#[test]
fn examples() {
    fn spans(t: &str) -> Vec<(&str, u32)> {
        document_spans(t)
            .iter()
            .map(|s| (&t[s.start..s.end], s.first_line))
            .collect()
    }
    assert_eq!(spans(""), vec![("", 1)]);
    assert_eq!(spans("a: 1\n"), vec![("a: 1\n", 1)]);
    assert_eq!(spans("---\na: 1\n"), vec![("---\na: 1\n", 1)]);
    assert_eq!(
        spans("a: 1\n--- # two\nb: 2\n...\nc: 3"),
        vec![("a: 1\n", 1), ("--- # two\nb: 2\n", 2), ("c: 3", 5)]
    );
    // Not markers: more dashes, text straight after, indentation.
    assert_eq!(spans("a: |\n  ---\n----\n---x\n").len(), 1);
    assert_eq!(spans("a: 1\r\n---\r\nb: 2\r\n").len(), 2);
}

fn text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("---"),
        Just("..."),
        Just("----"),
        Just("--- # c"),
        Just("...x"),
        Just(" ---"),
        Just("a: 1"),
        Just(""),
        Just("\t"),
        Just("# ---"),
    ];
    let end = prop_oneof![Just("\n"), Just("\r\n"), Just("")];
    proptest::collection::vec((piece, end), 0..12).prop_map(|v| {
        v.into_iter()
            .map(|(p, e)| format!("{p}{e}"))
            .collect::<String>()
    })
}

proptest! {
    #[test]
    fn spans_agree_with_the_line_by_line_rule(t in text()) {
        prop_assert_eq!(document_spans(&t), reference_spans(&t));
    }

    #[test]
    fn every_line_is_in_the_document_the_line_by_line_rule_gives(t in text()) {
        let starts = document_starts(&t);
        let mut offset = 0;
        for (line, doc) in t.split_inclusive('\n').zip(reference_line_docs(&t)) {
            prop_assert_eq!(document_at(&starts, offset), doc);
            offset += line.len();
        }
    }
}
