#!/usr/bin/env python3
"""Where a JFR recording's Java CPU samples go (PERFORMANCE.md 5.6, sixth pass): by thread group, by top
frame, and inclusive shares of the codec and transport parts (a sample counts for every part on its
stack). Only Java frames are sampled: GC threads, native code (libjpeg-turbo) and the kernel are not.

    scripts/jfr-hot-frames.py RECORDING.jfr
"""
import collections, re, subprocess, sys
f = sys.argv[1]
out = subprocess.run(["jfr", "print", "--events", "jdk.ExecutionSample", "--stack-depth", "80", f],
                     capture_output=True, text=True).stdout
samples = out.split("jdk.ExecutionSample {")[1:]
threads, tops, incl = collections.Counter(), collections.Counter(), collections.Counter()
markers = {
    "decode (turbojpeg/decoder)": r"TurboJpeg|JpegDecoder|Decoder\.decode|ShrinkOnLoad",
    "png encode (filters+deflate)": r"PngEncoder|DeflateCoder|Huffman|PngFilters|Deflater",
    "channel swap / pixels": r"swap|Swap|Pixels",
    "gRPC answer marshalling": r"ProtoInputStream|MessageFramer|CodedOutputStream|writeMessage",
    "gRPC request parse": r"ChunkedImageRequests|MessageDeframer",
    "netty http2/io": r"io\.netty\.handler\.codec\.http2|io\.netty\.channel",
    "jetty": r"org\.eclipse\.jetty",
    "array copy / fill": r"arraycopy|Arrays\.copyOf|toByteArray|copyFrom|System\.arraycopy",
}
n = 0
for s in samples:
    m = re.search(r'sampledThread = "([^"]*)"', s)
    thread = re.sub(r"[-0-9]+$", "", m.group(1)) if m else "?"
    frames = re.findall(r"^\s{4}(\S.*?)\s+line:", s, re.M)
    if not frames:
        continue
    n += 1
    threads[thread] += 1
    tops[re.sub(r"\(.*", "", frames[0])] += 1
    stack = "\n".join(frames)
    for name, pattern in markers.items():
        if re.search(pattern, stack):
            incl[name] += 1
print(f"{f}: {n} samples")
print("by thread:", ", ".join(f"{t} {c * 100 / n:.1f}%" for t, c in threads.most_common(8)))
print("inclusive:", ", ".join(f"{k} {v * 100 / n:.1f}%" for k, v in incl.most_common()))
print("top frames:")
for t, c in tops.most_common(15):
    print(f"  {c * 100 / n:5.1f}%  {t}")
