#!/usr/bin/env bash
# Overhead and completeness of `rampart agent` beside auditd and the netlink proc connector.
#
# Workloads (crates/rampart-agent/benches/storm.c, loopback only):
#   exec      N × fork+execve(/bin/true)
#   openconn  N × (open O_WRONLY|O_CREAT + close, connect to a loopback listener + accept)
# Monitors, each running while the storm runs, in rotating order, REPS rounds:
#   none        the floor
#   rampart     release build, shipped rules + a counting rule per storm event
#   auditd      execve (exec) or openat+connect (openconn) rules filtered on the storm's exe
#   proc-conn   netlink proc connector listener counting exec events (exec only; it cannot see
#               opens or connects)
# Reported per run: storm wall time and CPU time, events the monitor saw, events it lost, the
# monitor's CPU time and peak RSS. Root only. Output: a table on stdout and raw CSV in $OUT.
#
# Usage: scripts/bench-agent.sh            (N=20000 REPS=3; RAMPART_BIN=path skips the build)
#        N=5000 REPS=1 scripts/bench-agent.sh
#        AGENT_ARGS="--ring-buffer-size 4M" scripts/bench-agent.sh   (extra agent flags)
set -euo pipefail

N="${N:-20000}"
REPS="${REPS:-3}"
OUT="${OUT:-/tmp/rampart-agent-bench}"
here="$(cd "$(dirname "$0")/.." && pwd)"
[[ $(id -u) -eq 0 ]] || { echo "bench-agent: must run as root" >&2; exit 1; }
mkdir -p "$OUT"
csv="$OUT/results.csv"
echo "round,workload,monitor,storm_wall_s,storm_cpu_s,seen,lost,monitor_cpu_s,monitor_rss_kb" >"$csv"

cc -O2 -o "$OUT/storm" "$here/crates/rampart-agent/benches/storm.c"
if [[ -z "${RAMPART_BIN:-}" ]]; then
  (cd "$here" && cargo build --release -q -p rampart)
fi
rampart="${RAMPART_BIN:-${CARGO_TARGET_DIR:-$here/target}/release/rampart}"
tick=$(getconf CLK_TCK)

# The counting rules: one alert per storm event, so "seen" is exact.
cat >"$OUT/count.yaml" <<YAML
- rule: bench-exec
  id: BENCH1
  severity: info
  condition: evt.type = exec and proc.exe = /bin/true and proc.pname = storm
- rule: bench-open
  id: BENCH2
  severity: info
  condition: evt.type = open and open.write and proc.name = storm and fd.name startswith $OUT/rampart-storm-
- rule: bench-connect
  id: BENCH3
  severity: info
  condition: evt.type = connect and proc.name = storm and net.loopback
YAML

# Runs the storm, prints "wall cpu" (cpu = user+sys of the storm and its children).
run_storm() {
  python3 - "$OUT/storm" "$1" "$N" <<'PY'
import resource, subprocess, sys
before = resource.getrusage(resource.RUSAGE_CHILDREN)
# SCHED_FIFO: the storm is not preempted by the other jobs of a shared machine, so its time
# measures its own work plus the monitor's in-kernel cost; monitors run at normal priority.
out = subprocess.run(["chrt", "-f", "10", sys.argv[1], sys.argv[2], sys.argv[3]], env={"TMPDIR": sys.argv[1].rsplit("/", 1)[0]},
                     capture_output=True, text=True, check=True).stdout.strip()
after = resource.getrusage(resource.RUSAGE_CHILDREN)
cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
print(out, f"{cpu:.4f}")
PY
}

proc_cpu() { awk -v t="$tick" '{printf "%.3f", ($14+$15)/t}' "/proc/$1/stat"; }
proc_rss() { awk '/VmHWM/ {print $2}' "/proc/$1/status"; }

