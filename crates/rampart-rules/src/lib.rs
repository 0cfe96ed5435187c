//! Workload rules over pod specs, one file per rule, and their registry.
