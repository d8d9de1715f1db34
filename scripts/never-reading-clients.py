#!/usr/bin/env python3
"""Clients that send an image over HTTP and never read the answer (PERFORMANCE.md 5.6, issue 11).

Opens N connections to the service's HTTP port, each with a small receive buffer, posts the image as
the raw body (with its Content-Length) and never reads a byte of the answer. Meanwhile the caller
runs other clients (e.g. `bench`). Every second it prints the budget's gauges from the admin port's
/prometheus (bytes in use, waiting) and the server's RSS, until every stalled answer has been let go
(in-use back to its idle level) or the time limit passes; then how long that took.

    scripts/never-reading-clients.py --pid PID [--clients 50] [--http 11080] [--admin 11081]
        [--limit 180] IMAGE
"""
import argparse
import re
import socket
import time
import urllib.request


def gauges(admin):
    text = urllib.request.urlopen(f"http://127.0.0.1:{admin}/prometheus", timeout=10).read().decode()
    found = {}
    for name in ("image_memory_in_use_bytes", "image_memory_waiting_bytes", "image_memory_budget_bytes"):
        m = re.search(rf"^{name}(?:{{[^}}]*}})? ([0-9.eE+]+)$", text, re.M)
        found[name] = float(m.group(1)) if m else -1
    return found


def rss_mib(pid, field):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1]) // 1024
    return -1


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("image")
    ap.add_argument("--pid", type=int, required=True)
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--http", type=int, default=11080)
    ap.add_argument("--admin", type=int, default=11081)
    ap.add_argument("--limit", type=float, default=180)
    args = ap.parse_args()
    body = open(args.image, "rb").read()
    head = (f"POST /api/v1/process HTTP/1.1\r\nHost: localhost\r\nContent-Type: image/jpeg\r\n"
            f"Content-Length: {len(body)}\r\n\r\n").encode()
    sockets = []
    start = time.time()
    for _ in range(args.clients):
        s = socket.socket()
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)  # before connect: a small window
        s.connect(("127.0.0.1", args.http))
        s.sendall(head + body)  # the whole upload; the answer is never read
        sockets.append(s)
    print(f"{args.clients} clients sent {len(body)} bytes each in {time.time() - start:.1f} s; never reading")
    budget = gauges(args.admin)["image_memory_budget_bytes"]
    peak = 0
    busy_since = None
    while time.time() - start < args.limit:
        g = gauges(args.admin)
        in_use = g["image_memory_in_use_bytes"]
        peak = max(peak, in_use)
        print(f"t={time.time() - start:5.0f} s  in use {in_use / 2**20:7.1f} MiB of {budget / 2**20:.0f} MiB"
              f"  waiting {g['image_memory_waiting_bytes'] / 2**20:6.1f} MiB  RSS {rss_mib(args.pid, 'VmRSS')} MiB"
              f"  peak RSS {rss_mib(args.pid, 'VmHWM')} MiB", flush=True)
        if in_use > 0:
            busy_since = busy_since or time.time()
        elif busy_since:
            print(f"every stalled answer let go {time.time() - start:.0f} s after the uploads began;"
                  f" peak in use {peak / 2**20:.1f} MiB")
            break
        time.sleep(1)
    for s in sockets:
        s.close()


if __name__ == "__main__":
    main()
