#!/usr/bin/env bash
# HTTP load, side by side in one run (docs/performance.md, figures 2 and 3):
#   - GET /api/v1/whoami (authenticated by key, no database) against GET /api/v1/ping (same chain, no key),
#     request logging on;
#   - whoami with request logging on against off; and count equality: every whoami request is in the log.
# Needs wrk (apt-get install -y wrk) and the packaged jar (./mvnw -B package -DskipTests).
# Usage: docs/bench/http-load.sh [seconds per run, default 15] [connections, default 32]
set -euo pipefail
cd "$(dirname "$0")/../.."
DURATION=${1:-15}
CONNECTIONS=${2:-32}
PORT=${PORT:-18080}
JAR=app/target/keysmith.jar
[ -f "$JAR" ] || { echo "build the jar first: ./mvnw -B package -DskipTests" >&2; exit 1; }
command -v wrk >/dev/null || { echo "install wrk: apt-get install -y wrk" >&2; exit 1; }
WORK=$(mktemp -d)
trap 'kill $APP 2>/dev/null || true; rm -rf "$WORK"' EXIT

start() { # $1 = request logging enabled (true/false)
  KEYSMITH_DATA_DIR="$WORK/data" SERVER_PORT=$PORT KEYSMITH_BOOTSTRAP_TENANT="Bench" \
  KEYSMITH_BOOTSTRAP_OWNER_EMAIL=bench@example.test KEYSMITH_BOOTSTRAP_OWNER_PASSWORD='bench password 1' \
  KEYSMITH_BOOTSTRAP_KEY_FILE="$WORK/key.env" AXONIQ_UPDATE_CHECKER_DISABLED=true \
    java -Xmx1g -jar "$JAR" --keysmith.request-log.enabled="$1" --keysmith.request-log.buffer-size=200000 \
      --logging.level.root=WARN > "$WORK/app-$1.log" 2>&1 &
  APP=$!
  for _ in $(seq 1 600); do
    kill -0 "$APP" 2>/dev/null || { echo "the application exited:" >&2; tail -40 "$WORK/app-$1.log" >&2; exit 1; }
    curl -fs "http://127.0.0.1:$PORT/api/v1/ping" >/dev/null 2>&1 && [ -s "$WORK/key.env" ] && break
    sleep 0.5
  done
  KEY=$(sed -n 's/^key=//p' "$WORK/key.env")
  until [ "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $KEY" "http://127.0.0.1:$PORT/api/v1/whoami")" = 200 ]; do sleep 0.2; done
}
stop() { kill "$APP"; wait "$APP" 2>/dev/null || true; }

run() { # $1 = label, $2 = path, $3 = with key (yes/no); prints "label requests/s p50 p99 requests"
  local auth=()
  [ "$3" = yes ] && auth=(-H "Authorization: Bearer $KEY")
  wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency "${auth[@]}" "http://127.0.0.1:$PORT$2" > "$WORK/wrk.out"
  local rps p50 p99 total
  rps=$(awk '/Requests\/sec/ {print $2}' "$WORK/wrk.out")
  p50=$(awk '$1 == "50%" {print $2}' "$WORK/wrk.out")
  p99=$(awk '$1 == "99%" {print $2}' "$WORK/wrk.out")
  total=$(awk '/requests in/ {print $1}' "$WORK/wrk.out")
  non2xx=$(awk '/Non-2xx/ {print $5}' "$WORK/wrk.out")
  echo "$1 $rps $p50 $p99 $total ${non2xx:-0}"
}

health() { curl -s "http://127.0.0.1:$PORT/actuator/health" | sed -n "s/.*\"$1\":\\([0-9]*\\).*/\\1/p"; }
written() { health written; }
# the log writer drains its buffer after a load stops: the count once it holds still for a second
settled() { local last now; last=$(written); for _ in $(seq 1 120); do sleep 1; now=$(written); [ "$now" = "$last" ] && break; last=$now; done; echo "$last"; }

echo "# $(date -u +%FT%TZ) $(nproc) cores, $(java -version 2>&1 | head -1), ${DURATION}s per run, $CONNECTIONS connections"
echo "# label requests/s p50 p99 requests non-2xx"
start true
run warmup-whoami /api/v1/whoami yes > /dev/null
run warmup-ping /api/v1/ping no > /dev/null
before=$(settled)
WHOAMI_SENT=0
for round in 1 2; do
  run ping-log-on /api/v1/ping no
  line=$(run whoami-log-on /api/v1/whoami yes); echo "$line"
  WHOAMI_SENT=$((WHOAMI_SENT + $(echo "$line" | awk '{print $5}')))
done
after=$(settled)
echo "# request log: $WHOAMI_SENT whoami responses counted by wrk, $((after - before)) records written, $(health dropped) dropped" \
  "(written may exceed wrk's count by the requests in flight when each run stopped: at most $CONNECTIONS per run)"
stop
start false
run warmup-whoami /api/v1/whoami yes > /dev/null
for round in 1 2; do
  run whoami-log-off /api/v1/whoami yes
done
stop
