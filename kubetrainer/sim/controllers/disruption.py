"""The disruption controller (pkg/controller/disruption/disruption.go trySync / getExpectedPodCount /
updatePdbStatus): PodDisruptionBudget status — expectedPods, currentHealthy (Ready, not terminating),
desiredHealthy, disruptionsAllowed = max(0, currentHealthy - desiredHealthy), the DisruptionAllowed
condition (SufficientPods / InsufficientPods). Expected pods: with an integer minAvailable, the pods
the selector matches; with a percentage or maxUnavailable, the scale of their controllers
(Deployment / ReplicaSet / StatefulSet / ReplicationController spec.replicas)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kubetrainer.sim.controllers.common import (
    WorkQueue, apiserver, controller_ref, is_pod_ready, selector_matches)
from kubetrainer.sim.controllers.deployment_util import IntOrPercentError, scaled_value
from kubetrainer.sim.controllers.index import shared_watch

if TYPE_CHECKING:
    from kubetrainer.sim.cluster import Cluster

Obj = dict[str, Any]


def _scaled(v: Any, total: int) -> int:
    """intstr.GetScaledValueFromIntOrPercent rounding up, as the disruption controller calls it;
    a value validation would have refused counts as 0."""
    try:
        return scaled_value(v, total, round_up=True)
    except (IntOrPercentError, TypeError, ValueError):
        return 0


def _controller_scale(store: Any, pod: Obj, seen: set[str]) -> int | None:
    """getExpectedPodCount's finders: the spec.replicas of the pod's controller (a ReplicaSet's
    Deployment when it has one); 0 for a controller already counted; None for a bare pod."""
    ns = pod["metadata"].get("namespace") or "default"
    ref = controller_ref(pod)
    if ref is None:
        return None
    obj = store.get(ref.get("kind", ""), ns, ref.get("name", ""))
    if obj is None:
        return None
    if obj["kind"] == "ReplicaSet":
        dref = controller_ref(obj)
        if dref is not None and dref.get("kind") == "Deployment":
            d = store.get("Deployment", ns, dref.get("name", ""))
            if d is not None:
                obj = d
    uid = obj["metadata"].get("uid")
    if uid in seen:
        return 0
    seen.add(uid)
    if obj["kind"] not in ("Deployment", "ReplicaSet", "StatefulSet", "ReplicationController"):
        return None
    r = (obj.get("spec") or {}).get("replicas")
    return 1 if r is None else int(r)


def compute_budget(store: Any, pdb: Obj) -> tuple[int, int, int, int]:
    """(expectedPods, currentHealthy, desiredHealthy, disruptionsAllowed) as trySync computes them.
    The one place the budget is computed: the controller publishes it, and the eviction API and
    preemption use it when the status has not been published yet."""
    spec = pdb.get("spec") or {}
    sel = spec.get("selector")
    ns = pdb["metadata"].get("namespace") or "default"
    pods = [p for p in store.list("Pod", ns) if sel and selector_matches(sel, p["metadata"].get("labels"))]
    healthy = sum(1 for p in pods if p["metadata"].get("deletionTimestamp") is None and is_pod_ready(p))
    min_av = spec.get("minAvailable")
    if min_av is not None and not (isinstance(min_av, str) and min_av.endswith("%")):
        expected = len(pods)
        desired = _scaled(min_av, expected)
    else:
        seen: set[str] = set()
        expected = 0
        for p in pods:
            s = _controller_scale(store, p, seen)
            expected += 1 if s is None else s
        if min_av is not None:
            desired = _scaled(min_av, expected)
        elif spec.get("maxUnavailable") is not None:
            desired = max(0, expected - _scaled(spec["maxUnavailable"], expected))
        else:
            desired = expected
    return expected, healthy, desired, max(0, healthy - desired)


class DisruptionController:
    name = "disruption-controller"

    def attach(self, cluster: "Cluster") -> None:
        self.cluster = cluster
        self.store = cluster.store
        self.queue = WorkQueue(cluster, self.sync, "disruption-controller sync")
        shared_watch(cluster, "PodDisruptionBudget", self._on_pdb)
        shared_watch(cluster, "Pod", self._on_pod)

    def _on_pdb(self, event: str, pdb: Obj) -> None:
        if event != "DELETED":
            self.queue.add((pdb["metadata"].get("namespace") or "default", pdb["metadata"]["name"]))

    def _on_pod(self, event: str, pod: Obj) -> None:
        ns = pod["metadata"].get("namespace") or "default"
        if not self.store.count("PodDisruptionBudget"):
            return
        for pdb in self.store.list("PodDisruptionBudget", ns):
            sel = (pdb.get("spec") or {}).get("selector")
            if sel and selector_matches(sel, pod["metadata"].get("labels")):
                self.queue.add((ns, pdb["metadata"]["name"]))

    def sync(self, key: tuple[str, str]) -> None:
        pdb = self.store.get("PodDisruptionBudget", *key)
        if pdb is None:
            return
        expected, healthy, desired, allowed = compute_budget(self.store, pdb)
        now = self.cluster.now
        st = pdb.get("status") or {}
        new = {"observedGeneration": pdb["metadata"].get("generation", 1), "expectedPods": expected,
               "currentHealthy": healthy, "desiredHealthy": desired, "disruptionsAllowed": allowed}
        reason = "SufficientPods" if allowed > 0 else "InsufficientPods"
        cond = next((c for c in st.get("conditions") or () if c.get("type") == "DisruptionAllowed"), None)
        changed = any(st.get(k) != v for k, v in new.items())
        if cond is None or cond.get("reason") != reason:
            status = "True" if allowed > 0 else "False"
            cond = {"type": "DisruptionAllowed", "status": status, "reason": reason, "message": "",
                    "observedGeneration": new["observedGeneration"],
                    "lastTransitionTime": now if cond is None or cond.get("status") != status
                    else cond.get("lastTransitionTime")}
            st["conditions"] = [cond]
            changed = True
        if changed:
            st.update(new)
            st.setdefault("disruptedPods", None)
            if st.get("disruptedPods") is None:
                st.pop("disruptedPods")
            pdb["status"] = st
            apiserver(self.cluster).update(pdb)
