//! CIS Kubernetes Benchmark checks for control plane, etcd and kubelet.
