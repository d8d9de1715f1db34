#!/usr/bin/env bash
# The same JPEG -> channel-swapped PNG job through sharp (npm, prebuilt libvips) beside our
# processor, on this machine, one image at a time on one thread: CPU milliseconds per image
# (medians) and PNG sizes. sharp is a peer users might pick instead; it is installed into a
# temporary folder and is no dependency of the project.
#
#   scripts/compare-sharp.sh [ROUNDS] photo.jpg ...      (default 15 rounds)
#
# Needs node + npm (Debian: apt-get install -y nodejs npm) and a built project
# (./mvnw -B -q test-compile). Run on a quiet machine; on a shared one under
# `flock /tmp/bench.lock`, as the figures in docs/PERFORMANCE.md were.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=15
if [[ "${1:-}" =~ ^[0-9]+$ ]]; then rounds=$1; shift; fi
[ "$#" -gt 0 ] || { echo "usage: $0 [ROUNDS] photo.jpg ..." >&2; exit 2; }
files=(); for f in "$@"; do files+=("$(realpath "$f")"); done

dir=$(mktemp -d /tmp/compare-sharp.XXXXXX)
trap 'rm -rf "$dir"' EXIT
(cd "$dir" && npm init -y >/dev/null && npm install --no-audit --no-fund sharp@0.34 >/dev/null 2>&1) \
  || { echo "could not install sharp from npm" >&2; exit 1; }
cat > "$dir/bench.js" <<'JS'
const sharp = require('sharp');
const fs = require('fs');
sharp.concurrency(1);           // libvips threads: one, like our single-threaded processor
sharp.cache(false);             // no result cache: every round decodes and encodes again
const rounds = Number(process.argv[2]);
const swap = [[0, 0, 1], [0, 1, 0], [1, 0, 0]];
const jobs = {
  'sharp PNG level 6 (its default)': (b) => sharp(b).recomb(swap).png().toBuffer(),
  'sharp PNG level 1, no adaptive filtering': (b) => sharp(b).recomb(swap).png({ compressionLevel: 1, adaptiveFiltering: false }).toBuffer(),
};
(async () => {
  console.log(`sharp ${sharp.versions.sharp}, libvips ${sharp.versions.vips}`);
  for (const file of process.argv.slice(3)) {
    const input = fs.readFileSync(file);
    const meta = await sharp(input).metadata();
    for (const [name, job] of Object.entries(jobs)) {
      let out;
      for (let i = 0; i < 3; i++) out = await job(input);   // warm-up
      const cpu = [];
      for (let i = 0; i < rounds; i++) {
        const before = process.cpuUsage();
        out = await job(input);
        const used = process.cpuUsage(before);
        cpu.push((used.user + used.system) / 1000);
      }
      cpu.sort((a, b) => a - b);
      console.log(`${file} ${meta.width}x${meta.height}: ${name}: CPU ${cpu[cpu.length >> 1].toFixed(1)} ms/image (median of ${rounds}), PNG ${out.length} bytes`);
    }
  }
})();
JS
node "$dir/bench.js" "$rounds" "${files[@]}"

echo "ours (processor alone, one thread; CodecBench 'whole: fast' is wall time of the same job):"
cp=$(./mvnw -q dependency:build-classpath -Dmdep.outputFile=/dev/stdout)
java -cp "target/classes:target/test-classes:$cp" dev.imageservice.bench.CodecBench "$rounds" "${files[@]}" 2>/dev/null \
  | grep -E '^/|whole|PNG bytes'
