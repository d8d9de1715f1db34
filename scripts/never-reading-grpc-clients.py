#!/usr/bin/env python3
"""gRPC clients that send an image and never read the answer (PERFORMANCE.md 5.6, issue 11).

Each of N clients opens its own HTTP/2 connection (h2c) with a small receive buffer, sends one
ProcessImage call (the tutorial's ImageRequest: field 1 = the image bytes) while honouring the
server's flow control (it reads the server's SETTINGS, WINDOW_UPDATE and PING frames until the whole
upload is sent), then stops reading altogether: the answer (its HEADERS, DATA and trailers) stays
unread on the server. Meanwhile the caller runs other clients (e.g. `bench`). Every second it prints
the budget's gauges from the admin port's /prometheus (bytes in use, waiting, calls queued) and the
server's RSS, until every stalled answer has been let go (in-use back to 0) or the time limit
passes. At the end it reads what each connection received and prints how each call ended (the
grpc-status in its trailers, or RST_STREAM / GOAWAY / connection closed).

    scripts/never-reading-grpc-clients.py --pid PID [--clients 50] [--grpc 11051] [--admin 11081]
        [--limit 240] [--source 127.0.0.1] IMAGE
"""
import argparse
import re
import socket
import struct
import threading
import time
import urllib.request

PREFACE = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"
DATA, HEADERS, RST_STREAM, SETTINGS, PING, GOAWAY, WINDOW_UPDATE = 0x0, 0x1, 0x3, 0x4, 0x6, 0x7, 0x8
END_STREAM, END_HEADERS, ACK = 0x1, 0x4, 0x1


def frame(kind, flags, stream, payload=b""):
    return struct.pack(">I", len(payload))[1:] + bytes([kind, flags]) + struct.pack(">I", stream) + payload


def hpack_literal(name, value):
    """A header as 'literal without indexing, new name', no Huffman coding (RFC 7541 6.2.2)."""
    def string(s):
        b = s.encode()
        assert len(b) < 127
        return bytes([len(b)]) + b
    return b"\x00" + string(name) + string(value)


def read_frame(sock):
    head = recv_exactly(sock, 9)
    length = int.from_bytes(head[:3], "big")
    return head[3], head[4], int.from_bytes(head[5:9], "big") & 0x7FFFFFFF, recv_exactly(sock, length)


def recv_exactly(sock, n):
    data = bytearray()
    while len(data) < n:
        chunk = sock.recv(n - len(data))
        if not chunk:
            raise ConnectionError("closed")
        data += chunk
    return bytes(data)


class NeverReadingClient(threading.Thread):
    def __init__(self, port, message, source="127.0.0.1"):
        super().__init__(daemon=True)
        self.port, self.message, self.source = port, message, source
        self.sent = threading.Event()
        self.error = None
        self.sock = None

    def run(self):
        try:
            self.upload()
        except Exception as e:  # noqa: BLE001 - reported, not raised
            self.error = repr(e)
        self.sent.set()

    def upload(self):
        s = self.sock = socket.socket()
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)  # before connect: a small TCP window
        s.bind((self.source, 0))  # another loopback address is another client for the fair shares
        s.connect(("127.0.0.1", self.port))
        # Our own receive windows: the HTTP/2 default (64 KiB), never raised.
        s.sendall(PREFACE + frame(SETTINGS, 0, 0, b""))
        headers = b"".join(hpack_literal(n, v) for n, v in (
            (":method", "POST"), (":scheme", "http"), (":path", "/image.ImageService/ProcessImage"),
            (":authority", f"127.0.0.1:{self.port}"), ("content-type", "application/grpc"), ("te", "trailers")))
        s.sendall(frame(HEADERS, END_HEADERS, 1, headers))
        stream_window = connection_window = 65535
        max_frame = 16384
        body = memoryview(self.message)
        offset = 0
        while offset < len(body):
            while min(stream_window, connection_window) <= 0:
                kind, flags, stream, payload = read_frame(s)
                if kind == SETTINGS and not flags & ACK:
                    for i in range(0, len(payload), 6):
                        key, value = struct.unpack(">HI", payload[i:i + 6])
                        if key == 0x4:  # INITIAL_WINDOW_SIZE
                            stream_window += value - 65535
                        elif key == 0x5:
                            max_frame = value
                    s.sendall(frame(SETTINGS, ACK, 0))
                elif kind == WINDOW_UPDATE:
                    increment = int.from_bytes(payload, "big") & 0x7FFFFFFF
                    if stream == 0:
                        connection_window += increment
                    elif stream == 1:
                        stream_window += increment
                elif kind == PING and not flags & ACK:
                    s.sendall(frame(PING, ACK, 0, payload))
                elif kind in (RST_STREAM, GOAWAY):
                    raise ConnectionError(f"ended during the upload: frame type {kind}")
            n = min(stream_window, connection_window, max_frame, len(body) - offset)
            last = offset + n == len(body)
            s.sendall(frame(DATA, END_STREAM if last else 0, 1, bytes(body[offset:offset + n])))
            offset += n
            stream_window -= n
            connection_window -= n
        # The upload is done: from now on nothing is read until the end.

    def outcome(self):
        """Reads what arrived meanwhile (without answering): how the call ended."""
        if self.error:
            return f"upload failed: {self.error}"
        self.sock.settimeout(2)
        status = None
        data_bytes = 0
        try:
            while True:
                kind, flags, stream, payload = read_frame(self.sock)
                if kind == DATA and stream == 1:
                    data_bytes += len(payload)
                elif kind == HEADERS and stream == 1 and flags & END_STREAM:
                    # The trailers (HPACK-coded: grpc-status is not decoded here; the server's log says why).
                    status = "trailers"
                elif kind == RST_STREAM and stream == 1:
                    return f"RST_STREAM (error {int.from_bytes(payload, 'big')}) after {data_bytes} answer bytes"
                elif kind == GOAWAY:
                    return f"GOAWAY after {data_bytes} answer bytes"
                if status:
                    return f"{status} after {data_bytes} answer bytes"
        except (socket.timeout, ConnectionError, OSError) as e:
            return f"connection {type(e).__name__} after {data_bytes} answer bytes" + (f", {status}" if status else "")
        finally:
            self.sock.close()


