//! RMP1055 `ingress-nginx-snippet`: an Ingress injects raw NGINX configuration.

use rampart_model::{Category, JsonPath, RuleMeta, Severity};
use serde_json::Value;

use crate::rule_context::{RuleContext, Sink};

pub static META: RuleMeta = RuleMeta {
    id: "RMP1055",
    name: "ingress-nginx-snippet",
    title: "Ingress uses an NGINX configuration snippet annotation",
    severity: Severity::High,
    category: Category::Workload,
    mitre: &["T1190", "T1552.007"],
    what: "Reports Ingress annotations that inject raw NGINX configuration: \
           `nginx.ingress.kubernetes.io/*-snippet` (configuration, server, auth, stream, \
           modsecurity) and `nginx.org/*-snippets`.",
    why: "Snippets are copied verbatim into the controller's configuration. Anyone who may \
          create an Ingress can then read files of the controller — including its service \
          account token, which can read every Secret (CVE-2021-25742) — or run code in it, as \
          in the 2025 IngressNightmare series (CVE-2025-1974).",
    fix: "Remove the snippet and use the controller's dedicated annotations or a \
          ConfigMap-level setting; keep `allow-snippet-annotations: false` on the controller.",
    example: "\
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
  annotations:
    nginx.ingress.kubernetes.io/configuration-snippet: |
      more_set_headers \"X-Frame-Options: DENY\";
",
    references: &[
        "https://github.com/kubernetes/ingress-nginx/issues/7837",
        "https://github.com/kubernetes/kubernetes/issues/131009",
    ],
};

fn snippet(key: &str) -> bool {
    key.strip_prefix("nginx.ingress.kubernetes.io/")
        .is_some_and(|k| k.ends_with("-snippet"))
        || key
            .strip_prefix("nginx.org/")
            .is_some_and(|k| k.ends_with("-snippets"))
}

pub fn check(ctx: &RuleContext<'_>, out: &mut Sink<'_>) {
    if ctx.kind() != "Ingress" {
        return;
    }
    let annotations = ctx
        .json()
        .get("metadata")
        .and_then(|m| m.get("annotations"))
        .and_then(Value::as_object);
    for key in annotations
        .into_iter()
        .flat_map(|a| a.keys())
        .filter(|k| snippet(k))
    {
        let msg = format!("Ingress injects raw NGINX configuration through annotation {key}");
        out.report(
            &META,
            msg,
            JsonPath::parse("metadata.annotations").key(key.as_str()),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::META;
    use crate::testing::lines;

    #[test]
    fn snippet_annotations_only() {
        let y = "kind: Ingress\nmetadata:\n  name: i\n  annotations:\n    nginx.ingress.kubernetes.io/rewrite-target: /\n    nginx.ingress.kubernetes.io/server-snippet: |\n      return 200;\n    nginx.org/location-snippets: x\nspec:\n  tls: []\n";
        assert_eq!(lines(&META, y), vec![6, 8]);
    }
}
