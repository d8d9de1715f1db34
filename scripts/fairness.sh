#!/usr/bin/env bash
# Fair shares measured (issue 12): client B sends one call at a time, first alone, then while
# client A keeps 500 calls queued; both over gRPC with their own API key (alice, bob), so the
# server sees two clients. Prints B's figures alone and under A side by side, A's throughput, and
# B's arrival-to-answer time as the server logged it (to tell the server's share of B's latency
# from the rest: the client JVMs, the kernel, the machine).
#
#   scripts/fairness.sh            (about 2 minutes; run it under `flock /tmp/bench.lock`)
#
# A's load generator runs at nice 19 by default: in a real deployment the clients run on other
# machines and do not take the server's cores; here A's 500 concurrent calls would otherwise take a
# large part of the 2 cores from the server and from B's own client, which measures the machine, not
# the server's fairness. B's generator runs at normal priority, alone and under A alike.
#
# Environment: IMAGE (default target/samples/photo-0.3mp.jpg), ALONE (20s), UNDER (25s),
# A_CONCURRENCY (500), A_NICE (19; 0 runs A's generator at the same priority as the server),
# JAR (target/image-service.jar; another build to compare), JAVA_OPTS (-Xmx576m),
# ports GRPC_PORT/HTTP_PORT/ADMIN_PORT (12051/12080/12081).
set -euo pipefail
cd "$(dirname "$0")/.."
jar=${JAR:-target/image-service.jar}
[ -f "$jar" ] || { echo "build first: ./mvnw -B package -DskipTests" >&2; exit 2; }
command -v jq >/dev/null || { echo "needs jq (apt-get install -y jq)" >&2; exit 2; }
image=${IMAGE:-target/samples/photo-0.3mp.jpg}
[ -f "$image" ] || java -jar "$jar" sample-images target/samples >/dev/null
grpc=${GRPC_PORT:-12051}
alone=${ALONE:-20s}
under=${UNDER:-25s}
a_conc=${A_CONCURRENCY:-500}
a_nice=${A_NICE:-19}
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap 'cleanup; [ -s "$work/bench.err" ] && tail -5 "$work/bench.err" >&2' EXIT

alice=$(openssl rand -hex 24)
bob=$(openssl rand -hex 24)
printf 'alice:%s\nbob:%s\n' "$alice" "$bob" > "$work/keys"

# shellcheck disable=SC2086
API_KEYS_FILE="$work/keys" GRPC_PORT=$grpc HTTP_PORT=${HTTP_PORT:-12080} ADMIN_PORT=${ADMIN_PORT:-12081} \
  java ${JAVA_OPTS:--Xmx576m} -jar "$jar" server config.yml > "$work/server.log" 2>&1 &
server=$!; pids+=("$server")
for _ in $(seq 1 240); do (exec 3<>/dev/tcp/127.0.0.1/"$grpc") 2>/dev/null && break; sleep 0.25; done
kill -0 "$server" 2>/dev/null || { grep -v '^\s*at ' "$work/server.log" | tail -3 >&2; exit 1; }

# B's image: A's with 16 bytes after the JPEG's end (ignored by the decoder), so the server's log
# tells B's calls from A's by their input size.
(cat "$image"; printf '0123456789abcdef') > "$work/b.jpg"
b_size=$(stat -c %s "$work/b.jpg")
bench() { # key concurrency duration extra...
  local key=$1 conc=$2 dur=$3; shift 3
  java -jar "$jar" bench --target "grpc://127.0.0.1:$grpc" --api-key "$key" --concurrency "$conc" \
      --duration "$dur" --json "$@" "$work/b.jpg" 2>>"$work/bench.err"
}
line() { # name json
  jq -r --arg n "$1" '"\($n): \(.requests) req, \(.failed) failed, \(.requestsPerSecond * 10 | round / 10) req/s, p50 \(.latencyMillis.p50 * 10 | round / 10) ms, p90 \(.latencyMillis.p90 * 10 | round / 10) ms, p99 \(.latencyMillis.p99 * 10 | round / 10) ms, client CPU \(.clientCpuMillisPerRequest * 10 | round / 10) ms/req\(if .server then ", server CPU \(.server.cpuMillisPerRequest * 10 | round / 10) ms/req (\(.server.cpuMillis / 1000 / .elapsedSeconds * 100 | round)% of a core)" else "" end)"' "$2"
}
# B's calls as the server logged them ("ProcessImage ok ... in N ms": from the call's start, its
# whole message received, to its answer handed to gRPC for writing).
server_ms() { # from-line
  { tail -n +"$1" "$work/server.log" | grep "ProcessImage ok: in=$b_size B" || true; } | sed -E 's/.* in ([0-9.]+) ms.*/\1/' \
    | sort -n | awk '{a[NR]=$1} END {if (NR) printf "server-side arrival to answer, %d calls: p50 %d ms, p90 %d ms\n", NR, a[int(NR*0.5)+1], a[int(NR*0.9)+1]; else print "no server lines"}'
}

echo "load before: $(uptime | sed 's/.*load/load/')"
bench "$bob" 4 10s > /dev/null || true          # warm-up, thrown away
mark=$(($(wc -l < "$work/server.log") + 1))
bench "$bob" 1 "$alone" > "$work/alone.json"
line "B alone (idle server)" "$work/alone.json"
server_ms "$mark"

# A fills its 500 places first, then B runs while A keeps them full.
nice -n "$a_nice" java -jar "$jar" bench --target "grpc://127.0.0.1:$grpc" --api-key "$alice" \
  --concurrency "$a_conc" --duration "$(( ${under%s} + 12 ))s" --timeout 300s --server-pid "$server" --json "$image" \
  > "$work/a.json" 2>/dev/null &
a=$!; pids+=("$a")
sleep 8
mark=$(($(wc -l < "$work/server.log") + 1))
bench "$bob" 1 "$under" > "$work/under.json"
line "B while A keeps $a_conc calls queued (A at nice $a_nice)" "$work/under.json"
server_ms "$mark"
echo "load during: $(uptime | sed 's/.*load/load/')"
wait "$a" || true
line "A" "$work/a.json"
