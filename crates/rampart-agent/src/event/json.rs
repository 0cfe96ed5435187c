//! The `event` object of an alert, as `interfaces.md` specifies it for `rampart agent`:
//! `time`, `pid`, `ppid`, `uid`, `comm`, `exe`, `args`, `file`, `remote` and `container`
//! (`null` for host processes), plus additive detail fields.

use serde_json::{json, Map, Value};

use super::{Event, Kind};

/// The JSON `event` object of an alert.
pub fn to_json(ev: &Event) -> Value {
    let container = ev.container.as_ref().map_or(Value::Null, |c| {
        json!({
            "id": c.id, "runtime": c.runtime, "pod": c.pod, "namespace": c.namespace,
            "name": c.name, "image": c.image, "pod_uid": c.pod_uid,
        })
    });
    let mut obj = Map::new();
    obj.insert("type".into(), json!(ev.kind.as_str()));
    obj.insert("time".into(), json!(ev.time));
    obj.insert("pid".into(), json!(ev.pid));
    obj.insert("ppid".into(), json!(ev.ppid));
    obj.insert("uid".into(), json!(ev.uid));
    obj.insert("comm".into(), json!(ev.comm));
    obj.insert("exe".into(), json!(ev.exe));
    obj.insert("args".into(), json!(ev.args));
    obj.insert("file".into(), json!(ev.file()));
    obj.insert("remote".into(), json!(ev.remote()));
    obj.insert("container".into(), container);
    obj.insert("tid".into(), json!(ev.tid));
    obj.insert("vpid".into(), json!(ev.vpid));
    obj.insert("cgroup_id".into(), json!(ev.cgroup_id));
    obj.insert("ancestry".into(), json!(ev.ancestry));
    if let Some(detail) = detail(ev) {
        obj.insert("detail".into(), detail);
    }
    Value::Object(obj)
}

fn detail(ev: &Event) -> Option<Value> {
    Some(match ev.kind {
        Kind::Open => json!({"flags": ev.arg0, "write": ev.flags & super::OPEN_WRITE != 0}),
        Kind::Exec => json!({
            "stdin_socket": ev.flags & super::EXEC_STDIN_SOCKET != 0,
            "stdout_socket": ev.flags & super::EXEC_STDOUT_SOCKET != 0,
            "setuid": ev.flags & super::EXEC_SETUID != 0,
            "euid": ev.arg1,
        }),
        Kind::Setuid => {
            json!({"ids": [ev.arg0 as i64 as i32, ev.arg1 as i64 as i32, ev.arg2 as i64 as i32]})
        }
        Kind::Capset => {
            json!({"effective": format!("{:#x}", ev.arg0), "permitted": format!("{:#x}", ev.arg1)})
        }
        Kind::Mount => {
            json!({"source": ev.path, "target": ev.path2, "fstype": ev.fstype, "flags": ev.arg0})
        }
        Kind::Ptrace => json!({"request": ev.arg0, "target_pid": ev.arg1}),
        Kind::Module => json!({"params": ev.path}),
        Kind::Unshare => json!({"flags": format!("{:#x}", ev.arg0)}),
        Kind::Setns => {
            json!({"fd": ev.arg0, "nstype": ev.arg1, "ns_inode": ev.arg2, "host_namespace": ev.ns_host})
        }
        Kind::TcpState => json!({"oldstate": ev.arg0, "newstate": ev.arg1, "sport": ev.sport}),
        Kind::Exit => json!({"exit_code": ev.ret}),
        Kind::Fork => json!({"child_pid": ev.arg0}),
        Kind::Connect | Kind::Accept => return None,
    })
}
