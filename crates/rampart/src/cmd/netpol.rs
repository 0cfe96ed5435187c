//! `rampart netpol …`: a thin shell over the engine crate.

use std::path::PathBuf;

use anyhow::bail;
use rampart_manifest::Loaded;
use rampart_model::{Finding, RuleMeta};
use rampart_netpol::eval::Tier;
use rampart_netpol::matrix::report::MatrixReport;
use rampart_netpol::{evaluate, Cluster, EvalOptions, PortProto, Protocol, Query, Target};

use crate::common::{load_inputs, print_json, write_output, Format, EXIT_OK, EXIT_USAGE};

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Decide whether a pod may open a connection to a pod or an address, and say why.
    CanReach(CanReachArgs),
    /// Pod-to-pod reachability on the ports the pods expose.
    Matrix(MatrixArgs),
    /// What a change of policies (or pods) opens and closes.
    Diff(DiffArgs),
    /// Decide many connections listed in a file (`SRC -> DST PORT/PROTO [allow|deny]` per
    /// line); with expected verdicts, exit 1 when one differs.
    Queries(QueriesArgs),
}

#[derive(Debug, clap::Args)]
pub struct QueriesArgs {
    /// The query file (`-` for stdin); `#` starts a comment.
    pub queries: PathBuf,
    /// Manifests with Namespaces, Pods (or workloads) and policies.
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub common: Common,
}

/// Settings shared by every netpol command.
#[derive(Debug, clap::Args)]
pub struct Common {
    /// Output format (text or json).
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
    /// Let NetworkPolicy ipBlocks match pod IPs too (network-plugin dependent; off by default).
    #[arg(long)]
    pub ipblock_matches_pods: bool,
}

#[derive(Debug, clap::Args)]
pub struct CanReachArgs {
    /// Source pod, NAMESPACE/POD.
    #[arg(long)]
    pub from: String,
    /// Destination: NAMESPACE/POD or an IP address.
    #[arg(long)]
    pub to: String,
    /// Destination port (1-65535).
    #[arg(long)]
    pub port: u16,
    /// Transport protocol.
    #[arg(long, default_value = "TCP", value_parser = parse_protocol)]
    pub protocol: Protocol,
    /// Manifests with Namespaces, Pods (or workloads) and policies.
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub common: Common,
}

#[derive(Debug, clap::Args)]
pub struct MatrixArgs {
    /// Manifests with Namespaces, Pods (or workloads) and policies.
    pub paths: Vec<PathBuf>,
    /// Only sources matching NAMESPACE, NAMESPACE/POD or a glob such as `shop/web-*`.
    #[arg(long)]
    pub from: Vec<String>,
    /// Only destinations matching NAMESPACE, NAMESPACE/POD or a glob.
    #[arg(long)]
    pub to: Vec<String>,
    /// One row per pod instead of per workload.
    #[arg(long)]
    pub per_pod: bool,
    /// Write the output to FILE instead of stdout.
    #[arg(short, long)]
    pub output: Option<PathBuf>,
    #[command(flatten)]
    pub common: Common,
}

#[derive(Debug, clap::Args)]
pub struct DiffArgs {
    /// The manifests before the change.
    #[arg(required = true)]
    pub old: Vec<PathBuf>,
    /// The manifests after the change.
    #[arg(long, required = true, num_args = 1..)]
    pub against: Vec<PathBuf>,
    /// One row per pod instead of per workload.
    #[arg(long)]
    pub per_pod: bool,
    /// Write the output to FILE instead of stdout.
    #[arg(short, long)]
    pub output: Option<PathBuf>,
    #[command(flatten)]
    pub common: Common,
}

fn parse_protocol(s: &str) -> Result<Protocol, String> {
    s.parse()
        .map_err(|e: rampart_netpol::protocol::ProtocolError| e.to_string())
}

pub fn run(cmd: Command) -> anyhow::Result<u8> {
    match cmd {
        Command::CanReach(a) => can_reach(&a),
        Command::Matrix(a) => matrix(&a),
        Command::Diff(a) => diff(&a),
        Command::Queries(a) => queries(&a),
    }
}

