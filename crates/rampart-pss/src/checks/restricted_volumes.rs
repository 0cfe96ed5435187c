//! `restrictedVolumes` (restricted, v1.0+; replaces `hostPathVolumes`): only volume types that
//! cannot reach node or network storage directly.

use rampart_model::{Category, RuleMeta, Severity};

use super::REFERENCES;
use crate::check::{CheckDef, CheckId, Failure, Location};
use crate::format::{join_quote, pluralize, sorted_set};
use crate::level::Level;
use crate::pod::{Pod, VolumeType};

pub(crate) static META: RuleMeta = RuleMeta {
    id: "RMP2015",
    name: "pss-restricted-volumes",
    title: "Only restricted volume types are allowed (PSS restricted: restrictedVolumes)",
    severity: Severity::Medium,
    category: Category::Pss,
    mitre: &["T1611"],
    what: "Reports volumes whose source is not one of configMap, csi, downwardAPI, emptyDir, ephemeral, image, persistentVolumeClaim, projected or secret, as the Pod Security Standards restricted check `restrictedVolumes` does. A volume with no source is defaulted to emptyDir and passes.",
    why: "Direct volume types (hostPath, nfs, iscsi, …) bypass the cluster's storage policy and can expose the node or shared storage.",
    fix: "Use a persistentVolumeClaim for storage, or a configMap, secret, projected or emptyDir volume.",
    example: "spec:\n  volumes:\n  - name: data\n    nfs:\n      server: nfs.example.com\n      path: /exports",
    references: REFERENCES,
};

pub(crate) static DEF: CheckDef = CheckDef {
    id: "restrictedVolumes",
    level: Level::Restricted,
    variants: &[(0, v1_0)],
    overrides: Some((CheckId::HostPathVolumes, 0)),
    meta: &META,
};

fn v1_0(pod: &Pod<'_>) -> Option<Failure> {
    let mut names = Vec::new();
    let mut types = Vec::new();
    let mut locations = Vec::new();
    for v in &pod.volumes {
        if let VolumeType::Restricted(t) = v.kind {
            names.push(v.name);
            types.push(t);
            locations.push(Location::Volume {
                index: v.index,
                field: Some(t),
            });
        }
    }
    if names.is_empty() {
        return None;
    }
    let types = sorted_set(types);
    Some(Failure {
        reason: "restricted volume types",
        detail: format!(
            "{} {} {} {} {}",
            pluralize("volume", "volumes", names.len()),
            join_quote(names.iter().copied()),
            pluralize("uses", "use", names.len()),
            pluralize(
                "restricted volume type",
                "restricted volume types",
                types.len()
            ),
            join_quote(types)
        ),
        locations,
    })
}
