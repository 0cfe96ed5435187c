//! `.rampart.yaml`: which rules run, severity overrides, path excludes and the fail threshold.
//!
//! ```yaml
//! disable: [RMP1020, image-without-digest]   # ids or names
//! enable: []                                 # when non-empty, only these rules run
//! severity: {RMP1004: low}                   # per-rule severity overrides
//! exclude: ["tests/**", "charts/*/ci/**"]    # path globs never scanned or reported
//! fail-on: high                              # exit 1 only for findings at or above this
//! ```

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use globset::{Glob, GlobSet, GlobSetBuilder};
use rampart_model::{Finding, Severity};
use serde::Deserialize;

/// The configuration file's contents.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Config {
    #[serde(default)]
    pub disable: Vec<String>,
    #[serde(default)]
    pub enable: Vec<String>,
    #[serde(default)]
    pub severity: BTreeMap<String, Severity>,
    #[serde(default)]
    pub exclude: Vec<String>,
    #[serde(default)]
    pub fail_on: Option<Severity>,
}

/// The default file name, looked up in the working directory.
pub const DEFAULT_FILE: &str = ".rampart.yaml";

impl Config {
    /// Reads `path`, or `.rampart.yaml` in the working directory when it exists.
    pub fn load(path: Option<&Path>) -> Result<Self> {
        let path: PathBuf = match path {
            Some(p) => p.to_path_buf(),
            None if Path::new(DEFAULT_FILE).is_file() => PathBuf::from(DEFAULT_FILE),
            None => return Ok(Self::default()),
        };
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("cannot read config {}", path.display()))?;
        if text.trim().is_empty() {
            return Ok(Self::default());
        }
        serde_saphyr::from_str(&text).map_err(|e| {
            let at = e
                .location()
                .map(|l| format!(":{}:{}", l.line(), l.column()))
                .unwrap_or_default();
            let msg = e.without_snippet().to_string();
            let msg = msg.lines().next().unwrap_or("invalid configuration");
            anyhow::anyhow!("error[E0010]: {}{at}: {msg}", path.display())
        })
    }

    /// Compiled path excludes.
    pub fn excludes(&self) -> Result<GlobSet> {
        let mut b = GlobSetBuilder::new();
        for g in &self.exclude {
            b.add(
                Glob::new(g)
                    .with_context(|| format!("invalid exclude glob `{g}` in configuration"))?,
            );
        }
        Ok(b.build()?)
    }

    fn names(list: &[String], f: &Finding) -> bool {
        list.iter()
            .any(|r| r.eq_ignore_ascii_case(&f.rule) || r.eq_ignore_ascii_case(&f.name))
    }

    /// Whether the configuration lets `f`'s rule run.
    pub fn allows(&self, f: &Finding) -> bool {
        (self.enable.is_empty() || Self::names(&self.enable, f)) && !Self::names(&self.disable, f)
    }

    /// Applies a severity override, if any.
    pub fn adjust(&self, f: &mut Finding) {
        if let Some(s) = self
            .severity
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(&f.rule) || k.eq_ignore_ascii_case(&f.name))
            .map(|(_, s)| *s)
        {
            f.severity = s;
        }
    }
}
