#!/usr/bin/env python3
"""The disk's flush latency as a commit sees it (BENCHMARKS.md, Sixth look): writes 8 kB and calls fdatasync COUNT times
at RATE per second in a file under DIR (removed after), and prints the latency's distribution.
Usage: scripts/fsync-latency.py [COUNT [RATE [DIR]]]   (defaults: 10000, 300/s, target/)"""
import os
import sys
import time

count = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
rate = float(sys.argv[2]) if len(sys.argv) > 2 else 300.0
folder = sys.argv[3] if len(sys.argv) > 3 else "target"
os.makedirs(folder, exist_ok=True)
path = os.path.join(folder, f"fsync-latency-{os.getpid()}.tmp")
fd = os.open(path, os.O_WRONLY | os.O_CREAT, 0o600)
block = os.urandom(8192)
latencies = []
next_at = time.perf_counter()
try:
    for i in range(count):
        os.pwrite(fd, block, (i % 2048) * 8192)
        started = time.perf_counter()
        os.fdatasync(fd)
        latencies.append((time.perf_counter() - started) * 1000)
        next_at += 1 / rate
        wait = next_at - time.perf_counter()
        if wait > 0:
            time.sleep(wait)
finally:
    os.close(fd)
    os.unlink(path)
latencies.sort()


def at(p):
    return latencies[min(len(latencies) - 1, int(p * len(latencies)))]


over3 = sum(1 for x in latencies if x > 3) / count * 100
print(f"fdatasync of 8 kB in {folder}, {count} at {rate:.0f}/s: p50 {at(.5):.2f} ms, p90 {at(.9):.2f}, p99 {at(.99):.2f},"
      f" p99.9 {at(.999):.2f}, max {latencies[-1]:.2f}; over 3 ms: {over3:.2f} %")
