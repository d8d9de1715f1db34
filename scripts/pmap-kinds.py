#!/usr/bin/env python3
"""Sums `pmap -x PID` resident memory by kind: the Java heap (its address range from
`jcmd PID GC.heap_info`), glibc malloc arenas (64 MiB-aligned anonymous chunks of 64 MiB), other
anonymous memory (the main malloc heap, thread stacks, JIT code, GC tables, Netty's and NIO's direct
buffers, OpenCV's large mmap'd blocks), and file mappings (the JDK's and native libraries' code).

    scripts/pmap-kinds.py pmap.txt [heap-info.txt]
"""
import re
import sys

ARENA = 64 * 1024  # KiB


def main(pmap_path, heap_info_path=None):
    heap = None
    if heap_info_path:
        text = open(heap_info_path).read()
        m = re.search(r"\[(0x[0-9a-f]+), (0x[0-9a-f]+)\)", text)
        if m:
            heap = (int(m.group(1), 16), int(m.group(2), 16))
    rows = []
    for line in open(pmap_path):
        parts = line.split()
        if len(parts) < 6 or not re.fullmatch(r"[0-9a-f]{8,}", parts[0]):
            continue
        addr, kbytes, rss = int(parts[0], 16), int(parts[1]), int(parts[2])
        rows.append((addr, kbytes, rss, " ".join(parts[5:])))
    # malloc arenas: a 64 MiB-aligned start, the chunk's mappings adding up to 64 MiB
    arena_addrs = set()
    for i, (addr, kbytes, _, name) in enumerate(rows):
        if "anon" not in name or addr % (ARENA * 1024) != 0:
            continue
        total, j, chunk = 0, i, []
        while j < len(rows) and rows[j][0] == addr + total * 1024 and total < ARENA:
            total += rows[j][1]
            chunk.append(rows[j][0])
            j += 1
        if total == ARENA:
            arena_addrs.update(chunk)
    sums, arenas = {}, set()
    for addr, kbytes, rss, name in rows:
        if heap and heap[0] <= addr < heap[1]:
            kind = "java-heap"
        elif addr in arena_addrs:
            kind = "malloc-arenas"
            arenas.add(addr - addr % (ARENA * 1024))
        elif "anon" in name:
            kind = "other-anon"
        else:
            kind = "file"
        sums[kind] = sums.get(kind, 0) + rss
    total = sum(sums.values())
    print(" ".join(f"{k} {v // 1024} MiB" for k, v in sorted(sums.items()))
          + f" (malloc arenas: {len(arenas)}); total {total // 1024} MiB")


if __name__ == "__main__":
    main(*sys.argv[1:])
