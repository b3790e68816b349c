"""A tiny controlled world for kubelet tests that must not depend on the default world's contents."""

from __future__ import annotations

from typing import Any

import attrs


@attrs.define
class FakeNode:
    name: str
    capacity: dict = attrs.Factory(lambda: {"cpu": "4", "memory": "8Gi", "pods": "110"})
    allocatable: dict = attrs.Factory(lambda: {"cpu": "4", "memory": "8Gi", "pods": "110"})
    labels: dict = attrs.Factory(dict)
    taints: list = attrs.Factory(list)
    images: list = attrs.Factory(list)

    def to_object(self) -> dict:
        return {"apiVersion": "v1", "kind": "Node",
                "metadata": {"name": self.name, "labels": {"kubernetes.io/hostname": self.name, **self.labels}},
                "spec": {"taints": list(self.taints)} if self.taints else {},
                "status": {"capacity": dict(self.capacity), "allocatable": dict(self.allocatable),
                           "conditions": [{"type": "Ready", "status": "True"}]}}


@attrs.define
class FakeLookup:
    image: str
    found: bool = True
    process: Any = None
    image_id: str = ""
    reference: str = ""
    size_bytes: int = 1000


@attrs.define
class FakePull:
    ok: bool
    error: str = ""
    seconds: float = 2.0
    size_bytes: int = 1000
    lookup: Any = None


class FakeRegistry:
    def __init__(self, missing: tuple[str, ...] = (), private: tuple[str, ...] = ()) -> None:
        self.missing = set(missing)
        self.private = set(private)

    def normalize(self, ref: str) -> str:
        return ref if ":" in ref.rsplit("/", 1)[-1] else ref + ":latest"

    def resolve(self, image: str) -> FakeLookup:
        return FakeLookup(image, found=image not in self.missing, image_id=f"sha256:{abs(hash(image)) % 10**8}",
                          reference=self.normalize(image))

    def pull(self, image: str, auths: dict | None = None) -> FakePull:
        if image in self.missing:
            return FakePull(False, f'rpc error: code = NotFound desc = failed to pull and unpack image "{image}"',
                            1.0, 0, self.resolve(image))
        if image in self.private and "private.example.com" not in (auths or {}):
            return FakePull(False, "401 Unauthorized", 1.0, 0, self.resolve(image))
        return FakePull(True, "", 2.0, 1000, self.resolve(image))


class FakeWorld:
    def __init__(self, nodes: int = 1, missing: tuple[str, ...] = (), private: tuple[str, ...] = ()) -> None:
        self.name = "fake"
        self.nodes = [FakeNode(f"node-{i + 1}") for i in range(nodes)]
        self.registry = FakeRegistry(missing, private)
        self.objects: list = []

    def to_node_objects(self) -> list[dict]:
        return [n.to_object() for n in self.nodes]


class BindFirstNode:
    """Test-only scheduler: binds every unbound pod to the first node, 0.5 s after creation."""

    name = "test-binder"

    def attach(self, cluster: Any) -> None:
        self.cluster = cluster
        cluster.store.watch("Pod", self._on_pod)

    def _on_pod(self, event: str, pod: dict) -> None:
        if event != "ADDED" or pod["spec"].get("nodeName"):
            return
        self.cluster.clock.after(0.5, self._bind, pod)

    def _bind(self, pod: dict) -> None:
        if self.cluster.store.get("Pod", pod["metadata"]["namespace"], pod["metadata"]["name"]) is not pod:
            return
        node = self.cluster.store.list("Node")[0]["metadata"]["name"]
        self.cluster.event(pod, "Normal", "Scheduled",
                           f"Successfully assigned {pod['metadata']['namespace']}/{pod['metadata']['name']} to {node}",
                           "default-scheduler")
        self.cluster.apiserver.bind(pod, node)
