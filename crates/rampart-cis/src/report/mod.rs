//! Rendering a node's [`Report`](crate::Report): JSON (the `rampart cis check` contract), a text
//! table grouped by component, SARIF 2.1.0 and JUnit XML. Pure functions: no I/O.

mod junit;
mod sarif;
mod text;

pub use junit::to_junit;
pub use sarif::to_sarif;
pub use text::to_text;

use crate::Report;

/// `{"benchmark": "cis-1.12", "checks": [...], "summary": {...}}`, pretty-printed.
pub fn to_json(report: &Report) -> String {
    let mut s =
        serde_json::to_string_pretty(report).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    s.push('\n');
    s
}

/// `file:line`, `file` or nothing.
pub(crate) fn location(file: Option<&str>, line: Option<u32>) -> String {
    match (file, line) {
        (Some(f), Some(l)) if l > 0 => format!("{f}:{l}"),
        (Some(f), _) => f.to_string(),
        _ => String::new(),
    }
}
