//! Source lines by file and number, split once per run: suppression comments and report snippets
//! look lines up per finding, and a scan can have hundreds of thousands of findings.

use std::collections::HashMap;
use std::sync::Arc;

use rampart_manifest::{Loaded, SourceFile};
use rampart_report::SourceLines;

pub struct LineIndex<'a>(HashMap<&'a str, Vec<&'a str>>);

impl<'a> LineIndex<'a> {
    /// The lines of the files that can hold a suppression comment (that mention its marker):
    /// the only lookups filtering makes, so other files are not split at all.
    pub fn for_suppressions(loaded: &'a Loaded) -> Self {
        Self::split(
            loaded
                .sources
                .iter()
                .filter(|s| s.text.contains(super::suppress::MARKER)),
        )
    }

    pub fn of(sources: &'a [Arc<SourceFile>]) -> Self {
        Self::split(sources.iter())
    }

    fn split(sources: impl Iterator<Item = &'a Arc<SourceFile>>) -> Self {
        Self(
            sources
                .map(|s| (s.path.as_str(), s.text.lines().collect()))
                .collect(),
        )
    }

    /// The 1-based line `n` of `file`.
    pub fn get(&self, file: &str, n: u32) -> Option<&'a str> {
        let idx = usize::try_from(n).ok()?.checked_sub(1)?;
        self.0.get(file)?.get(idx).copied()
    }
}

impl SourceLines for LineIndex<'_> {
    fn line(&self, file: &str, line: u32) -> Option<&str> {
        self.get(file, line)
    }
}
