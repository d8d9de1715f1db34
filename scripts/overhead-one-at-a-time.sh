#!/usr/bin/env bash
# One request at a time, after a JIT warm-up: where the server's CPU goes per request, by thread
# group (scripts/thread-cpu.py), over HTTP multipart, HTTP raw body and gRPC unary, per image.
# The image work alone is the "image workers" line; everything else is the server's overhead.
#
#   scripts/overhead-one-at-a-time.sh photo.jpg ...
#
# Environment: JAR (default target/image-service.jar), JAVA_OPTS (-Xmx576m, the README's),
# TRANSPORTS ("http-multipart http-raw grpc"; also grpc-newconn), PREWARM (0: seconds of all of them
# first), WARMUP (12s per transport and image, right before its measurement), MEASURE (10s),
# HTTP_PORT/ADMIN_PORT/GRPC_PORT (22080/22081/22051), OUT (target/overhead), THREAD_CPU_JSON (also
# append each breakdown as a JSON line there). Run under `flock /tmp/bench.lock` on a shared machine.
set -euo pipefail
cd "$(dirname "$0")/.."
[ "$#" -gt 0 ] || { echo "usage: $0 photo.jpg ..." >&2; exit 2; }
jar=${JAR:-target/image-service.jar}
java_opts=${JAVA_OPTS:--Xmx576m}
transports=${TRANSPORTS:-http-multipart http-raw grpc}
warmup=${WARMUP:-12s}
measure=${MEASURE:-10s}
http_port=${HTTP_PORT:-22080}
grpc_port=${GRPC_PORT:-22051}
out=${OUT:-target/overhead}
mkdir -p "$out"
[ -f "$jar" ] || { echo "build first: ./mvnw -B package -DskipTests" >&2; exit 2; }

# shellcheck disable=SC2086
HTTP_PORT=$http_port ADMIN_PORT=${ADMIN_PORT:-22081} GRPC_PORT=$grpc_port LOG_LEVEL=WARN \
  java $java_opts -Xlog:gc:file="$out/gc.log" -jar "$jar" server config.yml > "$out/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
until curl -sf -o /dev/null -F image=@"$1" "http://127.0.0.1:$http_port/api/v1/process"; do
  kill -0 $server || { echo "server did not start: $out/server.log" >&2; exit 1; }
  sleep 0.2
done
echo "server $server ($java_opts), $(uptime | sed 's/.*load/load/')"

bench() { # transport duration image
  local target
  case $1 in
    http-multipart) target=(--target "http://127.0.0.1:$http_port" --http-body multipart) ;;
    http-raw) target=(--target "http://127.0.0.1:$http_port" --http-body raw) ;;
    grpc) target=(--target "grpc://127.0.0.1:$grpc_port") ;;
    grpc-newconn) target=(--target "grpc://127.0.0.1:$grpc_port" --new-connection-per-request) ;;
  esac
  java -XX:TieredStopAtLevel=1 -jar "$jar" bench "${target[@]}" --concurrency 1 --duration "$2" --json "$3"
}

# The JIT settles only after thousands of requests (PERFORMANCE.md 4.5.3: the compiler threads took 0.4-3.8 s of
# CPU per 10 s window of 0.3 MP gRPC calls in the first 60 s, unsettled): PREWARM seconds of every transport
# and image in turn, before anything is measured.
prewarm=${PREWARM:-0}
if [ "$prewarm" -gt 0 ]; then
  slice=$(( prewarm / ($# * $(echo $transports | wc -w)) + 1 ))
  for f in "$@"; do for t in $transports; do bench "$t" "${slice}s" "$f" > /dev/null; done; done
  echo "prewarmed ${prewarm}s, $(uptime | sed 's/.*load/load/')"
fi

for f in "$@"; do
  for t in $transports; do
    bench "$t" "$warmup" "$f" > /dev/null
    scripts/thread-cpu.py snap $server > "$out/before.json"
    bench "$t" "$measure" "$f" > "$out/run.json"
    scripts/thread-cpu.py snap $server > "$out/after.json"
    n=$(jq .succeeded "$out/run.json")
    [ "$(jq .failed "$out/run.json")" = 0 ] || echo "FAILED requests: $(jq -c .statuses "$out/run.json")"
    scripts/thread-cpu.py diff "$out/before.json" "$out/after.json" "$n" "$t $(basename "$f") (load $(cut -d' ' -f1 /proc/loadavg))"
  done
done
