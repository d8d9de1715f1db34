#!/usr/bin/env bash
# Floor figures for the codec stages, in C on this CPU, beside CodecBench's Java figures:
#   decode: libjpeg-turbo's tjDecompress2 to BGR (the same call our TurboJPEG binding makes), thread CPU;
#   the PNG encoder's stages on the same pixels, the same algorithms as the Java code, gcc -O3
#   -march=native (the auto-vectoriser on the filters): copy, filters, symbol counting, code
#   emission, zlib's Adler-32 and CRC-32.
#
#   scripts/codec-floor.sh [ROUNDS] photo.jpg ...        (default 9 rounds; medians of thread CPU)
#
# Needs gcc, libturbojpeg0-dev, zlib1g-dev and djpeg (libjpeg-turbo-progs). Not part of the build.
set -euo pipefail
cd "$(dirname "$0")"
rounds=9
if [[ "${1:-}" =~ ^[0-9]+$ ]]; then rounds=$1; shift; fi
[ "$#" -gt 0 ] || { echo "usage: $0 [ROUNDS] photo.jpg ..." >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
gcc -O2 -o "$work/decode" codec-floor/decode.c -lturbojpeg
gcc -O3 -march=native -o "$work/stages" codec-floor/stages.c -lz -lm
for f in "$@"; do
  "$work/decode" "$f" "$rounds"
  djpeg -outfile "$work/pixels.ppm" "$f"
  "$work/stages" "$work/pixels.ppm" "$rounds" | sed "s|$work/pixels.ppm|$f|"
done
