#!/usr/bin/env bash
# Debian/Ubuntu packages the runtime agent needs.
#   build:   clang (compiles src/bpf/*.bpf.c), bpftool (vmlinux.h from the kernel's BTF),
#            libbpf-dev (bpf_helpers.h and friends)
#   e2e:     containerd, runc, busybox-static (the locally built test image)
#   bench:   auditd (the peer in scripts/bench-agent.sh), python3
# Without the build packages the workspace still builds, but `rampart agent` then refuses to run.
set -euo pipefail
packages=(clang bpftool libbpf-dev containerd runc busybox-static auditd)
if [[ "${1:-}" == "--build-only" ]]; then
  packages=(clang bpftool libbpf-dev)
fi
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  sudo_cmd=()
  [[ $(id -u) -eq 0 ]] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
echo "agent dependencies installed: ${packages[*]}"
