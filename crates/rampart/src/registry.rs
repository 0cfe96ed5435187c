//! The single list of rules: every engine's rules in id order.

use rampart_model::RuleMeta;

use crate::cmd;

/// Every rule, sorted by id.
pub fn all() -> Vec<&'static RuleMeta> {
    let mut rules: Vec<&'static RuleMeta> = Vec::new();
    rules.extend(cmd::pss::rules());
    rules.extend(cmd::rbac::rules());
    rules.extend(cmd::netpol::rules());
    rules.extend(cmd::secrets::rules());
    rules.extend(cmd::audit::rules());
    rules.extend(cmd::cis::rules());
    rules.extend(cmd::agent::rules());
    rules.sort_by_key(|r| r.id);
    rules
}

/// Finds a rule by id or name (case-insensitive).
pub fn find(key: &str) -> Option<&'static RuleMeta> {
    all()
        .into_iter()
        .find(|r| r.id.eq_ignore_ascii_case(key) || r.name.eq_ignore_ascii_case(key))
}

pub fn to_json(r: &RuleMeta) -> serde_json::Value {
    serde_json::json!({
        "id": r.id, "name": r.name, "title": r.title, "severity": r.severity,
        "category": r.category, "mitre": r.mitre, "what": r.what, "why": r.why,
        "fix": r.fix, "example": r.example, "references": r.references,
    })
}

/// The rule's documentation as Markdown-flavoured text.
pub fn explain(r: &RuleMeta) -> String {
    let mut s = format!(
        "{} {}: {}\n\nseverity: {}  category: {}",
        r.id, r.name, r.title, r.severity, r.category
    );
    if !r.mitre.is_empty() {
        s.push_str(&format!("  MITRE ATT&CK: {}", r.mitre.join(", ")));
    }
    s.push_str(&format!(
        "\n\n## What it does\n{}\n\n## Why it matters\n{}\n\n## How to fix\n{}\n",
        r.what, r.why, r.fix
    ));
    if !r.example.is_empty() {
        s.push_str(&format!(
            "\n## Example\n```yaml\n{}\n```\n",
            r.example.trim_end()
        ));
    }
    if !r.references.is_empty() {
        s.push_str("\n## References\n");
        for link in r.references {
            s.push_str(&format!("- {link}\n"));
        }
    }
    s
}
