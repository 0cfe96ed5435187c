//! A table per component group: check, status, title and evidence with its location.

use std::fmt::Write;

use crate::check::Status;
use crate::report::location;
use crate::Report;

const TITLE_WIDTH: usize = 58;

fn cut(s: &str, width: usize) -> String {
    if s.chars().count() <= width {
        return format!("{s:width$}");
    }
    let mut t: String = s.chars().take(width.saturating_sub(1)).collect();
    t.push('…');
    t
}

/// Human-readable report; `show_all` also lists skipped and manual checks.
pub fn to_text(report: &Report, show_all: bool) -> String {
    let mut out = String::new();
    let mut group = None;
    for c in &report.checks {
        if !show_all && matches!(c.status, Status::Skip | Status::Manual) {
            continue;
        }
        if group != Some(c.group) {
            group = Some(c.group);
            let _ = writeln!(out, "\n{}", c.group.label());
            let _ = writeln!(
                out,
                "  {:<7} {:<6} {:<TITLE_WIDTH$} EVIDENCE",
                "CHECK", "STATUS", "TITLE"
            );
        }
        let status = c.status.as_str().to_uppercase();
        let _ = writeln!(
            out,
            "  {:<7} {:<6} {} {}",
            c.id,
            status,
            cut(&c.title, TITLE_WIDTH),
            c.evidence
        );
        let loc = location(c.file.as_deref(), c.line);
        if !loc.is_empty() && matches!(c.status, Status::Fail | Status::Warn) {
            let _ = writeln!(out, "  {:<7} {:<6} {:<TITLE_WIDTH$} at {loc}", "", "", "");
        }
        for n in &c.notes {
            let _ = writeln!(out, "  {:<7} {:<6} {:<TITLE_WIDTH$} note: {n}", "", "", "");
        }
    }
    let s = report.summary;
    let _ = writeln!(
        out,
        "\n{}: {} pass, {} fail, {} warn, {} manual, {} skip",
        report.benchmark, s.pass, s.fail, s.warn, s.manual, s.skip
    );
    out
}
