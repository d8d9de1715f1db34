#!/usr/bin/env bash
# /ping and /healthcheck latency while 200 gRPC clients send 2 MP images (issue 12: p99 < 100 ms),
# beside a control: a trivial `python3 -m http.server` probed in the same loop, whose latency is
# what the machine alone costs. One run per value of IMAGE_WORK_NICE (the image work threads' nice
# increment, config.yml ops.imageWorkNice), side by side, each on a fresh server.
#
#   scripts/probes-under-load.sh [NICE ...]     (default "0 10"; ~80 s each; under `flock /tmp/bench.lock`)
#
# Environment: CLIENTS (200), LOAD (40s), IMAGE (target/samples/photo-2mp.jpg), JAVA_OPTS (-Xmx576m),
# ports GRPC_PORT/HTTP_PORT/ADMIN_PORT (12051/12080/12081), CONTROL_PORT (12090).
set -euo pipefail
cd "$(dirname "$0")/.."
jar=target/image-service.jar
[ -f "$jar" ] || { echo "build first: ./mvnw -B package -DskipTests" >&2; exit 2; }
image=${IMAGE:-target/samples/photo-2mp.jpg}
[ -f "$image" ] || java -jar "$jar" sample-images target/samples >/dev/null
grpc=${GRPC_PORT:-12051}
admin=${ADMIN_PORT:-12081}
control=${CONTROL_PORT:-12090}
clients=${CLIENTS:-200}
load=${LOAD:-40s}
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

echo ok > "$work/index.html"
python3 -m http.server "$control" --bind 127.0.0.1 --directory "$work" >/dev/null 2>&1 &
pids+=("$!")

cat > "$work/probe.py" <<'EOF'
import sys, time, urllib.request
admin, control, seconds = sys.argv[1], sys.argv[2], float(sys.argv[3])
urls = {"/ping": f"http://127.0.0.1:{admin}/ping", "/healthcheck": f"http://127.0.0.1:{admin}/healthcheck",
        "control": f"http://127.0.0.1:{control}/index.html"}
times = {name: [] for name in urls}
failed = {name: 0 for name in urls}
end = time.monotonic() + seconds
while time.monotonic() < end:
    for name, url in urls.items():
        start = time.monotonic()
        try:
            urllib.request.urlopen(url, timeout=10).read()
            times[name].append((time.monotonic() - start) * 1000)
        except Exception:
            failed[name] += 1
    time.sleep(0.05)
def pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * p))] if values else float("nan")
print("  ".join(f"{name} p50 {pct(v, .5):.1f} / p99 {pct(v, .99):.1f} ms ({len(v)}, {failed[name]} failed)"
                for name, v in times.items()))
EOF

for nice in "${@:-0 10}"; do
  for n in $nice; do
    # shellcheck disable=SC2086
    IMAGE_WORK_NICE=$n GRPC_PORT=$grpc HTTP_PORT=${HTTP_PORT:-12080} ADMIN_PORT=$admin LOG_LEVEL=WARN \
      java ${JAVA_OPTS:--Xmx576m} -jar "$jar" server config.yml > "$work/server-$n.log" 2>&1 &
    server=$!; pids+=("$server")
    until curl -sf -o /dev/null "http://127.0.0.1:$admin/ping"; do
      kill -0 "$server" 2>/dev/null || { tail -3 "$work/server-$n.log" >&2; exit 1; }
      sleep 0.25
    done
    java -jar "$jar" bench --target "grpc://127.0.0.1:$grpc" --concurrency 16 --duration 10s "$image" >/dev/null 2>&1 || true
    java -jar "$jar" bench --target "grpc://127.0.0.1:$grpc" --concurrency "$clients" --duration "$load" \
      --server-pid "$server" --json "$image" > "$work/bench-$n.json" 2>/dev/null &
    bench=$!
    sleep 8
    result=$(python3 "$work/probe.py" "$admin" "$control" "$(( ${load%s} - 10 ))")
    echo "imageWorkNice $n, $(uptime | sed 's/.*load average: /load /'): $result"
    wait "$bench" || true
    jq -r '"  bench: \(.requests) calls, \(.succeeded) ok, \(.requestsPerSecond * 10 | round / 10) req/s, p50 \(.latencyMillis.p50 | round) ms, server CPU \(.server.cpuMillisPerRequest | round) ms/call"' "$work/bench-$n.json" || true
    kill "$server"; wait "$server" 2>/dev/null || true
  done
done
