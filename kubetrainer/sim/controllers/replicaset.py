"""The ReplicaSet controller (pkg/controller/replicaset/replica_set.go).

* syncReplicaSet: claim pods (adopt orphans whose labels match, release owned pods that no longer
  match: controller_ref_manager.go ClaimPods), count the *active* pods (FilterActivePods: pods with a
  deletionTimestamp or a terminal phase leave the count at once), manageReplicas, calculateStatus.
* manageReplicas: create `replicas - active` pods (at most burstReplicas = 500 per sync), named
  `<rs>-<5 random chars>` by the apiserver's generateName; or delete the surplus in the order of
  getPodsToDelete (controller.ActivePodsWithRanks, related pods of the same owner on the same node).
* events: Normal SuccessfulCreate `Created pod: <pod>`, Normal SuccessfulDelete `Deleted pod: <pod>`
  (controller_utils.go RealPodControl.createPods / DeletePod).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kubetrainer.sim.controllers.common import (
    WorkQueue, apiserver, available_at, controller_ref, is_pod_active, is_pod_available,
    is_pod_ready, make_controller_ref, pod_from_template, rank_pods_for_deletion, selector_matches)
from kubetrainer.sim.controllers.index import owner_index

if TYPE_CHECKING:
    from kubetrainer.sim.cluster import Cluster

Obj = dict[str, Any]
BURST_REPLICAS = 500
SOURCE = "replicaset-controller"


class ReplicaSetController:
    name = "replicaset-controller"

    def attach(self, cluster: "Cluster") -> None:
        self.cluster = cluster
        self.store = cluster.store
        self.idx = owner_index(cluster)
        self.queue = WorkQueue(cluster, self.sync, "replicaset-controller sync")
        self.store.watch("ReplicaSet", self._on_rs)
        self.store.watch("Pod", self._on_pod)

    # -- event handlers ----------------------------------------------------------------------------------
    def _on_rs(self, event: str, rs: Obj) -> None:
        if event != "DELETED":
            self.queue.add((rs["metadata"]["namespace"], rs["metadata"]["name"]))

    def _on_pod(self, event: str, pod: Obj) -> None:
        meta = pod["metadata"]
        ns = meta.get("namespace") or "default"
        ref = controller_ref(pod)
        if ref is not None:
            if ref.get("kind") == "ReplicaSet":
                self.queue.add((ns, ref["name"]))
            return
        if event == "DELETED":
            return
        # an orphan: every ReplicaSet whose selector matches may adopt it (getPodReplicaSets)
        labels = meta.get("labels") or {}
        for rs in self.store.list("ReplicaSet", ns):
            if selector_matches(rs["spec"].get("selector"), labels):
                self.queue.add((ns, rs["metadata"]["name"]))

    # -- sync -----------------------------------------------------------------------------------------------------
    def claim_pods(self, rs: Obj) -> list[Obj]:
        """ClaimPods: owned pods that still match, plus adopted orphans."""
        api = apiserver(self.cluster)
        meta = rs["metadata"]
        uid = meta["uid"]
        selector = rs["spec"].get("selector")
        deleting = meta.get("deletionTimestamp") is not None
        claimed: list[Obj] = []
        for pod in list(self.idx.owned_map("Pod", uid).values()):
            ref = controller_ref(pod)
            if ref is None or ref.get("uid") != uid:
                continue
            if selector_matches(selector, pod["metadata"].get("labels")):
                claimed.append(pod)
            elif not deleting:
                # ReleasePod: remove our controller reference
                pod["metadata"]["ownerReferences"] = [r for r in pod["metadata"].get("ownerReferences") or ()
                                                      if r.get("uid") != uid]
                api.update(pod)
        if not deleting:
            for pod in self.idx.orphans_in("Pod", meta["namespace"]):
                if pod["metadata"].get("deletionTimestamp") is not None:
                    continue
                if selector_matches(selector, pod["metadata"].get("labels")):
                    # AdoptPod: add a controller reference
                    refs = list(pod["metadata"].get("ownerReferences") or ())
                    refs.append(make_controller_ref(rs))
                    pod["metadata"]["ownerReferences"] = refs
                    api.update(pod)
                    claimed.append(pod)
        return claimed

    def sync(self, key: tuple[str, str]) -> None:
        ns, name = key
        rs = self.store.get("ReplicaSet", ns, name)
        if rs is None:
            return
        pods = self.claim_pods(rs)
        active = [p for p in pods if is_pod_active(p)]
        if rs["metadata"].get("deletionTimestamp") is None:
            self.manage_replicas(rs, active)
        # calculateStatus works on the pods listed before manageReplicas, as upstream does; the
        # watch events of the pods just created/deleted trigger the next sync.
        self.update_status(rs, active)

    def manage_replicas(self, rs: Obj, active: list[Obj]) -> None:
        api = apiserver(self.cluster)
        want = int(rs["spec"].get("replicas", 1) if rs["spec"].get("replicas") is not None else 1)
        diff = len(active) - want
        name = rs["metadata"]["name"]
        if diff < 0:
            n = min(-diff, BURST_REPLICAS)
            template = rs["spec"].get("template") or {}
            for _ in range(n):
                pod = pod_from_template(template, rs, generate_name=name + "-")
                created = api.create(pod, actor="controller-manager")
                self.cluster.event(rs, "Normal", "SuccessfulCreate",
                                   f"Created pod: {created['metadata']['name']}", SOURCE)
            if -diff > BURST_REPLICAS:
                self.queue.add((rs["metadata"]["namespace"], name))
        elif diff > 0:
            n = min(diff, BURST_REPLICAS)
            related = self._related_pods(rs)
            victims = rank_pods_for_deletion(active, related, self.cluster.now)[:n] if n < len(active) else active[:n]
            for pod in victims:
                pname = pod["metadata"]["name"]
                try:
                    api.delete("Pod", pod["metadata"]["namespace"], pname, actor="controller-manager")
                except KeyError:
                    continue
                self.cluster.event(rs, "Normal", "SuccessfulDelete", f"Deleted pod: {pname}", SOURCE)
            if diff > BURST_REPLICAS:
                self.queue.add((rs["metadata"]["namespace"], name))

    def _related_pods(self, rs: Obj) -> list[Obj]:
        """getIndirectlyRelatedPods: the pods of every ReplicaSet with the same controller owner."""
        ref = controller_ref(rs)
        if ref is None:
            return self.idx.owned("Pod", rs["metadata"]["uid"])
        pods: list[Obj] = []
        for sibling in self.idx.owned("ReplicaSet", ref["uid"]):
            pods.extend(self.idx.owned("Pod", sibling["metadata"]["uid"]))
        return pods

    def update_status(self, rs: Obj, active: list[Obj]) -> None:
        """calculateStatus + updateReplicaSetStatus."""
        now = self.cluster.now
        min_ready = int(rs["spec"].get("minReadySeconds") or 0)
        tlabels = ((rs["spec"].get("template") or {}).get("metadata") or {}).get("labels") or {}
        fully = ready = avail = 0
        next_avail: float | None = None
        for p in active:
            plabels = p["metadata"].get("labels") or {}
            if all(plabels.get(k) == v for k, v in tlabels.items()):
                fully += 1
            if is_pod_ready(p):
                ready += 1
                if is_pod_available(p, min_ready, now):
                    avail += 1
                else:
                    t = available_at(p, min_ready)
                    if t is not None and (next_avail is None or t < next_avail):
                        next_avail = t
        status = rs.get("status") or {}
        new = {"replicas": len(active), "fullyLabeledReplicas": fully, "readyReplicas": ready,
               "availableReplicas": avail, "observedGeneration": rs["metadata"].get("generation", 1)}
        old = {k: status.get(k, 0) for k in new}
        if old != new or "replicas" not in status:
            status.update(new)
            rs["status"] = status
            apiserver(self.cluster).update(rs)
        if next_avail is not None:
            self.queue.add_at((rs["metadata"]["namespace"], rs["metadata"]["name"]), next_avail)
