#!/usr/bin/env bash
# The measurements of docs/SCALING.md: bench through scripts/local-cluster.sh (HAProxy) and with
# client-side round_robin, during a roll and a kill -9, plus balance and throughput.
# Run under `flock /tmp/bench.lock` on a shared machine. Writes target/scaling/*.txt.
#   CLIENTS (50), IMAGE (target/samples/photo-2mp.jpg), STEADY (30s), ROLL_BENCH (180s), KILL_BENCH (40s)
#   and the ports of local-cluster.sh (FRONT_GRPC_PORT, FRONT_HTTP_PORT, STATS_PORT, REPLICA_BASE_PORT).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
export FRONT_GRPC_PORT="${FRONT_GRPC_PORT:-50051}" FRONT_HTTP_PORT="${FRONT_HTTP_PORT:-8080}"
export STATS_PORT="${STATS_PORT:-8404}" REPLICA_BASE_PORT="${REPLICA_BASE_PORT:-19000}"
export JAVA_OPTS="${JAVA_OPTS:--Xmx768m}"
CLIENTS="${CLIENTS:-50}"
IMAGE="${IMAGE:-target/samples/photo-2mp.jpg}"
STEADY="${STEADY:-30s}"; ROLL_BENCH="${ROLL_BENCH:-180s}"; KILL_BENCH="${KILL_BENCH:-40s}"
OUT=target/scaling
mkdir -p "$OUT"
[ -f "$IMAGE" ] || java -jar target/image-service.jar sample-images target/samples >/dev/null
CLUSTER=scripts/local-cluster.sh
grpc_of() { echo $((REPLICA_BASE_PORT + 3 * ($1 - 1) + 2)); }
admin_of() { echo $((REPLICA_BASE_PORT + 3 * ($1 - 1) + 1)); }
RR="grpc://127.0.0.1:$(grpc_of 1),127.0.0.1:$(grpc_of 2),127.0.0.1:$(grpc_of 3)"
bench() { java -Xmx1g -jar target/image-service.jar bench --timeout 120s "$@" "$IMAGE" 2>&1 || true; }
# OK ProcessImage calls each replica has answered since it started.
served() {
  local i
  for i in 1 2 3; do
    curl -s "http://127.0.0.1:$(admin_of "$i")/prometheus" \
      | awk '/^grpc_server_handled_total/ && /ProcessImage"/ && /code="OK"/ { n = $NF } END { printf "%d ", n }'
  done
  echo
}
haproxy_served() {
  curl -s "http://127.0.0.1:$STATS_PORT/stats;csv" | awk -F, '$1 ~ /_replicas$/ && $2 ~ /^r/ { printf "%s/%s=%s ", $1, $2, $8 }'
  echo
}
section() { echo; echo "=== $* ($(date -u +%T), load $(cut -d' ' -f1-3 /proc/loadavg))"; }

{
  $CLUSTER down >/dev/null 2>&1 || true
  section "up 3"; $CLUSTER up 3
  section "steady: HAProxy gRPC, $CLIENTS clients, $STEADY"
  before="$(served)"; hb="$(haproxy_served)"
  bench --target "grpc://127.0.0.1:$FRONT_GRPC_PORT" --concurrency "$CLIENTS" --duration "$STEADY"
  echo "replica OK calls before: $before after: $(served)"; echo "haproxy stot before: $hb"; echo "haproxy stot after:  $(haproxy_served)"
  section "steady: client-side round_robin, $CLIENTS clients, $STEADY"
  before="$(served)"
  bench --target "$RR" --concurrency "$CLIENTS" --duration "$STEADY"
  echo "replica OK calls before: $before after: $(served)"
  section "steady: one replica direct, $CLIENTS clients, $STEADY"
  bench --target "grpc://127.0.0.1:$(grpc_of 1)" --concurrency "$CLIENTS" --duration "$STEADY"
  section "roll through HAProxy: gRPC $CLIENTS clients + HTTP 10 clients, $ROLL_BENCH"
  bench --target "http://127.0.0.1:$FRONT_HTTP_PORT" --concurrency 10 --duration "$ROLL_BENCH" > "$OUT/roll-haproxy-http.txt" &
  http_bench=$!
  (sleep 5; /usr/bin/time -f "roll took %e s" $CLUSTER roll) > "$OUT/roll-haproxy-roll.txt" 2>&1 &
  bench --target "grpc://127.0.0.1:$FRONT_GRPC_PORT" --concurrency "$CLIENTS" --duration "$ROLL_BENCH"
  wait; echo "--- HTTP:"; cat "$OUT/roll-haproxy-http.txt"; cat "$OUT/roll-haproxy-roll.txt"
  section "roll with client-side round_robin (retries), $CLIENTS clients, $ROLL_BENCH"
  (sleep 5; /usr/bin/time -f "roll took %e s" $CLUSTER roll) > "$OUT/roll-rr-roll.txt" 2>&1 &
  bench --target "$RR" --concurrency "$CLIENTS" --duration "$ROLL_BENCH"
  wait; cat "$OUT/roll-rr-roll.txt"
  section "kill -9 of r2 after 15 s, client-side round_robin WITH retries, $CLIENTS clients, $KILL_BENCH"
  (sleep 15; kill -9 "$(cat target/local-cluster/r2.pid)"; echo "killed r2 at $(date -u +%T)") &
  bench --target "$RR" --concurrency "$CLIENTS" --duration "$KILL_BENCH"
  wait
  section "kill -9 of r3 after 15 s, client-side round_robin WITHOUT retries (--no-retry), $CLIENTS clients, $KILL_BENCH"
  (sleep 15; kill -9 "$(cat target/local-cluster/r3.pid)"; echo "killed r3 at $(date -u +%T)") &
  bench --target "$RR" --no-retry --concurrency "$CLIENTS" --duration "$KILL_BENCH"
  wait
  section "down"; $CLUSTER down
} 2>&1 | tee "$OUT/figures.txt"
