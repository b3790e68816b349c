"""kubectl get for storage objects (pkg/printers/internalversion/printers.go printPersistentVolumeClaim,
printPersistentVolume, printStorageClass; pkg/apis/core/helper GetAccessModesAsString)."""

from __future__ import annotations

from typing import Any

from kubetrainer.sim.kubectl import Context, register_resource
from kubetrainer.sim.kubectl.generic import age

Obj = dict[str, Any]
DEFAULT_CLASS = "storageclass.kubernetes.io/is-default-class"
_MODES = (("ReadWriteOnce", "RWO"), ("ReadOnlyMany", "ROX"), ("ReadWriteMany", "RWX"), ("ReadWriteOncePod", "RWOP"))


def access_modes(modes: list | None) -> str:
    """GetAccessModesAsString: RWO, ROX, RWX, RWOP in that order, whatever order they were written."""
    have = set(modes or ())
    return ",".join(short for mode, short in _MODES if mode in have)


def _storage(capacity: Obj | None) -> str:
    from kubetrainer.api.quantity import parse_quantity

    v = (capacity or {}).get("storage")
    if v is None:
        return ""
    try:
        return str(parse_quantity(v))   # Quantity.String(): the canonical form
    except Exception:  # noqa: BLE001 - validation refused bad quantities already
        return str(v)


def _claim_class(pvc: Obj) -> str:
    """GetPersistentVolumeClaimClass: the beta annotation, else spec.storageClassName."""
    ann = (pvc["metadata"].get("annotations") or {}).get("volume.beta.kubernetes.io/storage-class")
    return ann if ann is not None else ((pvc.get("spec") or {}).get("storageClassName") or "")


def pvc_printer(ctx: Context, objs: list[Obj], wide: bool) -> tuple[list[str], list[list[str]]]:
    """NAME STATUS VOLUME CAPACITY ACCESS MODES STORAGECLASS VOLUMEATTRIBUTESCLASS AGE (+ VOLUMEMODE)."""
    rows = []
    for o in objs:
        spec, status = o.get("spec") or {}, o.get("status") or {}
        phase = "Terminating" if o["metadata"].get("deletionTimestamp") is not None else (status.get("phase") or "")
        bound = bool(spec.get("volumeName"))
        row = [o["metadata"]["name"], phase, spec.get("volumeName") or "",
               _storage(status.get("capacity")) if bound else "",
               access_modes(status.get("accessModes")) if bound else "", _claim_class(o),
               spec.get("volumeAttributesClassName") or "<unset>", age(ctx, o)]
        if wide:
            row.append(spec.get("volumeMode") or "<unset>")
        rows.append(row)
    head = ["NAME", "STATUS", "VOLUME", "CAPACITY", "ACCESS MODES", "STORAGECLASS", "VOLUMEATTRIBUTESCLASS", "AGE"]
    return head + (["VOLUMEMODE"] if wide else []), rows


def pv_printer(ctx: Context, objs: list[Obj], wide: bool) -> tuple[list[str], list[list[str]]]:
    """NAME CAPACITY ACCESS MODES RECLAIM POLICY STATUS CLAIM STORAGECLASS VOLUMEATTRIBUTESCLASS REASON AGE."""
    rows = []
    for o in objs:
        spec, status = o.get("spec") or {}, o.get("status") or {}
        ref = spec.get("claimRef") or {}
        claim = f"{ref.get('namespace', '')}/{ref.get('name', '')}" if ref else ""
        phase = "Terminating" if o["metadata"].get("deletionTimestamp") is not None else (status.get("phase") or "")
        cls = (o["metadata"].get("annotations") or {}).get("volume.beta.kubernetes.io/storage-class")
        row = [o["metadata"]["name"], _storage(spec.get("capacity")), access_modes(spec.get("accessModes")),
               spec.get("persistentVolumeReclaimPolicy") or "", phase, claim,
               cls if cls is not None else (spec.get("storageClassName") or ""),
               spec.get("volumeAttributesClassName") or "<unset>", status.get("reason") or "", age(ctx, o)]
        if wide:
            row.append(spec.get("volumeMode") or "<unset>")
        rows.append(row)
    head = ["NAME", "CAPACITY", "ACCESS MODES", "RECLAIM POLICY", "STATUS", "CLAIM", "STORAGECLASS",
            "VOLUMEATTRIBUTESCLASS", "REASON", "AGE"]
    return head + (["VOLUMEMODE"] if wide else []), rows


def storageclass_printer(ctx: Context, objs: list[Obj], wide: bool) -> tuple[list[str], list[list[str]]]:
    """NAME (default) PROVISIONER RECLAIMPOLICY VOLUMEBINDINGMODE ALLOWVOLUMEEXPANSION AGE."""
    rows = []
    for o in objs:
        name = o["metadata"]["name"]
        if (o["metadata"].get("annotations") or {}).get(DEFAULT_CLASS) == "true":
            name += " (default)"
        rows.append([name, o.get("provisioner") or "", o.get("reclaimPolicy") or "Delete",
                     o.get("volumeBindingMode") or "Immediate",
                     "true" if o.get("allowVolumeExpansion") else "false", age(ctx, o)])
    return ["NAME", "PROVISIONER", "RECLAIMPOLICY", "VOLUMEBINDINGMODE", "ALLOWVOLUMEEXPANSION", "AGE"], rows


register_resource("PersistentVolumeClaim", ("persistentvolumeclaims", "persistentvolumeclaim", "pvc"),
                  printer=pvc_printer)
register_resource("PersistentVolume", ("persistentvolumes", "persistentvolume", "pv"), namespaced=False,
                  printer=pv_printer)
register_resource("StorageClass", ("storageclasses", "storageclass", "sc"), group="storage.k8s.io",
                  namespaced=False, printer=storageclass_printer)
