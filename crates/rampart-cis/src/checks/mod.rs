//! Every check of the benchmark: flag checks per component (with the `rampart scan` rule each
//! one becomes), file mode/ownership checks, and the recommendations with no automated test.

mod apiserver_admission;
mod apiserver_audit;
mod apiserver_auth;
mod apiserver_crypto;
mod controller;
mod etcd;
mod files;
mod kubelet;
mod manual;
pub mod policy;
mod proxy;
mod scheduler;
mod worker_files;

use rampart_model::RuleMeta;

use crate::check::{CheckMeta, Group, Test};
use crate::subject::Component;

pub use files::{FileCheck, FileSubject, FileTest};
pub use manual::ManualCheck;

/// Links every cluster rule cites.
pub(crate) const REF_CIS: &str = "https://www.cisecurity.org/benchmark/kubernetes";

/// A check decided by a component's flags (and, for the kubelet, its config file).
#[derive(Debug)]
pub struct FlagCheck {
    /// CIS number.
    pub id: &'static str,
    pub scored: bool,
    pub automated: bool,
    pub component: Component,
    /// The `rampart scan` rule for this check: title, remediation and docs live here.
    pub rule: RuleMeta,
    pub test: Test,
}

impl FlagCheck {
    pub fn meta(&self) -> CheckMeta {
        CheckMeta {
            id: self.id,
            title: self.rule.title,
            group: group_of(self.component, self.id),
            scored: self.scored,
            automated: self.automated,
            remediation: self.rule.fix,
        }
    }
}

fn group_of(c: Component, id: &str) -> Group {
    match c {
        Component::ApiServer if id.starts_with('3') => Group::ControlPlaneConfig,
        Component::ApiServer => Group::ApiServer,
        Component::ControllerManager => Group::ControllerManager,
        Component::Scheduler => Group::Scheduler,
        Component::Etcd => Group::Etcd,
        Component::Kubelet => Group::Kubelet,
        Component::Proxy => Group::KubeProxy,
    }
}

/// Declares one flag check and its scan rule.
macro_rules! flag_check {
    (
        $name_const:ident {
            cis: $cis:literal, rule: $rid:literal, name: $name:literal, component: $comp:ident,
            scored: $scored:literal, automated: $auto:literal, severity: $sev:ident,
            mitre: [$($m:literal),*], title: $title:literal, test: $test:expr,
            what: $what:literal, why: $why:literal, fix: $fix:literal, example: $ex:literal,
            reference: $reference:expr $(,)?
        }
    ) => {
        pub(crate) static $name_const: $crate::checks::FlagCheck = $crate::checks::FlagCheck {
            id: $cis,
            scored: $scored,
            automated: $auto,
            component: $crate::subject::Component::$comp,
            test: $test,
            rule: rampart_model::RuleMeta {
                id: $rid,
                name: $name,
                title: $title,
                severity: rampart_model::Severity::$sev,
                category: rampart_model::Category::Cluster,
                mitre: &[$($m),*],
                what: $what,
                why: $why,
                fix: $fix,
                example: $ex,
                references: &[$crate::checks::REF_CIS, $reference],
            },
        };
    };
}
pub(crate) use flag_check;

/// Every flag check, in benchmark order.
pub fn flag_checks() -> Vec<&'static FlagCheck> {
    let mut all: Vec<&'static FlagCheck> = Vec::new();
    all.extend(apiserver_auth::CHECKS);
    all.extend(apiserver_admission::CHECKS);
    all.extend(apiserver_audit::CHECKS);
    all.extend(apiserver_crypto::CHECKS);
    all.extend(controller::CHECKS);
    all.extend(scheduler::CHECKS);
    all.extend(etcd::CHECKS);
    all.extend(kubelet::CHECKS);
    all.extend(proxy::CHECKS);
    all.sort_by(|a, b| crate::catalog::cmp_ids(a.id, b.id));
    all
}

/// Every file check, in benchmark order.
pub fn file_checks() -> Vec<&'static FileCheck> {
    let mut all: Vec<&'static FileCheck> = Vec::new();
    all.extend(files::CHECKS);
    all.extend(worker_files::CHECKS);
    all
}

/// Every check without an automated test.
pub fn manual_checks() -> &'static [ManualCheck] {
    manual::CHECKS
}
