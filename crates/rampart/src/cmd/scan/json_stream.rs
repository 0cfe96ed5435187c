//! Writes the JSON report finding by finding, so a scan never holds all findings in memory.
//! The document has the shape `rampart_report::to_json` prints (`docs/json-output.md`), with
//! one compact finding per line: cheaper to write than indented JSON, and easy to grep.

use std::io::{self, Write};

use rampart_model::{Finding, InputError};
use rampart_report::Summary;
use serde::Serialize;

use super::finding_json::FindingWriter;
use super::suppress::Suppressed;

pub struct JsonStream<'w> {
    out: &'w mut dyn Write,
    empty: bool,
    /// One finding's JSON: serializing into a `Vec` and writing it at once is cheaper than
    /// many small writes through `dyn Write`.
    buf: Vec<u8>,
    writer: FindingWriter,
}

fn indented(out: &mut dyn Write, value: &impl Serialize, indent: &str) -> io::Result<()> {
    let text = serde_json::to_string_pretty(value).map_err(io::Error::other)?;
    for (i, line) in text.lines().enumerate() {
        if i > 0 {
            out.write_all(b"\n")?;
            out.write_all(indent.as_bytes())?;
        }
        out.write_all(line.as_bytes())?;
    }
    Ok(())
}

impl<'w> JsonStream<'w> {
    pub fn begin(out: &'w mut dyn Write) -> io::Result<Self> {
        out.write_all(b"{\n  \"version\": 1,\n  \"findings\": [")?;
        Ok(Self {
            out,
            empty: true,
            buf: Vec::with_capacity(1024),
            writer: FindingWriter::default(),
        })
    }

    pub fn finding(&mut self, f: &Finding) -> io::Result<()> {
        self.out
            .write_all(if self.empty { b"\n    " } else { b",\n    " })?;
        self.empty = false;
        self.buf.clear();
        self.writer.write(&mut self.buf, f)?;
        self.out.write_all(&self.buf)
    }

    pub fn finish(
        self,
        errors: &[InputError],
        summary: &Summary,
        suppressed: Option<&[Suppressed]>,
    ) -> io::Result<()> {
        self.out.write_all(if self.empty {
            b"],\n  \"errors\": "
        } else {
            b"\n  ],\n  \"errors\": "
        })?;
        indented(self.out, &errors, "  ")?;
        self.out.write_all(b",\n  \"summary\": ")?;
        indented(self.out, summary, "  ")?;
        if let Some(s) = suppressed {
            self.out.write_all(b",\n  \"suppressed\": ")?;
            indented(self.out, &s, "  ")?;
        }
        self.out.write_all(b"\n}\n")
    }
}
