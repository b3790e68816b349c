"""Benchmarks for the simulated cluster (not timed tests): `python benchmarks/bench_simulate.py`.

Reports wall seconds and peak traced memory for:
  one-pod       the seed's first pod, 10 virtual minutes
  crashloop-1h  a crash-looping pod for 1 virtual hour (memory must not grow with idle time)
  idle-24h      one running pod for 24 virtual hours (no per-second ticking)
  pods-N        N bare pods on the default-sized nodes (nodeGroups), 10 virtual minutes
  deploy-1000   a 1,000-replica Deployment created and rolled to a new image
"""

from __future__ import annotations

import argparse
import json
import time
import tracemalloc


def _pod(name: str, command: list[str], **extra) -> dict:
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name},
            "spec": {"containers": [{"name": "c", "image": "busybox:1.36", "command": command}], **extra}}


def _world(nodes: int):
    """The default world's registry with `nodes` identical big nodes."""
    from kubetrainer.sim.world import load_world, parse_world

    w = load_world(None)
    big = parse_world(f"""apiVersion: kubetrainer/v1
kind: World
metadata: {{name: bench}}
spec:
  nodeGroups:
    - {{count: {nodes}, namePrefix: node-, template: {{capacity: {{cpu: "64", memory: 256Gi, pods: "250"}}}}}}
""", "bench-world.yaml")
    w.nodes = big.nodes
    return w


def measure(name: str, fn, memory: bool = True) -> dict:
    """Wall seconds of an untraced run, then (optionally) the peak traced memory of a second run
    (tracemalloc slows Python down several times, so it never times the first)."""
    t0 = time.perf_counter()
    info = fn() or {}
    secs = time.perf_counter() - t0
    out = {"name": name, "seconds": round(secs, 3)}
    if memory:
        tracemalloc.start()
        fn()
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        out["peakMiB"] = round(peak / 2**20, 1)
    return {**out, **info}


def one_pod() -> dict:
    from kubetrainer.sim.cluster import Cluster

    c = Cluster(None, seed=0)
    c.apply_manifests([_pod("web", ["sh", "-c", "echo hi; sleep 3600"])])
    c.run_until(600)
    return {"events": len(c.events.events)}


def crashloop(hours: float) -> dict:
    from kubetrainer.sim.cluster import Cluster

    c = Cluster(None, seed=0)
    c.apply_manifests([_pod("web", ["sh", "-c", "exit 1"])])
    c.run_until(3600 * hours)
    return {"events": len(c.events.events), "restarts": c.pod_view("default", "web")["restarts"]}


def idle(hours: float) -> dict:
    from kubetrainer.sim.cluster import Cluster

    c = Cluster(None, seed=0)
    c.apply_manifests([_pod("web", ["sleep", "999999"], )])
    c.run_until(3600 * hours)
    return {"events": len(c.events.events), "timers": c.clock.pending()}


def many_pods(n: int, nodes: int) -> dict:
    from kubetrainer.sim.cluster import Cluster

    c = Cluster(_world(nodes), seed=0)
    c.apply_manifests([_pod(f"p-{i}", ["sleep", "999999"]) for i in range(n)])
    c.run_until(600)
    running = sum(1 for p in c.store.iter("Pod") if p["status"].get("phase") == "Running")
    return {"pods": n, "running": running}


def deploy(replicas: int, nodes: int) -> dict:
    from kubetrainer.sim.cluster import Cluster

    c = Cluster(_world(nodes), seed=0)
    dep = {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"},
           "spec": {"replicas": replicas, "selector": {"matchLabels": {"app": "web"}},
                    "template": {"metadata": {"labels": {"app": "web"}},
                                 "spec": {"containers": [{"name": "web", "image": "nginx:1.16.1"}]}}}}
    c.apply_manifests([dep])
    c.run_until(120)
    c.kubectl("set image deployment/web web=nginx:1.17")
    c.run_until(1800)
    ready = sum(1 for p in c.store.iter("Pod") if p["status"].get("phase") == "Running")
    return {"replicas": replicas, "running": ready, "pods": c.store.count("Pod")}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pods", type=int, default=2000)
    ap.add_argument("--nodes", type=int, default=100)
    ap.add_argument("--replicas", type=int, default=1000)
    ap.add_argument("--format", choices=["text", "json"], default="text")
    a = ap.parse_args()
    from kubetrainer.sim.cluster import Cluster   # warm-up: imports and the default world are not timed

    Cluster(None, seed=0)
    results = [measure("one-pod", one_pod), measure("crashloop-1h", lambda: crashloop(1)),
               measure("crashloop-10h", lambda: crashloop(10)), measure("idle-24h", lambda: idle(24)),
               measure(f"pods-{a.pods}", lambda: many_pods(a.pods, a.nodes)),
               measure(f"deploy-{a.replicas}", lambda: deploy(a.replicas, a.nodes))]
    if a.format == "json":
        print(json.dumps(results, indent=2))
    else:
        for r in results:
            print(" ".join(f"{k}={v}" for k, v in r.items()))


if __name__ == "__main__":
    main()
