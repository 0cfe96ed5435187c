//! `rampart agent`: a thin shell over the runtime agent crate.
//!
//! `rampart agent [--rules FILE]... [--duration DUR] [--output FILE] [--metrics-listen ADDR]`
//! runs the node agent; `rampart agent rules validate FILE...` checks rule files;
//! `rampart agent rules list` prints the loaded rules.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use anyhow::Context;
use rampart_agent::output::EVENTS_DROPPED;
use rampart_agent::rules::{builtin_metas, RuleError, RuleSet, BUILTIN_FILES};
use rampart_model::RuleMeta;

use crate::common::{EXIT_OK, EXIT_USAGE};

#[derive(Debug, clap::Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct Args {
    #[command(subcommand)]
    command: Option<AgentCommand>,
    /// Rule file loaded after the shipped rules (may add rules, or replace/disable them by id).
    #[arg(long, value_name = "FILE")]
    rules: Vec<PathBuf>,
    /// Use only the rules given with --rules.
    #[arg(long)]
    no_default_rules: bool,
    /// Stop after this long (e.g. 30s, 5m, 1h); default: until SIGINT or SIGTERM.
    #[arg(long, value_name = "DUR", value_parser = parse_duration)]
    duration: Option<Duration>,
    /// Write JSON lines here instead of stdout.
    #[arg(long, short, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Serve Prometheus metrics on this address (e.g. 127.0.0.1:9464).
    #[arg(long, value_name = "ADDR")]
    metrics_listen: Option<SocketAddr>,
    /// CRI socket used to name pods and containers (default: containerd's or CRI-O's).
    #[arg(long, value_name = "PATH")]
    cri_socket: Option<PathBuf>,
    /// Also write every kernel event as a `{"event": ...}` line (debugging, rule writing).
    #[arg(long)]
    emit_events: bool,
    /// Kernel ring-buffer size (power of two, 4K to 1G, e.g. 8M, 32M). Larger buffers ride out
    /// longer bursts while the agent is descheduled, at the cost of resident memory.
    #[arg(long, value_name = "SIZE", value_parser = rampart_agent::kernel::parse_ring_size,
          default_value = "8M")]
    ring_buffer_size: u32,
}

#[derive(Debug, clap::Subcommand)]
enum AgentCommand {
    /// Rule files: validate, list.
    #[command(subcommand)]
    Rules(RulesCommand),
}

#[derive(Debug, clap::Subcommand)]
enum RulesCommand {
    /// Check rule files (with the shipped lists and macros in scope); errors as file:line:col.
    Validate {
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
    },
    /// List the rules that would be loaded.
    List {
        #[arg(long, value_name = "FILE")]
        rules: Vec<PathBuf>,
    },
}

/// `30s`, `5m`, `2h`, `250ms`, or plain seconds.
fn parse_duration(s: &str) -> Result<Duration, String> {
    let s = s.trim();
    let split = s
        .find(|c: char| !c.is_ascii_digit() && c != '.')
        .unwrap_or(s.len());
    let (num, unit) = s.split_at(split);
    let n: f64 = num
        .parse()
        .map_err(|_| format!("`{s}` is not a duration (e.g. 30s, 5m, 1h)"))?;
    let secs = match unit {
        "" | "s" => n,
        "ms" => n / 1000.0,
        "m" => n * 60.0,
        "h" => n * 3600.0,
        _ => {
            return Err(format!(
                "unknown unit `{unit}` in `{s}` (use ms, s, m or h)"
            ))
        }
    };
    if !secs.is_finite() || secs < 0.0 {
        return Err(format!("`{s}` is not a duration"));
    }
    Ok(Duration::from_secs_f64(secs))
}

/// Reads rule files and compiles them after (or without) the shipped ones.
fn load_rules(
    files: &[PathBuf],
    defaults: bool,
) -> anyhow::Result<Result<RuleSet, Vec<RuleError>>> {
    let mut texts = Vec::new();
    for f in files {
        let text =
            std::fs::read_to_string(f).with_context(|| format!("cannot read {}", f.display()))?;
        texts.push((f.display().to_string(), text));
    }
    let mut all: Vec<(&str, &str)> = if defaults {
        BUILTIN_FILES.to_vec()
    } else {
        Vec::new()
    };
    all.extend(texts.iter().map(|(n, t)| (n.as_str(), t.as_str())));
    Ok(RuleSet::compile(&all))
}

fn print_errors(errors: &[RuleError]) {
    for e in errors {
        eprintln!("{e}");
    }
}

pub fn run(args: Args) -> anyhow::Result<u8> {
    match args.command {
        Some(AgentCommand::Rules(RulesCommand::Validate { files })) => {
            let mut bad = false;
            for f in &files {
                match load_rules(std::slice::from_ref(f), true)? {
                    Ok(set) => {
                        let own = set.len().saturating_sub(builtin_metas().len());
                        println!(
                            "{}: ok ({} rules in total, {own} added by this file)",
                            f.display(),
                            set.len()
                        );
                    }
                    Err(errors) => {
                        print_errors(&errors);
                        bad = true;
                    }
                }
            }
            Ok(if bad { EXIT_USAGE } else { EXIT_OK })
        }
        Some(AgentCommand::Rules(RulesCommand::List { rules })) => {
            let set = match load_rules(&rules, true)? {
                Ok(s) => s,
                Err(errors) => {
                    print_errors(&errors);
                    return Ok(EXIT_USAGE);
                }
            };
            for m in set.metas() {
                println!("{}  {:<32} {:<8} {}", m.id, m.name, m.severity, m.title);
            }
            Ok(EXIT_OK)
        }
        None => {
            let rules = match load_rules(&args.rules, !args.no_default_rules)? {
                Ok(s) => s,
                Err(errors) => {
                    print_errors(&errors);
                    return Ok(EXIT_USAGE);
                }
            };
            let opts = rampart_agent::Options {
                rules,
                duration: args.duration,
                output: args.output,
                metrics_listen: args.metrics_listen,
                cri_socket: args.cri_socket,
                emit_events: args.emit_events,
                ring_bytes: args.ring_buffer_size,
            };
            rampart_agent::run(opts)?;
            Ok(EXIT_OK)
        }
    }
}

/// Rules this engine adds to the registry.
pub fn rules() -> Vec<&'static RuleMeta> {
    let mut out = builtin_metas();
    out.push(&EVENTS_DROPPED);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_durations() {
        assert_eq!(parse_duration("30s"), Ok(Duration::from_secs(30)));
        assert_eq!(parse_duration("2m"), Ok(Duration::from_secs(120)));
        assert_eq!(parse_duration("250ms"), Ok(Duration::from_millis(250)));
        assert_eq!(parse_duration("5"), Ok(Duration::from_secs(5)));
        assert!(parse_duration("5d").is_err());
        assert!(parse_duration("x").is_err());
    }

    #[test]
    fn ring_buffer_default_is_the_crate_default() {
        use clap::Parser;
        #[derive(clap::Parser)]
        struct Cli {
            #[command(flatten)]
            args: Args,
        }
        let cli = Cli::try_parse_from(["agent"]).expect("parses");
        assert_eq!(
            cli.args.ring_buffer_size,
            rampart_agent::kernel::DEFAULT_RING_BYTES
        );
    }
}
