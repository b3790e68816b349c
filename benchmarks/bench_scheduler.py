"""Scheduler throughput and memory, scheduler_perf SchedulingBasic style (no timed tests: prints).

    python benchmarks/bench_scheduler.py            # the figures of the issue (#3)
    python benchmarks/bench_scheduler.py --quick

Prints pods/s for 3, 500 and 5,000 nodes, the per-pod cost ratio between M and 2M pods (cost
should be linear in pods: ratio ~ 1), the pods-per-node spread (max - min <= 2) and the peak
memory of a 5,000-node, 150,000-pod run (target < 2 GiB), each run in a fresh process.
"""

from __future__ import annotations

import json
import subprocess
import sys


def run(nodes: int, pods: int, init: int = 0) -> dict:
    code = ("import json, resource; from kubetrainer.commands.bench import bench_scheduler; "
            f"r = bench_scheduler({nodes}, {pods}, {init}); "
            "r['maxRssMiB'] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024; print(json.dumps(r))")
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> None:
    quick = "--quick" in sys.argv
    cases = [(3, 100, 0), (500, 5000, 0), (5000, 5000, 0), (5000, 10000, 5000)]
    if quick:
        cases = cases[:3]
    for n, m, k in cases:
        r = run(n, m, k)
        print(f"nodes {n:5d} init {k:6d} pods {m:6d}: {r['podsPerSecond']:8.0f} pods/s, "
              f"pods/node {r['podsPerNode']['min']}..{r['podsPerNode']['max']}, rss {r['maxRssMiB']} MiB")
    a = run(5000, 5000)
    b = run(5000, 10000)
    print(f"linearity at 5,000 nodes: seconds(10k)/seconds(5k) = {b['seconds'] / a['seconds']:.2f} (2.0 = linear)")
    if not quick:
        r = run(5000, 10000, 140000)
        print(f"5,000 nodes + 150,000 pods: {r['podsPerSecond']:.0f} pods/s for the last 10,000, "
              f"pods/node {r['podsPerNode']['min']}..{r['podsPerNode']['max']}, peak rss {r['maxRssMiB']} MiB")


if __name__ == "__main__":
    main()
