//! The `rampart` binary: argument parsing, configuration, exit codes and wiring. Every analysis
//! lives in a library crate; each subcommand module here is a thin shell over one of them.

mod cmd;
mod common;
mod registry;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// A scan allocates and frees millions of small strings and nodes across threads; mimalloc
/// spends about a fifth less CPU on that than glibc's allocator (docs/benchmarks.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Kubernetes and container security in one binary.
#[derive(Debug, Parser)]
#[command(name = "rampart", version, about, long_about = None, propagate_version = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Scan manifests for security problems (workload, RBAC, network, secrets, audit, cluster rules).
    Scan(cmd::scan::Args),
    /// List every rule.
    Rules(cmd::rules::RulesArgs),
    /// Explain one rule: what it checks, why it matters, how to fix it.
    Explain(cmd::rules::ExplainArgs),
    /// Pod Security Standards: exact Pod Security Admission verdicts offline.
    #[command(subcommand)]
    Pss(cmd::pss::Command),
    /// RBAC: can-i, who-can, escalation paths, least privilege from audit logs.
    #[command(subcommand)]
    Rbac(cmd::rbac::Command),
    /// NetworkPolicy: reachability, matrices and explanations.
    #[command(subcommand)]
    Netpol(cmd::netpol::Command),
    /// Secrets: leaked values and Secret management.
    #[command(subcommand)]
    Secrets(cmd::secrets::Command),
    /// Audit logging: policy evaluation and detections over audit logs.
    #[command(subcommand)]
    Audit(cmd::audit::Command),
    /// CIS Kubernetes Benchmark checks for a node.
    #[command(subcommand)]
    Cis(cmd::cis::Command),
    /// Validating admission webhook.
    #[command(subcommand)]
    Webhook(cmd::webhook::Command),
    /// Runtime node agent.
    Agent(cmd::agent::Args),
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                common::EXIT_USAGE.into()
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    let result = match cli.command {
        Command::Scan(a) => cmd::scan::run(a),
        Command::Rules(a) => cmd::rules::run_rules(&a),
        Command::Explain(a) => cmd::rules::run_explain(&a),
        Command::Pss(c) => cmd::pss::run(c),
        Command::Rbac(c) => cmd::rbac::run(c),
        Command::Netpol(c) => cmd::netpol::run(c),
        Command::Secrets(c) => cmd::secrets::run(c),
        Command::Audit(c) => cmd::audit::run(c),
        Command::Cis(c) => cmd::cis::run(c),
        Command::Webhook(c) => cmd::webhook::run(c),
        Command::Agent(a) => cmd::agent::run(a),
    };
    match result {
        Ok(code) => code.into(),
        Err(e) => {
            common::print_error(&e);
            common::EXIT_USAGE.into()
        }
    }
}
