//! The JSON report: `{"version": 1, "findings": [...], "errors": [...], "summary": {...}}`.
//! The schema is documented in `docs/json-output.md`; it changes only additively.

use crate::Report;

/// Pretty-printed JSON with a trailing newline.
pub fn to_json(report: &Report<'_>) -> String {
    let doc = serde_json::json!({
        "version": 1,
        "findings": report.findings,
        "errors": report.errors,
        "summary": report.summary,
    });
    let mut s =
        serde_json::to_string_pretty(&doc).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    s.push('\n');
    s
}
