#!/usr/bin/env bash
# bench/run.sh — runs the SPEC §9 loads against Relay and the Socket.IO reference peer and writes
# docs/perf-tests/results-<date>.md plus a latency-vs-connections plot (QUICK=1: results-<date>-quick.md).
#
#   bench/run.sh            # full run, about 16 minutes on 2 cores
#   QUICK=1 bench/run.sh    # smaller loads, about 3 minutes (a smoke test of the script)
#
# Everything runs on 127.0.0.1: its own redis-server (port $BENCH_REDIS_PORT, no persistence),
# publish-api and gateway as separate JVMs with a fixed heap (so RSS is per service), and the Node
# peer. Every process started here is stopped by pid on exit; the whole script is bounded by
# $BENCH_TIMEOUT seconds (default 1500).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
JAR="$ROOT/relay-cli/target/relay.jar"
PEER="$ROOT/bench/socketio-peer"
OUT="$ROOT/docs/perf-tests"
DATE="$(date +%F)"
# A QUICK run checks the script; it must never replace the results of a full run.
NAME="results-$DATE${QUICK:+-quick}"
WORK="$(mktemp -d /tmp/relay-bench.XXXXXX)"
REDIS_PORT="${BENCH_REDIS_PORT:-16379}"
PUB_PORT="${BENCH_PUBLISH_PORT:-18080}"
GW_PORT="${BENCH_GATEWAY_PORT:-18081}"
PEER_PORT="${BENCH_PEER_PORT:-13000}"
HEAP="${BENCH_HEAP:--Xms512m -Xmx512m}"
DEADLINE=$(( $(date +%s) + ${BENCH_TIMEOUT:-1500} ))
export RELAY_API_KEY="bench-key-$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')"
export JWT_SIGNING_SECRET="bench-secret-$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')"
export REDIS_URL="redis://127.0.0.1:$REDIS_PORT"
# One load generator on one IP opens ~19k connections and publishes 2k/s: lift the per-IP and
# per-user limits that protect production (docs/security.md) so the run measures delivery, not 429s.
export RELAY_CONNECT_LIMIT_PER_IP="1000000/min"
export RELAY_CONNECT_LIMIT_PER_SUB="1000000/min"
export RELAY_MAX_CONNECTIONS_PER_SUB="1000000"
export RELAY_PUBLISH_LIMIT_PER_IP="1000000/s"
export RELAY_PUBLISH_LIMIT_PER_ROOM="1000000/s"
export RELAY_PUBLISH_BURST_PER_ROOM="1000000"
PIDS=()

log() { echo "[run.sh $(date +%T)] $*" >&2; }
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do timeout 20 tail --pid="$pid" -f /dev/null 2>/dev/null || kill -9 "$pid" 2>/dev/null || true; done
}
trap cleanup EXIT
left() { echo $(( DEADLINE - $(date +%s) )); }
stop() { kill "$1" 2>/dev/null || true; timeout 20 tail --pid="$1" -f /dev/null || kill -9 "$1" 2>/dev/null || true; }

# Waits until $1 answers 200, at most 60 s; prints the milliseconds since $2 (date +%s%N).
wait_ready() {
  local url=$1 t0=$2
  for _ in $(seq 1 1200); do
    if curl -sf -o /dev/null "$url"; then echo $(( ($(date +%s%N) - t0) / 1000000 )); return 0; fi
    sleep 0.05
  done
  log "not ready: $url"; return 1
}

# --- build and install -----------------------------------------------------------------------
if [ ! -f "$JAR" ] || [ -n "$(find relay-bench socket-gateway publish-api -name '*.java' -newer "$JAR" | head -1)" ]; then
  log "building relay.jar"
  ./mvnw -B -q -pl relay-cli -am -DskipTests -Dspotless.check.skip=true package >&2
fi
if [ ! -d "$PEER/node_modules" ]; then
  log "npm ci (reference peer)"
  (cd "$PEER" && npm ci --no-audit --no-fund >&2)
fi

redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no >"$WORK/redis.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 1 100); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.05; done

RESULTS="$WORK/results.jsonl"
bench() { # label protocol publish-url gateway-url gateway-pid publish-pid [extra bench args]
  local label=$1 protocol=$2 pub=$3 gw=$4 gpid=$5 ppid=$6; shift 6
  if [ "$(left)" -lt 90 ]; then log "skipping $label: time budget"; return 0; fi
  log "bench $label $*"
  echo "java -jar relay.jar bench --label $label --protocol $protocol $*" >>"$WORK/commands.txt"
  timeout $(( $(left) - 30 )) java -Xms1g -Xmx1g -jar "$JAR" bench --label "$label" --protocol "$protocol" \
    --publish-url "$pub" --gateway-url "$gw" --gateway-pid "$gpid" --publish-pid "$ppid" \
    --json-out "$RESULTS" "$@" | grep -v "^{" >&2 || log "$label: exit $? (see table)"
}

