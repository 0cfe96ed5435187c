//! Reading `audit.k8s.io/v1` Events (JSON lines, or an `EventList`) into the requests they
//! record, as the authorizer saw them.

use rampart_model::InputError;
use serde::Deserialize;
use serde_json::Value;

use crate::request::{Request, ResourceRequest};

/// Error code for an audit log line that is not an Event.
pub const E_AUDIT: &str = "E3003";

#[derive(Debug, Clone, Default, Deserialize)]
pub struct UserInfo {
    #[serde(default)]
    pub username: String,
    #[serde(default)]
    pub groups: Vec<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct ObjectRef {
    #[serde(default)]
    resource: String,
    #[serde(default)]
    namespace: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    api_group: String,
    #[serde(default)]
    subresource: String,
}

/// The parts of an audit Event that authorization depends on.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Event {
    #[serde(default, rename = "auditID")]
    pub audit_id: String,
    #[serde(default)]
    pub verb: String,
    #[serde(default, rename = "requestURI")]
    pub request_uri: String,
    #[serde(default)]
    pub user: UserInfo,
    pub impersonated_user: Option<UserInfo>,
    object_ref: Option<ObjectRef>,
}

impl Event {
    /// The user the request was authorized as (the impersonated one, if any).
    pub fn effective_user(&self) -> &str {
        self.impersonated_user
            .as_ref()
            .map_or(&self.user.username, |u| &u.username)
    }

    /// The request as the RBAC authorizer saw it.
    pub fn request(&self) -> Request {
        match &self.object_ref {
            Some(o) if !o.resource.is_empty() => {
                // A create is authorized before the object (and so its name) exists; only a
                // create on a subresource of a named object carries a name.
                let name = if self.verb == "create" && o.subresource.is_empty() {
                    String::new()
                } else {
                    o.name.clone()
                };
                Request::Resource(ResourceRequest {
                    verb: self.verb.clone(),
                    api_group: o.api_group.clone(),
                    resource: o.resource.clone(),
                    subresource: o.subresource.clone(),
                    name,
                    namespace: o.namespace.clone(),
                })
            }
            _ => Request::NonResource {
                verb: self.verb.clone(),
                path: self
                    .request_uri
                    .split('?')
                    .next()
                    .unwrap_or_default()
                    .to_string(),
            },
        }
    }
}

/// Parses a log: one Event (or EventList) per line, or the whole text as one JSON document.
/// Events are deduplicated by `auditID` (a request logs one event per stage).
pub fn parse(file: &str, text: &str) -> (Vec<Event>, Vec<InputError>) {
    let mut events = Vec::new();
    let mut errors = Vec::new();
    let mut bad_lines = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        match serde_json::from_str::<Value>(line) {
            Ok(v) => push(v, &mut events, &mut errors, file, n + 1),
            Err(e) => bad_lines.push((n + 1, e.to_string())),
        }
    }
    if !bad_lines.is_empty() {
        // Perhaps one pretty-printed document.
        match serde_json::from_str::<Value>(text) {
            Ok(v) => {
                events.clear();
                errors.clear();
                push(v, &mut events, &mut errors, file, 1);
            }
            Err(_) => errors.extend(bad_lines.into_iter().map(|(line, message)| InputError {
                code: E_AUDIT,
                file: file.to_string(),
                line: u32::try_from(line).unwrap_or(u32::MAX),
                column: 1,
                message: format!("not a JSON audit event: {message}"),
            })),
        }
    }
    let mut seen = std::collections::HashSet::new();
    events.retain(|e: &Event| e.audit_id.is_empty() || seen.insert(e.audit_id.clone()));
    (events, errors)
}

fn push(v: Value, events: &mut Vec<Event>, errors: &mut Vec<InputError>, file: &str, line: usize) {
    if v.get("kind").and_then(Value::as_str) == Some("EventList") {
        let items = v
            .get("items")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        for item in items {
            push(item, events, errors, file, line);
        }
        return;
    }
    match serde_json::from_value::<Event>(v) {
        Ok(e) if !e.verb.is_empty() => events.push(e),
        Ok(_) => errors.push(error(file, line, "an audit event needs a `verb`".into())),
        Err(e) => errors.push(error(file, line, format!("not an audit event: {e}"))),
    }
}

fn error(file: &str, line: usize, message: String) -> InputError {
    InputError {
        code: E_AUDIT,
        file: file.to_string(),
        line: u32::try_from(line).unwrap_or(u32::MAX),
        column: 1,
        message,
    }
}
