//! `stripe-key`: live and restricted secret keys; test-mode keys at low severity.

use rampart_model::{Category, RuleMeta, Severity};

use crate::family::{Family, Pattern, Verdict};

pub static META: RuleMeta = RuleMeta {
    id: "RMP5007",
    name: "stripe-key",
    title: "Stripe secret key",
    severity: Severity::Critical,
    category: Category::Secrets,
    mitre: &["T1552.001"],
    what: "Finds Stripe secret and restricted API keys. Live-mode keys are critical; test-mode keys are reported at low severity. Publishable keys are public and ignored.",
    why: "A live secret key moves money: it creates charges and refunds and reads customer and payment data.",
    fix: "Roll the key in the Stripe dashboard, remove it from the manifest and git history, and deliver it from a secret manager; prefer restricted keys with the smallest permission set.",
    example: "data:\n  application.properties: |\n    payments.api-key=sk_live_Qm7vX2pL9kR4tW8zB1nC5yH3jD6f\n",
    references: &["https://docs.stripe.com/keys"],
};

fn severity(m: &str) -> Verdict {
    if m.contains("_test_") {
        Verdict::Accept(Some(Severity::Low))
    } else {
        Verdict::Accept(None)
    }
}

pub static PATTERNS: &[Pattern] = &[Pattern {
    family: Family::StripeKey,
    literals: &[
        "sk_live_", "rk_live_", "sk_prod_", "rk_prod_", "sk_test_", "rk_test_",
    ],
    regex: r"[sr]k_(?:live|prod|test)_[A-Za-z0-9]{24,99}",
    left_boundary: true,
    right_boundary: true,
    validate: severity,
}];
