"""Benchmark: a 1,000-replica Deployment rolled from one image to another, to completion.

    python benchmarks/bench_rollout.py [--replicas 1000] [--nodes 20] [--format json]
    python benchmarks/bench_rollout.py --scale [--replicas 150000 --nodes 5000]

Measures the whole process (interpreter start-up is added by running it under `time`), the
virtual time the rollout took, and the peak memory (ru_maxrss). Target (issue #5): at most 10 s.

--scale: the controllers alone (no scheduler/kubelet components) create the pods of one
150,000-replica Deployment, which are then bound round-robin to 5,000 nodes: the memory the
store + controllers' indexes need (target: under 2 GiB).
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time

WORLD = """apiVersion: kubetrainer/v1
kind: World
metadata: {{name: bench}}
spec:
  nodeGroups:
    - {{count: {nodes}, namePrefix: node-, template: {{capacity: {{cpu: "64", memory: 256Gi, pods: "110"}}}}}}
  registry:
    - image: nginx
      tags: ["1.16.1", "1.17.0"]
      pullSeconds: 2
      process: {{listen: [80], startupSeconds: 1, onSigterm: exit}}
"""

DEPLOYMENT = {
    "apiVersion": "apps/v1", "kind": "Deployment",
    "metadata": {"name": "web", "namespace": "default"},
    "spec": {"replicas": 0, "selector": {"matchLabels": {"app": "web"}},
             "template": {"metadata": {"labels": {"app": "web"}},
                          "spec": {"containers": [{"name": "web", "image": "nginx:1.16.1",
                                                   "resources": {"requests": {"cpu": "10m", "memory": "16Mi"}}}]}}},
}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--replicas", type=int, default=1000)
    p.add_argument("--nodes", type=int, default=20)
    p.add_argument("--format", choices=["text", "json"], default="text")
    p.add_argument("--scale", action="store_true")
    a = p.parse_args(argv)
    if a.scale:
        return scale(a)
    t0 = time.perf_counter()
    from kubetrainer.sim.cluster import Cluster
    from kubetrainer.sim.world import parse_world

    world = parse_world(WORLD.format(nodes=a.nodes), "bench-world.yaml")
    c = Cluster(world, seed=0)
    d = json.loads(json.dumps(DEPLOYMENT))
    d["spec"]["replicas"] = a.replicas
    c.apply_manifests([d])

    def done(image: str) -> bool:
        dep = c.store.get("Deployment", "default", "web")
        st = dep.get("status") or {}
        img = dep["spec"]["template"]["spec"]["containers"][0]["image"]
        return (img == image and st.get("observedGeneration", 0) >= dep["metadata"]["generation"]
                and st.get("updatedReplicas") == a.replicas and st.get("replicas") == a.replicas
                and st.get("availableReplicas") == a.replicas)

    def run_to(image: str, limit: float) -> float:
        while not done(image):
            t = c.step()
            if t is None or t > limit:
                raise SystemExit(f"rollout did not finish by t={limit}")
        return c.now

    t_created = run_to("nginx:1.16.1", 3600)
    wall_created = time.perf_counter() - t0
    start = c.now
    out = c.kubectl("set image deployment/web web=nginx:1.17.0")
    assert out.exit_code == 0, out.output
    t_done = run_to("nginx:1.17.0", start + 36000)
    wall = time.perf_counter() - t0
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    res = {"replicas": a.replicas, "nodes": a.nodes, "virtualCreated": t_created,
           "virtualRollout": round(t_done - start, 3), "seconds": round(wall, 3),
           "secondsCreate": round(wall_created, 3), "secondsRollout": round(wall - wall_created, 3),
           "peakRssMiB": round(rss, 1), "events": len(c.events.events), "podsInStore": c.store.count("Pod")}
    if a.format == "json":
        print(json.dumps(res))
    else:
        for k, v in res.items():
            print(f"{k}: {v}")
    return 0


def scale(a: argparse.Namespace) -> int:
    replicas = 150000 if a.replicas == 1000 else a.replicas
    nodes = 5000 if a.nodes == 20 else a.nodes
    t0 = time.perf_counter()
    from kubetrainer.sim.cluster import Cluster
    from kubetrainer.sim.controllers import controllers
    from kubetrainer.sim.world import parse_world

    c = Cluster(parse_world(WORLD.format(nodes=nodes), "bench-world.yaml"), seed=0, components=controllers())
    d = json.loads(json.dumps(DEPLOYMENT))
    d["spec"]["replicas"] = replicas
    c.apply_manifests([d])
    c.run_until(1)
    names = [n["metadata"]["name"] for n in c.store.list("Node")]
    for i, pod in enumerate(c.store.list("Pod")):
        c.apiserver.bind(pod, names[i % len(names)])
    c.run_until(2)
    res = {"pods": c.store.count("Pod"), "nodes": len(names), "seconds": round(time.perf_counter() - t0, 3),
           "peakRssMiB": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)}
    print(json.dumps(res) if a.format == "json" else "\n".join(f"{k}: {v}" for k, v in res.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
