#!/usr/bin/env bash
# RBAC benchmark: generates the seeded cluster of ../shared/bench/gen_rbac_cluster.py at the
# benchmark size, then measures, in one process and one run, Rampart's indexed who-can,
# can-i and escalation graph against the brute-force evaluator (every binding checked for
# every query) and checks that both give the same answers. Then it times the CLI end to end
# (loading the 13.7 MB YAML included). Figures go to docs/benchmarks/rbac.md by hand.
#
#   scripts/bench-rbac.sh [OUT_DIR]      (default target/bench-rbac)
set -euo pipefail
cd "$(dirname "$0")/.."

out=${1:-target/bench-rbac}
gen=../shared/bench/gen_rbac_cluster.py
mkdir -p "$out"
python3 "$gen" --namespaces 2000 --roles 10000 --bindings 20000 --seed 1 --queries 300 --out "$out"
want=ca5c35be43455bd4fe298f30c732e4f8
got=$(md5sum "$out/rbac.yaml" | cut -d' ' -f1)
[ "$got" = "$want" ] || echo "warning: rbac.yaml md5 $got, expected $want (generator changed?)" >&2

cargo build --release -q -p rampart-rbac --example bench
echo "== in-process: indexed vs brute force (same run)"
./target/release/examples/bench "$out/rbac.yaml" "$out/queries.txt"

echo
echo "== CLI end to end (load and index included), best of 3"
if cargo build --release -q -p rampart 2>/dev/null; then
  ns=$(grep -m1 -o 'namespace: web-qa-10' "$out/rbac.yaml" >/dev/null && echo web-qa-10 || echo default)
  best() {
    local b=
    for _ in 1 2 3; do
      local s e
      s=$(date +%s.%N); "$@" >/dev/null; e=$(date +%s.%N)
      b=$(python3 -c "print(min(float('${b:-1e9}'), $e - $s))")
    done
    printf '%.2f s  %s\n' "$b" "$*"
  }
  best ./target/release/rampart rbac who-can get secrets -n "$ns" "$out/rbac.yaml" --format json
  best ./target/release/rampart rbac can-i --as alice.smith@example.com list pods -n "$ns" "$out/rbac.yaml" --format json
  best ./target/release/rampart rbac escalations "$out/rbac.yaml" --format json
  best ./target/release/rampart scan --parse-only --no-progress "$out/rbac.yaml"
else
  echo "(the rampart binary does not build right now; CLI timings skipped)"
fi
