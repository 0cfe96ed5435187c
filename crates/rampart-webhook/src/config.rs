//! The webhook's own configuration (`--config`): which Rampart workload rules act, and how
//! (`deny` or `warn`, by severity or rule id), plus server limits. Validated at start-up with
//! `file:line:column` errors; unknown fields are errors so a misspelt key is never ignored.
//!
//! ```yaml
//! rules:
//!   deny: {severity: critical, ids: [RMP1001]}
//!   warn: {severity: medium}
//!   ignore: [RMP1010]
//! server:
//!   requestTimeout: 10s
//!   readTimeout: 5s
//!   maxBodyBytes: 3145728
//!   maxConnections: 4096
//!   maxInFlight: 1024
//!   reloadInterval: 2s
//!   decisionCache: true
//! ```

use std::collections::HashSet;
use std::fmt;
use std::time::Duration;

use rampart_manifest::Object;
use rampart_model::{JsonPath, RuleMeta, Severity};
use serde_json::{Map, Value};

/// What to do with a finding of a Rampart rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Deny,
    Warn,
}

/// One `deny`/`warn` selector: every rule at or above `severity`, and every listed id.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Selector {
    pub severity: Option<Severity>,
    pub ids: HashSet<String>,
}

impl Selector {
    fn by_id(&self, id: &str) -> bool {
        self.ids.contains(id)
    }
    fn by_severity(&self, s: Severity) -> bool {
        self.severity.is_some_and(|min| s >= min)
    }
}

/// Rule actions. Empty (the default) means Rampart rules are not run at all.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RuleActions {
    pub deny: Selector,
    pub warn: Selector,
    pub ignore: HashSet<String>,
}

impl RuleActions {
    /// Whether any rule can act (otherwise the rules are skipped entirely).
    pub fn enabled(&self) -> bool {
        self.deny.severity.is_some()
            || self.warn.severity.is_some()
            || !self.deny.ids.is_empty()
            || !self.warn.ids.is_empty()
    }

    /// The action for a finding of `rule` at `severity`. An id listed explicitly wins over a
    /// severity threshold; `ignore` wins over everything.
    pub fn action(&self, rule: &str, severity: Severity) -> Option<Action> {
        if self.ignore.contains(rule) {
            None
        } else if self.deny.by_id(rule) {
            Some(Action::Deny)
        } else if self.warn.by_id(rule) {
            Some(Action::Warn)
        } else if self.deny.by_severity(severity) {
            Some(Action::Deny)
        } else if self.warn.by_severity(severity) {
            Some(Action::Warn)
        } else {
            None
        }
    }
}

/// Server limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Longest time for one request (capped further by kube-apiserver's `?timeout=`).
    pub request_timeout: Duration,
    /// Longest time to receive headers and body, and the TLS handshake.
    pub read_timeout: Duration,
    /// Largest accepted body (kube-apiserver's own limit is 3 MiB).
    pub max_body_bytes: usize,
    /// Open connections; further clients wait in the listen backlog.
    pub max_connections: usize,
    /// Requests being decided at once; others wait until their deadline, then get 503.
    pub max_in_flight: usize,
    /// How often certificate and configuration files are checked for changes.
    pub reload_interval: Duration,
    /// Reuse PSS decisions for identical pod specs (see `decide::cache`).
    pub decision_cache: bool,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            request_timeout: Duration::from_secs(10),
            read_timeout: Duration::from_secs(5),
            max_body_bytes: 3 * 1024 * 1024,
            max_connections: 4096,
            max_in_flight: 1024,
            reload_interval: Duration::from_secs(2),
            decision_cache: true,
        }
    }
}

/// The whole `--config` file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WebhookConfig {
    pub rules: RuleActions,
    pub limits: Limits,
}

/// Configuration problems, each with its position.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct ConfigErrors(pub Vec<String>);

impl fmt::Display for ConfigErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.join("\n"))
    }
}

struct Ctx<'a> {
    object: Option<&'a Object>,
    file: &'a str,
    errors: Vec<String>,
}

impl Ctx<'_> {
    fn err(&mut self, path: &JsonPath, msg: impl fmt::Display) {
        let pos = self.object.map(|o| o.locate(path)).unwrap_or_default();
        self.errors.push(format!(
            "{}:{}:{}: {}: {msg}",
            self.file, pos.line, pos.column, path
        ));
    }
}

