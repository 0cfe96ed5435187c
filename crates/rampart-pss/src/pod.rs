//! A decoded, read-only view of a pod spec and its metadata: exactly the fields Pod Security
//! Admission reads, type-checked like the API server's decoder and defaulted like the API
//! server (§2.3–2.4 of the spec). Built once per pod; the checks borrow from it.

use serde_json::{Map, Value};

use crate::decode::{
    at, boolean, int32, int64, int_or_string, item_int64, item_obj, item_str, list, obj, string,
    string_map, under, DecodeError, Root, R,
};

pub use rampart_manifest::pod::ContainerKind;

/// What to decode: a pod's (or pod template's) metadata and spec.
#[derive(Debug, Clone, Copy)]
pub struct PodInput<'a> {
    pub metadata: Option<&'a Value>,
    pub spec: Option<&'a Value>,
    /// A Pod object rather than a template: only Pods get host ports defaulted from
    /// container ports on the host network (not templates, since Kubernetes 1.28).
    pub is_pod: bool,
}

/// A container or pod security context, as far as PSA reads it.
#[derive(Debug, Clone, Default)]
pub struct SecurityContext<'a> {
    pub privileged: Option<bool>,
    pub allow_privilege_escalation: Option<bool>,
    pub capabilities: Option<Capabilities<'a>>,
    pub proc_mount: Option<&'a str>,
    pub se_linux: Option<SeLinux<'a>>,
    /// `seccompProfile.type` when a profile is present (`""` when it has no type).
    pub seccomp: Option<&'a str>,
    /// `appArmorProfile.type` when a profile is present.
    pub app_armor: Option<&'a str>,
    pub host_process: Option<bool>,
    pub run_as_non_root: Option<bool>,
    pub run_as_user: Option<i64>,
}

/// `capabilities`; the lists hold strings or `null` (checked while decoding).
#[derive(Debug, Clone, Copy, Default)]
pub struct Capabilities<'a> {
    add: &'a [Value],
    drop: &'a [Value],
}

impl<'a> Capabilities<'a> {
    pub fn add(&self) -> impl Iterator<Item = &'a str> + 'a {
        self.add.iter().map(|v| v.as_str().unwrap_or(""))
    }
    pub fn drop(&self) -> impl Iterator<Item = &'a str> + 'a {
        self.drop.iter().map(|v| v.as_str().unwrap_or(""))
    }
}

#[derive(Debug, Clone, Copy, Default)]
pub struct SeLinux<'a> {
    pub type_: &'a str,
    pub user: &'a str,
    pub role: &'a str,
}

/// Where a probe or lifecycle handler's `host` was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HostField {
    /// `livenessProbe`, `readinessProbe`, `startupProbe`, or `lifecycle.postStart`/`preStop`.
    pub handler: &'static str,
    /// `httpGet` or `tcpSocket`.
    pub action: &'static str,
}

#[derive(Debug, Clone)]
pub struct Container<'a> {
    pub kind: ContainerKind,
    pub index: usize,
    pub name: &'a str,
    pub security_context: Option<SecurityContext<'a>>,
    /// Non-zero host ports after defaulting: (index in `ports`, port).
    pub host_ports: Vec<(usize, i64)>,
    /// Non-empty probe and lifecycle hosts.
    pub hosts: Vec<(HostField, &'a str)>,
}

/// A volume's source after defaulting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VolumeType {
    /// A source the restricted level allows (a sourceless volume defaults to `emptyDir`).
    Allowed,
    /// A restricted source, named as upstream names it.
    Restricted(&'static str),
}

#[derive(Debug, Clone)]
pub struct Volume<'a> {
    pub index: usize,
    pub name: &'a str,
    pub host_path: bool,
    pub kind: VolumeType,
}

/// A decoded pod.
#[derive(Debug, Clone, Default)]
pub struct Pod<'a> {
    pub annotations: Option<&'a Map<String, Value>>,
    pub host_network: bool,
    pub host_pid: bool,
    pub host_ipc: bool,
    pub host_users: Option<bool>,
    pub os_name: &'a str,
    pub runtime_class_name: &'a str,
    pub security_context: Option<SecurityContext<'a>>,
    /// Pod-level sysctl names: (index, name).
    pub sysctls: Vec<(usize, &'a str)>,
    /// Init, regular, then ephemeral containers: the order every PSA container rule visits.
    pub containers: Vec<Container<'a>>,
    pub volumes: Vec<Volume<'a>>,
}

