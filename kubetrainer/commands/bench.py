"""`kubetrainer bench scheduler --nodes N --pods M [--init-pods K] [--format text|json]`.

Modelled on scheduler_perf's SchedulingBasic (test/integration/scheduler_perf/config/
performance-config.yaml): N identical nodes (templates/node-default.yaml: 4 CPU, 32Gi, 110 pods),
K pods already bound, then M pending pods (templates/pod-default.yaml: one pause container,
requests = limits = 100m / 500Mi) scheduled by the default profile — through the real component:
store writes, informer events, the scheduling queue, filters, scores, bind. The wall clock is
read here only, to report the throughput; the simulation itself never reads it.
JSON: {"nodes", "pods", "scheduled", "seconds", "podsPerSecond", "podsPerNode": {"min", "max"}}.
"""

from __future__ import annotations

import json
import sys
import time


def node_template(name: str) -> dict:
    cap = {"cpu": "4", "memory": "32Gi", "pods": "110"}
    return {"apiVersion": "v1", "kind": "Node",
            "metadata": {"name": name, "labels": {"kubernetes.io/hostname": name}},
            "spec": {}, "status": {"capacity": dict(cap), "allocatable": dict(cap),
                                   "conditions": [{"type": "Ready", "status": "True"}]}}


def pod_template(name: str, node: str | None = None) -> dict:
    res = {"cpu": "100m", "memory": "500Mi"}
    pod = {"apiVersion": "v1", "kind": "Pod",
           "metadata": {"name": name, "namespace": "default"},
           "spec": {"containers": [{"name": "pause", "image": "registry.k8s.io/pause:3.10",
                                    "ports": [{"containerPort": 80}],
                                    "resources": {"limits": dict(res), "requests": dict(res)}}],
                    "schedulerName": "default-scheduler"},
           "status": {"phase": "Pending"}}
    if node:
        pod["spec"]["nodeName"] = node
        pod["status"]["phase"] = "Running"
    return pod


class _World:
    objects: list = []

    def __init__(self, n: int) -> None:
        self.n = n

    def to_node_objects(self) -> list[dict]:
        width = max(4, len(str(self.n)))
        return [node_template(f"node-{k:0{width}d}") for k in range(1, self.n + 1)]


def bench_scheduler(nodes: int, pods: int, init_pods: int = 0, seed: int = 0) -> dict:
    from kubetrainer.sim.cluster import Cluster
    from kubetrainer.sim.scheduler.component import SchedulerComponent

    cluster = Cluster(_World(nodes), seed=seed, components=[])
    names = [n["metadata"]["name"] for n in cluster.store.list("Node")]
    for k in range(init_pods):
        cluster.store.create(pod_template(f"init-pod-{k}", names[k % len(names)] if names else None))
    sched = SchedulerComponent(keep_records=False, explain_limit=0)
    cluster.add_component(sched)
    cluster.run_until(0)
    start = time.perf_counter()
    for k in range(pods):
        cluster.store.create(pod_template(f"pod-{k}"))
    cluster.run_until(0)
    seconds = time.perf_counter() - start
    per_node = sched.table.npods
    return {"nodes": nodes, "pods": pods, "scheduled": sched.scheduled, "seconds": round(seconds, 3),
            "podsPerSecond": round(sched.scheduled / seconds, 1) if seconds > 0 else 0.0,
            "podsPerNode": {"min": int(per_node.min()) if nodes else 0, "max": int(per_node.max()) if nodes else 0}}


def run(args) -> int:
    from kubetrainer.errors import UserError

    if args.bench_command != "scheduler":
        raise UserError(f"unknown benchmark {args.bench_command!r}")
    if args.nodes < 0 or args.pods < 0 or args.init_pods < 0:
        raise UserError("--nodes, --pods and --init-pods must not be negative")
    res = bench_scheduler(args.nodes, args.pods, args.init_pods)
    if args.format == "json":
        sys.stdout.write(json.dumps(res) + "\n")
    else:
        sys.stdout.write(f"nodes {res['nodes']}, pods {res['pods']}, scheduled {res['scheduled']} in "
                         f"{res['seconds']} s: {res['podsPerSecond']} pods/s; pods per node "
                         f"min {res['podsPerNode']['min']} max {res['podsPerNode']['max']}\n")
    return 0
