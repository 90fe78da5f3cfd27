#!/usr/bin/env bash
# Measures `java -jar target/control-center.jar` to GET /api/gateway "connected" against the real gateway (installed
# and started on a free loopback port by scripts/openclaw-gateway.sh), with the embedded database, N times.
# Usage: scripts/measure-start.sh [N]      (needs target/control-center.jar: mvn -B package -DskipTests)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
runs=${1:-3}
free_port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }
work=$(mktemp -d)
gw_port=$(free_port)
trap 'bash "$root/scripts/openclaw-gateway.sh" stop --dir "$work/gw" >/dev/null; rm -rf "$work"' EXIT
bash "$root/scripts/openclaw-gateway.sh" start --port "$gw_port" --dir "$work/gw" | tail -1
token=$(cat "$work/gw/token.txt")
jar=$root/target/control-center.jar
cp -r routes application.properties "$work/"
cd "$work"
for i in $(seq "$runs"); do
  port=$(free_port)
  start=$(date +%s%N)
  CC_PORT=$port GATEWAY_WS_URL=ws://127.0.0.1:$gw_port/ OPENCLAW_GATEWAY_TOKEN=$token java -jar "$jar" > "$work/run-$i.log" 2>&1 &
  pid=$!
  until curl -s "http://127.0.0.1:$port/api/gateway" | grep -q '"state":"connected"'; do
    kill -0 "$pid" 2>/dev/null || { echo "the bundle exited; see $work/run-$i.log"; cat "$work/run-$i.log" | tail -20; exit 1; }
    sleep 0.02
  done
  end=$(date +%s%N)
  echo "run $i: java -jar to GET /api/gateway connected: $(( (end - start) / 1000000 )) ms$([ "$i" = 1 ] && echo ' (first start: embedded PostgreSQL initdb)')"
  kill "$pid"; wait "$pid" 2>/dev/null || true
done
