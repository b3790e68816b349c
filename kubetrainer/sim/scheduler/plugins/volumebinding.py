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

name = "VolumeBinding"
ERR_UNBOUND_IMMEDIATE = "pod has unbound immediate PersistentVolumeClaims"
NO_PROVISIONER = "kubernetes.io/no-provisioner"
DEFAULT_CLASS_ANNOTATION = "storageclass.kubernetes.io/is-default-class"

Getter = Callable[[str, str, str], Any]     # (kind, namespace, name) -> object | None
Lister = Callable[[str], list]              # kind -> objects


def _claim_names(pod: dict) -> list[tuple[str, bool]]:
    meta = pod.get("metadata") or {}
    out = []
    for vol in (pod.get("spec") or {}).get("volumes") or []:
        if not isinstance(vol, dict):
            continue
        if isinstance(vol.get("persistentVolumeClaim"), dict):
            out.append((str(vol["persistentVolumeClaim"].get("claimName") or ""), False))
        elif vol.get("ephemeral") is not None:
            # component-helpers/storage/ephemeral VolumeClaimName: <pod name>-<volume name>
            out.append((f"{meta.get('name') or ''}-{vol.get('name') or ''}", True))
    return out


def _quantity(v: Any) -> int:
    from kubetrainer.api.quantity import parse_quantity
    try:
        return parse_quantity(v).integer()
    except Exception:  # noqa: BLE001 - a bad value was rejected by validation already
        return 0


def _class_of(claim: dict, classes: list) -> str | None:
    spec = claim.get("spec") or {}
    cls = spec.get("storageClassName")
    if cls is None:
        cls = ((claim.get("metadata") or {}).get("annotations") or {}).get("volume.beta.kubernetes.io/storage-class")
    if cls is None:
        # DefaultStorageClass admission (and the PV controller's retroactive assignment)
        for sc in classes:
            if ((sc.get("metadata") or {}).get("annotations") or {}).get(DEFAULT_CLASS_ANNOTATION) == "true":
                return sc["metadata"]["name"]
        return ""
    return cls


def _pv_matches(pv: dict, claim: dict, cls: str) -> bool:
    from kubetrainer.api.selectors import label_selector_matches
    meta, cmeta = pv.get("metadata") or {}, claim.get("metadata") or {}
    spec, cspec = pv.get("spec") or {}, claim.get("spec") or {}
    ref = spec.get("claimRef")
    if ref and (ref.get("name") != cmeta.get("name") or
                (ref.get("namespace") or "default") != (cmeta.get("namespace") or "default")):
        return False
    if cspec.get("volumeName") and cspec["volumeName"] != meta.get("name"):
        return False
    if (spec.get("storageClassName") or "") != cls:
        return False
    if not set(cspec.get("accessModes") or []) <= set(spec.get("accessModes") or []):
        return False
    if (spec.get("volumeMode") or "Filesystem") != (cspec.get("volumeMode") or "Filesystem"):
        return False
    want = ((cspec.get("resources") or {}).get("requests") or {}).get("storage")
    have = (spec.get("capacity") or {}).get("storage")
    if want is not None and (have is None or _quantity(have) < _quantity(want)):
        return False
    sel = cspec.get("selector")
    if sel is not None and not label_selector_matches(sel, meta.get("labels") or {}):
        return False
    return True


def pre_filter(pod: dict, get: Getter, list_: Lister) -> str | None:
    """The PreFilter status message (UnschedulableAndUnresolvable), or None (Success / Skip)."""
    claims = _claim_names(pod)
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
        cls = _class_of(pvc, classes)
        sc = by_name.get(cls) if cls else None
        if any(_pv_matches(pv, pvc, cls) for pv in pvs):
            continue
        if sc is not None and (sc.get("volumeBindingMode") or "Immediate") == "WaitForFirstConsumer":
            continue  # delayed binding: decided by Filter on the chosen node (not modelled)
        if sc is not None and sc.get("provisioner") and sc["provisioner"] != NO_PROVISIONER:
            continue  # dynamically provisioned at once (Immediate)
        return ERR_UNBOUND_IMMEDIATE
    return None


SELECTED_NODE = "volume.kubernetes.io/selected-node"


def delayed_claims(pod: dict, get: Getter, list_: Lister) -> list[dict]:
    """The pod's unbound claims whose class is WaitForFirstConsumer: at PreBind the scheduler
    writes the chosen node into them (volume_binding.go PreBind -> BindPodVolumes:
    `volume.kubernetes.io/selected-node`) and waits until the PV controller has bound them."""
    ns = (pod.get("metadata") or {}).get("namespace") or "default"
    classes = None
    out = []
    for cname, _ in _claim_names(pod):
        pvc = get("PersistentVolumeClaim", ns, cname)
        if pvc is None or (pvc.get("spec") or {}).get("volumeName"):
            continue
        if classes is None:
            classes = {sc["metadata"]["name"]: sc for sc in list_("StorageClass")}
        sc = classes.get(_class_of(pvc, list(classes.values())) or "")
        if sc is not None and (sc.get("volumeBindingMode") or "Immediate") == "WaitForFirstConsumer":
            out.append(pvc)
    return out
