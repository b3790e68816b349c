"""`kubetrainer schedule FILE [--world W] [--format text|json]` (CONTRACTS.md §4).

One scheduling cycle per pod of FILE, in order, each seeing the ones before it placed, on the
world's nodes with the world's objects (its pods already placed) in the cluster first. A
workload contributes the pods its controller would create. JSON: {"pods": [{namespace, name,
node, message, filters, scores, totals}]}; text: a per-node table per pod and, for a pod that
stays pending, why in plain words.
"""

from __future__ import annotations

import json
import random
import sys
from typing import Any, Callable

from kubetrainer.errors import UserError, escape_text


def _load_world(path: str | None) -> Any:
    try:
        from kubetrainer.sim.world import load_world
    except ImportError:
        if path is not None:
            raise UserError(f"{path}: worlds cannot be loaded by this build") from None
        return None
    if path is None:
        try:
            return load_world(None)
        except (FileNotFoundError, ImportError):  # a build without the world assets: same nodes
            return None
    return load_world(path)


def _default_nodes() -> list[dict]:
    """CONTRACTS.md §2 default world: node-1..3, 4 CPU, 8Gi, 110 pods, Ready, no taints."""
    nodes = []
    for k in (1, 2, 3):
        name = f"node-{k}"
        cap = {"cpu": "4", "memory": "8Gi", "ephemeral-storage": "100Gi", "pods": "110"}
        nodes.append({"apiVersion": "v1", "kind": "Node",
                      "metadata": {"name": name, "labels": {"kubernetes.io/hostname": name, "kubernetes.io/os": "linux",
                                                            "kubernetes.io/arch": "amd64"}},
                      "spec": {}, "status": {"capacity": dict(cap), "allocatable": dict(cap),
                                             "conditions": [{"type": "Ready", "status": "True"}], "images": []}})
    return nodes


class Session:
    """The cluster state `schedule` works on: a store (for selectors and PriorityClasses) and the
    scheduler framework over the nodes."""

    def __init__(self, nodes: list[dict], seed: int = 0) -> None:
        from kubetrainer.sim.clock import Clock
        from kubetrainer.sim.scheduler.component import default_selector
        from kubetrainer.sim.scheduler.framework import Framework
        from kubetrainer.sim.scheduler.nodetable import NodeTable
        from kubetrainer.sim.store import Store

        self.rng = random.Random(seed)
        self.store = Store(Clock(), random.Random(seed))
        for n in nodes:
            self.store.create(n)
        self.fw = Framework(NodeTable(nodes), rng=random.Random(f"kube-scheduler/{seed}"),
                            default_selector=lambda p: default_selector(self.store, p))
        self.fw.get_object = self.store.get
        self.fw.list_objects = self.store.list

    def priority(self, pod: dict) -> int:
        from kubetrainer.sim.scheduler.podinfo import resolve_priority

        classes, default = {}, 0
        for pc in self.store.iter("PriorityClass"):
            classes[pc["metadata"]["name"]] = int(pc.get("value") or 0)
            if pc.get("globalDefault"):
                default = int(pc.get("value") or 0)
        return resolve_priority(pod, classes, default)

    def add_object(self, obj: dict) -> list[dict]:
        """Store the object (and what its controller makes); return the pods to schedule."""
        from kubetrainer.sim.scheduler.workloads import expand

        pods, extra = expand(obj, self.rng, list(self.fw.table.names))
        for o in extra:
            try:
                self.store.create(o)
            except KeyError:
                pass
        return pods

    def place(self, pod: dict, explain: bool = True) -> dict:
        from kubetrainer.sim.scheduler.admission import admit
        from kubetrainer.sim.scheduler.podinfo import PodInfo

        try:
            self.store.create(pod)
        except KeyError:
            pass
        pi = PodInfo(pod, self.priority(pod))
        if pi.node_name:  # spec.nodeName: no scheduler, the kubelet's admission only
            entry: dict[str, Any] = {"namespace": pi.namespace, "name": pi.name, "node": pi.node_name, "message": "",
                                     "filters": [], "scores": [], "totals": [], "bypassedScheduler": True}
            t = self.fw.table
            if pi.node_name in t.index:
                node = t.nodes[t.index[pi.node_name]]
                others = [p.pod for p in t.pods[t.index[pi.node_name]].values()]
                rej = admit(pod, node, others)
                if rej is not None:
                    entry["admission"] = {"reason": rej.reason, "message": rej.message}
                else:
                    self.fw.assume(pi, pi.node_name)
            return {"entry": entry, "record": None, "pod": pod}
        res = self.fw.schedule(pi, explain=explain)
        if res.node:
            self.fw.assume(pi, res.node)
        return {"entry": res.record.to_json(), "record": res.record, "pod": pod}


