//! Streaming a log through the rules with memory independent of its size.
//!
//! JSON lines are read in chunks of whole lines; a batch of chunks is judged in parallel
//! (parsing is nearly all the work) and the outcomes are applied in log order, so stateful
//! rules and the output see events exactly as written. A log that does not start with a
//! complete JSON line (a pretty-printed `EventList` or Event) is read as a stream of JSON
//! documents instead, with `items` judged one at a time as they are parsed.

use std::io::{self, Read};

use rampart_model::{Finding, InputError};
use rayon::prelude::*;

use super::config::DetectConfig;
use super::engine::{judge_line, LineError, Outcome};
use super::state::State;

/// Bytes per chunk handed to one worker.
const CHUNK: usize = 1 << 20;
/// Chunks judged per parallel batch (a few per core keeps both cores busy).
const BATCH: usize = 8;

/// Code of an input line that is not an audit Event.
pub const E_BAD_EVENT: &str = "E6001";

/// What a run saw.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Stats {
    pub lines: u64,
    pub findings: u64,
    pub errors: u64,
}

/// Something to report, in log order.
#[derive(Debug, Clone)]
pub enum Emitted {
    Finding(Box<Finding>),
    Error(InputError),
}

/// Runs the detections over logs, keeping the small cross-event state between them.
#[derive(Debug, Default)]
pub struct Detector {
    cfg: DetectConfig,
    validate: bool,
    state: State,
    stats: Stats,
}

struct ChunkResult {
    lines: u32,
    /// (0-based line within the chunk, outcome)
    outcomes: Vec<(u32, Outcome)>,
    errors: Vec<(u32, LineError)>,
}

fn judge_chunk(chunk: &[u8], file: &str, cfg: &DetectConfig, validate: bool) -> ChunkResult {
    let mut res = ChunkResult {
        lines: 0,
        outcomes: Vec::new(),
        errors: Vec::new(),
    };
    let mut buf = Vec::new();
    // Every chunk ends at a newline (or at the end of input): its last line is complete.
    let body = chunk.strip_suffix(b"\n").unwrap_or(chunk);
    let mut start = 0;
    let ends = memchr::memchr_iter(b'\n', body).chain(std::iter::once(body.len()));
    for end in ends {
        let line = &body[start..end];
        start = end + 1;
        let rel = res.lines;
        res.lines += 1;
        if let Err(e) = judge_line(line, file, 0, cfg, validate, &mut buf) {
            res.errors.push((rel, e));
        }
        res.outcomes.extend(buf.drain(..).map(|o| (rel, o)));
    }
    res
}

impl Detector {
    pub fn new(cfg: DetectConfig) -> Self {
        Self {
            cfg,
            validate: false,
            state: State::default(),
            stats: Stats::default(),
        }
    }

    /// Parses every line in full, so that any line that is not a well-formed Event is
    /// reported (`--strict`). Slower: the fast path skips bodies the rules never read.
    #[must_use]
    pub fn validating(mut self, on: bool) -> Self {
        self.validate = on;
        self
    }

    pub fn stats(&self) -> Stats {
        self.stats
    }

    /// Applies outcomes of the line `line` in order and emits what is to be reported.
    fn apply(&mut self, line: u32, outcome: Outcome, sink: &mut dyn FnMut(Emitted)) {
        let found = match outcome {
            Outcome::Remember(key) => {
                self.state.remember(key);
                None
            }
            Outcome::Found(f) => Some(f),
            Outcome::IfRemembered(key, f) => self.state.knows(&key).then_some(f),
        };
        if let Some(mut f) = found {
            f.line = line;
            self.stats.findings += 1;
            sink(Emitted::Finding(Box::new(f)));
        }
    }

    pub(crate) fn report_error(
        &mut self,
        file: &str,
        line: u32,
        e: LineError,
        sink: &mut dyn FnMut(Emitted),
    ) {
        self.stats.errors += 1;
        sink(Emitted::Error(InputError {
            code: E_BAD_EVENT,
            file: file.to_string(),
            line,
            column: e.column,
            message: e.message,
        }));
    }

    /// Judges one line now (follow mode, documents): no batching.
    pub(crate) fn judge_now(
        &mut self,
        text: &[u8],
        file: &str,
        line: u32,
        sink: &mut dyn FnMut(Emitted),
    ) {
        let mut outs = Vec::new();
        self.stats.lines += 1;
        match judge_line(text, file, line, &self.cfg, self.validate, &mut outs) {
            Ok(()) => {}
            Err(e) => self.report_error(file, line, e, sink),
        }
        for o in outs {
            self.apply(line, o, sink);
        }
    }

