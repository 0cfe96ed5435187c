//! `rampart webhook serve` as one call: validate every input, start the namespace source, bind,
//! serve until SIGTERM or SIGINT, drain, return.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use crate::decide::Engine;
use crate::kube::{ApiServer, LiveState};
use crate::load::{self, LoadError};
use crate::reload::{self, PolicyFiles};
use crate::server::{AppState, ServeError, Server, TlsFiles};
use crate::state::ClusterState;

/// Everything `serve` takes.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub listen: SocketAddr,
    pub tls: TlsFiles,
    pub admission_config: Option<PathBuf>,
    pub namespaces: Option<PathBuf>,
    pub config: Option<PathBuf>,
}

#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error("{0}")]
    Config(#[from] LoadError),
    #[error(transparent)]
    Serve(#[from] ServeError),
    #[error("cannot reach the cluster for the namespace watch (pass --namespaces FILE to run offline): {0}")]
    Cluster(String),
    #[error("cannot start the async runtime: {0}")]
    Runtime(std::io::Error),
}

/// Validates the inputs, then serves until a shutdown signal. Blocks the calling thread.
pub fn serve_blocking(opts: &ServeOptions) -> Result<(), RunError> {
    // Configuration errors stop the start, before anything listens.
    let (policy, cfg) = load::policy(opts.admission_config.as_deref(), opts.config.as_deref())?;
    let offline = match &opts.namespaces {
        Some(p) => Some(load::namespaces(p)?),
        None => None,
    };
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(RunError::Runtime)?;
    rt.block_on(async move {
        let state: Arc<dyn ClusterState> = match offline {
            Some(s) => {
                tracing::info!(
                    namespaces = s.namespace_count(),
                    "namespace labels read from file"
                );
                Arc::new(s)
            }
            None => {
                let api = ApiServer::in_cluster().map_err(|e| RunError::Cluster(e.to_string()))?;
                let live = LiveState::new(api);
                tokio::spawn(live.clone().run());
                live
            }
        };
        let mut engine = Engine::new(policy, state);
        if !cfg.limits.decision_cache {
            engine = engine.without_cache();
        }
        let server =
            Server::bind(opts.listen, &opts.tls, AppState::new(engine, cfg.limits)).await?;
        tracing::info!(
            listen = %server.local_addr().map_or_else(String::new, |a| a.to_string()),
            "rampart webhook serving"
        );
        let reloader = tokio::spawn(reload::watch(
            server.state(),
            server.certificate(),
            PolicyFiles {
                admission_config: opts.admission_config.clone(),
                config: opts.config.clone(),
            },
        ));
        server.run(shutdown_signal()).await;
        reloader.abort();
        tracing::info!("rampart webhook stopped");
        Ok(())
    })
}

/// Completes on SIGTERM (Kubernetes' pod termination) or SIGINT.
pub async fn shutdown_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        let term = signal(SignalKind::terminate());
        let int = signal(SignalKind::interrupt());
        match (term, int) {
            (Ok(mut t), Ok(mut i)) => {
                tokio::select! {
                    _ = t.recv() => tracing::info!(signal = "SIGTERM", "shutdown requested"),
                    _ = i.recv() => tracing::info!(signal = "SIGINT", "shutdown requested"),
                }
            }
            _ => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}
