#!/usr/bin/env bash
# Where the cores go during a held rate (BENCHMARKS.md, Sixth look): runs the single-gateway benchmark up to one hold at
# RATE events/s for SECONDS (scripts/bench.sh --rate RATE --hold-seconds SECONDS, BENCH_STOP_AFTER=hold), samples the
# CPU time (utime + stime from /proc) of Control Center, of every postgres process and of the benchmark driver each
# second, and prints, over the hold, the cores each used and its CPU milliseconds per 1,000 events sent, and Control
# Center's garbage-collection pauses (its GC log).
# Usage: scripts/hold-cpu.sh RATE SECONDS [LAST]   (after mvn -B -q package -DskipTests; BENCH_JAVA_OPTS is set here)
# LAST: measure only the hold's last LAST seconds. The first 30-60 s after the syncs are the JIT compiling the events'
# code (a third of a core on a slow machine, BENCHMARKS.md, Ninth look): hold 90 and measure the last 30 for the steady
# state.
set -euo pipefail
cd "$(dirname "$0")/.."
rate=${1:?RATE}; secs=${2:?SECONDS}; last=${3:-$2}
work=$(mktemp -d)
trap 'kill "${sampler:-0}" 2>/dev/null || true; rm -rf "$work"' EXIT
ticks() { [ -n "$1" ] && awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }
(
  while true; do
    cc=$(pgrep -f 'target/control-center.jar' | head -1 || true)
    driver=$(pgrep -f 'control-center-bench.jar --project' | head -1 || true)
    pg=0
    for p in $(pgrep -x postgres || true); do pg=$((pg + $(ticks "$p"))); done
    echo "$(date +%s.%N) $(ticks "$cc") $pg $(ticks "$driver")"
    sleep 1
  done
) > "$work/cpu.txt" &
sampler=$!
BENCH_JAVA_OPTS="-Xmx256m -Xlog:gc:file=$work/gc.log:time" BENCH_STOP_AFTER=hold \
  scripts/bench.sh --single --skip-build --rate "$rate" --hold-seconds "$secs" 2>&1 \
  | while IFS= read -r line; do echo "$(date +%s.%N) $line"; done > "$work/bench.log"
python3 - "$work" "$last" "$(getconf CLK_TCK)" <<'PY'
import datetime, re, sys
work, secs, hz = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])
held = [l for l in open(f"{work}/bench.log") if "] hold " in l]
if not held:
    sys.exit("no hold line: " + open(f"{work}/bench.log").read())
end = float(held[0].split()[0])
print(held[0].split(" ", 1)[1].strip())
sent = int(re.search(r"sent (\d+)/s", held[0]).group(1))
rows = [list(map(float, l.split())) for l in open(f"{work}/cpu.txt") if len(l.split()) == 4]
at = lambda t: min(rows, key=lambda r: abs(r[0] - t))
a, b = at(end - secs - 1), at(end - 3)  # the hold (or its last seconds), without its start and the check after it
dt = b[0] - a[0]
cores = [(b[i] - a[i]) / hz / dt for i in (1, 2, 3)]
per = [c * 1000 * 1000 / sent for c in cores]  # CPU ms per 1,000 events sent
pauses = 0.0
count = 0
for l in open(f"{work}/gc.log"):
    m = re.match(r"\[([^\]]+)\].*Pause.*?([\d.]+)ms$", l)
    if m:
        t = datetime.datetime.strptime(m.group(1), "%Y-%m-%dT%H:%M:%S.%f%z").timestamp()  # the time decorator
        if a[0] <= t <= b[0]:
            pauses += float(m.group(2))
            count += 1
print(f"over {dt:.0f} s of the hold: cores Control Center {cores[0]:.2f}, PostgreSQL {cores[1]:.2f}, driver {cores[2]:.2f}"
      f" ({sum(cores):.2f} of the machine's)")
print(f"CPU ms per 1,000 events sent: Control Center {per[0]:.1f}, PostgreSQL {per[1]:.1f}, driver {per[2]:.1f}")
print(f"Control Center's GC pauses: {count}, {pauses:.0f} ms = {pauses / 10 / dt:.1f} % of the time")
PY
