//! The raw-text pass (§5.1): token formats in comments and in documents that did not become
//! objects (parse errors, non-object documents). Keyword and entropy rules never run here.
//!
//! Text the object walk already judged is blanked out (replaced by spaces, so byte offsets and
//! columns stay those of the file), which keeps the walk's placeholder and path exclusions
//! authoritative for values and leaves comments and broken documents to this pass.

use std::collections::HashSet;

use rampart_manifest::documents::{document_at, document_starts};
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
    // Documents as the loader splits them; only their count is needed when nothing was found
    // and every document became objects, the common case.
    let docs = document_starts(text);
    let count = docs.last().map_or(1, |&(_, d)| d + 1);
    let every_doc_walked = (0..count).all(|d| walked.contains(&d));
    if tokens.is_empty() && every_doc_walked {
        return Vec::new();
    }
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
        let doc = document_at(&docs, t.start);
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
fn aws_secret_lines(
    text: &str,
    docs: &[(usize, usize)],
    walked: &HashSet<usize>,
    hits: &mut Vec<RawHit>,
) {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let unwalked = !walked.contains(&document_at(docs, offset));
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
        let text = "---\na\n---\nb\n...\nc\n";
        let starts = document_starts(text);
        let docs: Vec<usize> = [0, 4, 6, 10, 12, 16]
            .into_iter()
            .map(|line_start| document_at(&starts, line_start))
            .collect();
        assert_eq!(docs, vec![0, 0, 1, 1, 2, 2]);
    }
}
