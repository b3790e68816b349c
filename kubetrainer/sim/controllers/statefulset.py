"""The StatefulSet controller (pkg/controller/statefulset/stateful_set_control.go
updateStatefulSet / stateful_set_utils.go / stateful_pod_control.go).

* pods `<sts>-<ordinal>` (hostname = pod name, subdomain = serviceName), labels
  controller-revision-hash (`<sts>-<hash>`), statefulset.kubernetes.io/pod-name,
  apps.kubernetes.io/pod-index
* OrderedReady (default): ordinal i is created only when every lower ordinal is Running and Ready
  (and available for minReadySeconds); a terminating pod is waited for; scale-down deletes the
  highest ordinal first, one at a time, waiting for it to be gone. Parallel: no waiting.
* failed / succeeded pods are deleted and recreated
* RollingUpdate: from the highest ordinal down to `partition`, one pod at a time (each must be
  Running and Ready again before the next is deleted); OnDelete: only recreated pods change.
* events: SuccessfulCreate `create Pod <pod> in StatefulSet <sts> successful`, SuccessfulDelete
  `delete Pod <pod> in StatefulSet <sts> successful` (recordPodEvent).
* volumeClaimTemplates: claim `<template>-<sts>-<ordinal>` created before its pod (event SuccessfulCreate
  `create Claim <claim> Pod <pod> in StatefulSet <sts> success`), mounted as the template's volume; the
  PersistentVolume controller (persistentvolume.py) binds or provisions it.
  persistentVolumeClaimRetentionPolicy (updateClaimOwnerRefForSetAndPod): Retain (default) keeps claims;
  whenDeleted Delete makes the set own new claims, whenScaled Delete makes a scaled-down pod own its
  claims, and the garbage collector deletes them with their owner. (A policy changed later is applied
  to new claims and scale-downs only.)
"""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any

from kubetrainer.sim.apiserver import Forbidden
from kubetrainer.sim.controllers.common import (
    WorkQueue, api_error_text, apiserver, available_at, compute_hash, controller_ref, is_pod_available, is_pod_ready,
    make_controller_ref, pod_from_template)
from kubetrainer.sim.controllers.index import owner_index, shared_watch
from kubetrainer.sim.controllers.revisions import sync_revision

if TYPE_CHECKING:
    from kubetrainer.sim.cluster import Cluster

Obj = dict[str, Any]
SOURCE = "statefulset-controller"


def _ordinal(sts_name: str, pod_name: str) -> int | None:
    prefix = sts_name + "-"
    if not pod_name.startswith(prefix):
        return None
    rest = pod_name[len(prefix):]
    return int(rest) if rest.isdigit() else None


