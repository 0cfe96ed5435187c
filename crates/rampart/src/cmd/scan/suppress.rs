//! In-source suppressions: a `# rampart:ignore RULE[,RULE] reason` comment on the finding's
//! line or the line above, and a `rampart.io/ignore: "RULE,RULE"` annotation on the object.

use rampart_model::Finding;
use serde::Serialize;

use super::lines::LineIndex;

/// The object annotation that lists rules to ignore for that object.
pub const ANNOTATION: &str = "rampart.io/ignore";
pub const MARKER: &str = "rampart:ignore";

/// A finding that was suppressed, and why.
#[derive(Debug, Serialize)]
pub struct Suppressed {
    pub rule: String,
    pub file: String,
    pub line: u32,
    pub by: &'static str,
    pub reason: String,
}

fn matches(list: &str, f: &Finding) -> bool {
    list.split(',')
        .map(str::trim)
        .any(|r| r == "*" || r.eq_ignore_ascii_case(&f.rule) || r.eq_ignore_ascii_case(&f.name))
}

/// The suppression comment on `line`, as (rule list, reason).
fn comment_on(line: &str) -> Option<(&str, &str)> {
    let at = line.find(MARKER)?;
    // Only in a comment: a `#` must come before the marker.
    if !line[..at].contains('#') {
        return None;
    }
    let rest = line[at + MARKER.len()..].trim_start();
    let (rules, reason) = rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
    Some((rules, reason.trim()))
}

/// Why `f` is suppressed, if it is.
pub fn suppression(
    f: &Finding,
    lines: &LineIndex<'_>,
    annotation: Option<&str>,
) -> Option<Suppressed> {
    let hit = |by: &'static str, reason: &str| Suppressed {
        rule: f.rule.to_string(),
        file: f.file.clone(),
        line: f.line,
        by,
        reason: reason.to_string(),
    };
    for n in [f.line, f.line.saturating_sub(1)] {
        if let Some((rules, reason)) = lines.get(&f.file, n).and_then(comment_on) {
            if matches(rules, f) {
                return Some(hit("comment", reason));
            }
        }
    }
    match annotation {
        Some(list) if matches(list, f) => Some(hit("annotation", "")),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comment_forms() {
        assert_eq!(
            comment_on("  runAsUser: 0 # rampart:ignore RMP1003 needs root"),
            Some(("RMP1003", "needs root"))
        );
        assert_eq!(
            comment_on("# rampart:ignore run-as-root,RMP1004"),
            Some(("run-as-root,RMP1004", ""))
        );
        assert_eq!(comment_on("  image: rampart:ignore"), None);
    }
}
