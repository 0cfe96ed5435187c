//! Every secrets rule: metadata next to its logic, one file per family or rule group.
//!
//! Value families (RMP5001–RMP5019, and the extra token formats RMP5030–RMP5041) are reported
//! by the detectors in `walk` and `raw`; posture rules (RMP5020–RMP5029, RMP5042 onwards) look
//! at one object each.

pub mod age;
pub mod anthropic;
pub mod aws;
pub mod azure;
pub mod basic_auth_url;
pub mod bootstrap_token;
pub mod cluster_external_secret_broad;
pub mod cluster_store;
pub mod csi_node_publish_secret;
pub mod csi_secret_sync;
pub mod digitalocean;
pub mod docker_config;
pub mod encryption;
pub mod external_secret;
pub mod external_secret_lifecycle;
pub mod generic_password;
pub mod github;
pub mod gitlab;
pub mod google;
pub mod high_entropy;
pub mod huggingface;
pub mod jwt;
pub mod last_applied;
pub mod mailchimp;
pub mod npm;
pub mod openai;
pub mod private_key;
pub mod pypi;
pub mod sa_token;
pub mod sealed_secret;
pub mod sealed_secret_namespace_wide;
pub mod secret_as_env;
pub mod secret_in_git;
pub mod sendgrid;
pub mod slack;
pub mod store_static;
pub mod stripe;
pub mod telegram;
pub mod terraform;
pub mod twilio;
pub mod untyped_material;
pub mod vault;

use rampart_manifest::Object;
use rampart_model::{Finding, RuleMeta};

/// Every rule of this engine, in id order.
pub static ALL: &[&RuleMeta] = &[
    &aws::ACCESS_KEY,
    &aws::SECRET_KEY,
    &github::META,
    &gitlab::META,
    &slack::TOKEN,
    &slack::WEBHOOK,
    &stripe::META,
    &google::META,
    &azure::META,
    &npm::META,
    &sendgrid::META,
    &private_key::META,
    &jwt::META,
    &basic_auth_url::META,
    &docker_config::META,
    &generic_password::META,
    &high_entropy::META,
    &secret_in_git::META,
    &last_applied::META,
    &sa_token::META,
    &external_secret::META,
    &cluster_store::META,
    &store_static::META,
    &sealed_secret::META,
    &encryption::IDENTITY_FIRST,
    &encryption::WEAK_PROVIDER,
    &encryption::NOT_COVERED,
    &secret_as_env::META,
    &untyped_material::META,
    &openai::META,
    &anthropic::META,
    &vault::META,
    &terraform::META,
    &digitalocean::META,
    &huggingface::META,
    &pypi::META,
    &twilio::META,
    &mailchimp::META,
    &telegram::META,
    &age::META,
    &bootstrap_token::META,
    &external_secret_lifecycle::META,
    &cluster_external_secret_broad::META,
    &sealed_secret_namespace_wide::META,
    &csi_secret_sync::META,
    &csi_node_publish_secret::META,
];

/// Rules that judge an object's handling of credentials rather than report a value.
pub static POSTURE: &[&RuleMeta] = &[
    &sa_token::META,
    &external_secret::META,
    &cluster_store::META,
    &store_static::META,
    &sealed_secret::META,
    &encryption::IDENTITY_FIRST,
    &encryption::WEAK_PROVIDER,
    &encryption::NOT_COVERED,
    &secret_as_env::META,
    &untyped_material::META,
    &external_secret_lifecycle::META,
    &cluster_external_secret_broad::META,
    &sealed_secret_namespace_wide::META,
    &csi_secret_sync::META,
    &csi_node_publish_secret::META,
];

/// Rules that only run when asked for (`--all-rules`): not in the conformance vocabulary.
pub static OPTIONAL: &[&RuleMeta] = &[
    &encryption::IDENTITY_FIRST,
    &encryption::WEAK_PROVIDER,
    &encryption::NOT_COVERED,
    &secret_as_env::META,
    &untyped_material::META,
    &external_secret_lifecycle::META,
    &cluster_external_secret_broad::META,
    &sealed_secret_namespace_wide::META,
    &csi_secret_sync::META,
    &csi_node_publish_secret::META,
];

/// The kind of an external-secrets.io object (v1beta1 or v1), if it is one.
pub(crate) fn eso_kind(obj: &Object) -> Option<&str> {
    obj.id
        .api_version
        .starts_with("external-secrets.io/")
        .then(|| obj.kind())
}

/// Posture findings for one object.
pub(crate) fn posture(obj: &Object, optional: bool) -> Vec<Finding> {
    let mut out = Vec::new();
    out.extend(sa_token::check(obj));
    out.extend(external_secret::check(obj));
    out.extend(cluster_store::check(obj));
    out.extend(store_static::check(obj));
    out.extend(sealed_secret::check(obj));
    if optional {
        out.extend(encryption::check(obj));
        out.extend(secret_as_env::check(obj));
        out.extend(untyped_material::check(obj));
        out.extend(external_secret_lifecycle::check(obj));
        out.extend(cluster_external_secret_broad::check(obj));
        out.extend(sealed_secret_namespace_wide::check(obj));
        out.extend(csi_secret_sync::check(obj));
        out.extend(csi_node_publish_secret::check(obj));
    }
    out
}
