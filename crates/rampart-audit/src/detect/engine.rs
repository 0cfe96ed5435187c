//! Judging one log line: parse the event (borrowed, skipping what no rule reads), run every
//! rule, turn verdicts into findings. Pure: state is applied later, in log order.

use std::sync::LazyLock;

use memchr::memmem::Finder;
use rampart_model::{Finding, ObjectRef, Pos, RuleMeta};
use serde_json::Value;

use super::config::DetectConfig;
use super::event::{Ctx, Event};
use super::fast::{scan, Scan};
use super::rules::{Key, Out, Pending, RULES};

/// A verdict with its finding built, waiting to be applied in log order.
#[derive(Debug, Clone)]
pub(crate) enum Outcome {
    Found(Finding),
    Remember(Key),
    IfRemembered(Key, Finding),
}

/// A line that is not JSON of an Event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct LineError {
    pub column: u32,
    pub message: String,
}

/// True when the line may hold a `ResponseComplete` event. Without the word, only a `\u`
/// escape could spell it; lines with neither are skipped unparsed (most other stages).
fn may_complete(text: &[u8]) -> bool {
    static COMPLETE: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new(b"ResponseComplete"));
    static ESCAPE: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new(b"\\u"));
    COMPLETE.find(text).is_some() || ESCAPE.find(text).is_some()
}

/// Judges one line holding an Event (or an EventList) and appends the outcomes. With
/// `validate`, every line is parsed in full (so any malformed line is an error); otherwise
/// the fast path skips what the rules never read.
pub(crate) fn judge_line(
    text: &[u8],
    file: &str,
    line: u32,
    cfg: &DetectConfig,
    validate: bool,
    out: &mut Vec<Outcome>,
) -> Result<(), LineError> {
    let text = text.trim_ascii();
    if text.is_empty() || (!validate && !may_complete(text)) {
        return Ok(());
    }
    match if validate { Scan::Slow } else { scan(text) } {
        Scan::Irrelevant => return Ok(()),
        Scan::Event(ev) => {
            judge_event(&ev, file, line, cfg, out);
            return Ok(());
        }
        Scan::Slow => {}
    }
    let ev: Event<'_> = serde_json::from_slice(text).map_err(|e| LineError {
        column: u32::try_from(e.column()).unwrap_or(u32::MAX),
        message: format!("not an audit Event: {e}"),
    })?;
    if ev.kind == "EventList" {
        for item in ev.items.iter().flatten() {
            let item: Event<'_> = serde_json::from_str(item.get()).map_err(|e| LineError {
                column: 1,
                message: format!("EventList item is not an audit Event: {e}"),
            })?;
            judge_event(&item, file, line, cfg, out);
        }
        return Ok(());
    }
    judge_event(&ev, file, line, cfg, out);
    Ok(())
}

/// Runs every enabled rule over one event.
pub(crate) fn judge_event(
    ev: &Event<'_>,
    file: &str,
    line: u32,
    cfg: &DetectConfig,
    out: &mut Vec<Outcome>,
) {
    if ev.stage != "ResponseComplete" {
        return;
    }
    let code = ev.response_status.as_ref().and_then(|s| s.code);
    if !code.is_some_and(|c| (100..=399).contains(&c)) {
        return;
    }
    let ctx = Ctx::new(ev);
    let mut verdicts = Out::default();
    for rule in RULES {
        if cfg.disabled(rule.meta.id) {
            continue;
        }
        let start = verdicts.items.len();
        (rule.check)(&ctx, &mut verdicts);
        if verdicts.items.len() > start
            && cfg.suppressed(rule.meta.id, &ev.user.username, &ctx.obj.namespace)
        {
            // Suppression hides reports, never what later events are judged against.
            let kept: Vec<Pending> = verdicts
                .items
                .drain(start..)
                .filter(|p| matches!(p, Pending::Remember(_)))
                .collect();
            verdicts.items.extend(kept);
        }
    }
    for p in verdicts.items {
        out.push(match p {
            Pending::Hit(meta, msg) => Outcome::Found(finding(&ctx, meta, msg, file, line)),
            Pending::Remember(key) => Outcome::Remember(key),
            Pending::IfRemembered(key, meta, msg) => {
                Outcome::IfRemembered(key, finding(&ctx, meta, msg, file, line))
            }
        });
    }
}

fn finding(
    ctx: &Ctx<'_, '_>,
    meta: &'static RuleMeta,
    msg: String,
    file: &str,
    line: u32,
) -> Finding {
    let mut f = Finding::new(meta, msg).in_file(file, Pos::new(line, 1));
    f.audit_id = Some(ctx.ev.audit_id.to_string());
    f.object = object_ref(ctx);
    f
}

/// The request's object: group/version, kind (from the body, else from the resource),
/// namespace and name.
fn object_ref(ctx: &Ctx<'_, '_>) -> Option<ObjectRef> {
    if !ctx.is_resource_request() {
        return None;
    }
    let o = ctx.obj;
    let api_version = match (o.api_group.is_empty(), o.api_version.is_empty()) {
        (true, _) => o.api_version.to_string(),
        (false, true) => o.api_group.to_string(),
        (false, false) => format!("{}/{}", o.api_group, o.api_version),
    };
    let kind = ctx
        .body()
        .and_then(|b| b.get("kind"))
        .and_then(Value::as_str)
        .map_or_else(|| kind_of(&o.resource).to_string(), str::to_string);
    Some(ObjectRef {
        api_version,
        kind,
        namespace: o.namespace.to_string(),
        name: ctx.name(),
    })
}

/// The kind of well-known resources; other resources are named by their plural.
fn kind_of(resource: &str) -> &str {
    match resource {
        "pods" => "Pod",
        "secrets" => "Secret",
        "configmaps" => "ConfigMap",
        "serviceaccounts" => "ServiceAccount",
        "services" => "Service",
        "nodes" => "Node",
        "events" => "Event",
        "namespaces" => "Namespace",
        "deployments" => "Deployment",
        "daemonsets" => "DaemonSet",
        "statefulsets" => "StatefulSet",
        "replicasets" => "ReplicaSet",
        "replicationcontrollers" => "ReplicationController",
        "jobs" => "Job",
        "cronjobs" => "CronJob",
        "roles" => "Role",
        "clusterroles" => "ClusterRole",
        "rolebindings" => "RoleBinding",
        "clusterrolebindings" => "ClusterRoleBinding",
        "mutatingwebhookconfigurations" => "MutatingWebhookConfiguration",
        "validatingwebhookconfigurations" => "ValidatingWebhookConfiguration",
        "certificatesigningrequests" => "CertificateSigningRequest",
        other => other,
    }
}
