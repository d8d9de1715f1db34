#!/usr/bin/env bash
# SIGTERM under load (docs/PERFORMANCE.md 5.6): starts the service with the README's command, runs
# two load generators side by side (gRPC clients on one shared channel and HTTP keep-alive clients,
# 2 MP JPEGs), sends SIGTERM once both loads flow, and tallies how every request ended from both
# reports, the server's log and its exit status. Run from the project directory after
# `./mvnw -B package -DskipTests`, one at a time on a shared machine:
#
#   flock /tmp/bench.lock scripts/sigterm-under-load.sh
#
# What must hold: no gRPC CANCELLED / INTERNAL / UNKNOWN, no cut HTTP answer (a status that is
# neither a number nor a refused connection), exit status 0. The other outcomes are typed: OK / 200
# with the exact pixels (bench checks the PNG), UNAVAILABLE / 503 "shutting down", or, once the
# ports are closed, a refused connection.
#
# Environment: CONCURRENCY (clients per transport, default 100), SIGNAL_AFTER (seconds after both
# transports' first answers, default 10),
# IMAGE (default photo-2mp.jpg of `sample-images`), JAVA_OPTS (default -Xmx576m), SERVER_OPTS (extra
# -Ddw.* settings), PORTS "HTTP ADMIN GRPC" (default "21080 21081 21051"), OUT (default
# target/sigterm-under-load), JAR (default target/image-service.jar).
set -euo pipefail
cd "$(dirname "$0")/.."
concurrency=${CONCURRENCY:-100}
signal_after=${SIGNAL_AFTER:-10}
image=${IMAGE:-photo-2mp.jpg}
java_opts=${JAVA_OPTS:--Xmx576m}
read -r http_port admin_port grpc_port <<< "${PORTS:-21080 21081 21051}"
out=${OUT:-target/sigterm-under-load}
jar=${JAR:-target/image-service.jar}
[ -f "$jar" ] || { echo "build first: ./mvnw -B package -DskipTests" >&2; exit 2; }
command -v jq >/dev/null || { echo "needs jq (apt-get install -y jq)" >&2; exit 2; }
mkdir -p "$out"
java -jar "$jar" sample-images target/samples >/dev/null

pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

echo "load at start: $(cut -d' ' -f1-3 /proc/loadavg)"
# shellcheck disable=SC2086
HTTP_PORT=$http_port ADMIN_PORT=$admin_port GRPC_PORT=$grpc_port java $java_opts ${SERVER_OPTS:-} \
    -jar "$jar" server config.yml > "$out/server.log" 2>&1 &
server=$!; pids+=("$server")
until curl -sf -o /dev/null -F image=@"target/samples/$image" "http://127.0.0.1:$http_port/api/v1/process"; do
  kill -0 "$server" 2>/dev/null || { echo "the server did not start; see $out/server.log" >&2; exit 1; }
  sleep 0.1
done
until (exec 3<>"/dev/tcp/127.0.0.1/$grpc_port") 2>/dev/null; do sleep 0.1; done

bench() { # name target
  java -jar "$jar" bench --target "$2" --concurrency "$concurrency" --duration 30s --timeout 60s \
      --json "target/samples/$image" > "$out/$1.json" 2> "$out/$1.err" &
  pids+=("$!")
}
bench grpc "grpc://127.0.0.1:$grpc_port"
bench http "http://127.0.0.1:$http_port"
# The clock starts once both loads flow (a load generator's JVM takes seconds to start on a busy machine).
until grep -q 'ProcessImage ok' "$out/server.log" && [ "$(grep -c 'POST /api/v1/process ok' "$out/server.log")" -gt 1 ]; do
  sleep 0.1
done
sleep "$signal_after"
echo "SIGTERM ${signal_after} s after both loads flow (load $(cut -d' ' -f1 /proc/loadavg)); in the service:" \
  "$(curl -s "http://127.0.0.1:$admin_port/metrics" | jq -c '[.gauges | to_entries[] | select(.key | test("^image[.](admission[.](in-flight|queued)|memory[.](in-use|waiting)-bytes)$")) | {(.key): .value.value}] | add')"
kill -TERM "$server"
set +e
wait "$server"; status=$?
set -e
echo "server exit status: $status"
wait
trap - EXIT

for name in grpc http; do
  jq -r --arg name "$name" '"\($name): \(.requests) requests: " + ([.statuses | to_entries[] | "\(.key) \(.value)"] | join(", ")),
      (.firstErrors | to_entries[] | "  \(.key): \(.value | gsub("\\s+"; " ") | .[0:160])")' "$out/$name.json"
done
echo "server log: $(grep -c 'ProcessImage ok' "$out/server.log") gRPC and $(grep -c 'POST /api/v1/process ok' "$out/server.log") HTTP answers logged ok"
grep -E 'grace period|still running|SIGTERM|refuses new calls|Shutdown:|gRPC server stopped|WARN|ERROR' "$out/server.log" \
  | grep -v 'ProcessImage ok' | cut -c1-220 | head -20

# The verdict: every status typed.
bad=$(jq -r '.statuses | to_entries[] | select(.key | test("^(OK|UNAVAILABLE|RESOURCE_EXHAUSTED|200|503|connection refused)$") | not) | "\(.key) \(.value)"' \
    "$out/grpc.json" "$out/http.json")
if [ "$status" -ne 0 ] || [ -n "$bad" ]; then
  echo "NOT MET: exit status $status; untyped outcomes: ${bad:-none}" | tr '\n' ' '; echo
  exit 1
fi
echo "MET: every request ended OK / 200 or typed; exit status 0"
