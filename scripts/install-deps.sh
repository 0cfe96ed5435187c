#!/usr/bin/env bash
# Installs the Debian packages the build and the test suite need, when they are missing:
# clang, libelf/zlib headers and pkg-config build the runtime agent's eBPF programs; hyperfine
# and GNU time run the benchmark scripts. The agent's own script adds what its end-to-end test
# needs (containerd, runc, busybox-static, bpftool, libbpf-dev, auditd).
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(clang libelf-dev zlib1g-dev pkg-config hyperfine time "$@")
missing=()
for p in "${packages[@]}"; do
  [ -n "$p" ] || continue
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "error: need root (or sudo) to install: ${missing[*]}" >&2; exit 1; }
    sudo=sudo
  fi
  echo "installing: ${missing[*]}" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
if [ "${RAMPART_SKIP_AGENT_DEPS:-}" != 1 ]; then
  scripts/install-agent-deps.sh
fi
