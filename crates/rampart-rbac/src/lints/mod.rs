//! Risky-permission rules (category `rbac`, ids `RMP30xx`) that `rampart scan` reports on the
//! offending rule or subject line. One file per rule: its metadata beside its check.
//!
//! Rules look at what the manifests grant explicitly: a rule listing the verb (or `*`) and the
//! resource. A bare `*` resource is the wildcard rule's finding, not every other rule's too.

mod anonymous_binding;
mod bind_verb;
mod cluster_admin_binding;
mod csr_approval;
mod default_service_account;
mod escalate_verb;
mod impersonate;
mod nodes_proxy;
mod pod_exec;
mod pv_create;
mod secrets_cluster_wide;
mod token_create;
mod webhook_write;
mod wildcard;

use rampart_manifest::Object;
use rampart_model::{Finding, JsonPath, RuleMeta};

use crate::model::{BindingDef, PolicyRule, RoleDef};
use crate::parse::Inventory;

/// What every rule check gets.
pub(crate) struct Ctx<'a> {
    pub objects: &'a [Object],
    pub inv: &'a Inventory,
}

type Check = fn(&Ctx<'_>, &mut Vec<Finding>);

const RULES: &[(&RuleMeta, Check)] = &[
    (&wildcard::META, wildcard::check),
    (&secrets_cluster_wide::META, secrets_cluster_wide::check),
    (&pod_exec::META, pod_exec::check),
    (&escalate_verb::META, escalate_verb::check),
    (&bind_verb::META, bind_verb::check),
    (&impersonate::META, impersonate::check),
    (&nodes_proxy::META, nodes_proxy::check),
    (&anonymous_binding::META, anonymous_binding::check),
    (
        &default_service_account::META,
        default_service_account::check,
    ),
    (&cluster_admin_binding::META, cluster_admin_binding::check),
    (&token_create::META, token_create::check),
    (&csr_approval::META, csr_approval::check),
    (&webhook_write::META, webhook_write::check),
    (&pv_create::META, pv_create::check),
];

/// Every rule's metadata, in id order.
pub fn rules() -> Vec<&'static RuleMeta> {
    RULES.iter().map(|(m, _)| *m).collect()
}

/// Runs every rule over `objects`; findings come placed (file, line, column, object).
pub fn scan(objects: &[Object]) -> Vec<Finding> {
    let mut ignored = Vec::new();
    let inv = Inventory::from_objects(objects, &mut ignored);
    let ctx = Ctx { objects, inv: &inv };
    let mut out = Vec::new();
    for (_, check) in RULES {
        check(&ctx, &mut out);
    }
    out
}

/// Whether `rule` lists one of `verbs` (or `*`), the group `group` (or `*`) and one of
/// `resources` literally.
pub(crate) fn grants(rule: &PolicyRule, verbs: &[&str], group: &str, resources: &[&str]) -> bool {
    rule.verbs
        .iter()
        .any(|v| v == "*" || verbs.contains(&v.as_str()))
        && rule.api_groups.iter().any(|g| g == "*" || g == group)
        && rule
            .resources
            .iter()
            .any(|r| resources.contains(&r.as_str()))
}

/// Every declared rule of every role, with its index. Rules of aggregated ClusterRoles are
/// skipped: the controller overwrites them, so they grant nothing.
pub(crate) fn role_rules(inv: &Inventory) -> impl Iterator<Item = (&RoleDef, usize, &PolicyRule)> {
    inv.roles
        .iter()
        .filter(|r| r.aggregation.is_none())
        .flat_map(|r| {
            r.rules
                .iter()
                .enumerate()
                .map(move |(i, rule)| (r, i, rule))
        })
}

/// A finding on `rules[index]` of `role`, placed in its file.
pub(crate) fn on_rule(
    ctx: &Ctx<'_>,
    meta: &'static RuleMeta,
    role: &RoleDef,
    index: usize,
    msg: String,
) -> Option<Finding> {
    let obj = ctx.objects.get(role.origin.object?)?;
    let mut f = Finding::new(meta, msg).at(JsonPath::root().key("rules").index(index));
    obj.place(&mut f);
    Some(f)
}

/// A finding on `subjects[index]` of `binding`, placed in its file.
pub(crate) fn on_subject(
    ctx: &Ctx<'_>,
    meta: &'static RuleMeta,
    b: &BindingDef,
    index: usize,
    msg: String,
) -> Option<Finding> {
    let obj = ctx.objects.get(b.origin.object?)?;
    let mut f = Finding::new(meta, msg).at(JsonPath::root().key("subjects").index(index));
    obj.place(&mut f);
    Some(f)
}

/// `Role ns/name` or `ClusterRole name`, for messages.
pub(crate) fn describe(role: &RoleDef) -> String {
    if role.namespace.is_empty() {
        format!("{} {}", role.kind.as_str(), role.name)
    } else {
        format!("{} {}/{}", role.kind.as_str(), role.namespace, role.name)
    }
}
