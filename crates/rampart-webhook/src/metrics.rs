//! Prometheus metrics kept in atomics (no registry, no locks on the request path) and rendered
//! in the text exposition format on `/metrics`.

use std::fmt::Write;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::time::Duration;

use crate::decide::Route;

/// Upper bounds of the latency histogram, in seconds.
const BUCKETS: [f64; 14] = [
    0.000_1, 0.000_25, 0.000_5, 0.001, 0.002_5, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 5.0,
];

/// HTTP status classes counted by `rampart_webhook_requests_total`.
const CODES: [u16; 10] = [200, 400, 404, 405, 408, 413, 415, 500, 503, 504];

/// Errors counted by `rampart_webhook_errors_total{kind}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// Malformed JSON, wrong apiVersion/kind, missing request, bad content type.
    BadRequest,
    /// Body over the limit.
    TooLarge,
    /// Body not received within the read timeout.
    ReadTimeout,
    /// Request not decided before its deadline, or shed under overload.
    Timeout,
    /// TLS handshake failure or timeout.
    Tls,
    /// Namespace lookup failure.
    Lookup,
}

impl ErrorKind {
    const ALL: [ErrorKind; 6] = [
        ErrorKind::BadRequest,
        ErrorKind::TooLarge,
        ErrorKind::ReadTimeout,
        ErrorKind::Timeout,
        ErrorKind::Tls,
        ErrorKind::Lookup,
    ];
    fn as_str(self) -> &'static str {
        match self {
            ErrorKind::BadRequest => "bad_request",
            ErrorKind::TooLarge => "too_large",
            ErrorKind::ReadTimeout => "read_timeout",
            ErrorKind::Timeout => "timeout",
            ErrorKind::Tls => "tls",
            ErrorKind::Lookup => "lookup",
        }
    }
}

/// All counters of one server.
#[derive(Debug, Default)]
pub struct Metrics {
    requests: [AtomicU64; CODES.len() + 1],
    /// [route][allowed=0 / denied=1]
    decisions: [[AtomicU64; 2]; Route::ALL.len()],
    warned: [AtomicU64; Route::ALL.len()],
    exempt: [AtomicU64; Route::ALL.len()],
    dry_run: AtomicU64,
    errors: [AtomicU64; ErrorKind::ALL.len()],
    buckets: [AtomicU64; BUCKETS.len()],
    latency_count: AtomicU64,
    latency_sum_ns: AtomicU64,
    pub connections_total: AtomicU64,
    pub connections_open: AtomicU64,
    pub in_flight: AtomicU64,
    pub cert_reloads: AtomicU64,
    pub cert_reload_errors: AtomicU64,
    pub config_reloads: AtomicU64,
    pub config_reload_errors: AtomicU64,
}

fn route_index(r: Route) -> usize {
    Route::ALL.iter().position(|x| *x == r).unwrap_or(0)
}

impl Metrics {
    /// One HTTP request answered with `code` after `elapsed`.
    pub fn request(&self, code: u16, elapsed: Duration) {
        let i = CODES.iter().position(|c| *c == code).unwrap_or(CODES.len());
        self.requests[i].fetch_add(1, Relaxed);
        let secs = elapsed.as_secs_f64();
        for (b, bound) in self.buckets.iter().zip(BUCKETS) {
            if secs <= bound {
                b.fetch_add(1, Relaxed);
                break;
            }
        }
        self.latency_count.fetch_add(1, Relaxed);
        let ns = u64::try_from(elapsed.as_nanos()).unwrap_or(u64::MAX);
        self.latency_sum_ns.fetch_add(ns, Relaxed);
    }

    /// One admission decision.
    pub fn decision(&self, route: Route, allowed: bool, warned: bool, exempt: bool, dry_run: bool) {
        let r = route_index(route);
        self.decisions[r][usize::from(!allowed)].fetch_add(1, Relaxed);
        if warned {
            self.warned[r].fetch_add(1, Relaxed);
        }
        if exempt {
            self.exempt[r].fetch_add(1, Relaxed);
        }
        if dry_run {
            self.dry_run.fetch_add(1, Relaxed);
        }
    }

    pub fn error(&self, kind: ErrorKind) {
        if let Some(i) = ErrorKind::ALL.iter().position(|k| *k == kind) {
            self.errors[i].fetch_add(1, Relaxed);
        }
    }

    /// The text exposition format.
    pub fn render(&self) -> String {
        let mut s = String::with_capacity(4096);
        let _ = self.write(&mut s);
        s
    }

