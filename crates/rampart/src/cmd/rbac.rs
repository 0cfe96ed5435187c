//! `rampart rbac …`: a thin shell over the engine crate (`rampart-rbac`).

use std::path::PathBuf;

use anyhow::bail;
use rampart_manifest::Loaded;
use rampart_model::{Finding, RuleMeta};
use rampart_rbac::escalation::{self, render::Report as EscalationReport};
use rampart_rbac::from_audit;
use rampart_rbac::report::{self, CanIReport, WhoCanReport};
use rampart_rbac::{Cluster, Identity, Request, Subject};

use crate::common::{
    format_input_error, load_inputs, print_json, write_output, Format, EXIT_OK, EXIT_USAGE,
};

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Decide one request exactly as the Kubernetes RBAC authorizer would, and say why.
    CanI(CanIArgs),
    /// List every subject that a request is granted to, and through which bindings.
    WhoCan(WhoCanArgs),
    /// Privilege-escalation paths: each subject's shortest way to cluster-admin or node root.
    Escalations(EscalationsArgs),
    /// Least-privilege Roles/ClusterRoles and bindings from an audit log (audit2rbac-style).
    FromAudit(FromAuditArgs),
}

/// Settings shared by every rbac command that reads RBAC manifests.
#[derive(Debug, clap::Args)]
pub struct Inputs {
    /// Files or directories with Roles, ClusterRoles and bindings; `-` reads stdin.
    pub paths: Vec<PathBuf>,
    /// Add the bootstrap roles and bindings every cluster has (cluster-admin, admin, edit,
    /// view, system:*); objects in the inputs override them.
    #[arg(long)]
    pub with_bootstrap: bool,
    /// Treat unreadable or invalid inputs as fatal (exit 2).
    #[arg(long)]
    pub strict: bool,
    /// Output format (text or json).
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
}

/// `VERB TARGET [--subresource S] [-n NS]`.
#[derive(Debug, clap::Args)]
pub struct RequestArgs {
    /// The verb, exactly as the authorizer sees it (`get`, `list`, `create`, `*`, …).
    pub verb: String,
    /// `RESOURCE[.GROUP][/NAME]` or a non-resource URL such as `/healthz`.
    pub target: String,
    /// Subresource (`log`, `exec`, `status`, `scale`, `token`, …).
    #[arg(long)]
    pub subresource: Option<String>,
    /// The request's namespace; leave it out for cluster-scoped resources and for
    /// requests across all namespaces.
    #[arg(short = 'n', long)]
    pub namespace: Option<String>,
}

#[derive(Debug, clap::Args)]
pub struct CanIArgs {
    #[command(flatten)]
    pub request: RequestArgs,
    /// The user to ask for (`system:serviceaccount:NS:NAME` is a service account).
    #[arg(long = "as", value_name = "USER")]
    pub user: String,
    /// A group of the user (repeatable); replaces a service account's implied groups.
    #[arg(long = "as-group", value_name = "GROUP")]
    pub groups: Vec<String>,
    #[command(flatten)]
    pub inputs: Inputs,
}

#[derive(Debug, clap::Args)]
pub struct WhoCanArgs {
    #[command(flatten)]
    pub request: RequestArgs,
    #[command(flatten)]
    pub inputs: Inputs,
}

#[derive(Debug, clap::Args)]
pub struct EscalationsArgs {
    /// Only report these subjects (`User:NAME`, `Group:NAME`, `ServiceAccount:NS/NAME`).
    #[arg(long = "subject", value_name = "SUBJECT")]
    pub subjects: Vec<String>,
    #[command(flatten)]
    pub inputs: Inputs,
}

