//! The effective security context of a container, as the kubelet resolves it.
//!
//! Kubernetes merges a container's `securityContext` over its pod's `securityContext`
//! (`DetermineEffectiveSecurityContext` in the kubelet): for `runAsNonRoot`, `runAsUser`,
//! `runAsGroup`, `seccompProfile`, `seLinuxOptions` and `appArmorProfile` the container value
//! wins whenever it is set, and the whole struct is taken from one side (a container
//! `seLinuxOptions: {type: x}` does not inherit the pod's `level`). `windowsOptions` is merged
//! field by field. `privileged`, `allowPrivilegeEscalation`, `readOnlyRootFilesystem`,
//! `capabilities` and `procMount` exist on containers only. AppArmor also honours the legacy
//! per-container annotation, between the container field and the pod field.
//!
//! Absent and `null` are the same (a nil pointer after decoding). Each [`Setting`] remembers
//! where its value came from, so a finding can point at the container field, at the pod field
//! it inherited, or — when nothing is set — at the container field that should be added (the
//! loader then falls back to its nearest existing parent).

use rampart_model::JsonPath;
use serde_json::Value;

/// The annotation prefix of legacy per-container AppArmor profiles.
pub const APPARMOR_ANNOTATION_PREFIX: &str = "container.apparmor.security.beta.kubernetes.io/";

/// Where an effective value came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Origin {
    /// The container's own `securityContext`.
    Container,
    /// Inherited from the pod's `securityContext`.
    Pod,
    /// The legacy `container.apparmor.security.beta.kubernetes.io/<name>` pod annotation.
    Annotation,
    /// Set nowhere; the runtime default applies.
    Unset,
}

/// One effective field: its value (when set) and the place it came from.
#[derive(Debug, Clone, Copy)]
pub struct Setting<'a> {
    pub value: Option<&'a Value>,
    pub origin: Origin,
    /// Keys under `securityContext` naming the field, e.g. `["windowsOptions", "hostProcess"]`.
    pub field: &'static [&'static str],
}

impl<'a> Setting<'a> {
    fn unset(field: &'static [&'static str]) -> Self {
        Self {
            value: None,
            origin: Origin::Unset,
            field,
        }
    }

    pub fn is_set(&self) -> bool {
        self.value.is_some()
    }

    pub fn as_bool(&self) -> Option<bool> {
        self.value.and_then(Value::as_bool)
    }

    pub fn as_i64(&self) -> Option<i64> {
        self.value.and_then(Value::as_i64)
    }

    pub fn as_str(&self) -> Option<&'a str> {
        self.value.and_then(Value::as_str)
    }

    /// Words for messages telling where an inherited value came from.
    pub fn source_note(&self) -> &'static str {
        match self.origin {
            Origin::Pod => " (inherited from the pod securityContext)",
            Origin::Annotation => " (from the pod's AppArmor annotation)",
            Origin::Container | Origin::Unset => "",
        }
    }

    /// A member of a struct-valued setting (`seccompProfile.type`), `null` counting as absent.
    pub fn get(&self, key: &str) -> Option<&'a Value> {
        self.value?.get(key).filter(|v| !v.is_null())
    }
}

/// The value at `keys` under `sc`, ignoring `null`.
fn lookup<'a>(sc: Option<&'a Value>, keys: &[&str]) -> Option<&'a Value> {
    keys.iter()
        .try_fold(sc?, |cur, k| cur.get(*k))
        .filter(|v| !v.is_null())
}

/// A container's effective security context.
#[derive(Debug, Clone)]
pub struct EffectiveContext<'a> {
    container_sc_path: JsonPath,
    pod_sc_path: JsonPath,
    /// Path of the container's legacy AppArmor annotation, when the pod has one.
    annotation_path: Option<JsonPath>,
    pub run_as_non_root: Setting<'a>,
    pub run_as_user: Setting<'a>,
    pub run_as_group: Setting<'a>,
    pub seccomp_profile: Setting<'a>,
    pub se_linux_options: Setting<'a>,
    /// Container field, else container annotation (a string), else pod field.
    pub app_armor_profile: Setting<'a>,
    pub windows_host_process: Setting<'a>,
    pub windows_run_as_user_name: Setting<'a>,
    pub privileged: Setting<'a>,
    pub allow_privilege_escalation: Setting<'a>,
    pub read_only_root_filesystem: Setting<'a>,
    pub capabilities: Setting<'a>,
    pub proc_mount: Setting<'a>,
}

