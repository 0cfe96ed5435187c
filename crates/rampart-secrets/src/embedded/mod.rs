//! Formats embedded in a string value (`secrets.md` §5.1): JSON, YAML, properties/dotenv/INI,
//! `.npmrc`, `.netrc`, `.pgpass`, connection strings, URL query strings and shell scripts.
//!
//! Each parser turns a text into `(inner path, key, value)` pairs so the keyword and entropy
//! rules can judge every nested value under its own key. Parsers never fail loudly: a text that
//! does not parse simply yields no pairs, and no parser message ever leaves this module (they
//! could quote the text).

mod lines;
mod script;
mod structured;

pub use script::{argv_pairs, is_script, script_pairs};

use zeroize::Zeroizing;

use crate::rules::docker_config::{self, DockerCredential};

/// One nested value.
#[derive(Debug)]
pub struct Pair {
    /// Where it sits inside the text (`spring.datasource.password`, `auths["r"].auth`).
    pub inner: String,
    /// Its context key for the keyword rule.
    pub key: String,
    pub value: Zeroizing<String>,
}

impl Pair {
    pub fn new(inner: impl Into<String>, key: impl Into<String>, value: &str) -> Self {
        Self {
            inner: inner.into(),
            key: key.into(),
            value: Zeroizing::new(value.to_string()),
        }
    }
}

/// What a text turned out to hold.
#[derive(Debug, Default)]
pub struct Embedded {
    pub pairs: Vec<Pair>,
    /// Set when the text is a Docker config JSON.
    pub docker: Option<Vec<DockerCredential>>,
}

fn suffix(key: &str, ends: &[&str]) -> bool {
    let k = key.to_ascii_lowercase();
    ends.iter().any(|e| k.ends_with(e))
}

/// Parses `text`, found under `key`, into nested pairs; `None` when it is not a structured text.
pub fn parse(key: &str, text: &str) -> Option<Embedded> {
    let trimmed = text.trim_start();
    let multi_line = text.trim_end().contains('\n');
    if trimmed.starts_with('{') || trimmed.starts_with('[') {
        if let Ok(json) = serde_json::from_str::<serde_json::Value>(text) {
            let docker = docker_config::looks_like_docker_config(&json)
                .then(|| docker_config::credentials(&json));
            return Some(Embedded {
                pairs: structured::pairs(&json),
                docker,
            });
        }
    }
    if suffix(key, &[".pgpass", "pgpass"]) {
        return non_empty(lines::pgpass(text));
    }
    if suffix(key, &[".netrc", "netrc", "_netrc"]) || lines::looks_like_netrc(text) {
        return non_empty(lines::netrc(text));
    }
    let yaml_key = suffix(key, &[".yaml", ".yml"]) || key.eq_ignore_ascii_case("kubeconfig");
    if multi_line && (yaml_key || structured::looks_like_yaml(text)) {
        if let Some(json) = structured::parse_yaml(text) {
            if json.is_object() || json.is_array() {
                return Some(Embedded {
                    pairs: structured::pairs(&json),
                    docker: None,
                });
            }
        }
    }
    if multi_line {
        return non_empty(lines::key_values(text));
    }
    if let Some(pairs) = lines::url_query(text) {
        return Some(Embedded {
            pairs,
            docker: None,
        });
    }
    lines::connection_string(text).map(|pairs| Embedded {
        pairs,
        docker: None,
    })
}

fn non_empty(pairs: Vec<Pair>) -> Option<Embedded> {
    (!pairs.is_empty()).then(|| Embedded {
        pairs,
        docker: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(e: &Embedded) -> Vec<(String, String)> {
        e.pairs
            .iter()
            .map(|p| (p.inner.clone(), p.value.to_string()))
            .collect()
    }

    #[test]
    fn properties_and_dotenv() {
        let e = parse(
            "application.properties",
            "a.b=1\n# c\nspring.datasource.password=x#1\n",
        )
        .unwrap();
        assert_eq!(
            keys(&e)[1],
            ("spring.datasource.password".into(), "x#1".into())
        );
        let e = parse(".env", "export A=\"q\"\nB=v # note\n").unwrap();
        assert_eq!(
            keys(&e),
            vec![("A".into(), "q".into()), ("B".into(), "v".into())]
        );
    }

    #[test]
    fn json_yaml_and_docker() {
        let e = parse("c.json", r#"{"auth": {"clientSecret": "s3cr3t"}}"#).unwrap();
        assert_eq!(
            keys(&e),
            vec![("auth.clientSecret".into(), "s3cr3t".into())]
        );
        let e = parse("v.yaml", "db:\n  password: pw\n  hosts: [a]\n").unwrap();
        assert_eq!(keys(&e)[0], ("db.password".into(), "pw".into()));
        let e = parse(
            ".dockerconfigjson",
            r#"{"auths": {"r": {"auth": "dXNlcjpIazd2UTJ4TG05"}}}"#,
        )
        .unwrap();
        assert_eq!(e.docker.map(|d| d.len()), Some(1));
    }

    #[test]
    fn single_line_formats() {
        let e = parse("u", "https://api.example.com/x?access_token=abc&x=1").unwrap();
        assert_eq!(e.pairs[0].key, "access_token");
        let e = parse("c", "Server=db;User Id=app;Password=Hk7#vQ2x;").unwrap();
        assert_eq!(e.pairs[2].key, "Password");
        assert!(parse("k", "just a value").is_none());
    }
}
