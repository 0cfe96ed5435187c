//! Command-line flags as the Kubernetes components parse them (spf13/pflag and Go's `flag`).
//!
//! `--name=value`, `--name value` and `-name value` all set `name`; a bare `--name` is `true`;
//! `--` ends the flags. A flag given twice keeps its last value, except list and map flags
//! (`--enable-admission-plugins`, `--feature-gates`, …), whose pflag types append every
//! occurrence. Names match exactly: `--profiling` is never found inside `--profiling-foo`.

/// Flags whose value never comes from the next word: booleans (pflag's `NoOptDefVal`).
const BOOL_FLAGS: &[&str] = &[
    "allow-privileged",
    "anonymous-auth",
    "auto-tls",
    "client-cert-auth",
    "enable-aggregator-routing",
    "enable-bootstrap-token-auth",
    "enable-debugging-handlers",
    "enable-pprof",
    "enable-v2",
    "experimental-initial-corrupt-check",
    "fail-swap-on",
    "leader-elect",
    "make-iptables-util-chains",
    "peer-auto-tls",
    "peer-client-cert-auth",
    "profiling",
    "protect-kernel-defaults",
    "rotate-certificates",
    "rotate-server-certificates",
    "seccomp-default",
    "service-account-extend-token-expiration",
    "service-account-lookup",
    "use-service-account-credentials",
    "allocate-node-cidrs",
    "strict-reconfig-check",
    "debug",
];

/// Flags of pflag slice or map types: every occurrence adds to the value.
const LIST_FLAGS: &[&str] = &[
    "admission-control",
    "authorization-mode",
    "disable-admission-plugins",
    "enable-admission-plugins",
    "etcd-servers",
    "feature-gates",
    "tls-cipher-suites",
    "controllers",
    "kubelet-preferred-address-types",
    "api-audiences",
];

/// One flag as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Occurrence {
    pub name: String,
    /// `None` for a bare boolean flag.
    pub value: Option<String>,
    /// Index of the word holding the flag name.
    pub arg: usize,
}

/// A flag's effective value and where it was given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FlagValue {
    pub value: String,
    /// Word index of the occurrence that decided the value (the last one).
    pub arg: usize,
    /// How many times the flag was given.
    pub count: usize,
}

/// Parsed flags of one command line.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Flags {
    occurrences: Vec<Occurrence>,
}

impl Flags {
    /// Parses the words after the program name.
    pub fn parse<S: AsRef<str>>(args: &[S]) -> Self {
        let mut occurrences = Vec::new();
        let mut i = 0;
        while i < args.len() {
            let word = args[i].as_ref();
            if word == "--" {
                break;
            }
            let Some(body) = flag_body(word) else {
                i += 1;
                continue;
            };
            let (name, value) = match body.split_once('=') {
                Some((n, v)) => (n.to_string(), Some(v.to_string())),
                None => {
                    let next = args.get(i + 1).map(AsRef::as_ref);
                    let takes_next = !BOOL_FLAGS.contains(&body)
                        && next.is_some_and(|n| flag_body(n).is_none() && n != "--");
                    if takes_next {
                        i += 1;
                        (body.to_string(), next.map(str::to_string))
                    } else {
                        (body.to_string(), None)
                    }
                }
            };
            let arg = if value.is_some() && !word.contains('=') {
                i - 1
            } else {
                i
            };
            occurrences.push(Occurrence { name, value, arg });
            i += 1;
        }
        Self { occurrences }
    }

    /// Every occurrence, in order.
    pub fn occurrences(&self) -> &[Occurrence] {
        &self.occurrences
    }

    /// The effective value of `name` (without dashes).
    pub fn get(&self, name: &str) -> Option<FlagValue> {
        let all: Vec<&Occurrence> = self.occurrences.iter().filter(|o| o.name == name).collect();
        let last = all.last()?;
        let value_of = |o: &Occurrence| o.value.clone().unwrap_or_else(|| "true".to_string());
        let value = if LIST_FLAGS.contains(&name) {
            all.iter()
                .map(|o| value_of(o))
                .filter(|v| !v.is_empty())
                .collect::<Vec<_>>()
                .join(",")
        } else {
            value_of(last)
        };
        Some(FlagValue {
            value,
            arg: last.arg,
            count: all.len(),
        })
    }
}

/// `name` of `--name…`/`-name…`, or `None` for a word that is not a flag (values such as
/// `-1` included).
fn flag_body(word: &str) -> Option<&str> {
    let body = word.strip_prefix("--").or_else(|| word.strip_prefix('-'))?;
    let first = body.chars().next()?;
    first.is_ascii_alphabetic().then_some(body)
}

/// Splits a comma-separated list, trimming blanks.
pub fn list(value: &str) -> Vec<&str> {
    value
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect()
}

/// `Gate=true,Other=false` into the value of `gate` (last wins); `None` when not listed.
pub fn gate(value: &str, gate: &str) -> Option<String> {
    list(value)
        .into_iter()
        .filter_map(|kv| kv.split_once('='))
        .rfind(|(k, _)| k.trim() == gate)
        .map(|(_, v)| v.trim().to_string())
}

/// Go's `strconv.ParseBool`.
pub fn parse_bool(v: &str) -> Option<bool> {
    match v.trim() {
        "1" | "t" | "T" | "true" | "TRUE" | "True" => Some(true),
        "0" | "f" | "F" | "false" | "FALSE" | "False" => Some(false),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Flags {
        Flags::parse(&s.split_whitespace().collect::<Vec<_>>())
    }

    #[test]
    fn equals_space_and_bare_forms() {
        let f = p("--a=1 --b 2 --profiling --c -d 4 --e=");
        assert_eq!(f.get("a").map(|v| v.value), Some("1".into()));
        assert_eq!(f.get("b").map(|v| (v.value, v.arg)), Some(("2".into(), 1)));
        assert_eq!(f.get("profiling").map(|v| v.value), Some("true".into()));
        assert_eq!(f.get("c").map(|v| v.value), Some("true".into()));
        assert_eq!(f.get("d").map(|v| v.value), Some("4".into()));
        assert_eq!(f.get("e").map(|v| v.value), Some(String::new()));
        assert_eq!(f.get("profil"), None);
    }

    #[test]
    fn bool_flags_do_not_take_the_next_word() {
        let f = p("--anonymous-auth false --x");
        assert_eq!(
            f.get("anonymous-auth").map(|v| v.value),
            Some("true".into())
        );
    }

    #[test]
    fn last_wins_and_lists_accumulate() {
        let f = p("--profiling=false --profiling=true --enable-admission-plugins=A --enable-admission-plugins=B,C");
        assert_eq!(
            f.get("profiling").map(|v| (v.value, v.count)),
            Some(("true".into(), 2))
        );
        assert_eq!(
            f.get("enable-admission-plugins").map(|v| v.value),
            Some("A,B,C".into())
        );
    }

    #[test]
    fn negative_values_and_terminator() {
        let f = p("--pod-max-pids -1 -- --after=1");
        assert_eq!(f.get("pod-max-pids").map(|v| v.value), Some("-1".into()));
        assert_eq!(f.get("after"), None);
    }

    #[test]
    fn gates_and_bools() {
        assert_eq!(
            gate(
                "A=true, RotateKubeletServerCertificate=false",
                "RotateKubeletServerCertificate"
            ),
            Some("false".into())
        );
        assert_eq!(gate("A=true", "B"), None);
        assert_eq!(parse_bool("True"), Some(true));
        assert_eq!(parse_bool("yes"), None);
    }
}
