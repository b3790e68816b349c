"""Benchmark: the FULL engine (scheduler + kubelets + controllers) bringing a large cluster up.

    python benchmarks/bench_engine_scale.py                       # 150,000 pods on 5,000 nodes
    python benchmarks/bench_engine_scale.py --pods 15000 --nodes 500
    python benchmarks/bench_engine_scale.py --no-baseline --format json

A world with a nodeGroup of --nodes nodes and Deployments (--per-deployment replicas each,
totalling --pods) of a pause image; the run goes until every pod is Running. Each
measurement is a whole process (a fresh interpreter, timed from its start), so the
figures include imports, world parsing and the Cluster start-up. Printed: wall seconds,
pods/s (pods Running / wall seconds), peak RSS (ru_maxrss), the virtual time it took, and
the number of events.

Targets (issue #5): 150,000 pods on 5,000 nodes in under 2 GiB; (issue #4) memory
proportional to objects and events. The baseline is the same run at a tenth of the size,
measured in the same invocation: the ratios show whether the cost is linear
(time ratio ~10 and pods/s ratio ~1 when it is).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time

T0 = time.perf_counter()

WORLD = """apiVersion: kubetrainer/v1
kind: World
metadata: {{name: bench-scale}}
spec:
  nodeGroups:
    - {{count: {nodes}, namePrefix: node-, template: {{capacity: {{cpu: "64", memory: 256Gi, pods: "110"}}}}}}
  registry:
    - image: registry.k8s.io/pause
      tags: ["3.9"]
      pullSeconds: 1
"""


def deployment(i: int, replicas: int) -> dict:
    name = f"app-{i:03d}"
    return {
        "apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": name, "namespace": "default"},
        "spec": {"replicas": replicas, "selector": {"matchLabels": {"app": name}},
                 "template": {"metadata": {"labels": {"app": name}},
                              "spec": {"containers": [{"name": "pause", "image": "registry.k8s.io/pause:3.9",
                                                       "resources": {"requests": {"cpu": "10m",
                                                                                  "memory": "16Mi"}}}]}}},
    }


def run_once(pods: int, nodes: int, per_deployment: int, profile: str | None) -> dict:
    from kubetrainer.sim.cluster import Cluster
    from kubetrainer.sim.world import parse_world

    world = parse_world(WORLD.format(nodes=nodes), "bench-world.yaml")
    c = Cluster(world, seed=0)
    t_start = time.perf_counter()
    running: set[str] = set()

    def observe(event: str, obj: dict) -> None:   # O(1) per write: how many pods are Running
        if obj.get("kind") != "Pod":
            return
        uid = obj["metadata"]["uid"]
        if event != "DELETED" and (obj.get("status") or {}).get("phase") == "Running":
            running.add(uid)
        else:
            running.discard(uid)

    c.store.observers.append(observe)
    manifests, left, i = [], pods, 0
    while left > 0:
        n = min(per_deployment, left)
        manifests.append(deployment(i, n))
        left -= n
        i += 1
    prof = None
    if profile:
        import cProfile
        prof = cProfile.Profile()
        prof.enable()
    c.apply_manifests(manifests)
    while len(running) < pods:
        t = c.step()
        if t is None or t > 3600:
            raise SystemExit(f"only {len(running)} of {pods} pods Running at t={c.now}")
    if prof is not None:
        prof.disable()
        prof.dump_stats(profile)
    wall = time.perf_counter() - T0
    return {"pods": pods, "nodes": nodes, "deployments": len(manifests), "seconds": round(wall, 2),
            "secondsEngine": round(time.perf_counter() - t_start, 2),
            "podsPerSecond": round(pods / wall, 1),
            "peakRssMiB": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
            "virtualSeconds": round(c.now, 3), "events": len(c.events.events),
            "podsInStore": c.store.count("Pod")}


def child(pods: int, nodes: int, per_deployment: int) -> dict:
    cmd = [sys.executable, os.path.abspath(__file__), "--child", "--pods", str(pods), "--nodes", str(nodes),
           "--per-deployment", str(per_deployment)]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--pods", type=int, default=150_000)
    p.add_argument("--nodes", type=int, default=5_000)
    p.add_argument("--per-deployment", type=int, default=1_000)
    p.add_argument("--no-baseline", action="store_true", help="skip the 1/10-size baseline run")
    p.add_argument("--format", choices=["text", "json"], default="text")
    p.add_argument("--profile", metavar="FILE", help="(--child) write a cProfile of the engine part")
    p.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    a = p.parse_args(argv)
    if a.child:
        print(json.dumps(run_once(a.pods, a.nodes, a.per_deployment, a.profile)))
        return 0
    res: dict = {}
    if not a.no_baseline:
        base = child(max(1, a.pods // 10), max(1, a.nodes // 10), a.per_deployment)
        res["baseline"] = base
    full = child(a.pods, a.nodes, a.per_deployment)
    res["run"] = full
    if "baseline" in res:
        b = res["baseline"]
        res["ratios"] = {"size": round(full["pods"] / b["pods"], 2),
                         "seconds": round(full["seconds"] / b["seconds"], 2),
                         "podsPerSecond": round(full["podsPerSecond"] / b["podsPerSecond"], 2),
                         "peakRss": round(full["peakRssMiB"] / b["peakRssMiB"], 2)}
    if a.format == "json":
        print(json.dumps(res))
    else:
        for section, vals in res.items():
            print(f"{section}:")
            for k, v in vals.items():
                print(f"  {k}: {v}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
