//! Kubernetes RBAC authorizer semantics: can-i, who-can, escalation paths, least privilege.
