#!/usr/bin/env bash
# NetworkPolicy reachability benchmark: `rampart netpol matrix` against network-config-analyzer
# (np-guard's NCA, PyPI `network-config-analyzer`) on clusters from
# ../shared/bench/gen_netpol_cluster.py, measured back to back in one run.
#
#   scripts/bench-netpol.sh [WORKDIR]
#
# Env: RAMPART_BIN (skip the build), RUNS (rampart repetitions, default 3), NCA_SIZES ("NS/PODS/POLICIES ..." for NCA's
# per-pair output), NCA_TXT_SIZES (sizes for NCA's default minimized output), SKIP_NCA=1.
set -euo pipefail

repo="$(cd "$(dirname "$0")/.." && pwd)"
gen="$repo/../shared/bench/gen_netpol_cluster.py"
work="${1:-$(mktemp -d /tmp/bench-netpol.XXXXXX)}"
runs="${RUNS:-3}"
nca_sizes="${NCA_SIZES:-20/200/50 100/1000/200 200/5000/1000}"
nca_txt_sizes="${NCA_TXT_SIZES:-50/500/100}"
mkdir -p "$work"

[ -f "$gen" ] || { echo "missing $gen" >&2; exit 2; }
# RAMPART_BIN: use an already built binary instead of building one.
if [ -z "${RAMPART_BIN:-}" ]; then
  cargo build --release -p rampart --manifest-path "$repo/Cargo.toml" >&2
fi
rampart="${RAMPART_BIN:-$repo/target/release/rampart}"
if [ -z "${SKIP_NCA:-}" ] && ! command -v nca >/dev/null; then
  pip install --quiet network-config-analyzer >&2
fi

# wall seconds and max RSS (MiB) of a command: "SECONDS RSS"
measure() {
  local tf; tf=$(mktemp)
  /usr/bin/time -o "$tf" -f '%e %M' "$@" >/dev/null 2>&1 || true
  awk 'END {printf "%.2f %.0f\n", $1, $2/1024}' "$tf"
  rm -f "$tf"
}

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

cluster() { # NS PODS POLICIES [EXTRA...] -> directory
  local ns=$1 pods=$2 pol=$3; shift 3
  local extra="$*"; extra="${extra//--/}"; extra="${extra// /}"
  local d="$work/c-$ns-$pods-$pol${extra:+-$extra}"
  [ -f "$d/cluster.yaml" ] || python3 "$gen" --namespaces "$ns" --pods "$pods" --policies "$pol" --seed 1 --out "$d" "$@" 2>/dev/null
  echo "$d"
}

echo "machine: $(nproc) cores; $(date -u +%Y-%m-%dT%H:%MZ)"
echo
echo "| input | command | wall (median of $runs) | max RSS |"
echo "|---|---|---:|---:|"
for spec in "200 5000 1000" "200 5000 1000 --anp" "200 5000 1000 --anp --dual-stack"; do
  # shellcheck disable=SC2086
  d=$(cluster $spec)
  for fmt in json text; do
    walls=()
    rss=0
    for _ in $(seq "$runs"); do
      read -r w r < <(measure "$rampart" netpol matrix "$d/cluster.yaml" --format "$fmt" -o "$d/matrix.$fmt")
      walls+=("$w"); rss=$r
    done
    med=$(printf '%s\n' "${walls[@]}" | median)
    echo "| ${spec// /\/} | rampart netpol matrix --format $fmt | ${med} s | ${rss} MiB |"
  done
done
walls=()
d=$(cluster 200 5000 1000 --anp)
for _ in $(seq "$runs"); do
  read -r w r < <(measure "$rampart" scan --no-progress --format json "$d/cluster.yaml")
  walls+=("$w")
done
echo "| 200/5000/1000/--anp | rampart scan (all rules) | $(printf '%s\n' "${walls[@]}" | median) s | ${r} MiB |"

[ -n "${SKIP_NCA:-}" ] && exit 0
echo
echo "| namespaces/pods/policies | NCA output | NCA wall | NCA RSS | rampart matrix wall | ratio |"
echo "|---|---|---:|---:|---:|---:|"
compare() { # SIZE NCA_FORMAT
  IFS=/ read -r ns pods pol <<<"$1"
  local d; d=$(cluster "$ns" "$pods" "$pol")
  read -r rw _ < <(measure "$rampart" netpol matrix "$d/cluster.yaml" --format text -o "$d/matrix.txt")
  read -r nw nr < <(cd "$d" && measure nca --connectivity -r cluster.yaml -o "$2" -f "nca.$2.out")
  echo "| $1 | $2 | ${nw} s | ${nr} MiB | ${rw} s | $(awk -v a="$nw" -v b="$rw" 'BEGIN{printf "%.0fx", a/(b>0?b:0.01)}') |"
}
for s in $nca_txt_sizes; do compare "$s" txt; done
for s in $nca_sizes; do compare "$s" txt_no_fw_rules; done
