#!/usr/bin/env bash
# The database fault suite (RELIABILITY.md): builds the tests, then runs each database fault against Control Center
# running as its own process (java -Xmx256m, this build) while the test gateway streams events, prints the figures and
# writes them as JSON, one line per fault after a line describing the machine, to reliability/results/.
# Usage: scripts/faults.sh [--quick] [--skip-build] [--outage-seconds S] [--kills N]
#   default       the long runs: the external PostgreSQL stopped for 60 s, the embedded one killed 5 times, the full disk
#   --quick       the sizes `mvn verify` runs (10 s, 1 kill)
#   --skip-build  use the compiled tests as they are (mvn -o)
# Needs root for the full disk (a tmpfs in a mount namespace: unshare, nsenter) and for the PostgreSQL programs as root
# (unshare -U), as CI has; PostgreSQL comes from the embedded binaries the build already uses.
set -euo pipefail
cd "$(dirname "$0")/.."
outage=60
kills=5
offline=()
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) outage=10; kills=1 ;;
    --skip-build) offline=(-o) ;;
    --outage-seconds) outage="$2"; shift ;;
    --kills) kills="$2"; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
mkdir -p reliability/results
out="reliability/results/faults-$(date -u +%Y%m%d-%H%M%S).jsonl"
cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
mem=$(awk '/MemTotal/ {printf "%d", $2/1024}' /proc/meminfo)
os=$(. /etc/os-release 2>/dev/null && echo "${PRETTY_NAME:-unknown}")
java=$(java -version 2>&1 | head -1)
echo "{\"machine\":{\"cores\":$(nproc),\"memoryMb\":$mem,\"cpu\":\"$cpu\",\"os\":\"$os\",\"java\":\"${java//\"/}\",\"commit\":\"$(git rev-parse --short HEAD 2>/dev/null || echo unknown)\",\"loadBefore\":\"$(cut -d' ' -f1-3 /proc/loadavg)\"},\"outageSeconds\":$outage,\"kills\":$kills}" > "$out"
echo "faults: external PostgreSQL stopped ${outage} s, embedded PostgreSQL killed ${kills} time(s), full disk; results in $out"
status=0
mvn -B -q "${offline[@]}" test -Dtest='ExternalDatabaseRestartTest,EmbeddedDatabaseKillTest,DiskFullTest' \
  -Dsurefire.failIfNoSpecifiedTests=false -Dfaults.outage-seconds="$outage" -Dfaults.kills="$kills" \
  -Dfaults.results="$(pwd)/$out" || status=$?
echo "{\"loadAfter\":\"$(cut -d' ' -f1-3 /proc/loadavg)\",\"passed\":$([ $status = 0 ] && echo true || echo false)}" >> "$out"
echo
sed -e 's/[{}"]//g' -e 's/,\([a-zA-Z]\)/  \1/g' "$out"
echo
echo "Control Center's logs: target/fault-logs/; the tests' reports: target/surefire-reports/io.controlcenter.db.*"
exit $status
