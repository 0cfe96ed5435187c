use super::*;

fn load(path: &str, text: &str) -> (Vec<Object>, Vec<InputError>) {
    let (_, objects, errors) = load_text(path, text.to_string());
    (objects, errors)
}

#[test]
fn positions_survive_multiple_documents() {
    let text = "# c\napiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: b\nspec:\n  containers:\n  - name: c\n    image: x\n";
    let (objs, errs) = load("a.yaml", text);
    assert!(errs.is_empty(), "{errs:?}");
    assert_eq!(objs.len(), 2);
    assert_eq!(objs[1].id.name, "b");
    let p = objs[1].locate(&"spec.containers[0].image".into());
    assert_eq!(p, Pos::new(14, 5));
    // A missing field points at its nearest parent.
    let q = objs[1].locate(&"spec.containers[0].securityContext.runAsUser".into());
    assert_eq!(q, Pos::new(13, 5));
}

#[test]
fn a_broken_document_does_not_hide_the_others() {
    let text = "kind: Pod\nmetadata: {name: a}\n---\nkind: Pod\nmetadata: [unclosed\n---\nkind: Pod\nmetadata: {name: c}\n";
    let (objs, errs) = load("a.yaml", text);
    assert_eq!(objs.len(), 2);
    assert_eq!(errs.len(), 1);
    assert!(errs[0].line >= 4, "{errs:?}");
}

#[test]
fn duplicate_keys_are_reported_in_yaml_and_the_last_value_wins() {
    let (objs, errs) = load("a.yaml", "---\nkind: Pod\nspec:\n  a: 1\n  b: 2\n  a: 3\n");
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert_eq!(errs[0].code, "E0003");
    assert!(errs[0].scanned());
    assert_eq!((errs[0].line, errs[0].column), (6, 3));
    assert!(
        errs[0].message.contains("first defined at line 4"),
        "{}",
        errs[0].message
    );
    // The document is still loaded, with the last value at the first key's place.
    assert_eq!(objs.len(), 1);
    assert_eq!(objs[0].json["spec"]["a"], 3);
    assert_eq!(objs[0].locate(&"spec.a".into()), Pos::new(4, 3));
    // A key may be a credential: the message never quotes it.
    let (_, errs) = load(
        "b.yaml",
        "data:\n  ghp_SECRETKEY123: 1\n  ghp_SECRETKEY123: 2\n",
    );
    assert!(!errs[0].message.contains("SECRET"), "{}", errs[0].message);
    // Large mappings use an index for the same check.
    let many: String = (0..100).map(|i| format!("  k{i}: {i}\n")).collect();
    let (objs, errs) = load("c.yaml", &format!("data:\n{many}  k7: x\n"));
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert_eq!(errs[0].line, 102);
    assert_eq!(objs[0].json["data"]["k7"], "x");
    // Go's JSON decoder keeps the last value silently.
    let (objs, errs) = load("a.json", "{\"kind\": \"Pod\", \"kind\": \"Service\"}");
    assert!(errs.is_empty());
    assert_eq!(objs[0].kind(), "Service");
}

#[test]
fn merged_keys_are_not_duplicates_and_explicit_keys_win() {
    let text = "kind: Pod\nbase: &b\n  a: 1\n  b: 2\nx:\n  <<: *b\n  a: 3\ny:\n  a: 4\n  <<: *b\n";
    let (objs, errs) = load("m.yaml", text);
    assert!(errs.is_empty(), "{errs:?}");
    assert_eq!(objs[0].json["x"], serde_json::json!({"a": 3, "b": 2}));
    assert_eq!(objs[0].json["y"]["a"], 4);
    assert_eq!(objs[0].json["y"]["b"], 2);
}

#[test]
fn lists_are_expanded() {
    let text = "apiVersion: v1\nkind: List\nitems:\n- kind: Pod\n  metadata: {name: a}\n- kind: Service\n  metadata: {name: b}\n";
    let (objs, _) = load("l.yaml", text);
    assert_eq!(objs.len(), 2);
    assert_eq!(objs[1].item, Some(1));
    assert_eq!(objs[1].locate(&"metadata.name".into()).line, 7);
    let text = "{\"kind\": \"PodList\", \"items\": [{\"kind\": \"Pod\", \"metadata\": {\"name\": \"p\"}}]}";
    let (objs, _) = load("l.json", text);
    assert_eq!(objs.len(), 1);
}

#[test]
fn anchors_aliases_and_merge_keys_expand() {
    let text = "kind: Pod\nmetadata:\n  name: a\nbase: &b\n  image: nginx\n  name: c\nspec:\n  containers:\n  - <<: *b\n    name: d\n";
    let (objs, errs) = load("a.yaml", text);
    assert!(errs.is_empty(), "{errs:?}");
    let c = &objs[0].json["spec"]["containers"][0];
    assert_eq!(c["image"], "nginx");
    assert_eq!(c["name"], "d");
}

#[test]
fn alias_bombs_and_deep_nesting_are_bounded() {
    let mut bomb = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
    let mut prev = 'a';
    for c in 'b'..='k' {
        bomb.push_str(&format!("{c}: &{c} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"));
        prev = c;
    }
    let (_, errs) = load("bomb.yaml", &bomb);
    assert_eq!(errs.len(), 1);
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let (_, errs) = load("deep.yaml", &deep);
    assert_eq!(errs.len(), 1);
    let deep = (0..5000)
        .map(|i| format!("{}k:\n", " ".repeat(i)))
        .collect::<String>();
    let (_, errs) = load("deep2.yaml", &deep);
    assert_eq!(errs.len(), 1);
}

#[test]
fn comments_only_and_empty_documents_are_skipped() {
    let (objs, errs) = load("a.yaml", "---\n# only a comment\n---\n\n...\n");
    assert!(objs.is_empty());
    assert!(errs.is_empty());
}

#[test]
fn split_keeps_line_numbers() {
    let docs = split_documents("a: 1\n---\nb: 2\n--- \nc: 3\n");
    assert_eq!(docs.iter().map(|d| d.0).collect::<Vec<_>>(), vec![1, 2, 4]);
}

#[test]
fn yaml_1_1_booleans_stay_strings() {
    let (objs, errs) = load(
        "a.yaml",
        "kind: Pod\nmetadata:\n  name: y\n  labels: {a: yes, b: on, c: true}\n",
    );
    assert!(errs.is_empty(), "{errs:?}");
    assert_eq!(objs[0].json["metadata"]["name"], "y");
    assert_eq!(objs[0].json["metadata"]["labels"]["a"], "yes");
    assert_eq!(objs[0].json["metadata"]["labels"]["b"], "on");
    assert_eq!(objs[0].json["metadata"]["labels"]["c"], true);
}
