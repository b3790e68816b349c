"""The garbage collector's background cascading deletion (pkg/controller/garbagecollector):
when an owner leaves storage, dependents whose every owner is gone are deleted (pods gracefully).
Pods of a Node object that is deleted are removed by pod GC (pkg/controller/podgc gcOrphaned), and
terminating pods on a not-ready node tainted node.kubernetes.io/out-of-service by gcTerminating."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from kubetrainer.sim.controllers.common import apiserver
from kubetrainer.sim.controllers.index import owner_index

if TYPE_CHECKING:
    from kubetrainer.sim.cluster import Cluster

Obj = dict[str, Any]
GC_CHECK_PERIOD = 20.0   # podgc gcCheckPeriod
OUT_OF_SERVICE = "node.kubernetes.io/out-of-service"
OWNER_KINDS = ("Deployment", "ReplicaSet", "DaemonSet", "StatefulSet", "Job", "ReplicationController", "CronJob")
DEPENDENT_KINDS = ("ReplicaSet", "Pod", "ControllerRevision", "Job", "PersistentVolumeClaim")


class GarbageCollector:
    name = "garbage-collector"

    def attach(self, cluster: "Cluster") -> None:
        self.cluster = cluster
        self.idx = owner_index(cluster)
        for kind in OWNER_KINDS:
            cluster.store.watch(kind, self._on_owner)
        # a pod owns the claims of a StatefulSet's scaled-down ordinal (whenScaled: Delete); an observer,
        # not a watch, so the pods that own nothing (nearly all) cost no queued call per write
        cluster.store.observers.append(self._observe_pod)
        cluster.store.watch("Node", self._on_node)
        self._ticking = False

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

    def _observe_pod(self, event: str, obj: Obj) -> None:
        if event == "DELETED" and obj.get("kind") == "Pod" and \
                self.idx.owned_map("PersistentVolumeClaim", obj["metadata"].get("uid", "")):
            self.cluster.clock.soon(self._on_owner, event, obj, label="gc pod owner")

    def _exists(self, ref: Obj, dep: Obj) -> bool:
        obj = self.cluster.store.get(ref.get("kind", ""), dep["metadata"].get("namespace") or "default",
                                     ref.get("name", ""))
        return obj is not None and obj["metadata"].get("uid") == ref.get("uid")

    def _on_node(self, event: str, node: Obj) -> None:
        """podgc gcOrphaned: pods bound to a node that is gone are deleted (grace 0) once the node has
        stayed absent for the quarantine time (40 s)."""
        if event != "DELETED":
            if not self._ticking and _out_of_service(node):
                self._ticking = True
                now = self.cluster.clock.now
                nxt = math.floor(now / GC_CHECK_PERIOD + 1e-9) * GC_CHECK_PERIOD
                if nxt < now - 1e-9:
                    nxt += GC_CHECK_PERIOD
                self.cluster.clock.at(max(nxt, now), self._gc_terminating, label="podgc gcTerminating")
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

    def _gc_terminating(self) -> None:
        """podgc gcTerminating (the PodGC loop runs every gcCheckPeriod = 20 s; ticking here only while
        some node has the out-of-service taint): terminating pods on a not-ready node with the
        node.kubernetes.io/out-of-service taint are marked Failed and deleted with grace 0
        (markFailedAndDeletePod)."""
        store = self.cluster.store
        tainted = [n for n in store.list("Node") if _out_of_service(n)]
        if not tainted:
            self._ticking = False
            return
        api = apiserver(self.cluster)
        for node in tainted:
            if _node_ready(node):
                continue
            for pod in list(self.idx.pods_on_node(node["metadata"]["name"])):
                phase = (pod.get("status") or {}).get("phase")
                if pod["metadata"].get("deletionTimestamp") is None or phase in ("Succeeded", "Failed"):
                    continue
                pod.setdefault("status", {})["phase"] = "Failed"
                api.update(pod)
                try:
                    api.delete("Pod", pod["metadata"]["namespace"], pod["metadata"]["name"], grace_period=0,
                               force=True, actor="controller-manager")
                except KeyError:
                    pass
        self.cluster.clock.after(GC_CHECK_PERIOD, self._gc_terminating, label="podgc gcTerminating")


def _out_of_service(node: Obj) -> bool:
    return any(t.get("key") == OUT_OF_SERVICE for t in (node.get("spec") or {}).get("taints") or ())


def _node_ready(node: Obj) -> bool:
    for c in (node.get("status") or {}).get("conditions") or ():
        if c.get("type") == "Ready":
            return c.get("status") == "True"
    return False
