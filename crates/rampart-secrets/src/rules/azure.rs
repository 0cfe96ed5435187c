//! `azure-storage-key`: the account key of an Azure Storage connection string.

use rampart_model::{Category, RuleMeta, Severity};

use crate::family::{accept, Family, Pattern};

pub static META: RuleMeta = RuleMeta {
    id: "RMP5009",
    name: "azure-storage-key",
    title: "Azure Storage account key",
    severity: Severity::Critical,
    category: Category::Secrets,
    mitre: &["T1552.001", "T1530"],
    what: "Finds Azure Storage account keys inside connection strings; the finding points at the account key part.",
    why: "An account key is full control of the storage account: every blob, queue, table and file share, with no expiry.",
    fix: "Rotate the account key in the Azure portal, remove the connection string from the manifest and git history, and switch the workload to Azure Workload Identity with a role assignment on the account.",
    example: "env:\n  - name: AZURE_STORAGE_CONNECTION_STRING\n    value: \"AccountName=media;AccountKey=<86 base64 characters>==\"\n",
    references: &["https://learn.microsoft.com/azure/storage/common/storage-account-keys-manage"],
};

pub static PATTERNS: &[Pattern] = &[Pattern {
    family: Family::AzureStorageKey,
    literals: &["AccountKey="],
    regex: r"AccountKey=[A-Za-z0-9+/]{86}==",
    left_boundary: false,
    right_boundary: false,
    validate: accept,
}];
