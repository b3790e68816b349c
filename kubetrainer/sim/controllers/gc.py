"""The garbage collector's background cascading deletion (pkg/controller/garbagecollector):
when an owner leaves storage, dependents whose every owner is gone are deleted (pods gracefully).
Pods of a Node object that is deleted are removed by pod GC (pkg/controller/podgc gcOrphaned)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kubetrainer.sim.controllers.common import apiserver
from kubetrainer.sim.controllers.index import owner_index

if TYPE_CHECKING:
    from kubetrainer.sim.cluster import Cluster

Obj = dict[str, Any]
OWNER_KINDS = ("Deployment", "ReplicaSet", "DaemonSet", "StatefulSet", "Job", "ReplicationController", "CronJob")
DEPENDENT_KINDS = ("ReplicaSet", "Pod", "ControllerRevision", "Job")


class GarbageCollector:
    name = "garbage-collector"

    def attach(self, cluster: "Cluster") -> None:
        self.cluster = cluster
        self.idx = owner_index(cluster)
        for kind in OWNER_KINDS:
            cluster.store.watch(kind, self._on_owner)
        cluster.store.watch("Node", self._on_node)

    def _on_owner(self, event: str, owner: Obj) -> None:
        if event != "DELETED":
            return
        uid = owner["metadata"].get("uid")
        api = apiserver(self.cluster)
        for kind in DEPENDENT_KINDS:
            for dep in self.idx.owned(kind, uid):
                refs = dep["metadata"].get("ownerReferences") or ()
                alive = [r for r in refs if r.get("uid") != uid and self._exists(r, dep)]
                if alive:
                    dep["metadata"]["ownerReferences"] = alive
                    api.update(dep)
                    continue
                if dep["metadata"].get("deletionTimestamp") is not None:
                    continue
                try:
                    api.delete(kind, dep["metadata"]["namespace"], dep["metadata"]["name"], actor="controller-manager")
                except KeyError:
                    pass

    def _exists(self, ref: Obj, dep: Obj) -> bool:
        obj = self.cluster.store.get(ref.get("kind", ""), dep["metadata"].get("namespace") or "default",
                                     ref.get("name", ""))
        return obj is not None and obj["metadata"].get("uid") == ref.get("uid")

    def _on_node(self, event: str, node: Obj) -> None:
        """podgc gcOrphaned: pods bound to a node that is gone are deleted (grace 0) once the node has
        stayed absent for the quarantine time (40 s)."""
        if event != "DELETED":
            return
        self.cluster.clock.after(40.0, self._gc_orphaned, node["metadata"]["name"], label="podgc gcOrphaned")

    def _gc_orphaned(self, name: str) -> None:
        if self.cluster.store.get("Node", "", name) is not None:
            return
        api = apiserver(self.cluster)
        for pod in self.idx.pods_on_node(name):
            try:
                api.delete("Pod", pod["metadata"]["namespace"], pod["metadata"]["name"], grace_period=0,
                           force=True, actor="controller-manager")
            except KeyError:
                pass
