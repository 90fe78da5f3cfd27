#!/usr/bin/env bash
# A first look at Control Center's dashboard without a gateway of your own: installs and starts the real OpenClaw
# gateway (npm package "openclaw", scripts/openclaw-gateway.sh) with the mock model on free loopback ports, starts
# Control Center against it (the README's run command), prints the URL of the page, creates a few agents and sessions,
# and sends a chat now and then so the fleet moves. Ctrl-C stops everything.
#
# Usage: scripts/demo.sh [--fresh] [--port P]
#   --fresh   forget the previous demo (its gateway state and database in target/demo)
#   --port P  Control Center's port (default: a free one)
# Needs: java 17, maven (the jar is built when missing), npm (the gateway's first install: ~35 s, ~840 MB), curl.
set -euo pipefail
cd "$(dirname "$0")/.."

DEMO="$PWD/target/demo"
CC_PORT=""
while (($#)); do
  case "$1" in
    --fresh) rm -rf "$DEMO"; shift ;;
    --port) CC_PORT="$2"; shift 2 ;;
    -h|--help) awk 'NR > 1 && !/^#/ { exit } NR > 1 { sub(/^# ?/, ""); print }' "$0"; exit 0 ;;
    *) echo "unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
done

log() { echo "[demo] $*"; }
in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
free_port() { # a free port whose next one is free too (the gateway's model port)
  local p
  for _ in $(seq 100); do
    p=$((20000 + RANDOM % 40000))
    in_use "$p" || in_use $((p + 1)) || { echo "$p"; return 0; }
  done
  return 1
}

GW_PORT=$(free_port)
[[ -n "$CC_PORT" ]] || CC_PORT=$(free_port)
in_use "$CC_PORT" && { echo "port $CC_PORT is in use" >&2; exit 1; }
URL="http://127.0.0.1:$CC_PORT"
CC_PID=""

stop() {
  trap - INT TERM EXIT
  log "stopping"
  if [[ -n "$CC_PID" ]] && kill -0 "$CC_PID" 2>/dev/null; then
    kill "$CC_PID" 2>/dev/null || true
    wait "$CC_PID" 2>/dev/null || true
  fi
  bash scripts/openclaw-gateway.sh stop --dir "$DEMO/gateway" >/dev/null || true
  log "stopped (state kept in $DEMO; --fresh starts over)"
}
trap 'stop; exit 130' INT TERM
trap stop EXIT

if [[ ! -f target/control-center.jar ]]; then
  log "building Control Center (mvn -B package -DskipTests)"
  mvn -B -q package -DskipTests
fi
mkdir -p "$DEMO"

log "starting the OpenClaw gateway with the mock model on 127.0.0.1:$GW_PORT (first run installs it)"
bash scripts/openclaw-gateway.sh start --port "$GW_PORT" --model-port $((GW_PORT + 1)) --dir "$DEMO/gateway" \
  --mock-llm src/test/resources/openclaw/mock-llm.mjs | tail -1

log "starting Control Center on $URL (log: $DEMO/control-center.log)"
OPENCLAW_GATEWAY_TOKEN="$(cat "$DEMO/gateway/token.txt")" GATEWAY_WS_URL="ws://127.0.0.1:$GW_PORT/" CC_PORT="$CC_PORT" \
  DB_DATA_DIR="$DEMO/postgres" java -Xmx256m -jar target/control-center.jar >"$DEMO/control-center.log" 2>&1 &
CC_PID=$!
for _ in $(seq 120); do
  curl -sf -o /dev/null "$URL/observe/health/ready" && break
  kill -0 "$CC_PID" 2>/dev/null || { tail -20 "$DEMO/control-center.log"; exit 1; }
  sleep 1
done

cat <<TEXT

  Control Center's dashboard:  $URL/
  (the gateway: ws://127.0.0.1:$GW_PORT/, its state in $DEMO/gateway; Ctrl-C stops both)

TEXT

gateway_call() { # METHOD JSON: an RPC on the gateway through its own CLI, as an operator would
  bash scripts/openclaw-gateway.sh cli --dir "$DEMO/gateway" -- gateway call "$1" --params "$2" --json >/dev/null 2>&1 || true
}
chat() { # SESSION MESSAGE: through Control Center's API, as the dashboard does
  curl -s -o /dev/null -X POST "$URL/api/sessions/$1/messages" -H 'Content-Type: application/json' \
    -d "{\"message\": \"$2\"}" || true
}

log "creating agents and sessions"
gateway_call agents.create '{"name": "writer", "emoji": "✍️"}'
gateway_call agents.create '{"name": "scout", "emoji": "🔭"}'
gateway_call agents.create '{"name": "<b>not bold</b>", "emoji": "🧪"}'
SESSIONS=(agent:main:main agent:research:main agent:writer:drafts agent:scout:lookout agent:ops:pager)
for s in "${SESSIONS[@]}"; do chat "$s" "hello from the demo"; done

log "a chat every 15 s (Ctrl-C to stop)"
n=0
while kill -0 "$CC_PID" 2>/dev/null; do
  sleep 15 & wait $! # a signal ends the wait at once
  n=$((n + 1))
  s=${SESSIONS[$((n % ${#SESSIONS[@]}))]}
  if ((n % 6 == 0)); then
    s="agent:research:topic-$n"
    log "new session $s"
  fi
  chat "$s" "update number $n"
done
log "Control Center exited (see $DEMO/control-center.log)"
