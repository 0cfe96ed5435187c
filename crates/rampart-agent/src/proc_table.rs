//! The process table: pid → parent, name and executable, kept current from fork/exec/exit
//! events and seeded from `/proc`, so every event can carry its ancestry even when the
//! processes involved are gone by the time user space sees the event.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::event::{Ancestor, Event, Kind};

/// How many ancestors an event carries.
pub const MAX_DEPTH: usize = 8;
/// Upper bound on remembered processes; the table is rebuilt from `/proc` past it.
const MAX_ENTRIES: usize = 262_144;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Proc {
    ppid: u32,
    comm: String,
    name: String,
    exe: String,
    args: Vec<String>,
}

/// Known processes.
#[derive(Debug, Default)]
pub struct ProcTable {
    procs: HashMap<u32, Proc>,
    proc_root: PathBuf,
}

impl ProcTable {
    /// A table that falls back to `proc_root` (normally `/proc`) for unknown pids.
    pub fn new(proc_root: impl Into<PathBuf>) -> Self {
        Self {
            procs: HashMap::new(),
            proc_root: proc_root.into(),
        }
    }

    /// Reads every process currently in `proc_root`.
    pub fn seed(&mut self) {
        let Ok(dir) = std::fs::read_dir(&self.proc_root) else {
            return;
        };
        for entry in dir.flatten() {
            let Some(pid) = entry
                .file_name()
                .to_str()
                .and_then(|s| s.parse::<u32>().ok())
            else {
                continue;
            };
            if let Some(p) = read_proc(&self.proc_root, pid) {
                self.procs.insert(pid, p);
            }
        }
    }

    pub fn len(&self) -> usize {
        self.procs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.procs.is_empty()
    }

    /// Updates the table from `ev` and fills its `exe` and `ancestry`.
    pub fn observe(&mut self, ev: &mut Event) {
        match ev.kind {
            Kind::Fork => {
                let parent = self.lookup(ev.pid).cloned().unwrap_or_default();
                if let Ok(child) = u32::try_from(ev.arg0) {
                    self.insert(
                        child,
                        Proc {
                            ppid: ev.pid,
                            ..parent
                        },
                    );
                }
            }
            Kind::Exec => {
                let name = crate::event::process_name(&ev.path, &ev.args, &ev.comm);
                self.insert(
                    ev.pid,
                    Proc {
                        ppid: ev.ppid,
                        comm: ev.comm.clone(),
                        name,
                        exe: ev.path.clone(),
                        args: ev.args.clone(),
                    },
                );
            }
            _ => {
                if !self.procs.contains_key(&ev.pid) {
                    let p = read_proc(&self.proc_root, ev.pid).unwrap_or(Proc {
                        ppid: ev.ppid,
                        comm: ev.comm.clone(),
                        ..Proc::default()
                    });
                    self.insert(ev.pid, p);
                }
            }
        }
        // Only the fields the event carries are copied, never the whole entry: this runs for
        // every event.
        let me = self.procs.get(&ev.pid);
        if ev.kind != Kind::Exec {
            ev.exe = me.map(|p| p.exe.clone()).unwrap_or_default();
            ev.args = me.map(|p| p.args.clone()).unwrap_or_default();
        } else {
            ev.exe = ev.path.clone();
        }
        ev.name = match me {
            Some(p) if !p.name.is_empty() => p.name.clone(),
            _ => ev.comm.clone(),
        };
        ev.ancestry = self.ancestry(ev.ppid);
        if ev.kind == Kind::Exit {
            self.procs.remove(&ev.pid);
        }
    }

    /// The chain of ancestors starting at `ppid`, nearest first.
    pub fn ancestry(&mut self, mut pid: u32) -> Vec<Ancestor> {
        let mut out = Vec::new();
        while pid > 0 && out.len() < MAX_DEPTH {
            let Some(p) = self.lookup(pid) else { break };
            let comm = if p.name.is_empty() {
                p.comm.clone()
            } else {
                p.name.clone()
            };
            let (exe, ppid) = (p.exe.clone(), p.ppid);
            out.push(Ancestor { pid, comm, exe });
            if ppid == pid {
                break;
            }
            pid = ppid;
        }
        out
    }

    /// The entry for `pid`, read from `/proc` when unknown.
    fn lookup(&mut self, pid: u32) -> Option<&Proc> {
        if !self.procs.contains_key(&pid) {
            let p = read_proc(&self.proc_root, pid)?;
            self.insert(pid, p);
        }
        self.procs.get(&pid)
    }

    fn insert(&mut self, pid: u32, p: Proc) {
        if self.procs.len() >= MAX_ENTRIES {
            // Exit events keep the table small; this only guards against lost exits.
            self.procs.clear();
            self.seed();
        }
        self.procs.insert(pid, p);
    }
}

/// Reads `stat` (ppid, comm) and `exe` of one process.
fn read_proc(root: &Path, pid: u32) -> Option<Proc> {
    let dir = root.join(pid.to_string());
    let stat = std::fs::read_to_string(dir.join("stat")).ok()?;
    // comm is in parentheses and may itself contain spaces or parentheses.
    let open = stat.find('(')?;
    let close = stat.rfind(')')?;
    let comm = stat.get(open + 1..close)?.to_string();
    let ppid = stat
        .get(close + 2..)?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()?;
    let exe = std::fs::read_link(dir.join("exe"))
        .map(|p| p.display().to_string())
        .unwrap_or_default();
    let args: Vec<String> = std::fs::read(dir.join("cmdline"))
        .map(|b| {
            b.split(|c| *c == 0)
                .filter(|s| !s.is_empty())
                .map(|s| String::from_utf8_lossy(s).into_owned())
                .collect()
        })
        .unwrap_or_default();
    let name = crate::event::process_name(&exe, &args, &comm);
    Some(Proc {
        ppid,
        comm,
        name,
        exe,
        args,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_ancestry_from_events() {
        let mut t = ProcTable::new("/nonexistent");
        let mut shim = Event {
            kind: Kind::Exec,
            pid: 10,
            ppid: 1,
            comm: "containerd-shim".into(),
            path: "/usr/bin/containerd-shim".into(),
            ..Event::default()
        };
        t.observe(&mut shim);
        let mut fork = Event {
            kind: Kind::Fork,
            pid: 10,
            arg0: 11,
            ..Event::default()
        };
        t.observe(&mut fork);
        let mut sh = Event {
            kind: Kind::Exec,
            pid: 11,
            ppid: 10,
            comm: "sh".into(),
            path: "/bin/sh".into(),
            ..Event::default()
        };
        t.observe(&mut sh);
        let mut cat = Event {
            kind: Kind::Exec,
            pid: 12,
            ppid: 11,
            comm: "cat".into(),
            path: "/bin/cat".into(),
            ..Event::default()
        };
        t.observe(&mut cat);
        let names: Vec<_> = cat.ancestry.iter().map(|a| a.comm.as_str()).collect();
        assert_eq!(names, ["sh", "containerd-shim"]);
        let mut exit = Event {
            kind: Kind::Exit,
            pid: 12,
            ppid: 11,
            ..Event::default()
        };
        t.observe(&mut exit);
        assert_eq!(exit.exe, "/bin/cat");
        assert!(!t.procs.contains_key(&12));
    }

    #[test]
    fn reads_the_real_proc() {
        let mut t = ProcTable::new("/proc");
        let me = std::process::id();
        let chain = t.ancestry(me);
        assert_eq!(chain.first().map(|a| a.pid), Some(me));
    }
}
