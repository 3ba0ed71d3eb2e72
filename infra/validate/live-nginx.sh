#!/usr/bin/env bash
# The compose topology without Docker: redis-server, one publish-api and two gateways from
# relay-cli/target/relay.jar, and Debian's nginx with infra/nginx.conf (service names mapped to
# loopback ports), all on 127.0.0.1. Checks through nginx: POST /v1/events → 202 from publish-api,
# /realtime WebSocket upgrade → 101 and the gateway's welcome, /healthz routing is not exposed.
# Stops only what it started, by pid. Needs relay.jar built, redis-server, nginx, curl, node.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
JAR="$ROOT/relay-cli/target/relay.jar"
WORK="$(mktemp -d)"
BASE="${LIVE_BASE_PORT:-18910}"
NGINX=$BASE API=$((BASE + 1)) GW1=$((BASE + 2)) GW2=$((BASE + 3)) REDIS=$((BASE + 4))
PIDS=()
cleanup() {
  [ -f "$WORK/nginx.pid" ] && kill "$(cat "$WORK/nginx.pid")" 2>/dev/null
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
export RELAY_API_KEY="live-nginx-key-0123456789abcdefghijklmnop"
export JWT_SIGNING_SECRET="live-nginx-secret-0123456789abcdefghijklm"
export REDIS_URL="redis://127.0.0.1:$REDIS" RELAY_LOG_LEVEL=WARN

redis-server --port "$REDIS" --bind 127.0.0.1 --save '' --appendonly no --dir "$WORK" >/dev/null &
PIDS+=($!)
PORT=$API java -jar "$JAR" publish-api >"$WORK/api.log" 2>&1 &
PIDS+=($!)
PORT=$GW1 RELAY_INSTANCE_ID=gateway-1 java -jar "$JAR" gateway >"$WORK/gw1.log" 2>&1 &
PIDS+=($!)
PORT=$GW2 RELAY_INSTANCE_ID=gateway-2 java -jar "$JAR" gateway >"$WORK/gw2.log" 2>&1 &
PIDS+=($!)
sed -e "s/publish-api:8080/127.0.0.1:$API/; s/gateway-1:8081/127.0.0.1:$GW1/g" \
    -e "s/gateway-2:8081/127.0.0.1:$GW2/g; s/listen 8080;/listen 127.0.0.1:$NGINX;/" \
    "$ROOT/infra/nginx.conf" >"$WORK/nginx.conf"
nginx -c "$WORK/nginx.conf" -e "$WORK/nginx-error.log" -g "pid $WORK/nginx.pid; daemon on;"

for port in $API $GW1 $GW2; do
  for _ in $(seq 600); do curl -fs -o /dev/null "http://127.0.0.1:$port/readyz" && break; sleep 0.1; done
  curl -fs -o /dev/null "http://127.0.0.1:$port/readyz" || { echo "FAIL service on $port not ready"; cat "$WORK"/*.log; exit 1; }
done

answer=$(curl -s -w ' %{http_code}' -X POST "http://127.0.0.1:$NGINX/v1/events" \
  -H "Authorization: Bearer $RELAY_API_KEY" -H 'Content-Type: application/json' \
  -d '{"sessionId":"live","event":"vote.cast","payload":{"issueKey":"S-1","value":"5","participantId":"a"}}')
[[ "$answer" == *" 202" ]] && echo "ok   POST /v1/events through nginx → 202: ${answer% *}" \
  || { echo "FAIL publish through nginx: $answer"; exit 1; }

token=$(node "$ROOT/docs/examples/mint-token.js" --sub live-user --session live)
for i in 1 2 3 4; do
  # a raw WebSocket handshake; curl prints the 101 headers and the first frame (the welcome)
  out=$(curl -s -i -N --max-time 3 "http://127.0.0.1:$NGINX/realtime?token=$token" \
    -H 'Connection: Upgrade' -H 'Upgrade: websocket' -H 'Sec-WebSocket-Version: 13' \
    -H 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==' | tr -d '\000' || true)
  if [[ "$out" == *"101 Switching Protocols"* && "$out" == *'"type":"welcome"'* ]]; then
    echo "ok   /realtime upgrade #$i through nginx → 101 + welcome"
  else
    echo "FAIL /realtime upgrade #$i: $(echo "$out" | head -5)"; exit 1
  fi
done