fn check_format(f: Format) -> anyhow::Result<()> {
    if !matches!(f, Format::Text | Format::Json) {
        bail!("netpol commands print `text` or `json`");
    }
    Ok(())
}

fn opts(c: &Common) -> EvalOptions {
    EvalOptions {
        ipblock_matches_pod_ips: c.ipblock_matches_pods,
    }
}

/// Loads inputs and builds the cluster, warning about policies the API server would refuse.
fn load_cluster(paths: &[PathBuf]) -> (Loaded, Cluster) {
    let loaded = load_inputs(paths);
    let cluster = Cluster::from_objects(&loaded.objects);
    for issue in &cluster.issues {
        let Some(obj) = loaded.objects.get(issue.object) else {
            continue;
        };
        let pos = obj.locate(&issue.error.path);
        eprintln!(
            "warning[NP001]: {}:{}:{}: {} {}: {} (ignored: the API server would refuse it)",
            obj.file(),
            pos.line,
            pos.column,
            obj.kind(),
            obj.id.name,
            issue.error.message
        );
    }
    (loaded, cluster)
}

fn can_reach(a: &CanReachArgs) -> anyhow::Result<u8> {
    check_format(a.common.format)?;
    if a.port == 0 {
        eprintln!("error: --port must be 1-65535");
        return Ok(EXIT_USAGE);
    }
    let (_, cluster) = load_cluster(&a.paths);
    let from = match cluster.resolve(&a.from) {
        Ok(Target::Pod(p)) => p,
        Ok(Target::Ip(_)) => {
            eprintln!(
                "error: --from must be a pod (NAMESPACE/POD), got `{}`",
                a.from
            );
            return Ok(EXIT_USAGE);
        }
        Err(e) => {
            eprintln!("error: --from: {e}");
            return Ok(EXIT_USAGE);
        }
    };
    let to = match cluster.resolve(&a.to) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("error: --to: {e}");
            return Ok(EXIT_USAGE);
        }
    };
    let port = PortProto::new(a.port, a.protocol);
    let v = evaluate(&cluster, opts(&a.common), &Query { from, to, port });
    let to_name = match to {
        Target::Pod(p) => cluster.pod_id(p),
        Target::Ip(ip) => ip.to_string(),
    };
    if a.common.format == Format::Json {
        let mut j = serde_json::to_value(&v)?;
        if let Some(m) = j.as_object_mut() {
            m.insert("from".into(), cluster.pod_id(from).into());
            m.insert("to".into(), to_name.into());
            m.insert("port".into(), a.port.into());
            m.insert("protocol".into(), a.protocol.as_str().into());
        }
        print_json(&j)?;
        return Ok(EXIT_OK);
    }
    let verdict = if v.allowed { "ALLOWED" } else { "DENIED" };
    let mut s = format!("{} -> {to_name} {port}: {verdict}\n", cluster.pod_id(from));
    for (dir, d) in [("egress", &v.egress), ("ingress", &v.ingress)] {
        let word = if d.allowed { "allowed" } else { "denied" };
        s.push_str(&format!("  {dir}: {word} — {}\n", d.explanation));
        if d.tier != Tier::Outside {
            for r in &d.by {
                s.push_str(&format!("    by {}\n", r.describe()));
            }
        }
    }
    write_output(None, &s)?;
    Ok(EXIT_OK)
}

fn render(
    format: Format,
    json: impl FnOnce() -> serde_json::Value,
    text: impl FnOnce() -> String,
    output: Option<&PathBuf>,
) -> anyhow::Result<()> {
    let s = match format {
        Format::Json => {
            let mut s = serde_json::to_string_pretty(&json())?;
            s.push('\n');
            s
        }
        _ => text(),
    };
    write_output(output, &s)
}

fn matrix(a: &MatrixArgs) -> anyhow::Result<u8> {
    check_format(a.common.format)?;
    let (_, cluster) = load_cluster(&a.paths);
    let m = rampart_netpol::matrix::compute(&cluster, opts(&a.common));
    let report = MatrixReport::new(&cluster, &m, a.per_pod, &a.from, &a.to);
    render(
        a.common.format,
        || report.to_json(&cluster),
        || report.to_text(),
        a.output.as_ref(),
    )?;
    Ok(EXIT_OK)
}

