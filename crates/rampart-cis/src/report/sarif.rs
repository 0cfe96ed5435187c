//! SARIF 2.1.0: one rule per CIS check, one result per failed or warned check.

use serde_json::{json, Value};

use crate::check::Status;
use crate::Report;

/// The SARIF log for a report.
pub fn to_sarif(report: &Report) -> String {
    let rules: Vec<Value> = report
        .checks
        .iter()
        .map(|c| {
            json!({
                "id": format!("CIS-{}", c.id),
                "name": format!("cis-{}", c.id.replace('.', "-")),
                "shortDescription": {"text": c.title},
                "help": {"text": c.remediation},
                "properties": {"benchmark": report.benchmark, "scored": c.scored, "assessment": c.assessment, "group": c.group},
            })
        })
        .collect();
    let results: Vec<Value> = report
        .checks
        .iter()
        .enumerate()
        .filter(|(_, c)| matches!(c.status, Status::Fail | Status::Warn))
        .map(|(i, c)| {
            let mut r = json!({
                "ruleId": format!("CIS-{}", c.id),
                "ruleIndex": i,
                "level": if c.status == Status::Fail { "error" } else { "warning" },
                "message": {"text": format!("{}: {}", c.title, c.evidence)},
            });
            if let Some(file) = &c.file {
                let mut phys = json!({"artifactLocation": {"uri": file.trim_start_matches('/')}});
                if let Some(line) = c.line.filter(|l| *l > 0) {
                    phys["region"] = json!({"startLine": line});
                }
                r["locations"] = json!([{"physicalLocation": phys}]);
            }
            r
        })
        .collect();
    let log = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "rampart", "informationUri": "https://www.cisecurity.org/benchmark/kubernetes", "rules": rules}},
            "results": results,
        }],
    });
    let mut s = serde_json::to_string_pretty(&log).unwrap_or_default();
    s.push('\n');
    s
}
