//! Loading Kubernetes manifests with a source position on every node.
//!
//! The flow is: [`discover`] input paths (directories walked in parallel, honouring
//! `.gitignore`/`.rampartignore`) → [`parse_source`] each file into [`Object`]s (multi-document
//! YAML split per document so one bad document never hides the others; `List`/`*List` expanded)
//! → engines read each object's [`Object::json`] and name offending fields by [`JsonPath`];
//! [`Object::place`] turns those paths back into file positions.
//!
//! [`JsonPath`]: rampart_model::JsonPath

mod discover;
pub mod documents;
mod load;
mod node;
mod object;
pub mod pod;

pub use discover::{discover, read_input, Input, InputSource};
pub use load::{
    load_paths, load_text, parse_source, with_parse_stack, LoadOptions, Loaded, MAX_FILE_BYTES,
    PARSE_STACK_BYTES,
};
pub use node::{Key, Node, NodeValue};
pub use object::{Object, SourceFile};
