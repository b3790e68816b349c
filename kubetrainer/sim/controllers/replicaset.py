"""The ReplicaSet controller (pkg/controller/replicaset/replica_set.go).

* syncReplicaSet: claim pods (adopt orphans whose labels match, release owned pods that no longer
  match: controller_ref_manager.go ClaimPods), count the *active* pods (FilterActivePods: pods with a
  deletionTimestamp or a terminal phase leave the count at once), manageReplicas, calculateStatus.
* manageReplicas: create `replicas - active` pods (at most burstReplicas = 500 per sync), named
  `<rs>-<5 random chars>` by the apiserver's generateName; or delete the surplus in the order of
  getPodsToDelete (controller.ActivePodsWithRanks, related pods of the same owner on the same node).
* events: Normal SuccessfulCreate `Created pod: <pod>`, Normal SuccessfulDelete `Deleted pod: <pod>`
  (controller_utils.go RealPodControl.createPods / DeletePod); a pod refused by admission (ResourceQuota,
  Priority) gives Warning FailedCreate `Error creating: pods "<pod>" is forbidden: ...`, stops the
  slowStartBatch, sets the ReplicaFailure condition and requeues the ReplicaSet rate-limited.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kubetrainer.sim.apiserver import Forbidden
from kubetrainer.sim.controllers.common import (
    WorkQueue, api_error_text, apiserver, slow_start_batch, controller_ref, is_pod_active, make_controller_ref, pod_from_template,
    pod_ready_time, rank_pods_for_deletion, selector_matches)
from kubetrainer.sim.controllers.index import owner_index, shared_watch

if TYPE_CHECKING:
    from kubetrainer.sim.cluster import Cluster

Obj = dict[str, Any]
BURST_REPLICAS = 500
SOURCE = "replicaset-controller"


class _Cache:
    """What one ReplicaSet's last sync saw, so the next sync only looks at the pods written since:
    contrib[(ns, name)] = (fully labelled, ready since | None) for every *active* owned pod."""

    __slots__ = ("contrib", "fully", "ready", "sig", "dirty")

    def __init__(self, sig: Any) -> None:
        self.contrib: dict[tuple[str, str], tuple[bool, float | None]] = {}
        self.fully = 0
        self.ready = 0
        self.sig = sig
        self.dirty: set[tuple[str, str]] = set()

    def remove(self, key: tuple[str, str]) -> None:
        old = self.contrib.pop(key, None)
        if old is not None:
            self.fully -= old[0]
            self.ready -= old[1] is not None

    def add(self, key: tuple[str, str], fully: bool, ready_time: float | None) -> None:
        self.contrib[key] = (fully, ready_time)
        self.fully += fully
        self.ready += ready_time is not None


class ReplicaSetController:
    name = "replicaset-controller"
    kind = "ReplicaSet"
    source = SOURCE

    @staticmethod
    def selector_of(rs: Obj) -> Obj | None:
        return rs["spec"].get("selector")

    def attach(self, cluster: "Cluster") -> None:
        self.cluster = cluster
        self.store = cluster.store
        self.idx = owner_index(cluster)
        self.queue = WorkQueue(cluster, self.sync, "replicaset-controller sync", order=self._surplus_first)
        self.caches: dict[str, _Cache] = {}
        self._dirty: dict[str, set[tuple[str, str]]] = {}   # rs uid -> pod keys written since its last sync
        self._pod_owner: dict[tuple[str, str], str] = {}
        self.store.observers.append(self._observe)
        shared_watch(cluster, self.kind, self._on_rs)
        shared_watch(cluster, "Pod", self._on_pod)

    def _surplus_first(self, keys: list[tuple[str, str]]) -> list[tuple[str, str]]:
        """Of the ReplicaSets due at one instant, those with pods to delete go first. Upstream's workers
        run concurrently; this order keeps a rolling update inside replicas + maxSurge at every write
        (the deployment controller scaled the old ReplicaSet down before it scaled the new one up)."""
        def surplus(key: tuple[str, str]) -> int:
            rs = self.store.get(self.kind, *key)
            if rs is None:
                return 1
            want = 1 if rs["spec"].get("replicas") is None else int(rs["spec"]["replicas"])
            cache = self.caches.get(rs["metadata"].get("uid"))
            have = len(cache.contrib) if cache is not None else int((rs.get("status") or {}).get("replicas") or 0)
            return 0 if have > want else 1
        return sorted(keys, key=surplus)

    # -- event handlers ----------------------------------------------------------------------------------
    def _observe(self, event: str, obj: Obj) -> None:
        if obj.get("kind") != "Pod":
            return
        meta = obj["metadata"]
        key = (meta.get("namespace") or "default", meta["name"])
        prev = self._pod_owner.get(key)
        cur = None
        if event != "DELETED":
            ref = controller_ref(obj)
            if ref is not None and ref.get("kind") == self.kind:
                cur = ref.get("uid")
        if prev is not None and prev != cur:
            self._dirty.setdefault(prev, set()).add(key)
        if cur is not None:
            self._dirty.setdefault(cur, set()).add(key)
            self._pod_owner[key] = cur
        elif prev is not None:
            del self._pod_owner[key]

    def _on_rs(self, event: str, rs: Obj) -> None:
        if event == "DELETED":
            self.caches.pop(rs["metadata"].get("uid"), None)
            self._dirty.pop(rs["metadata"].get("uid"), None)
            return
        self.queue.add((rs["metadata"]["namespace"], rs["metadata"]["name"]))

    def _on_pod(self, event: str, pod: Obj) -> None:
        meta = pod["metadata"]
        ns = meta.get("namespace") or "default"
        ref = controller_ref(pod)
        if ref is not None:
            if ref.get("kind") == self.kind:
                self.queue.add((ns, ref["name"]))
            return
        if event == "DELETED":
            return
        # an orphan: every ReplicaSet whose selector matches may adopt it (getPodReplicaSets)
        labels = meta.get("labels") or {}
        for rs in self.store.list(self.kind, ns):
            if selector_matches(self.selector_of(rs), labels):
                self.queue.add((ns, rs["metadata"]["name"]))

    # -- sync -----------------------------------------------------------------------------------------------------
    def _contribution(self, pod: Obj, tlabels: Obj) -> tuple[bool, float | None]:
        plabels = pod["metadata"].get("labels") or {}
        fully = all(plabels.get(k) == v for k, v in tlabels.items())
        return fully, pod_ready_time(pod)

    def claim_pods(self, rs: Obj) -> _Cache:
        """ClaimPods (owned pods that still match, plus adopted orphans), incrementally: only the pods
        written since the last sync are looked at again."""
        api = apiserver(self.cluster)
        meta = rs["metadata"]
        uid = meta["uid"]
        selector = self.selector_of(rs)
        tlabels = ((rs["spec"].get("template") or {}).get("metadata") or {}).get("labels") or {}
        deleting = meta.get("deletionTimestamp") is not None
        sig = (repr(selector), repr(sorted(tlabels.items())))
        cache = self.caches.get(uid)
        dirty = self._dirty.pop(uid, set())
        if cache is None or cache.sig != sig:
            cache = _Cache(sig)
            self.caches[uid] = cache
            dirty = set(self.idx.owned_map("Pod", uid)) | dirty
        for key in sorted(dirty):   # sets iterate in hash order; writes must not
            cache.remove(key)
            pod = self.store.get("Pod", *key)
            if pod is None:
                continue
            ref = controller_ref(pod)
            if ref is None or ref.get("uid") != uid:
                continue
            if not selector_matches(selector, pod["metadata"].get("labels")):
                if not deleting:
                    # ReleasePod: remove our controller reference
                    pod["metadata"]["ownerReferences"] = [r for r in pod["metadata"].get("ownerReferences") or ()
                                                          if r.get("uid") != uid]
                    api.update(pod)
                continue
            if is_pod_active(pod):
                cache.add(key, *self._contribution(pod, tlabels))
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
                    key = (pod["metadata"]["namespace"], pod["metadata"]["name"])
                    if is_pod_active(pod):
                        cache.add(key, *self._contribution(pod, tlabels))
        self._dirty.pop(uid, None)  # our own adoption/release writes are already accounted for
        return cache

    def sync(self, key: tuple[str, str]) -> None:
        ns, name = key
        rs = self.store.get(self.kind, ns, name)
        if rs is None:
            return
        cache = self.claim_pods(rs)
        # calculateStatus works on the pods listed before manageReplicas, as upstream does; the
        # watch events of the pods created/deleted now trigger the next sync.
        status = self.calculate_status(rs, cache)
        err = None
        if rs["metadata"].get("deletionTimestamp") is None:
            err = self.manage_replicas(rs, cache)
        self.update_status(rs, *status, err=err, diff=len(cache.contrib) - self._want(rs))
        # processNextWorkItem: a sync error requeues the key with the rate limiter, success forgets it
        if err is not None:
            self.queue.add_rate_limited(key)
        else:
            self.queue.forget(key)

    @staticmethod
    def _want(rs: Obj) -> int:
        return int(rs["spec"].get("replicas", 1) if rs["spec"].get("replicas") is not None else 1)

    def manage_replicas(self, rs: Obj, cache: _Cache) -> str | None:
        """Returns the error of the sync (a refused pod creation), as manageReplicas does."""
        api = apiserver(self.cluster)
        want = self._want(rs)
        diff = len(cache.contrib) - want
        name = rs["metadata"]["name"]
        if diff < 0:
            # upstream creates at most burstReplicas (500) per sync and syncs again at once; the
            # batches all land at the same virtual instant, so they are created here in one go
            template = rs["spec"].get("template") or {}

            def create_one() -> str | None:
                pod = pod_from_template(template, rs, generate_name=name + "-", copy_spec=False)
                try:
                    created = api.create(pod, actor="controller-manager", strict=True)
                except Forbidden as e:
                    # controller_utils.go RealPodControl.createPods: Warning FailedCreate "Error creating: %v"
                    msg = api_error_text(e)
                    self.cluster.event(rs, "Warning", "FailedCreate", f"Error creating: {msg}", self.source)
                    return msg
                self.cluster.event(rs, "Normal", "SuccessfulCreate",
                                   f"Created pod: {created['metadata']['name']}", self.source)
                return None

            # slowStartBatch: after a batch with a refused pod, the rest of this sync is skipped
            return slow_start_batch(-diff, create_one)[1]
        elif diff > 0:
            active = [p for p in (self.store.get("Pod", *k) for k in cache.contrib) if p is not None]
            related = self._related_pods(rs)
            victims = rank_pods_for_deletion(active, related, self.cluster.now)[:diff] if diff < len(active) \
                else active[:diff]
            for pod in victims:
                pname = pod["metadata"]["name"]
                try:
                    api.delete("Pod", pod["metadata"]["namespace"], pname, actor="controller-manager")
                except KeyError:
                    continue
                self.cluster.event(rs, "Normal", "SuccessfulDelete", f"Deleted pod: {pname}", self.source)
        return None

    def _related_pods(self, rs: Obj) -> list[Obj]:
        """getIndirectlyRelatedPods: the pods of every ReplicaSet with the same controller owner."""
        ref = controller_ref(rs)
        if ref is None:
            return self.idx.owned("Pod", rs["metadata"]["uid"])
        pods: list[Obj] = []
        for sibling in self.idx.owned("ReplicaSet", ref["uid"]):
            pods.extend(self.idx.owned("Pod", sibling["metadata"]["uid"]))
        return pods

    def calculate_status(self, rs: Obj, cache: _Cache) -> tuple[Obj, float | None]:
        now = self.cluster.now
        min_ready = int(rs["spec"].get("minReadySeconds") or 0)
        next_avail: float | None = None
        if not min_ready:
            avail = cache.ready
        else:
            avail = 0
            for _, t in cache.contrib.values():
                if t is None:
                    continue
                if t + min_ready <= now + 1e-9:
                    avail += 1
                elif next_avail is None or t + min_ready < next_avail:
                    next_avail = t + min_ready
        new = {"replicas": len(cache.contrib), "fullyLabeledReplicas": cache.fully, "readyReplicas": cache.ready,
               "availableReplicas": avail, "observedGeneration": rs["metadata"].get("generation", 1)}
        return new, next_avail

    def update_status(self, rs: Obj, new: Obj, next_avail: float | None, err: str | None = None,
                      diff: int = 0) -> None:
        """updateReplicaSetStatus; with minReadySeconds, a resync when the next pod becomes available.
        calculateStatus: a sync error adds the condition ReplicaFailure (reason FailedCreate/FailedDelete,
        message = the error) if there is none yet; a sync without error removes it."""
        status = rs.get("status") or {}
        old = {k: status.get(k, 0) for k in new}
        conds = status.get("conditions") or []
        has_failure = any(c.get("type") == "ReplicaFailure" for c in conds)
        new_conds = None
        if err is not None and not has_failure:
            reason = "FailedCreate" if diff < 0 else "FailedDelete" if diff > 0 else ""
            new_conds = conds + [{"type": "ReplicaFailure", "status": "True", "lastTransitionTime": self.cluster.now,
                                  "reason": reason, "message": err}]
        elif err is None and has_failure:
            new_conds = [c for c in conds if c.get("type") != "ReplicaFailure"]
        if old != new or "replicas" not in status or new_conds is not None:
            status.update(new)
            if new_conds is not None:
                if new_conds:
                    status["conditions"] = new_conds
                else:
                    status.pop("conditions", None)
            for k in ("fullyLabeledReplicas", "readyReplicas", "availableReplicas"):
                if not status.get(k):
                    status.pop(k, None)   # omitempty in ReplicaSetStatus
            rs["status"] = status
            apiserver(self.cluster).update(rs)
        if next_avail is not None:
            self.queue.add_at((rs["metadata"]["namespace"], rs["metadata"]["name"]), next_avail)


class ReplicationControllerController(ReplicaSetController):
    """pkg/controller/replication: the ReplicaSet controller run over ReplicationControllers, whose
    selector is a plain label map (defaulted to the template's labels)."""

    name = "replication-controller"
    kind = "ReplicationController"
    source = "replication-controller"

    @staticmethod
    def selector_of(rc: Obj) -> Obj | None:
        sel = rc["spec"].get("selector")
        if not sel:
            sel = ((rc["spec"].get("template") or {}).get("metadata") or {}).get("labels")
        return {"matchLabels": dict(sel)} if sel else None
