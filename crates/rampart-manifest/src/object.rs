//! Objects: one Kubernetes object (a document, or one item of a `List`) with its source.

use std::sync::Arc;

use rampart_model::{Finding, JsonPath, ObjectRef, Pos};

use crate::Node;

/// A loaded file's text, kept for reports (source lines, carets) and comment suppressions.
#[derive(Debug)]
pub struct SourceFile {
    /// The path as the user gave it (or `-` for stdin).
    pub path: String,
    pub text: String,
}

impl SourceFile {
    /// The 1-based line `n`, without its line ending.
    pub fn line(&self, n: u32) -> Option<&str> {
        let idx = usize::try_from(n).ok()?.checked_sub(1)?;
        self.text.lines().nth(idx)
    }
}

/// One Kubernetes object and where it came from.
#[derive(Debug, Clone)]
pub struct Object {
    pub source: Arc<SourceFile>,
    /// 0-based index of the YAML document in the file.
    pub doc: usize,
    /// Index in the enclosing `List`'s `items`, when the object came from one.
    pub item: Option<usize>,
    /// The spanned tree, rooted at the object.
    pub node: Node,
    /// The same object as plain JSON, for engines.
    pub json: serde_json::Value,
    pub id: ObjectRef,
}

impl Object {
    pub(crate) fn new(
        source: Arc<SourceFile>,
        doc: usize,
        item: Option<usize>,
        node: Node,
    ) -> Self {
        let json = node.to_json();
        let id = ObjectRef::of(&json);
        Self {
            source,
            doc,
            item,
            node,
            json,
            id,
        }
    }

    pub fn file(&self) -> &str {
        &self.source.path
    }

    pub fn kind(&self) -> &str {
        &self.id.kind
    }

    /// Position of `path` (or of its nearest existing parent).
    pub fn locate(&self, path: &JsonPath) -> Pos {
        self.node.locate(path)
    }

    /// Fills a finding's file, line, column and object from its path.
    pub fn place(&self, finding: &mut Finding) {
        let pos = finding
            .path
            .as_ref()
            .map_or(self.node.pos, |p| self.locate(p));
        finding.file.clone_from(&self.source.path);
        finding.line = pos.line;
        finding.column = pos.column;
        if finding.object.is_none() {
            finding.object = Some(self.id.clone());
        }
    }

    /// An annotation's value.
    pub fn annotation(&self, key: &str) -> Option<&str> {
        self.json
            .get("metadata")?
            .get("annotations")?
            .get(key)?
            .as_str()
    }
}
