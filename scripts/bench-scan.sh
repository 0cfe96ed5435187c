#!/usr/bin/env bash
# Scan speed against its two references, measured in one run:
#   1. the parsing floor: serde-saphyr parsing the same files into plain values, nothing else
#      (crates/rampart-manifest/examples/parse_floor.rs), and `rampart scan --parse-only`;
#   2. Checkov 3.3.30 on the same corpus, through ../shared/bench/scan_vs_checkov.sh.
# Usage: scripts/bench-scan.sh [CORPUS_DIR]   (default ../shared/corpus)
#        CHECKOV=path/to/checkov to include the peer (skipped when unset); QUICK=1 for its quick mode.
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=${1:-../shared/corpus}
# Two commands: with `--example`, cargo builds only that example, not the binary.
cargo build -q --release -p rampart
cargo build -q --release -p rampart-manifest --example parse_floor
bin=target/release/rampart
floor=target/release/examples/parse_floor
command -v hyperfine >/dev/null || { echo "hyperfine is needed: apt-get install hyperfine" >&2; exit 2; }

echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
hyperfine -N --warmup 1 --runs "${RUNS:-10}" -i \
  -n floor "$floor $corpus" \
  -n parse-only "$bin scan --no-progress --parse-only $corpus" \
  -n scan "$bin scan --no-progress --format json -o /dev/null $corpus" \
  --export-json /tmp/rampart-bench-scan.json
python3 - <<'PY'
import json
r = {x["command"]: x for x in json.load(open("/tmp/rampart-bench-scan.json"))["results"]}
f = r["floor"]["median"]
for name in ("parse-only", "scan"):
    m = r[name]
    print(f"{name:>10}: median {m['median']:.3f} s, user {m['user']:.3f} s -> {m['median'] / f:.2f}x the floor ({f:.3f} s)")
PY
/usr/bin/time -f "scan peak RSS: %M KiB, wall %e s" "$bin" scan --no-progress --format json -o /dev/null "$corpus" 2>&1 >/dev/null | tail -1

if [ -n "${CHECKOV:-}" ]; then
  RAMPART="$PWD/$bin" CHECKOV="$CHECKOV" bash ../shared/bench/scan_vs_checkov.sh
fi