def gauges(admin):
    text = urllib.request.urlopen(f"http://127.0.0.1:{admin}/prometheus", timeout=10).read().decode()
    found = {}
    for name in ("image_memory_in_use_bytes", "image_memory_waiting_bytes", "image_memory_budget_bytes",
                 "image_admission_queued"):
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
    ap.add_argument("--grpc", type=int, default=11051)
    ap.add_argument("--admin", type=int, default=11081)
    ap.add_argument("--limit", type=float, default=240)
    ap.add_argument("--source", default="127.0.0.1",
                    help="local address to connect from, e.g. 127.0.0.2: the server then tells these clients"
                         " apart from a bench run from 127.0.0.1 (fair shares are per address)")
    args = ap.parse_args()
    image = open(args.image, "rb").read()
    field = b"\x0a" + encode_varint(len(image)) + image  # ImageRequest.image_data = 1
    message = b"\x00" + struct.pack(">I", len(field)) + field  # gRPC length-prefixed message, uncompressed
    start = time.time()
    clients = [NeverReadingClient(args.grpc, message, args.source) for _ in range(args.clients)]
    for c in clients:
        c.start()
    budget = gauges(args.admin)["image_memory_budget_bytes"]
    peak = 0
    busy_since = None
    uploaded_at = None
    while time.time() - start < args.limit:
        if uploaded_at is None and all(c.sent.is_set() for c in clients):
            uploaded_at = time.time()
            print(f"{args.clients} clients sent {len(image)} bytes each in {uploaded_at - start:.1f} s; never reading",
                  flush=True)
        g = gauges(args.admin)
        in_use = g["image_memory_in_use_bytes"]
        peak = max(peak, in_use)
        print(f"t={time.time() - start:5.0f} s  in use {in_use / 2**20:7.1f} MiB of {budget / 2**20:.0f} MiB"
              f"  waiting {g['image_memory_waiting_bytes'] / 2**20:6.1f} MiB  queued {g['image_admission_queued']:.0f}"
              f"  RSS {rss_mib(args.pid, 'VmRSS')} MiB  peak RSS {rss_mib(args.pid, 'VmHWM')} MiB", flush=True)
        if in_use > 0:
            busy_since = busy_since or time.time()
        elif busy_since and uploaded_at:
            print(f"every stalled answer let go {time.time() - start:.0f} s after the uploads began;"
                  f" peak in use {peak / 2**20:.1f} MiB")
            break
        time.sleep(1)
    outcomes = {}
    for c in clients:
        o = re.sub(r"after \d+ answer bytes", "after N answer bytes", c.outcome())
        outcomes[o] = outcomes.get(o, 0) + 1
    for o, n in sorted(outcomes.items(), key=lambda kv: -kv[1]):
        print(f"{n:4d} x {o}")


def encode_varint(n):
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        out.append(b | (0x80 if n else 0))
        if not n:
            return bytes(out)


if __name__ == "__main__":
    main()