if [ -n "${QUICK:-}" ]; then
  SWEEP=(500 1000 2000); A_DUR=8; B_CONNS=200; C_CONNS=2000; D_DUR=8; WARM=3; JIT_WARM=10
else
  SWEEP=(1000 5000 10000); A_DUR=30; B_CONNS=1000; C_CONNS=19000; D_DUR=20; WARM=15; JIT_WARM=60
fi

# JIT warm-up of a freshly started system, not recorded: a JFR recording showed publish-api's C2
# compiler using a whole core for the first ~40 s of load, which is a start-up cost, not the
# steady-state latency SPEC §9 asks about. Each load then still has its own --warmup.
warm() { # system protocol pub gw gpid ppid
  local s=$1 p=$2 pub=$3 gw=$4 gpid=$5 ppid=$6
  if [ "$(left)" -lt 150 ]; then log "skipping JIT warm-up of $s: time budget"; return 0; fi
  log "JIT warm-up of $s (${JIT_WARM}s, not recorded)"
  timeout $(( JIT_WARM + 90 )) java -Xms1g -Xmx1g -jar "$JAR" bench --label "warm-up/$s" --protocol "$p" \
    --publish-url "$pub" --gateway-url "$gw" --gateway-pid "$gpid" --publish-pid "$ppid" \
    --json-out "$WORK/warm-up.jsonl" -c 2000 -r 200 --rate 1500 -d "$JIT_WARM" --warmup 1 >/dev/null 2>&1 \
    || log "warm-up of $s: exit $?"
}

loads() { # system protocol pub gw gpid ppid
  local s=$1 p=$2 pub=$3 gw=$4 gpid=$5 ppid=$6
  warm "$s" "$p" "$pub" "$gw" "$gpid" "$ppid"
  bench "d-publish-2k/$s" "$p" "$pub" "$gw" "$gpid" "$ppid" -c 0 --rate 2000 -d "$D_DUR" --warmup "$WARM"
  for n in "${SWEEP[@]}"; do
    rooms=$(( n < 1000 ? n : 1000 ))
    bench "a-$n/$s" "$p" "$pub" "$gw" "$gpid" "$ppid" -c "$n" -r "$rooms" --rate 1000 -d "$A_DUR" --warmup "$WARM"
  done
  bench "b-1room/$s" "$p" "$pub" "$gw" "$gpid" "$ppid" -c "$B_CONNS" -r 1 --rate 50 -d "$A_DUR" --warmup "$WARM"
}

# c-idle: memory per idle connection. Relay's number is live heap after a full GC (jcmd) plus
# RSS growth, so earlier loads do not bias it; the peer's is RSS growth only, so it runs on a fresh
# peer process (after the loads above its RSS held garbage V8 later returned, once giving a
# negative growth).
idle() { # system protocol pub gw gpid ppid [heapflag]
  bench "c-idle/$1" "$2" "$3" "$4" "$5" "$6" -c "$C_CONNS" -r 1000 --rate 0 -d 10 ${7:-}
}

# Start publish-api (log file, then extra JVM flags) or the peer (log file) in the background;
# the pid is left in STARTED and stopped on exit.
start_publish_api() {
  local logfile=$1; shift
  PORT=$PUB_PORT java $HEAP "$@" -jar "$JAR" publish-api >"$logfile" 2>&1 &
  STARTED=$!; PIDS+=($STARTED)
}
start_peer() {
  PORT=$PEER_PORT node "$PEER/server.js" >"$1" 2>&1 &
  STARTED=$!; PIDS+=($STARTED)
}

