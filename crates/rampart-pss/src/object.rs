//! Loaded objects in, decoded pods and located findings out: the glue between the loader's
//! spanned objects and the checks, shared by `rampart pss` and `rampart scan --pss`.

use rampart_manifest::Object;
use rampart_model::{Finding, InputError};

use crate::check::Violation;
use crate::evaluate::{Evaluator, Verdict};
use crate::level::LevelVersion;
use crate::pod::Pod;
use crate::template::{builtin_pod, custom_pod, PodTemplate};

/// Input error code for an object the API server could not decode.
pub const DECODE_ERROR_CODE: &str = "E2001";

/// An object's pod, decoded.
#[derive(Debug)]
pub struct ObjectPod<'a> {
    pub template: PodTemplate<'a>,
    pub pod: Pod<'a>,
}

/// Finds and decodes the pod of `obj`: built-in pod-bearing kinds always, custom resources
/// with a pod template when `include_custom`. `None` when the object carries no pod; an
/// input error (with the offending field's position) when it would not decode.
pub fn object_pod(obj: &Object, include_custom: bool) -> Option<Result<ObjectPod<'_>, InputError>> {
    let template = match builtin_pod(&obj.json) {
        Some(Ok(t)) => t,
        Some(Err(bad)) => {
            let pos = obj.locate(&bad.0);
            return Some(Err(InputError {
                code: DECODE_ERROR_CODE,
                file: obj.file().to_string(),
                line: pos.line,
                column: pos.column,
                message: format!(
                    "{}: `{}` must be a mapping; the API server would reject this object",
                    obj.id.display(),
                    bad.0
                ),
            }));
        }
        None if include_custom => custom_pod(&obj.json)?,
        None => return None,
    };
    Some(match Pod::decode(template.input) {
        Ok(pod) => Ok(ObjectPod { template, pod }),
        Err(e) => {
            let pos = obj.locate(&e.path(&template.meta_path, &template.spec_path));
            Err(InputError {
                code: DECODE_ERROR_CODE,
                file: obj.file().to_string(),
                line: pos.line,
                column: pos.column,
                message: format!("{}: {e}", obj.id.display()),
            })
        }
    })
}

/// True for custom resources that embed a pod template (evaluated only on request).
pub fn is_custom_pod_bearing(obj: &Object) -> bool {
    builtin_pod(&obj.json).is_none() && custom_pod(&obj.json).is_some()
}

/// One finding per offending field of each violation, placed at its line and column.
pub fn findings(obj: &Object, op: &ObjectPod<'_>, verdict: &Verdict) -> Vec<Finding> {
    let mut out = Vec::new();
    for v in &verdict.violations {
        out.extend(violation_findings(obj, op, verdict.level_version, v));
    }
    out
}

fn violation_findings(
    obj: &Object,
    op: &ObjectPod<'_>,
    lv: LevelVersion,
    v: &Violation,
) -> Vec<Finding> {
    let message = format!("PodSecurity \"{lv}\" {}: {}", v.check, v.summary());
    let meta = v.check.meta();
    let mut out = Vec::with_capacity(v.locations.len().max(1));
    for loc in &v.locations {
        let path = loc.path(&op.template.meta_path, &op.template.spec_path);
        let mut f = Finding::new(meta, message.clone()).at(path);
        if let Some((kind, index)) = loc.container() {
            if let Some(c) = op
                .pod
                .containers
                .iter()
                .find(|c| c.kind == kind && c.index == index)
            {
                f = f.container(c.name);
            }
        }
        obj.place(&mut f);
        out.push(f);
    }
    if out.is_empty() {
        let mut f = Finding::new(meta, message).at(op.template.spec_path.clone());
        obj.place(&mut f);
        out.push(f);
    }
    out
}

/// The lint view used by `rampart scan --pss LEVEL`: every check of the level that exists at
/// the version, *including* baseline checks that PSA replaces by a restricted one, so each rule
/// reports under its own id (`pss check` keeps PSA's exact verdict).
pub fn lint(ev: &Evaluator, lv: LevelVersion, pod: &Pod<'_>) -> Verdict {
    ev.evaluate_all(lv, pod)
}
