#!/usr/bin/env bash
# End-to-end test of `rampart agent` against real containers (root only).
#
# Mounts tracefs/bpffs, starts a private containerd (its own root, state and socket; runc;
# cgroupfs driver), imports a locally built busybox image (no registry needed), then runs the
# ignored Rust test `crates/rampart/tests/agent_e2e.rs`, which starts the agent, runs one pod per
# attack plus a benign pod through CRI, and checks every alert and its pod attribution.
#
# Any missing facility is a failure, never a skip. Usage: scripts/agent-e2e.sh [--keep]
set -euo pipefail

here="$(cd "$(dirname "$0")/.." && pwd)"
work="${RAMPART_E2E_DIR:-/tmp/rampart-e2e}"
sock="$work/containerd.sock"
keep=0
[[ "${1:-}" == "--keep" ]] && keep=1
# RAMPART_E2E_SETUP_ONLY=1: prepare containerd and the image, leave containerd running, no test.
setup_only="${RAMPART_E2E_SETUP_ONLY:-0}"
[[ "$setup_only" == 1 ]] && keep=1

fail() { echo "agent-e2e: FAIL: $*" >&2; exit 1; }

[[ $(id -u) -eq 0 ]] || fail "must run as root (eBPF and containerd need it)"
for tool in containerd runc ctr busybox tar sha256sum; do
  command -v "$tool" >/dev/null || fail "$tool not found: run scripts/install-agent-deps.sh"
done
busybox_bin="$(command -v busybox)"
file -L "$busybox_bin" 2>/dev/null | grep -q 'statically linked' || \
  [[ -x /bin/busybox ]] || fail "a static busybox is needed (Debian package busybox-static)"
[[ -e /sys/kernel/btf/vmlinux ]] || fail "kernel BTF (/sys/kernel/btf/vmlinux) is missing"

# Kernel filesystems the agent and runc need.
mountpoint -q /sys/kernel/tracing || mount -t tracefs nodev /sys/kernel/tracing || fail "cannot mount tracefs"
mountpoint -q /sys/fs/bpf || mount -t bpf bpf /sys/fs/bpf || fail "cannot mount bpffs"

mkdir -p "$work"
pid_file="$work/containerd.pid"
if [[ -f "$pid_file" ]] && kill -0 "$(cat "$pid_file")" 2>/dev/null; then
  kill "$(cat "$pid_file")" 2>/dev/null || true
  sleep 1
fi

cat >"$work/config.toml" <<TOML
version = 2
root = "$work/root"
state = "$work/state"
[grpc]
  address = "$sock"
[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "rampart.test/pause:1"
  restrict_oom_score_adj = true
  enable_selinux = false
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        SystemdCgroup = false
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "$work/cni-bin"
    conf_dir = "$work/cni-conf"
TOML
mkdir -p "$work/cni-bin" "$work/cni-conf" "$work/logs"

containerd --config "$work/config.toml" >"$work/containerd.log" 2>&1 &
echo $! >"$pid_file"
cleanup() {
  if [[ $keep -eq 0 ]]; then
    kill "$(cat "$pid_file")" 2>/dev/null || true
  fi
}
trap cleanup EXIT
for _ in $(seq 1 50); do [[ -S "$sock" ]] && break; sleep 0.2; done
[[ -S "$sock" ]] || { tail -20 "$work/containerd.log" >&2; fail "containerd did not start"; }

# The image: a static busybox with its applets, a few extra names the rules look for, and a
# setuid copy. Docker-archive layout, imported with ctr.
img="$work/image"
rm -rf "$img" && mkdir -p "$img/rootfs" "$img/out"
(
  cd "$img/rootfs"
  mkdir -p bin sbin usr/bin usr/sbin etc tmp proc sys dev root var/run run mnt
  cp "$busybox_bin" bin/busybox
  for a in $(./bin/busybox --list); do [[ -e "bin/$a" ]] || ln -s busybox "bin/$a"; done
  for a in apt-get xmrig; do ln -s ../../bin/busybox "usr/bin/$a"; done
  cp bin/busybox usr/bin/suidbox && chmod 4755 usr/bin/suidbox
  printf 'root:x:0:0:root:/root:/bin/sh\nuser:x:1000:1000:user:/tmp:/bin/sh\n' >etc/passwd
  printf 'root:x:0:\nuser:x:1000:\n' >etc/group
  printf 'root:*:19000:0:99999:7:::\nuser:*:19000:0:99999:7:::\n' >etc/shadow
  chmod 640 etc/shadow
  chmod 1777 tmp
)
tar -C "$img/rootfs" -cf "$img/out/layer.tar" .
diff_id="sha256:$(sha256sum "$img/out/layer.tar" | cut -d' ' -f1)"
cat >"$img/out/config.json" <<JSON
{"architecture":"amd64","os":"linux","config":{"Env":["PATH=/bin:/usr/bin:/sbin:/usr/sbin"],"Cmd":["/bin/sleep","2147483647"]},"rootfs":{"type":"layers","diff_ids":["$diff_id"]}}
JSON
cat >"$img/out/manifest.json" <<JSON
[{"Config":"config.json","RepoTags":["rampart.test/busybox:1","rampart.test/pause:1"],"Layers":["layer.tar"]}]
JSON
tar -C "$img/out" -cf "$work/image.tar" manifest.json config.json layer.tar
ctr --address "$sock" -n k8s.io images import "$work/image.tar" >/dev/null || fail "ctr image import failed"
ctr --address "$sock" -n k8s.io images ls -q | grep -q 'rampart.test/busybox:1' || fail "image not imported"

if [[ "$setup_only" == 1 ]]; then
  echo "containerd running on $sock (pid $(cat "$pid_file")); image imported"
  exit 0
fi

cd "$here"
export RAMPART_E2E_CRI_SOCKET="$sock"
export RAMPART_E2E_DIR="$work"
cargo test -p rampart --test agent_e2e -- --ignored --nocapture --test-threads 1
