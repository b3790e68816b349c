"""The kubelet's admission of a pod bound to its node (pkg/kubelet/lifecycle/predicate.go
predicateAdmitHandler.Admit, generalFilter; pkg/scheduler/eventhandlers.go AdmissionCheck).

A pod created with spec.nodeName never meets the scheduler, so this is the only check it gets:

    rej = admit(pod, node, pods_on_node)     # None: admitted
    rej.reason   # "OutOfcpu" | "OutOfmemory" | "OutOfephemeral-storage" | "OutOfpods" | "OutOf<ext>"
                 # | "NodeAffinity" | "NodeName" | "NodePorts" | "TaintToleration"
                 # | "PodOSSelectorNodeLabelDoesNotMatch" | "PodOSNotSupported"
    rej.message  # e.g. "Node didn't have enough resource: cpu, requested: 5000, used: 0, capacity: 4000"
                 #      "Predicate NodeAffinity failed: node(s) didn't match Pod's node affinity/selector"

The kubelet then records a Warning event (reason, message) and sets the pod Failed with
status.reason = reason and status.message = "Pod was rejected: " + message.
Checks, in order: the kubernetes.io/os label and spec.os; resources (`noderesources.Fits`: pods,
cpu, memory, ephemeral-storage, extended — requests vs allocatable minus the requests of the
other active pods); required node affinity / nodeSelector; nodeName; host ports; NoExecute taints.
Only the first failure is reported (`reasons[0]`).
"""

from __future__ import annotations

from typing import Iterable

import attrs

from kubetrainer.sim.scheduler.helper import cpu_millis, find_untolerated_taint, quantity_int
from kubetrainer.sim.scheduler.plugins.nodeaffinity import ERR_REASON_POD, required_match
from kubetrainer.sim.scheduler.plugins.nodename import ERR_REASON as NODENAME_REASON
from kubetrainer.sim.scheduler.plugins.nodeports import ERR_REASON as NODEPORTS_REASON, ports_conflict
from kubetrainer.sim.scheduler.podinfo import PodInfo, counts_on_node

TAINT_ERR_REASON_NOT_MATCH = "node(s) had taints that the pod didn't tolerate"  # tainttoleration.ErrReasonNotMatch
_OUT_OF = {"cpu": "OutOfcpu", "memory": "OutOfmemory", "ephemeral-storage": "OutOfephemeral-storage", "pods": "OutOfpods"}


@attrs.frozen
class Rejection:
    reason: str
    message: str


@attrs.frozen
class InsufficientResource:
    resource: str
    requested: int
    used: int
    capacity: int

    def error(self) -> str:  # InsufficientResourceError.Error
        return (f"Node didn't have enough resource: {self.resource}, requested: {self.requested}, "
                f"used: {self.used}, capacity: {self.capacity}")


def insufficient_resources(pod: PodInfo, alloc: dict, others: list[PodInfo]) -> list[InsufficientResource]:
    """noderesources.Fits (fitsRequest) for one node."""
    out: list[InsufficientResource] = []
    allowed = quantity_int(alloc.get("pods", 0))
    if len(others) + 1 > allowed:
        out.append(InsufficientResource("pods", 1, len(others), allowed))
    if not (pod.cpu or pod.mem or pod.eph or pod.scalars):
        return out
    checks = [("cpu", pod.cpu, cpu_millis(alloc.get("cpu", 0)), sum(p.cpu for p in others)),
              ("memory", pod.mem, quantity_int(alloc.get("memory", 0)), sum(p.mem for p in others)),
              ("ephemeral-storage", pod.eph, quantity_int(alloc.get("ephemeral-storage", 0)), sum(p.eph for p in others))]
    for name, req, cap, used in checks:
        if req > 0 and req > cap - used:
            out.append(InsufficientResource(name, req, used, cap))
    for name in sorted(pod.scalars):
        req = pod.scalars[name]
        cap = quantity_int(alloc[name]) if name in alloc else 0
        if name not in alloc and "/" in name and not name.startswith("kubernetes.io/"):
            continue  # removeMissingExtendedResources: extended resources unknown to the node are dropped
        used = sum(p.scalars.get(name, 0) for p in others)
        if req > cap - used:
            out.append(InsufficientResource(name, req, used, cap))
    return out


