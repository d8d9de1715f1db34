#!/usr/bin/env bash
# Side-by-side load measurement of image-service and, when available, the tutorial's Python
# server, with the project's own load generator (bench). Prints one line per run; the numbers in
# docs/PERFORMANCE.md come from this script. Run it on a quiet machine, from the project directory,
# after `./mvnw -B package -DskipTests`.
#
#   scripts/measure.sh [REPEATS]          (default 3; quote the median of the repeats)
#
# Environment: REFERENCE=path/to/reference-python (default ../shared/tools/reference-python; skipped
# when missing), DURATION (default 10s), CONCURRENCY (default 200), JAVA_OPTS for the server (default
# -Xmx576m, as in the README's start command), WARMUP (default 10s per transport and image), RECONNECT (default true: a new connection per request,
# as the tutorial's k6 test; false keeps connections), IMAGES (default "photo-0.3mp.jpg photo-2mp.jpg"),
# GRPC_PORT / HTTP_PORT / ADMIN_PORT for our server (default 50051/8080/8081) and REF_PORT for the
# tutorial's (default 50061): on a shared machine give each run ports of its own.
set -euo pipefail
cd "$(dirname "$0")/.."
repeats=${1:-3}
duration=${DURATION:-10s}
warmup=${WARMUP:-10s}
concurrency=${CONCURRENCY:-200}
reference=${REFERENCE:-../shared/tools/reference-python}
java_opts=${JAVA_OPTS:--Xmx576m}
images=${IMAGES:-photo-0.3mp.jpg photo-2mp.jpg}
grpc_port=${GRPC_PORT:-50051}
http_port=${HTTP_PORT:-8080}
admin_port=${ADMIN_PORT:-8081}
ref_port=${REF_PORT:-50061}
reconnect=()
[ "${RECONNECT:-true}" = true ] && reconnect=(--new-connection-per-request)
jar=target/image-service.jar
[ -f "$jar" ] || { echo "build first: ./mvnw -B package -DskipTests" >&2; exit 2; }
command -v jq >/dev/null || { echo "needs jq (apt-get install -y jq)" >&2; exit 2; }
java -jar "$jar" sample-images target/samples >/dev/null

pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

wait_port() { for _ in $(seq 1 120); do (exec 3<>/dev/tcp/127.0.0.1/"$1") 2>/dev/null && return 0; sleep 0.25; done; return 1; }

# Our server, alone in its JVM.
start=$(date +%s%N)
# shellcheck disable=SC2086
GRPC_PORT=$grpc_port HTTP_PORT=$http_port ADMIN_PORT=$admin_port LOG_LEVEL=WARN java $java_opts -jar "$jar" server config.yml > target/measure-server.log 2>&1 &
ours=$!; pids+=("$ours")
until curl -sf -o /dev/null -F image=@target/samples/photo-0.3mp.jpg http://127.0.0.1:$http_port/api/v1/process; do sleep 0.05; done
echo "startup: launch to first served request $(( ($(date +%s%N) - start) / 1000000 )) ms (java $java_opts)"
wait_port "$grpc_port"

theirs=""
if [ -x "$reference" ]; then
  theirs=$("$reference" server "$ref_port"); pids+=("$theirs")
  wait_port "$ref_port"
fi

# bench's client logs to stdout too (e.g. gRPC's ERROR that the tutorial's server has no health
# service): only the JSON report, from its opening brace to its closing one, goes to jq.
run() { # name target pid image extra...
  local name=$1 target=$2 pid=$3 image=$4; shift 4
  java -jar "$jar" bench --target "$target" --concurrency "$concurrency" --ramp 1s --duration "$duration" \
      --server-pid "$pid" --json "$@" "target/samples/$image" 2>/dev/null \
    | sed -n '/^{/,/^}/p' \
    | jq -r --arg name "$name" --arg image "$image" \
      '"\($name) \($image): \(.requests) req, \(.failed) failed, \(.requestsPerSecond * 10 | round / 10) req/s, p50 \(.latencyMillis.p50 | round) ms, p99 \(.latencyMillis.p99 | round) ms, server CPU \(.server.cpuMillisPerRequest * 10 | round / 10) ms/req, peak RSS \(.server.peakRssKiB / 1024 | round) MiB"' \
    || echo "$name $image: run failed"
}

for image in $images; do
  # Warm-up, thrown away: the JIT compiles the hot paths (it takes ~70 s of traffic to settle,
  # PERFORMANCE 4.5.3: WARMUP=80s for steady-state figures), on both transports, as measured.
  for target in grpc://127.0.0.1:$grpc_port http://127.0.0.1:$http_port; do
    java -jar "$jar" bench --target "$target" --concurrency 16 --duration "$warmup" "${reconnect[@]}" \
        "target/samples/$image" >/dev/null 2>&1 || true
  done
  for r in $(seq 1 "$repeats"); do
    run "ours-grpc#$r" grpc://127.0.0.1:$grpc_port "$ours" "$image" "${reconnect[@]}"
    [ -n "$theirs" ] && run "tutorial-grpc#$r" grpc://127.0.0.1:$ref_port "$theirs" "$image" "${reconnect[@]}"
    run "ours-http#$r" http://127.0.0.1:$http_port "$ours" "$image" "${reconnect[@]}"
  done
done
