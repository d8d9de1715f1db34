#!/bin/sh
# Starts image-service with its memory sized from the container's limit (cgroup v2 or v1).
set -eu

limit=""
if [ -r /sys/fs/cgroup/memory.max ]; then
  limit="$(cat /sys/fs/cgroup/memory.max)"
elif [ -r /sys/fs/cgroup/memory/memory.limit_in_bytes ]; then
  limit="$(cat /sys/fs/cgroup/memory/memory.limit_in_bytes)"
fi

# The memory budget (limits.memoryBudget): half of the heap, never below 64 MiB. Unlimited: leave
# it to config.yml (5/8 of the JVM's largest heap).
if [ -z "${MEMORY_BUDGET:-}" ] && [ -n "$limit" ] && [ "$limit" != "max" ] \
   && [ "$limit" -lt 1099511627776 ]; then
  mib=$(( limit / 100 * ${HEAP_PERCENT:-60} / 2 / 1048576 ))
  [ "$mib" -ge 64 ] || mib=64
  export MEMORY_BUDGET="${mib}MiB"
fi

# shellcheck disable=SC2086
exec java $JAVA_OPTS -jar /app/image-service.jar "$@"
