//! NetworkPolicy, AdminNetworkPolicy and BaselineAdminNetworkPolicy semantics and reachability.
