//! Human-readable text: findings grouped by file, each with the source line and a caret.

use std::collections::HashSet;
use std::fmt::Write;

use owo_colors::OwoColorize;
use rampart_model::{Category, Finding, Severity};

use crate::Report;

/// Text rendering options.
#[derive(Debug, Clone, Default)]
pub struct TextOptions {
    /// ANSI colours (the CLI turns them on for terminals unless `NO_COLOR` is set).
    pub color: bool,
    /// List input errors in the report (the CLI prints them on stderr already, so it sets this
    /// only when the report goes to a file).
    pub include_errors: bool,
}

fn paint(s: &str, sev: Severity, color: bool) -> String {
    if !color {
        return s.to_string();
    }
    match sev {
        Severity::Critical => s.red().bold().to_string(),
        Severity::High => s.red().to_string(),
        Severity::Medium => s.yellow().to_string(),
        Severity::Low => s.cyan().to_string(),
        Severity::Info => s.dimmed().to_string(),
    }
}

fn dim(s: &str, color: bool) -> String {
    if color {
        s.dimmed().to_string()
    } else {
        s.to_string()
    }
}

/// Renders the report as text.
pub fn to_text(report: &Report<'_>, opts: &TextOptions) -> String {
    // Lines that a secrets finding points at are never echoed: they hold the secret.
    let secret_lines: HashSet<(&str, u32)> = report
        .findings
        .iter()
        .filter(|f| f.category == Category::Secrets)
        .map(|f| (f.file.as_str(), f.line))
        .collect();
    let mut out = String::new();
    let mut current_file: Option<&str> = None;
    for f in report.findings {
        if current_file != Some(f.file.as_str()) {
            if current_file.is_some() {
                out.push('\n');
            }
            let _ = writeln!(
                out,
                "{}",
                if opts.color {
                    f.file.bold().to_string()
                } else {
                    f.file.clone()
                }
            );
            current_file = Some(&f.file);
        }
        finding(&mut out, f, report, &secret_lines, opts.color);
    }
    for e in report.errors.iter().filter(|_| opts.include_errors) {
        let at = if e.line > 0 {
            format!("{}:{}:{}", e.file, e.line, e.column)
        } else {
            e.file.clone()
        };
        let head = paint(
            &format!("error[{}]", e.code),
            Severity::Critical,
            opts.color,
        );
        let _ = writeln!(out, "{head}: {at}: {}", e.message);
    }
    summary(&mut out, report, opts.color);
    out
}

fn finding(
    out: &mut String,
    f: &Finding,
    report: &Report<'_>,
    secret_lines: &HashSet<(&str, u32)>,
    color: bool,
) {
    let head = paint(&format!("{}[{}]", f.severity, f.rule), f.severity, color);
    let _ = writeln!(out, "  {head} {}: {}", f.name, f.message);
    let mut at = format!("{}:{}:{}", f.file, f.line, f.column);
    if let Some(o) = &f.object {
        let _ = write!(at, "  {}", o.display());
    }
    if let Some(c) = &f.container {
        let _ = write!(at, "  container {c}");
    }
    let _ = writeln!(out, "    {} {at}", dim("-->", color));
    if !secret_lines.contains(&(f.file.as_str(), f.line)) {
        if let Some(src) = report.sources.line(&f.file, f.line) {
            let num = f.line.to_string();
            let pad = " ".repeat(num.len());
            let shown: String = src.chars().take(160).collect();
            let caret_at = usize::try_from(f.column.saturating_sub(1)).unwrap_or(0);
            let prefix: String = shown
                .chars()
                .take(caret_at)
                .map(|c| if c == '\t' { '\t' } else { ' ' })
                .collect();
            let _ = writeln!(out, "    {pad} {}", dim("|", color));
            let _ = writeln!(out, "    {} {} {shown}", dim(&num, color), dim("|", color));
            let _ = writeln!(
                out,
                "    {pad} {} {prefix}{}",
                dim("|", color),
                paint("^", f.severity, color)
            );
        }
    }
    if !f.remediation.is_empty() {
        let _ = writeln!(out, "    {} fix: {}", dim("=", color), f.remediation);
    }
}

fn summary(out: &mut String, report: &Report<'_>, color: bool) {
    let s = &report.summary;
    let by_sev: Vec<String> = s
        .by_severity
        .iter()
        .rev()
        .map(|(sev, n)| paint(&format!("{n} {sev}"), *sev, color))
        .collect();
    let _ = write!(
        out,
        "\n{} finding{} in {} object{} from {} file{}",
        s.findings,
        if s.findings == 1 { "" } else { "s" },
        s.objects,
        if s.objects == 1 { "" } else { "s" },
        s.files,
        if s.files == 1 { "" } else { "s" },
    );
    if !by_sev.is_empty() {
        let _ = write!(out, " ({})", by_sev.join(", "));
    }
    if s.suppressed > 0 {
        let _ = write!(out, "; {} suppressed", s.suppressed);
    }
    if s.errors > 0 {
        let _ = write!(
            out,
            "; {} input error{}",
            s.errors,
            if s.errors == 1 { "" } else { "s" }
        );
    }
    out.push('\n');
}
