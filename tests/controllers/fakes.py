"""A tiny fake world, binder and kubelet so the controllers can be tested on the store + clock alone
(the real scheduler and kubelet have their own tests)."""

from __future__ import annotations

from typing import Any

from kubetrainer.sim.cluster import Cluster

Obj = dict[str, Any]


class FakeWorld:
    def __init__(self, n: int = 3, taints: dict[str, list] | None = None) -> None:
        self.n = n
        self.taints = taints or {}
        self.objects: list = []

    def to_node_objects(self) -> list[Obj]:
        out = []
        for i in range(1, self.n + 1):
            name = f"node-{i}"
            out.append({"apiVersion": "v1", "kind": "Node",
                        "metadata": {"name": name, "labels": {"kubernetes.io/hostname": name,
                                                              "kubernetes.io/os": "linux"}},
                        "spec": {"taints": list(self.taints.get(name, []))} if self.taints.get(name) else {},
                        "status": {"conditions": [{"type": "Ready", "status": "True", "reason": "KubeletReady",
                                                   "message": "kubelet is posting ready status",
                                                   "lastHeartbeatTime": 0.0, "lastTransitionTime": 0.0}],
                                   "capacity": {"cpu": "4", "memory": "8Gi", "pods": "110"},
                                   "allocatable": {"cpu": "4", "memory": "8Gi", "pods": "110"}}})
        return out


def _tolerates(pod: Obj, taint: Obj) -> bool:
    for t in pod["spec"].get("tolerations") or ():
        if t.get("effect") and t["effect"] != taint.get("effect"):
            continue
        if t.get("operator") == "Exists" and not t.get("key"):
            return True
        if t.get("key") != taint.get("key"):
            continue
        if t.get("operator") == "Exists" or t.get("value", "") == taint.get("value", ""):
            return True
    return False


class FakeScheduler:
    """Binds pending pods one second after creation to the schedulable node with fewest pods."""

    name = "fake-scheduler"

    def attach(self, cluster: Cluster) -> None:
        self.c = cluster
        cluster.store.watch("Pod", self._on_pod)
        cluster.store.watch("Node", self._on_node)
        self.waiting: dict = {}

    def _on_node(self, ev: str, node: Obj) -> None:
        for key in list(self.waiting):
            self.c.clock.soon(self._bind, key)

    def _on_pod(self, ev: str, pod: Obj) -> None:
        if ev == "ADDED" and not pod["spec"].get("nodeName"):
            key = (pod["metadata"]["namespace"], pod["metadata"]["name"])
            self.c.clock.after(1, self._bind, key)

    def _fits(self, pod: Obj, node: Obj) -> bool:
        if node.get("spec", {}).get("unschedulable"):
            return False
        for t in node.get("spec", {}).get("taints") or ():
            if t.get("effect") in ("NoSchedule", "NoExecute") and not _tolerates(pod, t):
                return False
        sel = pod["spec"].get("nodeSelector") or {}
        labels = node["metadata"].get("labels") or {}
        if any(labels.get(k) != v for k, v in sel.items()):
            return False
        aff = ((pod["spec"].get("affinity") or {}).get("nodeAffinity") or {}).get(
            "requiredDuringSchedulingIgnoredDuringExecution")
        if aff:
            from kubetrainer.api.selectors import node_selector_matches

            if not node_selector_matches(aff, labels, {"metadata.name": node["metadata"]["name"]}):
                return False
        return True

    def _bind(self, key: tuple[str, str]) -> None:
        pod = self.c.store.get("Pod", *key)
        if pod is None or pod["spec"].get("nodeName") or pod["metadata"].get("deletionTimestamp") is not None:
            self.waiting.pop(key, None)
            return
        counts: dict[str, int] = {}
        for p in self.c.store.list("Pod"):
            n = p["spec"].get("nodeName")
            if n:
                counts[n] = counts.get(n, 0) + 1
        nodes = [n for n in self.c.store.list("Node") if self._fits(pod, n)]
        if not nodes:
            self.waiting[key] = True
            return
        self.waiting.pop(key, None)
        best = min(nodes, key=lambda n: (counts.get(n["metadata"]["name"], 0), n["metadata"]["name"]))
        self.c.apiserver.bind(pod, best["metadata"]["name"])


