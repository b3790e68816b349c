"""Builders for scheduler tests (nodes, pods, a small cluster)."""

from __future__ import annotations

from kubetrainer.sim.scheduler.framework import Framework
from kubetrainer.sim.scheduler.nodetable import NodeTable
from kubetrainer.sim.scheduler.podinfo import PodInfo


def node(name: str, cpu: str = "4", mem: str = "8Gi", pods: str = "110", labels: dict | None = None,
         taints: list | None = None, unschedulable: bool = False, images: list | None = None) -> dict:
    lb = {"kubernetes.io/hostname": name}
    lb.update(labels or {})
    return {"apiVersion": "v1", "kind": "Node", "metadata": {"name": name, "labels": lb},
            "spec": {"taints": taints or [], "unschedulable": unschedulable},
            "status": {"allocatable": {"cpu": cpu, "memory": mem, "pods": pods},
                       "images": images or []}}


def pod(name: str, cpu: str | None = None, mem: str | None = None, ns: str = "default", labels: dict | None = None,
        priority: int | None = None, image: str = "nginx", **spec) -> dict:
    req = {}
    if cpu is not None:
        req["cpu"] = cpu
    if mem is not None:
        req["memory"] = mem
    p = {"apiVersion": "v1", "kind": "Pod",
         "metadata": {"name": name, "namespace": ns, "labels": labels or {}, "uid": f"uid-{name}"},
         "spec": {"containers": [{"name": "c", "image": image, "resources": {"requests": req}}]},
         "status": {"phase": "Pending"}}
    if priority is not None:
        p["spec"]["priority"] = priority
    p["spec"].update(spec)
    return p


def three_nodes(**kw) -> list[dict]:
    return [node(f"node-{k}", **kw) for k in (1, 2, 3)]


def framework(nodes: list[dict], seed: int = 0) -> Framework:
    import random

    return Framework(NodeTable(nodes), rng=random.Random(seed))


def bind(fw: Framework, p: dict, node_name: str) -> PodInfo:
    p["spec"]["nodeName"] = node_name
    pi = PodInfo(p, p["spec"].get("priority") or 0)
    fw.table.add_pod(pi, node_name)
    return pi


class FakeWorld:
    objects: list = []

    def __init__(self, nodes: list[dict]) -> None:
        self.nodes = nodes

    def to_node_objects(self) -> list[dict]:
        import copy

        return copy.deepcopy(self.nodes)


def cluster(nodes: list[dict], seed: int = 0):
    from kubetrainer.sim.cluster import Cluster
    from kubetrainer.sim.scheduler.component import SchedulerComponent

    return Cluster(FakeWorld(nodes), seed=seed, components=[SchedulerComponent()])