def _position_for(manifest: Any, obj_kind: str) -> Callable | None:
    if manifest is None or not hasattr(manifest, "position"):
        return None
    prefix = () if obj_kind == "Pod" else ("spec", "template")
    defaulted = getattr(manifest, "defaulted", None) or ()

    def position(path):
        full = prefix + tuple(path)
        if full in defaulted:
            return None  # set by defaulting, not written in the file
        return manifest.position(full)

    return position


def run(args) -> int:
    from kubetrainer.api.intake import load_manifests

    manifests = load_manifests([args.file])
    world = _load_world(args.world)
    nodes = world.to_node_objects() if world is not None else _default_nodes()
    s = Session(nodes)
    from kubetrainer.sim.controllers.persistentvolume import storage_addons

    for sc in storage_addons(getattr(world, "objects", []) or [] if world is not None else []):
        s.add_object(sc)   # kind's default StorageClass, as `simulate` has it
    if world is not None:
        from kubetrainer.api.defaults import default_object

        for obj in getattr(world, "objects", []) or []:
            for pod in s.add_object(default_object(obj).obj):
                s.place(pod, explain=False)
    results = []
    # storage objects of FILE exist before its pods are scheduled (`kubectl apply` creates them in
    # the same instant; the VolumeBinding PreFilter would retry the pod on the PVC's add event)
    storage = ("PersistentVolumeClaim", "PersistentVolume", "StorageClass")
    for m in manifests:
        if m.obj.get("kind") in storage:
            s.add_object(m.obj)
    for m in manifests:
        obj = m.obj
        if obj.get("kind") in storage:
            continue
        for pod in s.add_object(obj):
            r = s.place(pod)
            r["position"] = _position_for(m, obj.get("kind"))
            results.append(r)
    if args.format == "json":
        sys.stdout.write(json.dumps({"pods": [r["entry"] for r in results]}, indent=2) + "\n")
        return 0
    sys.stdout.write(escape_text(render_text(results)))
    return 0


def render_text(results: list[dict]) -> str:
    from kubetrainer.sim.scheduler.explain import why_pending

    out: list[str] = []
    short = {"TaintToleration": "Taint", "NodeAffinity": "Affinity", "NodeResourcesFit": "Fit",
             "PodTopologySpread": "Spread", "InterPodAffinity": "PodAff",
             "NodeResourcesBalancedAllocation": "Balanced", "ImageLocality": "Image"}
    for r in results:
        e = r["entry"]
        rec = r["record"]
        head = f"pod {e['namespace']}/{e['name']}: "
        if e.get("bypassedScheduler"):
            adm = e.get("admission")
            out.append(head + f"spec.nodeName {e['node']} (no scheduler)"
                       + (f"; the kubelet rejects it: {adm['reason']}: {adm['message']}" if adm else ""))
            out.append("")
            continue
        out.append(head + (f"scheduled to {e['node']}" if e["node"] else "Pending"))
        if rec is not None and rec.rows.size:
            score_plugins = [p for p, _ in rec.score_plugins]
            totals = {t["node"]: t["score"] for t in e["totals"]}
            sc: dict[tuple, dict] = {(s["node"], s["plugin"]): s for s in e["scores"]}
            header = ["NODE", "FILTERS"] + [short.get(p, p) for p in score_plugins] + ["TOTAL"]
            rows = [header]
            for j, node in enumerate(rec.node_names):
                first = int(rec.first_fail[j])
                filt = "passed" if first < 0 else f"{rec.filter_plugins[first]}: {', '.join(rec.node_reasons(j))}"
                row = [node + (" *" if node == e["node"] else ""), filt]
                for p in score_plugins:
                    s = sc.get((node, p))
                    if s is None:
                        row.append("-")
                    elif s["raw"] is None:
                        row.append("skip")
                    else:
                        row.append(f"{s['normalized']}x{s['weight']}")
                row.append(str(totals[node]) if node in totals else "-")
                rows.append(row)
            widths = [max(len(x[c]) for x in rows) for c in range(len(header))]
            for row in rows:
                out.append("  " + "  ".join(v.ljust(widths[c]) for c, v in enumerate(row)).rstrip())
        if not e["node"]:
            out.append(f"  FailedScheduling: {e['message']}")
            for line in why_pending(rec, r["pod"], r.get("position")) if rec is not None else []:
                out.append(f"  - {line}")
        out.append("")
    return "\n".join(out)