#[derive(Debug, clap::Args)]
#[command(group(clap::ArgGroup::new("who").required(true).args(["user", "service_account"])))]
pub struct FromAuditArgs {
    /// Audit logs (`audit.k8s.io/v1` Events as JSON lines, or an EventList); `-` reads stdin.
    #[arg(required = true)]
    pub logs: Vec<PathBuf>,
    /// The user whose requests to allow.
    #[arg(long)]
    pub user: Option<String>,
    /// The service account whose requests to allow, as NAMESPACE/NAME.
    #[arg(long = "serviceaccount", value_name = "NS/NAME")]
    pub service_account: Option<String>,
    /// Name of the generated roles and bindings (default `rampart:<user>`).
    #[arg(long)]
    pub name: Option<String>,
    /// RBAC manifests already in the cluster: requests they allow are left out.
    #[arg(long = "existing", value_name = "PATH")]
    pub existing: Vec<PathBuf>,
    /// Count the bootstrap roles and bindings as already in the cluster.
    #[arg(long)]
    pub with_bootstrap: bool,
    /// Write the YAML to FILE instead of stdout.
    #[arg(short, long)]
    pub output: Option<PathBuf>,
    /// Treat unreadable or invalid log lines as fatal (exit 2).
    #[arg(long)]
    pub strict: bool,
}

pub fn run(cmd: Command) -> anyhow::Result<u8> {
    match cmd {
        Command::CanI(a) => can_i(&a),
        Command::WhoCan(a) => who_can(&a),
        Command::Escalations(a) => escalations(&a),
        Command::FromAudit(a) => from_audit(&a),
    }
}

fn check_format(f: Format, allowed: &[Format]) -> anyhow::Result<()> {
    if !allowed.contains(&f) {
        let names: Vec<String> = allowed
            .iter()
            .map(|f| format!("{f:?}").to_lowercase())
            .collect();
        bail!("this command prints {}", names.join(" or "));
    }
    Ok(())
}

/// Loads the inputs and builds the cluster; reports every input problem on stderr. `None`
/// when `--strict` is set and there were problems.
fn load(inputs: &Inputs) -> Option<Cluster> {
    let loaded = load_inputs(&inputs.paths);
    let cluster = Cluster::from_objects(&loaded.objects, inputs.with_bootstrap);
    for e in &cluster.errors {
        eprintln!("{}", format_input_error(e));
    }
    let bad = !loaded.errors.is_empty() || !cluster.errors.is_empty();
    (!(inputs.strict && bad)).then_some(cluster)
}

/// Builds the request; a usage error is printed and becomes `Err(exit code)`.
fn request(r: &RequestArgs) -> Result<(Request, Vec<String>), u8> {
    match Request::build(
        &r.verb,
        &r.target,
        r.subresource.as_deref(),
        r.namespace.as_deref(),
    ) {
        Ok(req) => {
            let warnings = match &req {
                Request::Resource(rr) => rampart_rbac::namespace_warning(rr).into_iter().collect(),
                Request::NonResource { .. } => Vec::new(),
            };
            for w in &warnings {
                eprintln!("warning: {w}");
            }
            Ok((req, warnings))
        }
        Err(e) => {
            eprintln!("error: {}: {e}", r.target);
            Err(EXIT_USAGE)
        }
    }
}

fn can_i(a: &CanIArgs) -> anyhow::Result<u8> {
    check_format(a.inputs.format, &[Format::Text, Format::Json])?;
    let (req, warnings) = match request(&a.request) {
        Ok(r) => r,
        Err(code) => return Ok(code),
    };
    let Some(cluster) = load(&a.inputs) else {
        return Ok(EXIT_USAGE);
    };
    let id = Identity::impersonate(&a.user, &a.groups);
    let decision = cluster.policy.can_i(&id, &req);
    if a.inputs.format == Format::Json {
        print_json(&CanIReport::new(&cluster.policy, &id, &decision, warnings))?;
    } else {
        write_output(None, &report::can_i_text(&cluster.policy, &id, &decision))?;
    }
    Ok(EXIT_OK)
}

fn who_can(a: &WhoCanArgs) -> anyhow::Result<u8> {
    check_format(a.inputs.format, &[Format::Text, Format::Json])?;
    let (req, warnings) = match request(&a.request) {
        Ok(r) => r,
        Err(code) => return Ok(code),
    };
    let Some(cluster) = load(&a.inputs) else {
        return Ok(EXIT_USAGE);
    };
    let holders = cluster.policy.who_can(&req);
    if a.inputs.format == Format::Json {
        print_json(&WhoCanReport::new(&cluster.policy, &holders, warnings))?;
    } else {
        write_output(None, &report::who_can_text(&cluster.policy, &holders))?;
    }
    Ok(EXIT_OK)
}

