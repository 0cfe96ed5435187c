//! `rampart rules` and `rampart explain ID`.

use crate::registry;

#[derive(Debug, clap::Args)]
pub struct RulesArgs {
    /// Print as JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, clap::Args)]
pub struct ExplainArgs {
    /// Rule id (`RMP1001`) or name (`run-as-root`).
    pub rule: String,
}

pub fn run_rules(args: &RulesArgs) -> anyhow::Result<u8> {
    let rules = registry::all();
    if args.json {
        let list: Vec<_> = rules.iter().map(|r| registry::to_json(r)).collect();
        crate::common::print_json(&list)?;
    } else {
        let mut out = String::new();
        for r in &rules {
            out.push_str(&format!(
                "{:<8} {:<9} {:<13} {:<40} {}\n",
                r.id, r.severity, r.category, r.name, r.title
            ));
        }
        crate::common::write_output(None, &out)?;
    }
    Ok(crate::common::EXIT_OK)
}

pub fn run_explain(args: &ExplainArgs) -> anyhow::Result<u8> {
    let Some(r) = registry::find(&args.rule) else {
        anyhow::bail!("no rule `{}`; `rampart rules` lists them all", args.rule);
    };
    crate::common::write_output(None, &registry::explain(r))?;
    Ok(crate::common::EXIT_OK)
}