# The proc connector listener (Python): counts PROC_EVENT_EXEC, reports ENOBUFS overruns.
cat >"$OUT/proc_conn.py" <<'PY'
import os, signal, socket, struct, sys
NETLINK_CONNECTOR, CN_IDX_PROC, CN_VAL_PROC = 11, 1, 1
PROC_CN_MCAST_LISTEN, PROC_EVENT_EXEC = 1, 2
s = socket.socket(socket.AF_NETLINK, socket.SOCK_DGRAM, NETLINK_CONNECTOR)
s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 8 << 20)
s.bind((os.getpid(), CN_IDX_PROC))
op = struct.pack("=I", PROC_CN_MCAST_LISTEN)
cn = struct.pack("=IIIIHH", CN_IDX_PROC, CN_VAL_PROC, 0, 0, len(op), 0) + op
nl = struct.pack("=IHHII", 16 + len(cn), 3, 0, 0, os.getpid()) + cn
s.send(nl)
execs = lost = 0
stop = False
def done(*_):
    global stop
    stop = True
signal.signal(signal.SIGTERM, done)
s.settimeout(0.2)
print("ready", flush=True)
while not stop:
    try:
        data = s.recv(65536)
    except socket.timeout:
        continue
    except OSError:  # ENOBUFS: the kernel dropped events for us
        lost += 1
        continue
    what = struct.unpack_from("=I", data, 16 + 20)[0]
    if what == PROC_EVENT_EXEC:
        execs += 1
open(sys.argv[1], "w").write(f"{execs} {lost}\n")
PY

audit_lost() { auditctl -s | awk '/^lost/ {print $2}'; }

# A private auditd configuration: its own log, never rotated, so every record can be counted.
mkdir -p "$OUT/auditd"
cat >"$OUT/auditd/auditd.conf" <<CONF
local_events = yes
write_logs = yes
log_file = $OUT/auditd/audit.log
log_group = root
log_format = RAW
flush = INCREMENTAL_ASYNC
freq = 50
max_log_file = 1024
num_logs = 1
max_log_file_action = IGNORE
space_left = 64
space_left_action = IGNORE
admin_space_left = 32
admin_space_left_action = IGNORE
disk_full_action = IGNORE
disk_error_action = IGNORE
priority_boost = 4
name_format = NONE
CONF
chmod 0640 "$OUT/auditd/auditd.conf"

run_one() { # round workload monitor
  local round=$1 wl=$2 mon=$3 pid="" seen="-" lost="-" mcpu="-" mrss="-"
  case $mon in
    rampart)
      # shellcheck disable=SC2086 # AGENT_ARGS is a list of flags
      "$rampart" agent ${AGENT_ARGS:-} --rules "$OUT/count.yaml" -o "$OUT/agent.jsonl" 2>"$OUT/agent.err" &
      pid=$!
      for _ in $(seq 1 100); do grep -q "watching with" "$OUT/agent.err" 2>/dev/null && break; sleep 0.1; done
      ;;
    auditd)
      auditctl -D >/dev/null; auditctl -b 65536 >/dev/null; auditctl -r 0 >/dev/null
      rm -f "$OUT/auditd/audit.log"
      auditd -n -s enable -c "$OUT/auditd" 2>"$OUT/auditd.err" &
      pid=$!
      sleep 1
      if [[ $wl == exec ]]; then
        auditctl -a always,exit -F arch=b64 -S execve -F exe=/usr/bin/true -k rbench >/dev/null
      else
        auditctl -a always,exit -F arch=b64 -S openat -S connect -F exe="$OUT/storm" -k rbench >/dev/null
      fi
      lost0=$(audit_lost)
      ;;
    proc-conn)
      python3 "$OUT/proc_conn.py" "$OUT/proc_conn.out" >"$OUT/proc_conn.ready" &
      pid=$!
      for _ in $(seq 1 50); do grep -q ready "$OUT/proc_conn.ready" 2>/dev/null && break; sleep 0.1; done
      ;;
  esac
  read -r wall cpu < <(run_storm "$wl")
  if [[ -n $pid ]]; then
    sleep 1 # let the monitor drain
    mcpu=$(proc_cpu "$pid"); mrss=$(proc_rss "$pid")
  fi
  case $mon in
    rampart)
      kill -INT "$pid"; wait "$pid" || true
      if [[ $wl == exec ]]; then
        seen=$(grep -c '"rule":"BENCH1"' "$OUT/agent.jsonl" || true)
      else
        seen=$(( $(grep -c '"rule":"BENCH2"' "$OUT/agent.jsonl" || true) + $(grep -c '"rule":"BENCH3"' "$OUT/agent.jsonl" || true) ))
      fi
      lost=$(tail -1 "$OUT/agent.jsonl" | python3 -c 'import json,sys; print(json.load(sys.stdin)["summary"]["dropped"])')
      ;;
    auditd)
      auditctl -D >/dev/null
      lost=$(( $(audit_lost) - lost0 ))
      kill -TERM "$pid"; wait "$pid" || true
      seen=$(grep -c 'type=SYSCALL.*key="rbench"' "$OUT/auditd/audit.log" || true)
      ;;
    proc-conn)
      kill -TERM "$pid"; wait "$pid" || true
      read -r seen lost <"$OUT/proc_conn.out"
      ;;
  esac
  echo "$round,$wl,$mon,$wall,$cpu,$seen,$lost,$mcpu,$mrss" | tee -a "$csv"
}

