#!/usr/bin/env bash
# Loopback load benchmark of the admission webhook against a bare TLS echo floor, in one run.
#
#   scripts/bench-webhook.sh            # full run (about 4 minutes after the build)
#   DURATION=5 RATE=4000 scripts/bench-webhook.sh
#
# Both servers use the same stack (tokio, rustls with ring, hyper HTTP/1.1 keep-alive); the echo
# server reads each body and answers a constant AdmissionReview. The load generator
# (examples/loadgen.rs) sends Pod AdmissionReviews (half compliant, a quarter warned, a quarter
# denied) into a namespace enforcing baseline with warn and audit at restricted. Their 64 bodies
# differ in name and uid but share three pod specs, as Pods of a few ReplicaSets do, so the
# webhook's decision cache answers most of them; `webhook-nocache` runs with the cache off.
# Besides throughput and latency, each row records the server's CPU time per request over the
# measured window, which does not depend on what else runs on the machine.
# Everything runs on 127.0.0.1 only.
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${DURATION:-8}
WARMUP=${WARMUP:-2}
RATE=${RATE:-5000}
CONNS=${CONNS:-"100 200 500"}
OVERLOAD=${OVERLOAD:-5000}
OUT=${OUT:-target/bench-webhook}
mkdir -p "$OUT"
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"

cargo build --release -q -p rampart-webhook --example webhook_server --example echo_server --example loadgen
BIN=target/release/examples
WORK=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$WORK"' EXIT

"$BIN/webhook_server" certs "$WORK"
cat > "$WORK/ns.yaml" <<'YAML'
apiVersion: v1
kind: Namespace
metadata:
  name: bench
  labels:
    pod-security.kubernetes.io/enforce: baseline
    pod-security.kubernetes.io/warn: restricted
    pod-security.kubernetes.io/audit: restricted
YAML
printf 'server:\n  decisionCache: false\n' > "$WORK/nocache.yaml"
RESULTS="$OUT/results.jsonl"
: > "$RESULTS"

rss() { awk '/VmRSS|VmHWM/ {printf "%s=%sMiB ", $1, int($2/1024)}' "/proc/$1/status"; }
load() { cut -d' ' -f1-3 /proc/loadavg; }

wait_port() {
  for _ in $(seq 100); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    sleep 0.1
  done
  echo "server on port $1 did not start" >&2; exit 1
}

# CPU time (user + system, clock ticks) the server has used so far.
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
TICK_US=$((1000000 / $(getconf CLK_TCK)))

run() { # server-label port connections [rate]
  local label=$1 port=$2 conns=$3 rate=${4:-}
  local extra=()
  [ -n "$rate" ] && extra=(--rate "$rate")
  local before; before=$(load)
  # The server's CPU time over the measured window (after the warm-up): its cost per request
  # does not depend on how busy the shared machine is, unlike throughput.
  ( sleep "$WARMUP"; cpu_ticks "$SERVER" > "$WORK/cpu0"; sleep "$DURATION"; cpu_ticks "$SERVER" > "$WORK/cpu1" ) &
  local sampler=$!
  local line
  line=$("$BIN/loadgen" --target "127.0.0.1:$port" --ca "$WORK/ca.crt" --connections "$conns" \
    --duration "$DURATION" --warmup "$WARMUP" --label "$label" "${extra[@]}")
  wait "$sampler"
  local cpu_us=$(( ($(cat "$WORK/cpu1") - $(cat "$WORK/cpu0")) * TICK_US ))
  line=${line%\}}",\"load_before\":\"$before\",\"load_after\":\"$(load)\",\"server_rss\":\"$(rss "$SERVER")\",\"server_cpu_us\":$cpu_us}"
  echo "$line" | tee -a "$RESULTS"
}

bench_server() { # label port command...
  local label=$1 port=$2; shift 2
  RUST_LOG=warn "$@" 2>"$OUT/$label.log" &
  SERVER=$!
  wait_port "$port"
  for c in $CONNS; do run "$label" "$port" "$c"; done
  for c in $CONNS; do run "$label" "$port" "$c" "$RATE"; done
  if [ "$label" = webhook ]; then
    echo "# 10x overload: $OVERLOAD connections, closed loop" >&2
    run "$label-overload" "$port" "$OVERLOAD"
  fi
  kill "$SERVER"; wait "$SERVER" 2>/dev/null || true
}

echo "# $(nproc) cores; load average at start: $(load)" >&2
bench_server echo 18443 "$BIN/echo_server" 127.0.0.1:18443 "$WORK/tls.crt" "$WORK/tls.key"
bench_server webhook 18444 "$BIN/webhook_server" 127.0.0.1:18444 "$WORK/tls.crt" "$WORK/tls.key" "$WORK/ns.yaml"
# The same server with the decision cache off: every Pod is decoded and evaluated.
bench_server webhook-nocache 18445 "$BIN/webhook_server" 127.0.0.1:18445 "$WORK/tls.crt" "$WORK/tls.key" "$WORK/ns.yaml" "" "$WORK/nocache.yaml"

python3 - "$RESULTS" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
key = lambda r: (r["mode"], r["connections"])
echo = {key(r): r for r in rows if r["label"] == "echo"}
print("| server | mode | conns | req/s | p50 ms | p99 ms | max ms | vs echo | server CPU µs/req | errors | load (1m) | server RSS |")
print("|---|---|---|---|---|---|---|---|---|---|---|---|")
for r in rows:
    e = echo.get(key(r))
    ratio = f'{r["throughput_rps"] / e["throughput_rps"]:.0%}' if e and r["label"] in ("webhook", "webhook-nocache") and r["mode"] == "closed" and e["throughput_rps"] else ""
    errs = r["non_200"] + r["errors"] + r["connect_errors"]
    mode = r["mode"] + (f' @{int(r["rate_target"])}/s' if r["rate_target"] else "")
    cpu = f'{r["server_cpu_us"] / r["requests"]:.1f}' if r.get("requests") else ""
    print(f'| {r["label"]} | {mode} | {r["connections"]} | {r["throughput_rps"]:.0f} | {r["p50_ms"]:.2f} | {r["p99_ms"]:.2f} | {r["max_ms"]:.2f} | {ratio} | {cpu} | {errs} | {r["load_before"].split()[0]} | {r["server_rss"].strip()} |')
PY
