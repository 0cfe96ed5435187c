//! `rampart rules` and `rampart explain ID`.

use crate::common::{write_output, EXIT_OK};
use crate::registry;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum RulesFormat {
    Text,
    Json,
    /// The rule reference `docs/rules.md` is generated from.
    Markdown,
}

#[derive(Debug, clap::Args)]
pub struct RulesArgs {
    #[arg(long, short = 'f', value_enum, default_value = "text")]
    pub format: RulesFormat,
    /// Only rules of this category (workload, pss, rbac, network, secrets, audit, cluster, runtime).
    #[arg(long)]
    pub category: Option<rampart_model::Category>,
}

#[derive(Debug, clap::Args)]
pub struct ExplainArgs {
    /// Rule id (`RMP1001`) or name (`run-as-root`).
    pub rule: String,
}

pub fn run_rules(args: &RulesArgs) -> anyhow::Result<u8> {
    let rules: Vec<_> = registry::all()
        .into_iter()
        .filter(|r| args.category.is_none_or(|c| r.category == c))
        .collect();
    let text = match args.format {
        RulesFormat::Json => {
            let list: Vec<_> = rules.iter().map(|r| registry::to_json(r)).collect();
            let mut s = serde_json::to_string_pretty(&list)?;
            s.push('\n');
            s
        }
        RulesFormat::Markdown => registry::markdown(&rules),
        RulesFormat::Text => {
            let mut out = String::new();
            for r in &rules {
                out.push_str(&format!(
                    "{:<8} {:<9} {:<13} {:<40} {}\n",
                    r.id,
                    r.severity.as_str(),
                    r.category.as_str(),
                    r.name,
                    r.title
                ));
            }
            out.push_str(&format!(
                "\n{} rules; `rampart explain ID` tells more.\n",
                rules.len()
            ));
            out
        }
    };
    write_output(None, &text)?;
    Ok(EXIT_OK)
}

pub fn run_explain(args: &ExplainArgs) -> anyhow::Result<u8> {
    let Some(r) = registry::find(&args.rule) else {
        anyhow::bail!("no rule `{}`; `rampart rules` lists them all", args.rule);
    };
    write_output(None, &registry::explain(r))?;
    Ok(EXIT_OK)
}
