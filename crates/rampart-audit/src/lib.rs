//! Audit policy evaluation and lint, and detections over audit logs.
