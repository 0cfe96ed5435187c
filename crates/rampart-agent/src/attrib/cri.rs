//! A minimal CRI (`runtime.v1.RuntimeService`) client over the runtime's unix socket: container
//! status for attribution, and the few pod calls the end-to-end tests need to start real pods.

use std::path::{Path, PathBuf};

use hyper_util::rt::TokioIo;
use tonic::codegen::http::uri::PathAndQuery;
use tonic::transport::{Channel, Endpoint, Uri};

use super::cri_proto as pb;

/// The usual CRI sockets, tried in order when none is configured.
pub const DEFAULT_SOCKETS: &[&str] = &[
    "/run/containerd/containerd.sock",
    "/var/run/containerd/containerd.sock",
    "/run/crio/crio.sock",
    "/var/run/cri-dockerd.sock",
];

/// A CRI failure: transport or gRPC status.
#[derive(Debug, thiserror::Error)]
pub enum CriError {
    #[error("cannot connect to the CRI socket {path}: {source}")]
    Connect {
        path: String,
        source: tonic::transport::Error,
    },
    #[error("CRI {method}: {status}")]
    Status {
        method: &'static str,
        status: tonic::Status,
    },
    #[error("CRI {method}: the runtime is not ready: {source}")]
    NotReady {
        method: &'static str,
        source: tonic::transport::Error,
    },
}

/// What CRI says about one container.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ContainerMeta {
    pub name: String,
    pub image: String,
    pub pod: String,
    pub namespace: String,
    pub pod_uid: String,
}

/// A connected CRI client.
#[derive(Debug, Clone)]
pub struct CriClient {
    channel: Channel,
}

impl CriClient {
    /// Connects to `socket`; the connection is made lazily on first use.
    pub fn connect(socket: &Path) -> Result<CriClient, CriError> {
        let path = socket.to_path_buf();
        let endpoint =
            Endpoint::try_from("http://[::1]:0").map_err(|source| CriError::Connect {
                path: socket.display().to_string(),
                source,
            })?;
        let channel = endpoint
            .connect_timeout(std::time::Duration::from_secs(2))
            .timeout(std::time::Duration::from_secs(10))
            .connect_with_connector_lazy(tower::service_fn(move |_: Uri| {
                let path: PathBuf = path.clone();
                async move {
                    Ok::<_, std::io::Error>(TokioIo::new(
                        tokio::net::UnixStream::connect(path).await?,
                    ))
                }
            }));
        Ok(CriClient { channel })
    }

    /// The first existing default socket.
    pub fn default_socket() -> Option<PathBuf> {
        DEFAULT_SOCKETS
            .iter()
            .map(PathBuf::from)
            .find(|p| p.exists())
    }

    async fn call<Req, Resp>(&self, method: &'static str, req: Req) -> Result<Resp, CriError>
    where
        Req: prost::Message + Send + Sync + 'static,
        Resp: prost::Message + Default + Send + Sync + 'static,
    {
        let mut grpc = tonic::client::Grpc::new(self.channel.clone());
        grpc.ready()
            .await
            .map_err(|source| CriError::NotReady { method, source })?;
        let path = PathAndQuery::from_static(method);
        let codec = tonic_prost::ProstCodec::<Req, Resp>::default();
        grpc.unary(tonic::Request::new(req), path, codec)
            .await
            .map(tonic::Response::into_inner)
            .map_err(|status| CriError::Status { method, status })
    }

    /// Pod and container metadata of `container_id`; `Ok(None)` when the runtime does not know it
    /// as a CRI container (e.g. started with `ctr` or docker).
    pub async fn container(&self, container_id: &str) -> Result<Option<ContainerMeta>, CriError> {
        let req = pb::ContainerStatusRequest {
            container_id: container_id.to_string(),
            verbose: false,
        };
        let resp: pb::ContainerStatusResponse = match self
            .call("/runtime.v1.RuntimeService/ContainerStatus", req)
            .await
        {
            Ok(r) => r,
            Err(CriError::Status { status, .. }) if status.code() == tonic::Code::NotFound => {
                return Ok(None)
            }
            Err(e) => return Err(e),
        };
        let Some(st) = resp.status else {
            return Ok(None);
        };
        let label = |k: &str| st.labels.get(k).cloned().unwrap_or_default();
        let image = st
            .image
            .as_ref()
            .map(|i| i.image.clone())
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| st.image_ref.clone());
        let mut meta = ContainerMeta {
            name: st
                .metadata
                .as_ref()
                .map(|m| m.name.clone())
                .unwrap_or_else(|| label("io.kubernetes.container.name")),
            image,
            pod: label("io.kubernetes.pod.name"),
            namespace: label("io.kubernetes.pod.namespace"),
            pod_uid: label("io.kubernetes.pod.uid"),
        };
        // The kubelet labels containers with their pod; other CRI clients may not, so the pod
        // sandbox's own metadata is the fallback.
        if meta.pod.is_empty() {
            if let Some(pod) = self.sandbox_of(container_id).await? {
                meta.pod = pod.name;
                meta.namespace = pod.namespace;
                meta.pod_uid = pod.uid;
            }
        }
        Ok(Some(meta))
    }

