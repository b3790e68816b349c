"""The ResourceQuota controller (pkg/controller/resourcequota resource_quota_controller.go syncResourceQuota):
status.hard = spec.hard and status.used = the namespace's usage of the tracked resources (pods and their
cpu/memory requests and limits, count/pods), recomputed when a quota changes or a pod of its namespace is
added, deleted or reaches a terminal phase (the replenishment controller)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kubetrainer.sim.controllers.common import WorkQueue, apiserver
from kubetrainer.sim.controllers.index import shared_watch

if TYPE_CHECKING:
    from kubetrainer.sim.cluster import Cluster

Obj = dict[str, Any]


class ResourceQuotaController:
    name = "resourcequota-controller"

    def attach(self, cluster: "Cluster") -> None:
        self.cluster = cluster
        self.store = cluster.store
        self.queue = WorkQueue(cluster, self.sync, "resourcequota-controller sync")
        self._terminal: set[tuple[str, str]] = set()
        cluster.store.watch("ResourceQuota", self._on_quota)
        shared_watch(cluster, "Pod", self._on_pod)

    def _on_quota(self, event: str, q: Obj) -> None:
        if event != "DELETED":
            self.queue.add(q["metadata"].get("namespace") or "default")

    def _on_pod(self, event: str, pod: Obj) -> None:
        if not self.store.count("ResourceQuota"):
            return
        meta = pod["metadata"]
        key = (meta.get("namespace") or "default", meta["name"])
        terminal = (pod.get("status") or {}).get("phase") in ("Succeeded", "Failed")
        if event == "MODIFIED" and terminal == (key in self._terminal):
            return
        if terminal and event != "DELETED":
            self._terminal.add(key)
        else:
            self._terminal.discard(key)
        if self.store.list("ResourceQuota", key[0]):
            self.queue.add(key[0])

    def sync(self, ns: str) -> None:
        from kubetrainer.api.quantity import QuantityError, canonical, parse_quantity

        api = apiserver(self.cluster)
        used_all = api.quota_used(ns)
        for q in self.store.list("ResourceQuota", ns):
            hard = dict(((q.get("spec") or {}).get("hard")) or {})
            used: dict[str, str] = {}
            for k, h in hard.items():
                try:
                    fmt = parse_quantity(h).format
                except QuantityError:
                    continue
                u = used_all.get(k, 0)
                used[k] = str(u) if isinstance(u, int) else canonical(u, fmt)
            status = {"hard": hard, "used": used}
            if q.get("status") != status:
                q["status"] = status
                api.update(q)
