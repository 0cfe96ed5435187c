//! The real file system of a node, rooted at `--root`, with metadata from a stat list or from
//! the files themselves, and running processes from `/proc` when the root is `/`.
//!
//! Paths inside the node's files are absolute node paths; they are resolved lexically below the
//! root, so `..` in a copied node's configuration never leaves the copy.

use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};

use crate::fs::{FileMeta, NodeFs, Process, ReadError};
use crate::stat::StatTable;

/// No node configuration file is this big; larger ones are reported as unreadable.
const MAX_READ_BYTES: u64 = 8 * 1024 * 1024;
/// Bound on the entries a tree walk visits (a PKI or CNI directory has a few dozen).
const MAX_TREE_ENTRIES: usize = 100_000;

/// A node on disk.
#[derive(Debug)]
pub struct HostFs {
    root: PathBuf,
    stat: Option<StatTable>,
    live: bool,
    users: HashMap<u32, String>,
    groups: HashMap<u32, String>,
}

impl HostFs {
    /// A node rooted at `root`; `stat` replaces real metadata when given.
    pub fn new(root: &Path, stat: Option<StatTable>) -> Self {
        let live = root == Path::new("/");
        let mut fs = Self {
            root: root.to_path_buf(),
            stat,
            live,
            users: HashMap::new(),
            groups: HashMap::new(),
        };
        if fs.stat.is_none() {
            fs.users = fs.read_ids("/etc/passwd");
            fs.groups = fs.read_ids("/etc/group");
        }
        fs
    }

    /// True when the node is the running host (`--root /`).
    pub fn is_live(&self) -> bool {
        self.live
    }

    /// The disk path of a node path, never above the root.
    pub fn resolve(&self, node_path: &str) -> PathBuf {
        let mut out = self.root.clone();
        let mut depth = 0usize;
        for c in Path::new(node_path).components() {
            match c {
                Component::Normal(p) => {
                    out.push(p);
                    depth += 1;
                }
                Component::ParentDir if depth > 0 => {
                    out.pop();
                    depth -= 1;
                }
                _ => {}
            }
        }
        out
    }

    /// `name:x:id:...` files (passwd, group) into id → name.
    fn read_ids(&self, path: &str) -> HashMap<u32, String> {
        let Ok(text) = self.read(path) else {
            return HashMap::new();
        };
        text.lines()
            .filter_map(|l| {
                let mut f = l.split(':');
                let name = f.next()?;
                let id = f.nth(1)?.parse().ok()?;
                Some((id, name.to_string()))
            })
            .collect()
    }

    fn name_of(map: &HashMap<u32, String>, id: u32) -> String {
        map.get(&id).cloned().unwrap_or_else(|| {
            // Without a passwd/group file, id 0 is still root everywhere.
            if id == 0 {
                "root".to_string()
            } else {
                id.to_string()
            }
        })
    }

    fn disk_meta(&self, path: &str) -> Option<FileMeta> {
        use std::os::unix::fs::MetadataExt;
        let md = std::fs::metadata(self.resolve(path)).ok()?;
        Some(FileMeta {
            mode: md.mode() & 0o7777,
            owner: Self::name_of(&self.users, md.uid()),
            group: Self::name_of(&self.groups, md.gid()),
            is_dir: md.is_dir(),
        })
    }

    fn disk_list(&self, dir: &str) -> Vec<String> {
        let Ok(rd) = std::fs::read_dir(self.resolve(dir)) else {
            return Vec::new();
        };
        rd.filter_map(Result::ok)
            .filter_map(|e| e.file_name().into_string().ok())
            .collect()
    }

    fn disk_tree(&self, dir: &str) -> Vec<(String, FileMeta)> {
        let mut out = Vec::new();
        let mut stack = vec![dir.trim_end_matches('/').to_string()];
        while let Some(p) = stack.pop() {
            if out.len() >= MAX_TREE_ENTRIES {
                break;
            }
            let Some(meta) = self.disk_meta(&p) else {
                continue;
            };
            if meta.is_dir {
                for name in self.disk_list(&p) {
                    stack.push(crate::fs::join(&p, &name));
                }
            }
            out.push((p, meta));
        }
        out.sort_by(|a, b| a.0.cmp(&b.0));
        out
    }

