//! The runtime rule language: YAML files of lists, macros and rules (see [`source`]) compiled
//! into a [`RuleSet`] that turns events into alerts. The shipped rules live in `rules/*.yaml`
//! beside this crate and are embedded in the binary.

mod builtin;
pub mod cond;
mod eval;
pub mod fields;
pub mod source;

use std::collections::HashMap;
use std::fmt;

use rampart_model::{Category, RuleMeta, Severity};

use crate::event::Event;
pub use builtin::{builtin_metas, builtin_rules, BUILTIN_FILES};
use cond::{CondError, Expr, Scope};
use source::{At, Item, RuleSrc, Text};

/// A problem in a rule file, with its position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleError {
    pub file: String,
    pub line: u32,
    pub column: u32,
    pub message: String,
}

impl fmt::Display for RuleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "error[E8001]: {}:{}:{}: {}",
            self.file, self.line, self.column, self.message
        )
    }
}

impl std::error::Error for RuleError {}

/// An alert: a rule that matched an event.
#[derive(Debug, Clone)]
pub struct Alert {
    pub meta: &'static RuleMeta,
    pub message: String,
}

#[derive(Debug, Clone)]
struct Compiled {
    meta: &'static RuleMeta,
    /// Bit `k` set: the rule can match events of kind `k` (from its `evt.type` tests).
    kinds: u32,
    condition: Expr,
    exceptions: Vec<Expr>,
    output: String,
}

/// Compiled rules, ready to evaluate events.
#[derive(Debug, Clone, Default)]
pub struct RuleSet {
    rules: Vec<Compiled>,
}

impl RuleSet {
    /// Compiles rule files in order; later files may redefine lists, macros and rules (a rule
    /// with an existing id replaces it; `enabled: false` switches it off).
    pub fn compile(files: &[(&str, &str)]) -> Result<RuleSet, Vec<RuleError>> {
        let mut c = Compiler::default();
        for (name, text) in files {
            c.file(name, text);
        }
        if c.errors.is_empty() {
            Ok(RuleSet {
                rules: c
                    .rules
                    .into_iter()
                    .filter(|(_, enabled)| *enabled)
                    .map(|(r, _)| r)
                    .collect(),
            })
        } else {
            Err(c.errors)
        }
    }

    pub fn metas(&self) -> Vec<&'static RuleMeta> {
        self.rules.iter().map(|r| r.meta).collect()
    }

    pub fn len(&self) -> usize {
        self.rules.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }

    /// Every rule that fires on `ev`.
    pub fn eval(&self, ev: &Event) -> Vec<Alert> {
        self.rules
            .iter()
            .filter(|r| r.kinds & kind_bit(ev.kind) != 0)
            .filter(|r| r.condition.eval(ev) && !r.exceptions.iter().any(|e| e.eval(ev)))
            .map(|r| Alert {
                meta: r.meta,
                message: render(&r.output, r.meta, ev),
            })
            .collect()
    }
}

fn kind_bit(k: crate::event::Kind) -> u32 {
    1 << (k as u32)
}

/// Expands `%field` references of an output template.
fn render(template: &str, meta: &RuleMeta, ev: &Event) -> String {
    if template.is_empty() {
        return meta.title.to_string();
    }
    let mut out = String::new();
    let mut rest = template;
    while let Some(i) = rest.find('%') {
        out.push_str(&rest[..i]);
        let tail = &rest[i + 1..];
        let end = tail
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '.' || c == '_'))
            .unwrap_or(tail.len());
        let name = tail[..end].trim_end_matches('.');
        if let Some(f) = fields::Field::parse(name) {
            out.push_str(&fields::display(&fields::get(ev, f)));
            rest = &tail[name.len()..];
        } else {
            out.push('%');
            rest = tail;
        }
    }
    out.push_str(rest);
    out
}

fn leak(s: String) -> &'static str {
    Box::leak(s.into_boxed_str())
}

#[derive(Default)]
struct Compiler {
    lists: HashMap<String, Vec<String>>,
    macros: HashMap<String, Expr>,
    rules: Vec<(Compiled, bool)>,
    errors: Vec<RuleError>,
}

impl Compiler {
    fn file(&mut self, file: &str, text: &str) {
        let items = match source::parse(text) {
            Ok(items) => items,
            Err(e) => return self.error(file, e.at, e.message),
        };
        let mut ids_here: HashMap<String, u32> = HashMap::new();
        for item in items {
            match item {
                Item::List { name, items } => {
                    if let Err(m) = check_name(&name.value) {
                        self.error(file, name.at, m);
                    }
                    // Items that name an earlier list are expanded in place.
                    let expanded = items
                        .into_iter()
                        .flat_map(|i| self.lists.get(&i).cloned().unwrap_or_else(|| vec![i]))
                        .collect();
                    self.lists.insert(name.value, expanded);
                }
                Item::Macro { name, condition } => {
                    if let Err(m) = check_name(&name.value) {
                        self.error(file, name.at, m);
                    }
                    if let Some(e) = self.condition(file, text, &condition) {
                        self.macros.insert(name.value, e);
                    }
                }
                Item::Rule(r) => {
                    if let Some(prev) = ids_here.insert(r.id.value.clone(), r.id.at.line) {
                        self.error(
                            file,
                            r.id.at,
                            format!("duplicate rule id `{}` (first at line {prev})", r.id.value),
                        );
                        continue;
                    }
                    self.rule(file, text, *r);
                }
            }
        }
    }

