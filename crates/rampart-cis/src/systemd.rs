//! The kubelet's command line rebuilt from its systemd unit, as systemd would start it.
//!
//! Reads `kubelet.service` and its `kubelet.service.d/*.conf` drop-ins (a drop-in in /etc hides
//! one of the same name in /run or /usr/lib), collects `Environment=` and `EnvironmentFile=`
//! (file values override `Environment=`; later files override earlier ones), takes the last
//! `ExecStart=` after any empty reset, and expands `$VAR` (split into words) and `${VAR}` (one
//! word) — so `$KUBELET_EXTRA_ARGS` from `/etc/default/kubelet` lands after kubeadm's flags and
//! wins, exactly as on the node.

use std::collections::BTreeMap;

use crate::fs::{join, NodeFs};
use crate::subject::{Arg, Origin};
use crate::words;

/// Unit directories, highest precedence first.
pub const UNIT_DIRS: &[&str] = &[
    "/etc/systemd/system",
    "/run/systemd/system",
    "/usr/local/lib/systemd/system",
    "/usr/lib/systemd/system",
    "/lib/systemd/system",
];

/// A command line rebuilt from unit files.
#[derive(Debug, Clone)]
pub struct UnitCommand {
    /// Words after the program name.
    pub args: Vec<Arg>,
    /// Where `ExecStart=` was written (the reference point for missing flags).
    pub exec_origin: Origin,
    /// The unit file or drop-in that holds the effective `ExecStart=` (for 4.1.1/4.1.2).
    pub exec_file: String,
    /// Every unit file read, in order.
    pub files: Vec<String>,
}

#[derive(Default)]
struct State {
    env: BTreeMap<String, (String, Origin)>,
    env_files: Vec<(String, bool, Origin)>,
    exec: Option<(String, Origin)>,
}

/// The unit files of `unit` in the order systemd applies them.
pub fn unit_files(fs: &dyn NodeFs, unit: &str) -> Vec<String> {
    let mut files = Vec::new();
    if let Some(main) = UNIT_DIRS
        .iter()
        .map(|d| join(d, unit))
        .find(|p| fs.read(p).is_ok())
    {
        files.push(main);
    }
    let mut dropins: BTreeMap<String, String> = BTreeMap::new();
    for dir in UNIT_DIRS.iter().rev() {
        let d = join(dir, &format!("{unit}.d"));
        for name in fs.list(&d) {
            if name.ends_with(".conf") {
                dropins.insert(name.clone(), join(&d, &name));
            }
        }
    }
    files.extend(dropins.into_values());
    files
}

/// Rebuilds the command line of `unit`; `None` when no unit file has an `ExecStart=`.
pub fn command(fs: &dyn NodeFs, unit: &str) -> Option<UnitCommand> {
    let files = unit_files(fs, unit);
    let mut st = State::default();
    let mut exec_file = String::new();
    for f in &files {
        let Ok(text) = fs.read(f) else { continue };
        let before = st.exec.as_ref().map(|e| e.1.clone());
        apply(&mut st, f, &text);
        if st.exec.as_ref().map(|e| &e.1) != before.as_ref() && st.exec.is_some() {
            exec_file.clone_from(f);
        }
    }
    for (path, _optional, _) in st.env_files.clone() {
        let Ok(text) = fs.read(&path) else { continue };
        for (name, value, line) in env_file(&text) {
            st.env
                .insert(name, (value, Origin::file(&path, Some(line))));
        }
    }
    let (exec, exec_origin) = st.exec.clone()?;
    let mut out = Vec::new();
    for (i, word) in words::split(&exec).into_iter().enumerate() {
        let word = if i == 0 {
            word.trim_start_matches(['-', '@', ':', '+', '!'])
                .to_string()
        } else {
            word
        };
        if let Some(name) = word.strip_prefix('$').filter(|n| is_name(n)) {
            if let Some((value, origin)) = st.env.get(name) {
                out.extend(words::split(value).into_iter().map(|text| Arg {
                    text,
                    origin: origin.clone(),
                }));
            }
            continue;
        }
        out.push(Arg {
            text: expand_braced(&word, &st.env),
            origin: exec_origin.clone(),
        });
    }
    if out.is_empty() {
        return None;
    }
    out.remove(0);
    Some(UnitCommand {
        args: out,
        exec_origin,
        exec_file,
        files,
    })
}

