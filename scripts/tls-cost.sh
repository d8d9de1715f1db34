#!/usr/bin/env bash
# Server CPU per request with and without TLS (issue 12): two servers side by side from the same
# jar and config, plaintext on 12080/12081/12051 and TLS (a self-signed P-256 certificate made
# here) on 12082/12083/12052; for each transport and image, each server is warmed, then measured
# with `bench --server-pid`, plain and TLS one after the other.
#
#   scripts/tls-cost.sh          (about 4 minutes with both transports; under `flock /tmp/bench.lock`)
#
# Environment: TRANSPORTS ("http grpc"), IMAGES ("photo-0.3mp.jpg photo-2mp.jpg"), CONCURRENCY (4),
# WARM (8s), MEASURE (15s), JAVA_OPTS (-Xmx576m).
set -euo pipefail
cd "$(dirname "$0")/.."
jar=target/image-service.jar
[ -f "$jar" ] || { echo "build first: ./mvnw -B package -DskipTests" >&2; exit 2; }
command -v jq >/dev/null || { echo "needs jq" >&2; exit 2; }
[ -f target/samples/photo-2mp.jpg ] || java -jar "$jar" sample-images target/samples >/dev/null
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj /CN=localhost \
  -addext subjectAltName=DNS:localhost,IP:127.0.0.1 -keyout "$work/key.pem" -out "$work/cert.pem" 2>/dev/null

start() { # http admin grpc [tls]
  local env=(HTTP_PORT="$1" ADMIN_PORT="$2" GRPC_PORT="$3" LOG_LEVEL=WARN)
  [ "${4:-}" = tls ] && env+=(TLS_CERT_FILE="$work/cert.pem" TLS_KEY_FILE="$work/key.pem")
  # shellcheck disable=SC2086
  env "${env[@]}" java ${JAVA_OPTS:--Xmx576m} -jar "$jar" server config.yml > "$work/server-$1.log" 2>&1 &
  pids+=("$!")
  until curl -sf -o /dev/null "http://127.0.0.1:$2/ping"; do sleep 0.25; done
}
start 12080 12081 12051
plain=${pids[-1]}
start 12082 12083 12052 tls
tls=${pids[-1]}

bench() { # target pid image extra... -> json
  local target=$1 pid=$2 image=$3; shift 3
  java -jar "$jar" bench --target "$target" --concurrency "${CONCURRENCY:-4}" --server-pid "$pid" --json "$@" \
    "target/samples/$image" 2>/dev/null
}
echo "load before: $(uptime | sed 's/.*load average: //')"
for transport in ${TRANSPORTS:-http grpc}; do
  for image in ${IMAGES:-photo-0.3mp.jpg photo-2mp.jpg}; do
    case $transport in
      http) p=http://127.0.0.1:12080; t=http://localhost:12082 ;;
      grpc) p=grpc://127.0.0.1:12051; t=grpc://localhost:12052 ;;
    esac
    bench "$p" "$plain" "$image" --duration "${WARM:-8s}" > /dev/null || true
    bench "$t" "$tls" "$image" --duration "${WARM:-8s}" --tls --ca-file "$work/cert.pem" > /dev/null || true
    a=$(bench "$p" "$plain" "$image" --duration "${MEASURE:-15s}")
    b=$(bench "$t" "$tls" "$image" --duration "${MEASURE:-15s}" --tls --ca-file "$work/cert.pem")
    jq -rn --argjson a "$a" --argjson b "$b" --arg n "$transport $image" --arg load "$(uptime | sed 's/.*load average: //')" \
      '"\($n): server CPU ms/request plain \($a.server.cpuMillisPerRequest * 100 | round / 100) (\($a.succeeded) ok), TLS \($b.server.cpuMillisPerRequest * 100 | round / 100) (\($b.succeeded) ok), TLS/plain \($b.server.cpuMillisPerRequest / $a.server.cpuMillisPerRequest * 100 | round / 100)x; req/s \($a.requestsPerSecond | round) vs \($b.requestsPerSecond | round); load \($load)"'
  done
done
