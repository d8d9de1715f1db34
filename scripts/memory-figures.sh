#!/usr/bin/env bash
# The memory-budget figures of docs/PERFORMANCE.md 5.6 (issue 11): 200 concurrent 12 MP calls over
# gRPC on one channel, gRPC with a new connection per call, HTTP (multipart and raw), and 200 gRPC +
# 200 HTTP at once, each against a fresh server started as the README says (`java -Xmx576m -jar ...
# server config.yml`). Per run: the bench report (answers by outcome, throughput, latency, server
# CPU per request), the server's peak RSS (VmHWM), its GC pause total, and whether a 2 MP upload
# right after is answered normally. Run from the project directory after
# `./mvnw -B package -DskipTests`, under `flock /tmp/bench.lock` on a shared machine.
#
#   scripts/memory-figures.sh [SCENARIO...]
#     scenarios: grpc-channel grpc-newconn http http-raw mixed mixed-raw k6-2mp (default: all but k6-2mp;
#     k6-2mp is the tutorial's scenario at 2 MP, 200 clients, a new connection per request)
#
# Environment: JAR (default target/image-service.jar), JAVA_OPTS (default -Xmx576m, the README's; with
# -XX:NativeMemoryTracking=summary each run also prints NMT's summary), DURATION (20s),
# CONCURRENCY (200), TIMEOUT (240s), IMAGES (directory, default target/samples), OUT (directory for
# logs, default target/memory-figures), HTTP_PORT/ADMIN_PORT/GRPC_PORT (11080/11081/11051),
# SNAPSHOTS (seconds after the load starts, e.g. "12 30": at each, where the resident memory is:
# VmRSS/VmHWM, `pmap -x` summed by kind, NMT when enabled, `GC.heap_info`, and last a class
# histogram of the live heap, which runs a full GC; into OUT/NAME-snapshot-SECONDS/). Every run
# also records VmRSS each second in OUT/NAME-rss.txt. THREAD_CPU=1: after each run, the server's CPU
# per answered request by thread group (scripts/thread-cpu.py; in the mixed runs, over both at once).
set -euo pipefail
cd "$(dirname "$0")/.."
jar=${JAR:-target/image-service.jar}
java_opts=${JAVA_OPTS:--Xmx576m}
duration=${DURATION:-20s}
concurrency=${CONCURRENCY:-200}
timeout=${TIMEOUT:-240s}
images=${IMAGES:-target/samples}
out=${OUT:-target/memory-figures}
http_port=${HTTP_PORT:-11080}
admin_port=${ADMIN_PORT:-11081}
grpc_port=${GRPC_PORT:-11051}
scenarios=("$@")
[ ${#scenarios[@]} -gt 0 ] || scenarios=(grpc-channel grpc-newconn http http-raw mixed mixed-raw)
[ -f "$jar" ] || { echo "build first: ./mvnw -B package -DskipTests" >&2; exit 2; }
command -v jq >/dev/null || { echo "needs jq (apt-get install -y jq)" >&2; exit 2; }
mkdir -p "$out"
[ -f "$images/photo-12mp.jpg" ] || java -jar "$jar" sample-images "$images" >/dev/null

server=""
cleanup() { [ -n "$server" ] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null; server=""; }
trap cleanup EXIT

start_server() { # name
  # shellcheck disable=SC2086
  HTTP_PORT=$http_port ADMIN_PORT=$admin_port GRPC_PORT=$grpc_port LOG_LEVEL=WARN \
    java $java_opts -Xlog:gc:file="$out/$1-gc.log" -jar "$jar" server config.yml > "$out/$1-server.log" 2>&1 &
  server=$!
  until curl -sf -o /dev/null -F image=@"$images/photo-0.3mp.jpg" "http://127.0.0.1:$http_port/api/v1/process"; do
    kill -0 "$server" || { echo "server did not start: $out/$1-server.log" >&2; exit 1; }
    sleep 0.2
  done
}

snapshot() { # name seconds: where the resident memory is at that moment
  local dir="$out/$1-snapshot-$2" pid=$server
  mkdir -p "$dir"
  grep -E '^(VmHWM|VmRSS|RssAnon|RssFile|Threads)' "/proc/$pid/status" > "$dir/status.txt"
  pmap -x "$pid" > "$dir/pmap.txt" 2>&1 || true
  jcmd "$pid" VM.native_memory summary > "$dir/nmt.txt" 2>&1 || true
  jcmd "$pid" GC.heap_info > "$dir/heap-info.txt" 2>&1 || true
  scripts/pmap-kinds.py "$dir/pmap.txt" "$dir/heap-info.txt" > "$dir/pmap-summary.txt" 2>&1 || true
  jcmd "$pid" GC.class_histogram > "$dir/histogram.txt" 2>&1 || true
  echo "snapshot $1 at ${2}s: $(tr '\n' ' ' < "$dir/status.txt" | tr -s ' ')| pmap: $(tr '\n' ' ' < "$dir/pmap-summary.txt")"
}

probe() { # name: VmRSS each second, and the snapshots
  local name=$1 t=0
  while kill -0 "$server" 2>/dev/null; do
    echo "$t $(awk '/VmRSS/ {print int($2 / 1024)}' "/proc/$server/status" 2>/dev/null)" >> "$out/$name-rss.txt"
    for s in ${SNAPSHOTS:-}; do [ "$s" = "$t" ] && snapshot "$name" "$s" >> "$out/$name-snapshots.txt"; done
    sleep 1; t=$((t + 1))
  done
}

bench() { # name target extra... ; prints one line
  local name=$1 target=$2; shift 2
  [ -n "${THREAD_CPU:-}" ] && scripts/thread-cpu.py snap "$server" > "$out/$name-threads-before.json"
  java -jar "$jar" bench --target "$target" --concurrency "$concurrency" --ramp 1s --duration "$duration" \
      --timeout "$timeout" --server-pid "$server" --json "$@" > "$out/$name.json" 2> "$out/$name.err" || true
  jq -r --arg name "$name" '"\($name): \(.requests) requests, \(.succeeded) ok, \(.failed) failed, \(.unfinished) unfinished, statuses \(.statuses | tostring), \(.requestsPerSecond * 100 | round / 100) req/s, p50 \(.latencyMillis.p50 / 1000 * 10 | round / 10) s, p99 \(.latencyMillis.p99 / 1000 * 10 | round / 10) s, server CPU \(.server.cpuMillisPerRequest | round) ms/req"' \
      "$out/$name.json" 2>/dev/null || { echo "$name: bench failed, see $out/$name.err"; }
  if [ -n "${THREAD_CPU:-}" ]; then # where the server's CPU went, by thread group (per answered request)
    scripts/thread-cpu.py snap "$server" > "$out/$name-threads-after.json"
    scripts/thread-cpu.py diff "$out/$name-threads-before.json" "$out/$name-threads-after.json" \
      "$(jq '[.succeeded, 1] | max' "$out/$name.json")" "$name" || true
  fi
}

after() { # name: the server's peak RSS and GC pauses, and a 2 MP upload right after
  local name=$1 status hwm gc
  status=$(curl -s -o /dev/null -w '%{http_code} %{size_download} B' -F image=@"$images/photo-2mp.jpg" \
      "http://127.0.0.1:$http_port/api/v1/process")
  hwm=$(awk '/VmHWM/ {printf "%d MiB", $2/1024}' "/proc/$server/status")
  gc=$(grep -o 'Pause[^)]*) [0-9.]*ms\|Pause.* [0-9.]*ms$' "$out/$name-gc.log" | awk '{s += $NF + 0} END {printf "%.1f s in %d pauses", s/1000, NR}')
  echo "$name: VmHWM $hwm; GC $gc; 2 MP right after: HTTP $status; load $(cut -d' ' -f1-3 /proc/loadavg)"
  case $java_opts in *NativeMemoryTracking*) # where the resident memory is, as the JVM counts it
    jcmd "$server" VM.native_memory summary > "$out/$name-nmt.txt" 2>&1 || true
    grep -E '^Total|^-  *(Java Heap|Class|Thread|Code|GC|Internal|Other|Symbol|Arena|Native Memory|Metaspace)' "$out/$name-nmt.txt" \
      | sed 's/^-  */  /; s/(reserved=[0-9]*KB, //' ;;
  esac
}

photo=$images/photo-12mp.jpg
for scenario in "${scenarios[@]}"; do
  start_server "$scenario"
  rm -f "$out/$scenario-rss.txt" "$out/$scenario-snapshots.txt"
  probe "$scenario" & prober=$!
  case $scenario in
    grpc-channel) bench "$scenario" "grpc://127.0.0.1:$grpc_port" "$photo" ;;
    grpc-newconn) bench "$scenario" "grpc://127.0.0.1:$grpc_port" --new-connection-per-request "$photo" ;;
    http) bench "$scenario" "http://127.0.0.1:$http_port" "$photo" ;;
    http-raw) bench "$scenario" "http://127.0.0.1:$http_port" --http-body raw "$photo" ;;
    mixed|mixed-raw)
      body=multipart; [ "$scenario" = mixed-raw ] && body=raw
      bench "$scenario-grpc" "grpc://127.0.0.1:$grpc_port" "$photo" > "$out/$scenario-grpc.line" & first=$!
      bench "$scenario-http" "http://127.0.0.1:$http_port" --http-body "$body" "$photo" > "$out/$scenario-http.line" & second=$!
      wait "$first" "$second" || true
      cat "$out/$scenario-grpc.line" "$out/$scenario-http.line"
      jq -rs '"both: \(.[0].requests + .[1].requests) requests, \(.[0].succeeded + .[1].succeeded) ok (\((.[0].succeeded + .[1].succeeded) * 1000 / (.[0].requests + .[1].requests) | round / 10)%), server CPU \(([.[].server.cpuMillis] | max) / (.[0].requests + .[1].requests) | round) ms/req"' \
        "$out/$scenario-grpc.json" "$out/$scenario-http.json" || true ;;
    k6-2mp) # the tutorial's k6 scenario: 200 clients, a new connection per request, 2 MP; warm-up first
      duration=10s bench "$scenario-warmup" "grpc://127.0.0.1:$grpc_port" --new-connection-per-request "$images/photo-2mp.jpg" >/dev/null
      bench "$scenario" "grpc://127.0.0.1:$grpc_port" --new-connection-per-request "$images/photo-2mp.jpg"
      # The image work alone: 30 requests one at a time; the processor's own time, and the server's CPU.
      cpu_ticks() { awk '{print $14 + $15}' "/proc/$server/stat"; }
      before=$(cpu_ticks)
      times=$(for _ in $(seq 30); do
        curl -s -o /dev/null -D - --data-binary @"$images/photo-2mp.jpg" -H 'Content-Type: image/jpeg' \
          "http://127.0.0.1:$http_port/api/v1/process" | tr -d '\r' | awk -F': ' 'tolower($1) == "x-processing-time-ms" {print $2}'
      done | sort -n)
      cpu_ms=$(( ($(cpu_ticks) - before) * 10 ))
      echo "$times" | awk -v cpu="$cpu_ms" -v name="$scenario" \
        '{t[NR] = $1} END {printf "%s one at a time (HTTP, raw body): processing %.1f ms median (X-Processing-Time-Ms), server CPU %.0f ms/req\n", name, t[int((NR + 1) / 2)], cpu / NR}' ;;
    *) echo "unknown scenario $scenario" >&2; exit 2 ;;
  esac
  after "$scenario"
  kill "$prober" 2>/dev/null; wait "$prober" 2>/dev/null || true
  [ -f "$out/$scenario-snapshots.txt" ] && cat "$out/$scenario-snapshots.txt"
  cleanup
done
