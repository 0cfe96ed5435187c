//! `digitalocean-token`: DigitalOcean personal access, OAuth and refresh tokens
//! (`dop_v1_`, `doo_v1_`, `dor_v1_` + 64 hex).

use rampart_model::{Category, RuleMeta, Severity};

use crate::family::{accept, Family, Pattern};

pub static META: RuleMeta = RuleMeta {
    id: "RMP5034",
    name: "digitalocean-token",
    title: "DigitalOcean API token",
    severity: Severity::High,
    category: Category::Secrets,
    mitre: &["T1552.001", "T1078.004"],
    what: "Finds DigitalOcean personal access tokens, OAuth tokens and refresh tokens (dop_v1_, doo_v1_, dor_v1_ followed by 64 hex digits) in any string of any manifest, in comments and in files that do not parse.",
    why: "A DigitalOcean token with write scope creates, reads and destroys droplets, databases, Kubernetes clusters and their kubeconfigs.",
    fix: "Revoke the token in the DigitalOcean control panel, remove it from the manifest and git history, and deliver a narrowly scoped token through a Secret managed outside git.",
    example: "env:\n  - name: DIGITALOCEAN_ACCESS_TOKEN\n    value: dop_v1_<64 hex>\n",
    references: &["https://docs.digitalocean.com/reference/api/create-personal-access-token/"],
};

pub static PATTERNS: &[Pattern] = &[Pattern {
    family: Family::DigitaloceanToken,
    literals: &["dop_v1_", "doo_v1_", "dor_v1_"],
    regex: r"do[opr]_v1_[a-f0-9]{64}",
    left_boundary: true,
    right_boundary: true,
    validate: accept,
}];

#[cfg(test)]
mod tests {
    use crate::detect::tokens::find;
    use crate::family::Family;

    #[test]
    fn shapes() {
        let hex: String = "3f9a0c7e51b2d864".chars().cycle().take(64).collect();
        assert_eq!(
            find(&format!("dop_v1_{hex}"))[0].family,
            Family::DigitaloceanToken
        );
        assert!(find(&format!("dop_v1_{hex}0")).is_empty());
    }
}
