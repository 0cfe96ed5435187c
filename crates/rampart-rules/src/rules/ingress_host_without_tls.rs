//! RMP1048 `ingress-host-without-tls`: an Ingress host is left out of its TLS entries.

use rampart_model::{Category, JsonPath, RuleMeta, Severity};
use serde_json::Value;

use crate::rule_context::{RuleContext, Sink};

pub static META: RuleMeta = RuleMeta {
    id: "RMP1048",
    name: "ingress-host-without-tls",
    title: "Ingress host not covered by TLS",
    severity: Severity::Medium,
    category: Category::Workload,
    mitre: &["T1040", "T1557"],
    what: "For Ingresses that do have `spec.tls`, reports each `spec.rules[*].host` that no \
           `spec.tls[*].hosts` entry covers (exactly, or by a `*.` wildcard for one label). A TLS \
           entry without `hosts` covers nothing in particular and is ignored.",
    why: "A host left out of `tls` is served over plain HTTP even though the Ingress looks \
          protected — a typo or a newly added host silently loses encryption.",
    fix: "Add the host to a `spec.tls[*].hosts` list with a certificate that covers it.",
    example: "\
spec:
  tls:
  - hosts: [shop.example.com]
    secretName: shop-tls
  rules:
  - host: admin.example.com
",
    references: &[
        "https://kubernetes.io/docs/concepts/services-networking/ingress/#tls",
        "https://cert-manager.io/docs/usage/ingress/",
    ],
};

fn covers(pattern: &str, host: &str) -> bool {
    if let Some(suffix) = pattern.strip_prefix("*.") {
        return host
            .split_once('.')
            .is_some_and(|(label, rest)| !label.is_empty() && rest.eq_ignore_ascii_case(suffix));
    }
    pattern.eq_ignore_ascii_case(host)
}

pub fn check(ctx: &RuleContext<'_>, out: &mut Sink<'_>) {
    if ctx.kind() != "Ingress" {
        return;
    }
    let spec = ctx.json().get("spec");
    let arr = |k: &str| spec.and_then(|s| s.get(k)).and_then(Value::as_array);
    let Some(tls) = arr("tls").filter(|t| !t.is_empty()) else {
        return;
    };
    let tls_hosts: Vec<&str> = tls
        .iter()
        .filter_map(|t| t.get("hosts").and_then(Value::as_array))
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    for (i, rule) in arr("rules").into_iter().flatten().enumerate() {
        let Some(host) = rule
            .get("host")
            .and_then(Value::as_str)
            .filter(|h| !h.is_empty())
        else {
            continue;
        };
        if !tls_hosts.iter().any(|p| covers(p, host)) {
            let msg = format!(
                "Ingress host {host} is not listed in any TLS entry and is served over plain HTTP"
            );
            out.report(
                &META,
                msg,
                JsonPath::parse("spec.rules").index(i).key("host"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{covers, META};
    use crate::testing::lines;

    #[test]
    fn wildcards_cover_one_label() {
        assert!(covers("*.example.com", "a.example.com"));
        assert!(!covers("*.example.com", "a.b.example.com"));
        assert!(!covers("*.example.com", "example.com"));
        let y = "kind: Ingress\nmetadata:\n  name: i\nspec:\n  tls:\n  - hosts: [\"*.example.com\"]\n  rules:\n  - host: a.example.com\n  - host: example.com\n";
        assert_eq!(lines(&META, y), vec![9]);
    }
}
