//! Plain data shared by every Rampart engine.
//!
//! Nothing here does I/O. Engines take parsed objects and return [`Finding`]s; the edges
//! (loader, CLI, webhook, agent) fill in file positions and render them.

mod finding;
mod path;
mod rule;
mod severity;

pub use finding::{Finding, InputError, ObjectRef, Pos, SCANNED_ERROR_CODES};
pub use path::{JsonPath, Seg};
pub use rule::RuleMeta;
pub use severity::{Category, ParseEnumError, Severity};
