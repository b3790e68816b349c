"""The pods a workload's controller would create, for `kubetrainer schedule` (no controllers run).

Deployment -> ReplicaSet `<name>-<pod-template-hash>` (owner of the pods, so the default topology
spreading applies) -> pods `<rs>-<5 chars>` carrying the pod-template-hash label; ReplicaSet /
ReplicationController -> pods `<name>-<5 chars>`; StatefulSet -> `<name>-0..n-1`; Job -> pods
`<name>-<5 chars>` (parallelism); DaemonSet -> one pod per node, pinned with the node affinity
`matchFields metadata.name` the DaemonSet controller adds. Pods are defaulted as the API
server defaults a created Pod (requests from limits, default tolerations).
"""

from __future__ import annotations

import copy
import random
from typing import Any

ALPHANUMS = "bcdfghjklmnpqrstvwxz2456789"  # k8s.io/apimachinery/pkg/util/rand


def _suffix(rng: random.Random, n: int = 5) -> str:
    return "".join(rng.choice(ALPHANUMS) for _ in range(n))


def _hash(template: dict) -> str:
    try:
        from kubetrainer.sim.controllers.common import compute_hash  # the deployment controller's ComputeHash

        return compute_hash(template)
    except Exception:
        import json

        h = 0x811C9DC5
        for b in json.dumps(template, sort_keys=True).encode():
            h = ((h ^ b) * 0x01000193) & 0xFFFFFFFF
        s = str(h)
        return "".join(ALPHANUMS[ord(c) % len(ALPHANUMS)] for c in s)


def _default(pod: dict) -> dict:
    try:
        from kubetrainer.api.defaults import default_object

        return default_object(pod).obj
    except Exception:
        return pod


def _pod(template: dict, name: str, ns: str, owner: dict | None, extra_labels: dict | None = None) -> dict:
    t = copy.deepcopy(template or {})
    meta = t.get("metadata") or {}
    labels = dict(meta.get("labels") or {})
    labels.update(extra_labels or {})
    pod = {"apiVersion": "v1", "kind": "Pod",
           "metadata": {"name": name, "namespace": ns, "labels": labels,
                        **({"annotations": meta["annotations"]} if meta.get("annotations") else {})},
           "spec": t.get("spec") or {}, "status": {"phase": "Pending"}}
    if owner is not None:
        pod["metadata"]["ownerReferences"] = [{
            "apiVersion": owner.get("apiVersion", "apps/v1"), "kind": owner["kind"], "name": owner["metadata"]["name"],
            "uid": owner["metadata"].get("uid", ""), "controller": True, "blockOwnerDeletion": True}]
    return _default(pod)


def expand(obj: dict, rng: random.Random, node_names: list[str] | None = None) -> tuple[list[dict], list[dict]]:
    """(pods, extra objects such as the Deployment's ReplicaSet) for one object of FILE."""
    kind = obj.get("kind")
    meta = obj.get("metadata") or {}
    ns = meta.get("namespace") or "default"
    name = meta.get("name") or ""
    spec = obj.get("spec") or {}
    if kind == "Pod":
        if not meta.get("name") and meta.get("generateName"):
            obj = copy.deepcopy(obj)
            obj["metadata"]["name"] = meta["generateName"] + _suffix(rng)
        return [obj], []
    replicas = spec.get("replicas", 1)
    replicas = 1 if replicas is None else int(replicas)
    template = spec.get("template") or {}
    if kind == "Deployment":
        h = _hash(template)
        rs_name = f"{name}-{h}"
        sel = copy.deepcopy(spec.get("selector") or {})
        sel.setdefault("matchLabels", {})["pod-template-hash"] = h
        rs = {"apiVersion": "apps/v1", "kind": "ReplicaSet",
              "metadata": {"name": rs_name, "namespace": ns, "uid": f"rs-{rs_name}",
                           "labels": dict((template.get("metadata") or {}).get("labels") or {}, **{"pod-template-hash": h})},
              "spec": {"replicas": replicas, "selector": sel, "template": template}}
        pods = [_pod(template, f"{rs_name}-{_suffix(rng)}", ns, rs, {"pod-template-hash": h}) for _ in range(replicas)]
        return pods, [rs]
    if kind in ("ReplicaSet", "ReplicationController"):
        return [_pod(template, f"{name}-{_suffix(rng)}", ns, obj) for _ in range(replicas)], [obj]
    if kind == "StatefulSet":
        return [_pod(template, f"{name}-{k}", ns, obj, {"statefulset.kubernetes.io/pod-name": f"{name}-{k}"})
                for k in range(replicas)], [obj]
    if kind == "Job":
        n = spec.get("parallelism", 1)
        n = 1 if n is None else int(n)
        comp = spec.get("completions")
        if comp is not None:
            n = min(n, int(comp))
        return [_pod(template, f"{name}-{_suffix(rng)}", ns, obj) for _ in range(n)], [obj]
    if kind == "DaemonSet":
        pods = []
        for node in node_names or []:
            p = _pod(template, f"{name}-{_suffix(rng)}", ns, obj)
            aff = p["spec"].setdefault("affinity", {}).setdefault("nodeAffinity", {})
            aff["requiredDuringSchedulingIgnoredDuringExecution"] = {"nodeSelectorTerms": [
                {"matchFields": [{"key": "metadata.name", "operator": "In", "values": [node]}]}]}
            pods.append(p)
        return pods, [obj]
    return [], [obj]
