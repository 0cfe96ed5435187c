//! The node's file system, behind a small trait so every check can be tested without I/O.
//!
//! Paths are the node's absolute paths (`/etc/kubernetes/manifests/etcd.yaml`); an
//! implementation maps them below its root. [`MemFs`] is an in-memory node for tests and for
//! callers that already hold the files.

use std::collections::BTreeMap;

/// A file's mode and ownership, as `stat -c '%a %U:%G'` prints them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileMeta {
    /// Permission bits, including setuid/setgid/sticky (`0o2755`).
    pub mode: u32,
    pub owner: String,
    pub group: String,
    pub is_dir: bool,
}

impl FileMeta {
    /// `640 root:root`.
    pub fn describe(&self) -> String {
        format!("{:o} {}:{}", self.mode, self.owner, self.group)
    }

    /// `owner:group`.
    pub fn ownership(&self) -> String {
        format!("{}:{}", self.owner, self.group)
    }
}

/// Why a file could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReadError {
    #[error("{0}: no such file")]
    NotFound(String),
    #[error("{path}: {message}")]
    Unreadable { path: String, message: String },
}

/// A running process's command line (live nodes only).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Process {
    pub pid: u32,
    pub argv: Vec<String>,
}

/// What the checks may ask of a node.
pub trait NodeFs: Sync {
    /// The text of a file.
    fn read(&self, path: &str) -> Result<String, ReadError>;
    /// Whether a file or directory exists (on disk or in the metadata list).
    fn exists(&self, path: &str) -> bool;
    /// Mode and ownership; `None` when unknown (absent, or not in the stat list).
    fn meta(&self, path: &str) -> Option<FileMeta>;
    /// Names of the entries directly inside a directory, sorted.
    fn list(&self, dir: &str) -> Vec<String>;
    /// Every path at or below `dir` whose metadata is known, sorted, with that metadata.
    fn tree(&self, dir: &str) -> Vec<(String, FileMeta)>;
    /// Command lines of running processes; empty unless the node is the live host.
    fn processes(&self) -> Vec<Process> {
        Vec::new()
    }
}

/// Joins a node directory and a name.
pub(crate) fn join(dir: &str, name: &str) -> String {
    format!("{}/{}", dir.trim_end_matches('/'), name)
}

/// True when `path` is `dir` itself or lies below it.
pub(crate) fn is_under(path: &str, dir: &str) -> bool {
    let dir = dir.trim_end_matches('/');
    path == dir || path.strip_prefix(dir).is_some_and(|r| r.starts_with('/'))
}

/// An in-memory node: files with text, and metadata for any path.
#[derive(Debug, Default, Clone)]
pub struct MemFs {
    files: BTreeMap<String, String>,
    metas: BTreeMap<String, FileMeta>,
    processes: Vec<Process>,
}

impl MemFs {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a file with text.
    #[must_use]
    pub fn file(mut self, path: &str, text: &str) -> Self {
        self.files.insert(path.to_string(), text.to_string());
        self
    }

    /// Adds metadata for a path (`mode` is octal as written: `0o644`).
    #[must_use]
    pub fn stat(mut self, path: &str, mode: u32, owner: &str, group: &str) -> Self {
        self.metas.insert(
            path.to_string(),
            FileMeta {
                mode,
                owner: owner.to_string(),
                group: group.to_string(),
                is_dir: false,
            },
        );
        self
    }

    /// Adds a running process.
    #[must_use]
    pub fn process(mut self, pid: u32, argv: &[&str]) -> Self {
        self.processes.push(Process {
            pid,
            argv: argv.iter().map(|s| (*s).to_string()).collect(),
        });
        self
    }

    fn has_children(&self, path: &str) -> bool {
        let prefix = format!("{}/", path.trim_end_matches('/'));
        self.files
            .keys()
            .chain(self.metas.keys())
            .any(|p| p.starts_with(&prefix))
    }
}

impl NodeFs for MemFs {
    fn read(&self, path: &str) -> Result<String, ReadError> {
        self.files
            .get(path)
            .cloned()
            .ok_or_else(|| ReadError::NotFound(path.to_string()))
    }

    fn exists(&self, path: &str) -> bool {
        self.files.contains_key(path) || self.metas.contains_key(path) || self.has_children(path)
    }

    fn meta(&self, path: &str) -> Option<FileMeta> {
        let mut m = self.metas.get(path)?.clone();
        m.is_dir = self.has_children(path);
        Some(m)
    }

    fn list(&self, dir: &str) -> Vec<String> {
        let prefix = format!("{}/", dir.trim_end_matches('/'));
        let mut names: Vec<String> = self
            .files
            .keys()
            .chain(self.metas.keys())
            .filter_map(|p| p.strip_prefix(&prefix))
            .filter_map(|rest| rest.split('/').next())
            .map(str::to_string)
            .collect();
        names.sort();
        names.dedup();
        names
    }

    fn tree(&self, dir: &str) -> Vec<(String, FileMeta)> {
        self.metas
            .keys()
            .filter(|p| is_under(p, dir))
            .filter_map(|p| self.meta(p).map(|m| (p.clone(), m)))
            .collect()
    }

    fn processes(&self) -> Vec<Process> {
        self.processes.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mem_fs_lists_and_marks_directories() {
        let fs = MemFs::new()
            .file("/etc/a/x.yaml", "x")
            .stat("/etc/a", 0o755, "root", "root")
            .stat("/etc/a/b/c.key", 0o600, "root", "root");
        assert_eq!(fs.list("/etc/a"), vec!["b", "x.yaml"]);
        assert!(fs.meta("/etc/a").is_some_and(|m| m.is_dir));
        assert_eq!(fs.tree("/etc/a").len(), 2);
        assert!(fs.exists("/etc/a/b"));
        assert!(is_under("/etc/a/b", "/etc/a/"));
        assert!(!is_under("/etc/ab", "/etc/a"));
    }
}
