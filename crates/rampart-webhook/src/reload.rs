//! Hot reload: the serving certificate and the policy files are polled; a change is loaded,
//! validated and swapped in atomically. An invalid new file never replaces a valid one.

use std::path::PathBuf;
use std::sync::atomic::Ordering::Relaxed;
use std::sync::Arc;

use crate::load;
use crate::server::AppState;
use crate::tls::{FileStamp, ReloadingCert};

/// The policy files to watch (`--admission-config`, `--config`).
#[derive(Debug, Clone, Default)]
pub struct PolicyFiles {
    pub admission_config: Option<PathBuf>,
    pub config: Option<PathBuf>,
}

impl PolicyFiles {
    fn stamp(&self) -> FileStamp {
        let paths: Vec<&std::path::Path> = self
            .admission_config
            .iter()
            .chain(self.config.iter())
            .map(PathBuf::as_path)
            .collect();
        FileStamp::of(&paths)
    }
}

/// Polls until the task is dropped (abort it on shutdown).
pub async fn watch(state: Arc<AppState>, cert: Arc<ReloadingCert>, files: PolicyFiles) {
    let mut stamp = files.stamp();
    let mut tick = tokio::time::interval(state.limits.reload_interval);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    tick.tick().await;
    loop {
        tick.tick().await;
        match cert.reload_if_changed() {
            Ok(true) => {
                state.metrics.cert_reloads.fetch_add(1, Relaxed);
                tracing::info!("serving certificate reloaded");
            }
            Ok(false) => {}
            Err(e) => {
                state.metrics.cert_reload_errors.fetch_add(1, Relaxed);
                tracing::error!(error = %e, "new serving certificate rejected; keeping the old one");
            }
        }
        let now = files.stamp();
        if now != stamp {
            stamp = now;
            match load::policy(files.admission_config.as_deref(), files.config.as_deref()) {
                Ok((policy, _)) => {
                    state.engine.set_policy(policy);
                    state.metrics.config_reloads.fetch_add(1, Relaxed);
                    tracing::info!("configuration reloaded");
                }
                Err(e) => {
                    state.metrics.config_reload_errors.fetch_add(1, Relaxed);
                    tracing::error!(error = %e, "new configuration rejected; keeping the old one");
                }
            }
        }
    }
}
