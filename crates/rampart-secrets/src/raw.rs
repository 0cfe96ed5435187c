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

/// The text this pass looks at: whole lines of unwalked documents, comments elsewhere.
fn masked(text: &str, walked: &HashSet<usize>) -> (String, Vec<bool>) {
    let docs = document_of_lines(text);
    let mut out = String::with_capacity(text.len());
    let mut whole_line = Vec::new();
    for (i, line) in text.split_inclusive('\n').enumerate() {
        let doc = docs.get(i).copied().unwrap_or(0);
        if !walked.contains(&doc) {
            out.push_str(line);
            whole_line.push(true);
            continue;
        }
        whole_line.push(false);
        let keep_from = comment_start(line).unwrap_or(line.len());
        for (j, b) in line.bytes().enumerate() {
            if j >= keep_from || b == b'\n' {
                // Kept bytes are copied as they are; a multi-byte character is kept whole
                // because it starts after the ASCII `#`.
                out.push(char::from(b));
            } else {
                out.push(' ');
            }
        }
    }
    (out, whole_line)
}

/// Raw-text hits of one file. `walked` holds the indexes of documents that produced objects.
pub fn scan(text: &str, walked: &HashSet<usize>) -> Vec<RawHit> {
    if !text.is_ascii() {
        // Keep byte offsets exact for non-ASCII text: blanking works per byte.
        return scan_utf8(text, walked);
    }
    let (view, whole_line) = masked(text, walked);
    collect(&view, &whole_line)
}

/// Same as [`scan`] for text with multi-byte characters: each line is blanked by characters.
fn scan_utf8(text: &str, walked: &HashSet<usize>) -> Vec<RawHit> {
    let docs = document_of_lines(text);
    let mut view = String::with_capacity(text.len());
    let mut whole_line = Vec::new();
    for (i, line) in text.split_inclusive('\n').enumerate() {
        let doc = docs.get(i).copied().unwrap_or(0);
        let whole = !walked.contains(&doc);
        whole_line.push(whole);
        let keep_from = if whole {
            0
        } else {
            comment_start(line).unwrap_or(line.len())
        };
        for (j, c) in line.char_indices() {
            if j >= keep_from || c == '\n' {
                view.push(c);
            } else {
                view.extend(std::iter::repeat_n(' ', c.len_utf8()));
            }
        }
    }
    collect(&view, &whole_line)
}

fn collect(view: &str, whole_line: &[bool]) -> Vec<RawHit> {
    let mut hits: Vec<RawHit> = find_tokens(view)
        .into_iter()
        .map(|t| RawHit {
            family: t.family,
            severity: t.severity,
            offset: t.start,
            value: SecretValue::new(&view[t.start..t.end]),
        })
        .collect();
    // In documents that did not parse, `NAME: value` / `NAME=value` lines with an AWS secret
    // key name are judged too (the one whole-value family with a name-only context).
    let mut offset = 0;
    for (i, line) in view.split_inclusive('\n').enumerate() {
        if whole_line.get(i).copied().unwrap_or(false) {
            if let Some((k, v, at)) = split_assignment(line) {
                let value = v.trim_matches(|c| c == '"' || c == '\'');
                if aws::secret_key_name(k) && aws::secret_key_shape(value) {
                    let start = offset + at + v.find(value).unwrap_or(0);
                    hits.push(RawHit {
                        family: Family::AwsSecretKey,
                        severity: None,
                        offset: start,
                        value: SecretValue::new(value),
                    });
                }
            }
        }
        offset += line.len();
    }
    hits
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