    fn rule(&mut self, file: &str, text: &str, r: RuleSrc) {
        let before = self.errors.len();
        if !valid_id(&r.id.value) {
            self.error(
                file,
                r.id.at,
                format!(
                    "rule id `{}` must be letters then digits, e.g. RMP8001",
                    r.id.value
                ),
            );
        }
        if !r
            .name
            .value
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            || r.name.value.is_empty()
        {
            self.error(
                file,
                r.name.at,
                format!("rule name `{}` must be kebab-case", r.name.value),
            );
        }
        let severity = match r.severity.value.parse::<Severity>() {
            Ok(s) => s,
            Err(e) => {
                self.error(file, r.severity.at, e.to_string());
                Severity::Medium
            }
        };
        for t in &r.mitre {
            if !valid_mitre(t) {
                self.error(
                    file,
                    r.name.at,
                    format!("`{t}` is not a MITRE ATT&CK technique id (T1234 or T1234.001)"),
                );
            }
        }
        if let Some(bad) = template_fields(&r.output).find(|f| fields::Field::parse(f).is_none()) {
            self.error(
                file,
                r.name.at,
                format!("output refers to unknown field `%{bad}`"),
            );
        }
        let condition = self.condition(file, text, &r.condition);
        let exceptions: Vec<Expr> = r
            .exceptions
            .iter()
            .filter_map(|e| self.condition(file, text, &e.condition))
            .collect();
        if self.errors.len() > before {
            return;
        }
        let Some(condition) = condition else { return };
        let meta: &'static RuleMeta = Box::leak(Box::new(RuleMeta {
            id: leak(r.id.value.clone()),
            name: leak(r.name.value.clone()),
            title: leak(r.title),
            severity,
            category: Category::Runtime,
            mitre: Box::leak(
                r.mitre
                    .into_iter()
                    .map(leak)
                    .collect::<Vec<_>>()
                    .into_boxed_slice(),
            ),
            what: leak(r.desc),
            why: leak(r.why),
            fix: leak(r.fix),
            example: leak(r.example),
            references: Box::leak(
                r.references
                    .into_iter()
                    .map(leak)
                    .collect::<Vec<_>>()
                    .into_boxed_slice(),
            ),
        }));
        let compiled = Compiled {
            meta,
            kinds: eval::kinds(&condition),
            condition,
            exceptions,
            output: r.output,
        };
        match self.rules.iter_mut().find(|(c, _)| c.meta.id == meta.id) {
            Some(slot) => *slot = (compiled, r.enabled),
            None => self.rules.push((compiled, r.enabled)),
        }
    }

    fn condition(&mut self, file: &str, text: &str, cond: &Text) -> Option<Expr> {
        let scope = Scope {
            lists: &self.lists,
            macros: &self.macros,
        };
        match cond::parse(&cond.value, &scope) {
            Ok(e) => Some(e),
            Err(e) => {
                let at = locate(text, cond, &e);
                self.error(file, at, e.message);
                None
            }
        }
    }

    fn error(&mut self, file: &str, at: At, message: String) {
        self.errors.push(RuleError {
            file: file.to_string(),
            line: at.line,
            column: at.column,
            message,
        });
    }
}

fn check_name(name: &str) -> Result<(), String> {
    if fields::Field::parse(name).is_some() || ["and", "or", "not", "in", "exists"].contains(&name)
    {
        return Err(format!(
            "`{name}` is a field or keyword and cannot be redefined"
        ));
    }
    Ok(())
}

fn valid_id(id: &str) -> bool {
    let digits = id.trim_start_matches(|c: char| c.is_ascii_uppercase());
    digits.len() < id.len() && !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit())
}

fn valid_mitre(t: &str) -> bool {
    let Some(rest) = t.strip_prefix('T') else {
        return false;
    };
    let (main, sub) = rest.split_once('.').unwrap_or((rest, ""));
    main.len() == 4
        && main.chars().all(|c| c.is_ascii_digit())
        && (sub.is_empty() || (sub.len() == 3 && sub.chars().all(|c| c.is_ascii_digit())))
}

fn template_fields(t: &str) -> impl Iterator<Item = &str> {
    t.split('%')
        .skip(1)
        .map(|s| {
            let end = s
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '.' || c == '_'))
                .unwrap_or(s.len());
            s[..end].trim_end_matches('.')
        })
        .filter(|s| !s.is_empty())
}

/// Maps an error offset inside a condition to a file position: the first occurrence of the
/// offending token at or after the condition's start (conditions may be folded over lines).
fn locate(text: &str, cond: &Text, e: &CondError) -> At {
    let token: String = cond
        .value
        .get(e.offset..)
        .unwrap_or("")
        .chars()
        .take_while(|c| !c.is_whitespace())
        .collect();
    if token.is_empty() {
        return cond.at;
    }
    for (idx, line) in text
        .lines()
        .enumerate()
        .skip(cond.at.line.saturating_sub(1) as usize)
    {
        let line_no = u32::try_from(idx + 1).unwrap_or(u32::MAX);
        let from = if line_no == cond.at.line {
            cond.at.column.saturating_sub(1) as usize
        } else {
            0
        };
        let from = line.char_indices().nth(from).map_or(line.len(), |(b, _)| b);
        if let Some(pos) = line[from..].find(&token) {
            let col = line[..from + pos].chars().count() + 1;
            return At {
                line: line_no,
                column: u32::try_from(col).unwrap_or(0),
            };
        }
    }
    cond.at
}

#[cfg(test)]
mod tests;
