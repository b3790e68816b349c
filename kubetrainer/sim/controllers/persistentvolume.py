"""The PersistentVolume controller and an external provisioner (pkg/controller/volume/persistentvolume
pv_controller.go, sig-storage-lib-external-provisioner controller.go), as far as lessons meet them:

* syncUnboundClaim: a claim is bound to the smallest Available PersistentVolume that matches it
  (class, access modes, capacity, volume mode, selector: sim/storage.py pv_matches); a claim with
  a class that delays binding (volumeBindingMode WaitForFirstConsumer) waits for the scheduler's
  `volume.kubernetes.io/selected-node` annotation (event WaitForFirstConsumer "waiting for first
  consumer to be created before binding", or WaitForPodScheduled while a pod using it is not
  scheduled yet); a claim without a class gets FailedBinding "no persistent volumes available for
  this claim and no storage class is set"; a class that does not exist ProvisioningFailed
  `storageclass.storage.k8s.io "NAME" not found`.
* provisionClaimOperationExternal: the claim is annotated with its provisioner and gets
  ExternalProvisioning; the provisioner (the one in the class, e.g. kind's rancher.io/local-path)
  reports Provisioning / ProvisioningSucceeded and creates `pvc-<claim uid>`; the controller binds
  both (claimRef, spec.volumeName, phases Bound, pv.kubernetes.io/bind-completed and
  bound-by-controller). rancher.io/local-path makes a hostPath volume on the selected node and
  refuses a claim without one ("configuration error, no node was specified").
* reclaimVolume: when its claim is deleted a volume is Released; a Delete policy deletes it.
* The claim resync (the controller's 15 s --pvclaimbinder-sync-period) repeats the waiting events.

Provisioning happens at once (the local-path helper pod's few seconds are not modelled).
"""

from __future__ import annotations

import copy
import hashlib
import math
from typing import TYPE_CHECKING, Any

from kubetrainer.api.gotext import go_quote
from kubetrainer.sim.controllers.common import apiserver
from kubetrainer.sim.store import fixed_uid
from kubetrainer.sim.storage import (
    DEFAULT_CLASS_ANNOTATION, NO_PROVISIONER, SELECTED_NODE, claim_names, class_of, pv_matches, quantity, uses_claim)

if TYPE_CHECKING:
    from kubetrainer.sim.cluster import Cluster

Obj = dict[str, Any]
SOURCE = "persistentvolume-controller"
SYNC_PERIOD = 15.0                                   # --pvclaimbinder-sync-period
PROVISIONER_ANNOTATIONS = ("volume.beta.kubernetes.io/storage-provisioner", "volume.kubernetes.io/storage-provisioner")
LOCAL_PATH = "rancher.io/local-path"

# kind's default StorageClass (what `kubectl get storageclass` shows on a kind cluster)
DEFAULT_STORAGE_CLASS: Obj = {
    "apiVersion": "storage.k8s.io/v1", "kind": "StorageClass",
    "metadata": {"name": "standard", "uid": fixed_uid("StorageClass", "standard"),
                 "annotations": {DEFAULT_CLASS_ANNOTATION: "true"}},
    "provisioner": LOCAL_PATH, "reclaimPolicy": "Delete", "volumeBindingMode": "WaitForFirstConsumer",
}


def storage_addons(world_objects: list[Any]) -> list[Obj]:
    """The StorageClasses a cluster has before anything is applied: kind's default class, unless
    the world brings StorageClasses of its own (then only those)."""
    for m in world_objects:
        obj = m.obj if hasattr(m, "obj") else m
        if isinstance(obj, dict) and obj.get("kind") == "StorageClass":
            return []
    return [copy.deepcopy(DEFAULT_STORAGE_CLASS)]


def provisioner_identity(provisioner: str) -> str:
    """The provisioner's event source, `<name>_<its pod>_<uuid>` as the external-provisioner library
    forms it; the pod name and uuid are fixed per provisioner (deterministic)."""
    h = hashlib.sha256(f"kubetrainer/{provisioner}".encode()).hexdigest()
    pod = "local-path-provisioner-7dc846544d-" + "".join("bcdfghjklmnpqrstvwxz2456789"[int(c, 16)] for c in h[:5]) \
        if provisioner == LOCAL_PATH else "provisioner-0"
    return f"{provisioner}_{pod}_{h[8:16]}-{h[16:20]}-{h[20:24]}-{h[24:28]}-{h[28:40]}"


