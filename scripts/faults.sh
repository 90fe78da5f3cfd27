#!/usr/bin/env bash
# The fault suite (RELIABILITY.md): builds the tests, then injects each fault into Control Center running as its own
# process (java -Xmx256m, this build) while the test gateway streams events, prints the figures and writes them as JSON,
# one line per fault after a line describing the machine, to reliability/results/.
# Usage: scripts/faults.sh [--quick] [--skip-build] [--only FAMILIES] [--outage-seconds S] [--kills N] [--frames N]
#                          [--gateway-restarts N] [--cc-kills N]
#   default       the long runs of every family
#   --quick       the sizes `mvn verify` runs
#   --only        a comma-separated list of families (default: all):
#                   db        the external PostgreSQL stopped (60 s; quick 10 s), failed over to its promoted standby,
#                             the embedded one killed (5; quick 1),
#                             the full disk
#                   hostile   100,000 fuzzed frames from the gateway (quick 10,000)
#                   refusals  wrong token, protocol mismatch, pairing required, foreign origin, missing scopes
#                   gateway   the gateway killed and restarted 20 times during a stream (quick 3); the real OpenClaw
#                             gateway's 3 restarts (SIGKILL) are RealGatewayRestartsIT, in the conformance suite that
#                             `mvn verify` runs (failsafe, not this script's `mvn test`): mvn -o test-compile
#                             failsafe:integration-test failsafe:verify -Dit.test=RealGatewayRestartsIT
#                             [-Dfaults.real-gateway-restarts=N] [-Dfaults.results=FILE]
#                   kill      Control Center killed with kill -9 during a stream and started again, 5 times (quick 1)
#                   dashboards  1,000 SSE clients, 100 of them reading a tenth of the stream (quick 200 and 20), 3
#                             rounds with the latency criterion asserted (mvn verify: 200, one round, not asserted)
#   --skip-build  use the compiled tests as they are (mvn -o)
#   FAULTS_MVN_OPTS="-Dfaults.dashboard-rounds=5 ..."  more settings for the tests (system properties)
# Needs root for the full disk (a tmpfs in a mount namespace: unshare, nsenter) and for the PostgreSQL programs as root
# (unshare -U), as CI has; PostgreSQL comes from the embedded binaries the build already uses.
set -euo pipefail
cd "$(dirname "$0")/.."
outage=60
kills=5
frames=100000
gateway_restarts=20
cc_kills=5
dashboards=1000
only="db,hostile,refusals,gateway,kill,dashboards"
offline=()
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) outage=10; kills=1; frames=10000; gateway_restarts=3; cc_kills=1; dashboards=200 ;;
    --skip-build) offline=(-o) ;;
    --only) only="$2"; shift ;;
    --outage-seconds) outage="$2"; shift ;;
    --kills) kills="$2"; shift ;;
    --frames) frames="$2"; shift ;;
    --gateway-restarts) gateway_restarts="$2"; shift ;;
    --cc-kills) cc_kills="$2"; shift ;;
    --dashboards) dashboards="$2"; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
tests=()
for family in ${only//,/ }; do
  case "$family" in
    db) tests+=(ExternalDatabaseRestartTest StandbyPromotedTest EmbeddedDatabaseKillTest DiskFullTest) ;;
    hostile) tests+=(HostileFramesTest) ;;
    refusals) tests+=(RefusalsTest) ;;
    gateway) tests+=(GatewayRestartsTest) ;;
    kill) tests+=(ControlCenterKillTest) ;;
    dashboards) tests+=(SlowDashboardsTest) ;;
    *) echo "unknown family $family (db, hostile, refusals, gateway, kill, dashboards)" >&2; exit 2 ;;
  esac
done
testList=$(IFS=,; echo "${tests[*]}")
mkdir -p reliability/results
out="reliability/results/faults-$(date -u +%Y%m%d-%H%M%S).jsonl"
cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
mem=$(awk '/MemTotal/ {printf "%d", $2/1024}' /proc/meminfo)
os=$(. /etc/os-release 2>/dev/null && echo "${PRETTY_NAME:-unknown}")
java=$(java -version 2>&1 | head -1)
echo "{\"machine\":{\"cores\":$(nproc),\"memoryMb\":$mem,\"cpu\":\"$cpu\",\"os\":\"$os\",\"java\":\"${java//\"/}\",\"commit\":\"$(git rev-parse --short HEAD 2>/dev/null || echo unknown)\",\"loadBefore\":\"$(cut -d' ' -f1-3 /proc/loadavg)\"},\"families\":\"$only\",\"outageSeconds\":$outage,\"kills\":$kills,\"frames\":$frames,\"gatewayRestarts\":$gateway_restarts,\"controlCenterKills\":$cc_kills,\"dashboards\":$dashboards}" > "$out"
echo "faults: $only (outage ${outage} s, embedded kills ${kills}, frames ${frames}, gateway restarts ${gateway_restarts}, Control Center kills ${cc_kills}, dashboards ${dashboards}); results in $out"
status=0
mvn -B -q "${offline[@]}" test -Dtest="$testList" \
  -Dsurefire.failIfNoSpecifiedTests=false -Dfaults.outage-seconds="$outage" -Dfaults.kills="$kills" \
  -Dfaults.frames="$frames" -Dfaults.gateway-restarts="$gateway_restarts" -Dfaults.cc-kills="$cc_kills" -Dfaults.dashboards="$dashboards" \
  -Dfaults.dashboard-rounds=3 -Dfaults.dashboard-latency=true \
  -Dfaults.results="$(pwd)/$out" ${FAULTS_MVN_OPTS:-} || status=$?
echo "{\"loadAfter\":\"$(cut -d' ' -f1-3 /proc/loadavg)\",\"passed\":$([ $status = 0 ] && echo true || echo false)}" >> "$out"
echo
sed -e 's/[{}"]//g' -e 's/,\([a-zA-Z]\)/  \1/g' "$out"
echo
echo "Control Center's logs: target/fault-logs/; the tests' reports: target/surefire-reports/io.controlcenter.{db,faults}.*"
exit $status