    fn write(&self, s: &mut String) -> std::fmt::Result {
        writeln!(
            s,
            "# HELP rampart_webhook_requests_total HTTP requests by status code."
        )?;
        writeln!(s, "# TYPE rampart_webhook_requests_total counter")?;
        for (i, c) in self.requests.iter().enumerate() {
            let code = CODES
                .get(i)
                .map_or_else(|| "other".to_string(), u16::to_string);
            writeln!(
                s,
                "rampart_webhook_requests_total{{code=\"{code}\"}} {}",
                c.load(Relaxed)
            )?;
        }
        writeln!(
            s,
            "# HELP rampart_webhook_decisions_total Admission decisions by resource and result."
        )?;
        writeln!(s, "# TYPE rampart_webhook_decisions_total counter")?;
        for route in Route::ALL {
            let r = route_index(route);
            for (j, result) in ["allowed", "denied"].iter().enumerate() {
                writeln!(
                    s,
                    "rampart_webhook_decisions_total{{resource=\"{}\",result=\"{result}\"}} {}",
                    route.as_str(),
                    self.decisions[r][j].load(Relaxed)
                )?;
            }
        }
        for (name, help, arr) in [
            (
                "rampart_webhook_warnings_total",
                "Responses carrying warnings, by resource.",
                &self.warned,
            ),
            (
                "rampart_webhook_exemptions_total",
                "Requests skipped by an exemption, by resource.",
                &self.exempt,
            ),
        ] {
            writeln!(s, "# HELP {name} {help}")?;
            writeln!(s, "# TYPE {name} counter")?;
            for route in Route::ALL {
                writeln!(
                    s,
                    "{name}{{resource=\"{}\"}} {}",
                    route.as_str(),
                    arr[route_index(route)].load(Relaxed)
                )?;
            }
        }
        writeln!(
            s,
            "# HELP rampart_webhook_dry_run_total Decided requests that were dry runs."
        )?;
        writeln!(s, "# TYPE rampart_webhook_dry_run_total counter")?;
        writeln!(
            s,
            "rampart_webhook_dry_run_total {}",
            self.dry_run.load(Relaxed)
        )?;
        writeln!(
            s,
            "# HELP rampart_webhook_errors_total Rejected or failed requests by kind."
        )?;
        writeln!(s, "# TYPE rampart_webhook_errors_total counter")?;
        for (k, c) in ErrorKind::ALL.iter().zip(&self.errors) {
            writeln!(
                s,
                "rampart_webhook_errors_total{{kind=\"{}\"}} {}",
                k.as_str(),
                c.load(Relaxed)
            )?;
        }
        writeln!(s, "# HELP rampart_webhook_request_duration_seconds Time from request headers to response.")?;
        writeln!(
            s,
            "# TYPE rampart_webhook_request_duration_seconds histogram"
        )?;
        let mut cumulative = 0;
        for (b, bound) in self.buckets.iter().zip(BUCKETS) {
            cumulative += b.load(Relaxed);
            writeln!(
                s,
                "rampart_webhook_request_duration_seconds_bucket{{le=\"{bound}\"}} {cumulative}"
            )?;
        }
        let count = self.latency_count.load(Relaxed);
        writeln!(
            s,
            "rampart_webhook_request_duration_seconds_bucket{{le=\"+Inf\"}} {count}"
        )?;
        #[allow(clippy::cast_precision_loss)]
        let sum = self.latency_sum_ns.load(Relaxed) as f64 / 1e9;
        writeln!(s, "rampart_webhook_request_duration_seconds_sum {sum}")?;
        writeln!(s, "rampart_webhook_request_duration_seconds_count {count}")?;
        for (name, kind, help, v) in [
            (
                "rampart_webhook_connections_total",
                "counter",
                "Accepted TCP connections.",
                &self.connections_total,
            ),
            (
                "rampart_webhook_connections_open",
                "gauge",
                "Open connections.",
                &self.connections_open,
            ),
            (
                "rampart_webhook_in_flight_requests",
                "gauge",
                "Requests being decided.",
                &self.in_flight,
            ),
            (
                "rampart_webhook_certificate_reloads_total",
                "counter",
                "Serving certificate reloads.",
                &self.cert_reloads,
            ),
            (
                "rampart_webhook_certificate_reload_errors_total",
                "counter",
                "Rejected certificate reloads (old certificate kept).",
                &self.cert_reload_errors,
            ),
            (
                "rampart_webhook_config_reloads_total",
                "counter",
                "Configuration reloads.",
                &self.config_reloads,
            ),
            (
                "rampart_webhook_config_reload_errors_total",
                "counter",
                "Rejected configuration reloads (old configuration kept).",
                &self.config_reload_errors,
            ),
        ] {
            writeln!(s, "# HELP {name} {help}")?;
            writeln!(s, "# TYPE {name} {kind}")?;
            writeln!(s, "{name} {}", v.load(Relaxed))?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_counters_and_histogram() {
        let m = Metrics::default();
        m.request(200, Duration::from_micros(300));
        m.request(400, Duration::from_millis(2));
        m.decision(Route::Pod, false, false, false, true);
        m.error(ErrorKind::BadRequest);
        let text = m.render();
        assert!(text.contains("rampart_webhook_requests_total{code=\"200\"} 1"));
        assert!(
            text.contains("rampart_webhook_decisions_total{resource=\"pods\",result=\"denied\"} 1")
        );
        assert!(text.contains("rampart_webhook_errors_total{kind=\"bad_request\"} 1"));
        assert!(text.contains("rampart_webhook_request_duration_seconds_bucket{le=\"0.0005\"} 1"));
        assert!(text.contains("rampart_webhook_request_duration_seconds_bucket{le=\"+Inf\"} 2"));
        assert!(text.contains("rampart_webhook_dry_run_total 1"));
    }
}
