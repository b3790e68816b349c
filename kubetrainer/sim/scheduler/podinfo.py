"""What the scheduler needs to know about one pod, computed once per pod (framework.PodInfo).

Requests follow `resourcehelper.PodRequests` (component-helpers/resource/helpers.go): the sum of
the containers, the restartable (sidecar) init containers added to it, then the max with each
regular init container (plus the sidecars started before it), plus spec.overhead. The
"non-zero" requests used for scoring count a container without a cpu/memory request as
100m / 200Mi (pkg/scheduler/util/pod_resources.go DefaultMilliCPURequest / DefaultMemoryRequest).
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Any

from kubetrainer.sim.scheduler.helper import cpu_millis, normalize_image, quantity_int

DEFAULT_MILLI_CPU_REQUEST = 100
DEFAULT_MEMORY_REQUEST = 200 * 1024 * 1024

# pkg/apis/scheduling/types.go: built-in priority classes
SYSTEM_PRIORITY_CLASSES = {"system-cluster-critical": 2000000000, "system-node-critical": 2000001000}

_STD = ("cpu", "memory", "ephemeral-storage")
# shared read-only empties: ~10 fresh empty dicts/lists per pod in the cache add up at 150k pods
_NO_DICT: Any = MappingProxyType({})
_NO_LIST: Any = ()


def _res(requests: dict | None) -> dict[str, int]:
    out: dict[str, int] = {}
    for k, v in (requests or {}).items():
        try:
            out[k] = cpu_millis(v) if k == "cpu" else quantity_int(v)
        except Exception:  # invalid quantities never reach us through the API; be safe
            out[k] = 0
    return out


def _add(a: dict[str, int], b: dict[str, int]) -> None:
    for k, v in b.items():
        a[k] = a.get(k, 0) + v


def _max(a: dict[str, int], b: dict[str, int]) -> None:
    for k, v in b.items():
        if v > a.get(k, 0):
            a[k] = v


def pod_requests(spec: dict, non_zero: bool = False) -> dict[str, int]:
    """resourcehelper.PodRequests (non_zero: with the scheduler's NonMissingContainerRequests
    defaults for cpu/memory, as NonZeroRequested uses)."""

    def creq(c: dict) -> dict[str, int]:
        r = _res(((c.get("resources") or {}).get("requests")))
        if non_zero:
            reqs = (c.get("resources") or {}).get("requests") or {}
            if "cpu" not in reqs:
                r["cpu"] = DEFAULT_MILLI_CPU_REQUEST
            if "memory" not in reqs:
                r["memory"] = DEFAULT_MEMORY_REQUEST
        return r

    total: dict[str, int] = {}
    for c in spec.get("containers") or []:
        _add(total, creq(c))
    restartable: dict[str, int] = {}
    init_max: dict[str, int] = {}
    for c in spec.get("initContainers") or []:
        r = creq(c)
        if c.get("restartPolicy") == "Always":
            _add(total, r)
            _add(restartable, r)
            tmp = dict(restartable)
        else:
            tmp = dict(restartable)
            _add(tmp, r)
        _max(init_max, tmp)
    _max(total, init_max)
    _add(total, _res(spec.get("overhead")))
    return total


def resolve_priority(pod: dict, priority_classes: dict[str, int] | None = None,
                     global_default: int = 0) -> int:
    spec = pod.get("spec") or {}
    if spec.get("priority") is not None:
        try:
            return int(spec["priority"])
        except (TypeError, ValueError):
            return 0
    name = spec.get("priorityClassName")
    if name:
        if priority_classes and name in priority_classes:
            return priority_classes[name]
        if name in SYSTEM_PRIORITY_CLASSES:
            return SYSTEM_PRIORITY_CLASSES[name]
    return global_default


class PodInfo:
    """Precomputed facts about one pod (incoming or already on a node)."""

    __slots__ = ("key", "namespace", "name", "uid", "pod", "cpu", "mem", "eph", "scalars", "nz_cpu", "nz_mem",
                 "priority", "labels", "host_ports", "node_selector", "required_affinity", "preferred_affinity",
                 "tolerations", "images", "pod_affinity", "pod_anti_affinity", "spread_constraints",
                 "node_name", "start", "terminating", "best_effort", "nominated", "preemption_policy", "owner_kinds")

    def __init__(self, pod: dict, priority: int = 0) -> None:
        meta = pod.get("metadata") or {}
        spec = pod.get("spec") or {}
        self.pod = pod
        self.namespace = meta.get("namespace") or "default"
        self.name = meta.get("name") or ""
        self.key = f"{self.namespace}/{self.name}"
        self.uid = meta.get("uid") or ""
        req = pod_requests(spec)
        nz = pod_requests(spec, non_zero=True)
        self.cpu = req.get("cpu", 0)
        self.mem = req.get("memory", 0)
        self.eph = req.get("ephemeral-storage", 0)
        self.scalars = {k: v for k, v in req.items() if k not in _STD and v} or _NO_DICT
        self.nz_cpu = nz.get("cpu", 0)
        self.nz_mem = nz.get("memory", 0)
        # BalancedAllocation.isBestEffortPod: no request for any of its resources (cpu, memory)
        self.best_effort = not req.get("cpu") and not req.get("memory")
        self.priority = priority
        self.labels = meta.get("labels") or _NO_DICT
        ports = []
        for c in list(spec.get("containers") or []) + list(spec.get("initContainers") or []):
            for p in c.get("ports") or []:
                hp = p.get("hostPort")
                if hp:
                    ports.append((p.get("protocol") or "TCP", int(hp), p.get("hostIP") or "0.0.0.0"))
        self.host_ports = ports or _NO_LIST
        self.node_selector = spec.get("nodeSelector") or _NO_DICT
        aff = spec.get("affinity") or {}
        na = aff.get("nodeAffinity") or {}
        self.required_affinity = na.get("requiredDuringSchedulingIgnoredDuringExecution")
        self.preferred_affinity = na.get("preferredDuringSchedulingIgnoredDuringExecution") or _NO_LIST
        self.pod_affinity = aff.get("podAffinity") or _NO_DICT
        self.pod_anti_affinity = aff.get("podAntiAffinity") or _NO_DICT
        self.tolerations = spec.get("tolerations") or _NO_LIST
        self.images = [normalize_image(c.get("image") or "") for c in
                       list(spec.get("initContainers") or []) + list(spec.get("containers") or []) if c.get("image")]
        self.spread_constraints = spec.get("topologySpreadConstraints") or _NO_LIST
        self.node_name = spec.get("nodeName") or ""
        self.start = (pod.get("status") or {}).get("startTime") or meta.get("creationTimestamp") or 0
        self.terminating = bool(meta.get("deletionTimestamp") is not None)
        self.nominated = (pod.get("status") or {}).get("nominatedNodeName") or ""
        self.preemption_policy = spec.get("preemptionPolicy") or "PreemptLowerPriority"
        self.owner_kinds = [o.get("kind") for o in meta.get("ownerReferences") or ()] or _NO_LIST

    @property
    def has_required_anti_affinity(self) -> bool:
        return bool(self.pod_anti_affinity.get("requiredDuringSchedulingIgnoredDuringExecution"))

    @property
    def has_affinity(self) -> bool:
        return bool(self.pod_affinity or self.pod_anti_affinity)

    def resource(self, name: str) -> int:
        if name == "cpu":
            return self.cpu
        if name == "memory":
            return self.mem
        if name == "ephemeral-storage":
            return self.eph
        return self.scalars.get(name, 0)


def counts_on_node(pod: dict) -> bool:
    """Whether a pod bound to a node takes its resources: terminated pods (Succeeded/Failed) don't
    (the scheduler cache drops them; the kubelet's admission skips them)."""
    phase = (pod.get("status") or {}).get("phase")
    return phase not in ("Succeeded", "Failed")


def pod_start_key(pi: PodInfo) -> Any:
    return pi.start