/// What the resolver needs to know about one container and its pod.
#[derive(Debug, Clone, Copy)]
pub struct Inputs<'a, 'p> {
    /// The pod's `securityContext`, if any.
    pub pod_sc: Option<&'a Value>,
    /// Path of the pod's `securityContext` (whether or not it exists).
    pub pod_sc_path: &'p JsonPath,
    /// The container object.
    pub container: &'a Value,
    /// Path of the container object.
    pub container_path: &'p JsonPath,
    /// The pod's (or pod template's) `metadata.annotations`, if any.
    pub annotations: Option<&'a Value>,
    /// Path of the pod's `metadata`.
    pub meta_path: &'p JsonPath,
}

impl<'a> EffectiveContext<'a> {
    /// Resolves every field once; rules only read the result.
    pub fn resolve(inp: &Inputs<'a, '_>) -> Self {
        let csc = inp
            .container
            .get("securityContext")
            .filter(|v| v.is_object());
        let psc = inp.pod_sc.filter(|v| v.is_object());
        let merged = |field: &'static [&'static str]| match lookup(csc, field) {
            Some(v) => Setting {
                value: Some(v),
                origin: Origin::Container,
                field,
            },
            None => match lookup(psc, field) {
                Some(v) => Setting {
                    value: Some(v),
                    origin: Origin::Pod,
                    field,
                },
                None => Setting::unset(field),
            },
        };
        let own = |field: &'static [&'static str]| match lookup(csc, field) {
            Some(v) => Setting {
                value: Some(v),
                origin: Origin::Container,
                field,
            },
            None => Setting::unset(field),
        };

        let name = inp.container.get("name").and_then(Value::as_str);
        let mut annotation_path = None;
        let mut app_armor_profile = own(&["appArmorProfile"]);
        if !app_armor_profile.is_set() {
            let key = name.map(|n| format!("{APPARMOR_ANNOTATION_PREFIX}{n}"));
            let ann = key
                .as_deref()
                .and_then(|k| inp.annotations?.get(k))
                .filter(|v| !v.is_null());
            if let (Some(v), Some(k)) = (ann, key) {
                app_armor_profile = Setting {
                    value: Some(v),
                    origin: Origin::Annotation,
                    field: &["appArmorProfile"],
                };
                annotation_path = Some(inp.meta_path.key("annotations").key(k));
            } else {
                app_armor_profile = merged(&["appArmorProfile"]);
            }
        }

        Self {
            container_sc_path: inp.container_path.key("securityContext"),
            pod_sc_path: inp.pod_sc_path.clone(),
            annotation_path,
            run_as_non_root: merged(&["runAsNonRoot"]),
            run_as_user: merged(&["runAsUser"]),
            run_as_group: merged(&["runAsGroup"]),
            seccomp_profile: merged(&["seccompProfile"]),
            se_linux_options: merged(&["seLinuxOptions"]),
            app_armor_profile,
            windows_host_process: merged(&["windowsOptions", "hostProcess"]),
            windows_run_as_user_name: merged(&["windowsOptions", "runAsUserName"]),
            privileged: own(&["privileged"]),
            allow_privilege_escalation: own(&["allowPrivilegeEscalation"]),
            read_only_root_filesystem: own(&["readOnlyRootFilesystem"]),
            capabilities: own(&["capabilities"]),
            proc_mount: own(&["procMount"]),
        }
    }

    /// The path a setting came from; for an unset one, the container field that would set it.
    pub fn path(&self, s: &Setting<'_>) -> JsonPath {
        self.path_to(s, &[])
    }

    /// The path of a member of a struct-valued setting, e.g. `seccompProfile.type`.
    pub fn path_to(&self, s: &Setting<'_>, sub: &[&str]) -> JsonPath {
        let base = match s.origin {
            Origin::Annotation => {
                if let Some(p) = &self.annotation_path {
                    // The annotation is a plain string: no members below it.
                    return p.clone();
                }
                &self.container_sc_path
            }
            Origin::Pod => &self.pod_sc_path,
            Origin::Container | Origin::Unset => &self.container_sc_path,
        };
        // `JsonPath::key` copies the path, so start from the first key rather than a clone.
        let mut keys = s.field.iter().chain(sub);
        let Some(first) = keys.next() else {
            return base.clone();
        };
        keys.fold(base.key(*first), |p, k| p.key(*k))
    }

    /// The AppArmor profile type, with legacy annotation values mapped onto field types:
    /// `runtime/default` → `RuntimeDefault`, `localhost/…` → `Localhost`, `unconfined` →
    /// `Unconfined`. Other values are returned as written.
    pub fn app_armor_type(&self) -> Option<&'a str> {
        let s = &self.app_armor_profile;
        match s.origin {
            Origin::Annotation => {
                let v = s.as_str()?;
                Some(match v {
                    "runtime/default" => "RuntimeDefault",
                    "unconfined" => "Unconfined",
                    _ if v.starts_with("localhost/") => "Localhost",
                    _ => v,
                })
            }
            _ => s.get("type").and_then(Value::as_str),
        }
    }
}

#[cfg(test)]
mod tests;
