"""kubectl's pod columns (printPod) and the SimulationResult of CONTRACTS.md §3.

`print_pod` follows pkg/printers/internalversion/printers.go printPod (KUBERNETES.md §3):
STATUS from phase / status.reason, init containers in spec order, regular containers from last
to first, `Completed` next to a running container → Running/NotReady, Terminating/Unknown for a
pod being deleted; READY counts running *and* ready containers; RESTARTS "N (AGE ago)".
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from kubetrainer.durations import format_duration

if TYPE_CHECKING:
    from kubetrainer.sim.cluster import Cluster

Obj = dict[str, Any]


def _is_sidecar(c: Obj) -> bool:
    return c.get("restartPolicy") == "Always"


def _condition(status: Obj, ctype: str) -> str | None:
    for c in status.get("conditions") or []:
        if c.get("type") == ctype:
            return c.get("status")
    return None


def _exit_reason(term: Obj) -> str:
    if term.get("reason"):
        return term["reason"]
    if term.get("signal"):
        return f"Signal:{term['signal']}"
    return f"ExitCode:{term.get('exitCode', 0)}"


def print_pod(pod: Obj, now: float | None = None) -> dict[str, Any]:
    """{'status', 'ready', 'restarts' (int), 'restarts_text' ('3 (25s ago)'), 'ready_count', 'total'}."""
    spec = pod.get("spec") or {}
    status = pod.get("status") or {}
    meta = pod.get("metadata") or {}
    init_specs = spec.get("initContainers") or []
    containers = spec.get("containers") or []
    sidecars = sum(1 for c in init_specs if _is_sidecar(c))
    total = len(containers) + sidecars
    ready = 0
    restarts = 0
    last_restart: float | None = None

    def track(cs: Obj) -> None:
        nonlocal last_restart
        term = (cs.get("lastState") or {}).get("terminated")
        if term and term.get("finishedAt") is not None:
            if last_restart is None or term["finishedAt"] > last_restart:
                last_restart = term["finishedAt"]

    reason = status.get("phase") or "Pending"
    if status.get("reason"):
        reason = status["reason"]
    for c in status.get("conditions") or []:
        if c.get("type") == "PodScheduled" and c.get("reason") == "SchedulingGated":
            reason = "SchedulingGated"

    initializing = False
    sidecar_by_name = {c.get("name"): _is_sidecar(c) for c in init_specs}
    for i, cs in enumerate(status.get("initContainerStatuses") or []):
        restarts += int(cs.get("restartCount") or 0)
        track(cs)
        state = cs.get("state") or {}
        term, wait = state.get("terminated"), state.get("waiting")
        if term and term.get("exitCode") == 0:
            continue
        if sidecar_by_name.get(cs.get("name")) and cs.get("started"):
            if cs.get("ready"):
                ready += 1
            continue
        if term:
            reason = "Init:" + _exit_reason(term)
        elif wait and wait.get("reason") and wait["reason"] != "PodInitializing":
            reason = "Init:" + wait["reason"]
        else:
            reason = f"Init:{i}/{len(init_specs)}"
        initializing = True
        break

    if not initializing or _condition(status, "Initialized") == "True":
        restarts = 0
        for cs in status.get("initContainerStatuses") or []:
            if sidecar_by_name.get(cs.get("name")):
                restarts += int(cs.get("restartCount") or 0)
        has_running = False
        for cs in reversed(status.get("containerStatuses") or []):
            restarts += int(cs.get("restartCount") or 0)
            track(cs)
            state = cs.get("state") or {}
            wait, term, run = state.get("waiting"), state.get("terminated"), state.get("running")
            if wait and wait.get("reason"):
                reason = wait["reason"]
            elif term and term.get("reason"):
                reason = term["reason"]
            elif term:
                reason = _exit_reason(term)
            elif run is not None and cs.get("ready"):
                has_running = True
                ready += 1
        if reason == "Completed" and has_running:
            reason = "Running" if _condition(status, "Ready") == "True" else "NotReady"

    if meta.get("deletionTimestamp") is not None and status.get("reason") == "NodeLost":
        reason = "Unknown"
    elif meta.get("deletionTimestamp") is not None and status.get("phase") not in ("Succeeded", "Failed"):
        reason = "Terminating"

    text = str(restarts)
    if restarts and last_restart is not None and now is not None:
        text = f"{restarts} ({format_duration(now - last_restart)} ago)"
    return {"status": reason, "ready": f"{ready}/{total}", "restarts": restarts, "restarts_text": text,
            "ready_count": ready, "total": total}


def _state_entry(cs: Obj) -> dict[str, Any]:
    state = cs.get("state") or {}
    out: dict[str, Any] = {"name": cs.get("name")}
    if "running" in state:
        out.update(state="running", reason=None, exitCode=None)
    elif "terminated" in state:
        t = state["terminated"]
        out.update(state="terminated", reason=t.get("reason"), exitCode=t.get("exitCode"))
    else:
        w = state.get("waiting") or {}
        out.update(state="waiting", reason=w.get("reason"), exitCode=None)
    out["restartCount"] = int(cs.get("restartCount") or 0)
    out["ready"] = bool(cs.get("ready"))
    last = (cs.get("lastState") or {}).get("terminated")
    out["lastState"] = ({"state": "terminated", "reason": last.get("reason"), "exitCode": last.get("exitCode")}
                        if last else None)
    return out


CONDITION_ORDER = ("PodScheduled", "PodReadyToStartContainers", "Initialized", "ContainersReady", "Ready")


def pod_entry(pod: Obj, now: float, deleted_at: float | None = None) -> dict[str, Any]:
    """One element of SimulationResult.pods."""
    meta = pod["metadata"]
    status = pod.get("status") or {}
    pp = print_pod(pod, now)
    conds = {c["type"]: c.get("status") for c in status.get("conditions") or []}
    ordered = {k: conds[k] for k in CONDITION_ORDER if k in conds}
    ordered.update({k: v for k, v in conds.items() if k not in ordered})
    return {
        "namespace": meta.get("namespace", "default"), "name": meta["name"],
        "node": (pod.get("spec") or {}).get("nodeName"),
        "phase": status.get("phase") or "Pending", "status": pp["status"], "ready": pp["ready"],
        "restarts": pp["restarts"], "conditions": ordered,
        "initContainers": [_state_entry(cs) for cs in status.get("initContainerStatuses") or []],
        "containers": [_state_entry(cs) for cs in status.get("containerStatuses") or []],
        "deleted": deleted_at is not None, "deletedAt": deleted_at,
    }


TIMELINE_KEYS = ("time", "object", "phase", "status", "ready", "restarts", "node", "deleted")


def timeline_row(pod: Obj, now: float, deleted: bool = False) -> tuple[Any, ...]:
    """One row of the timeline as a tuple in TIMELINE_KEYS order (Timeline makes the dicts)."""
    meta = pod["metadata"]
    status = pod.get("status") or {}
    pp = print_pod(pod, now)
    # interned: a pod has several rows (one copy of its ref, shared with events/flow; "1/1" once)
    return (now, sys.intern(f"Pod/{meta.get('namespace', 'default')}/{meta['name']}"),
            status.get("phase") or "Pending", pp["status"], sys.intern(pp["ready"]),
            pp["restarts"], (pod.get("spec") or {}).get("nodeName"), deleted)


class Timeline(Sequence):
    """The pods' status rows in time order; each row reads as a dict of TIMELINE_KEYS.

    Stored as tuples: a dict per row cost ~400 bytes more, and a 150,000-pod run writes ~4 rows
    per pod (issue #5's 2 GiB budget). Rows are read rarely (result(), the text report, the TUI)."""

    __slots__ = ("_rows",)

    def __init__(self) -> None:
        self._rows: list[tuple[Any, ...]] = []

    def append(self, row: tuple[Any, ...]) -> None:
        self._rows.append(row)

    def __len__(self) -> int:
        return len(self._rows)

    def __getitem__(self, i):  # type: ignore[override]
        if isinstance(i, slice):
            return [dict(zip(TIMELINE_KEYS, r)) for r in self._rows[i]]
        return dict(zip(TIMELINE_KEYS, self._rows[i]))

    def __iter__(self):
        for r in self._rows:
            yield dict(zip(TIMELINE_KEYS, r))


def build_result(cluster: "Cluster") -> dict[str, Any]:
    now = cluster.now
    pods: list[dict[str, Any]] = []
    for obj, at in cluster.deleted_pods:
        pods.append((obj["metadata"].get("creationTimestamp", 0.0), obj["metadata"]["uid"], pod_entry(obj, at, at)))
    for p in cluster.store.iter("Pod"):
        pods.append((p["metadata"].get("creationTimestamp", 0.0), p["metadata"]["uid"], pod_entry(p, now)))
    pods.sort(key=lambda t: (t[2]["namespace"], t[2]["name"], t[0]))
    result: dict[str, Any] = {
        "apiVersion": "kubetrainer/v1", "kind": "SimulationResult", "until": float(now),
        "pods": [e for _, _, e in pods],
        "events": [e.to_json() for e in cluster.events.events],
        "timeline": list(cluster.timeline),
    }
    from kubetrainer.sim import report_workloads as rw

    result["deployments"] = rw.deployments(cluster)
    result["replicaSets"] = rw.replica_sets(cluster)
    result["nodes"] = rw.nodes(cluster)
    return result
