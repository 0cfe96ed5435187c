#!/usr/bin/env bash
# Rampart `pss check` vs Checkov on the upstream PSS conformance fixtures, in one run.
#
# Rampart evaluates every fixture at its own level and version, two ways:
#  - `rampart pss conformance <root>`: one process reads the whole tree and evaluates each
#    fixture at the level and version of its directory (this is the headline figure);
#  - the CLI user's way: one `rampart pss check --level L --version V <dir>/pass <dir>/fail
#    --format json` per <level>/<version> directory (76 processes for the shared set).
# Both runs are checked for agreement (pass allowed, fail forbidden) before timing.
# Checkov scans the same files once with its Kubernetes framework (it has no notion of PSS
# versions). A YAML-parse floor (PyYAML + libyaml over the same files) is timed too.
#
#   scripts/bench-pss.sh            # from the repository root
# Environment:
#   RAMPART       rampart binary (default target/release/rampart; build: cargo build --release -p rampart)
#   CHECKOV       checkov executable (default: checkov on PATH; install: pip install checkov==3.3.30)
#   FIXTURES      fixture root (default ../shared/conformance/pss)
#   RAMPART_RUNS  timed runs of the whole rampart loop (default 10)
#   CHECKOV_RUNS  timed runs of checkov (default 3)
#   PYTHON        python with PyYAML built with libyaml, for the floor (default: checkov's, else python3)
set -euo pipefail
cd "$(dirname -- "$(realpath -- "$0")")/.."

RAMPART=$(realpath -- "${RAMPART:-target/release/rampart}")
FIXTURES=$(realpath -- "${FIXTURES:-../shared/conformance/pss}")
RAMPART_RUNS=${RAMPART_RUNS:-10}
CHECKOV_RUNS=${CHECKOV_RUNS:-3}
[ -x "$RAMPART" ] || { echo "bench-pss: $RAMPART is not executable (cargo build --release -p rampart)" >&2; exit 2; }
[ -d "$FIXTURES" ] || { echo "bench-pss: fixtures not found at $FIXTURES" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "bench-pss: GNU time is missing (apt-get install time)" >&2; exit 2; }
CHECKOV_BIN=$(type -P -- "${CHECKOV:-checkov}" 2>/dev/null || true)
PYTHON=${PYTHON:-$( [ -n "$CHECKOV_BIN" ] && [ -x "$(dirname "$CHECKOV_BIN")/python" ] && echo "$(dirname "$CHECKOV_BIN")/python" || echo python3)}
export CREATE_EDGES= CKV_IGNORE_HIDDEN_DIRECTORIES=false CKV_SKIP_PACKAGE_UPDATE_CHECK=true

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
DIRS=$(find "$FIXTURES" -mindepth 2 -maxdepth 2 -type d | sort)
FILES=$(find "$FIXTURES" -name '*.yaml' | wc -l)
echo "fixtures: $FIXTURES ($FILES files, $(echo "$DIRS" | wc -l) level/version directories)"
echo "rampart:  $RAMPART"
echo "checkov:  ${CHECKOV_BIN:-not installed} ($([ -n "$CHECKOV_BIN" ] && "$CHECKOV_BIN" --version 2>/dev/null || echo -))"
echo "cpu:      $(nproc) cores; $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | xargs)"

# One pass over every directory; $1 = "check" also writes the JSON for the agreement check and
# records each process's max RSS.
rampart_pass() {
    local d level version
    for d in $DIRS; do
        level=$(basename "$(dirname "$d")"); version=$(basename "$d")
        if [ "$1" = check ]; then
            /usr/bin/time -a -o "$WORK/rampart.rss" -f '%M' \
                "$RAMPART" pss check --level "$level" --version "$version" --format json \
                "$d/pass" "$d/fail" >"$WORK/out-$level-$version.json" || [ $? -eq 1 ]
        else
            "$RAMPART" pss check --level "$level" --version "$version" --format json \
                "$d/pass" "$d/fail" >/dev/null || [ $? -eq 1 ]
        fi
    done
}

