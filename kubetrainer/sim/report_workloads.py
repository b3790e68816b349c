"""The `deployments`, `replicaSets` and `nodes` sections of the SimulationResult (CONTRACTS.md §3)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kubetrainer.api.quantity import format_cpu, format_memory

if TYPE_CHECKING:
    from kubetrainer.sim.cluster import Cluster


def _replicas(obj: dict) -> int:
    r = (obj.get("spec") or {}).get("replicas")
    return 1 if r is None else int(r)


def _revision(obj: dict) -> int:
    v = ((obj.get("metadata") or {}).get("annotations") or {}).get("deployment.kubernetes.io/revision")
    try:
        return int(v) if v is not None else 0
    except ValueError:
        return 0


def deployments(cluster: "Cluster") -> list[dict[str, Any]]:
    out = []
    for d in cluster.store.list("Deployment"):
        st = d.get("status") or {}
        out.append({"namespace": d["metadata"].get("namespace", "default"), "name": d["metadata"]["name"],
                    "replicas": _replicas(d), "updated": int(st.get("updatedReplicas") or 0),
                    "ready": int(st.get("readyReplicas") or 0), "available": int(st.get("availableReplicas") or 0),
                    "revision": _revision(d),
                    "conditions": {c["type"]: c.get("status") for c in st.get("conditions") or ()}})
    return out


def replica_sets(cluster: "Cluster") -> list[dict[str, Any]]:
    out = []
    for rs in cluster.store.list("ReplicaSet"):
        st = rs.get("status") or {}
        out.append({"namespace": rs["metadata"].get("namespace", "default"), "name": rs["metadata"]["name"],
                    "revision": _revision(rs), "desired": _replicas(rs), "current": int(st.get("replicas") or 0),
                    "ready": int(st.get("readyReplicas") or 0)})
    return out


def nodes(cluster: "Cluster") -> list[dict[str, Any]]:
    from kubetrainer.sim.kubectl.nodes import node_allocated

    out = []
    for n in cluster.store.list("Node"):
        name = n["metadata"]["name"]
        ready = next((c.get("status") for c in (n.get("status") or {}).get("conditions") or ()
                      if c.get("type") == "Ready"), "Unknown")
        req, _, pods = node_allocated(cluster, name)
        out.append({"name": name, "ready": ready,
                    "allocated": {"cpu": format_cpu(req["cpu"]), "memory": format_memory(req["memory"])},
                    "pods": len(pods)})
    return out
