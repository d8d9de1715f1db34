#!/usr/bin/env bash
# Server CPU per image for one thumbnail job, side by side with sharp (Node.js on libvips):
# a 12 MP JPEG (4000x3000) -> fit inside 800x600 -> JPEG quality 80, one request at a time.
#
#   scripts/compare-sharp-resize.sh [IMAGES]     (default 40 measured images after 10 for warm-up)
#
# Ours: the jar's server (built with ./mvnw -B package -DskipTests), sent the JPEG as a raw HTTP body
# with op=resize:800:600:contain&format=jpeg&quality=80 by curl, one request after the other; its
# CPU is read from /proc/PID/stat (user + system, every thread) before and after.
# sharp: installed from npm (its prebuilt libvips) into a temporary folder that is removed at the
# end; sharp(jpeg).resize(800, 600, {fit: 'inside'}).jpeg({quality: 80}) in a loop, one at a time,
# with sharp's operation cache off; CPU from process.cpuUsage() (every thread of the process).
# Environment: HTTP_PORT / ADMIN_PORT / GRPC_PORT for our server (default 8080/8081/50051),
# SHARP_VERSION (default 0.35.5), JAVA_OPTS (default -Xmx576m).
set -euo pipefail
cd "$(dirname "$0")/.."
count=${1:-40}
warmup=10
http_port=${HTTP_PORT:-8080}
sharp_version=${SHARP_VERSION:-0.35.5}
java_opts=${JAVA_OPTS:--Xmx576m}
jar=target/image-service.jar
[ -f "$jar" ] || { echo "build first: ./mvnw -B package -DskipTests" >&2; exit 2; }
command -v node >/dev/null && command -v npm >/dev/null || { echo "needs node and npm" >&2; exit 2; }

work=$(mktemp -d)
server=""
cleanup() { [ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

java -jar "$jar" sample-images "$work" >/dev/null
photo=$work/photo-12mp.jpg

# --- ours ---------------------------------------------------------------------------------------
# shellcheck disable=SC2086
HTTP_PORT=$http_port ADMIN_PORT=${ADMIN_PORT:-8081} GRPC_PORT=${GRPC_PORT:-50051} LOG_LEVEL=WARN \
  java $java_opts -jar "$jar" server config.yml > "$work/server.log" 2>&1 &
server=$!
url="http://127.0.0.1:$http_port/api/v1/process?op=resize:800:600:contain&format=jpeg&quality=80"
post() { curl -sf --data-binary @"$photo" -H 'Content-Type: image/jpeg' -o "$1" -w '%{time_total}\n' "$url"; }
for _ in $(seq 1 240); do post /dev/null >/dev/null 2>&1 && break; sleep 0.25; done
for _ in $(seq 1 $warmup); do post /dev/null >/dev/null; done
tick=$(getconf CLK_TCK)
cpu() { awk '{print $14 + $15}' "/proc/$server/stat"; }
before=$(cpu)
for _ in $(seq 1 "$count"); do post "$work/ours.jpg"; done > "$work/ours.times"
after=$(cpu)
ours_cpu=$(awk -v t="$((after - before))" -v n="$count" -v hz="$tick" 'BEGIN { printf "%.1f", t / hz * 1000 / n }')
ours_wall=$(sort -n "$work/ours.times" | awk '{ a[NR] = $1 } END { printf "%.1f", a[int((NR + 1) / 2)] * 1000 }')
ours_size=$(stat -c %s "$work/ours.jpg")
ours_dims=$(file -b "$work/ours.jpg" | grep -o '[0-9]*x[0-9]*' | tail -1 || true)
kill "$server"; wait "$server" 2>/dev/null || true; server=""

# --- sharp --------------------------------------------------------------------------------------
npm install --silent --no-audit --no-fund --prefix "$work/node" "sharp@$sharp_version" >/dev/null
cat > "$work/node/run.js" <<'JS'
const sharp = require('sharp');
const fs = require('fs');
const [photo, out, count, warmup] = [process.argv[2], process.argv[3], +process.argv[4], +process.argv[5]];
sharp.cache(false); // every image decoded and resized anew, as a server sees different uploads
const input = fs.readFileSync(photo);
const job = () => sharp(input).resize(800, 600, { fit: 'inside' }).jpeg({ quality: 80 }).toBuffer({ resolveWithObject: true });
(async () => {
  for (let i = 0; i < warmup; i++) await job();
  const times = [];
  let last;
  const cpu0 = process.cpuUsage();
  for (let i = 0; i < count; i++) {
    const t0 = process.hrtime.bigint();
    last = await job();
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  const cpu = process.cpuUsage(cpu0);
  fs.writeFileSync(out, last.data);
  times.sort((a, b) => a - b);
  console.log(JSON.stringify({ cpu: (cpu.user + cpu.system) / 1000 / count, wall: times[Math.floor((count - 1) / 2)],
    size: last.data.length, dims: last.info.width + 'x' + last.info.height, vips: sharp.versions.vips,
    threads: sharp.concurrency() }));
})();
JS
sharp_json=$(node "$work/node/run.js" "$photo" "$work/sharp.jpg" "$count" "$warmup")
field() { node -e "const r = JSON.parse(process.argv[1]); const v = r[process.argv[2]]; console.log(typeof v === 'number' && !Number.isInteger(v) ? v.toFixed(1) : v)" "$sharp_json" "$1"; }

echo "12 MP JPEG (4000x3000, $(stat -c %s "$photo") bytes) -> inside 800x600 -> JPEG q80, one at a time, $count images after $warmup warm-up, $(nproc) cores"
printf '%-34s %10s %12s %10s %s\n' "" "CPU/image" "wall median" "bytes out" "size"
printf '%-34s %8s ms %9s ms %10s %s\n' "image-service (server process)" "$ours_cpu" "$ours_wall" "$ours_size" "$ours_dims"
printf '%-34s %8s ms %9s ms %10s %s\n' "sharp $sharp_version (libvips $(field vips), $(field threads) threads)" \
  "$(field cpu)" "$(field wall)" "$(field size)" "$(field dims)"