class StatefulSetController:
    name = "statefulset-controller"

    def attach(self, cluster: "Cluster") -> None:
        self.cluster = cluster
        self.store = cluster.store
        self.idx = owner_index(cluster)
        self.queue = WorkQueue(cluster, self.sync, "statefulset-controller sync")
        shared_watch(cluster, "StatefulSet", self._on_sts)
        shared_watch(cluster, "Pod", self._on_pod)

    def _on_sts(self, event: str, s: Obj) -> None:
        if event != "DELETED":
            self.queue.add((s["metadata"]["namespace"], s["metadata"]["name"]))

    def _on_pod(self, event: str, pod: Obj) -> None:
        ref = controller_ref(pod)
        if ref is not None and ref.get("kind") == "StatefulSet":
            self.queue.add((pod["metadata"].get("namespace") or "default", ref["name"]))

    # -- helpers ------------------------------------------------------------------------------------------------
    def _running_ready(self, pod: Obj, min_ready: int) -> bool:
        return ((pod.get("status") or {}).get("phase") == "Running" and is_pod_ready(pod)
                and is_pod_available(pod, min_ready, self.cluster.now))

    def _create(self, s: Obj, ordinal: int, rev: str) -> str | None:
        name = f"{s['metadata']['name']}-{ordinal}"
        pod = pod_from_template(s["spec"].get("template") or {}, s, name=name)
        labels = pod["metadata"]["labels"]
        labels["controller-revision-hash"] = rev
        labels["statefulset.kubernetes.io/pod-name"] = name
        labels["apps.kubernetes.io/pod-index"] = str(ordinal)
        pod["spec"]["hostname"] = name
        if s["spec"].get("serviceName"):
            pod["spec"]["subdomain"] = s["spec"]["serviceName"]
        self._claims(s, pod, ordinal)
        try:
            apiserver(self.cluster).create(pod, actor="controller-manager", strict=True)
        except Forbidden as e:
            # stateful_pod_control.go recordPodEvent: Warning FailedCreate "create Pod %s in StatefulSet %s
            # failed error: %s"
            msg = api_error_text(e)
            self.cluster.event(s, "Warning", "FailedCreate",
                               f"create Pod {name} in StatefulSet {s['metadata']['name']} failed error: {msg}", SOURCE)
            return msg
        except Exception:  # AlreadyExists: the old pod is still being removed
            return None
        self.cluster.event(s, "Normal", "SuccessfulCreate",
                           f"create Pod {name} in StatefulSet {s['metadata']['name']} successful", SOURCE)
        return None

    def _claims(self, s: Obj, pod: Obj, ordinal: int) -> None:
        """stateful_set_utils.go getPersistentVolumeClaims / updateStorage and stateful_pod_control.go
        createPersistentVolumeClaims: one claim `<template>-<set>-<ordinal>` per volumeClaimTemplate
        (labels: the template's + the selector's matchLabels), created if missing with the event
        Normal SuccessfulCreate `create Claim <claim> Pod <pod> in StatefulSet <set> success`; the pod
        mounts it as a persistentVolumeClaim volume named after the template."""
        templates = s["spec"].get("volumeClaimTemplates") or []
        if not templates:
            return
        api = apiserver(self.cluster)
        ns = s["metadata"].get("namespace", "default")
        names = [(t.get("metadata") or {}).get("name", "") for t in templates]
        # updateStorage: the claims' volumes first, then the template's other volumes
        pod["spec"]["volumes"] = [{"name": tname, "persistentVolumeClaim": {
            "claimName": f"{tname}-{s['metadata']['name']}-{ordinal}"}} for tname in names] + \
            [v for v in pod["spec"].get("volumes") or [] if v.get("name") not in names]
        for t, tname in zip(templates, names):
            claim = f"{tname}-{s['metadata']['name']}-{ordinal}"
            if self.store.get("PersistentVolumeClaim", ns, claim) is not None:
                continue
            labels = dict((t.get("metadata") or {}).get("labels") or {})
            labels.update(((s["spec"].get("selector") or {}).get("matchLabels")) or {})
            meta: Obj = {"name": claim, "namespace": ns, "labels": labels}
            if _retention(s)[0] == "Delete":
                # updateClaimOwnerRefForSetAndPod, whenDeleted Delete: the set owns the claim
                meta["ownerReferences"] = [make_controller_ref(s)]
            pvc = {"apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": meta,
                   "spec": copy.deepcopy(t.get("spec") or {})}
            try:
                api.create(pvc, actor="controller-manager")
            except Exception as e:   # noqa: BLE001 - recorded as upstream does
                self.cluster.event(s, "Warning", "FailedCreate",
                                   f"create Claim {claim} for Pod {pod['metadata']['name']} in StatefulSet "
                                   f"{s['metadata']['name']} failed error: {api_error_text(e)}", SOURCE)
                continue
            self.cluster.event(s, "Normal", "SuccessfulCreate",
                               f"create Claim {claim} Pod {pod['metadata']['name']} in StatefulSet "
                               f"{s['metadata']['name']} success", SOURCE)

    def _condemn(self, s: Obj, pod: Obj) -> None:
        """updateClaimOwnerRefForSetAndPod for a scaled-down pod with whenScaled Delete: its claims are
        owned by the pod (not the set), so the garbage collector deletes them after the pod."""
        if _retention(s)[1] != "Delete" or not pod["metadata"].get("uid"):
            return
        ordinal = _ordinal(s["metadata"]["name"], pod["metadata"]["name"])
        ns = s["metadata"].get("namespace", "default")
        for t in s["spec"].get("volumeClaimTemplates") or []:
            claim = self.store.get("PersistentVolumeClaim", ns,
                                   f"{(t.get('metadata') or {}).get('name', '')}-{s['metadata']['name']}-{ordinal}")
            if claim is None:
                continue
            refs = [r for r in claim["metadata"].get("ownerReferences") or ()
                    if r.get("uid") not in (s["metadata"]["uid"], pod["metadata"]["uid"])]
            claim["metadata"]["ownerReferences"] = [*refs, make_controller_ref(pod)]
            apiserver(self.cluster).update(claim)

    def _delete(self, s: Obj, pod: Obj) -> None:
        try:
            apiserver(self.cluster).delete("Pod", pod["metadata"]["namespace"], pod["metadata"]["name"],
                                           actor="controller-manager")
        except KeyError:
            return
        self.cluster.event(s, "Normal", "SuccessfulDelete",
                           f"delete Pod {pod['metadata']['name']} in StatefulSet {s['metadata']['name']} successful",
                           SOURCE)

    # -- sync ------------------------------------------------------------------------------------------------------
    def sync(self, key: tuple[str, str]) -> None:
        s = self.store.get("StatefulSet", *key)
        if s is None or s["metadata"].get("deletionTimestamp") is not None:
            return
        name = s["metadata"]["name"]
        uid = s["metadata"]["uid"]
        rev = f"{name}-{compute_hash(s['spec'].get('template') or {})}"
        replicas = 1 if s["spec"].get("replicas") is None else int(s["spec"]["replicas"])
        min_ready = int(s["spec"].get("minReadySeconds") or 0)
        parallel = s["spec"].get("podManagementPolicy") == "Parallel"
        pods: dict[int, Obj] = {}
        for pod in self.idx.owned("Pod", uid):
            if (controller_ref(pod) or {}).get("uid") != uid:
                continue
            o = _ordinal(name, pod["metadata"]["name"])
            if o is not None:
                pods[o] = pod
        in_use = {p["metadata"].get("labels", {}).get("controller-revision-hash") for p in pods.values()}
        in_use.add((s.get("status") or {}).get("currentRevision"))
        sync_revision(self.cluster, s, rev, {x for x in in_use if x})
        self._update_status(s, pods, replicas, rev, min_ready)
        monotonic = not parallel
        # replicas: create missing, replace failed, wait for readiness in order
        for i in range(replicas):
            pod = pods.get(i)
            if pod is not None and (pod.get("status") or {}).get("phase") in ("Failed", "Succeeded") \
                    and pod["metadata"].get("deletionTimestamp") is None:
                self._delete(s, pod)
                if monotonic:
                    return
                continue
            if pod is None:
                if self._create(s, i, rev) is not None:
                    self.queue.add_rate_limited(key)   # the sync's error: requeued with back-off
                    return
                self.queue.forget(key)
                if monotonic:
                    return
                continue
            if pod["metadata"].get("deletionTimestamp") is not None:
                if monotonic:
                    return
                continue
            if not self._running_ready(pod, min_ready):
                if monotonic:
                    t = available_at(pod, min_ready)
                    if t is not None:
                        self.queue.add_at(key, t)
                    return
        # condemned: highest ordinal first
        for o in sorted((o for o in pods if o >= replicas), reverse=True):
            pod = pods[o]
            if pod["metadata"].get("deletionTimestamp") is not None:
                if monotonic:
                    return
                continue
            self._condemn(s, pod)
            self._delete(s, pod)
            if monotonic:
                return
        strat = s["spec"].get("updateStrategy") or {"type": "RollingUpdate"}
        if strat.get("type", "RollingUpdate") != "RollingUpdate":
            return
        partition = int((strat.get("rollingUpdate") or {}).get("partition") or 0)
        for o in range(replicas - 1, partition - 1, -1):
            pod = pods.get(o)
            if pod is None:
                return
            if pod["metadata"].get("labels", {}).get("controller-revision-hash") != rev:
                if pod["metadata"].get("deletionTimestamp") is None:
                    self._delete(s, pod)
                return
            if not self._running_ready(pod, min_ready):
                return

    def _update_status(self, s: Obj, pods: dict[int, Obj], replicas: int, rev: str, min_ready: int) -> None:
        live = [p for p in pods.values() if p["metadata"].get("deletionTimestamp") is None]
        ready = sum(1 for p in live if is_pod_ready(p))
        avail = sum(1 for p in live if is_pod_available(p, min_ready, self.cluster.now))
        updated = sum(1 for p in live if p["metadata"].get("labels", {}).get("controller-revision-hash") == rev)
        st = s.get("status") or {}
        current_rev = st.get("currentRevision") or rev
        if updated == replicas and len(live) == replicas:
            current_rev = rev
        current = sum(1 for p in live if p["metadata"].get("labels", {}).get("controller-revision-hash") == current_rev)
        new = {"observedGeneration": s["metadata"].get("generation", 1), "replicas": len(live),
               "readyReplicas": ready, "currentReplicas": current, "updatedReplicas": updated,
               "availableReplicas": avail, "currentRevision": current_rev, "updateRevision": rev}
        if any(st.get(k) != v for k, v in new.items()):
            st.update(new)
            s["status"] = st
            apiserver(self.cluster).update(s)


def _retention(s: Obj) -> tuple[str, str]:
    """spec.persistentVolumeClaimRetentionPolicy (whenDeleted, whenScaled); Retain by default."""
    pol = s["spec"].get("persistentVolumeClaimRetentionPolicy") or {}
    return pol.get("whenDeleted") or "Retain", pol.get("whenScaled") or "Retain"
