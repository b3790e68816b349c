"""Claims, classes and volumes as the API server, the scheduler's VolumeBinding, the PersistentVolume
controller, the kubelet and kubectl read them (one place for the rules they share)."""

from __future__ import annotations

from typing import Any

NO_PROVISIONER = "kubernetes.io/no-provisioner"
DEFAULT_CLASS_ANNOTATION = "storageclass.kubernetes.io/is-default-class"
SELECTED_NODE = "volume.kubernetes.io/selected-node"


def claim_names(pod: dict) -> list[tuple[str, bool]]:
    """The claims a pod's volumes name: (claim name, from a generic ephemeral volume)."""
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


def uses_claim(pod: dict, claim: str) -> bool:
    return any(c == claim for c, _ in claim_names(pod))


def quantity(v: Any) -> int:
    from kubetrainer.api.quantity import parse_quantity
    try:
        return parse_quantity(v).integer()
    except Exception:  # noqa: BLE001 - a bad value was rejected by validation already
        return 0


def is_default_class(sc: dict) -> bool:
    return ((sc.get("metadata") or {}).get("annotations") or {}).get(DEFAULT_CLASS_ANNOTATION) == "true"


def default_class(classes: list) -> str | None:
    """storage/util GetDefaultClass: the default StorageClass; with several, the newest (ties: by name)."""
    defaults = [sc for sc in classes if is_default_class(sc)]
    if not defaults:
        return None
    return min(defaults, key=lambda sc: (-(sc["metadata"].get("creationTimestamp") or 0.0),
                                         sc["metadata"]["name"]))["metadata"]["name"]


def class_of(claim: dict, classes: list) -> str:
    """GetPersistentVolumeClaimClass, and for a claim that names none the default class (the
    DefaultStorageClass admission and the PV controller's retroactive assignment); "" for none."""
    spec = claim.get("spec") or {}
    cls = spec.get("storageClassName")
    if cls is None:
        cls = ((claim.get("metadata") or {}).get("annotations") or {}).get("volume.beta.kubernetes.io/storage-class")
    if cls is None:
        return default_class(classes) or ""
    return cls


def pv_matches(pv: dict, claim: dict, cls: str) -> bool:
    """findMatchingVolume: claimRef, volumeName, class, access modes, volume mode, capacity, selector."""
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
    if want is not None and (have is None or quantity(have) < quantity(want)):
        return False
    sel = cspec.get("selector")
    if sel is not None and not label_selector_matches(sel, meta.get("labels") or {}):
        return False
    return True