impl<'a> Pod<'a> {
    /// Decodes `input`, or says which field has the wrong type.
    pub fn decode(input: PodInput<'a>) -> Result<Self, DecodeError> {
        let mut pod = Pod::default();
        if let Some(meta) = input.metadata {
            let meta = item_obj(meta).map_err(|m| m.at_root(Root::Metadata))?;
            if let Some(meta) = meta {
                pod.annotations =
                    string_map(meta, "annotations").map_err(|m| m.at_root(Root::Metadata))?;
            }
        }
        if let Some(spec) = input.spec {
            let spec = item_obj(spec).map_err(|m| m.at_root(Root::Spec))?;
            if let Some(spec) = spec {
                decode_spec(&mut pod, spec, input.is_pod).map_err(|m| m.at_root(Root::Spec))?;
            }
        }
        Ok(pod)
    }

    /// `spec.os.name` is exactly `windows`.
    pub fn is_windows(&self) -> bool {
        self.os_name == "windows"
    }

    /// `spec.hostUsers` is explicitly `false`.
    pub fn in_user_namespace(&self) -> bool {
        self.host_users == Some(false)
    }

    /// An annotation's value (`null` reads as `""`).
    pub fn annotation(&self, key: &str) -> Option<&'a str> {
        self.annotations?.get(key).map(|v| v.as_str().unwrap_or(""))
    }
}

fn decode_spec<'a>(pod: &mut Pod<'a>, spec: &'a Map<String, Value>, is_pod: bool) -> R<()> {
    pod.host_network = boolean(spec, "hostNetwork")?.unwrap_or(false);
    pod.host_pid = boolean(spec, "hostPID")?.unwrap_or(false);
    pod.host_ipc = boolean(spec, "hostIPC")?.unwrap_or(false);
    pod.host_users = boolean(spec, "hostUsers")?;
    pod.runtime_class_name = string(spec, "runtimeClassName")?.unwrap_or("");
    if let Some(os) = obj(spec, "os")? {
        pod.os_name = under("os", string(os, "name"))?.unwrap_or("");
    }
    if let Some(sc) = obj(spec, "securityContext")? {
        let (ctx, sysctls) = under("securityContext", pod_security_context(sc))?;
        pod.security_context = Some(ctx);
        pod.sysctls = sysctls;
    }
    let default_host_ports = is_pod && pod.host_network;
    for kind in [
        ContainerKind::Init,
        ContainerKind::Container,
        ContainerKind::Ephemeral,
    ] {
        let field = kind.field();
        for (index, item) in list(spec, field)?.iter().enumerate() {
            // Defaulting covers init and regular containers, not ephemeral ones.
            let defaults = default_host_ports && kind != ContainerKind::Ephemeral;
            let c = under(field, at(index, container(kind, index, item, defaults)))?;
            pod.containers.push(c);
        }
    }
    for (index, item) in list(spec, "volumes")?.iter().enumerate() {
        pod.volumes.push(under(
            "volumes",
            at(index, crate::volume::volume(index, item)),
        )?);
    }
    Ok(())
}

type PodContext<'a> = (SecurityContext<'a>, Vec<(usize, &'a str)>);

fn pod_security_context(sc: &Map<String, Value>) -> R<PodContext<'_>> {
    let mut ctx = common_context(sc)?;
    ctx.run_as_non_root = boolean(sc, "runAsNonRoot")?;
    int64(sc, "fsGroup")?;
    string(sc, "fsGroupChangePolicy")?;
    string(sc, "supplementalGroupsPolicy")?;
    string(sc, "seLinuxChangePolicy")?;
    for (i, g) in list(sc, "supplementalGroups")?.iter().enumerate() {
        under("supplementalGroups", at(i, item_int64(g)))?;
    }
    let mut sysctls = Vec::new();
    for (i, item) in list(sc, "sysctls")?.iter().enumerate() {
        let name = under(
            "sysctls",
            at(i, {
                let s = item_obj(item)?;
                match s {
                    Some(s) => {
                        string(s, "value")?;
                        string(s, "name").map(Option::unwrap_or_default)
                    }
                    None => Ok(""),
                }
            }),
        )?;
        sysctls.push((i, name));
    }
    Ok((ctx, sysctls))
}

/// Fields pod and container security contexts share.
fn common_context(sc: &Map<String, Value>) -> R<SecurityContext<'_>> {
    let mut ctx = SecurityContext {
        run_as_user: int64(sc, "runAsUser")?,
        ..SecurityContext::default()
    };
    int64(sc, "runAsGroup")?;
    if let Some(o) = obj(sc, "seLinuxOptions")? {
        ctx.se_linux = Some(under("seLinuxOptions", se_linux(o))?);
    }
    if let Some(o) = obj(sc, "seccompProfile")? {
        ctx.seccomp = Some(under("seccompProfile", profile(o))?);
    }
    if let Some(o) = obj(sc, "appArmorProfile")? {
        ctx.app_armor = Some(under("appArmorProfile", profile(o))?);
    }
    if let Some(o) = obj(sc, "windowsOptions")? {
        ctx.host_process = under("windowsOptions", windows_options(o))?;
    }
    Ok(ctx)
}