fn is_name(s: &str) -> bool {
    !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

fn expand_braced(word: &str, env: &BTreeMap<String, (String, Origin)>) -> String {
    let mut out = String::new();
    let mut rest = word;
    while let Some(i) = rest.find("${") {
        out.push_str(&rest[..i]);
        let after = &rest[i + 2..];
        let Some(end) = after.find('}') else {
            out.push_str(&rest[i..]);
            return out;
        };
        if let Some((v, _)) = env.get(&after[..end]) {
            out.push_str(v);
        }
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    out
}

/// Applies one unit file's `[Service]` settings.
fn apply(st: &mut State, file: &str, text: &str) {
    let mut section = String::new();
    for (line_no, line) in logical_lines(text) {
        let t = line.trim();
        if t.is_empty() || t.starts_with('#') || t.starts_with(';') {
            continue;
        }
        if t.starts_with('[') {
            section = t.trim_matches(['[', ']']).to_string();
            continue;
        }
        if section != "Service" {
            continue;
        }
        let Some((key, value)) = t.split_once('=') else {
            continue;
        };
        let origin = Origin::file(file, Some(line_no));
        let value = value.trim();
        match key.trim() {
            "Environment" => {
                for assignment in words::split(value) {
                    if let Some((k, v)) = assignment.split_once('=') {
                        st.env
                            .insert(k.to_string(), (v.to_string(), origin.clone()));
                    }
                }
            }
            "EnvironmentFile" => {
                if value.is_empty() {
                    st.env_files.clear();
                } else {
                    let optional = value.starts_with('-');
                    st.env_files.push((
                        value.trim_start_matches('-').to_string(),
                        optional,
                        origin,
                    ));
                }
            }
            "ExecStart" => {
                st.exec = if value.is_empty() {
                    None
                } else {
                    Some((value.to_string(), origin))
                };
            }
            _ => {}
        }
    }
}

/// Lines joined at trailing backslashes, each with the number of its first physical line.
fn logical_lines(text: &str) -> Vec<(u32, String)> {
    let mut out = Vec::new();
    let mut cur: Option<(u32, String)> = None;
    for (n, raw) in (1u32..).zip(text.lines()) {
        let (start, mut acc) = cur.take().unwrap_or((n, String::new()));
        if let Some(body) = raw.strip_suffix('\\') {
            acc.push_str(body);
            acc.push(' ');
            cur = Some((start, acc));
        } else {
            acc.push_str(raw);
            out.push((start, acc));
        }
    }
    if let Some(c) = cur {
        out.push(c);
    }
    out
}

/// `KEY=value` lines of an environment file (`export` allowed, values may be quoted).
pub fn env_file(text: &str) -> Vec<(String, String, u32)> {
    let mut out = Vec::new();
    for (n, line) in (1u32..).zip(text.lines()) {
        let t = line.trim();
        if t.is_empty() || t.starts_with('#') || t.starts_with(';') {
            continue;
        }
        let t = t.strip_prefix("export ").unwrap_or(t);
        let Some((k, v)) = t.split_once('=') else {
            continue;
        };
        let k = k.trim();
        if is_name(k) {
            out.push((k.to_string(), words::unquote(v), n));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fs::MemFs;

    const DROPIN: &str = "[Service]\nEnvironment=\"KUBELET_KUBECONFIG_ARGS=--bootstrap-kubeconfig=/b.conf --kubeconfig=/k.conf\"\nEnvironment=\"KUBELET_CONFIG_ARGS=--config=/var/lib/kubelet/config.yaml\"\nEnvironmentFile=-/var/lib/kubelet/kubeadm-flags.env\nEnvironmentFile=-/etc/default/kubelet\nExecStart=\nExecStart=/usr/bin/kubelet $KUBELET_KUBECONFIG_ARGS $KUBELET_CONFIG_ARGS $KUBELET_KUBEADM_ARGS $KUBELET_EXTRA_ARGS\n";

    #[test]
    fn rebuilds_kubeadm_command_line() {
        let fs = MemFs::new()
            .file(
                "/lib/systemd/system/kubelet.service",
                "[Service]\nExecStart=/usr/bin/kubelet\n",
            )
            .file(
                "/etc/systemd/system/kubelet.service.d/10-kubeadm.conf",
                DROPIN,
            )
            .file(
                "/var/lib/kubelet/kubeadm-flags.env",
                "KUBELET_KUBEADM_ARGS=\"--container-runtime-endpoint=unix:///run/c.sock\"\n",
            )
            .file(
                "/etc/default/kubelet",
                "# extra\nKUBELET_EXTRA_ARGS='--read-only-port=10255 --anonymous-auth=true'\n",
            );
        let c = command(&fs, "kubelet.service").expect("command");
        let texts: Vec<&str> = c.args.iter().map(|a| a.text.as_str()).collect();
        assert_eq!(
            texts,
            vec![
                "--bootstrap-kubeconfig=/b.conf",
                "--kubeconfig=/k.conf",
                "--config=/var/lib/kubelet/config.yaml",
                "--container-runtime-endpoint=unix:///run/c.sock",
                "--read-only-port=10255",
                "--anonymous-auth=true"
            ]
        );
        assert_eq!(
            c.args[5].origin,
            Origin::file("/etc/default/kubelet", Some(2))
        );
        assert_eq!(c.args[0].origin.line, Some(2));
        assert_eq!(
            c.exec_file,
            "/etc/systemd/system/kubelet.service.d/10-kubeadm.conf"
        );
        assert_eq!(c.files.len(), 2);
    }

    #[test]
    fn etc_dropin_hides_usr_lib_and_braces_expand() {
        let fs = MemFs::new()
            .file(
                "/usr/lib/systemd/system/kubelet.service.d/10-kubeadm.conf",
                "[Service]\nExecStart=/usr/bin/kubelet --x=1\n",
            )
            .file(
                "/etc/systemd/system/kubelet.service.d/10-kubeadm.conf",
                "[Service]\nEnvironment=A=7\nExecStart=/usr/bin/kubelet \\\n  --y=${A} $MISSING\n",
            );
        let c = command(&fs, "kubelet.service").expect("command");
        assert_eq!(
            c.args.iter().map(|a| a.text.as_str()).collect::<Vec<_>>(),
            vec!["--y=7"]
        );
        assert_eq!(c.exec_origin.line, Some(3));
        assert!(command(&MemFs::new(), "kubelet.service").is_none());
    }
}
