use std::borrow::Cow;

use proptest::prelude::*;
use rampart_model::{Finding, JsonPath, ObjectRef, Severity};

use super::FindingWriter;

/// Text with the characters JSON must escape, non-ASCII and plain letters.
fn text() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        prop_oneof![
            Just('a'),
            Just('"'),
            Just('\\'),
            Just('\n'),
            Just('\u{1}'),
            Just('\u{7f}'),
            Just('é'),
            Just('😀'),
            Just('/'),
        ],
        0..12,
    )
    .prop_map(|c| c.into_iter().collect())
}

fn finding() -> impl Strategy<Value = Finding> {
    let rules = crate::registry::all();
    (
        (
            0..rules.len(),
            0usize..5,
            text(),
            0usize..3,
            0u32..5,
            0u32..5,
        ),
        (
            proptest::option::of((text(), 0usize..3)),
            proptest::option::of(text()),
            proptest::option::of("[a-z]{1,3}(\\.[a-z]{1,3}){0,2}"),
            proptest::option::of(text()),
            proptest::option::of(text()),
            proptest::option::of(text()),
            any::<bool>(),
        ),
    )
        .prop_map(
            move |(
                (rule, sev, message, file, line, column),
                (object, container, path, audit, fp, event, owned),
            )| {
                let mut f = Finding::new(rules[rule], message);
                f.severity = Severity::ALL[sev];
                f.file = ["a.yaml", "dir/\"q\".yaml", "b.json"][file].to_string();
                f.line = line;
                f.column = column;
                f.object = object.map(|(name, api)| ObjectRef {
                    api_version: ["", "v1", "apps/v1"][api].to_string(),
                    kind: "Pod".to_string(),
                    namespace: String::new(),
                    name,
                });
                f.container = container;
                f.path = path.map(|p| JsonPath::parse(&p));
                f.audit_id = audit;
                f.fingerprint = fp;
                f.event = event.map(|e| serde_json::json!({ "e": e, "n": [1, 2.5, null] }));
                if owned {
                    // Metadata that does not come from the registry (an override or a plugin).
                    f.remediation = Cow::Owned(format!("{} (changed)", f.remediation));
                    f.mitre = Cow::Owned(vec!["T0000"]);
                }
                f
            },
        )
}

proptest! {
    #[test]
    fn writes_what_serde_writes(findings in proptest::collection::vec(finding(), 1..24)) {
        let mut writer = FindingWriter::default();
        for f in &findings {
            let mut ours = Vec::new();
            writer.write(&mut ours, f).map_err(|e| TestCaseError::fail(e.to_string()))?;
            let theirs = serde_json::to_vec(f).map_err(|e| TestCaseError::fail(e.to_string()))?;
            prop_assert_eq!(String::from_utf8_lossy(&ours), String::from_utf8_lossy(&theirs));
        }
    }
}
