//! Runtime node agent: eBPF events attributed to pods, rules and alerts.