    /// Reads a whole log (JSON lines, or JSON documents such as an `EventList`) from
    /// `reader`, calling `sink` for every finding and bad line in log order.
    pub fn run<R: Read + Send>(
        &mut self,
        mut reader: R,
        file: &str,
        sink: &mut dyn FnMut(Emitted),
    ) -> io::Result<()> {
        let mut head = Vec::with_capacity(CHUNK);
        fill(&mut reader, &mut head, CHUNK)?;
        if starts_with_document(&head, head.len() < CHUNK) {
            return super::document::run_documents(
                self,
                io::Cursor::new(head).chain(reader),
                file,
                sink,
            );
        }
        self.run_lines(head, reader, file, sink)
    }

    fn run_lines<R: Read + Send>(
        &mut self,
        head: Vec<u8>,
        reader: R,
        file: &str,
        sink: &mut dyn FnMut(Emitted),
    ) -> io::Result<()> {
        let mut input = Batches {
            reader,
            carry: head,
            eof: false,
        };
        let mut line_base: u32 = 1;
        let mut batch = input.next_batch()?;
        while !batch.is_empty() {
            let (cfg, validate) = (&self.cfg, self.validate);
            // Judge this batch on the pool while the next one is read.
            let (results, next) = rayon::join(
                || {
                    batch
                        .par_iter()
                        .map(|c| judge_chunk(c, file, cfg, validate))
                        .collect::<Vec<ChunkResult>>()
                },
                || input.next_batch(),
            );
            for r in results {
                for (rel, e) in r.errors {
                    self.report_error(file, line_base.saturating_add(rel), e, sink);
                }
                for (rel, o) in r.outcomes {
                    self.apply(line_base.saturating_add(rel), o, sink);
                }
                self.stats.lines += u64::from(r.lines);
                line_base = line_base.saturating_add(r.lines);
            }
            batch = next?;
        }
        Ok(())
    }
}

/// Cuts the input into batches of chunks of whole lines.
struct Batches<R> {
    reader: R,
    /// Read but not yet handed out: the start of a line.
    carry: Vec<u8>,
    eof: bool,
}

impl<R: Read> Batches<R> {
    /// Up to [`BATCH`] chunks; empty at the end of input.
    fn next_batch(&mut self) -> io::Result<Vec<Vec<u8>>> {
        let mut chunks = Vec::with_capacity(BATCH);
        while chunks.len() < BATCH && !(self.eof && self.carry.is_empty()) {
            if !self.eof && self.carry.len() < CHUNK {
                fill(&mut self.reader, &mut self.carry, CHUNK)?;
                self.eof = self.carry.len() < CHUNK;
            }
            // Cut after the last newline; at the end of input, take everything.
            let cut = match memchr::memrchr(b'\n', &self.carry) {
                Some(i) => i + 1,
                None if self.eof => self.carry.len(),
                None => {
                    // A line longer than a chunk: read on until it ends.
                    let want = self.carry.len() + CHUNK;
                    fill(&mut self.reader, &mut self.carry, want)?;
                    self.eof = self.carry.len() < want;
                    continue;
                }
            };
            let rest = self.carry.split_off(cut);
            chunks.push(std::mem::replace(&mut self.carry, rest));
        }
        Ok(chunks)
    }
}

/// Reads until `buf` holds `want` bytes or the input ends; returns the bytes read.
pub(crate) fn fill<R: Read>(reader: &mut R, buf: &mut Vec<u8>, want: usize) -> io::Result<usize> {
    let start = buf.len();
    if want > start {
        buf.reserve(want - start);
        // `read_to_end` reads into spare capacity without zeroing it first.
        let limit = u64::try_from(want - start).unwrap_or(u64::MAX);
        reader.by_ref().take(limit).read_to_end(buf)?;
    }
    Ok(buf.len() - start)
}

/// True when the input starts with a JSON document spread over several lines (a
/// pretty-printed `EventList` or Event) rather than with a line holding one value. A first
/// line that is merely broken (truncated, garbage) keeps the input in JSON-lines mode, where
/// it is reported and skipped.
fn starts_with_document(head: &[u8], whole_input: bool) -> bool {
    let start = head
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(head.len());
    let rest = &head[start..];
    let first = rest.split(|b| *b == b'\n').next().unwrap_or_default();
    if first.is_empty() || serde_json::from_slice::<serde::de::IgnoredAny>(first).is_ok() {
        return false;
    }
    let mut values =
        serde_json::Deserializer::from_slice(rest).into_iter::<serde::de::IgnoredAny>();
    match values.next() {
        Some(Ok(_)) => true,
        // The document runs past what has been read so far.
        Some(Err(e)) => e.is_eof() && !whole_input,
        None => false,
    }
}