class FakeKubelet:
    """Starts bound pods (Running, Ready after `ready_after` s) unless the image tag is 'bad';
    finishes graceful deletions after 1 s. Stops for nodes listed in `down`."""

    name = "kubelet"

    def __init__(self, ready_after: float = 2.0) -> None:
        self.ready_after = ready_after
        self.down: set[str] = set()

    def attach(self, cluster: Cluster) -> None:
        self.c = cluster
        cluster.store.watch("Pod", self._on_pod)
        self.started: set = set()

    def node_down(self, name: str) -> None:
        self.down.add(name)

    def node_up(self, name: str) -> None:
        self.down.discard(name)
        for p in self.c.store.list("Pod"):
            if p["spec"].get("nodeName") == name:
                self._on_pod("MODIFIED", p)
                if p["metadata"].get("deletionTimestamp") is None and p.get("status", {}).get("phase") == "Running":
                    from kubetrainer.sim.apiserver import set_condition

                    if set_condition(p["status"], "Ready", "True", self.c.now):
                        self.c.apiserver.update(p)

    def _on_pod(self, ev: str, pod: Obj) -> None:
        if ev == "DELETED":
            return
        node = pod["spec"].get("nodeName")
        if not node or node in self.down:
            return
        key = (pod["metadata"]["namespace"], pod["metadata"]["name"], pod["metadata"]["uid"])
        if pod["metadata"].get("deletionTimestamp") is not None:
            if ("del",) + key not in self.started:
                self.started.add(("del",) + key)
                self.c.clock.after(1, self._finish, pod)
            return
        if key in self.started:
            return
        self.started.add(key)
        self.c.clock.after(1, self._run, pod)

    def _run(self, pod: Obj) -> None:
        if pod["metadata"].get("deletionTimestamp") is not None or pod["spec"].get("nodeName") in self.down:
            return
        if self.c.store.get("Pod", pod["metadata"]["namespace"], pod["metadata"]["name"]) is not pod:
            return
        images = [c.get("image", "") for c in pod["spec"].get("containers") or ()]
        st = pod.setdefault("status", {})
        if any(i.endswith(":bad") for i in images):
            st["containerStatuses"] = [{"name": c["name"], "ready": False, "restartCount": 0,
                                        "state": {"waiting": {"reason": "ImagePullBackOff"}}}
                                       for c in pod["spec"]["containers"]]
            self.c.apiserver.update(pod)
            return
        st["phase"] = "Running"
        st["containerStatuses"] = [{"name": c["name"], "ready": False, "restartCount": 0,
                                    "state": {"running": {"startedAt": self.c.now}}}
                                   for c in pod["spec"]["containers"]]
        self.c.apiserver.update(pod)
        self.c.clock.after(self.ready_after, self._ready, pod)

    def _ready(self, pod: Obj) -> None:
        if pod["metadata"].get("deletionTimestamp") is not None or pod["spec"].get("nodeName") in self.down:
            return
        from kubetrainer.sim.apiserver import set_condition

        for cs in pod["status"]["containerStatuses"]:
            cs["ready"] = True
        set_condition(pod["status"], "ContainersReady", "True", self.c.now)
        set_condition(pod["status"], "Ready", "True", self.c.now)
        self.c.apiserver.update(pod)

    def _finish(self, pod: Obj) -> None:
        if pod["spec"].get("nodeName") in self.down:
            return
        self.c.apiserver.remove(pod)


def make_cluster(nodes: int = 3, ready_after: float = 2.0, seed: int = 0, taints=None) -> Cluster:
    from kubetrainer.sim.controllers import controllers

    kubelet = FakeKubelet(ready_after)
    c = Cluster(FakeWorld(nodes, taints), seed=seed, components=[])
    from kubetrainer.sim.controllers.common import apiserver

    apiserver(c)
    c.fake_kubelet = kubelet
    for comp in [FakeScheduler(), kubelet, *controllers()]:
        c.add_component(comp)
    return c


def deployment(name: str = "web", replicas: int = 4, image: str = "nginx:1.16", **spec: Any) -> Obj:
    d = {"apiVersion": "apps/v1", "kind": "Deployment",
         "metadata": {"name": name, "namespace": "default"},
         "spec": {"replicas": replicas, "selector": {"matchLabels": {"app": name}},
                  "template": {"metadata": {"labels": {"app": name}},
                               "spec": {"containers": [{"name": name, "image": image}]}}}}
    d["spec"].update(spec)
    return d


def pods_of(c: Cluster, prefix: str = "") -> list[Obj]:
    return [p for p in c.store.list("Pod") if p["metadata"]["name"].startswith(prefix)]
