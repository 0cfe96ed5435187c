//! Volume sources as Pod Security Admission classifies them, after the API server's defaulting
//! (a volume with no source at all becomes `emptyDir: {}`).

use serde_json::Value;

use crate::decode::{item_obj, obj, string, R};
use crate::pod::{Volume, VolumeType};

const ALLOWED_SOURCES: [&str; 9] = [
    "configMap",
    "csi",
    "downwardAPI",
    "emptyDir",
    "ephemeral",
    "image",
    "persistentVolumeClaim",
    "projected",
    "secret",
];

/// Restricted sources in the order upstream tests them (the first present one names the type).
const RESTRICTED_SOURCES: [&str; 21] = [
    "hostPath",
    "gcePersistentDisk",
    "awsElasticBlockStore",
    "gitRepo",
    "nfs",
    "iscsi",
    "glusterfs",
    "rbd",
    "flexVolume",
    "cinder",
    "cephfs",
    "flocker",
    "fc",
    "azureFile",
    "vsphereVolume",
    "quobyte",
    "azureDisk",
    "photonPersistentDisk",
    "portworxVolume",
    "scaleIO",
    "storageos",
];

pub(crate) fn volume(index: usize, item: &Value) -> R<Volume<'_>> {
    let mut v = Volume {
        index,
        name: "",
        host_path: false,
        // A volume with no source at all is defaulted to `emptyDir: {}`.
        kind: VolumeType::Allowed,
    };
    let Some(m) = item_obj(item)? else {
        return Ok(v);
    };
    v.name = string(m, "name")?.unwrap_or("");
    let mut allowed = false;
    for key in ALLOWED_SOURCES {
        allowed |= obj(m, key)?.is_some();
    }
    let mut restricted = None;
    for key in RESTRICTED_SOURCES {
        if obj(m, key)?.is_some() && restricted.is_none() {
            restricted = Some(key);
        }
    }
    v.host_path = obj(m, "hostPath")?.is_some();
    if !allowed {
        if let Some(t) = restricted {
            v.kind = VolumeType::Restricted(t);
        }
    }
    Ok(v)
}
