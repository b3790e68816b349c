"""Plain-language "why pending" from an explanation Record, and the legacy names.

`why_pending(record, pod, position=None)` gives one sentence per blocked node, naming the YAML
field of the pod (with its line when `position(path) -> (line, col)` is given, e.g.
kubetrainer.api Manifest.position) or the node property that blocks it:

    requests.cpu 3 (line 14) > 1 CPU free on node-1 (allocatable 4, requested 3)

`LEGACY` maps each predicate/priority name of old tutorials to the plugin that replaced it
(KUBERNETES.md 11.9; pkg/scheduler/framework/plugins/legacy_registry.go, removed in v1.23).
"""

from __future__ import annotations

from typing import Callable

from kubetrainer.api.quantity import format_cpu, format_memory
from kubetrainer.sim.scheduler.podinfo import PodInfo

LEGACY = {
    "PodFitsResources": "NodeResourcesFit",
    "PodFitsHost": "NodeName", "HostName": "NodeName",
    "PodFitsHostPorts": "NodePorts", "PodFitsPorts": "NodePorts",
    "PodSelectorMatches": "NodeAffinity", "MatchNodeSelector": "NodeAffinity",
    "GeneralPredicates": "NodeResourcesFit + NodeName + NodePorts + NodeAffinity",
    "NoDiskConflict": "VolumeRestrictions",
    "PodToleratesNodeTaints": "TaintToleration",
    "PodToleratesNodeNoExecuteTaints": "TaintToleration (+ taint-eviction controller for NoExecute)",
    "CheckNodeUnschedulable": "NodeUnschedulable",
    "CheckNodeCondition": "TaintToleration (taint nodes by condition)",
    "CheckNodeMemoryPressure": "TaintToleration (node.kubernetes.io/memory-pressure taint)",
    "CheckNodeDiskPressure": "TaintToleration (node.kubernetes.io/disk-pressure taint)",
    "CheckNodePIDPressure": "TaintToleration (node.kubernetes.io/pid-pressure taint)",
    "MatchInterPodAffinity": "InterPodAffinity", "InterPodAffinityMatches": "InterPodAffinity",
    "CheckVolumeBinding": "VolumeBinding", "NoVolumeZoneConflict": "VolumeZone",
    "MaxEBSVolumeCount": "NodeVolumeLimits", "MaxGCEPDVolumeCount": "NodeVolumeLimits",
    "MaxAzureDiskVolumeCount": "NodeVolumeLimits", "MaxCSIVolumeCountPred": "NodeVolumeLimits",
    "CheckNodeLabelPresence": "NodeLabel (removed in v1.23)", "checkServiceAffinity": "ServiceAffinity (removed in v1.23)",
    "EvenPodsSpread": "PodTopologySpread",
    "LeastRequestedPriority": "NodeResourcesFit (scoringStrategy LeastAllocated)",
    "MostRequestedPriority": "NodeResourcesFit (scoringStrategy MostAllocated)",
    "RequestedToCapacityRatioPriority": "NodeResourcesFit (scoringStrategy RequestedToCapacityRatio)",
    "BalancedResourceAllocation": "NodeResourcesBalancedAllocation",
    "SelectorSpreadPriority": "PodTopologySpread (system default constraints)",
    "ServiceSpreadingPriority": "PodTopologySpread (system default constraints)",
    "NodeAffinityPriority": "NodeAffinity", "TaintTolerationPriority": "TaintToleration",
    "ImageLocalityPriority": "ImageLocality", "InterPodAffinityPriority": "InterPodAffinity",
    "NodePreferAvoidPodsPriority": "removed (v1.22)", "NodeLabelPriority": "removed (v1.23)",
    "ResourceLimitsPriority": "removed (v1.24)",
    # spellings used by the seed tutorial (pod-tutorial.zh.md) and other old posts
    "PodMatchNodeSelector": "NodeAffinity",
    "CheckNodeConditionPredicate": "TaintToleration (taint nodes by condition)",
    "CheckNodeMemoryPressurePredicate": "TaintToleration (node.kubernetes.io/memory-pressure taint)",
    "CheckNodeDiskPressurePredicate": "TaintToleration (node.kubernetes.io/disk-pressure taint)",
    "CheckNodePIDPressurePredicate": "TaintToleration (node.kubernetes.io/pid-pressure taint)",
    "MaxPDVolumeCountPredicate": "NodeVolumeLimits",
    "VolumeZonePredicate": "VolumeZone",
    "ResourceAllocationPriority": "NodeResourcesFit (scoringStrategy)",
    "PriorityMetadata": "not a priority (precomputed metadata)",
    "PodAffinityMatches": "InterPodAffinity",
}


def plugin_for_legacy(name: str) -> str | None:
    """The plugin (with a note) that replaced a legacy predicate/priority name, case-insensitive."""
    low = name.strip().lower()
    for k, v in LEGACY.items():
        if k.lower() == low:
            return v
    return None


def legacy_names(plugin: str) -> list[str]:
    """The legacy predicates/priorities a plugin replaced (for lessons and the TUI)."""
    return sorted(k for k, v in LEGACY.items() if v.split(" ")[0] == plugin)


def _fmt_cpu(m: int) -> str:
    return format_cpu(max(0, int(m)))


def _fmt_mem(b: int) -> str:
    return format_memory(max(0, int(b)))


def _where(position: Callable | None, path: tuple) -> str:
    if position is None:
        return ""
    try:
        pos = position(path)
    except Exception:
        return ""
    return f" (line {pos[0]})" if pos else ""


