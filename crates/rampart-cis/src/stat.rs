//! `stat.txt`: file modes and owners for a node copied without its metadata.
//!
//! One `MODE OWNER:GROUP /absolute/path` line per path, the output of
//! `stat -c '%a %U:%G %n'`. Blank lines and `#` comments are ignored; a path listed twice keeps
//! its last line, as a later `stat` run would.

use std::collections::BTreeMap;

use crate::fs::{is_under, FileMeta};

/// A bad line in a stat list.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {message}")]
pub struct StatError {
    pub line: u32,
    pub message: String,
}

/// Parsed stat list, keyed by absolute node path.
#[derive(Debug, Clone, Default)]
pub struct StatTable {
    entries: BTreeMap<String, FileMeta>,
}

impl StatTable {
    /// Parses the list; bad lines are returned as errors and skipped.
    pub fn parse(text: &str) -> (Self, Vec<StatError>) {
        let mut entries = BTreeMap::new();
        let mut errors = Vec::new();
        for (n, raw) in (1u32..).zip(text.lines()) {
            let line = raw.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            match parse_line(line) {
                Ok((path, meta)) => {
                    entries.insert(path, meta);
                }
                Err(message) => errors.push(StatError { line: n, message }),
            }
        }
        let mut table = Self { entries };
        table.mark_directories();
        (table, errors)
    }

    /// A path listed with children is a directory (the list has no file type column).
    fn mark_directories(&mut self) {
        let paths: Vec<String> = self.entries.keys().cloned().collect();
        for p in &paths {
            let prefix = format!("{}/", p.trim_end_matches('/'));
            if paths.iter().any(|q| q.starts_with(&prefix)) {
                if let Some(m) = self.entries.get_mut(p) {
                    m.is_dir = true;
                }
            }
        }
    }

    pub fn get(&self, path: &str) -> Option<&FileMeta> {
        self.entries.get(path)
    }

    /// True when a listed path lies below `path`.
    pub fn has_below(&self, path: &str) -> bool {
        let prefix = format!("{}/", path.trim_end_matches('/'));
        self.entries
            .range(prefix.clone()..)
            .next()
            .is_some_and(|(k, _)| k.starts_with(&prefix))
    }

    /// Names listed directly inside `dir`.
    pub fn children(&self, dir: &str) -> Vec<String> {
        let prefix = format!("{}/", dir.trim_end_matches('/'));
        let mut out: Vec<String> = self
            .entries
            .keys()
            .filter_map(|k| k.strip_prefix(&prefix))
            .filter_map(|r| r.split('/').next())
            .map(str::to_string)
            .collect();
        out.sort();
        out.dedup();
        out
    }

    /// Every listed path at or below `dir`.
    pub fn tree(&self, dir: &str) -> Vec<(String, FileMeta)> {
        self.entries
            .iter()
            .filter(|(k, _)| is_under(k, dir))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect()
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

fn parse_line(line: &str) -> Result<(String, FileMeta), String> {
    let mut parts = line.splitn(3, char::is_whitespace);
    let mode_text = parts.next().unwrap_or_default();
    let owner_text = parts.next().ok_or("expected `MODE OWNER:GROUP PATH`")?;
    let path = parts
        .next()
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .ok_or("missing path after `OWNER:GROUP`")?;
    if !(1..=4).contains(&mode_text.len()) || !mode_text.bytes().all(|b| (b'0'..=b'7').contains(&b))
    {
        return Err(format!("`{mode_text}` is not an octal mode such as 644"));
    }
    let mode = u32::from_str_radix(mode_text, 8).map_err(|e| e.to_string())?;
    let (owner, group) = owner_text
        .split_once(':')
        .ok_or_else(|| format!("`{owner_text}` is not OWNER:GROUP"))?;
    if !path.starts_with('/') {
        return Err(format!("`{path}` is not an absolute path"));
    }
    let path = if path.len() > 1 {
        path.trim_end_matches('/')
    } else {
        path
    };
    Ok((
        path.to_string(),
        FileMeta {
            mode,
            owner: owner.to_string(),
            group: group.to_string(),
            is_dir: false,
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_lines_comments_duplicates_and_errors() {
        let text = "# header\n644 root:root /etc/a.crt\n\n600 root:root /etc/a.crt\n755 root:root /etc\nxyz root /bad\n640 etcd:etcd /var/lib/my dir\n";
        let (t, errs) = StatTable::parse(text);
        assert_eq!(t.get("/etc/a.crt").map(|m| m.mode), Some(0o600));
        assert!(t.get("/etc").is_some_and(|m| m.is_dir));
        assert_eq!(
            t.get("/var/lib/my dir").map(FileMeta::ownership).as_deref(),
            Some("etcd:etcd")
        );
        assert_eq!(errs.len(), 1);
        assert_eq!(errs[0].line, 6);
        assert_eq!(t.children("/etc"), vec!["a.crt"]);
        assert!(t.has_below("/etc"));
        assert!(!t.has_below("/et"));
    }

    #[test]
    fn rejects_relative_paths_and_bad_modes() {
        let (_, errs) = StatTable::parse(
            "644 root:root etc/x\n99 root:root /x\n644 rootroot /x\n644 root:root\n",
        );
        assert_eq!(errs.len(), 4);
    }
}
