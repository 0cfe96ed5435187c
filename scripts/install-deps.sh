#!/usr/bin/env bash
# Installs the Debian packages the build and the test suite need, when they are missing:
# clang, libelf and zlib headers and pkg-config build the runtime agent's eBPF programs.
# Extra packages can be named as arguments (the agent's end-to-end test adds its own).
set -euo pipefail

packages=(clang libelf-dev zlib1g-dev pkg-config "$@")
if [ -x scripts/install-agent-deps.sh ] && [ "${RAMPART_SKIP_AGENT_DEPS:-}" != 1 ]; then
  # The agent's script names what its end-to-end test needs (containerd, runc, bpftool, …).
  mapfile -t extra < <(scripts/install-agent-deps.sh --list 2>/dev/null || true)
  packages+=("${extra[@]}")
fi

missing=()
for p in "${packages[@]}"; do
  [ -n "$p" ] || continue
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "error: need root (or sudo) to install: ${missing[*]}" >&2; exit 1; }
  sudo=sudo
fi
echo "installing: ${missing[*]}" >&2
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
