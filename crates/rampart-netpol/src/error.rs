//! Errors found while reading policies and pods: each names the object and the field.

use rampart_model::JsonPath;

/// A field the API server would reject, or that Rampart cannot interpret.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{path}: {message}")]
pub struct SpecError {
    /// Path of the offending field from the object's root.
    pub path: JsonPath,
    pub message: String,
}

impl SpecError {
    pub fn new(path: &JsonPath, message: impl Into<String>) -> Self {
        Self {
            path: path.clone(),
            message: message.into(),
        }
    }
}

/// A [`SpecError`] with the index of the object it was found in (in the input slice).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issue {
    pub object: usize,
    pub error: SpecError,
}

pub(crate) type SpecResult<T> = Result<T, SpecError>;
