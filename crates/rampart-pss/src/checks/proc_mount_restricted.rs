//! `procMount_restricted` (restricted, v1.35+; replaces `procMount`): the strict rule, even for
//! user-namespaced pods.

use rampart_model::{Category, RuleMeta, Severity};

use super::proc_mount::strict;
use super::REFERENCES;
use crate::check::{CheckDef, CheckId};
use crate::level::Level;

pub(crate) static META: RuleMeta = RuleMeta {
    id: "RMP2019",
    name: "pss-proc-mount-restricted",
    title: "Unmasked /proc is forbidden, even in user namespaces (PSS restricted: procMount_restricted)",
    severity: Severity::Medium,
    category: Category::Pss,
    mitre: &["T1611"],
    what: "Reports containers with a `securityContext.procMount` other than `Default`, whatever `hostUsers` says, as the Pod Security Standards restricted check `procMount_restricted` (policy v1.35+) does.",
    why: "The restricted level keeps the default /proc masks even for user-namespaced pods, where the baseline level relaxes them.",
    fix: "Remove `procMount` or set it to `Default`.",
    example: "spec:\n  hostUsers: false\n  containers:\n  - name: app\n    image: nginx\n    securityContext:\n      procMount: Unmasked",
    references: REFERENCES,
};

pub(crate) static DEF: CheckDef = CheckDef {
    id: "procMount_restricted",
    level: Level::Restricted,
    variants: &[(35, strict)],
    overrides: Some((CheckId::ProcMount, 35)),
    meta: &META,
};