class PersistentVolumeController:
    name = "persistentvolume-controller"

    def attach(self, cluster: "Cluster") -> None:
        self.cluster = cluster
        self.store = cluster.store
        self._ticking = False
        self._own: dict[str, str] = {}   # uid -> the resourceVersion this controller last wrote
        self.store.watch("PersistentVolumeClaim", self._on_claim)
        self.store.watch("PersistentVolume", self._on_volume)
        self.store.observers.append(self._on_pod)   # deletions only (a watch would queue every pod write)
        for pvc in self.store.list("PersistentVolumeClaim"):
            self._on_claim("ADDED", pvc)

    # -- events ---------------------------------------------------------------------------------------------
    def _on_claim(self, event: str, pvc: Obj) -> None:
        if event == "DELETED":
            self._released(pvc)
            return
        cur = self._current(pvc)
        if cur is not None and not self._wrote_last(cur):
            self.sync_claim(cur, new=event == "ADDED")

    def _on_volume(self, event: str, pv: Obj) -> None:
        if event == "DELETED":
            return
        if pv["metadata"].get("deletionTimestamp") is not None:
            self._finish_protected("PersistentVolume")
            return
        if self._wrote_last(pv):
            return
        if (pv.get("status") or {}).get("phase") in (None, "Pending") and \
                not ((pv.get("spec") or {}).get("claimRef") or {}).get("uid"):
            self._set_volume_phase(pv, "Available")   # syncVolume: unused (or only pre-bound)
        # a new volume can satisfy waiting claims
        for pvc in self.store.list("PersistentVolumeClaim"):
            if not (pvc.get("spec") or {}).get("volumeName"):
                self.sync_claim(pvc)

    def _on_pod(self, event: str, pod: Obj) -> None:
        """pvcprotection: a claim kept Terminating for a pod is deleted once no pod uses it."""
        if event == "DELETED" and pod.get("kind") == "Pod" and claim_names(pod):
            self.cluster.clock.soon(self._finish_protected, "PersistentVolumeClaim",
                                    pod["metadata"].get("namespace") or "default", label="pvc-protection")

    def _finish_protected(self, kind: str, namespace: str = "") -> None:
        api = apiserver(self.cluster)
        for obj in self.store.list(kind, namespace):
            if obj["metadata"].get("deletionTimestamp") is not None and not api.in_use(obj):
                api.remove(obj, actor="controller-manager")

    def _wrote_last(self, obj: Obj) -> bool:
        """The object's latest version is this controller's own write (no new information)."""
        meta = obj["metadata"]
        return self._own.get(meta.get("uid", "")) == meta.get("resourceVersion")

    def _update(self, obj: Obj) -> None:
        apiserver(self.cluster).update(obj)
        self._own[obj["metadata"]["uid"]] = obj["metadata"]["resourceVersion"]

    def _current(self, obj: Obj) -> Obj | None:
        meta = obj["metadata"]
        cur = self.store.get(obj["kind"], meta.get("namespace") or "", meta["name"])
        return cur if cur is not None and cur["metadata"].get("uid") == meta.get("uid") else None

    def _ensure_ticking(self) -> None:
        """The periodic resync, aligned to the controller's start (virtual time 0)."""
        if self._ticking:
            return
        self._ticking = True
        now = self.cluster.now
        nxt = (math.floor(now / SYNC_PERIOD + 1e-9) + 1) * SYNC_PERIOD
        self.cluster.clock.at(nxt, self._resync, label="pv-controller resync")

    def _resync(self) -> None:
        self._ticking = False
        waiting = [p for p in self.store.list("PersistentVolumeClaim") if not (p.get("spec") or {}).get("volumeName")]
        for pvc in waiting:
            self.sync_claim(pvc)

    # -- syncClaim ------------------------------------------------------------------------------------------
    def sync_claim(self, pvc: Obj, new: bool = False) -> None:
        """syncUnboundClaim / syncBoundClaim. `new`: the claim was just created (the controller's pod
        cache does not have pods created after it yet)."""
        spec = pvc.get("spec") or {}
        if pvc["metadata"].get("deletionTimestamp") is not None:
            return
        if spec.get("volumeName"):
            pv = self.store.get("PersistentVolume", "", spec["volumeName"])
            if pv is not None:
                self._bind(pv, pvc)
            else:
                self._set_claim_phase(pvc, "Pending")
            return
        self._set_claim_phase(pvc, "Pending")
        classes = self.store.list("StorageClass")
        cls = class_of(pvc, classes)
        sc = next((c for c in classes if c["metadata"]["name"] == cls), None) if cls else None
        delayed = sc is not None and (sc.get("volumeBindingMode") or "Immediate") == "WaitForFirstConsumer"
        node = ((pvc["metadata"].get("annotations") or {}).get(SELECTED_NODE))
        if delayed and not node:
            self._event(pvc, *self._delay_event(pvc, new))
            self._ensure_ticking()
            return
        pv = self._best_match(pvc, cls)
        if pv is not None:
            self._bind(pv, pvc)
            return
        if not cls:
            self._event(pvc, "Normal", "FailedBinding", "no persistent volumes available for this claim and no "
                        "storage class is set")
        elif sc is None:
            self._event(pvc, "Warning", "ProvisioningFailed", f"storageclass.storage.k8s.io {go_quote(cls)} not found")
        elif sc.get("provisioner") and sc["provisioner"] != NO_PROVISIONER:
            self._provision(pvc, sc, node)
            return
        self._ensure_ticking()

    def _delay_event(self, pvc: Obj, new: bool) -> tuple[str, str, str]:
        """emitEventForUnboundDelayBindingClaim (findNonScheduledPodsByPVC over the pod cache)."""
        ns, name = pvc["metadata"].get("namespace") or "default", pvc["metadata"]["name"]
        since = pvc["metadata"].get("creationTimestamp") or 0.0
        pods = sorted(p["metadata"]["name"] for p in self.store.list("Pod", ns)
                      if not (p.get("spec") or {}).get("nodeName")
                      and not (new and (p["metadata"].get("creationTimestamp") or 0.0) >= since)
                      and uses_claim(p, name))
        if not pods:
            return "Normal", "WaitForFirstConsumer", "waiting for first consumer to be created before binding"
        if len(pods) > 1:
            return "Normal", "WaitForPodScheduled", f"waiting for pods {','.join(pods)} to be scheduled"
        return "Normal", "WaitForPodScheduled", f"waiting for pod {pods[0]} to be scheduled"

    def _best_match(self, pvc: Obj, cls: str) -> Obj | None:
        """findBestMatchForClaim: the smallest Available volume that matches."""
        fits = [pv for pv in self.store.list("PersistentVolume")
                if (pv.get("status") or {}).get("phase") in (None, "Pending", "Available")
                and not ((pv.get("spec") or {}).get("claimRef") or {}).get("uid")
                and pv_matches(pv, pvc, cls)]
        if not fits:
            return None
        return min(fits, key=lambda pv: (quantity(((pv.get("spec") or {}).get("capacity") or {}).get("storage", 0)),
                                         pv["metadata"]["name"]))

    # -- provisioning -----------------------------------------------------------------------------------------
    def _provision(self, pvc: Obj, sc: Obj, node: str | None) -> None:
        prov = sc["provisioner"]
        meta = pvc["metadata"]
        ann = meta.get("annotations") or {}
        if any(ann.get(k) != prov for k in PROVISIONER_ANNOTATIONS):
            meta["annotations"] = {**ann, **{k: prov for k in PROVISIONER_ANNOTATIONS}}
            self._update(pvc)
        self._event(pvc, "Normal", "ExternalProvisioning",
                    f"Waiting for a volume to be created either by the external provisioner '{prov}' or manually by "
                    "the system administrator. If volume creation is delayed, please verify that the provisioner is "
                    "running and correctly registered.")
        source = provisioner_identity(prov)
        ns = meta.get("namespace") or "default"
        key = f"{ns}/{meta['name']}"
        self.cluster.event(pvc, "Normal", "Provisioning",
                           f"External provisioner is provisioning volume for claim {go_quote(key)}", source)
        if prov == LOCAL_PATH and not node:
            self.cluster.event(pvc, "Warning", "ProvisioningFailed",
                               f"failed to provision volume with StorageClass {go_quote(sc['metadata']['name'])}: "
                               "configuration error, no node was specified", source)
            self._ensure_ticking()
            return
        spec = pvc.get("spec") or {}
        name = f"pvc-{meta['uid']}"
        pv_spec: Obj = {
            "accessModes": list(spec.get("accessModes") or []),
            "capacity": {"storage": ((spec.get("resources") or {}).get("requests") or {}).get("storage", "0")},
            "claimRef": _claim_ref(pvc),
            "persistentVolumeReclaimPolicy": sc.get("reclaimPolicy") or "Delete",
            "storageClassName": sc["metadata"]["name"],
            "volumeMode": spec.get("volumeMode") or "Filesystem",
        }
        annotations = {"pv.kubernetes.io/provisioned-by": prov}
        if prov == LOCAL_PATH:
            # local-path-provisioner: a directory on the selected node, and the PV pinned to it
            annotations["local.path.provisioner/selected-node"] = node or ""
            pv_spec["hostPath"] = {"path": f"/var/local-path-provisioner/{name}_{ns}_{meta['name']}",
                                   "type": "DirectoryOrCreate"}
            pv_spec["nodeAffinity"] = {"required": {"nodeSelectorTerms": [{"matchExpressions": [
                {"key": "kubernetes.io/hostname", "operator": "In", "values": [node]}]}]}}
        pv = {"apiVersion": "v1", "kind": "PersistentVolume",
              "metadata": {"name": name, "annotations": annotations},
              "spec": pv_spec, "status": {"phase": "Pending"}}
        pv = apiserver(self.cluster).create(pv, actor="controller-manager")
        self._own[pv["metadata"]["uid"]] = pv["metadata"]["resourceVersion"]
        self.cluster.event(pvc, "Normal", "ProvisioningSucceeded", f"Successfully provisioned volume {name}", source)
        self._bind(pv, pvc)

    # -- binding --------------------------------------------------------------------------------------------
    def _bind(self, pv: Obj, pvc: Obj) -> None:
        """bind(): claimRef and phase Bound on the volume, volumeName, annotations and status on the claim."""
        meta = pvc["metadata"]
        ref = (pv.get("spec") or {}).get("claimRef") or {}
        if ref.get("uid") != meta["uid"] or (pv.get("status") or {}).get("phase") != "Bound":
            pv["spec"] = {**pv["spec"], "claimRef": _claim_ref(pvc)}
            pv["status"] = {"phase": "Bound"}
            self._update(pv)
        want_ann = {"pv.kubernetes.io/bind-completed": "yes", "pv.kubernetes.io/bound-by-controller": "yes"}
        status = {"phase": "Bound", "accessModes": list((pv.get("spec") or {}).get("accessModes") or []),
                  "capacity": dict((pv.get("spec") or {}).get("capacity") or {})}
        ann = meta.get("annotations") or {}
        if (pvc.get("spec") or {}).get("volumeName") != pv["metadata"]["name"] or pvc.get("status") != status or \
                any(ann.get(k) != v for k, v in want_ann.items()):
            pvc["spec"] = {**(pvc.get("spec") or {}), "volumeName": pv["metadata"]["name"]}
            meta["annotations"] = {**ann, **want_ann}
            pvc["status"] = status
            self._update(pvc)

    def _set_claim_phase(self, pvc: Obj, phase: str) -> None:
        if (pvc.get("status") or {}).get("phase") != phase:
            pvc["status"] = {"phase": phase}
            self._update(pvc)

    def _set_volume_phase(self, pv: Obj, phase: str) -> None:
        pv["status"] = {**(pv.get("status") or {}), "phase": phase}
        self._update(pv)

    def _released(self, pvc: Obj) -> None:
        """syncVolume with its claim gone: Released, and reclaimVolume (Delete: the volume goes too)."""
        uid = pvc["metadata"].get("uid")
        for pv in self.store.list("PersistentVolume"):
            if ((pv.get("spec") or {}).get("claimRef") or {}).get("uid") != uid:
                continue
            self._set_volume_phase(pv, "Released")
            if (pv["spec"].get("persistentVolumeReclaimPolicy") or "Retain") == "Delete":
                try:
                    apiserver(self.cluster).delete("PersistentVolume", "", pv["metadata"]["name"],
                                                   actor="controller-manager")
                except KeyError:
                    pass

    def _event(self, pvc: Obj, type_: str, reason: str, message: str) -> None:
        self.cluster.event(pvc, type_, reason, message, SOURCE)


def _claim_ref(pvc: Obj) -> Obj:
    meta = pvc["metadata"]
    return {"apiVersion": "v1", "kind": "PersistentVolumeClaim", "name": meta["name"],
            "namespace": meta.get("namespace") or "default", "uid": meta["uid"]}