    fn proc_cmdlines(&self) -> Vec<Process> {
        let Ok(rd) = std::fs::read_dir("/proc") else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for e in rd.filter_map(Result::ok) {
            let Some(pid) = e.file_name().to_str().and_then(|s| s.parse::<u32>().ok()) else {
                continue;
            };
            let Ok(bytes) = std::fs::read(e.path().join("cmdline")) else {
                continue;
            };
            let argv: Vec<String> = bytes
                .split(|b| *b == 0)
                .filter(|a| !a.is_empty())
                .map(|a| String::from_utf8_lossy(a).into_owned())
                .collect();
            if !argv.is_empty() {
                out.push(Process { pid, argv });
            }
        }
        out.sort_by_key(|p| p.pid);
        out
    }
}

impl NodeFs for HostFs {
    fn read(&self, path: &str) -> Result<String, ReadError> {
        use std::io::Read;
        let disk = self.resolve(path);
        let file = std::fs::File::open(&disk).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => ReadError::NotFound(path.to_string()),
            _ => ReadError::Unreadable {
                path: path.to_string(),
                message: e.to_string(),
            },
        })?;
        let mut bytes = Vec::new();
        file.take(MAX_READ_BYTES + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| ReadError::Unreadable {
                path: path.to_string(),
                message: e.to_string(),
            })?;
        if bytes.len() as u64 > MAX_READ_BYTES {
            return Err(ReadError::Unreadable {
                path: path.to_string(),
                message: format!("larger than {MAX_READ_BYTES} bytes"),
            });
        }
        Ok(String::from_utf8_lossy(&bytes).into_owned())
    }

    fn exists(&self, path: &str) -> bool {
        self.stat
            .as_ref()
            .is_some_and(|t| t.get(path).is_some() || t.has_below(path))
            || self.resolve(path).exists()
    }

    fn meta(&self, path: &str) -> Option<FileMeta> {
        match &self.stat {
            Some(t) => {
                let mut m = t.get(path)?.clone();
                m.is_dir = m.is_dir || self.resolve(path).is_dir();
                Some(m)
            }
            None => self.disk_meta(path),
        }
    }

    fn list(&self, dir: &str) -> Vec<String> {
        let mut names = self.disk_list(dir);
        if let Some(t) = &self.stat {
            names.extend(t.children(dir));
        }
        names.sort();
        names.dedup();
        names
    }

    fn tree(&self, dir: &str) -> Vec<(String, FileMeta)> {
        match &self.stat {
            Some(t) => t
                .tree(dir)
                .into_iter()
                .map(|(p, mut m)| {
                    m.is_dir = m.is_dir || self.resolve(&p).is_dir();
                    (p, m)
                })
                .collect(),
            None => self.disk_tree(dir),
        }
    }

    fn processes(&self) -> Vec<Process> {
        if self.live {
            self.proc_cmdlines()
        } else {
            Vec::new()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolve_stays_below_root() {
        let fs = HostFs::new(Path::new("/tmp/node"), Some(StatTable::default()));
        assert_eq!(fs.resolve("/etc/../../../x"), PathBuf::from("/tmp/node/x"));
        assert_eq!(
            fs.resolve("/etc/kubernetes"),
            PathBuf::from("/tmp/node/etc/kubernetes")
        );
    }

    #[test]
    fn reads_files_and_real_metadata() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().expect("tempdir");
        let p = dir.path().join("etc/kubernetes");
        std::fs::create_dir_all(&p).expect("mkdir");
        std::fs::write(p.join("admin.conf"), "x").expect("write");
        std::fs::set_permissions(p.join("admin.conf"), std::fs::Permissions::from_mode(0o640))
            .expect("chmod");
        let fs = HostFs::new(dir.path(), None);
        assert_eq!(fs.read("/etc/kubernetes/admin.conf").as_deref(), Ok("x"));
        assert!(matches!(fs.read("/nope"), Err(ReadError::NotFound(_))));
        assert_eq!(
            fs.meta("/etc/kubernetes/admin.conf").map(|m| m.mode),
            Some(0o640)
        );
        assert_eq!(fs.list("/etc/kubernetes"), vec!["admin.conf"]);
        assert_eq!(fs.tree("/etc/kubernetes").len(), 2);
        assert!(fs.processes().is_empty());
    }
}
