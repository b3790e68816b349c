"""Start-up cost of `kubetrainer validate` on a one-pod file, as a whole process.

Runs `python -m kubetrainer validate pod.yaml` and `python -c pass` alternately in the same
run (same interpreter, same machine load), N times each, and prints the median wall time of
each, the difference and the ratio. Goal: validate < 0.5 s.

    python benchmarks/bench_validate.py [--runs N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

POD = """apiVersion: v1
kind: Pod
metadata:
  name: web
  labels: {app: web}
spec:
  containers:
  - name: web
    image: nginx:1.16.0
    ports: [{containerPort: 80}]
    resources:
      requests: {cpu: 250m, memory: 64Mi}
      limits: {cpu: 500m, memory: 128Mi}
    readinessProbe:
      httpGet: {path: /, port: 80}
"""


def _time(cmd: list[str], env: dict) -> float:
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    dt = time.perf_counter() - t0
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed: {proc.stderr.decode()[:500]}")
    return dt


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=15)
    ap.add_argument("--no-bytecode", action="store_true",
                    help="keep PYTHONDONTWRITEBYTECODE if set (every run recompiles the sources; an installed "
                         "wheel has its .pyc files, so by default the warm-up run writes them)")
    args = ap.parse_args()
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    env = dict(os.environ, PYTHONPATH=root + os.pathsep + os.environ.get("PYTHONPATH", ""))
    if not args.no_bytecode:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "pod.yaml")
        with open(path, "w") as f:
            f.write(POD)
        validate = [sys.executable, "-m", "kubetrainer", "validate", path]
        bare = [sys.executable, "-c", "pass"]
        _time(validate, env)  # warm the page cache and .pyc files
        _time(bare, env)
        v, b = [], []
        for _ in range(args.runs):
            v.append(_time(validate, env))
            b.append(_time(bare, env))
    mv, mb = statistics.median(v), statistics.median(b)
    print(f"python -c pass:               median {mb:.3f} s  (min {min(b):.3f})")
    print(f"kubetrainer validate pod.yaml: median {mv:.3f} s  (min {min(v):.3f})")
    print(f"difference {mv - mb:.3f} s, ratio {mv / mb:.1f}x, runs {args.runs}; goal < 0.5 s: "
          f"{'met' if mv < 0.5 else 'NOT met'}")


if __name__ == "__main__":
    main()
