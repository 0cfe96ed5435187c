//! Parsing files into objects, one YAML document at a time.

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use rampart_model::{InputError, Pos};
use rayon::prelude::*;
use serde_saphyr::{DuplicateKeyPolicy, Options};

use crate::discover::{discover, read_input, Input};
use crate::node::NodeValue;
use crate::{Node, Object, SourceFile};

/// Files larger than this are reported and skipped: no real manifest is this big, and the
/// parser's node and alias budgets bound the rest.
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// Nesting deeper than this is an error rather than a stack overflow.
const MAX_DEPTH: usize = 64;

/// Stack for parsing threads. The parser and our visitor recurse per nesting level, and in
/// debug builds a level costs tens of KiB; 64 MiB of (lazily committed) stack bounds
/// [`MAX_DEPTH`] levels with a wide margin in every build profile.
pub const PARSE_STACK_BYTES: usize = 64 << 20;

/// How to load inputs.
#[derive(Debug, Clone)]
pub struct LoadOptions {
    pub max_file_bytes: u64,
    /// Extra gitignore-style files to honour besides `.gitignore` (default: `.rampartignore`).
    pub ignore_files: Vec<String>,
    /// Incremented once per file read, for progress bars.
    pub progress: Option<Arc<AtomicUsize>>,
}

impl Default for LoadOptions {
    fn default() -> Self {
        Self {
            max_file_bytes: MAX_FILE_BYTES,
            ignore_files: vec![".rampartignore".to_string()],
            progress: None,
        }
    }
}

/// Everything loaded from a set of inputs, in a deterministic order (input order, then path).
#[derive(Debug, Default)]
pub struct Loaded {
    pub sources: Vec<Arc<SourceFile>>,
    pub objects: Vec<Object>,
    pub errors: Vec<InputError>,
    /// Documents seen, including empty ones and ones that are not Kubernetes objects.
    pub documents: usize,
}

/// Discovers, reads and parses every input; files are parsed in parallel.
pub fn load_paths(paths: &[PathBuf], opts: &LoadOptions) -> Loaded {
    let (inputs, mut errors) = discover(paths, opts);
    let load_one = |input: &Input| {
        if let Some(p) = &opts.progress {
            p.fetch_add(1, Ordering::Relaxed);
        }
        match read_input(input, opts.max_file_bytes) {
            Ok(source) => {
                let source = Arc::new(source);
                let parsed = parse_source(&source);
                (Some(source), parsed)
            }
            Err(e) => (None, (Vec::new(), vec![e], 0)),
        }
    };
    let per_file: Vec<_> = match rayon::ThreadPoolBuilder::new()
        .stack_size(PARSE_STACK_BYTES)
        .build()
    {
        Ok(pool) => pool.install(|| inputs.par_iter().map(load_one).collect()),
        // No pool (thread limits): parse on one big-stack thread instead.
        Err(_) => with_parse_stack(|| inputs.iter().map(load_one).collect()),
    };
    let mut loaded = Loaded::default();
    for (source, (objects, errs, docs)) in per_file {
        loaded.sources.extend(source);
        loaded.objects.extend(objects);
        errors.extend(errs);
        loaded.documents += docs;
    }
    loaded.errors = errors;
    loaded
}

/// Parses text that did not come from disk (tests, the webhook, generated manifests).
pub fn load_text(path: &str, text: String) -> (Arc<SourceFile>, Vec<Object>, Vec<InputError>) {
    let source = Arc::new(SourceFile {
        path: path.to_string(),
        text,
    });
    let (objects, errors, _) = with_parse_stack(|| parse_source(&source));
    (source, objects, errors)
}

/// Runs `f` on a thread with [`PARSE_STACK_BYTES`] of stack (see there for why).
pub fn with_parse_stack<T: Send>(f: impl FnOnce() -> T + Send) -> T {
    std::thread::scope(|s| {
        match std::thread::Builder::new()
            .stack_size(PARSE_STACK_BYTES)
            .spawn_scoped(s, f)
        {
            Ok(handle) => match handle.join() {
                Ok(v) => v,
                Err(panic) => std::panic::resume_unwind(panic),
            },
            Err(e) => panic!("cannot start a parsing thread: {e}"),
        }
    })
}

/// Parses one file; call it on a thread with [`PARSE_STACK_BYTES`] of stack (as
/// [`load_paths`] and [`load_text`] do). Each document is parsed on its own so a broken document is reported with
/// its position while the others still load. Returns objects, errors and the document count.
pub fn parse_source(source: &Arc<SourceFile>) -> (Vec<Object>, Vec<InputError>, usize) {
    let is_json = std::path::Path::new(&source.path)
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"));
    let mut objects = Vec::new();
    let mut errors = Vec::new();
    let chunks = split_documents(&source.text);
    let count = chunks.len();
    for (doc, (first_line, chunk)) in chunks.into_iter().enumerate() {
        let in_file = |pos: Pos| Pos::new(pos.line + first_line - 1, pos.column.max(1));
        match parse_document(chunk, is_json) {
            Ok((node, duplicates)) => {
                for (dup, first) in duplicates {
                    let at = in_file(dup);
                    errors.push(InputError {
                        code: "E0003",
                        file: source.path.clone(),
                        line: at.line,
                        column: at.column,
                        message: format!(
                            "{DUPLICATE_KEY}; first defined at line {}; the document was scanned with the last value",
                            in_file(first).line
                        ),
                    });
                }
                if let Some(mut node) = node {
                    shift_lines(&mut node, first_line - 1);
                    expand(source, doc, node, &mut objects);
                }
            }
            Err((pos, message)) => {
                errors.push(InputError {
                    code: "E0001",
                    file: source.path.clone(),
                    line: if pos.line == 0 {
                        first_line
                    } else {
                        pos.line + first_line - 1
                    },
                    column: pos.column.max(1),
                    message,
                });
            }
        }
    }
    (objects, errors, count)
}