    /// The metadata of the pod sandbox a container belongs to.
    async fn sandbox_of(
        &self,
        container_id: &str,
    ) -> Result<Option<pb::PodSandboxMetadata>, CriError> {
        let req = pb::ListContainersRequest {
            filter: Some(pb::ContainerFilter {
                id: container_id.to_string(),
            }),
        };
        let list: pb::ListContainersResponse = self
            .call("/runtime.v1.RuntimeService/ListContainers", req)
            .await?;
        let Some(sandbox) = list
            .containers
            .into_iter()
            .find(|c| c.id == container_id)
            .map(|c| c.pod_sandbox_id)
        else {
            return Ok(None);
        };
        let req = pb::PodSandboxStatusRequest {
            pod_sandbox_id: sandbox,
            verbose: false,
        };
        let resp: pb::PodSandboxStatusResponse = self
            .call("/runtime.v1.RuntimeService/PodSandboxStatus", req)
            .await?;
        Ok(resp.status.and_then(|s| s.metadata))
    }

    /// Starts a pod sandbox; returns its id.
    pub async fn run_pod(&self, config: pb::PodSandboxConfig) -> Result<String, CriError> {
        let resp: pb::RunPodSandboxResponse = self
            .call(
                "/runtime.v1.RuntimeService/RunPodSandbox",
                pb::RunPodSandboxRequest {
                    config: Some(config),
                },
            )
            .await?;
        Ok(resp.pod_sandbox_id)
    }

    /// Creates and starts a container in a pod; returns its id.
    pub async fn start_container(
        &self,
        pod_id: &str,
        pod: pb::PodSandboxConfig,
        config: pb::ContainerConfig,
    ) -> Result<String, CriError> {
        let req = pb::CreateContainerRequest {
            pod_sandbox_id: pod_id.to_string(),
            config: Some(config),
            sandbox_config: Some(pod),
        };
        let resp: pb::CreateContainerResponse = self
            .call("/runtime.v1.RuntimeService/CreateContainer", req)
            .await?;
        let _: pb::Empty = self
            .call(
                "/runtime.v1.RuntimeService/StartContainer",
                pb::ContainerIdRequest {
                    container_id: resp.container_id.clone(),
                },
            )
            .await?;
        Ok(resp.container_id)
    }

    /// Stops and removes a pod and its containers.
    pub async fn remove_pod(&self, pod_id: &str) -> Result<(), CriError> {
        let req = pb::PodSandboxIdRequest {
            pod_sandbox_id: pod_id.to_string(),
        };
        let _: pb::Empty = self
            .call("/runtime.v1.RuntimeService/StopPodSandbox", req.clone())
            .await?;
        let _: pb::Empty = self
            .call("/runtime.v1.RuntimeService/RemovePodSandbox", req)
            .await?;
        Ok(())
    }
}
