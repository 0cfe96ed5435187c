#!/usr/bin/env bash
# Secret detection: Rampart vs detect-secrets 1.5.0, in one run.
#
#   scripts/bench-secrets.sh                       # speed on ../shared/corpus + recall on the cases
#   RUNS=5 DS_RUNS=1 scripts/bench-secrets.sh
#
# Environment:
#   RAMPART         rampart binary (default: target/release/rampart; build with
#                   `cargo build --release -p rampart`)
#   DETECT_SECRETS  detect-secrets executable (default: on PATH; install:
#                   python3 -m venv VENV && VENV/bin/pip install detect-secrets==1.5.0)
#   CORPUS          manifest corpus (default: ../shared/corpus)
#   CASES           conformance cases (default: ../shared/conformance/secrets)
#   RUNS            timed rampart runs after one warm-up (default 5)
#   DS_RUNS         timed detect-secrets runs (default 1: it takes minutes)
#
# Speed: `rampart secrets scan CORPUS --format json` against `detect-secrets scan --all-files
# CORPUS` (its default 27 plugins and filters), median wall time of each, max RSS (GNU time %M).
# detect-secrets reads every file (licences included); rampart reads .yaml/.yml/.json.
#
# Recall on the conformance cases, as `secrets.md` §11 counts it: a planted value counts as
# found by detect-secrets when it reports anything on the value's line, or when a finding on
# the header line of the enclosing block scalar is still unclaimed (one credit per finding).
# Rampart must report the exact (line, family). Clean cases count findings as false alarms.
# Nothing here touches the network.
set -euo pipefail

die() { echo "bench-secrets: $*" >&2; exit 2; }

cd "$(dirname -- "$(realpath -- "$0")")/.."
RAMPART=${RAMPART:-target/release/rampart}
DETECT_SECRETS=$(type -P -- "${DETECT_SECRETS:-detect-secrets}" || true)
[ -n "$DETECT_SECRETS" ] && DETECT_SECRETS=$(realpath -- "$DETECT_SECRETS")
CORPUS=${CORPUS:-../shared/corpus}
CASES=${CASES:-../shared/conformance/secrets}
RUNS=${RUNS:-5}
DS_RUNS=${DS_RUNS:-1}

[ -x "$RAMPART" ] || die "RAMPART=$RAMPART is not executable (cargo build --release -p rampart)"
RAMPART=$(realpath -- "$RAMPART")
[ -n "$DETECT_SECRETS" ] || die "detect-secrets not found; set DETECT_SECRETS"
[ -x /usr/bin/time ] || die "/usr/bin/time (GNU time) is missing: apt-get install time"
[ -d "$CORPUS" ] || die "corpus $CORPUS not found"
[ -d "$CASES" ] || die "cases $CASES not found"
DS_VERSION=$("$DETECT_SECRETS" --version)
[ "$DS_VERSION" = "1.5.0" ] || echo "warning: detect-secrets $DS_VERSION, not 1.5.0" >&2

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

# timed LABEL OUTFILE CMD... : appends "wall_seconds rss_kb cpu_seconds" to $WORK/LABEL.times
timed() {
    local label=$1 out=$2; shift 2
    /usr/bin/time -f "%e %M %U %S" -o "$WORK/t" "$@" >"$out" 2>/dev/null || true
    awk '{printf "%s %s %.2f\n", $1, $2, $3 + $4}' "$WORK/t" >>"$WORK/$label.times"
}

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

echo "== speed: $CORPUS ($(find "$CORPUS" -type f | wc -l) files, $(du -sh "$CORPUS" | cut -f1))"
"$RAMPART" secrets scan "$CORPUS" --format json >/dev/null 2>&1 || true   # warm-up (page cache)
for _ in $(seq "$RUNS"); do
    timed rampart "$WORK/rampart.json" "$RAMPART" secrets scan "$CORPUS" --format json
done
# detect-secrets only walks paths below its working directory: run it from inside the corpus.
CORPUS_ABS=$(realpath -- "$CORPUS")
for _ in $(seq "$DS_RUNS"); do
    (cd "$CORPUS_ABS" && timed ds "$WORK/ds.json" "$DETECT_SECRETS" scan --all-files .)
done
R_MED=$(cut -d' ' -f1 "$WORK/rampart.times" | median)
D_MED=$(cut -d' ' -f1 "$WORK/ds.times" | median)
R_RSS=$(cut -d' ' -f2 "$WORK/rampart.times" | sort -n | tail -1)
D_RSS=$(cut -d' ' -f2 "$WORK/ds.times" | sort -n | tail -1)
R_CPU=$(cut -d' ' -f3 "$WORK/rampart.times" | median)
D_CPU=$(cut -d' ' -f3 "$WORK/ds.times" | median)
python3 - "$WORK/rampart.json" "$WORK/ds.json" "$R_MED" "$D_MED" "$R_RSS" "$D_RSS" "$R_CPU" "$D_CPU" <<'PY'
import json, sys
r = json.load(open(sys.argv[1])); d = json.load(open(sys.argv[2]))
rm, dm = float(sys.argv[3]), float(sys.argv[4])
rc, dc = float(sys.argv[7]), float(sys.argv[8])
dn = sum(len(v) for v in d["results"].values())
print(f"rampart        : {rm:8.2f} s wall, {rc:8.2f} s CPU (medians), {int(sys.argv[5])//1024} MiB max RSS, {len(r['findings'])} findings")
print(f"detect-secrets : {dm:8.2f} s wall, {dc:8.2f} s CPU (medians), {int(sys.argv[6])//1024} MiB max RSS, {dn} findings in {len(d['results'])} files")
print(f"speed-up       : {dm/rm:8.1f}x wall, {dc/rc:.1f}x CPU")
PY

