//! Property: for random secrets embedded in manifests (env values, flags, properties files,
//! Secret data and stringData, annotations, last-applied JSON, URLs, comments, broken YAML), no
//! rendered output (text with source snippets, JSON, SARIF, JUnit, input errors, `Debug` of the
//! findings) contains any 5-character substring of the secret.
//!
//! A 5-gram also present in the output for a different random value of the same template is a
//! coincidence (a path, a rule text), not a leak, and is ignored.

#![allow(clippy::unwrap_used)]

use std::collections::HashMap;
use std::sync::Arc;

use base64::Engine as _;
use proptest::prelude::*;
use rampart_manifest::{load_text, Loaded, SourceFile};
use rampart_model::Category;
use rampart_report::{render, OutputFormat, Report, SourceLines, Summary};
use rampart_secrets::{all_rules, input_errors, scan, ScanOptions};

struct Sources(HashMap<String, Arc<SourceFile>>);

impl SourceLines for Sources {
    fn line(&self, file: &str, line: u32) -> Option<&str> {
        self.0.get(file)?.line(line)
    }
}

/// Everything a user could see for one input, and whether a secrets finding was made.
fn outputs(text: &str) -> (String, bool) {
    let (source, objects, errors) = load_text("input.yaml", text.to_string());
    let mut loaded = Loaded {
        sources: vec![source.clone()],
        objects,
        errors,
        documents: 1,
    };
    let extra = input_errors(&loaded);
    loaded.errors.extend(extra);
    let opts = ScanOptions {
        optional_rules: true,
        ..ScanOptions::default()
    };
    let findings = scan(&loaded, &opts);
    let rules = all_rules();
    let sources = Sources([(source.path.clone(), source)].into_iter().collect());
    let report = Report {
        findings: &findings,
        errors: &loaded.errors,
        summary: Summary::count(&findings),
        rules: &rules,
        sources: &sources,
    };
    let mut all = String::new();
    for f in [
        OutputFormat::Text,
        OutputFormat::Json,
        OutputFormat::Sarif,
        OutputFormat::Junit,
    ] {
        all.push_str(&render(f, &report));
    }
    all.push_str(&format!("{findings:?}{:?}", loaded.errors));
    (
        all,
        findings.iter().any(|f| f.category == Category::Secrets),
    )
}

fn grams(s: &str) -> Vec<String> {
    let c: Vec<char> = s.chars().collect();
    c.windows(5).map(|w| w.iter().collect()).collect()
}

/// Templates; `{S}` is the secret, `{B}` its base64.
const TEMPLATES: &[&str] = &[
    "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: c\n      image: i\n      env:\n        - name: DB_PASSWORD\n          value: \"{S}\"\n",
    "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: c\n      image: i\n      args: [\"--password={S}\", \"--token\", \"{S}\"]\n",
    "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  app.properties: |\n    db.user=app\n    db.password={S}\n",
    "apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\nstringData:\n  session-secret: \"{S}\"\n",
    "apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\ndata:\n  api-key: {B}\n",
    "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  annotations:\n    example.com/token: \"{S}\"\ndata: {}\n",
    "apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\n  annotations:\n    kubectl.kubernetes.io/last-applied-configuration: |\n      {\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"stringData\":{\"password\":\"{S}\"}}\n",
    "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  DATABASE_URL: postgres://app:{S}@db:5432/app\n",
    "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  a: \"{S}\n  token: ghp_{S}\n",
    "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n# token: ghp_{S}\ndata: {}\n",
    // Secret data that is not base64: an input error names the entry, never the value.
    "apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\ndata:\n  password: \"{S}#!\"\n",
    // Extra token families, in a script and in a comment.
    "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: c\n      image: i\n      args: [\"sh\", \"-c\", \"vault login hvs.{S}{S}\"]\n",
    "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n# key: sk-ant-api03-{S93}AA\ndata: {}\n",
];

fn secret() -> impl Strategy<Value = String> {
    // Three character classes guaranteed; no characters YAML or URLs would need escaped.
    "[A-Za-z0-9]{13}".prop_map(|s| format!("{s}Xq7"))
}

fn fill(t: &str, s: &str) -> String {
    let b = base64::engine::general_purpose::STANDARD.encode(s);
    // The comment template needs a format-valid token: 36 characters after the prefix.
    let token: String = s.chars().cycle().take(36).collect();
    let long: String = s.chars().cycle().take(93).collect();
    t.replace("ghp_{S}", &format!("ghp_{token}"))
        .replace("{S93}", &long)
        .replace("{S}", s)
        .replace("{B}", &b)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn no_output_contains_five_characters_of_a_secret(
        t in 0..TEMPLATES.len(), s in secret(), other in secret(),
    ) {
        prop_assume!(s != other);
        let (out, found) = outputs(&fill(TEMPLATES[t], &s));
        let (baseline, _) = outputs(&fill(TEMPLATES[t], &other));
        prop_assert!(found, "template {t} produced no secrets finding");
        let token: String = s.chars().cycle().take(36).collect();
        for v in [&s, &token] {
            for g in grams(v) {
                prop_assert!(
                    !out.contains(&g) || baseline.contains(&g),
                    "template {t}: output contains 5 characters of the secret"
                );
            }
        }
    }
}
