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
fn duplicate_keys_are_errors_in_yaml_and_last_wins_in_json() {
    let (objs, errs) = load("a.yaml", "---\nkind: Pod\nspec:\n  a: 1\n  b: 2\n  a: 3\n");
    assert!(objs.is_empty());
    assert_eq!(errs.len(), 1);
    assert_eq!((errs[0].line, errs[0].column), (6, 3));
    assert!(
        errs[0].message.ends_with("first defined at line 4"),
        "{}",
        errs[0].message
    );
    // A key may be a credential: the message never quotes it.
    let (_, errs) = load(
        "b.yaml",
        "data:\n  ghp_SECRETKEY123: 1\n  ghp_SECRETKEY123: 2\n",
    );
    assert!(!errs[0].message.contains("SECRET"), "{}", errs[0].message);
    let (objs, errs) = load("a.json", "{\"kind\": \"Pod\", \"kind\": \"Service\"}");
    assert!(errs.is_empty());
    assert_eq!(objs[0].kind(), "Service");
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
