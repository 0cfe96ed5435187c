//! `terraform-cloud-token`: HCP Terraform / Terraform Enterprise API tokens
//! (`<14 characters>.atlasv1.<60–70 characters>`).

use rampart_model::{Category, RuleMeta, Severity};

use crate::family::{accept, Family, Pattern};

pub static META: RuleMeta = RuleMeta {
    id: "RMP5033",
    name: "terraform-cloud-token",
    title: "HCP Terraform API token",
    severity: Severity::High,
    category: Category::Secrets,
    mitre: &["T1552.001", "T1078.004"],
    what: "Finds HCP Terraform (Terraform Cloud) and Terraform Enterprise API tokens, recognisable by their .atlasv1. infix, in any string of any manifest, in comments and in files that do not parse.",
    why: "A Terraform API token can queue runs, read state (which holds every provisioned credential) and change workspace variables: it reaches every cloud account the organisation manages.",
    fix: "Revoke the token in HCP Terraform, remove it from the manifest and git history, and give the workload a team or agent token delivered through a Secret managed outside git.",
    example: "env:\n  - name: TF_TOKEN_app_terraform_io\n    value: <14 chars>.atlasv1.<secret>\n",
    references: &["https://developer.hashicorp.com/terraform/cloud-docs/users-teams-organizations/api-tokens"],
};

pub static PATTERNS: &[Pattern] = &[Pattern {
    family: Family::TerraformToken,
    literals: &[".atlasv1."],
    regex: r"[A-Za-z0-9]{14}\.atlasv1\.[A-Za-z0-9_=-]{60,70}",
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
        let tail: String = "Qm7vX2pL9kR4tW8zB1nC5yH3jD6fP0sA2gE4u"
            .chars()
            .cycle()
            .take(67)
            .collect();
        assert_eq!(
            find(&format!("Xk2mQ9vR4tW8zB.atlasv1.{tail}"))[0].family,
            Family::TerraformToken
        );
        assert!(find(&format!("short.atlasv1.{tail}")).is_empty());
    }
}
