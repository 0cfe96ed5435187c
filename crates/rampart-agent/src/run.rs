//! The agent's main loop: kernel records → events → attribution → rules → JSON lines, until
//! `--duration` elapses or SIGINT/SIGTERM arrives; then the ring buffer is drained and the
//! summary line written.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use nix::time::{clock_gettime, ClockId};
use tokio::signal::unix::{signal, SignalKind};

use crate::attrib::{cri::CriClient, Resolver};
use crate::event::{raw, Kind};
use crate::kernel::{KernelError, KernelStats, Probe};
use crate::metrics::Metrics;
use crate::output;
use crate::proc_table::ProcTable;
use crate::rules::RuleSet;

/// What to run.
#[derive(Debug, Default)]
pub struct Options {
    pub rules: RuleSet,
    pub duration: Option<Duration>,
    /// JSON-lines destination; stdout when `None`.
    pub output: Option<PathBuf>,
    pub metrics_listen: Option<SocketAddr>,
    /// CRI socket; the usual sockets are tried when `None`.
    pub cri_socket: Option<PathBuf>,
    /// Also write every event (not only alerts) as `{"event": {...}}` lines.
    pub emit_events: bool,
    /// Ring-buffer size in bytes (a power of two ≥ 4 KiB); 0 means
    /// [`DEFAULT_RING_BYTES`](crate::kernel::DEFAULT_RING_BYTES).
    pub ring_bytes: u32,
}

/// Totals of a run, as in the summary line.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Summary {
    pub events: u64,
    pub dropped: u64,
    pub alerts: u64,
}

/// Why the agent stopped with an error.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error(transparent)]
    Kernel(#[from] KernelError),
    #[error("cannot write {what}: {source}")]
    Io {
        what: String,
        source: std::io::Error,
    },
}

fn io(what: impl Into<String>) -> impl FnOnce(std::io::Error) -> RunError {
    let what = what.into();
    move |source| RunError::Io { what, source }
}

/// Converts CLOCK_BOOTTIME stamps of kernel events to wall-clock time.
struct Clock {
    offset_ns: i128,
}

impl Clock {
    fn new() -> Clock {
        let ns = |id| {
            clock_gettime(id).map_or(0i128, |t| {
                i128::from(t.tv_sec()) * 1_000_000_000 + i128::from(t.tv_nsec())
            })
        };
        Clock {
            offset_ns: ns(ClockId::CLOCK_REALTIME) - ns(ClockId::CLOCK_BOOTTIME),
        }
    }
    fn wall(&self, boot_ns: u64) -> String {
        output::rfc3339(u128::try_from(i128::from(boot_ns) + self.offset_ns).unwrap_or(0))
    }
}

/// Runs the agent to completion.
pub fn run(opts: Options) -> Result<Summary, RunError> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(io("the tokio runtime"))?;
    rt.block_on(run_async(opts))
}

struct Loop {
    rules: RuleSet,
    procs: ProcTable,
    resolver: Resolver,
    metrics: Metrics,
    clock: Clock,
    out: Box<dyn Write>,
    out_name: String,
    summary: Summary,
    reported_drops: u64,
    emit_events: bool,
}

