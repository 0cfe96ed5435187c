//! Queries written one per line, in the syntax of the conformance suite and of the benchmark
//! generator's `queries.txt`:
//!
//! ```text
//! can-i --as USER [--as-group G]... VERB TARGET [--subresource S] [-n NS] => allow|deny
//! who-can VERB TARGET [--subresource S] [-n NS] => SUBJECT[,SUBJECT...]|-
//! ```
//!
//! Tokens are separated by spaces and never quoted; the `=> answer` part is optional.

use crate::authorize::Holder;
use crate::identity::Identity;
use crate::policy::Policy;
use crate::request::{Request, RequestError};

/// Who is asking.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Asker {
    /// `can-i --as USER --as-group G...`
    User { user: String, groups: Vec<String> },
    /// `who-can`
    Anyone,
}

/// One parsed query line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Query {
    pub asker: Asker,
    pub verb: String,
    pub target: String,
    pub subresource: Option<String>,
    pub namespace: Option<String>,
    /// The answer written after `=>`, if any: `allow`/`deny`, or who-can's joined subjects.
    pub expected: Option<String>,
}

/// What a query answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    Allowed(bool),
    Subjects(Vec<String>),
}

impl Answer {
    /// The form written in `expected.txt`.
    pub fn render(&self) -> String {
        match self {
            Answer::Allowed(true) => "allow".into(),
            Answer::Allowed(false) => "deny".into(),
            Answer::Subjects(s) if s.is_empty() => "-".into(),
            Answer::Subjects(s) => s.join(","),
        }
    }
}

impl Query {
    /// Parses a line; `Ok(None)` for blank and `#` comment lines.
    pub fn parse(line: &str) -> Result<Option<Query>, String> {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            return Ok(None);
        }
        let (q, expected) = match line.split_once(" => ") {
            Some((q, e)) => (q, Some(e.trim().to_string())),
            None => (line, None),
        };
        let mut tokens = q.split(' ').filter(|t| !t.is_empty());
        let command = tokens.next().unwrap_or("");
        let mut user = None;
        let mut groups = Vec::new();
        let mut subresource = None;
        let mut namespace = None;
        let mut positional = Vec::new();
        while let Some(t) = tokens.next() {
            let mut value = || {
                tokens
                    .next()
                    .map(str::to_string)
                    .ok_or(format!("{t} needs a value"))
            };
            match t {
                "--as" => user = Some(value()?),
                "--as-group" => groups.push(value()?),
                "--subresource" => subresource = Some(value()?),
                "-n" | "--namespace" => namespace = Some(value()?),
                _ => positional.push(t.to_string()),
            }
        }
        let asker = match (command, user) {
            ("can-i", Some(user)) => Asker::User { user, groups },
            ("can-i", None) => return Err("can-i needs --as".into()),
            ("who-can", None) if groups.is_empty() => Asker::Anyone,
            ("who-can", _) => return Err("who-can takes no --as/--as-group".into()),
            (other, _) => return Err(format!("unknown command `{other}`")),
        };
        let [verb, target] = <[String; 2]>::try_from(positional)
            .map_err(|p| format!("expected VERB TARGET, got {} words", p.len()))?;
        Ok(Some(Query {
            asker,
            verb,
            target,
            subresource,
            namespace,
            expected,
        }))
    }

    /// The request this query asks about.
    pub fn request(&self) -> Result<Request, RequestError> {
        Request::build(
            &self.verb,
            &self.target,
            self.subresource.as_deref(),
            self.namespace.as_deref(),
        )
    }

    /// Answers the query over `policy`.
    pub fn answer(&self, policy: &Policy) -> Result<Answer, RequestError> {
        let req = self.request()?;
        Ok(match &self.asker {
            Asker::User { user, groups } => Answer::Allowed(
                policy
                    .can_i(&Identity::impersonate(user, groups), &req)
                    .allowed,
            ),
            Asker::Anyone => Answer::Subjects(
                policy
                    .who_can(&req)
                    .iter()
                    .map(|h: &Holder<'_>| h.subject.to_string())
                    .collect(),
            ),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_both_forms() {
        let q = Query::parse("can-i --as ops --as-group g * pods -n ns1 => allow")
            .ok()
            .flatten();
        let q = q.unwrap_or_else(|| panic!("no query"));
        assert_eq!(q.verb, "*");
        assert_eq!(q.namespace.as_deref(), Some("ns1"));
        assert_eq!(q.expected.as_deref(), Some("allow"));
        let w = Query::parse("who-can get pods --subresource log => -")
            .ok()
            .flatten();
        assert!(matches!(
            w,
            Some(Query {
                asker: Asker::Anyone,
                ..
            })
        ));
        assert_eq!(Query::parse("# c"), Ok(None));
        assert!(Query::parse("can-i get pods").is_err());
    }
}
