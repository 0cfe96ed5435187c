//! One finding as compact JSON, byte for byte what `serde_json::to_writer` prints for it, but
//! cheaper: a large scan writes hundreds of thousands of findings that share a few dozen rules,
//! a few thousand files and objects, so the parts that repeat (a rule's id, name, severity,
//! category, MITRE ids and remediation; a file name; an object) are escaped once and copied.

use std::collections::HashMap;
use std::io;

use rampart_model::{Category, Finding, ObjectRef, Severity};
use serde::Serialize;

/// What a rule contributes to every finding of it, and those parts already written as JSON.
struct RuleParts {
    name: String,
    severity: Severity,
    category: Category,
    mitre: Vec<&'static str>,
    remediation: String,
    /// `{"rule":…,"name":…,"severity":…,"category":…,"message":`
    head: Vec<u8>,
    /// `"mitre":[…],"remediation":…`
    tail: Vec<u8>,
}

impl RuleParts {
    fn of(f: &Finding) -> io::Result<Self> {
        let mut head = b"{\"rule\":".to_vec();
        serde_json::to_writer(&mut head, &f.rule)?;
        head.extend_from_slice(b",\"name\":");
        serde_json::to_writer(&mut head, &f.name)?;
        head.extend_from_slice(b",\"severity\":");
        serde_json::to_writer(&mut head, &f.severity)?;
        head.extend_from_slice(b",\"category\":");
        serde_json::to_writer(&mut head, &f.category)?;
        head.extend_from_slice(b",\"message\":");
        let mut tail = b"\"mitre\":".to_vec();
        serde_json::to_writer(&mut tail, &f.mitre)?;
        tail.extend_from_slice(b",\"remediation\":");
        serde_json::to_writer(&mut tail, &f.remediation)?;
        Ok(Self {
            name: f.name.to_string(),
            severity: f.severity,
            category: f.category,
            mitre: f.mitre.to_vec(),
            remediation: f.remediation.to_string(),
            head,
            tail,
        })
    }

    /// Whether `f` has exactly this rule's parts (configuration can change a severity, and a
    /// rule id could in principle come with different metadata).
    fn fits(&self, f: &Finding) -> bool {
        self.severity == f.severity
            && self.category == f.category
            && self.name == f.name
            && self.mitre[..] == f.mitre[..]
            && self.remediation == f.remediation
    }
}

/// Writes findings, remembering the repeated parts.
#[derive(Default)]
pub struct FindingWriter {
    rules: HashMap<String, RuleParts>,
    file: Last<String>,
    object: Last<ObjectRef>,
}

impl FindingWriter {
    /// Appends `f` as compact JSON to `out`.
    pub fn write(&mut self, out: &mut Vec<u8>, f: &Finding) -> io::Result<()> {
        let rule = match self.rules.get(f.rule.as_ref()) {
            Some(parts) if parts.fits(f) => parts,
            _ => {
                let parts = RuleParts::of(f)?;
                self.rules.insert(f.rule.to_string(), parts);
                self.rules
                    .get(f.rule.as_ref())
                    .ok_or_else(|| io::Error::other("rule cache lost an entry"))?
            }
        };
        out.extend_from_slice(&rule.head);
        serde_json::to_writer(&mut *out, &f.message)?;

        out.extend_from_slice(b",\"file\":");
        self.file.write(out, &f.file)?;
        out.extend_from_slice(b",\"line\":");
        serde_json::to_writer(&mut *out, &f.line)?;
        out.extend_from_slice(b",\"column\":");
        serde_json::to_writer(&mut *out, &f.column)?;
        if let Some(object) = &f.object {
            out.extend_from_slice(b",\"object\":");
            self.object.write(out, object)?;
        }
        optional(out, b",\"container\":", f.container.as_ref())?;
        optional(out, b",\"path\":", f.path.as_ref())?;
        out.push(b',');
        out.extend_from_slice(&rule.tail);
        optional(out, b",\"audit_id\":", f.audit_id.as_ref())?;
        optional(out, b",\"fingerprint\":", f.fingerprint.as_ref())?;
        optional(out, b",\"event\":", f.event.as_ref())?;
        out.push(b'}');
        Ok(())
    }
}

/// Writes `key` and the value's JSON when there is a value (serde's `skip_serializing_if`).
fn optional<T: Serialize>(out: &mut Vec<u8>, key: &[u8], value: Option<&T>) -> io::Result<()> {
    if let Some(v) = value {
        out.extend_from_slice(key);
        serde_json::to_writer(&mut *out, v)?;
    }
    Ok(())
}

/// The last value written and its JSON: consecutive findings mostly share a file and object.
struct Last<T> {
    value: Option<T>,
    json: Vec<u8>,
}

impl<T> Default for Last<T> {
    fn default() -> Self {
        Self {
            value: None,
            json: Vec::new(),
        }
    }
}

impl<T: Serialize + PartialEq + Clone> Last<T> {
    fn write(&mut self, out: &mut Vec<u8>, value: &T) -> io::Result<()> {
        if self.value.as_ref() != Some(value) {
            self.json.clear();
            serde_json::to_writer(&mut self.json, value)?;
            self.value = Some(value.clone());
        }
        out.extend_from_slice(&self.json);
        Ok(())
    }
}

#[cfg(test)]
mod tests;