# --- Relay -----------------------------------------------------------------------------------
# (e) start to ready of publish-api as the container image ships it (infra/Dockerfile): with an
# AppCDS archive made by one training run. Median of 3 starts; the plain-JVM start follows below.
start_publish_api "$WORK/cds-train.log" -XX:ArchiveClassesAtExit="$WORK/publish-api.jsa"
wait_ready "http://127.0.0.1:$PUB_PORT/readyz" "$(date +%s%N)" >/dev/null; stop "$STARTED"
CDS_STARTS=()
for _ in 1 2 3; do
  t0=$(date +%s%N)
  start_publish_api "$WORK/cds-run.log" -XX:SharedArchiveFile="$WORK/publish-api.jsa"
  CDS_STARTS+=("$(wait_ready "http://127.0.0.1:$PUB_PORT/readyz" "$t0")"); stop "$STARTED"
done
PUB_CDS_START_MS=$(printf '%s\n' "${CDS_STARTS[@]}" | sort -n | sed -n 2p)
log "publish-api start to ready with AppCDS: ${CDS_STARTS[*]} ms (median $PUB_CDS_START_MS)"

t0=$(date +%s%N)
start_publish_api "$WORK/publish-api.log"
PUB_PID=$STARTED
PUB_START_MS=$(wait_ready "http://127.0.0.1:$PUB_PORT/readyz" "$t0")
t0=$(date +%s%N)
# AlwaysPreTouch: the whole fixed heap is resident from the start, so the RSS growth per connection
# is native memory only and the live heap per connection is measured separately (--jvm-heap).
PORT=$GW_PORT java $HEAP -XX:+AlwaysPreTouch -jar "$JAR" gateway >"$WORK/gateway.log" 2>&1 &
GW_PID=$!; PIDS+=($GW_PID)
GW_START_MS=$(wait_ready "http://127.0.0.1:$GW_PORT/readyz" "$t0")
log "start to ready: publish-api ${PUB_START_MS} ms, gateway ${GW_START_MS} ms"
PUB="http://127.0.0.1:$PUB_PORT"; GW="http://127.0.0.1:$GW_PORT"
loads relay socketio "$PUB" "$GW" "$GW_PID" "$PUB_PID"
idle relay socketio "$PUB" "$GW" "$GW_PID" "$PUB_PID" --jvm-heap
bench "a-${SWEEP[-1]}/relay-json" json "$PUB" "$GW" "$GW_PID" "$PUB_PID" -c "${SWEEP[-1]}" -r 1000 --rate 1000 -d "$A_DUR" --warmup "$WARM"
bench "b-1room/relay-json" json "$PUB" "$GW" "$GW_PID" "$PUB_PID" -c "$B_CONNS" -r 1 --rate 50 -d "$A_DUR" --warmup "$WARM"
stop "$GW_PID"; stop "$PUB_PID"
redis-cli -p "$REDIS_PORT" flushall >/dev/null

# --- Reference peer --------------------------------------------------------------------------
t0=$(date +%s%N)
start_peer "$WORK/peer.log"
PEER_START_MS=$(wait_ready "http://127.0.0.1:$PEER_PORT/readyz" "$t0")
PU="http://127.0.0.1:$PEER_PORT"
loads peer socketio "$PU" "$PU" "$STARTED" "$STARTED"
stop "$STARTED"
start_peer "$WORK/peer-idle.log"
wait_ready "http://127.0.0.1:$PEER_PORT/readyz" "$(date +%s%N)" >/dev/null
idle peer socketio "$PU" "$PU" "$STARTED" "$STARTED"
stop "$STARTED"

# --- Results ---------------------------------------------------------------------------------
mkdir -p "$OUT"
{
  echo "# Benchmark results — $DATE"
  echo
  echo "Produced by \`bench/run.sh\`${QUICK:+ (QUICK=1)} (see README.md in this folder for the columns and the SPEC §9 verdicts)."
  echo
  echo "## Machine"
  echo
  echo "- $(nproc) cores: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); $(free -g | awk '/Mem:/{print $2}') GiB RAM; open files per process: $(ulimit -Hn)"
  echo "- $(uname -sr); $(java -version 2>&1 | head -1); node $(node --version); $(redis-server --version | cut -d' ' -f1-3)"
  echo "- Load generator, Redis and the server(s) share these cores: every number includes that contention."
  echo "- Before each system's loads: ${JIT_WARM} s of unrecorded load (2,000 connections, 1,500 ev/s) so the JIT has compiled the hot paths; then each load has its own ${WARM} s warm-up."
  echo "- Relay: publish-api and gateway as separate JVMs, \`$HEAP\` (gateway also \`-XX:+AlwaysPreTouch\`); peer: one Node process (Socket.IO 4 + @socket.io/redis-streams-adapter)."
  echo
  echo "## Start-up to ready (load e)"
  echo
  echo "| service | ms from exec to /readyz 200 |"
  echo "|---|---|"
  echo "| publish-api, plain JVM | $PUB_START_MS |"
  echo "| publish-api with AppCDS, as the image ships it (median of ${CDS_STARTS[*]}) | $PUB_CDS_START_MS |"
  echo "| gateway (with AlwaysPreTouch of the heap) | $GW_START_MS |"
  echo "| peer (node) | $PEER_START_MS |"
  echo
  echo "## Commands"
  echo
  echo '```'
  cat "$WORK/commands.txt"
  echo '```'
} >"$WORK/header.md"
java -jar "$JAR" bench report --in "$RESULTS" --header "$WORK/header.md" \
  --md "$OUT/$NAME.md" --png "$OUT/latency-vs-connections-$DATE${QUICK:+-quick}.png" --plot-prefix a-
cp "$RESULTS" "$OUT/$NAME.jsonl"
log "done: $OUT/$NAME.md (logs in $WORK)"