monitors=(none rampart auditd proc-conn)
for round in $(seq 1 "$REPS"); do
  # Rotate the order so slow drifts of the machine's load hit every monitor alike.
  for i in 0 1 2 3; do
    mon=${monitors[$(( (i + round) % 4 ))]}
    run_one "$round" exec "$mon"
    [[ $mon == proc-conn ]] || run_one "$round" openconn "$mon"
  done
done

python3 - "$csv" "$N" <<'PY'
import csv, statistics, sys
rows = list(csv.DictReader(open(sys.argv[1])))
n = int(sys.argv[2])
def med(xs): return statistics.median(xs) if xs else float("nan")
for wl in ("exec", "openconn"):
    base = [r for r in rows if r["workload"] == wl and r["monitor"] == "none"]
    bw = med([float(r["storm_wall_s"]) for r in base]); bc = med([float(r["storm_cpu_s"]) for r in base])
    print(f"\n{wl} storm, N={n}, median of {len(base)} rounds")
    print(f"{'monitor':10} {'wall s':>8} {'slowdown':>9} {'cpu s':>7} {'cpu +%':>7} {'seen':>13} {'lost':>6} {'mon cpu s':>9} {'mon RSS MB':>10}")
    for mon in ("none", "rampart", "auditd", "proc-conn"):
        rs = [r for r in rows if r["workload"] == wl and r["monitor"] == mon]
        if not rs: continue
        w = med([float(r["storm_wall_s"]) for r in rs]); c = med([float(r["storm_cpu_s"]) for r in rs])
        seen = "/".join(sorted({r["seen"] for r in rs})); lost = "/".join(sorted({r["lost"] for r in rs}))
        mc = rs[0]["monitor_cpu_s"]; mr = rs[0]["monitor_rss_kb"]
        mcs = "-" if mc == "-" else f"{med([float(r['monitor_cpu_s']) for r in rs]):.2f}"
        mrs = "-" if mr == "-" else f"{max(int(r['monitor_rss_kb']) for r in rs)/1024:.1f}"
        print(f"{mon:10} {w:8.2f} {100*(w/bw-1):+8.1f}% {c:7.2f} {100*(c/bc-1):+6.1f}% {seen:>13} {lost:>6} {mcs:>9} {mrs:>10}")
PY
auditctl -D >/dev/null 2>&1 || true
auditctl -e 0 >/dev/null 2>&1 || true
