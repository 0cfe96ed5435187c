//! The parts of an `audit.k8s.io/v1` `Event` the detections read, borrowed from the log line.
//!
//! Everything else in the line (response bodies, annotations, timestamps) is skipped by the
//! parser without being built. `requestObject` is kept as raw JSON and parsed only by the
//! rules that need a body, and only for events that reached them.

use std::borrow::Cow;
use std::cell::OnceCell;
use std::sync::LazyLock;

use memchr::memmem::Finder;

use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::Value;

/// The identity of a request.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct UserInfo<'a> {
    #[serde(default, borrow)]
    pub username: Cow<'a, str>,
    /// Kept raw: most events never need their groups, so they are parsed on demand.
    #[serde(default, borrow)]
    pub groups: Option<&'a RawValue>,
}

impl UserInfo<'_> {
    pub(crate) fn in_group(&self, g: &str) -> bool {
        let Some(raw) = self.groups else { return false };
        // A group can only be listed if its text occurs (escapes aside: then parse anyway).
        let text = raw.get();
        if !text.contains(g) && !text.contains('\\') {
            return false;
        }
        serde_json::from_str::<Vec<Cow<'_, str>>>(text).is_ok_and(|gs| gs.iter().any(|x| x == g))
    }

    /// `system:anonymous`, or anyone in `system:unauthenticated`.
    pub(crate) fn is_anonymous(&self) -> bool {
        // Asked of every event: look for the group's text before parsing any groups.
        static UNAUTHENTICATED: LazyLock<Finder<'static>> =
            LazyLock::new(|| Finder::new(b"system:unauthenticated"));
        if self.username == "system:anonymous" {
            return true;
        }
        let Some(raw) = self.groups else { return false };
        let text = raw.get().as_bytes();
        (UNAUTHENTICATED.find(text).is_some() || text.contains(&b'\\'))
            && self.in_group("system:unauthenticated")
    }

    /// `(namespace, name)` when this is a service account.
    pub(crate) fn service_account(&self) -> Option<(&str, &str)> {
        self.username
            .strip_prefix("system:serviceaccount:")?
            .split_once(':')
    }
}

/// True for the cluster's own machinery: kube-system service accounts, and `system:` users
/// other than service accounts and `system:anonymous`.
pub(crate) fn control_plane_name(name: &str) -> bool {
    if let Some(sa) = name.strip_prefix("system:serviceaccount:") {
        return sa.starts_with("kube-system:");
    }
    name.starts_with("system:") && name != "system:anonymous"
}

/// What a resource request was about.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct ObjRef<'a> {
    #[serde(default, borrow)]
    pub resource: Cow<'a, str>,
    #[serde(default, borrow)]
    pub namespace: Cow<'a, str>,
    #[serde(default, borrow)]
    pub name: Cow<'a, str>,
    #[serde(rename = "apiGroup", default, borrow)]
    pub api_group: Cow<'a, str>,
    #[serde(rename = "apiVersion", default, borrow)]
    pub api_version: Cow<'a, str>,
    #[serde(default, borrow)]
    pub subresource: Cow<'a, str>,
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct Status {
    #[serde(default)]
    pub code: Option<i64>,
}

/// One audit event (or, when `kind` is `EventList`, a list of them in `items`).
#[derive(Debug, Default, Deserialize)]
pub(crate) struct Event<'a> {
    #[serde(default, borrow)]
    pub kind: Cow<'a, str>,
    #[serde(rename = "auditID", default, borrow)]
    pub audit_id: Cow<'a, str>,
    #[serde(default, borrow)]
    pub stage: Cow<'a, str>,
    #[serde(rename = "requestURI", default, borrow)]
    pub request_uri: Cow<'a, str>,
    #[serde(default, borrow)]
    pub verb: Cow<'a, str>,
    #[serde(default, borrow)]
    pub user: UserInfo<'a>,
    #[serde(rename = "impersonatedUser", default, borrow)]
    pub impersonated_user: Option<UserInfo<'a>>,
    #[serde(rename = "objectRef", default, borrow)]
    pub object_ref: Option<ObjRef<'a>>,
    #[serde(rename = "responseStatus", default)]
    pub response_status: Option<Status>,
    #[serde(rename = "requestObject", default, borrow)]
    pub request_object: Option<&'a RawValue>,
    #[serde(default, borrow)]
    pub items: Option<Vec<&'a RawValue>>,
}

static NO_OBJECT: ObjRef<'static> = ObjRef {
    resource: Cow::Borrowed(""),
    namespace: Cow::Borrowed(""),
    name: Cow::Borrowed(""),
    api_group: Cow::Borrowed(""),
    api_version: Cow::Borrowed(""),
    subresource: Cow::Borrowed(""),
};

/// An event being judged, with what the rules ask of it worked out once.
pub(crate) struct Ctx<'e, 'a> {
    pub ev: &'e Event<'a>,
    /// `objectRef`, or an empty one for non-resource requests.
    pub obj: &'e ObjRef<'a>,
    /// The identity the request was authorised as (the impersonated one, if any).
    pub identity: &'e UserInfo<'a>,
    /// Effective identity and caller are both control plane.
    pub control_plane: bool,
    body: OnceCell<Option<Value>>,
}

impl<'e, 'a> Ctx<'e, 'a> {
    pub(crate) fn new(ev: &'e Event<'a>) -> Self {
        let identity = ev.impersonated_user.as_ref().unwrap_or(&ev.user);
        let control_plane =
            control_plane_name(&identity.username) && control_plane_name(&ev.user.username);
        Self {
            ev,
            obj: ev.object_ref.as_ref().unwrap_or(&NO_OBJECT),
            identity,
            control_plane,
            body: OnceCell::new(),
        }
    }

    pub(crate) fn verb(&self) -> &str {
        &self.ev.verb
    }

    pub(crate) fn is_resource_request(&self) -> bool {
        self.ev.object_ref.is_some()
    }

    /// Resource (and subresource, `""` for none) in one of the given groups.
    pub(crate) fn on(&self, group: &str, resource: &str, sub: &str) -> bool {
        self.obj.resource == resource && self.obj.subresource == sub && self.obj.api_group == group
    }

    /// The request body, parsed on first use.
    pub(crate) fn body(&self) -> Option<&Value> {
        self.body
            .get_or_init(|| {
                self.ev
                    .request_object
                    .and_then(|raw| serde_json::from_str::<Value>(raw.get()).ok())
                    .filter(Value::is_object)
            })
            .as_ref()
    }

    /// The object's name: `objectRef.name`, else the body's `metadata.name`.
    pub(crate) fn name(&self) -> String {
        if !self.obj.name.is_empty() {
            return self.obj.name.to_string();
        }
        self.body()
            .and_then(|b| b.pointer("/metadata/name"))
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string()
    }

    /// The request path without its query.
    pub(crate) fn path(&self) -> &str {
        let uri: &str = &self.ev.request_uri;
        uri.split_once('?').map_or(uri, |(p, _)| p)
    }

    /// `alice`, or `alice (as bob)` when impersonating.
    pub(crate) fn who(&self) -> String {
        match &self.ev.impersonated_user {
            Some(imp) => format!("{} (as {})", self.ev.user.username, imp.username),
            None => self.ev.user.username.to_string(),
        }
    }
}

/// A body field as a bool that is literally `true`.
pub(crate) fn is_true(v: Option<&Value>) -> bool {
    v.and_then(Value::as_bool) == Some(true)
}
