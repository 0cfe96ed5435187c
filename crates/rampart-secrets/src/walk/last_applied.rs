//! `last-applied-secret` (§4): the annotation's JSON is walked like an object; a Secret's data
//! or a credential the live object no longer holds at the same path is one finding.

use serde_json::Value;

use crate::family::Family;
use crate::hit::Hit;
use crate::locate::Spot;

use super::{At, Mode, Walker};

impl Walker {
    pub(super) fn last_applied(&mut self, at: &At, live: &Value, text: &str) {
        let Ok(embedded) = serde_json::from_str::<Value>(text) else {
            // Not kubectl's JSON: an ordinary annotation.
            self.evaluate(
                at,
                crate::rules::last_applied::ANNOTATION,
                text,
                Mode::Full,
                0,
            );
            return;
        };
        let is_secret = embedded.get("kind").and_then(Value::as_str) == Some("Secret");
        let mut hits = Walker::object(&embedded);
        if !is_secret {
            // A credential still at the same path in the live object is reported there.
            hits.retain(|h| {
                let here = h.path.lookup(&embedded);
                here.is_none() || h.path.lookup(live) != here
            });
        }
        hits.sort_by(|a, b| a.path.cmp(&b.path));
        let Some(first) = hits.first() else { return };
        let mut paths: Vec<String> = Vec::new();
        for h in &hits {
            let p = crate::finding::display_path(&h.path, h.inner.as_deref());
            if !paths.contains(&p) {
                paths.push(p);
            }
        }
        let what = if is_secret {
            "Secret data"
        } else {
            "credentials"
        };
        let detail = format!("embeds {what} at {}", paths.join(", "));
        self.push_hit(Hit {
            family: Family::LastAppliedSecret,
            severity: None,
            path: at.path(),
            inner: None,
            key: None,
            spot: Spot::Start,
            value: first.value.clone(),
            encoding: None,
            detail: Some(detail),
        });
    }
}
