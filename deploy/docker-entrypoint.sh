#!/bin/sh
# Starts image-service with its memory sized from the container's limit (cgroup v2 or v1).
set -eu

limit=""
if [ -r /sys/fs/cgroup/memory.max ]; then
  limit="$(cat /sys/fs/cgroup/memory.max)"
elif [ -r /sys/fs/cgroup/memory/memory.limit_in_bytes ]; then
  limit="$(cat /sys/fs/cgroup/memory/memory.limit_in_bytes)"
fi

# Decoded pixels in work at once: half of the heap, at 8 bytes a pixel in work (decoded pixels
# plus encoder buffers), never below limits.maxMegapixels (50). Unlimited: keep config.yml's 100.
if [ -z "${MAX_MEGAPIXELS_IN_FLIGHT:-}" ] && [ -n "$limit" ] && [ "$limit" != "max" ] \
   && [ "$limit" -lt 1099511627776 ]; then
  mp=$(( limit / 100 * ${HEAP_PERCENT:-60} / 2 / 8 / 1000000 ))
  [ "$mp" -ge 50 ] || mp=50
  export MAX_MEGAPIXELS_IN_FLIGHT="$mp"
fi

# shellcheck disable=SC2086
exec java $JAVA_OPTS -jar /app/image-service.jar "$@"
