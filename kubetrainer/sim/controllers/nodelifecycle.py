"""Node lifecycle controller + taint eviction controller.

* pkg/controller/nodelifecycle/node_lifecycle_controller.go: monitorNodeHealth every
  --node-monitor-period (5 s); a node whose kubelet has not posted for --node-monitor-grace-period
  (50 s since v1.32, PR #126287) gets every condition set to Unknown ("Kubelet stopped posting node
  status."), the Node event NodeNotReady (`Node <n> status is now: NodeNotReady`), the taints
  node.kubernetes.io/unreachable:NoExecute (doNoExecuteTaintingPass) and :NoSchedule
  (doNoScheduleTaintingPass), and MarkPodsNotReady (pkg/controller/util/node/controller_utils.go): each
  pod's Ready condition False + Warning `NodeNotReady` `Node is not ready`. When the kubelet posts
  again, the taints are removed and the Node event NodeReady is recorded.
* pkg/controller/tainteviction/taint_eviction.go processPodOnNode: a pod on a node with NoExecute
  taints it does not all tolerate is deleted at once; otherwise at now + the minimum tolerationSeconds
  of the tolerations used (getMinTolerationTime; none = forever). Event Normal TaintManagerEviction
  `Marking for deletion Pod <ns>/<name>` (and `Cancelling deletion of Pod <ns>/<name>` when the
  taint goes away first); the pod gets the DisruptionTarget condition (DeletionByTaintManager).

Heartbeats: the kubelet renews its Lease every 10 s; we put every node's renewals at multiples of
10 s, so a node that goes down at T was last heard from at floor(T/10)*10 and is seen Unknown at the
first monitor tick (multiples of 5 s) strictly after that + 50 s: T+45..T+55.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from kubetrainer.sim.controllers.common import apiserver
from kubetrainer.sim.controllers.index import owner_index, shared_watch

if TYPE_CHECKING:
    from kubetrainer.sim.cluster import Cluster

Obj = dict[str, Any]
NODE_MONITOR_PERIOD = 5.0
NODE_MONITOR_GRACE_PERIOD = 50.0
LEASE_RENEW_INTERVAL = 10.0
UNREACHABLE = "node.kubernetes.io/unreachable"
NOT_READY = "node.kubernetes.io/not-ready"
UNSCHEDULABLE = "node.kubernetes.io/unschedulable"
_MANAGED = {NOT_READY, UNREACHABLE, UNSCHEDULABLE, "node.kubernetes.io/memory-pressure",
            "node.kubernetes.io/disk-pressure", "node.kubernetes.io/pid-pressure",
            "node.kubernetes.io/network-unavailable"}
SOURCE = "node-controller"
EVICTION_SOURCE = "taint-eviction-controller"


def tolerates(tol: Obj, taint: Obj) -> bool:
    """v1.Toleration.ToleratesTaint."""
    if tol.get("effect") and tol.get("effect") != taint.get("effect"):
        return False
    if tol.get("key") and tol.get("key") != taint.get("key"):
        return False
    op = tol.get("operator") or "Equal"
    if op == "Exists":
        return True
    if op == "Equal":
        return (tol.get("value") or "") == (taint.get("value") or "")
    return False


def min_toleration_seconds(taints: list[Obj], tolerations: list[Obj]) -> float | None:
    """GetMatchingTolerations + getMinTolerationTime: None = not all tolerated (evict now),
    math.inf = tolerated forever, else the seconds until eviction."""
    used = []
    for taint in taints:
        for tol in tolerations:
            if tolerates(tol, taint):
                used.append(tol)
                break
        else:
            return None
    if not used:
        return 0.0
    best = math.inf
    for tol in used:
        s = tol.get("tolerationSeconds")
        if s is not None:
            if s <= 0:
                return 0.0
            best = min(best, float(s))
    return best


def _set_node_condition(node: Obj, ctype: str, status: str, reason: str, message: str, now: float) -> None:
    conds = node.setdefault("status", {}).setdefault("conditions", [])
    for c in conds:
        if c.get("type") == ctype:
            if c.get("status") != status:
                c["lastTransitionTime"] = now
            c.update({"status": status, "reason": reason, "message": message, "lastHeartbeatTime": now})
            return
    conds.append({"type": ctype, "status": status, "reason": reason, "message": message,
                  "lastHeartbeatTime": now, "lastTransitionTime": now})


_KUBELET_REASONS = {  # what the kubelet posts (pkg/kubelet/nodestatus/setters.go)
    "Ready": ("True", "KubeletReady", "kubelet is posting ready status"),
    "MemoryPressure": ("False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available"),
    "DiskPressure": ("False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
    "PIDPressure": ("False", "KubeletHasSufficientPID", "kubelet has sufficient PID available"),
}


class NodeLifecycleController:
    name = "node-lifecycle-controller"

    def attach(self, cluster: "Cluster") -> None:
        self.cluster = cluster
        self.store = cluster.store
        self.idx = owner_index(cluster)
        self.down: set[str] = set()
        self.unknown: set[str] = set()          # nodes we marked Unknown + tainted
        self.last_heartbeat: dict[str, float] = {}  # down node -> its last Lease renewal
        self._detect_timers: dict[str, Any] = {}
        self._evictions: dict[tuple[str, str], tuple[float, Any]] = {}  # pod key -> (created, timer)
        self._noexec: dict[str, tuple] = {}     # node -> last NoExecute taints seen
        self._seen: dict[tuple[str, str], tuple] = {}  # pod -> (node, tolerations) last processed
        shared_watch(cluster, "Node", self._on_node)
        for node in self.store.list("Node"):   # the world's nodes exist before the controllers start
            cluster.clock.soon(self._on_node, "ADDED", node)
        shared_watch(cluster, "Pod", self._on_pod)

    # -- world events ---------------------------------------------------------------------------------------
    def node_down(self, name: str) -> None:
        if name in self.down:
            return
        self.down.add(name)
        now = self.cluster.now
        last = math.floor(now / LEASE_RENEW_INTERVAL) * LEASE_RENEW_INTERVAL
        self.last_heartbeat[name] = last
        deadline = last + NODE_MONITOR_GRACE_PERIOD
        tick = (math.floor(deadline / NODE_MONITOR_PERIOD) + 1) * NODE_MONITOR_PERIOD
        self._detect_timers[name] = self.cluster.clock.at(tick, self._mark_unknown, name,
                                                          label="node-lifecycle monitorNodeHealth")

    def node_up(self, name: str) -> None:
        if name not in self.down:
            return
        self.down.discard(name)
        self.last_heartbeat.pop(name, None)
        t = self._detect_timers.pop(name, None)
        if t is not None:
            t.cancel()
        node = self.store.get("Node", "", name)
        if node is None:
            return
        now = self.cluster.now
        if name in self.unknown:
            # the kubelet posts its status again
            for ctype, (st, reason, msg) in _KUBELET_REASONS.items():
                if any(c.get("type") == ctype for c in node.get("status", {}).get("conditions") or ()):
                    _set_node_condition(node, ctype, st, reason, msg, now)
            apiserver(self.cluster).update(node)
            tick = (math.floor(now / NODE_MONITOR_PERIOD) + 1) * NODE_MONITOR_PERIOD
            self.cluster.clock.at(tick, self._mark_ready, name, label="node-lifecycle monitorNodeHealth")

    # -- monitorNodeHealth ----------------------------------------------------------------------------------------
    def _mark_unknown(self, name: str) -> None:
        self._detect_timers.pop(name, None)
        node = self.store.get("Node", "", name)
        if node is None or name not in self.down:
            return
        now = self.cluster.now
        api = apiserver(self.cluster)
        for c in node.setdefault("status", {}).setdefault("conditions", []):
            if c.get("status") != "Unknown":
                c["lastTransitionTime"] = now
            c.update({"status": "Unknown", "reason": "NodeStatusUnknown",
                      "message": "Kubelet stopped posting node status."})
        if not any(c.get("type") == "Ready" for c in node["status"]["conditions"]):
            _set_node_condition(node, "Ready", "Unknown", "NodeStatusUnknown",
                                "Kubelet stopped posting node status.", now)
        self.unknown.add(name)
        if not self._sync_condition_taints(node):   # adds unreachable NoExecute + NoSchedule
            api.update(node)
        self.cluster.event(node, "Normal", "NodeNotReady", f"Node {name} status is now: NodeNotReady", SOURCE)
        # MarkPodsNotReady
        from kubetrainer.sim.apiserver import set_condition

        for pod in self.idx.pods_on_node(name):
            conds = (pod.get("status") or {}).get("conditions") or ()
            ready = next((c for c in conds if c.get("type") == "Ready"), None)
            if ready is None or ready.get("status") == "False":
                continue
            set_condition(pod["status"], "Ready", "False", now, ready.get("reason"), ready.get("message"))
            api.update(pod)
            self.cluster.event(pod, "Warning", "NodeNotReady", "Node is not ready", SOURCE)

    def _mark_ready(self, name: str) -> None:
        node = self.store.get("Node", "", name)
        if node is None or name in self.down or name not in self.unknown:
            return
        self.unknown.discard(name)
        self._sync_condition_taints(node)
        self.cluster.event(node, "Normal", "NodeReady", f"Node {name} status is now: NodeReady", SOURCE)

    # -- taint eviction ----------------------------------------------------------------------------------------------
    @staticmethod
    def _noexecute(node: Obj) -> list[Obj]:
        return [t for t in (node.get("spec") or {}).get("taints") or () if t.get("effect") == "NoExecute"]

    def _on_node(self, event: str, node: Obj) -> None:
        name = node["metadata"]["name"]
        if event == "DELETED":
            self._noexec.pop(name, None)
            return
        self._sync_condition_taints(node)
        taints = self._noexecute(node)
        sig = tuple((t.get("key"), t.get("value"), t.get("effect")) for t in taints)
        if self._noexec.get(name, ()) == sig:
            return
        self._noexec[name] = sig
        for pod in self.idx.pods_on_node(name):
            self._process_pod(pod, taints)

    def _sync_condition_taints(self, node: Obj) -> bool:
        """TaintNodesByCondition (doNoScheduleTaintingPass, nodeConditionToTaintKeyStatusMap) and the
        NoExecute pass: Ready False -> not-ready, Ready Unknown -> unreachable (NoExecute + NoSchedule);
        MemoryPressure/DiskPressure/PIDPressure/NetworkUnavailable True -> <x>-pressure /
        network-unavailable NoSchedule; spec.unschedulable -> unschedulable NoSchedule (the kubelet
        records NodeNotSchedulable / NodeSchedulable, `Node <n> status is now: <s>`)."""
        spec = node.setdefault("spec", {})
        conds = {c.get("type"): c.get("status") for c in (node.get("status") or {}).get("conditions") or ()}
        desired: list[tuple[str, str]] = []
        if conds.get("Ready") == "False":
            desired += [(NOT_READY, "NoExecute"), (NOT_READY, "NoSchedule")]
        elif conds.get("Ready") == "Unknown":
            desired += [(UNREACHABLE, "NoExecute"), (UNREACHABLE, "NoSchedule")]
        for ctype, key in (("MemoryPressure", "node.kubernetes.io/memory-pressure"),
                           ("DiskPressure", "node.kubernetes.io/disk-pressure"),
                           ("PIDPressure", "node.kubernetes.io/pid-pressure"),
                           ("NetworkUnavailable", "node.kubernetes.io/network-unavailable")):
            if conds.get(ctype) == "True":
                desired.append((key, "NoSchedule"))
        if spec.get("unschedulable"):
            desired.append((UNSCHEDULABLE, "NoSchedule"))
        taints = list(spec.get("taints") or ())
        have = [(t.get("key"), t.get("effect")) for t in taints if t.get("key") in _MANAGED]
        if set(have) == set(desired):
            return False
        kept = [t for t in taints if t.get("key") not in _MANAGED or (t.get("key"), t.get("effect")) in desired]
        now = self.cluster.now
        for k, e in desired:
            if (k, e) not in have:
                kept.append({"key": k, "effect": e, "timeAdded": now})
        if kept:
            spec["taints"] = kept
        else:
            spec.pop("taints", None)
        apiserver(self.cluster).update(node)
        name = node["metadata"]["name"]
        was = (UNSCHEDULABLE, "NoSchedule") in have
        want = (UNSCHEDULABLE, "NoSchedule") in desired
        if was != want and name not in self.down:
            status = "NodeNotSchedulable" if want else "NodeSchedulable"
            self.cluster.event(node, "Normal", status, f"Node {name} status is now: {status}", "kubelet")
        return True

    def _on_pod(self, event: str, pod: Obj) -> None:
        key = (pod["metadata"].get("namespace") or "default", pod["metadata"]["name"])
        if event == "DELETED":
            self._cancel(key, event=False)
            self._seen.pop(key, None)
            return
        node = (pod.get("spec") or {}).get("nodeName")
        if not node:
            return
        n = self.store.get("Node", "", node)
        if n is None:
            return
        taints = self._noexecute(n)
        if not taints and key not in self._evictions:
            return
        # PodUpdated: only a new node or new tolerations matter
        sig = (node, hash(repr((pod.get("spec") or {}).get("tolerations"))))
        if self._seen.get(key) == sig:
            return
        self._process_pod(pod, taints)

    def _cancel(self, key: tuple[str, str], event: bool = True) -> None:
        item = self._evictions.pop(key, None)
        if item is None:
            return
        item[1].cancel()
        if event:
            pod = self.store.get("Pod", *key)
            if pod is not None:
                self.cluster.event(pod, "Normal", "TaintManagerEviction",
                                   f"Cancelling deletion of Pod {key[0]}/{key[1]}", EVICTION_SOURCE)

    def _process_pod(self, pod: Obj, taints: list[Obj]) -> None:
        key = (pod["metadata"].get("namespace") or "default", pod["metadata"]["name"])
        self._seen[key] = ((pod.get("spec") or {}).get("nodeName"),
                           hash(repr((pod.get("spec") or {}).get("tolerations"))))
        if pod["metadata"].get("deletionTimestamp") is not None:
            return
        if not taints:
            self._cancel(key)
            return
        now = self.cluster.now
        secs = min_toleration_seconds(taints, list((pod.get("spec") or {}).get("tolerations") or ()))
        if secs is None:
            self._cancel(key)
            self._schedule(key, now, now)
            return
        if secs == math.inf:
            self._cancel(key)
            return
        start = now
        trigger = now + secs
        cur = self._evictions.get(key)
        if cur is not None:
            start = cur[0]
            if start + secs < trigger:
                return
            self._cancel(key)
        self._schedule(key, start, start + secs)

    def _schedule(self, key: tuple[str, str], created: float, at: float) -> None:
        timer = self.cluster.clock.at(at, self._evict, key, label="taint-eviction")
        self._evictions[key] = (created, timer)

    def _evict(self, key: tuple[str, str]) -> None:
        self._evictions.pop(key, None)
        pod = self.store.get("Pod", *key)
        if pod is None or pod["metadata"].get("deletionTimestamp") is not None:
            return
        from kubetrainer.sim.apiserver import set_condition

        self.cluster.event(pod, "Normal", "TaintManagerEviction", f"Marking for deletion Pod {key[0]}/{key[1]}",
                           EVICTION_SOURCE)
        api = apiserver(self.cluster)
        set_condition(pod.setdefault("status", {}), "DisruptionTarget", "True", self.cluster.now,
                      "DeletionByTaintManager", "Taint manager: deleting due to NoExecute taint")
        api.update(pod)
        try:
            api.delete("Pod", key[0], key[1], actor="controller-manager")
        except KeyError:
            pass


def world_event(cluster: "Cluster", line: str) -> str:
    """`node-down NAME` / `node-up NAME`: tell the node lifecycle controller (cluster.world_command has
    already told the kubelets)."""
    parts = line.split()
    verb, name = parts[0], parts[1]
    try:
        ctl = cluster.component("node-lifecycle-controller")
    except KeyError:
        ctl = None
    if ctl is not None:
        (ctl.node_up if verb == "node-up" else ctl.node_down)(name)
    return f"node/{name} {'up' if verb == 'node-up' else 'down'}"