impl WebhookConfig {
    /// Parses and validates the text of a configuration file. `known` lists every rule the
    /// webhook can run (ids in `deny`/`warn`/`ignore` must be among them).
    pub fn parse(file: &str, text: &str, known: &[&RuleMeta]) -> Result<Self, ConfigErrors> {
        let (_, objects, input_errors) = rampart_manifest::load_text(file, text.to_string());
        if !input_errors.is_empty() {
            return Err(ConfigErrors(
                input_errors
                    .iter()
                    .map(|e| format!("{}:{}:{}: {}", e.file, e.line, e.column, e.message))
                    .collect(),
            ));
        }
        let mut ctx = Ctx {
            object: objects.first(),
            file,
            errors: Vec::new(),
        };
        if objects.len() > 1 {
            ctx.errors.push(format!(
                "{file}: expected one YAML document, found {}",
                objects.len()
            ));
        }
        let Some(root) = objects.first().map(|o| o.json.clone()) else {
            return Ok(Self::default());
        };
        let cfg = Self::from_value(&root, known, &mut ctx);
        if ctx.errors.is_empty() {
            Ok(cfg)
        } else {
            Err(ConfigErrors(ctx.errors))
        }
    }

    fn from_value(root: &Value, known: &[&RuleMeta], ctx: &mut Ctx<'_>) -> Self {
        let mut cfg = Self::default();
        let top = JsonPath::root();
        let Some(m) = mapping(root, &top, ctx) else {
            return cfg;
        };
        only_keys(m, &top, &["apiVersion", "kind", "rules", "server"], ctx);
        if let Some(r) = m
            .get("rules")
            .and_then(|v| mapping(v, &top.key("rules"), ctx))
        {
            cfg.rules = rule_actions(r, &top.key("rules"), known, ctx);
        }
        if let Some(s) = m
            .get("server")
            .and_then(|v| mapping(v, &top.key("server"), ctx))
        {
            cfg.limits = limits(s, &top.key("server"), ctx);
        }
        cfg
    }
}

fn mapping<'v>(v: &'v Value, path: &JsonPath, ctx: &mut Ctx<'_>) -> Option<&'v Map<String, Value>> {
    match v {
        Value::Object(m) => Some(m),
        Value::Null => None,
        _ => {
            ctx.err(path, "expected a mapping");
            None
        }
    }
}

fn only_keys(m: &Map<String, Value>, path: &JsonPath, known: &[&str], ctx: &mut Ctx<'_>) {
    for k in m.keys() {
        if !known.contains(&k.as_str()) {
            ctx.err(
                &path.key(k.clone()),
                format!("unknown field; expected one of: {}", known.join(", ")),
            );
        }
    }
}

fn rule_actions(
    m: &Map<String, Value>,
    path: &JsonPath,
    known: &[&RuleMeta],
    ctx: &mut Ctx<'_>,
) -> RuleActions {
    only_keys(m, path, &["deny", "warn", "ignore"], ctx);
    let mut out = RuleActions::default();
    for (key, slot) in [("deny", &mut out.deny), ("warn", &mut out.warn)] {
        let p = path.key(key);
        let Some(sel) = m.get(key).and_then(|v| mapping(v, &p, ctx)) else {
            continue;
        };
        only_keys(sel, &p, &["severity", "ids"], ctx);
        match sel.get("severity") {
            None | Some(Value::Null) => {}
            Some(Value::String(s)) => match s.parse::<Severity>() {
                Ok(sev) => slot.severity = Some(sev),
                Err(_) => ctx.err(
                    &p.key("severity"),
                    format!("unknown severity {s:?}; expected info, low, medium, high or critical"),
                ),
            },
            Some(_) => ctx.err(&p.key("severity"), "expected a string"),
        }
        if let Some(ids) = sel.get("ids") {
            slot.ids = rule_ids(ids, &p.key("ids"), known, ctx);
        }
    }
    if let Some(ids) = m.get("ignore") {
        out.ignore = rule_ids(ids, &path.key("ignore"), known, ctx);
    }
    out
}

fn rule_ids(v: &Value, path: &JsonPath, known: &[&RuleMeta], ctx: &mut Ctx<'_>) -> HashSet<String> {
    let mut out = HashSet::new();
    let Value::Array(items) = v else {
        if !v.is_null() {
            ctx.err(path, "expected a list of rule ids");
        }
        return out;
    };
    for (i, item) in items.iter().enumerate() {
        let p = path.index(i);
        match item.as_str() {
            Some(id) => match known.iter().find(|m| m.id == id || m.name == id) {
                Some(meta) => {
                    out.insert(meta.id.to_string());
                }
                None => ctx.err(
                    &p,
                    format!("unknown rule {id:?}; `rampart rules` lists the workload rules"),
                ),
            },
            None => ctx.err(&p, "expected a rule id string"),
        }
    }
    out
}

