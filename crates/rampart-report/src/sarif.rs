//! SARIF 2.1.0 (OASIS), as GitHub code scanning and other SARIF viewers read it.

use std::collections::HashMap;

use rampart_model::{Finding, RuleMeta, Severity};
use serde_json::{json, Value};

use crate::Report;

const SCHEMA: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low | Severity::Info => "note",
    }
}

/// GitHub's `security-severity` (a CVSS-like score) so alerts sort by severity there.
fn security_severity(s: Severity) -> &'static str {
    match s {
        Severity::Critical => "9.5",
        Severity::High => "8.0",
        Severity::Medium => "5.5",
        Severity::Low => "3.0",
        Severity::Info => "0.0",
    }
}

fn rule_descriptor(r: &RuleMeta) -> Value {
    let mut tags: Vec<String> = vec!["security".into(), r.category.as_str().to_string()];
    tags.extend(r.mitre.iter().map(|m| format!("mitre-attack/{m}")));
    let markdown = format!(
        "**What it does**: {}\n\n**Why it matters**: {}\n\n**How to fix**: {}",
        r.what, r.why, r.fix
    );
    let mut d = json!({
        "id": r.id,
        "name": r.name,
        "shortDescription": {"text": r.title},
        "fullDescription": {"text": r.what},
        "help": {"text": r.fix, "markdown": markdown},
        "defaultConfiguration": {"level": level(r.severity)},
        "properties": {
            "tags": tags,
            "security-severity": security_severity(r.severity),
            "precision": "high",
        },
    });
    if let Some(uri) = r.references.iter().find(|u| u.starts_with("https://")) {
        d["helpUri"] = json!(uri);
    }
    d
}

/// A relative path as a URI reference: forward slashes, spaces and `%` escaped.
fn uri(path: &str) -> String {
    if path == "-" {
        return "stdin".to_string();
    }
    let p = path.replace('\\', "/");
    let p = p.strip_prefix("./").unwrap_or(&p);
    let mut out = String::with_capacity(p.len());
    for c in p.chars() {
        match c {
            ' ' => out.push_str("%20"),
            '%' => out.push_str("%25"),
            '#' => out.push_str("%23"),
            '?' => out.push_str("%3F"),
            _ => out.push(c),
        }
    }
    out
}

fn result(f: &Finding, index: Option<usize>) -> Value {
    let mut physical = json!({"artifactLocation": {"uri": uri(&f.file)}});
    if f.line > 0 {
        physical["region"] = json!({"startLine": f.line, "startColumn": f.column.max(1)});
    }
    let mut location = json!({"physicalLocation": physical});
    if let Some(o) = &f.object {
        location["logicalLocations"] =
            json!([{"fullyQualifiedName": o.display(), "kind": "object"}]);
    }
    let mut r = json!({
        "ruleId": f.rule,
        "level": level(f.severity),
        "message": {"text": f.message},
        "locations": [location],
    });
    if let Some(i) = index {
        r["ruleIndex"] = json!(i);
    }
    let mut props = serde_json::Map::new();
    if let Some(c) = &f.container {
        props.insert("container".into(), json!(c));
    }
    if let Some(p) = &f.path {
        props.insert("path".into(), json!(p.to_string()));
    }
    if let Some(a) = &f.audit_id {
        props.insert("auditId".into(), json!(a));
    }
    if !props.is_empty() {
        r["properties"] = Value::Object(props);
    }
    if let Some(fp) = &f.fingerprint {
        r["partialFingerprints"] = json!({"secretFingerprint/v1": fp});
    }
    r
}

/// The SARIF log: one run, the rules as the driver's rules, input errors as notifications.
pub fn to_sarif(report: &Report<'_>) -> String {
    let index: HashMap<&str, usize> = report
        .rules
        .iter()
        .enumerate()
        .map(|(i, r)| (r.id, i))
        .collect();
    let results: Vec<Value> = report
        .findings
        .iter()
        .map(|f| result(f, index.get(&*f.rule).copied()))
        .collect();
    let notifications: Vec<Value> = report
        .errors
        .iter()
        .map(|e| {
            let mut physical = json!({"artifactLocation": {"uri": uri(&e.file)}});
            if e.line > 0 {
                physical["region"] = json!({"startLine": e.line, "startColumn": e.column.max(1)});
            }
            json!({
                "level": "error",
                "message": {"text": e.message},
                "descriptor": {"id": e.code},
                "locations": [{"physicalLocation": physical}],
            })
        })
        .collect();
    let doc = json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "rampart",
                "semanticVersion": env!("CARGO_PKG_VERSION"),
                "informationUri": "https://example.invalid/rampart",
                "rules": report.rules.iter().map(|r| rule_descriptor(r)).collect::<Vec<_>>(),
            }},
            "invocations": [{
                "executionSuccessful": true,
                "toolExecutionNotifications": notifications,
            }],
            "results": results,
            "columnKind": "unicodeCodePoints",
        }],
    });
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
    s.push('\n');
    s
}
