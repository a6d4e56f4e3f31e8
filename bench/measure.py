"""Run a command and print its wall time and peak resident memory as JSON (for bench/run.py).

A process of its own, so RUSAGE_CHILDREN's peak is the peak of this one command only.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time

started = time.perf_counter()
code = subprocess.call(sys.argv[1:])
seconds = time.perf_counter() - started
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
peak_kb = usage.ru_maxrss  # kilobytes on Linux: the largest single process of the command
cpu = usage.ru_utime + usage.ru_stime  # all its processes together
print(json.dumps({"returncode": code, "seconds": seconds, "peak_rss_mb": peak_kb / 1024, "cpu_seconds": cpu}))