fn se_linux(o: &Map<String, Value>) -> R<SeLinux<'_>> {
    string(o, "level")?;
    Ok(SeLinux {
        type_: string(o, "type")?.unwrap_or(""),
        user: string(o, "user")?.unwrap_or(""),
        role: string(o, "role")?.unwrap_or(""),
    })
}

fn profile(o: &Map<String, Value>) -> R<&str> {
    string(o, "localhostProfile")?;
    Ok(string(o, "type")?.unwrap_or(""))
}

fn windows_options(o: &Map<String, Value>) -> R<Option<bool>> {
    string(o, "gmsaCredentialSpecName")?;
    string(o, "gmsaCredentialSpec")?;
    string(o, "runAsUserName")?;
    boolean(o, "hostProcess")
}

fn container_context(sc: &Map<String, Value>) -> R<SecurityContext<'_>> {
    let mut ctx = common_context(sc)?;
    ctx.run_as_non_root = boolean(sc, "runAsNonRoot")?;
    ctx.privileged = boolean(sc, "privileged")?;
    ctx.allow_privilege_escalation = boolean(sc, "allowPrivilegeEscalation")?;
    boolean(sc, "readOnlyRootFilesystem")?;
    ctx.proc_mount = string(sc, "procMount")?;
    if let Some(caps) = obj(sc, "capabilities")? {
        let add = under("capabilities", list(caps, "add"))?;
        let drop = under("capabilities", list(caps, "drop"))?;
        for (key, items) in [("add", add), ("drop", drop)] {
            for (i, v) in items.iter().enumerate() {
                under("capabilities", under(key, at(i, item_str(v))))?;
            }
        }
        ctx.capabilities = Some(Capabilities { add, drop });
    }
    Ok(ctx)
}

const PROBES: [&str; 3] = ["livenessProbe", "readinessProbe", "startupProbe"];
const HOOKS: [&str; 2] = ["postStart", "preStop"];
const ACTIONS: [&str; 2] = ["httpGet", "tcpSocket"];

fn container(
    kind: ContainerKind,
    index: usize,
    item: &Value,
    default_host_ports: bool,
) -> R<Container<'_>> {
    let mut c = Container {
        kind,
        index,
        name: "",
        security_context: None,
        host_ports: Vec::new(),
        hosts: Vec::new(),
    };
    let Some(m) = item_obj(item)? else {
        return Ok(c);
    };
    c.name = string(m, "name")?.unwrap_or("");
    if let Some(sc) = obj(m, "securityContext")? {
        c.security_context = Some(under("securityContext", container_context(sc))?);
    }
    for (i, p) in list(m, "ports")?.iter().enumerate() {
        let port = under("ports", at(i, host_port(p, default_host_ports)))?;
        if port != 0 {
            c.host_ports.push((i, port));
        }
    }
    for probe in PROBES {
        if let Some(p) = obj(m, probe)? {
            under(probe, handler_hosts(p, probe, &mut c.hosts))?;
        }
    }
    if let Some(lc) = obj(m, "lifecycle")? {
        for hook in HOOKS {
            if let Some(h) = under("lifecycle", obj(lc, hook))? {
                let name = if hook == "postStart" {
                    "lifecycle.postStart"
                } else {
                    "lifecycle.preStop"
                };
                under(
                    "lifecycle",
                    under(hook, handler_hosts(h, name, &mut c.hosts)),
                )?;
            }
        }
    }
    Ok(c)
}

/// The port's host port after defaulting (hostNetwork Pods: `hostPort = containerPort`).
fn host_port(p: &Value, default_from_container: bool) -> R<i64> {
    let Some(p) = item_obj(p)? else {
        return Ok(0);
    };
    string(p, "name")?;
    string(p, "protocol")?;
    string(p, "hostIP")?;
    let container_port = int32(p, "containerPort")?.unwrap_or(0);
    let host = int32(p, "hostPort")?.unwrap_or(0);
    Ok(if host == 0 && default_from_container {
        container_port
    } else {
        host
    })
}

fn handler_hosts<'a>(
    h: &'a Map<String, Value>,
    handler: &'static str,
    out: &mut Vec<(HostField, &'a str)>,
) -> R<()> {
    for action in ACTIONS {
        if let Some(a) = obj(h, action)? {
            under(action, int_or_string(a, "port"))?;
            let host = under(action, string(a, "host"))?.unwrap_or("");
            if !host.is_empty() {
                out.push((HostField { handler, action }, host));
            }
        }
    }
    Ok(())
}
