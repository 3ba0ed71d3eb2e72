#!/usr/bin/env bash
# Measures start-up of publish-api (JVM start -> /readyz 200 -> first 202) and of the Lambda
# handler (JVM start -> first 202 via dev.relay.lambda.LocalInvoke), plain JVM vs AppCDS vs
# AppCDS + C1 only. Prints one line per run and the median per variant (docs/perf-tests/startup.md).
#
# Needs: relay-cli/target/relay.jar and publish-lambda/target/publish-lambda.jar built, a Redis at
# REDIS_URL (default: starts redis-server on port 6391), curl. Usage: infra/perf/startup.sh [runs] [api|lambda|all]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
RUNS="${1:-5}"
WHAT="${2:-all}" # api | lambda | all
RELAY_JAR="$ROOT/relay-cli/target/relay.jar"
LAMBDA_JAR="$ROOT/publish-lambda/target/publish-lambda.jar"
WORK="$(mktemp -d)"
PORT="${PERF_PORT:-18587}"
export RELAY_API_KEY="perf-key-0123456789abcdefghijklmnopqrstuv" RELAY_LOG_LEVEL=WARN PORT
JAVA_PID=""
# Stops only the publish-api this script started (by its pid), if one is still running.
stop_java() { if [ -n "$JAVA_PID" ]; then kill "$JAVA_PID" 2>/dev/null || true; fi; }
if curl -s -o /dev/null "http://127.0.0.1:$PORT/"; then
  echo "port $PORT is already in use: set PERF_PORT" >&2
  exit 1
fi
if [ -z "${REDIS_URL:-}" ]; then
  redis-server --port 6391 --save '' --appendonly no --daemonize yes --pidfile "$WORK/redis.pid" >/dev/null
  trap 'stop_java; kill "$(cat "$WORK/redis.pid")" 2>/dev/null; rm -rf "$WORK"' EXIT
  export REDIS_URL=redis://127.0.0.1:6391
  until redis-cli -p 6391 ping >/dev/null 2>&1; do sleep 0.05; done
else
  trap 'stop_java; rm -rf "$WORK"' EXIT
fi
BODY='{"sessionId":"perf","event":"vote.cast","payload":{"issueKey":"S-1","value":"5","participantId":"a"}}'

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

# One publish-api run: prints "<ready ms> <first 202 ms> <CPU ms at ready>"; $@ are JVM flags.
publish_api_run() {
  local t0 pid ready first cpu
  t0=$(now_ms)
  java "$@" -jar "$RELAY_JAR" publish-api >"$WORK/out.log" 2>&1 &
  pid=$!
  JAVA_PID=$pid
  until curl -fs -o /dev/null "http://127.0.0.1:$PORT/readyz"; do
    kill -0 "$pid" 2>/dev/null || { cat "$WORK/out.log" >&2; exit 1; }
    sleep 0.01
  done
  ready=$(( $(now_ms) - t0 ))
  cpu=$(awk '{print ($14 + $15) * 10}' "/proc/$pid/stat")
  curl -fsS -o /dev/null -X POST "http://127.0.0.1:$PORT/v1/events" \
    -H "Authorization: Bearer $RELAY_API_KEY" -H 'Content-Type: application/json' -d "$BODY"
  first=$(( $(now_ms) - t0 ))
  kill -TERM "$pid"
  wait "$pid" || true
  JAVA_PID=""
  echo "$ready $first $cpu"
}

# One Lambda cold start: prints "<init ms> <first 202 ms> <CPU ms>", from JVM start.
lambda_run() {
  java "$@" -cp "$LAMBDA_JAR" dev.relay.lambda.LocalInvoke "$BODY" \
    | sed -n 's/.*init_ms=\([0-9]*\) first_answer_ms=\([0-9]*\) cpu_ms=\([0-9]*\).*/\1 \2 \3/p'
}

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

variant() {
  local name="$1" kind="$2"
  shift 2
  : >"$WORK/results"
  for _ in $(seq "$RUNS"); do "$kind" "$@" | tee -a "$WORK/results" | sed "s/^/  $name: /"; done
  echo "MEDIAN $name: $(cut -d' ' -f1 "$WORK/results" | median) / $(cut -d' ' -f2 "$WORK/results" | median) ms, CPU $(cut -d' ' -f3 "$WORK/results" | median) ms"
}

echo "# load average before: $(cut -d' ' -f1-3 /proc/loadavg); java: $(java -version 2>&1 | head -1)"
if [ "$WHAT" != lambda ]; then
echo "## publish-api: start->ready / start->first 202"
publish_api_run -XX:ArchiveClassesAtExit="$WORK/api.jsa" >/dev/null
variant "api plain" publish_api_run
variant "api AppCDS" publish_api_run -XX:SharedArchiveFile="$WORK/api.jsa"
variant "api AppCDS+C1" publish_api_run -XX:SharedArchiveFile="$WORK/api.jsa" -XX:TieredStopAtLevel=1
fi
if [ "$WHAT" != api ]; then
echo "## Lambda handler: start->init done / start->first 202"
lambda_run -XX:ArchiveClassesAtExit="$WORK/lambda.jsa" >/dev/null
variant "lambda plain" lambda_run
variant "lambda AppCDS" lambda_run -XX:SharedArchiveFile="$WORK/lambda.jsa"
variant "lambda AppCDS+C1" lambda_run -XX:SharedArchiveFile="$WORK/lambda.jsa" -XX:TieredStopAtLevel=1
variant "lambda C1" lambda_run -XX:TieredStopAtLevel=1
fi
echo "# load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
