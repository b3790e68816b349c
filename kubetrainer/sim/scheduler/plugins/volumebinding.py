"""VolumeBinding (pkg/scheduler/framework/plugins/volumebinding/volume_binding.go), PreFilter part.

PreFilter -> podHasPVCs: every persistentVolumeClaim / ephemeral volume of the pod must name an
existing claim, else UnschedulableAndUnresolvable with the lister's error text
(`persistentvolumeclaim "myclaim" not found`; for a generic ephemeral volume
`waiting for ephemeral volume controller to create the persistentvolumeclaim "<pod>-<volume>"`),
a Lost claim `persistentvolumeclaim %q bound to non-existent persistentvolume %q`, a terminating one
`persistentvolumeclaim %q is being deleted`. Then GetPodVolumeClaims: an unbound claim whose
class is not WaitForFirstConsumer (IsDelayBindingMode: no class, unknown class or Immediate)
-> `pod has unbound immediate PersistentVolumeClaims`.

The simulated world has no PV controller, so "bound" is decided here as the controller would do it
at once (pkg/controller/volume/persistentvolume): spec.volumeName set, a PersistentVolume that
matches (findMatchingVolume: class, access modes, capacity, volumeMode, selector, claimRef), or a
StorageClass with a provisioner other than kubernetes.io/no-provisioner (dynamic provisioning).
Filter (per node: PV node affinity, WaitForFirstConsumer without a matching PV) is not modelled.
PreBind: `delayed_claims` (the scheduler component writes the selected node into them).
The status is a PreFilter status: FitError prints it as the PreFilterMsg, one for all nodes.
"""

from __future__ import annotations

from typing import Any, Callable

from kubetrainer.api.gotext import go_quote
from kubetrainer.sim.storage import NO_PROVISIONER, class_of, claim_names, pv_matches

name = "VolumeBinding"
ERR_UNBOUND_IMMEDIATE = "pod has unbound immediate PersistentVolumeClaims"
Getter = Callable[[str, str, str], Any]     # (kind, namespace, name) -> object | None
Lister = Callable[[str], list]              # kind -> objects


def pre_filter(pod: dict, get: Getter, list_: Lister) -> str | None:
    """The PreFilter status message (UnschedulableAndUnresolvable), or None (Success / Skip)."""
    claims = claim_names(pod)
    if not claims:
        return None  # Skip: the pod has no PVC
    ns = (pod.get("metadata") or {}).get("namespace") or "default"
    found = []
    for cname, ephemeral in claims:
        pvc = get("PersistentVolumeClaim", ns, cname)
        if pvc is None:
            if ephemeral:
                return f"waiting for ephemeral volume controller to create the persistentvolumeclaim {go_quote(cname)}"
            return f"persistentvolumeclaim {go_quote(cname)} not found"
        if (pvc.get("status") or {}).get("phase") == "Lost":
            return (f"persistentvolumeclaim {go_quote(cname)} bound to non-existent persistentvolume "
                    f"{go_quote((pvc.get('spec') or {}).get('volumeName') or '')}")
        if (pvc.get("metadata") or {}).get("deletionTimestamp") is not None:
            return f"persistentvolumeclaim {go_quote(cname)} is being deleted"
        found.append(pvc)
    classes = list_("StorageClass")
    by_name = {sc["metadata"]["name"]: sc for sc in classes}
    pvs = list_("PersistentVolume")
    for pvc in found:
        spec = pvc.get("spec") or {}
        if spec.get("volumeName") and any((pv.get("metadata") or {}).get("name") == spec["volumeName"] for pv in pvs):
            continue  # bound (pre-bound claims are bound by the PV controller at once)
        cls = class_of(pvc, classes)
        sc = by_name.get(cls) if cls else None
        if any(pv_matches(pv, pvc, cls) for pv in pvs):
            continue
        if sc is not None and (sc.get("volumeBindingMode") or "Immediate") == "WaitForFirstConsumer":
            continue  # delayed binding: decided by Filter on the chosen node (not modelled)
        if sc is not None and sc.get("provisioner") and sc["provisioner"] != NO_PROVISIONER:
            continue  # dynamically provisioned at once (Immediate)
        return ERR_UNBOUND_IMMEDIATE
    return None


def delayed_claims(pod: dict, get: Getter, list_: Lister) -> list[dict]:
    """The pod's unbound claims whose class is WaitForFirstConsumer: at PreBind the scheduler
    writes the chosen node into them (volume_binding.go PreBind -> BindPodVolumes:
    `volume.kubernetes.io/selected-node`) and waits until the PV controller has bound them."""
    ns = (pod.get("metadata") or {}).get("namespace") or "default"
    classes = None
    out = []
    for cname, _ in claim_names(pod):
        pvc = get("PersistentVolumeClaim", ns, cname)
        if pvc is None or (pvc.get("spec") or {}).get("volumeName"):
            continue
        if classes is None:
            classes = {sc["metadata"]["name"]: sc for sc in list_("StorageClass")}
        sc = classes.get(class_of(pvc, list(classes.values())) or "")
        if sc is not None and (sc.get("volumeBindingMode") or "Immediate") == "WaitForFirstConsumer":
            out.append(pvc)
    return out
