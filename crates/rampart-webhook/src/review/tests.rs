//! Envelope parsing, object splitting and response bytes (checked against serde's own output).
#![allow(clippy::unwrap_used)]

use super::*;
use serde::Serialize;

/// The response as serde writes it: the reference the hand-written writer must match.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ResponseBody<'a> {
    uid: &'a str,
    allowed: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    status: Option<&'a Status>,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    warnings: &'a [String],
    #[serde(skip_serializing_if = "Annotations::is_empty")]
    audit_annotations: Annotations<'a>,
}

/// Serialized as a JSON object straight from the ordered pairs (no intermediate map).
struct Annotations<'a>(&'a [(String, String)]);

impl Annotations<'_> {
    fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl Serialize for Annotations<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(self.0.iter().map(|(k, v)| (k, v)))
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Envelope<'a> {
    api_version: &'static str,
    kind: &'static str,
    response: ResponseBody<'a>,
}

/// The response `AdmissionReview` for `uid`.
fn serde_response_json(uid: &str, outcome: &Outcome) -> Vec<u8> {
    let audit_annotations = Annotations(&outcome.annotations);
    let env = Envelope {
        api_version: API_VERSION,
        kind: KIND,
        response: ResponseBody {
            uid,
            allowed: outcome.allowed,
            status: outcome.status.as_ref(),
            warnings: &outcome.warnings,
            audit_annotations,
        },
    };
    // Serializing plain strings, bools and maps cannot fail.
    serde_json::to_vec(&env).unwrap_or_default()
}

