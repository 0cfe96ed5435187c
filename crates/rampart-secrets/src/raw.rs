//! The raw-text pass (§5.1): token formats in comments and in documents that did not become
//! objects (parse errors, non-object documents). Keyword and entropy rules never run here.
//!
//! Text the object walk already judged is blanked out (replaced by spaces, so byte offsets and
//! columns stay those of the file), which keeps the walk's placeholder and path exclusions
//! authoritative for values and leaves comments and broken documents to this pass.

use std::collections::HashSet;

use rampart_model::Severity;

use crate::detect::find_tokens;
use crate::family::Family;
use crate::rules::aws;
use crate::value::SecretValue;

/// A credential found in raw text.
#[derive(Debug)]
pub struct RawHit {
    pub family: Family,
    pub severity: Option<Severity>,
    pub offset: usize,
    pub value: SecretValue,
}

/// Document index of every line, split exactly as the loader splits documents: a `---` or
/// `...` line closes a non-empty document, and text after `...` starts a new one.
fn document_of_lines(text: &str) -> Vec<usize> {
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

/// Byte offset where a YAML comment starts on `line`, if any: `#` at the start or after
/// whitespace, outside quotes.
fn comment_start(line: &str) -> Option<usize> {
    let mut quote: Option<u8> = None;
    let bytes = line.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        match quote {
            Some(q) if b == q => quote = None,
            Some(_) => {}
            None => match b {
                b'"' | b'\''
                    if i == 0
                        || matches!(
                            bytes[i - 1],
                            b' ' | b'\t' | b':' | b'[' | b'{' | b',' | b'-'
                        ) =>
                {
                    quote = Some(b);
                }
                b'#' if i == 0 || matches!(bytes[i - 1], b' ' | b'\t') => return Some(i),
                _ => {}
            },
        }
    }
    None
}

/// Raw-text hits of one file. `walked` holds the indexes of documents that produced objects.
///
/// The token engine runs over the whole text once (its prefilter makes that cheap); a hit is
/// kept when it lies in a document that produced no object, or in a comment.
pub fn scan(text: &str, walked: &HashSet<usize>) -> Vec<RawHit> {
    let tokens = find_tokens(text);
    let all_walked = {
        let docs = document_of_lines(text);
        let unwalked: Vec<usize> = docs
            .iter()
            .copied()
            .filter(|d| !walked.contains(d))
            .collect();
        if tokens.is_empty() && unwalked.is_empty() {
            return Vec::new();
        }
        (docs, unwalked.is_empty())
    };
    let (docs, every_doc_walked) = all_walked;
    let line_starts: Vec<usize> = std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .collect();
    let line_of = |offset: usize| {
        line_starts
            .partition_point(|&s| s <= offset)
            .saturating_sub(1)
    };
    let mut hits = Vec::new();
    for t in tokens {
        let line = line_of(t.start);
        let doc = docs.get(line).copied().unwrap_or(0);
        let keep = if walked.contains(&doc) {
            let start = line_starts[line];
            let end = line_starts.get(line + 1).copied().unwrap_or(text.len());
            comment_start(&text[start..end]).is_some_and(|c| start + c < t.start)
        } else {
            true
        };
        if keep {
            hits.push(RawHit {
                family: t.family,
                severity: t.severity,
                offset: t.start,
                value: SecretValue::new(&text[t.start..t.end]),
            });
        }
    }
    if !every_doc_walked {
        aws_secret_lines(text, &docs, walked, &mut hits);
    }
    hits
}

/// In documents that did not parse, `NAME: value` / `NAME=value` lines with an AWS secret key
/// name are judged too (the one whole-value family with a name-only context).
fn aws_secret_lines(text: &str, docs: &[usize], walked: &HashSet<usize>, hits: &mut Vec<RawHit>) {
    let mut offset = 0;
    for (i, line) in text.split_inclusive('\n').enumerate() {
        let unwalked = docs.get(i).is_some_and(|d| !walked.contains(d));
        if unwalked {
            if let Some((k, v, at)) = split_assignment(line) {
                let value = v.trim_matches(|c| c == '"' || c == '\'');
                if aws::secret_key_name(k) && aws::secret_key_shape(value) {
                    hits.push(RawHit {
                        family: Family::AwsSecretKey,
                        severity: None,
                        offset: offset + at + v.find(value).unwrap_or(0),
                        value: SecretValue::new(value),
                    });
                }
            }
        }
        offset += line.len();
    }
}

/// `key: value` or `key=value` on one line: (key, value, value's byte offset in the line).
fn split_assignment(line: &str) -> Option<(&str, &str, usize)> {
    let t = line.trim_end();
    let sep = t.find([':', '='])?;
    let key = t[..sep]
        .trim()
        .trim_start_matches("- ")
        .trim_matches(|c| c == '"' || c == '\'');
    let rest = &t[sep + 1..];
    let lead = rest.len() - rest.trim_start().len();
    Some((key, rest.trim(), sep + 1 + lead))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_and_broken_documents() {
        let text = "a: 1\n# old: ghp_tfO73ddqkrq0mkRwx0LZA09jK1Pmid4Zfy4L\nb: \"#notcomment ghp_tfO73ddqkrq0mkRwx0LZA09jK1Pmid4Zfy4L\"\n---\nbroken: \"\nk: AKIABHZWFBTYAKM6B47T\n";
        let walked: HashSet<usize> = [0].into_iter().collect();
        let hits = scan(text, &walked);
        let fams: Vec<Family> = hits.iter().map(|h| h.family).collect();
        assert_eq!(fams, [Family::GithubToken, Family::AwsAccessKey]);
        assert_eq!(&text[hits[0].offset..hits[0].offset + 4], "ghp_");
    }

    #[test]
    fn documents_split_like_the_loader() {
        assert_eq!(
            document_of_lines("---\na\n---\nb\n...\nc\n"),
            vec![0, 0, 1, 1, 2, 2]
        );
    }
}