async fn run_async(opts: Options) -> Result<Summary, RunError> {
    let (out, out_name): (Box<dyn Write>, String) = match &opts.output {
        Some(p) => (
            Box::new(BufWriter::new(
                File::create(p).map_err(io(p.display().to_string()))?,
            )),
            p.display().to_string(),
        ),
        None => (Box::new(std::io::stdout()), "stdout".into()),
    };
    let metrics = Metrics::new();
    let ring_bytes = if opts.ring_bytes == 0 {
        crate::kernel::DEFAULT_RING_BYTES
    } else {
        opts.ring_bytes
    };
    let mut probe = Probe::load(std::process::id(), ring_bytes)?;
    for s in probe.skipped() {
        eprintln!("note: tracepoint {s} does not exist on this kernel; its events are not watched");
    }
    if let Some(addr) = opts.metrics_listen {
        let bound = crate::metrics::serve(addr, metrics.clone())
            .await
            .map_err(io(format!("metrics listener {addr}")))?;
        eprintln!("serving metrics on http://{bound}/metrics");
    }
    let mut procs = ProcTable::new("/proc");
    procs.seed();
    let socket = opts.cri_socket.clone().or_else(CriClient::default_socket);
    let mut lp = Loop {
        rules: opts.rules,
        procs,
        resolver: Resolver::new(socket.as_deref()),
        metrics,
        clock: Clock::new(),
        out,
        out_name,
        summary: Summary::default(),
        reported_drops: 0,
        emit_events: opts.emit_events,
    };
    let mut sigint = signal(SignalKind::interrupt()).map_err(io("SIGINT handler"))?;
    let mut sigterm = signal(SignalKind::terminate()).map_err(io("SIGTERM handler"))?;
    let deadline = opts.duration.map(|d| tokio::time::Instant::now() + d);
    let stop = async move {
        match deadline {
            Some(d) => tokio::time::sleep_until(d).await,
            None => std::future::pending().await,
        }
    };
    tokio::pin!(stop);
    let mut tick = tokio::time::interval(Duration::from_secs(1));
    let mut batch = Vec::new();
    eprintln!(
        "rampart agent: watching with {} rules (cri: {})",
        lp.rules.len(),
        socket
            .as_ref()
            .map_or("none".to_string(), |s| s.display().to_string())
    );
    // The kernel wakes the agent only when 256 KiB are queued; this timer bounds the latency
    // of everything below that.
    let mut drain_tick = tokio::time::interval(Duration::from_millis(20));
    loop {
        let mut done = false;
        let mut drain = false;
        tokio::select! {
            r = probe.next_batch(&mut batch) => r.map_err(io("the ring buffer"))?,
            () = &mut stop => done = true,
            _ = sigint.recv() => done = true,
            _ = sigterm.recv() => done = true,
            _ = drain_tick.tick() => drain = true,
            _ = tick.tick() => lp.check_drops(probe.stats()?)?,
        }
        if drain {
            probe.drain(&mut batch);
        }
        lp.process(&mut batch).await?;
        if done {
            break;
        }
    }
    // Whatever the kernel already queued still counts: drain it before the totals.
    probe.drain(&mut batch);
    lp.process(&mut batch).await?;
    let stats = probe.stats()?;
    lp.check_drops(stats)?;
    lp.summary.dropped = stats.dropped;
    let s = lp.summary;
    output::write_line(
        &mut lp.out,
        &output::summary_line(s.events, s.dropped, s.alerts),
    )
    .map_err(io(lp.out_name.clone()))?;
    lp.out.flush().map_err(io(lp.out_name.clone()))?;
    Ok(s)
}

impl Loop {
    async fn process(&mut self, batch: &mut Vec<Vec<u8>>) -> Result<(), RunError> {
        if batch.is_empty() {
            return Ok(());
        }
        for rec in batch.drain(..) {
            self.summary.events += 1;
            let mut ev = match raw::decode(&rec) {
                Ok(ev) => ev,
                Err(e) => {
                    tracing::debug!("undecodable record: {e}");
                    self.metrics.decode_error();
                    continue;
                }
            };
            self.metrics.event_kind(ev.kind);
            ev.time = self.clock.wall(ev.ts_ns);
            self.procs.observe(&mut ev);
            ev.container = self.resolver.resolve(ev.cgroup_id, ev.pid).await;
            if ev.kind == Kind::Setns {
                ev.ns_host = self.resolver.is_host_namespace(ev.arg2);
            }
            if self.emit_events {
                let line = serde_json::json!({ "event": crate::event::to_json(&ev) });
                output::write_line(&mut self.out, &line).map_err(io(self.out_name.clone()))?;
            }
            for alert in self.rules.eval(&ev) {
                self.summary.alerts += 1;
                let m = alert.meta;
                self.metrics.alert(m.id, m.name, m.severity.as_str());
                output::write_line(&mut self.out, &output::finding(&alert, &ev))
                    .map_err(io(self.out_name.clone()))?;
            }
        }
        self.out.flush().map_err(io(self.out_name.clone()))
    }

    /// Reports newly lost events as a finding line and in the metrics.
    fn check_drops(&mut self, stats: KernelStats) -> Result<(), RunError> {
        self.metrics.kernel_totals(stats.emitted, stats.dropped);
        self.metrics.processes(self.procs.len());
        if stats.dropped > self.reported_drops {
            let new = stats.dropped - self.reported_drops;
            self.reported_drops = stats.dropped;
            let now = self
                .clock
                .wall(clock_gettime(ClockId::CLOCK_BOOTTIME).map_or(0, |t| {
                    u64::try_from(t.tv_sec()).unwrap_or(0) * 1_000_000_000
                        + u64::try_from(t.tv_nsec()).unwrap_or(0)
                }));
            eprintln!(
                "warning: {new} kernel events lost ({} in total)",
                stats.dropped
            );
            output::write_line(
                &mut self.out,
                &output::drop_finding(new, stats.dropped, &now),
            )
            .map_err(io(self.out_name.clone()))?;
            self.out.flush().map_err(io(self.out_name.clone()))?;
        }
        Ok(())
    }
}
