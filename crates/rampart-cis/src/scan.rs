//! The cluster rules of `rampart scan`: every flag check of the control-plane components over
//! static pod manifests found among the scanned objects, and the version check over every
//! control-plane image. Findings point at the flag's item in `command`/`args`, or at the
//! `command` key when the flag is missing.

use rampart_manifest::{pod::pod_spec, Object};
use rampart_model::{Category, Finding, JsonPath, RuleMeta, Severity};

use crate::check::Verdict;
use crate::checks::{flag_checks, FlagCheck};
use crate::pod;
use crate::version::{image_version, unsupported};

/// RMP7001: a control-plane image out of upstream support.
pub static VERSION_RULE: RuleMeta = RuleMeta {
    id: "RMP7001",
    name: "kubernetes-version-unsupported",
    title: "Kubernetes version is out of upstream support",
    severity: Severity::High,
    category: Category::Cluster,
    mitre: &["T1190"],
    what: "Reads the release from control-plane images (`registry.k8s.io/kube-apiserver:v1.27.3`, kube-controller-manager, kube-scheduler, kube-proxy) and reports releases older than the three newest minors upstream supports.",
    why: "Unsupported releases get no security fixes: every CVE found after end of life stays open.",
    fix: "Upgrade the cluster one minor at a time to a supported release (see docs/cis.md for the window Rampart applies).",
    example: "kind: Pod\nmetadata: {name: kube-apiserver, namespace: kube-system}\nspec:\n  containers:\n  - name: kube-apiserver\n    image: registry.k8s.io/kube-apiserver:v1.27.3\n",
    references: &["https://kubernetes.io/releases/", "https://kubernetes.io/releases/version-skew-policy/"],
};

/// Flag checks `rampart scan` reports: those of the static-pod components.
/// 1.2.28 is left out: it needs the EncryptionConfiguration file, which a scan does not read.
pub fn scan_checks() -> Vec<&'static FlagCheck> {
    scan_check_list().to_vec()
}

/// [`scan_checks`], built once: `scan` runs once per file and sorting the catalogue each time
/// showed up in profiles.
fn scan_check_list() -> &'static [&'static FlagCheck] {
    static LIST: std::sync::OnceLock<Vec<&'static FlagCheck>> = std::sync::OnceLock::new();
    LIST.get_or_init(|| {
        flag_checks()
            .into_iter()
            .filter(|c| c.component.is_control_plane() && c.id != "1.2.28")
            .collect()
    })
}

/// Every rule `rampart scan` may report from this engine, sorted by id.
pub fn rules() -> Vec<&'static RuleMeta> {
    let mut out: Vec<&'static RuleMeta> = vec![&VERSION_RULE];
    out.extend(scan_checks().into_iter().map(|c| &c.rule));
    out.sort_by_key(|r| r.id);
    out
}

/// Findings over loaded objects, already placed.
pub fn scan(objects: &[Object]) -> Vec<Finding> {
    let checks = scan_check_list();
    let mut out = Vec::new();
    for obj in objects {
        versions(obj, &mut out);
        let Some(component) = pod::component_of(obj) else {
            continue;
        };
        if !component.is_control_plane() {
            continue;
        }
        let Some(subject) = pod::subject(obj, component) else {
            continue;
        };
        let container = subject
            .anchor
            .path
            .as_ref()
            .and_then(|p| container_name(obj, p));
        for c in checks.iter().filter(|c| c.component == component) {
            let o = c.test.eval(&subject);
            if o.verdict != Verdict::Fail {
                continue;
            }
            let mut msg = format!("CIS {}: {}: {}", c.id, c.rule.title, o.evidence);
            for n in &o.notes {
                msg.push_str(&format!(" (note: {n})"));
            }
            let path = o
                .origin
                .path
                .clone()
                .or_else(|| subject.anchor.path.clone())
                .unwrap_or_default();
            let mut f = Finding::new(&c.rule, msg).at(path);
            if let Some(name) = &container {
                f = f.container(name.clone());
            }
            obj.place(&mut f);
            out.push(f);
        }
    }
    out
}

/// The name of the container a path points into (`spec.containers[0]…`).
fn container_name(obj: &Object, path: &JsonPath) -> Option<String> {
    let segs = path.segments();
    let container = JsonPath::root();
    let container = segs.iter().take(3).fold(container, |p, s| match s {
        rampart_model::Seg::Key(k) => p.key(k.clone()),
        rampart_model::Seg::Index(i) => p.index(*i),
    });
    container
        .lookup(&obj.json)?
        .get("name")?
        .as_str()
        .map(str::to_string)
}

fn versions(obj: &Object, out: &mut Vec<Finding>) {
    let Some(spec) = pod_spec(&obj.json) else {
        return;
    };
    for c in spec.containers() {
        let Some(image) = c.json.get("image").and_then(|v| v.as_str()) else {
            continue;
        };
        let Some((name, v)) = image_version(image) else {
            continue;
        };
        let Some(why) = unsupported(v) else { continue };
        let mut f = Finding::new(&VERSION_RULE, format!("{name} image {image}: {why}"))
            .at(c.path.key("image"))
            .container(c.name);
        obj.place(&mut f);
        out.push(f);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scan_text(text: &str) -> Vec<Finding> {
        let (_, objs, errs) = rampart_manifest::load_text("m.yaml", text.to_string());
        assert!(errs.is_empty(), "{errs:?}");
        scan(&objs)
    }

    #[test]
    fn flags_are_placed_at_their_line_or_the_command_key() {
        let f = scan_text("apiVersion: v1\nkind: Pod\nmetadata:\n  name: kube-apiserver\n  namespace: kube-system\n  labels: {component: kube-apiserver}\nspec:\n  containers:\n  - name: kube-apiserver\n    image: registry.k8s.io/kube-apiserver:v1.36.1\n    command:\n    - kube-apiserver\n    - --authorization-mode=AlwaysAllow\n");
        let authz = f.iter().find(|f| f.rule == "RMP7106").expect("RMP7106");
        assert_eq!((authz.line, authz.column), (13, 7));
        assert_eq!(authz.container.as_deref(), Some("kube-apiserver"));
        let anon = f.iter().find(|f| f.rule == "RMP7101").expect("RMP7101");
        assert_eq!(anon.line, 11);
        assert!(f.iter().all(|f| f.rule != "RMP7001"));
        assert!(f.iter().all(|f| f.rule != "RMP7128"), "needs the file");
    }

    #[test]
    fn old_images_are_reported_in_any_workload() {
        let f = scan_text("apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: kube-proxy, namespace: kube-system}\nspec:\n  template:\n    spec:\n      containers:\n      - name: kube-proxy\n        image: registry.k8s.io/kube-proxy:v1.29.2\n");
        assert_eq!(f.len(), 1);
        assert_eq!((&*f[0].rule, f[0].line), ("RMP7001", 9));
    }

    #[test]
    fn rules_are_unique_and_in_the_cluster_range() {
        let r = rules();
        let mut ids: Vec<&str> = r.iter().map(|r| r.id).collect();
        ids.dedup();
        assert_eq!(ids.len(), r.len());
        assert!(r
            .iter()
            .all(|r| r.id.starts_with("RMP7") && r.category == Category::Cluster));
        let mut names: Vec<&str> = r.iter().map(|r| r.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), r.len());
    }
}