fn escalations(a: &EscalationsArgs) -> anyhow::Result<u8> {
    check_format(a.inputs.format, &[Format::Text, Format::Json, Format::Dot])?;
    let Some(cluster) = load(&a.inputs) else {
        return Ok(EXIT_USAGE);
    };
    let mut analysis = escalation::analyze(&cluster);
    if !a.subjects.is_empty() {
        let graph = &analysis.graph;
        analysis
            .subjects
            .retain(|p| a.subjects.contains(&graph.nodes[p.node].to_string()));
    }
    match a.inputs.format {
        Format::Json => print_json(&EscalationReport::new(&analysis, &cluster.policy))?,
        Format::Dot => write_output(None, &escalation::render::dot(&analysis))?,
        _ => write_output(
            None,
            &EscalationReport::new(&analysis, &cluster.policy).text(),
        )?,
    }
    Ok(EXIT_OK)
}

fn from_audit(a: &FromAuditArgs) -> anyhow::Result<u8> {
    let who = match (&a.user, &a.service_account) {
        (Some(u), _) => match rampart_rbac::split_service_account(u) {
            Some((ns, name)) => Subject::ServiceAccount {
                namespace: ns.into(),
                name: name.into(),
            },
            None => Subject::User(u.clone()),
        },
        (None, Some(sa)) => match sa.split_once('/') {
            Some((ns, name)) if !ns.is_empty() && !name.is_empty() => Subject::ServiceAccount {
                namespace: ns.into(),
                name: name.into(),
            },
            _ => bail!("--serviceaccount takes NAMESPACE/NAME, got `{sa}`"),
        },
        (None, None) => bail!("give --user or --serviceaccount"),
    };
    let mut events = Vec::new();
    let mut bad = false;
    for path in &a.logs {
        let (name, text) = if path.as_os_str() == "-" {
            let mut s = String::new();
            std::io::Read::read_to_string(&mut std::io::stdin(), &mut s)?;
            ("-".to_string(), s)
        } else {
            let text = std::fs::read_to_string(path)
                .map_err(|e| anyhow::anyhow!("cannot read {}: {e}", path.display()))?;
            (path.display().to_string(), text)
        };
        let (evs, errors) = from_audit::parse(&name, &text);
        for e in &errors {
            eprintln!("{}", format_input_error(e));
        }
        bad |= !errors.is_empty();
        events.extend(evs);
    }
    if a.strict && bad {
        return Ok(EXIT_USAGE);
    }
    let existing = (!a.existing.is_empty() || a.with_bootstrap).then(|| {
        let loaded = if a.existing.is_empty() {
            Loaded::default()
        } else {
            load_inputs(&a.existing)
        };
        Cluster::from_objects(&loaded.objects, a.with_bootstrap)
    });
    let generated = from_audit::least_privilege(
        &events,
        &who,
        existing.as_ref().map(|c| &c.policy),
        a.name.as_deref(),
    );
    let header = format!(
        "Least-privilege RBAC for {who}, generated by `rampart rbac from-audit` from {} events:\n\
         {} distinct requests, {} already allowed by the existing policy.",
        generated.events, generated.requests, generated.already_allowed
    );
    if generated.events == 0 {
        eprintln!("warning: no request of {who} in the audit log");
    }
    write_output(a.output.as_ref(), &generated.to_yaml(&header))?;
    Ok(EXIT_OK)
}

/// Rules this engine adds to the registry.
pub fn rules() -> Vec<&'static RuleMeta> {
    rampart_rbac::lints::rules()
}

/// Findings this engine adds to `rampart scan`.
pub fn scan_lints(loaded: &Loaded) -> Vec<Finding> {
    rampart_rbac::lints::scan(&loaded.objects)
}
