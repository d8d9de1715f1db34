#!/usr/bin/env bash
# One request at a time over HTTP: our server's CPU per image (from /proc, after JIT warm-up)
# beside the tutorial's bare flip_channel_and_to_bytes (imdecode, cvtColor, imencode in Python,
# no gRPC) on the same files, in the same run. Means per image over ROUNDS requests.
#
#   scripts/http-vs-tutorial.sh [ROUNDS] photo.jpg ...     (default 15 measured requests per file)
#
# Needs a built jar (./mvnw -B package -DskipTests), curl, and the tutorial's code as
# ../shared/tools/reference-python sets it up (REFERENCE=path to override; it installs Debian's
# python3-opencv). Ports: HTTP_PORT/ADMIN_PORT/GRPC_PORT (default 8080/8081/50051), REF_PORT for
# the tutorial's set-up run (default 50069). Our figure is the server's CPU (from /proc, in clock
# ticks of 10 ms) over all measured requests of a file divided by their number: a per-request
# delta would be mostly rounding. It includes what the server spends besides the request (GC,
# timers), as a user's bill would. Below each line, the same CPU by thread group (scripts/thread-cpu.py).
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=15
if [[ "${1:-}" =~ ^[0-9]+$ ]]; then rounds=$1; shift; fi
[ "$#" -gt 0 ] || { echo "usage: $0 [ROUNDS] photo.jpg ..." >&2; exit 2; }
jar=target/image-service.jar
[ -f "$jar" ] || { echo "build first: ./mvnw -B package -DskipTests" >&2; exit 2; }
reference=${REFERENCE:-../shared/tools/reference-python}
http_port=${HTTP_PORT:-8080}
hz=$(getconf CLK_TCK)
cpu_ms() { awk -v hz="$hz" '{ sub(/.*\) /, ""); print ($12 + $13) * 1000 / hz }' "/proc/$1/stat"; }

HTTP_PORT=$http_port ADMIN_PORT=${ADMIN_PORT:-8081} GRPC_PORT=${GRPC_PORT:-50051} LOG_LEVEL=WARN \
  java -Xmx576m -jar "$jar" server config.yml > target/http-vs-tutorial-server.log 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
post() { curl -sf -o /dev/null -F "image=@$1" "http://127.0.0.1:$http_port/api/v1/process"; }
until post "$1" 2>/dev/null; do sleep 0.1; done

# The tutorial's process.py, extracted by its own tool (starting its server once does the set-up).
if [ ! -f /tmp/reference-python/process.py ] && [ -x "$reference" ]; then
  pid=$("$reference" server "${REF_PORT:-50069}"); kill "$pid" 2>/dev/null || true
fi

for f in "$@"; do
  f=$(realpath "$f")                                 # the tutorial's side reads it from its own directory
  for _ in $(seq 1 40); do post "$f"; done           # JIT warm-up for this size
  before=$(cpu_ms $server)
  scripts/thread-cpu.py snap $server > target/http-vs-tutorial-before.json
  for _ in $(seq 1 "$rounds"); do post "$f"; done
  scripts/thread-cpu.py snap $server > target/http-vs-tutorial-after.json
  after=$(cpu_ms $server)
  ours=$(echo "scale=1; ($after - $before) / $rounds" | bc -l)
  theirs=$(cd /tmp/reference-python && python3 - "$f" "$rounds" <<'PY'
import sys, time, statistics
from process import flip_channel_and_to_bytes
data = open(sys.argv[1], "rb").read()
for _ in range(3):
    flip_channel_and_to_bytes(data)
cpu = []
for _ in range(int(sys.argv[2])):
    t = time.process_time(); flip_channel_and_to_bytes(data); cpu.append((time.process_time() - t) * 1000)
print(round(statistics.mean(cpu), 1))
PY
)
  echo "$f: ours over HTTP ${ours} ms server CPU/image, tutorial's bare flip_channel_and_to_bytes ${theirs} ms CPU/image, ratio $(echo "scale=2; $ours / $theirs" | bc -l)"
  # Where ours went, by thread group (scripts/thread-cpu.py; nanosecond counts, so it may differ a little from the ticks above)
  scripts/thread-cpu.py diff target/http-vs-tutorial-before.json target/http-vs-tutorial-after.json "$rounds" "  ours, $(basename "$f")"
done
