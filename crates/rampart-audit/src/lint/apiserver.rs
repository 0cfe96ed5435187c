//! Finding kube-apiserver containers in manifests (static pods above all) and reading their
//! command-line flags.

use rampart_manifest::pod::{pod_spec, ContainerKind};
use rampart_manifest::Object;
use rampart_model::JsonPath;
use serde_json::Value;

/// A kube-apiserver container and its flags.
pub(crate) struct ApiServer {
    /// Path to the container's `command` (or `args` when the flags are there).
    pub(crate) flags_path: JsonPath,
    flags: Vec<(String, Option<String>)>,
}

impl ApiServer {
    /// The flag's value (`--flag=value` or `--flag value`), `Some("")` for a bare flag.
    pub(crate) fn flag(&self, name: &str) -> Option<&str> {
        self.flags
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_deref().unwrap_or(""))
    }
}

fn strings(v: Option<&Value>) -> Vec<String> {
    v.and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .map(str::to_string)
        .collect()
}

fn parse_flags(words: &[String]) -> Vec<(String, Option<String>)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let w = &words[i];
        i += 1;
        let Some(flag) = w.strip_prefix("--") else {
            continue;
        };
        match flag.split_once('=') {
            Some((n, v)) => out.push((n.to_string(), Some(v.to_string()))),
            None => {
                let value = words.get(i).filter(|v| !v.starts_with("--")).cloned();
                if value.is_some() {
                    i += 1;
                }
                out.push((flag.to_string(), value));
            }
        }
    }
    out
}

fn runs_apiserver(command: &[String], image: &str) -> bool {
    let binary = |w: &String| w.rsplit('/').next() == Some("kube-apiserver");
    command.first().is_some_and(binary)
        || (command.is_empty()
            && image
                .rsplit('/')
                .next()
                .is_some_and(|i| i.starts_with("kube-apiserver")))
}

/// Every kube-apiserver container of the object.
pub(crate) fn apiservers(obj: &Object) -> Vec<ApiServer> {
    let Some(spec) = pod_spec(&obj.json) else {
        return Vec::new();
    };
    spec.containers()
        .into_iter()
        .filter(|c| c.kind == ContainerKind::Container)
        .filter_map(|c| {
            let command = strings(c.json.get("command"));
            let args = strings(c.json.get("args"));
            let image = c.json.get("image").and_then(Value::as_str).unwrap_or("");
            if !runs_apiserver(&command, image) {
                return None;
            }
            let mut words = command.clone();
            words.extend(args.iter().cloned());
            let field = if command.len() > 1 || args.is_empty() {
                "command"
            } else {
                "args"
            };
            Some(ApiServer {
                flags_path: c.path.key(field),
                flags: parse_flags(&words),
            })
        })
        .collect()
}

pub(crate) fn is_apiserver_pod(obj: &Object) -> bool {
    !apiservers(obj).is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_with_and_without_equals() {
        let words: Vec<String> = ["kube-apiserver", "--a=1", "--b", "2", "--c", "--d="]
            .iter()
            .map(|s| (*s).to_string())
            .collect();
        let f = parse_flags(&words);
        let s = ApiServer {
            flags_path: JsonPath::root(),
            flags: f,
        };
        assert_eq!(s.flag("a"), Some("1"));
        assert_eq!(s.flag("b"), Some("2"));
        assert_eq!(s.flag("c"), Some(""));
        assert_eq!(s.flag("d"), Some(""));
        assert_eq!(s.flag("e"), None);
    }
}