fn limits(m: &Map<String, Value>, path: &JsonPath, ctx: &mut Ctx<'_>) -> Limits {
    only_keys(
        m,
        path,
        &[
            "requestTimeout",
            "readTimeout",
            "maxBodyBytes",
            "maxConnections",
            "maxInFlight",
            "reloadInterval",
            "decisionCache",
        ],
        ctx,
    );
    let mut l = Limits::default();
    let dur = |key: &str, slot: &mut Duration, ctx: &mut Ctx<'_>| {
        let Some(v) = m.get(key) else { return };
        match v.as_str().map(parse_duration) {
            Some(Some(d)) if !d.is_zero() => *slot = d,
            _ => ctx.err(
                &path.key(key),
                "expected a positive duration such as 500ms, 5s or 1m",
            ),
        }
    };
    dur("requestTimeout", &mut l.request_timeout, ctx);
    dur("readTimeout", &mut l.read_timeout, ctx);
    dur("reloadInterval", &mut l.reload_interval, ctx);
    let count = |key: &str, slot: &mut usize, ctx: &mut Ctx<'_>| {
        let Some(v) = m.get(key) else { return };
        match v.as_u64().and_then(|n| usize::try_from(n).ok()) {
            Some(n) if n > 0 => *slot = n,
            _ => ctx.err(&path.key(key), "expected a positive integer"),
        }
    };
    match m.get("decisionCache") {
        None => {}
        Some(serde_json::Value::Bool(b)) => l.decision_cache = *b,
        Some(_) => ctx.err(&path.key("decisionCache"), "expected true or false"),
    }
    count("maxBodyBytes", &mut l.max_body_bytes, ctx);
    count("maxConnections", &mut l.max_connections, ctx);
    count("maxInFlight", &mut l.max_in_flight, ctx);
    l
}

/// `250ms`, `5s`, `2m` (also a bare number of seconds).
pub fn parse_duration(s: &str) -> Option<Duration> {
    let s = s.trim();
    let (num, unit) = s
        .find(|c: char| !c.is_ascii_digit())
        .map_or((s, ""), |i| s.split_at(i));
    let n: u64 = num.parse().ok()?;
    Some(match unit {
        "ms" => Duration::from_millis(n),
        "" | "s" => Duration::from_secs(n),
        "m" => Duration::from_secs(n.checked_mul(60)?),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn known() -> Vec<&'static RuleMeta> {
        rampart_rules::rules()
    }

    #[test]
    fn parses_actions_and_limits() {
        let first = known()[0];
        let text = format!(
            "rules:\n  deny: {{severity: critical, ids: [{}]}}\n  warn: {{severity: medium}}\nserver:\n  requestTimeout: 3s\n  maxInFlight: 10\n",
            first.id
        );
        let cfg = WebhookConfig::parse("c.yaml", &text, &known());
        let cfg = cfg.unwrap_or_default();
        assert!(cfg.rules.enabled());
        assert_eq!(
            cfg.rules.action(first.id, Severity::Info),
            Some(Action::Deny)
        );
        assert_eq!(cfg.rules.action("X", Severity::Medium), Some(Action::Warn));
        assert_eq!(cfg.rules.action("X", Severity::Low), None);
        assert_eq!(cfg.limits.request_timeout, Duration::from_secs(3));
        assert_eq!(cfg.limits.max_in_flight, 10);
    }

    #[test]
    fn reports_errors_with_positions() {
        let text =
            "rules:\n  deny:\n    severity: huge\n  wran: {}\nserver:\n  readTimeout: soon\n";
        let errs = WebhookConfig::parse("c.yaml", text, &known())
            .err()
            .map(|e| e.0)
            .unwrap_or_default();
        let all = errs.join("\n");
        assert!(
            all.contains("c.yaml:3:5: rules.deny.severity: unknown severity \"huge\""),
            "{all}"
        );
        assert!(
            all.contains("c.yaml:4:3: rules.wran: unknown field"),
            "{all}"
        );
        assert!(
            all.contains("c.yaml:6:3: server.readTimeout: expected a positive duration"),
            "{all}"
        );
        let errs = WebhookConfig::parse("c.yaml", "rules: {ignore: [RMP0000]}", &known());
        assert!(errs.is_err());
        assert_eq!(
            WebhookConfig::parse("c.yaml", "", &known()),
            Ok(WebhookConfig::default())
        );
    }

    #[test]
    fn durations() {
        assert_eq!(parse_duration("250ms"), Some(Duration::from_millis(250)));
        assert_eq!(parse_duration("2m"), Some(Duration::from_secs(120)));
        assert_eq!(parse_duration("7"), Some(Duration::from_secs(7)));
        assert_eq!(parse_duration("1h"), None);
    }
}
