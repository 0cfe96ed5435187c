//! Alert output: JSON lines (one Finding per alert, a drop notice when events are lost, a final
//! summary line), and the alert → Finding conversion.

use std::io::Write;

use rampart_model::{Category, Finding, ObjectRef, RuleMeta, Severity};
use serde_json::json;

use crate::event::{self, Event};
use crate::rules::Alert;

/// The agent's own health rule: kernel events were lost.
pub static EVENTS_DROPPED: RuleMeta = RuleMeta {
    id: "RMP8099",
    name: "agent-events-dropped",
    title: "Runtime agent lost kernel events",
    severity: Severity::High,
    category: Category::Runtime,
    mitre: &["T1562.001"],
    what: "Reported by `rampart agent` when its ring buffer was full and the kernel had to discard events.",
    why: "Lost events are blind spots: an attacker can flood the node with benign activity to hide an action.",
    fix: "Give the agent more CPU (it must keep up with the event rate) or narrow the rules' event sources; the count of lost events is also exported as rampart_agent_dropped_events_total.",
    example: "",
    references: &["https://attack.mitre.org/techniques/T1562/001/"],
};

/// A Finding for an alert, with the event attached and the pod as the object.
pub fn finding(alert: &Alert, ev: &Event) -> Finding {
    let mut f = Finding::new(alert.meta, alert.message.clone());
    if let Some(c) = ev.container.as_ref() {
        if !c.pod.is_empty() {
            f.object = Some(ObjectRef {
                api_version: "v1".into(),
                kind: "Pod".into(),
                namespace: c.namespace.clone(),
                name: c.pod.clone(),
            });
        }
        if !c.name.is_empty() {
            f.container = Some(c.name.clone());
        }
    }
    f.event = Some(event::to_json(ev));
    f
}

/// A Finding reporting `new` lost events (`total` so far).
pub fn drop_finding(new: u64, total: u64, time: &str) -> Finding {
    let mut f = Finding::new(
        &EVENTS_DROPPED,
        format!("{new} kernel events lost ({total} in total): the ring buffer was full"),
    );
    f.event = Some(json!({"type": "drop", "time": time, "dropped": new, "dropped_total": total}));
    f
}

/// `{"summary": {"events": N, "dropped": N, "alerts": N}}`.
pub fn summary_line(events: u64, dropped: u64, alerts: u64) -> serde_json::Value {
    json!({"summary": {"events": events, "dropped": dropped, "alerts": alerts}})
}

/// Writes one JSON value as a line. The caller flushes once per batch of kernel records (at
/// most every 20 ms), not per line: a write system call per alert would cost more than the
/// alert itself under a burst.
pub fn write_line(out: &mut dyn Write, value: &impl serde::Serialize) -> std::io::Result<()> {
    serde_json::to_writer(&mut *out, value)?;
    out.write_all(b"\n")
}

/// RFC 3339 UTC time with nanoseconds from Unix nanoseconds.
pub fn rfc3339(unix_ns: u128) -> String {
    let secs = i64::try_from(unix_ns / 1_000_000_000).unwrap_or(0);
    let nanos = unix_ns % 1_000_000_000;
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{nanos:09}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_times() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00.000000000Z");
        assert_eq!(
            rfc3339(1_795_000_000_123_456_789),
            "2026-11-18T11:06:40.123456789Z"
        );
        assert_eq!(
            rfc3339(951_782_400_000_000_000),
            "2000-02-29T00:00:00.000000000Z"
        );
    }

    #[test]
    fn summary_has_the_contract_shape() {
        assert_eq!(
            summary_line(3, 0, 1).to_string(),
            r#"{"summary":{"events":3,"dropped":0,"alerts":1}}"#
        );
    }
}
