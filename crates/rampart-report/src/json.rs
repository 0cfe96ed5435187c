//! The JSON report: `{"version": 1, "findings": [...], "errors": [...], "summary": {...}}`.
//! The schema is documented in `docs/json-output.md`; it changes only additively.

use std::io::Write;

use rampart_model::{Finding, InputError};
use serde::Serialize;

use crate::{Report, Summary};

#[derive(Serialize)]
struct Doc<'a> {
    version: u32,
    findings: &'a [Finding],
    errors: &'a [InputError],
    summary: &'a Summary,
}

fn doc<'a>(report: &'a Report<'_>) -> Doc<'a> {
    Doc {
        version: 1,
        findings: report.findings,
        errors: report.errors,
        summary: &report.summary,
    }
}

/// Pretty-printed JSON with a trailing newline.
pub fn to_json(report: &Report<'_>) -> String {
    let mut s = serde_json::to_string_pretty(&doc(report))
        .unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    s.push('\n');
    s
}

/// Streams the same JSON to `out` without building it in memory first (large scans).
pub fn write_json(report: &Report<'_>, out: &mut dyn Write) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &doc(report))?;
    out.write_all(b"\n")
}
