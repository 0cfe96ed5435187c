//! Prometheus metrics of the agent (OpenMetrics text on `GET /metrics`): events by type,
//! kernel drops, alerts by rule, decode errors.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use axum::{extract::State, http::header, response::IntoResponse, routing::get, Router};
use prometheus_client::encoding::{text::encode, EncodeLabelSet};
use prometheus_client::metrics::{counter::Counter, family::Family, gauge::Gauge};
use prometheus_client::registry::Registry;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct TypeLabel {
    event_type: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RuleLabel {
    rule: String,
    name: String,
    severity: String,
}

/// The agent's counters. Cheap to clone (shared).
#[derive(Clone)]
pub struct Metrics {
    registry: Arc<Mutex<Registry>>,
    events: Family<TypeLabel, Counter>,
    alerts: Family<RuleLabel, Counter>,
    dropped: Counter,
    kernel_emitted: Counter,
    decode_errors: Counter,
    processes: Gauge,
    /// One counter per event kind, created up front so counting an event allocates nothing.
    by_kind: Vec<Counter>,
}

impl std::fmt::Debug for Metrics {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Metrics")
    }
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

impl Metrics {
    pub fn new() -> Metrics {
        let mut r = Registry::with_prefix("rampart_agent");
        let m = Metrics {
            registry: Arc::new(Mutex::new(Registry::default())),
            events: Family::default(),
            alerts: Family::default(),
            dropped: Counter::default(),
            kernel_emitted: Counter::default(),
            decode_errors: Counter::default(),
            processes: Gauge::default(),
            by_kind: Vec::new(),
        };
        let mut m = m;
        m.by_kind = crate::event::Kind::ALL
            .iter()
            .map(|k| {
                m.events
                    .get_or_create(&TypeLabel {
                        event_type: k.as_str().to_string(),
                    })
                    .clone()
            })
            .collect();
        r.register(
            "events",
            "Kernel events received, by type",
            m.events.clone(),
        );
        r.register(
            "dropped_events",
            "Kernel events lost because the ring buffer was full",
            m.dropped.clone(),
        );
        r.register(
            "kernel_events",
            "Events the BPF programs tried to send (received + dropped)",
            m.kernel_emitted.clone(),
        );
        r.register("alerts", "Alerts, by rule", m.alerts.clone());
        r.register(
            "decode_errors",
            "Ring-buffer records that could not be decoded",
            m.decode_errors.clone(),
        );
        r.register(
            "tracked_processes",
            "Processes in the agent's process table",
            m.processes.clone(),
        );
        if let Ok(mut slot) = m.registry.lock() {
            *slot = r;
        }
        m
    }

    /// Counts one event of `kind` (no allocation).
    pub fn event_kind(&self, kind: crate::event::Kind) {
        if let Some(c) = self.by_kind.get(kind as usize) {
            c.inc();
        }
    }

    pub fn event(&self, kind: &str) {
        self.events
            .get_or_create(&TypeLabel {
                event_type: kind.to_string(),
            })
            .inc();
    }

    pub fn alert(&self, rule: &str, name: &str, severity: &str) {
        self.alerts
            .get_or_create(&RuleLabel {
                rule: rule.into(),
                name: name.into(),
                severity: severity.into(),
            })
            .inc();
    }

    pub fn decode_error(&self) {
        self.decode_errors.inc();
    }

    /// Raises the kernel counters to the totals read from the BPF stats map.
    pub fn kernel_totals(&self, emitted: u64, dropped: u64) {
        self.kernel_emitted
            .inc_by(emitted.saturating_sub(self.kernel_emitted.get()));
        self.dropped
            .inc_by(dropped.saturating_sub(self.dropped.get()));
    }

    pub fn processes(&self, n: usize) {
        self.processes.set(i64::try_from(n).unwrap_or(i64::MAX));
    }

    /// The OpenMetrics text.
    pub fn render(&self) -> String {
        let mut out = String::new();
        if let Ok(r) = self.registry.lock() {
            let _ = encode(&mut out, &r);
        }
        out
    }
}

async fn metrics(State(m): State<Metrics>) -> impl IntoResponse {
    (
        [(
            header::CONTENT_TYPE,
            "application/openmetrics-text; version=1.0.0; charset=utf-8",
        )],
        m.render(),
    )
}

async fn healthz() -> &'static str {
    "ok"
}

/// Binds `addr` and serves `/metrics` and `/healthz` on the current tokio runtime.
pub async fn serve(addr: SocketAddr, m: Metrics) -> std::io::Result<SocketAddr> {
    let listener = tokio::net::TcpListener::bind(addr).await?;
    let bound = listener.local_addr()?;
    let app = Router::new()
        .route("/metrics", get(metrics))
        .route("/healthz", get(healthz))
        .with_state(m);
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    Ok(bound)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_counters() {
        let m = Metrics::new();
        m.event("exec");
        m.event("exec");
        m.alert("RMP8001", "shell-in-container", "high");
        m.kernel_totals(10, 2);
        m.kernel_totals(12, 3);
        let text = m.render();
        assert!(
            text.contains("rampart_agent_events_total{event_type=\"exec\"} 2"),
            "{text}"
        );
        assert!(
            text.contains("rampart_agent_dropped_events_total 3"),
            "{text}"
        );
        assert!(
            text.contains("rampart_agent_kernel_events_total 12"),
            "{text}"
        );
        assert!(text.contains("rule=\"RMP8001\""), "{text}");
    }
}
