#!/usr/bin/env python3
"""Reruns the attacks of docs/SECURITY.md against a running image-service (loopback, stdlib only).

usage: security-probes.py HTTP_PORT ADMIN_PORT GRPC_PORT PROBE [N]
probes: trickle N | tasks N | idle-grpc N | short | health-sample SECONDS
Each prints one JSON line: what the attack got, and the latency of normal requests meanwhile.
"""
import json, socket, statistics, sys, threading, time, urllib.request, zlib, struct

HTTP, ADMIN, GRPC = (int(a) for a in sys.argv[1:4])
PROBE = sys.argv[4]
N = int(sys.argv[5]) if len(sys.argv) > 5 else 100


def png(width=64, height=48):
    raw = b"".join(b"\x00" + bytes((x * 3 + y) % 256 for x in range(width * 3)) for y in range(height))
    chunk = lambda t, d: struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d))
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)) \
        + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


IMAGE = png()


def timed(fn):
    start = time.perf_counter()
    try:
        status = fn()
    except Exception as e:  # a refusal or timeout is a result here
        status = type(e).__name__
    return (time.perf_counter() - start) * 1000, status


def get(port, path):
    return lambda: urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=30).status


def post_image():
    request = urllib.request.Request(f"http://127.0.0.1:{HTTP}/api/v1/process", data=IMAGE,
                                     headers={"Content-Type": "image/png"})
    return urllib.request.urlopen(request, timeout=30).status


def sample(seconds, interval=0.2):
    """Latency (ms) of /ping, /healthcheck and one normal image request, sampled for `seconds`."""
    out = {"ping": [], "healthcheck": [], "image": []}
    end = time.time() + seconds
    while time.time() < end:
        out["ping"].append(timed(get(ADMIN, "/ping")))
        out["healthcheck"].append(timed(get(ADMIN, "/healthcheck")))
        out["image"].append(timed(post_image))
        time.sleep(interval)
    summary = {}
    for name, results in out.items():
        ms = sorted(r[0] for r in results)
        summary[name] = {"n": len(ms), "p50_ms": round(statistics.median(ms), 1),
                         "p99_ms": round(ms[min(len(ms) - 1, int(len(ms) * 0.99))], 1),
                         "max_ms": round(ms[-1], 1),
                         "not_200": sum(1 for r in results if r[1] != 200)}
    return summary


def read_status(sock):
    try:
        data = sock.recv(4096)
        return data.split(b"\r\n", 1)[0].decode(errors="replace") if data else "closed"
    except socket.timeout:
        return None
    except OSError as e:
        return type(e).__name__


def trickle(n):
    """n uploads sending one byte every 3 s of a 100 kB body."""
    results, lock = [], threading.Lock()

    def one():
        start = time.time()
        try:
            s = socket.create_connection(("127.0.0.1", HTTP), timeout=5)
            s.sendall(b"POST /api/v1/process HTTP/1.1\r\nHost: x\r\nContent-Type: image/png\r\nContent-Length: 100000\r\n\r\n")
            s.settimeout(3)
            status = None
            while status is None and time.time() - start < 120:
                try:
                    s.sendall(b"x")
                except OSError:
                    status = "closed"
                    break
                status = read_status(s)
        except OSError as e:
            status = type(e).__name__
        with lock:
            results.append((status, time.time() - start))

    threads = [threading.Thread(target=one, daemon=True) for _ in range(n)]
    for t in threads:
        t.start()
    time.sleep(2)
    during = sample(15)
    for t in threads:
        t.join(150)
    ends = {}
    for status, _ in results:
        ends[status] = ends.get(status, 0) + 1
    return {"attack": f"{n} uploads trickling 1 byte / 3 s", "ended_as": ends,
            "max_held_s": round(max(d for _, d in results), 1), "normal_requests_meanwhile": during}


def tasks(n):
    """n slow POSTs to /tasks/gc (a body promised, never sent)."""
    socks, statuses = [], {}
    for _ in range(n):
        s = socket.create_connection(("127.0.0.1", ADMIN), timeout=5)
        s.sendall(b"POST /tasks/gc HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n")
        socks.append(s)
    during = sample(5)
    for s in socks:
        s.settimeout(15)
        status = read_status(s)
        statuses[status] = statuses.get(status, 0) + 1
        s.close()
    return {"attack": f"{n} slow POST /tasks/gc", "answered": statuses, "normal_requests_meanwhile": during}


def idle_grpc(n):
    """n TCP connections to the gRPC port that never send anything."""
    socks, refused = [], 0
    for _ in range(n):
        try:
            socks.append(socket.create_connection(("127.0.0.1", GRPC), timeout=5))
        except OSError:
            refused += 1
    time.sleep(1)
    closed_at_once = 0
    for s in socks:
        s.settimeout(0.05)
        try:
            while True:
                data = s.recv(65536)
                if not data:
                    closed_at_once += 1
                    break
        except socket.timeout:
            pass
        except OSError:
            closed_at_once += 1
    during = sample(5)
    for s in socks:
        s.close()
    return {"attack": f"{n} idle gRPC connections from one address", "refused_at_connect": refused,
            "closed_at_once": closed_at_once, "kept": n - refused - closed_at_once,
            "normal_requests_meanwhile": during}


def short():
    s = socket.create_connection(("127.0.0.1", HTTP), timeout=5)
    s.sendall(b"POST /api/v1/process HTTP/1.1\r\nHost: x\r\nContent-Type: image/png\r\nContent-Length: 100000\r\n\r\n\x89PNG")
    s.settimeout(120)
    start = time.time()
    data = b""
    while b"}" not in data:
        chunk = s.recv(4096)
        if not chunk:
            break
        data += chunk
    return {"attack": "body shorter than its Content-Length", "after_s": round(time.time() - start, 1),
            "status": data.split(b"\r\n", 1)[0].decode(), "body": data.split(b"\r\n\r\n", 1)[-1].decode()}


if PROBE == "trickle":
    print(json.dumps(trickle(N)))
elif PROBE == "tasks":
    print(json.dumps(tasks(N)))
elif PROBE == "idle-grpc":
    print(json.dumps(idle_grpc(N)))
elif PROBE == "short":
    print(json.dumps(short()))
elif PROBE == "health-sample":
    print(json.dumps(sample(N)))
else:
    sys.exit(__doc__)