fn options() -> Options {
    let mut o = Options::default();
    // Go's encoding/json keeps the last of duplicate keys, and so does PyYAML. kubectl and
    // Helm refuse them in YAML: the visitor keeps the last value and records each duplicate,
    // which the loader reports for YAML (a reader that picked the other value would see a
    // different object).
    o.duplicate_keys = DuplicateKeyPolicy::LastWins;
    // YAML 1.2 scalars: only true/false are booleans, so `name: y` stays a string.
    o.strict_booleans = true;
    if let Some(b) = o.budget.as_mut() {
        b.max_depth = MAX_DEPTH;
        b.flow_nesting_limit = MAX_DEPTH;
        b.max_nodes = 2_000_000;
        b.max_events = 8_000_000;
    }
    o
}

/// A parsed document (`None` when empty) and its duplicate keys as (duplicate, first) positions
/// within `chunk`; JSON's duplicates are not reported (Go's decoder accepts them).
type Parsed = (Option<Node>, Vec<(Pos, Pos)>);

fn parse_document(chunk: &str, is_json: bool) -> Result<Parsed, (Pos, String)> {
    if chunk.trim().is_empty() || chunk.lines().all(is_blank_or_comment) {
        return Ok((None, Vec::new()));
    }
    crate::node::take_duplicates();
    let parsed = serde_saphyr::from_str_with_options::<Option<Node>>(chunk, options());
    let duplicates = crate::node::take_duplicates();
    match parsed {
        Ok(node) => Ok((
            node.filter(|n| n.value != NodeValue::Null),
            if is_json { Vec::new() } else { duplicates },
        )),
        Err(e) => {
            let pos = e.location().map_or(Pos::UNKNOWN, |l| {
                Pos::new(
                    u32::try_from(l.line()).unwrap_or(0),
                    u32::try_from(l.column()).unwrap_or(0),
                )
            });
            Err((pos, plain_message(&e)))
        }
    }
}

fn is_blank_or_comment(l: &str) -> bool {
    let t = l.trim();
    t.is_empty() || t.starts_with('#') || t == "---" || t.starts_with("--- #")
}

/// The error's text without source snippets (which could quote secret values) or the
/// parser's own position suffix (we report positions in the whole file).
fn plain_message(e: &serde_saphyr::Error) -> String {
    let text = e.without_snippet().to_string();
    let first = text.lines().next().unwrap_or("invalid YAML").trim();
    let first = match first.rfind(" at line ") {
        Some(i) => &first[..i],
        None => first,
    };
    // Duplicates are read last-wins and reported by the loader (`E0003`), so the parser does not
    // raise this error today; the guard stays because its message would quote the key, and a
    // credential can be a mapping key.
    if first.starts_with("duplicate mapping key: ") {
        DUPLICATE_KEY.to_string()
    } else {
        first.to_string()
    }
}

const DUPLICATE_KEY: &str =
    "duplicate mapping key (kubectl and the API server reject this document)";

/// Splits YAML text into documents (see [`crate::documents`]): (first line, text) pairs.
fn split_documents(text: &str) -> Vec<(u32, &str)> {
    crate::documents::document_spans(text)
        .into_iter()
        .map(|d| (d.first_line, text.get(d.start..d.end).unwrap_or("")))
        .collect()
}

fn shift_lines(node: &mut Node, by: u32) {
    if by == 0 {
        return;
    }
    let mut stack = vec![node];
    while let Some(n) = stack.pop() {
        n.pos.line += by;
        match &mut n.value {
            NodeValue::Seq(items) => stack.extend(items.iter_mut()),
            NodeValue::Map(entries) => {
                for (k, v) in entries.iter_mut() {
                    k.pos.line += by;
                    stack.push(v);
                }
            }
            _ => {}
        }
    }
}

/// Turns a document into objects: a `List` or `*List` kind becomes its items.
fn expand(source: &Arc<SourceFile>, doc: usize, mut node: Node, out: &mut Vec<Object>) {
    let kind = node.get("kind").and_then(|k| match &k.value {
        NodeValue::Str(s) => Some(s.clone()),
        _ => None,
    });
    let is_list = kind
        .as_deref()
        .is_some_and(|k| k == "List" || k.ends_with("List"))
        && matches!(node.get("items").map(|n| &n.value), Some(NodeValue::Seq(_)));
    if is_list {
        if let NodeValue::Map(entries) = &mut node.value {
            if let Some((_, items)) = entries.iter_mut().find(|(k, _)| k.name == "items") {
                if let NodeValue::Seq(items) = &mut items.value {
                    for (i, item) in items.iter_mut().enumerate() {
                        if matches!(item.value, NodeValue::Map(_)) {
                            out.push(Object::new(source.clone(), doc, Some(i), item.take()));
                        }
                    }
                }
            }
        }
        return;
    }
    if matches!(node.value, NodeValue::Map(_)) {
        out.push(Object::new(source.clone(), doc, None, node));
    }
}

#[cfg(test)]
mod tests;
