"""kubectl get for storage objects (pkg/printers/internalversion/printers.go printPersistentVolumeClaim,
printPersistentVolume, printStorageClass; pkg/apis/core/helper GetAccessModesAsString)."""

from __future__ import annotations

from typing import Any

from kubetrainer.sim.kubectl import Context, register_resource
from kubetrainer.sim.kubectl.generic import age
from kubetrainer.sim.storage import is_default_class, uses_claim

Obj = dict[str, Any]
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
        if is_default_class(o):
            name += " (default)"
        rows.append([name, o.get("provisioner") or "", o.get("reclaimPolicy") or "Delete",
                     o.get("volumeBindingMode") or "Immediate",
                     "true" if o.get("allowVolumeExpansion") else "false", age(ctx, o)])
    return ["NAME", "PROVISIONER", "RECLAIMPOLICY", "VOLUMEBINDINGMODE", "ALLOWVOLUMEEXPANSION", "AGE"], rows


def _finalizers(o: Obj) -> str:
    return "[" + " ".join(o["metadata"].get("finalizers") or []) + "]"   # Go's %v of a []string


def describe_pvc(ctx: Context, o: Obj) -> str:
    """describe.go describePersistentVolumeClaim."""
    from kubetrainer.sim.kubectl.workloads import _events, kv_multiline, tabwrite

    meta, spec, status = o["metadata"], o.get("spec") or {}, o.get("status") or {}
    out = f"Name:\t{meta['name']}\nNamespace:\t{meta.get('namespace', 'default')}\n"
    out += f"StorageClass:\t{_claim_class(o)}\n"
    out += f"Status:\t{status.get('phase') or ''}\n"
    out += f"Volume:\t{spec.get('volumeName') or ''}\n"
    out += kv_multiline("Labels", meta.get("labels"))
    out += kv_multiline("Annotations", meta.get("annotations"))
    out += f"Finalizers:\t{_finalizers(o)}\n"
    bound = bool(spec.get("volumeName"))
    out += f"Capacity:\t{_storage(status.get('capacity')) if bound else ''}\n"
    out += f"Access Modes:\t{access_modes(status.get('accessModes')) if bound else ''}\n"
    if spec.get("volumeMode"):
        out += f"VolumeMode:\t{spec['volumeMode']}\n"
    users = sorted(p["metadata"]["name"] for p in ctx.cluster.store.list("Pod", meta.get("namespace") or "default")
                   if uses_claim(p, meta["name"]))
    out += kv_list("Used By", users)
    return tabwrite((out + _events(ctx, o)).rstrip("\n")) + "\n"


def describe_pv(ctx: Context, o: Obj) -> str:
    """describe.go describePersistentVolume (hostPath source)."""
    from kubetrainer.sim.kubectl.workloads import _events, kv_multiline, tabwrite

    meta, spec, status = o["metadata"], o.get("spec") or {}, o.get("status") or {}
    out = f"Name:\t{meta['name']}\n"
    out += kv_multiline("Labels", meta.get("labels"))
    out += kv_multiline("Annotations", meta.get("annotations"))
    out += f"Finalizers:\t{_finalizers(o)}\n"
    out += f"StorageClass:\t{spec.get('storageClassName') or ''}\n"
    out += f"Status:\t{status.get('phase') or ''}\n"
    ref = spec.get("claimRef") or {}
    out += f"Claim:\t{ref.get('namespace', '')}/{ref.get('name', '')}\n" if ref else "Claim:\t\n"
    out += f"Reclaim Policy:\t{spec.get('persistentVolumeReclaimPolicy') or ''}\n"
    out += f"Access Modes:\t{access_modes(spec.get('accessModes'))}\n"
    out += f"VolumeMode:\t{spec.get('volumeMode') or 'Filesystem'}\n"
    out += f"Capacity:\t{_storage(spec.get('capacity'))}\n"
    terms = (((spec.get("nodeAffinity") or {}).get("required") or {}).get("nodeSelectorTerms")) or []
    if not terms:
        out += "Node Affinity:\t<none>\n"
    else:
        out += "Node Affinity:\t\n  Required Terms:\t\n"
        for t in terms:
            exprs = [f"{e.get('key')} {e.get('operator')} [{' '.join(e.get('values') or [])}]"
                     for e in t.get("matchExpressions") or []]
            out += f"    Term 0:\t{', '.join(exprs)}\n"
    out += f"Message:\t{status.get('message') or ''}\n"
    hp = spec.get("hostPath")
    if hp is not None:
        out += "Source:\n    Type:\tHostPath (bare host directory volume)\n"
        out += f"    Path:\t{hp.get('path', '')}\n    HostPathType:\t{hp.get('type') or ''}\n"
    return tabwrite((out + _events(ctx, o)).rstrip("\n")) + "\n"


def describe_storageclass(ctx: Context, o: Obj) -> str:
    """describe.go describeStorageClass."""
    from kubetrainer.sim.kubectl.workloads import _events, tabwrite

    meta = o["metadata"]
    ann = meta.get("annotations") or {}
    out = f"Name:\t{meta['name']}\n"
    out += f"IsDefaultClass:\t{'Yes' if is_default_class(o) else 'No'}\n"
    out += "Annotations:\t" + (",".join(f"{k}={v}" for k, v in sorted(ann.items())) or "<none>") + "\n"
    out += f"Provisioner:\t{o.get('provisioner') or ''}\n"
    params = o.get("parameters") or {}
    out += "Parameters:\t" + (",".join(f"{k}={v}" for k, v in sorted(params.items())) or "<none>") + "\n"
    ave = o.get("allowVolumeExpansion")
    out += f"AllowVolumeExpansion:\t{'<unset>' if ave is None else ('True' if ave else 'False')}\n"
    out += "MountOptions:\t" + (",".join(o.get("mountOptions") or []) or "<none>") + "\n"
    out += f"ReclaimPolicy:\t{o.get('reclaimPolicy') or 'Delete'}\n"
    out += f"VolumeBindingMode:\t{o.get('volumeBindingMode') or 'Immediate'}\n"
    return tabwrite((out + _events(ctx, o)).rstrip("\n")) + "\n"


def kv_list(title: str, names: list[str]) -> str:
    """printPodsMultiline: the first on the title line, the rest aligned; <none> when empty."""
    if not names:
        return f"{title}:\t<none>\n"
    return f"{title}:\t{names[0]}\n" + "".join(f"\t{n}\n" for n in names[1:])


register_resource("PersistentVolumeClaim", ("persistentvolumeclaims", "persistentvolumeclaim", "pvc"),
                  printer=pvc_printer, describer=describe_pvc)
register_resource("PersistentVolume", ("persistentvolumes", "persistentvolume", "pv"), namespaced=False,
                  printer=pv_printer, describer=describe_pv)
register_resource("StorageClass", ("storageclasses", "storageclass", "sc"), group="storage.k8s.io",
                  namespaced=False, printer=storageclass_printer, describer=describe_storageclass)