echo
echo "== recall on $CASES ($(ls "$CASES" | grep -vc README) cases)"
mkdir -p "$WORK/cases"
for c in "$CASES"/*/; do
    name=$(basename "$c")
    mkdir -p "$WORK/cases/$name"
    cp "$c/manifest.yaml" "$WORK/cases/$name/"
done
(cd "$WORK/cases" && "$DETECT_SECRETS" scan --all-files . >"$WORK/ds-cases.json" 2>/dev/null)
for c in "$CASES"/*/; do
    name=$(basename "$c")
    "$RAMPART" secrets scan "$c/manifest.yaml" --format json >"$WORK/cases/$name/rampart.json" 2>/dev/null || true
done
python3 - "$CASES" "$WORK" <<'PY'
import json, os, re, sys
cases, work = sys.argv[1], sys.argv[2]
POSTURE = {"sa-token-secret", "external-secret-no-refresh", "cluster-store-unscoped",
           "store-static-credentials", "sealed-secret-cluster-wide"}
ds = json.load(open(os.path.join(work, "ds-cases.json")))["results"]
def block_header(lines, n):
    """1-based line of the block scalar header enclosing line n, if any."""
    ind = len(lines[n-1]) - len(lines[n-1].lstrip())
    for h in range(n - 1, 0, -1):
        l = lines[h-1]
        if not l.strip():
            continue
        hind = len(l) - len(l.lstrip())
        if hind < ind:
            return h if re.search(r"[|>][-+0-9]*\s*(#.*)?$", l.rstrip()) else None
    return None
tot = dict(values=0, posture=0, ds=0, ds_exact=0, ds_header=0, r=0, r_posture=0)
clean = dict(cases=0, ds_cases=0, ds_findings=0, r_cases=0, r_findings=0)
extra = dict(ds=0, r=0)
missed_ds, missed_r = [], []
for name in sorted(os.listdir(cases)):
    d = os.path.join(cases, name)
    if not os.path.isdir(d):
        continue
    exp = [l.split() for l in open(os.path.join(d, "expected.txt")).read().split("\n") if l.strip() and l.strip() != "none"]
    exp = [(int(a), b) for a, b in exp]
    lines = open(os.path.join(d, "manifest.yaml")).read().split("\n")
    ds_lines = [f["line_number"] for f in ds.get(f"{name}/manifest.yaml", [])]
    r = json.load(open(os.path.join(work, "cases", name, "rampart.json")))
    r_hits = [(f["line"], f["name"]) for f in r["findings"] if f["category"] == "secrets"]
    if not exp:
        clean["cases"] += 1
        clean["ds_cases"] += bool(ds_lines); clean["ds_findings"] += len(ds_lines)
        clean["r_cases"] += bool(r_hits); clean["r_findings"] += len(r_hits)
        continue
    unclaimed = list(ds_lines)
    for n, fam in exp:
        if fam in POSTURE:
            tot["posture"] += 1
            tot["r_posture"] += (n, fam) in r_hits
            continue
        tot["values"] += 1
        if (n, fam) in r_hits:
            tot["r"] += 1
        else:
            missed_r.append(f"{name}:{n} {fam}")
        if n in unclaimed:
            unclaimed.remove(n); tot["ds"] += 1; tot["ds_exact"] += 1
        else:
            h = block_header(lines, n)
            if h is not None and h in unclaimed:
                unclaimed.remove(h); tot["ds"] += 1; tot["ds_header"] += 1
            else:
                missed_ds.append(f"{name}:{n} {fam}")
    value_lines = {n for n, f in exp if f not in POSTURE}
    extra["ds"] += sum(1 for l in unclaimed if l not in value_lines)
    extra["r"] += sum(1 for h in r_hits if h not in exp)
v = tot["values"]
print(f"value findings : rampart {tot['r']}/{v} ({100*tot['r']/v:.0f} %) exact line and family; "
      f"detect-secrets {tot['ds']}/{v} ({100*tot['ds']/v:.0f} %): {tot['ds_exact']} on the line, {tot['ds_header']} via a block header")
print(f"posture        : rampart {tot['r_posture']}/{tot['posture']}; detect-secrets 0/{tot['posture']} (out of scope)")
print(f"clean cases    : rampart {clean['r_cases']}/{clean['cases']} with findings ({clean['r_findings']} findings); "
      f"detect-secrets {clean['ds_cases']}/{clean['cases']} ({clean['ds_findings']} findings)")
print(f"extra findings in planted cases: rampart {extra['r']}, detect-secrets {extra['ds']}")
if missed_r: print("rampart missed  :", ", ".join(missed_r))
if missed_ds: print("detect-secrets missed:", ", ".join(missed_ds))
PY
