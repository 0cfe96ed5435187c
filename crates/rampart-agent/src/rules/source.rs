//! The YAML rule-file format: a sequence of `list`, `macro` and `rule` items, parsed with the
//! position of every item and condition so errors can say `file:line:col`.
//!
//! ```yaml
//! - list: shell_binaries
//!   items: [sh, bash, ash]
//! - macro: spawned_process
//!   condition: evt.type = exec
//! - rule: shell-in-container
//!   id: RMP8001
//!   title: Shell started in a container
//!   severity: high
//!   mitre: [T1059.004]
//!   condition: spawned_process and container and proc.name in (shell_binaries)
//!   exceptions:
//!     - name: entrypoint
//!       condition: proc.vpid = 1
//!   output: shell %proc.name in %container.name
//! ```

use serde::Deserialize;
use serde_saphyr::Spanned;

/// A position in a rule file (1-based; 0 = unknown).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct At {
    pub line: u32,
    pub column: u32,
}

impl At {
    fn of(l: &serde_saphyr::Location) -> At {
        At {
            line: u32::try_from(l.line()).unwrap_or(0),
            column: u32::try_from(l.column()).unwrap_or(0),
        }
    }
}

/// A string with the position of its value.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Text {
    pub value: String,
    pub at: At,
}

impl From<Spanned<String>> for Text {
    fn from(s: Spanned<String>) -> Self {
        Text {
            value: s.value,
            at: At::of(&s.referenced),
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawItem {
    list: Option<Spanned<String>>,
    items: Option<Vec<Spanned<serde_json::Value>>>,
    #[serde(rename = "macro")]
    macro_: Option<Spanned<String>>,
    rule: Option<Spanned<String>>,
    id: Option<Spanned<String>>,
    title: Option<String>,
    severity: Option<Spanned<String>>,
    #[serde(default)]
    mitre: Vec<String>,
    condition: Option<Spanned<String>>,
    #[serde(default)]
    exceptions: Vec<RawException>,
    output: Option<String>,
    enabled: Option<bool>,
    desc: Option<String>,
    why: Option<String>,
    fix: Option<String>,
    example: Option<String>,
    #[serde(default)]
    references: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawException {
    name: String,
    condition: Spanned<String>,
}

/// One exception of a rule: the rule does not fire when `condition` holds.
#[derive(Debug, Clone)]
pub struct ExceptionSrc {
    pub name: String,
    pub condition: Text,
}

/// A rule as written, before its condition is compiled.
#[derive(Debug, Clone, Default)]
pub struct RuleSrc {
    pub name: Text,
    pub id: Text,
    pub title: String,
    pub severity: Text,
    pub mitre: Vec<String>,
    pub condition: Text,
    pub exceptions: Vec<ExceptionSrc>,
    pub output: String,
    pub enabled: bool,
    pub desc: String,
    pub why: String,
    pub fix: String,
    pub example: String,
    pub references: Vec<String>,
}

/// One item of a rule file.
#[derive(Debug, Clone)]
pub enum Item {
    List { name: Text, items: Vec<String> },
    Macro { name: Text, condition: Text },
    Rule(Box<RuleSrc>),
}

/// A problem in a rule file, at a position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceError {
    pub at: At,
    pub message: String,
}

fn scalar(v: &serde_json::Value) -> Option<String> {
    match v {
        serde_json::Value::String(s) => Some(s.clone()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        serde_json::Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// Parses a rule file's text into items. The first structural error ends parsing.
pub fn parse(text: &str) -> Result<Vec<Item>, SourceError> {
    if text
        .lines()
        .all(|l| l.trim().is_empty() || l.trim_start().starts_with('#'))
    {
        return Ok(Vec::new());
    }
    let raw: Vec<Spanned<RawItem>> = serde_saphyr::from_str(text).map_err(|e| SourceError {
        at: e.location().map_or(At::default(), |l| At::of(&l)),
        message: first_line(&e.without_snippet().to_string()),
    })?;
    raw.into_iter().map(item).collect()
}

fn first_line(text: &str) -> String {
    let first = text.lines().next().unwrap_or("invalid YAML").trim();
    match first.rfind(" at line ") {
        Some(i) => first[..i].to_string(),
        None => first.to_string(),
    }
}

fn item(raw: Spanned<RawItem>) -> Result<Item, SourceError> {
    let at = At::of(&raw.referenced);
    let r = raw.value;
    let err = |message: String| SourceError { at, message };
    let kinds = [r.list.is_some(), r.macro_.is_some(), r.rule.is_some()];
    if kinds.iter().filter(|k| **k).count() != 1 {
        return Err(err(
            "each item must have exactly one of `list`, `macro` or `rule`".into(),
        ));
    }
    if let Some(name) = r.list {
        let Some(items) = r.items else {
            return Err(err(format!("list `{}` has no `items`", name.value)));
        };
        let mut values = Vec::new();
        for v in items {
            match scalar(&v.value) {
                Some(s) => values.push(s),
                None => {
                    return Err(SourceError {
                        at: At::of(&v.referenced),
                        message: "list items must be strings or numbers".into(),
                    })
                }
            }
        }
        return Ok(Item::List {
            name: name.into(),
            items: values,
        });
    }
    if let Some(name) = r.macro_ {
        let Some(condition) = r.condition else {
            return Err(err(format!("macro `{}` has no `condition`", name.value)));
        };
        return Ok(Item::Macro {
            name: name.into(),
            condition: condition.into(),
        });
    }
    let name: Text = r.rule.map(Text::from).unwrap_or_default();
    let missing = |what: &str| err(format!("rule `{}` has no `{what}`", name.value));
    let id = r.id.ok_or_else(|| missing("id"))?;
    let severity = r.severity.ok_or_else(|| missing("severity"))?;
    let condition = r.condition.ok_or_else(|| missing("condition"))?;
    Ok(Item::Rule(Box::new(RuleSrc {
        title: r.title.unwrap_or_else(|| name.value.clone()),
        name,
        id: id.into(),
        severity: severity.into(),
        mitre: r.mitre,
        condition: condition.into(),
        exceptions: r
            .exceptions
            .into_iter()
            .map(|e| ExceptionSrc {
                name: e.name,
                condition: e.condition.into(),
            })
            .collect(),
        output: r.output.unwrap_or_default(),
        enabled: r.enabled.unwrap_or(true),
        desc: r.desc.unwrap_or_default(),
        why: r.why.unwrap_or_default(),
        fix: r.fix.unwrap_or_default(),
        example: r.example.unwrap_or_default(),
        references: r.references,
    })))
}
