#!/usr/bin/env bash
# Audit-log detection throughput and memory: `rampart audit detect` over generated logs of
# 100,000 and 1,000,000 events (../shared/bench/gen_audit_log.py, seed 1), against the floor
# of 300,000 events/s set for this benchmark.
#
#   scripts/bench-audit.sh [RUNS]        # default 3 runs per size
#
# Prints, per size and run: wall seconds, user+sys CPU seconds, max RSS, events/s (events /
# wall) and the ratio to the floor; then the best run per size. The load average is printed
# too: on a shared machine, wall time depends on what else runs (CPU time much less so).
# Env: BENCH_DIR (where logs are generated; default a temporary folder), RAMPART (binary).
set -euo pipefail

RUNS="${1:-3}"
FLOOR=300000
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
GEN="$ROOT/../shared/bench/gen_audit_log.py"
BENCH_DIR="${BENCH_DIR:-$(mktemp -d)}"
RAMPART="${RAMPART:-$ROOT/target/release/rampart}"

[ -f "$GEN" ] || { echo "missing $GEN (the shared bench generators)" >&2; exit 2; }
command -v /usr/bin/time >/dev/null || { echo "needs GNU time (/usr/bin/time)" >&2; exit 2; }
if [ -z "${SKIP_BUILD:-}" ]; then
  (cd "$ROOT" && cargo build --release -p rampart >&2)
fi

echo "machine: $(nproc) cores, $(uname -sr); load average: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "binary:  $RAMPART"
for EVENTS in 100000 1000000; do
  LOG="$BENCH_DIR/audit-$EVENTS.jsonl"
  if [ ! -s "$LOG" ]; then
    python3 "$GEN" --events "$EVENTS" --seed 1 --out "$LOG" >&2
  fi
  SIZE=$(du -mL "$LOG" | cut -f1)
  # Warm the page cache, and time plain reading as the I/O floor.
  START=$(date +%s.%N); cat "$LOG" > /dev/null; END=$(date +%s.%N)
  printf '\n%s events (%s MB); cat: %.2f s\n' "$EVENTS" "$SIZE" "$(echo "$END - $START" | bc)"
  printf '%-4s %8s %8s %9s %12s %7s %9s\n' run wall_s cpu_s rss_MiB events/s ×floor findings
  BEST=0
  for RUN in $(seq 1 "$RUNS"); do
    OUT="$BENCH_DIR/detect-$EVENTS.json"
    /usr/bin/time -f '%e %U %S %M' -o "$BENCH_DIR/time" "$RAMPART" audit detect "$LOG" --format json > "$OUT" || [ $? -eq 1 ]
    # GNU time prefixes "Command exited with non-zero status 1" (findings): take the last line.
    read -r WALL USR SYS RSS < <(tail -n 1 "$BENCH_DIR/time")
    RATE=$(echo "$EVENTS / $WALL" | bc)
    FOUND=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["summary"]["findings"])' "$OUT")
    printf '%-4s %8.2f %8.2f %9.1f %12d %7.2f %9d\n' "$RUN" "$WALL" "$(echo "$USR + $SYS" | bc)" \
      "$(echo "scale=1; $RSS / 1024" | bc)" "$RATE" "$(echo "scale=2; $RATE / $FLOOR" | bc)" "$FOUND"
    [ "$RATE" -gt "$BEST" ] && BEST=$RATE
  done
  printf 'best: %d events/s = %.2f× the %d events/s floor\n' "$BEST" "$(echo "scale=2; $BEST / $FLOOR" | bc)" "$FLOOR"
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