def _request_path(pod: dict, resource: str, position: Callable | None = None) -> tuple[tuple, str]:
    """The field that sets the container's request: requests.<r>, or limits.<r> when the request
    was defaulted from the limit (the position callback returns None for defaulted paths)."""
    spec = pod.get("spec") or {}
    for group in ("containers", "initContainers"):
        for k, c in enumerate(spec.get(group) or []):
            res = c.get("resources") or {}
            if resource in (res.get("requests") or {}):
                path = ("spec", group, k, "resources", "requests", resource)
                lim = ("spec", group, k, "resources", "limits", resource)
                if position is not None and resource in (res.get("limits") or {}):
                    # a Manifest.position bound method: its Manifest knows the defaulted paths
                    defaulted = getattr(getattr(position, "__self__", None), "defaulted", None)
                    try:
                        written = position(path) is not None and not (defaulted and path in defaulted)
                    except Exception:
                        written = True
                    if not written:
                        return lim, str(res["limits"][resource])
                return path, str(res["requests"][resource])
            if resource in (res.get("limits") or {}):
                return (("spec", group, k, "resources", "limits", resource), str(res["limits"][resource]))
    return (("spec", "containers"), "")


def why_pending(record, pod: dict, position: Callable | None = None) -> list[str]:
    pi = PodInfo(pod)
    out: list[str] = []
    if not record.explained or record.rows.size == 0:
        return [record.message] if record.message else []
    if record.filter_plugins == ["VolumeBinding"]:
        # rejected at PreFilter: one status for every node (no Filter ran)
        reason = record.outcomes[0].reasons(0)[0] if record.outcomes and record.num_nodes else record.message
        vols = [v for v in (pod.get("spec") or {}).get("volumes") or []
                if isinstance(v, dict) and (v.get("persistentVolumeClaim") or v.get("ephemeral") is not None)]
        where = ""
        if vols:
            k = ((pod.get("spec") or {}).get("volumes") or []).index(vols[0])
            where = _where(position, ("spec", "volumes", k))
            where = f" (spec.volumes[{k}]{', ' + where[2:-1] if where else ''})"
        return [f"VolumeBinding: {reason}{where}; no node is checked until the claim exists and is bound"]
    snap = record.snapshot
    for j, node in enumerate(record.node_names):
        first = int(record.first_fail[j])
        if first < 0:
            continue
        plugin = record.filter_plugins[first]
        i = int(record.rows[j])
        reasons = record.outcomes[first].reasons(i)
        if plugin == "NodeResourcesFit":
            for r in reasons:
                if r == "Too many pods":
                    out.append(f"{node} already runs {int(snap['npods'][j])} pods, its allocatable pods "
                               f"({int(snap['alloc_pods'][j])})")
                elif r == "Insufficient cpu":
                    path, text = _request_path(pod, "cpu", position)
                    free = int(snap["alloc_cpu"][j] - snap["req_cpu"][j])
                    field = "/".join(path[-2:])
                    out.append(f"{field.replace('/', '.')} {text or _fmt_cpu(pi.cpu)}{_where(position, path)} > "
                               f"{_fmt_cpu(free)} CPU free on {node} (allocatable {_fmt_cpu(snap['alloc_cpu'][j])}, "
                               f"requested {_fmt_cpu(snap['req_cpu'][j])})")
                elif r == "Insufficient memory":
                    path, text = _request_path(pod, "memory", position)
                    free = int(snap["alloc_mem"][j] - snap["req_mem"][j])
                    field = ".".join(str(x) for x in path[-2:])
                    out.append(f"{field} {text or _fmt_mem(pi.mem)}{_where(position, path)} > "
                               f"{_fmt_mem(free)} memory free on {node} (allocatable {_fmt_mem(snap['alloc_mem'][j])}, "
                               f"requested {_fmt_mem(snap['req_mem'][j])})")
                else:
                    out.append(f"{node}: {r}")
        elif plugin == "NodeUnschedulable":
            out.append(f"{node} is cordoned (spec.unschedulable: true) and the pod has no toleration for "
                       f"node.kubernetes.io/unschedulable:NoSchedule")
        elif plugin == "TaintToleration":
            oc = record.outcomes[first]
            taint = oc.detail(i) if oc.detail is not None else None
            if taint:
                text = f"{taint.get('key', '')}" + (f"={taint['value']}" if taint.get("value") else "") + \
                       f":{taint.get('effect', '')}"
            else:
                text = ", ".join(reasons)
            where = _where(position, ("spec", "tolerations")) if pi.tolerations else ""
            out.append(f"{node} has the taint {text} and no entry of spec.tolerations{where} tolerates it")
        elif plugin == "NodeAffinity":
            if pi.node_selector:
                want = ", ".join(f"{k}={v}" for k, v in pi.node_selector.items())
                out.append(f"spec.nodeSelector {want}{_where(position, ('spec', 'nodeSelector'))}: {node} does not "
                           f"have these labels")
            else:
                out.append(f"spec.affinity.nodeAffinity{_where(position, ('spec', 'affinity', 'nodeAffinity'))}: "
                           f"{node}'s labels match no required term")
        elif plugin == "NodePorts":
            ports = ", ".join(str(p[1]) for p in pi.host_ports)
            out.append(f"hostPort {ports} is already taken on {node}")
        elif plugin == "NodeName":
            out.append(f"spec.nodeName{_where(position, ('spec', 'nodeName'))} asks for {pi.node_name}, not {node}")
        else:
            out.append(f"{node}: {', '.join(reasons)} ({plugin})")
    return out
