#!/usr/bin/env python3
"""Where a Java server's CPU goes, per request, by thread group.

Samples every thread of a process (/proc/PID/task/*/schedstat: nanoseconds on a CPU, and comm, the
thread's name cut to 15 characters) before and after a run, and prints the CPU the process spent in
between divided by the number of requests, grouped by what the threads do: image workers, Jetty
request threads, gRPC/Netty event loops and executors, G1's concurrent and parallel GC threads, the
JIT compilers, the rest. Threads that ended during the run are counted under "exited" (the process
total from /proc/PID/stat minus the live threads' sum; 10 ms clock ticks, so only roughly).

    scripts/thread-cpu.py snap PID > before.json
    ... run N requests ...
    scripts/thread-cpu.py snap PID > after.json
    scripts/thread-cpu.py diff before.json after.json N [LABEL]

    scripts/thread-cpu.py run PID N [LABEL] -- command args...   (the same around one command)

`diff` and `run` print one line per group (ms per request, share of the total, and the share of
it spent in the kernel when that is 5% or more, from the threads' 10 ms system-time ticks) and, with
THREAD_CPU_JSON=file, append the figures as one JSON line to that file.
"""
import json
import os
import re
import subprocess
import sys

CLK_TCK = os.sysconf("SC_CLK_TCK")

# First match wins; comm names are at most 15 characters.
GROUPS = [
    ("image workers", r"^(image-work|image-timer|ParallelRows|rows-)"),
    ("HTTP answer writers", r"^http-answer"),
    ("Jetty admin", r"^dw-admin"),
    ("Jetty request threads (dw-, qtp)", r"^(dw-|qtp)"),
    ("gRPC/Netty event loops", r"^(grpc-io|grpc-accept|grpc-nio|grpc-default-worker|nioEventLoop|epollEventLoop)"),
    ("gRPC executors", r"^grpc-"),
    ("G1 concurrent marking", r"^(G1 Conc|G1 Main Marker)"),
    ("G1 refinement / service", r"^(G1 Refine|G1 Service|G1 Young RemSet)"),
    ("GC workers (pauses)", r"^(GC Thread|G1 Par|GC task)"),
    ("JIT compilers", r"^(C1 Compiler|C2 Compiler)"),
    ("VM thread / periodic", r"^(VM Thread|VM Periodic|Service Thread|Monitor Deflati|Sweeper)"),
    ("logging", r"^AsyncAppender"),
]


def group_of(name):
    for group, pattern in GROUPS:
        if re.search(pattern, name):
            return group
    return "other: " + re.sub(r"[-#]?\d+$", "", name).strip() or "other"


def snap(pid):
    threads = {}
    for tid in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{tid}/comm") as f:
                name = f.read().strip()
            with open(f"/proc/{pid}/task/{tid}/schedstat") as f:
                ns = int(f.read().split()[0])
            with open(f"/proc/{pid}/task/{tid}/stat") as f:
                sys_ticks = int(f.read().rsplit(")", 1)[1].split()[12])
        except (FileNotFoundError, ProcessLookupError):
            continue  # ended between the listing and the read
        threads[tid] = {"name": name, "ns": ns, "sys": sys_ticks}
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    total_ns = (int(fields[11]) + int(fields[12])) * 1_000_000_000 // CLK_TCK
    return {"pid": pid, "threads": threads, "process_ns": total_ns}


def diff(before, after, requests):
    by_group = {}
    sys_group = {}
    live_ns = 0
    for tid, t in after["threads"].items():
        start = before["threads"].get(tid)
        # A thread id that was reused by a new thread starts from zero.
        d = t["ns"] - (start["ns"] if start and start["name"] == t["name"] and start["ns"] <= t["ns"] else 0)
        live_ns += d
        g = group_of(t["name"])
        by_group[g] = by_group.get(g, 0) + d
        if start and start["name"] == t["name"] and "sys" in start:
            sys_group[g] = sys_group.get(g, 0) + (t.get("sys", 0) - start["sys"]) * 1_000_000_000 // CLK_TCK
    process_delta = after["process_ns"] - before["process_ns"]
    exited = process_delta - live_ns
    if exited > 50_000_000:  # beyond the clock-tick rounding of the process total
        by_group["exited threads (from /proc/PID/stat)"] = exited
    total = sum(by_group.values())
    kernel = {g: min(1.0, ns / by_group[g]) for g, ns in sys_group.items() if by_group.get(g, 0) > 0}
    return {g: ns / 1e6 / requests for g, ns in by_group.items()}, total / 1e6 / requests, kernel


def report(before, after, requests, label):
    groups, total, kernel = diff(before, after, requests)
    head = f"{label}: " if label else ""
    print(f"{head}server CPU {total:.1f} ms/request over {requests} requests")
    for g, ms in sorted(groups.items(), key=lambda kv: -kv[1]):
        if ms >= 0.05 or ms <= -0.05:
            sys_share = f"{100 * kernel[g]:3.0f}% in the kernel" if g in kernel and kernel[g] >= 0.05 else ""
            print(f"  {ms:8.1f} ms  {100 * ms / total if total else 0:5.1f}%  {g:36s} {sys_share}")
    out = os.environ.get("THREAD_CPU_JSON")
    if out:
        with open(out, "a") as f:
            f.write(json.dumps({"label": label, "requests": requests, "total_ms": round(total, 2),
                                "groups": {g: round(v, 2) for g, v in groups.items()}}) + "\n")


def main(argv):
    if len(argv) >= 2 and argv[0] == "snap":
        json.dump(snap(int(argv[1])), sys.stdout)
        return 0
    if len(argv) >= 4 and argv[0] == "diff":
        with open(argv[1]) as f:
            before = json.load(f)
        with open(argv[2]) as f:
            after = json.load(f)
        report(before, after, int(argv[3]), argv[4] if len(argv) > 4 else "")
        return 0
    if len(argv) >= 4 and argv[0] == "run" and "--" in argv:
        cut = argv.index("--")
        pid, requests = int(argv[1]), int(argv[2])
        label = argv[3] if cut > 3 else ""
        before = snap(pid)
        rc = subprocess.call(argv[cut + 1:])
        after = snap(pid)
        report(before, after, requests, label)
        return rc
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
