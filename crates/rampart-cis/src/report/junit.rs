//! JUnit XML: a test suite per component group, a test case per check; failed and warned checks
//! are failures, skipped and manual ones are skipped.

use std::fmt::Write;

use crate::check::Status;
use crate::report::location;
use crate::Report;

fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&apos;"),
            c if (c as u32) < 0x20 && !matches!(c, '\n' | '\t' | '\r') => {}
            c => o.push(c),
        }
    }
    o
}

/// The JUnit document for a report.
pub fn to_junit(report: &Report) -> String {
    let s = report.summary;
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<testsuites name=\"rampart cis check\" tests=\"{}\" failures=\"{}\" skipped=\"{}\">",
        report.checks.len(),
        s.fail + s.warn,
        s.skip + s.manual
    );
    let mut groups: Vec<_> = report.checks.iter().map(|c| c.group).collect();
    groups.dedup();
    groups.sort();
    groups.dedup();
    for g in groups {
        let cases: Vec<_> = report.checks.iter().filter(|c| c.group == g).collect();
        let failures = cases
            .iter()
            .filter(|c| matches!(c.status, Status::Fail | Status::Warn))
            .count();
        let skipped = cases
            .iter()
            .filter(|c| matches!(c.status, Status::Skip | Status::Manual))
            .count();
        let _ = writeln!(
            out,
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{failures}\" skipped=\"{skipped}\">",
            esc(g.label()),
            cases.len()
        );
        for c in cases {
            let _ = write!(
                out,
                "    <testcase classname=\"{}.{}\" name=\"{} {}\"",
                report.benchmark,
                esc(&format!("{g:?}")),
                c.id,
                esc(&c.title)
            );
            match c.status {
                Status::Pass => out.push_str("/>\n"),
                Status::Fail | Status::Warn => {
                    let loc = location(c.file.as_deref(), c.line);
                    let _ = writeln!(
                        out,
                        ">\n      <failure type=\"{}\" message=\"{}\">{}\n{}</failure>\n    </testcase>",
                        c.status.as_str(),
                        esc(&c.evidence),
                        esc(&loc),
                        esc(&c.remediation)
                    );
                }
                Status::Skip | Status::Manual => {
                    let _ = writeln!(
                        out,
                        ">\n      <skipped message=\"{}: {}\"/>\n    </testcase>",
                        c.status.as_str(),
                        esc(&c.evidence)
                    );
                }
            }
        }
        out.push_str("  </testsuite>\n");
    }
    out.push_str("</testsuites>\n");
    out
}
