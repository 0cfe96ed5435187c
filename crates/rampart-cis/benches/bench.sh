#!/usr/bin/env bash
# Benchmark `rampart cis check` against a floor, in the same run (kube-bench is a Go binary on
# neither PyPI nor Debian, and nothing else may be downloaded here).
#   1. process per node: `rampart cis check --format json` vs `cat` of the same files;
#   2. in process: `rampart_cis::evaluate` vs reading + PyYAML (libyaml) parsing the same files.
# usage: [NO_BUILD=1] crates/rampart-cis/benches/bench.sh [RUNS]
set -euo pipefail
RUNS=${1:-200}
cd "$(dirname "$0")/../../.."
# NO_BUILD=1 reuses target/release/rampart (e.g. while another crate of the workspace is mid-edit).
[ -n "${NO_BUILD:-}" ] || cargo build --release -q -p rampart
cargo build --release -q -p rampart-cis --example cis_eval_loop
BIN=target/release/rampart
EX=target/release/examples/cis_eval_loop
NODES=()
for d in ../shared/conformance/cis/*/ resources/test/nodes/*/; do
  [ -f "$d/expected.txt" ] && NODES+=("${d%/}")
done
echo "nodes: ${#NODES[@]}, runs: $RUNS, cpu: $(nproc) cores"

ms() { date +%s%N; }
t0=$(ms)
for _ in $(seq "$RUNS"); do
  for n in "${NODES[@]}"; do
    "$BIN" cis check --root "$n" --stat-file "$n/stat.txt" --format json >/dev/null || true
  done
done
t1=$(ms)
for _ in $(seq "$RUNS"); do
  for n in "${NODES[@]}"; do
    find "$n" -type f -exec cat {} + >/dev/null
  done
done
t2=$(ms)
total=$((RUNS * ${#NODES[@]}))
awk -v a=$((t1 - t0)) -v b=$((t2 - t1)) -v n=$total 'BEGIN {
  printf "process: rampart cis check %.0f us/node, floor (find+cat) %.0f us/node, ratio %.2f\n", a/n/1000, b/n/1000, a/b }'
"$EX" "$RUNS" "${NODES[@]}"
python3 crates/rampart-cis/benches/floor.py "$RUNS" "${NODES[@]}"
