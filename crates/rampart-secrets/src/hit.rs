//! A located credential before it becomes a [`Finding`](rampart_model::Finding).

use rampart_model::{JsonPath, Severity};

use crate::family::Family;
use crate::locate::Spot;
use crate::value::SecretValue;

/// One credential found in one object.
#[derive(Debug, Clone)]
pub struct Hit {
    pub family: Family,
    pub severity: Option<Severity>,
    /// The scalar's path in the object.
    pub path: JsonPath,
    /// The nested path inside an embedded format, appended after `#`.
    pub inner: Option<String>,
    /// The context key the value was judged under (a name, never a value).
    pub key: Option<String>,
    pub spot: Spot,
    pub value: SecretValue,
    /// `base64` when the value was found after decoding.
    pub encoding: Option<&'static str>,
    /// Extra words for the message (never values).
    pub detail: Option<String>,
}