fn diff(a: &DiffArgs) -> anyhow::Result<u8> {
    check_format(a.common.format)?;
    let (_, old) = load_cluster(&a.old);
    let (_, new) = load_cluster(&a.against);
    let (m1, m2) = (
        rampart_netpol::matrix::compute(&old, opts(&a.common)),
        rampart_netpol::matrix::compute(&new, opts(&a.common)),
    );
    let d = rampart_netpol::matrix::diff::diff((&old, &m1), (&new, &m2), a.per_pod);
    render(
        a.common.format,
        || d.to_json(),
        || d.to_text(),
        a.output.as_ref(),
    )?;
    Ok(EXIT_OK)
}

/// One line of a query file: (source, destination, port, expected verdict).
fn parse_query_line(l: &str) -> Option<(&str, &str, PortProto, Option<bool>)> {
    let f: Vec<&str> = l.split_whitespace().collect();
    if !(4..=5).contains(&f.len()) || f[1] != "->" {
        return None;
    }
    let port = f[3].parse().ok()?;
    let expect = match f.get(4) {
        None => None,
        Some(&"allow") => Some(true),
        Some(&"deny") => Some(false),
        Some(_) => return None,
    };
    Some((f[0], f[2], port, expect))
}

fn queries(a: &QueriesArgs) -> anyhow::Result<u8> {
    use anyhow::Context;
    check_format(a.common.format)?;
    let text = if a.queries.as_os_str() == "-" {
        std::io::read_to_string(std::io::stdin())?
    } else {
        std::fs::read_to_string(&a.queries)
            .with_context(|| format!("cannot read {}", a.queries.display()))?
    };
    let (_, cluster) = load_cluster(&a.paths);
    let (mut out, mut json, mut mismatches) = (String::new(), Vec::new(), 0);
    for (n, raw) in text.lines().enumerate() {
        let l = raw.trim();
        if l.is_empty() || l.starts_with('#') {
            continue;
        }
        let Some((src, dst, port, expect)) = parse_query_line(l) else {
            eprintln!(
                "error: {}:{}: expected `SRC -> DST PORT/PROTO [allow|deny]`",
                a.queries.display(),
                n + 1
            );
            return Ok(EXIT_USAGE);
        };
        let (from, to) = match (cluster.resolve(src), cluster.resolve(dst)) {
            (Ok(Target::Pod(f)), Ok(t)) => (f, t),
            (f, t) => {
                let why = f
                    .err()
                    .or(t.err())
                    .map_or_else(|| format!("`{src}` is not a pod"), |e| e.to_string());
                eprintln!("error: {}:{}: {why}", a.queries.display(), n + 1);
                return Ok(EXIT_USAGE);
            }
        };
        let v = evaluate(&cluster, opts(&a.common), &Query { from, to, port });
        let verdict = if v.allowed { "allow" } else { "deny" };
        let ok = expect.is_none_or(|e| e == v.allowed);
        if !ok {
            mismatches += 1;
        }
        out.push_str(&format!(
            "{src} -> {dst} {port} {verdict}{}\n",
            if ok {
                ""
            } else {
                "  # MISMATCH: expected the opposite"
            }
        ));
        let mut j = serde_json::to_value(&v)?;
        if let Some(m) = j.as_object_mut() {
            m.insert("query".into(), format!("{src} -> {dst} {port}").into());
            m.insert("line".into(), (n + 1).into());
            if let Some(e) = expect {
                m.insert("expected".into(), e.into());
            }
        }
        json.push(j);
    }
    if a.common.format == Format::Json {
        print_json(&json)?;
    } else {
        write_output(None, &out)?;
    }
    Ok(if mismatches > 0 {
        crate::common::EXIT_FOUND
    } else {
        EXIT_OK
    })
}

/// Rules this engine adds to the registry.
pub fn rules() -> Vec<&'static RuleMeta> {
    rampart_netpol::lints::rules()
}

/// Findings this engine adds to `rampart scan`.
pub fn scan_lints(loaded: &Loaded) -> Vec<Finding> {
    rampart_netpol::lints::run(&loaded.objects)
}