rampart_pass check
"$RAMPART" pss conformance "$FIXTURES" | tail -1
/usr/bin/time -o "$WORK/conf.rss" -f '%M' "$RAMPART" pss conformance "$FIXTURES" >/dev/null
: >"$WORK/conf.walls"
for ((i = 0; i < RAMPART_RUNS; i++)); do
    start=$EPOCHREALTIME
    "$RAMPART" pss conformance "$FIXTURES" >/dev/null
    echo "$EPOCHREALTIME - $start" | bc -l >>"$WORK/conf.walls"
done
"$PYTHON" - "$WORK" <<'PY'
import glob, json, sys
ok = bad = 0
for f in glob.glob(f"{sys.argv[1]}/out-*.json"):
    for e in json.load(open(f)):
        want_allowed = "/pass/" in e["file"]
        if e["allowed"] == want_allowed:
            ok += 1
        else:
            bad += 1
            print("disagrees:", e["file"], file=sys.stderr)
print(f"rampart verdicts: {ok} agree, {bad} disagree (pass allowed / fail forbidden)")
sys.exit(1 if bad else 0)
PY

walls=()
for ((i = 0; i < RAMPART_RUNS; i++)); do
    start=$EPOCHREALTIME
    rampart_pass time
    walls+=("$(echo "$EPOCHREALTIME - $start" | bc -l)")
done
printf '%s\n' "${walls[@]}" >"$WORK/rampart.walls"
sort -n "$WORK/rampart.rss" | tail -1 >"$WORK/rampart.maxrss"

if [ -n "$CHECKOV_BIN" ]; then
    : >"$WORK/checkov.walls"
    for ((i = 0; i < CHECKOV_RUNS; i++)); do
        /usr/bin/time -o "$WORK/checkov.time" -f '%e %M' \
            "$CHECKOV_BIN" -d "$FIXTURES" --framework kubernetes -o json --quiet --skip-download \
            >/dev/null 2>"$WORK/checkov.stderr" || [ $? -le 1 ]
        tail -1 "$WORK/checkov.time" >>"$WORK/checkov.walls"
    done
fi

start=$EPOCHREALTIME
"$PYTHON" ../shared/bench/yaml_parse_floor.py "$FIXTURES" >"$WORK/floor.out" 2>&1 || true
echo "$EPOCHREALTIME - $start" | bc -l >"$WORK/floor.wall"

"$PYTHON" - "$WORK" <<'PY'
import os, statistics, sys
w = sys.argv[1]
r = [float(x) for x in open(f"{w}/rampart.walls")]
lm = statistics.median(r)
rss = int(open(f"{w}/rampart.maxrss").read().strip() or 0) / 1024
c = [float(x) for x in open(f"{w}/conf.walls")]
rm = statistics.median(c)
crss_r = int(open(f"{w}/conf.rss").read().strip().splitlines()[-1]) / 1024
print()
print(f"{'what':<44} {'median wall (s)':>15} {'max RSS (MiB)':>14}")
print(f"{'rampart pss conformance (1 process)':<44} {rm:>15.4f} {crss_r:>14.1f}")
print(f"{'rampart pss check (76 processes, all files)':<44} {lm:>15.4f} {rss:>14.1f}")
if os.path.exists(f"{w}/checkov.walls"):
    rows = [l.split() for l in open(f"{w}/checkov.walls") if l.strip()]
    cm = statistics.median(float(a) for a, _ in rows)
    crss = max(int(b) for _, b in rows) / 1024
    print(f"{'checkov --framework kubernetes (1 process)':<44} {cm:>15.4f} {crss:>14.1f}")
floor_line = open(f"{w}/floor.out").read().strip().splitlines()[-1:]
floor_wall = float(open(f"{w}/floor.wall").read())
print(f"{'PyYAML+libyaml parse floor (1 process)':<44} {floor_wall:>15.4f} {'':>14}   {' '.join(floor_line)}")
print()
if os.path.exists(f"{w}/checkov.walls"):
    print(f"checkov/rampart median wall-time ratio: {cm / rm:.1f}x one process, {cm / lm:.1f}x 76 processes (runs: rampart {len(c)}+{len(r)}, checkov {len(rows)})")
    print(f"checkov/rampart max RSS ratio: {crss / crss_r:.1f}x")
print(f"floor/rampart wall-time ratio: {floor_wall / rm:.1f}x")
print(f"against the documented checkov figure (25.8 s): {25.8 / rm:.1f}x")
PY