#[test]
fn parses_a_review_and_rejects_bad_envelopes() {
    let body = br#"{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{
        "uid":"u1","resource":{"group":"","version":"v1","resource":"pods"},"namespace":"ns",
        "operation":"CREATE","userInfo":{"username":"alice"},"object":{"kind":"Pod"},"dryRun":true}}"#;
    let r = parse(body).map_err(|e| e.to_string());
    let r = r.as_ref().map(|r| {
        (
            r.uid.as_str(),
            r.resource.as_str(),
            r.operation,
            r.username.as_str(),
            r.dry_run,
        )
    });
    assert_eq!(
        r,
        Ok(("u1", "pods", Operation::Create, "alice", true)),
        "{r:?}"
    );
    assert_eq!(parse(b"  ").err(), Some(ReviewError::Empty));
    assert!(matches!(parse(b"{\"a\":"), Err(ReviewError::Json { .. })));
    assert!(matches!(parse(b"[]"), Err(ReviewError::NotAnObject)));
    assert!(matches!(parse(b"[1,"), Err(ReviewError::Json { .. })));
    assert_eq!(
        parse(br#"{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":"x"}"#)
            .err(),
        Some(ReviewError::MissingRequest)
    );
    assert_eq!(
        parse(br#"{"apiVersion":"admission.k8s.io/v1beta1","kind":"AdmissionReview"}"#).err(),
        Some(ReviewError::ApiVersion("admission.k8s.io/v1beta1".into()))
    );
    assert_eq!(
        parse(br#"{"apiVersion":"admission.k8s.io/v1","kind":"Review"}"#).err(),
        Some(ReviewError::Kind("Review".into()))
    );
    assert_eq!(
        parse(br#"{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview"}"#).err(),
        Some(ReviewError::MissingRequest)
    );
    assert_eq!(
        parse(br#"{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{}}"#)
            .err(),
        Some(ReviewError::MissingUid)
    );
    assert_eq!(
        parse(
            br#"{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"x","namespace":3}}"#
        ).err(),
        Some(ReviewError::Field("namespace"))
    );
}

#[test]
fn response_echoes_uid_and_omits_empty_fields() {
    let out = Outcome::allow().annotate("enforce-policy", "baseline:latest");
    let v: Value = serde_json::from_slice(&response_json("u1", &out)).unwrap_or_default();
    assert_eq!(v["apiVersion"], "admission.k8s.io/v1");
    assert_eq!(v["response"]["uid"], "u1");
    assert_eq!(v["response"]["allowed"], true);
    assert!(v["response"].get("warnings").is_none());
    assert!(v["response"].get("patch").is_none());
    assert_eq!(
        v["response"]["auditAnnotations"]["enforce-policy"],
        "baseline:latest"
    );
    let deny = Outcome::deny(Status::failure(403, "no").with_details("web", "pods"));
    let v: Value = serde_json::from_slice(&response_json("u2", &deny)).unwrap_or_default();
    assert_eq!(v["response"]["status"]["reason"], "Forbidden");
    assert_eq!(v["response"]["status"]["details"]["kind"], "pods");
}

#[test]
fn responses_match_serde_byte_for_byte() {
    let tricky = "we\"ird\\ \u{1} \u{8}\u{c}\n\r\t \u{7f} é ☃ \u{1f}";
    let outcomes = [
        Outcome::allow(),
        Outcome::allow().annotate("enforce-policy", "baseline:latest"),
        Outcome {
            warnings: vec!["a".into(), tricky.into()],
            ..Outcome::allow()
        }
        .annotate("audit-violations", tricky)
        .annotate(tricky, "v"),
        Outcome::deny(Status::failure(403, tricky).with_details(tricky, "pods")),
        Outcome::deny(Status::failure(400, "failed to decode pod")).annotate("error", "x"),
    ];
    for out in &outcomes {
        for uid in ["u1", tricky, ""] {
            assert_eq!(
                String::from_utf8(response_json(uid, out)).unwrap(),
                String::from_utf8(serde_response_json(uid, out)).unwrap()
            );
        }
    }
}

#[test]
fn templates_fill_in_uid_and_name() {
    let warnings = vec!["w1".to_string()];
    let annotations = vec![("audit-violations".to_string(), "v".to_string())];
    let message = [
        Frag::Text("pods \""),
        Frag::Name,
        Frag::Text("\" is forbidden: no"),
    ];
    let name_frag = [Frag::Name];
    let t = Template::new(&Shape {
        allowed: false,
        status: Some(StatusShape {
            status: "Failure",
            code: 403,
            reason: "Forbidden",
            message: &message,
            details: Some((&name_frag, "pods")),
        }),
        warnings: &warnings,
        annotations: &annotations,
    });
    for name in ["web-1", "a\"b\\c\u{2}"] {
        let mut want = Outcome::deny(
            Status::failure(403, format!("pods \"{name}\" is forbidden: no"))
                .with_details(name, "pods"),
        )
        .annotate("audit-violations", "v");
        want.warnings.clone_from(&warnings);
        assert_eq!(t.render("u\"1", name), serde_response_json("u\"1", &want));
    }
    let allow = Template::new(&Shape {
        allowed: true,
        status: None,
        warnings: &[],
        annotations: &[],
    });
    assert_eq!(
        allow.render("u", "ignored"),
        serde_response_json("u", &Outcome::allow())
    );
}

fn review_with(object: &str) -> ReviewRequest {
    let body = format!(
        r#"{{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{{"uid":"u","object":{object},"oldObject":{{"a":1}}}}}}"#
    );
    parse(body.as_bytes()).unwrap()
}

#[test]
fn objects_split_into_the_parts_pod_security_reads() {
    let r = review_with(
        r#"{"kind":"Pod","apiVersion":"v1","metadata":{"name":"a","annotations":{"k":"v"},"labels":{}},"spec":{"x":[1]},"status":{}}"#,
    );
    let p = r.object_parts().unwrap();
    assert_eq!(p.api_version, Some(&br#""v1""#[..]));
    assert_eq!(p.kind, Some(&br#""Pod""#[..]));
    assert_eq!(p.metadata, MetaPart::Map(Some(&br#"{"k":"v"}"#[..])));
    assert_eq!(p.spec, Some(&br#"{"x":[1]}"#[..]));
    assert_eq!(r.object()["metadata"]["name"], "a");
    assert_eq!(r.old_object()["a"], 1);
    assert!(r.raw_object().unwrap().starts_with(r#"{"kind":"Pod""#));
    // Escaped keys are keys all the same.
    let r = review_with(r#"{"sp\u0065c":{"y":2},"metadata":null}"#);
    let p = r.object_parts().unwrap();
    assert_eq!(p.spec, Some(&br#"{"y":2}"#[..]));
    assert_eq!(p.metadata, MetaPart::Null);
    // What only the full decode can read.
    for unsplit in [
        r#"["v1","Pod"]"#,
        r#""Pod""#,
        r#"{"spec":{},"spec":{}}"#,
        r#"{"metadata":[]}"#,
        r#"{"metadata":{"annotations":{},"annotations":{}}}"#,
    ] {
        let r = review_with(unsplit);
        assert_eq!(r.object_parts(), None, "{unsplit}");
        assert!(r.raw_object().is_some(), "{unsplit}");
    }
    let r = review_with("null");
    assert_eq!(r.object_parts(), None);
    assert_eq!(r.raw_object(), None);
    assert!(r.object().is_null());
}

#[test]
fn wrong_types_name_the_field() {
    let with = |req: &str| {
        parse(
            format!(r#"{{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{{"uid":"x",{req}}}}}"#)
                .as_bytes(),
        )
        .err()
    };
    assert_eq!(
        with(r#""resource":[]"#),
        Some(ReviewError::Field("resource"))
    );
    assert_eq!(
        with(r#""resource":{"group":1}"#),
        Some(ReviewError::Field("resource"))
    );
    assert_eq!(
        with(r#""resource":{"group":"","group":""}"#),
        Some(ReviewError::Field("resource"))
    );
    assert_eq!(with(r#""resource":{"username":1}"#), None);
    assert_eq!(
        with(r#""userInfo":"bob""#),
        Some(ReviewError::Field("userInfo"))
    );
    assert_eq!(
        with(r#""operation":{}"#),
        Some(ReviewError::Field("operation"))
    );
    assert_eq!(
        with(r#""subResource":true"#),
        Some(ReviewError::Field("subResource"))
    );
    assert_eq!(with(r#""name":[1,[2]]"#), Some(ReviewError::Field("name")));
    assert_eq!(
        with(r#""dryRun":"yes""#),
        Some(ReviewError::Field("dryRun"))
    );
    assert_eq!(with(r#""dryRun":null,"name":null"#), None);
    let r = parse(
        br#"{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"\u0075","name":"a\"b","userInfo":{"username":"al\u0069ce","groups":["x"]}}}"#,
    )
    .unwrap();
    assert_eq!(
        (r.uid.as_str(), r.name.as_str(), r.username.as_str()),
        ("u", "a\"b", "alice")
    );
    assert_eq!(
        parse(
            br#"{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":3}}"#
        )
        .err(),
        Some(ReviewError::MissingUid)
    );
    assert_eq!(
        parse(br#"{"apiVersion":{"a":1},"kind":"AdmissionReview"}"#).err(),
        Some(ReviewError::ApiVersion(r#"{"a":1}"#.into()))
    );
    assert!(parse(br#"{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"x","object":{"a":}}}"#).is_err());
}

#[test]
fn escaping_matches_serde_at_every_position() {
    let specials = [
        '"', '\\', '\n', '\u{0}', '\u{1f}', '\u{7f}', 'é', ' ', '!', '#', '[', ']',
    ];
    for len in 0..20 {
        for pos in 0..=len {
            for c in specials {
                let mut s: String = "abcdefghijklmnopqrstuvwxyz".chars().take(len).collect();
                s.insert(pos.min(s.len()), c);
                let mut mine = vec![b'"'];
                response::escape_into(&mut mine, &s);
                mine.push(b'"');
                assert_eq!(mine, serde_json::to_vec(&s).unwrap(), "{s:?}");
            }
        }
    }
}
