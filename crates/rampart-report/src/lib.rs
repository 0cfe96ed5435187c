//! Renders a scan's findings and input errors as human text, JSON, SARIF 2.1.0 and JUnit XML.
//!
//! Renderers never read files: the text renderer gets source lines through [`SourceLines`], and
//! it never prints a line that a `secrets` finding points at, so secret values stay masked.

mod json;
mod junit;
mod sarif;
mod summary;
mod text;

use rampart_model::{Finding, InputError, RuleMeta};

pub use json::{to_json, write_json};
pub use junit::to_junit;
pub use sarif::to_sarif;
pub use summary::Summary;
pub use text::{to_text, TextOptions};

/// Source lines for the text renderer's snippets.
pub trait SourceLines {
    /// The 1-based `line` of `file`, if known.
    fn line(&self, file: &str, line: u32) -> Option<&str>;
}

/// No snippets.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoSources;

impl SourceLines for NoSources {
    fn line(&self, _file: &str, _line: u32) -> Option<&str> {
        None
    }
}

/// Everything a renderer needs.
pub struct Report<'a> {
    pub findings: &'a [Finding],
    pub errors: &'a [InputError],
    pub summary: Summary,
    /// Metadata of the rules that may appear (SARIF lists them as the tool's rules).
    pub rules: &'a [&'static RuleMeta],
    pub sources: &'a dyn SourceLines,
}

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutputFormat {
    Text,
    Json,
    Sarif,
    Junit,
}

/// Renders `report` in `format` (text without colour; use [`to_text`] for colour).
pub fn render(format: OutputFormat, report: &Report<'_>) -> String {
    match format {
        OutputFormat::Text => to_text(report, &TextOptions::default()),
        OutputFormat::Json => to_json(report),
        OutputFormat::Sarif => to_sarif(report),
        OutputFormat::Junit => to_junit(report),
    }
}

#[cfg(test)]
mod tests;
