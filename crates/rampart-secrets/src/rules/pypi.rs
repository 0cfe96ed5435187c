//! `pypi-token`: PyPI API tokens (macaroons whose base64 starts `AgEIcHlwaS5vcmc`, i.e.
//! location `pypi.org`).

use rampart_model::{Category, RuleMeta, Severity};

use crate::family::{accept, Family, Pattern};

pub static META: RuleMeta = RuleMeta {
    id: "RMP5036",
    name: "pypi-token",
    title: "PyPI API token",
    severity: Severity::High,
    category: Category::Secrets,
    mitre: &["T1552.001", "T1195.001"],
    what: "Finds PyPI upload tokens (pypi-AgEIcHlwaS5vcmc…) in any string of any manifest, in comments and in files that do not parse.",
    why: "A PyPI token uploads new releases of the projects it is scoped to (or of every project of the account): a direct route to a malicious package version.",
    fix: "Remove the token in the PyPI account settings, purge it from the manifest and git history, and publish with Trusted Publishing (OIDC) instead of a long-lived token.",
    example: "env:\n  - name: TWINE_PASSWORD\n    value: pypi-AgEIcHlwaS5vcmc…\n",
    references: &["https://pypi.org/help/#apitoken", "https://docs.pypi.org/trusted-publishers/"],
};

pub static PATTERNS: &[Pattern] = &[Pattern {
    family: Family::PypiToken,
    literals: &["pypi-AgEIcHlwaS5vcmc"],
    regex: r"pypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{50,}",
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
            .take(70)
            .collect();
        assert_eq!(
            find(&format!("pypi-AgEIcHlwaS5vcmc{tail}"))[0].family,
            Family::PypiToken
        );
        assert!(find("pypi-AgEIcHlwaS5vcmcshort").is_empty());
    }
}