class _Requests:
    """The part of a PodInfo the resource and host-port checks read about the OTHER pods."""

    __slots__ = ("cpu", "mem", "eph", "scalars", "host_ports")

    def __init__(self, pi: PodInfo) -> None:
        self.cpu, self.mem, self.eph = pi.cpu, pi.mem, pi.eph
        self.scalars, self.host_ports = pi.scalars, pi.host_ports


# id(pod dict) -> (its containers list, _Requests). A pod's resources and ports are immutable
# once created (ValidatePodUpdate), so the requests of a pod already on the node are computed
# once, not at every admission on that node (quadratic in pods per node otherwise). The entry
# holds the containers list, so a new pod dict reusing the id never matches it; bounded.
_REQ_CACHE: dict[int, tuple[object, _Requests]] = {}
_REQ_CACHE_MAX = 65_536


def _requests_of(p: dict) -> _Requests:
    containers = (p.get("spec") or {}).get("containers")
    hit = _REQ_CACHE.get(id(p))
    if hit is not None and hit[0] is containers and containers is not None:
        return hit[1]
    r = _Requests(PodInfo(p))
    if len(_REQ_CACHE) >= _REQ_CACHE_MAX:
        _REQ_CACHE.clear()
    _REQ_CACHE[id(p)] = (containers, r)
    return r


def admit(pod: dict, node: dict, pods_on_node: Iterable[dict]) -> Rejection | None:
    pi = PodInfo(pod)
    node_meta = node.get("metadata") or {}
    node_labels = node_meta.get("labels") or {}
    node_os = node_labels.get("kubernetes.io/os") or "linux"
    if "kubernetes.io/os" in pi.labels and pi.labels["kubernetes.io/os"] != node_os:
        return Rejection("PodOSSelectorNodeLabelDoesNotMatch",
                         "Failed to admit pod as the `kubernetes.io/os` label doesn't match node label")
    os_name = ((pod.get("spec") or {}).get("os") or {}).get("name")
    if os_name and os_name != "linux":
        return Rejection("PodOSNotSupported", "Failed to admit pod as the OS field doesn't match node OS")
    my_uid = (pod.get("metadata") or {}).get("uid")
    others = []
    for p in pods_on_node:
        m = p.get("metadata") or {}
        if (my_uid and m.get("uid") == my_uid) or (m.get("name") == pi.name and (m.get("namespace") or "default") == pi.namespace):
            continue
        if counts_on_node(p):
            others.append(_requests_of(p))
    alloc = (node.get("status") or {}).get("allocatable") or (node.get("status") or {}).get("capacity") or {}
    ins = insufficient_resources(pi, alloc, others)
    if ins:
        r = ins[0]
        return Rejection(_OUT_OF.get(r.resource, f"OutOf{r.resource}"), r.error())
    name = node_meta.get("name") or ""
    if not required_match(pi, node_labels, name):
        return Rejection("NodeAffinity", f"Predicate NodeAffinity failed: {ERR_REASON_POD}")
    if pi.node_name and pi.node_name != name:
        return Rejection("NodeName", f"Predicate NodeName failed: {NODENAME_REASON}")
    if pi.host_ports:
        used: dict = {}
        for o in others:
            for hp in o.host_ports:
                used[hp] = 1
        if ports_conflict(pi.host_ports, used):
            return Rejection("NodePorts", f"Predicate NodePorts failed: {NODEPORTS_REASON}")
    taints = (node.get("spec") or {}).get("taints") or []
    if find_untolerated_taint(taints, pi.tolerations, ("NoExecute",)) is not None:
        return Rejection("TaintToleration", f"Predicate TaintToleration failed: {TAINT_ERR_REASON_NOT_MATCH}")
    return None
