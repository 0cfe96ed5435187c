//! One finding as compact JSON, byte for byte what `serde_json::to_writer` prints for it, but
//! cheaper: a large scan writes hundreds of thousands of findings that share a few dozen rules,
//! a few thousand files and objects, so the parts that repeat (a rule's id, name, severity,
//! category, MITRE ids and remediation; a file name; an object) are escaped once and copied.

use std::collections::HashMap;
use std::io;

use rampart_model::{Category, Finding, ObjectRef, Severity};

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
    file: Option<(String, Vec<u8>)>,
    object: Option<(ObjectRef, Vec<u8>)>,
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
        match &self.file {
            Some((name, json)) if *name == f.file => out.extend_from_slice(json),
            _ => {
                let mut json = Vec::with_capacity(f.file.len() + 2);
                serde_json::to_writer(&mut json, &f.file)?;
                out.extend_from_slice(&json);
                self.file = Some((f.file.clone(), json));
            }
        }
        out.extend_from_slice(b",\"line\":");
        serde_json::to_writer(&mut *out, &f.line)?;
        out.extend_from_slice(b",\"column\":");
        serde_json::to_writer(&mut *out, &f.column)?;
        if let Some(object) = &f.object {
            out.extend_from_slice(b",\"object\":");
            match &self.object {
                Some((known, json)) if known == object => out.extend_from_slice(json),
                _ => {
                    let json = serde_json::to_vec(object)?;
                    out.extend_from_slice(&json);
                    self.object = Some((object.clone(), json));
                }
            }
        }
        if let Some(container) = &f.container {
            out.extend_from_slice(b",\"container\":");
            serde_json::to_writer(&mut *out, container)?;
        }
        if let Some(path) = &f.path {
            out.extend_from_slice(b",\"path\":");
            serde_json::to_writer(&mut *out, path)?;
        }
        out.push(b',');
        out.extend_from_slice(&rule.tail);
        if let Some(id) = &f.audit_id {
            out.extend_from_slice(b",\"audit_id\":");
            serde_json::to_writer(&mut *out, id)?;
        }
        if let Some(fingerprint) = &f.fingerprint {
            out.extend_from_slice(b",\"fingerprint\":");
            serde_json::to_writer(&mut *out, fingerprint)?;
        }
        if let Some(event) = &f.event {
            out.extend_from_slice(b",\"event\":");
            serde_json::to_writer(&mut *out, event)?;
        }
        out.push(b'}');
        Ok(())
    }
}

#[cfg(test)]
mod tests;
