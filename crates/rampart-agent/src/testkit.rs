//! Helpers for end-to-end tests: start and remove real pods through CRI, synchronously.
//! Used by `crates/rampart/tests/agent_e2e.rs`; not part of the agent's run-time path.

use std::collections::HashMap;
use std::path::Path;

use crate::attrib::cri::{CriClient, CriError};
use crate::attrib::cri_proto as pb;

/// A pod with one container, as the tests describe it.
#[derive(Debug, Clone, Default)]
pub struct PodSpec {
    pub namespace: String,
    pub name: String,
    pub container: String,
    pub image: String,
    pub command: Vec<String>,
    /// Privileged container (and sandbox).
    pub privileged: bool,
    /// Share the host's pid namespace.
    pub host_pid: bool,
    /// Run as this uid.
    pub run_as_user: Option<i64>,
    /// (host path, container path, read-only)
    pub mounts: Vec<(String, String, bool)>,
    /// Directory for the container log.
    pub log_dir: String,
}

/// Ids of a started pod.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StartedPod {
    pub pod_id: String,
    pub container_id: String,
    pub uid: String,
}

fn runtime() -> Result<tokio::runtime::Runtime, CriError> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| CriError::Status {
            method: "runtime",
            status: tonic::Status::internal(e.to_string()),
        })
}

/// Starts the pod (host network, cgroupfs parent `/kubepods/besteffort/pod<uid>`).
pub fn start_pod(socket: &Path, spec: &PodSpec) -> Result<StartedPod, CriError> {
    let uid = format!(
        "{:08x}-0000-4000-8000-{:012x}",
        std::process::id(),
        fxhash(&spec.name)
    );
    let ns_opts = pb::NamespaceOption {
        network: 2,
        pid: if spec.host_pid { 2 } else { 1 },
        ipc: 0,
    };
    let sandbox = pb::PodSandboxConfig {
        metadata: Some(pb::PodSandboxMetadata {
            name: spec.name.clone(),
            uid: uid.clone(),
            namespace: spec.namespace.clone(),
            attempt: 0,
        }),
        // Host-network pods keep the node's hostname (as the kubelet does).
        hostname: String::new(),
        log_directory: spec.log_dir.clone(),
        labels: HashMap::from([("app".to_string(), spec.name.clone())]),
        linux: Some(pb::LinuxPodSandboxConfig {
            cgroup_parent: format!("/kubepods/besteffort/pod{uid}"),
            security_context: Some(pb::LinuxSandboxSecurityContext {
                namespace_options: Some(ns_opts.clone()),
                privileged: spec.privileged,
            }),
        }),
    };
    let container = pb::ContainerConfig {
        metadata: Some(pb::ContainerMetadata {
            name: spec.container.clone(),
            attempt: 0,
        }),
        image: Some(pb::ImageSpec {
            image: spec.image.clone(),
        }),
        command: spec.command.clone(),
        args: Vec::new(),
        mounts: spec
            .mounts
            .iter()
            .map(|(h, c, ro)| pb::Mount {
                host_path: h.clone(),
                container_path: c.clone(),
                readonly: *ro,
            })
            .collect(),
        labels: HashMap::new(),
        log_path: format!("{}.log", spec.container),
        linux: Some(pb::LinuxContainerConfig {
            security_context: Some(pb::LinuxContainerSecurityContext {
                privileged: spec.privileged,
                namespace_options: Some(ns_opts),
                run_as_user: spec.run_as_user.map(|value| pb::Int64Value { value }),
            }),
        }),
    };
    let rt = runtime()?;
    rt.block_on(async {
        let cri = CriClient::connect(socket)?;
        let pod_id = cri.run_pod(sandbox.clone()).await?;
        let container_id = cri.start_container(&pod_id, sandbox, container).await?;
        Ok(StartedPod {
            pod_id,
            container_id,
            uid,
        })
    })
}

/// Stops and removes a pod.
pub fn remove_pod(socket: &Path, pod_id: &str) -> Result<(), CriError> {
    let rt = runtime()?;
    rt.block_on(async { CriClient::connect(socket)?.remove_pod(pod_id).await })
}

fn fxhash(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    }) & 0xffff_ffff_ffff
}
