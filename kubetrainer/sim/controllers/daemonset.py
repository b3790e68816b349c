"""The DaemonSet controller (pkg/controller/daemon/daemon_controller.go, update.go, util/daemonset_util.go).

* one pod per node where nodeShouldRunDaemonPod holds: the pod built from the template
  (NewPod: nodeAffinity `matchFields metadata.name In [<node>]` replaces any node-name affinity,
  plus the automatic tolerations of AddOrUpdateDaemonPodTolerations) fits the node's name, its
  required node affinity / nodeSelector, and every NoSchedule/NoExecute taint is tolerated. A node
  whose untolerated taint is only NoSchedule keeps a running pod (shouldContinueRunning).
* pods are created unbound (the scheduler binds them), named `<ds>-<5 random chars>`, labelled
  controller-revision-hash and pod-template-generation; events SuccessfulCreate/SuccessfulDelete
  `Created pod: <pod>` / `Deleted pod: <pod>` (RealPodControl); failed daemon pods are deleted.
* RollingUpdate (maxUnavailable default 1, maxSurge 0; rollingUpdate in update.go): old pods on
  at most maxUnavailable nodes are deleted at a time, unavailable old pods first; the replacement is
  created as soon as the old pod is terminating. OnDelete: only new pods get the new template.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kubetrainer.sim.apiserver import Forbidden
from kubetrainer.sim.controllers.common import (
    WorkQueue, api_error_text, apiserver, slow_start_batch, available_at, compute_hash, controller_ref, is_pod_available, is_pod_ready,
    pod_from_template, ts)
from kubetrainer.sim.controllers.deployment_util import scaled_value
from kubetrainer.sim.controllers.index import owner_index, shared_watch
from kubetrainer.sim.controllers.nodelifecycle import tolerates
from kubetrainer.sim.controllers.revisions import sync_revision

if TYPE_CHECKING:
    from kubetrainer.sim.cluster import Cluster

Obj = dict[str, Any]
SOURCE = "daemonset-controller"


def daemon_tolerations(host_network: bool) -> list[Obj]:
    """util.AddOrUpdateDaemonPodTolerations."""
    tols = [{"key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoExecute"},
            {"key": "node.kubernetes.io/unreachable", "operator": "Exists", "effect": "NoExecute"},
            {"key": "node.kubernetes.io/disk-pressure", "operator": "Exists", "effect": "NoSchedule"},
            {"key": "node.kubernetes.io/memory-pressure", "operator": "Exists", "effect": "NoSchedule"},
            {"key": "node.kubernetes.io/pid-pressure", "operator": "Exists", "effect": "NoSchedule"},
            {"key": "node.kubernetes.io/unschedulable", "operator": "Exists", "effect": "NoSchedule"}]
    if host_network:
        tols.append({"key": "node.kubernetes.io/network-unavailable", "operator": "Exists", "effect": "NoSchedule"})
    return tols


def _add_tolerations(spec: Obj) -> None:
    tols = list(spec.get("tolerations") or [])
    for t in daemon_tolerations(bool(spec.get("hostNetwork"))):
        if not any(x.get("key") == t["key"] and x.get("effect") == t["effect"] for x in tols):
            tols.append(t)
    spec["tolerations"] = tols


def _node_affinity(spec: Obj, node_name: str) -> None:
    """util.ReplaceDaemonSetPodNodeNameNodeAffinity."""
    aff = spec.setdefault("affinity", {})
    na = aff.setdefault("nodeAffinity", {})
    term_field = {"key": "metadata.name", "operator": "In", "values": [node_name]}
    req = na.get("requiredDuringSchedulingIgnoredDuringExecution")
    if not req or not req.get("nodeSelectorTerms"):
        na["requiredDuringSchedulingIgnoredDuringExecution"] = {"nodeSelectorTerms": [{"matchFields": [term_field]}]}
        return
    for term in req["nodeSelectorTerms"]:
        term["matchFields"] = [f for f in term.get("matchFields") or () if f.get("key") != "metadata.name"]
        term["matchFields"].append(dict(term_field))


def should_run(ds: Obj, node: Obj) -> tuple[bool, bool]:
    """nodeShouldRunDaemonPod -> (shouldRun, shouldContinueRunning)."""
    from kubetrainer.api.selectors import node_selector_matches

    spec = (ds["spec"].get("template") or {}).get("spec") or {}
    name = node["metadata"]["name"]
    labels = node["metadata"].get("labels") or {}
    if spec.get("nodeName") and spec["nodeName"] != name:
        return False, False
    for k, v in (spec.get("nodeSelector") or {}).items():
        if labels.get(k) != v:
            return False, False
    req = (((spec.get("affinity") or {}).get("nodeAffinity") or {})
           .get("requiredDuringSchedulingIgnoredDuringExecution"))
    if req and req.get("nodeSelectorTerms"):
        if not node_selector_matches(req, labels, {"metadata.name": name}):
            return False, False
    tols = list(spec.get("tolerations") or []) + daemon_tolerations(bool(spec.get("hostNetwork")))
    run = cont = True
    for taint in (node.get("spec") or {}).get("taints") or ():
        if taint.get("effect") not in ("NoSchedule", "NoExecute"):
            continue
        if any(tolerates(t, taint) for t in tols):
            continue
        run = False
        if taint.get("effect") == "NoExecute":
            cont = False
    return run, cont


class DaemonSetController:
    name = "daemonset-controller"

    def attach(self, cluster: "Cluster") -> None:
        self.cluster = cluster
        self.store = cluster.store
        self.idx = owner_index(cluster)
        self.queue = WorkQueue(cluster, self.sync, "daemonset-controller sync")
        self._elig: dict[str, dict[str, tuple]] = {}
        shared_watch(cluster, "DaemonSet", self._on_ds)
        shared_watch(cluster, "Pod", self._on_pod)
        shared_watch(cluster, "Node", self._on_node)

    def _on_ds(self, event: str, ds: Obj) -> None:
        if event != "DELETED":
            self.queue.add((ds["metadata"]["namespace"], ds["metadata"]["name"]))

    def _on_pod(self, event: str, pod: Obj) -> None:
        ref = controller_ref(pod)
        if ref is not None and ref.get("kind") == "DaemonSet":
            self.queue.add((pod["metadata"].get("namespace") or "default", ref["name"]))

    def _on_node(self, event: str, node: Obj) -> None:
        for ds in self.store.list("DaemonSet"):
            self.queue.add((ds["metadata"]["namespace"], ds["metadata"]["name"]))

    # -- sync ---------------------------------------------------------------------------------------------
    def sync(self, key: tuple[str, str]) -> None:
        ds = self.store.get("DaemonSet", *key)
        if ds is None or ds["metadata"].get("deletionTimestamp") is not None:
            return
        api = apiserver(self.cluster)
        uid = ds["metadata"]["uid"]
        h = compute_hash(ds["spec"].get("template") or {})
        by_node: dict[str, list[Obj]] = {}
        for pod in self.idx.owned("Pod", uid):
            if (controller_ref(pod) or {}).get("uid") != uid:
                continue
            node = self._pod_node(pod)
            by_node.setdefault(node, []).append(pod)
        nodes = sorted(self.store.list("Node"), key=lambda n: n["metadata"]["name"])
        in_use = {f'{ds["metadata"]["name"]}-{p["metadata"].get("labels", {}).get("controller-revision-hash")}'
                  for pods in by_node.values() for p in pods}
        sync_revision(self.cluster, ds, f'{ds["metadata"]["name"]}-{h}', in_use)
        create: list[str] = []
        delete: list[Obj] = []
        elig = self._eligibility(ds, nodes)
        for node in nodes:
            name = node["metadata"]["name"]
            run, cont = elig[name]
            pods = by_node.get(name, [])
            live = [p for p in pods if p["metadata"].get("deletionTimestamp") is None]
            if run:
                running = []
                for p in live:
                    if (p.get("status") or {}).get("phase") == "Failed":
                        delete.append(p)
                    else:
                        running.append(p)
                if not running:
                    create.append(name)
                elif len(running) > 1:
                    running.sort(key=lambda p: (ts(p["metadata"].get("creationTimestamp")), p["metadata"]["name"]))
                    delete.extend(running[1:])
            elif not cont:
                delete.extend(live)
        # syncNodes: creations in slow-start batches (a refused pod stops them), then the deletions
        it = iter(create)
        err = slow_start_batch(len(create), lambda: self._create(ds, next(it), h))[1]
        for p in delete:
            self._delete(ds, p)
        if not create and not delete:
            self._rolling_update(ds, by_node, h, nodes, elig)
        self._update_status(ds, by_node, nodes, h, elig)
        if err is not None:
            self.queue.add_rate_limited(key)
        else:
            self.queue.forget(key)

    def _eligibility(self, ds: Obj, nodes: list[Obj]) -> dict[str, tuple[bool, bool]]:
        """should_run per node, recomputed only for nodes (or a DaemonSet spec) written since."""
        cache = self._elig.setdefault(ds["metadata"]["uid"], {})
        gen = ds["metadata"].get("generation", 1)
        out: dict[str, tuple[bool, bool]] = {}
        for n in nodes:
            name = n["metadata"]["name"]
            rv = n["metadata"].get("resourceVersion")
            hit = cache.get(name)
            if hit is not None and hit[0] == rv and hit[1] == gen:
                out[name] = hit[2]
            else:
                res = should_run(ds, n)
                cache[name] = (rv, gen, res)
                out[name] = res
        return out

    @staticmethod
    def _pod_node(pod: Obj) -> str:
        if pod["spec"].get("nodeName"):
            return pod["spec"]["nodeName"]
        for term in ((((pod["spec"].get("affinity") or {}).get("nodeAffinity") or {})
                      .get("requiredDuringSchedulingIgnoredDuringExecution") or {}).get("nodeSelectorTerms") or ()):
            for f in term.get("matchFields") or ():
                if f.get("key") == "metadata.name" and f.get("values"):
                    return f["values"][0]
        return ""

    def _create(self, ds: Obj, node: str, h: str) -> str | None:
        pod = pod_from_template(ds["spec"].get("template") or {}, ds, generate_name=ds["metadata"]["name"] + "-")
        pod["metadata"]["labels"]["controller-revision-hash"] = h
        pod["metadata"]["labels"]["pod-template-generation"] = str(ds["metadata"].get("generation", 1))
        _node_affinity(pod["spec"], node)
        _add_tolerations(pod["spec"])
        try:
            created = apiserver(self.cluster).create(pod, actor="controller-manager", strict=True)
        except Forbidden as e:
            # controller_utils.go createPods: Warning FailedCreate "Error creating: %v"
            msg = api_error_text(e)
            self.cluster.event(ds, "Warning", "FailedCreate", f"Error creating: {msg}", SOURCE)
            return msg
        self.cluster.event(ds, "Normal", "SuccessfulCreate", f"Created pod: {created['metadata']['name']}", SOURCE)
        return None

    def _delete(self, ds: Obj, pod: Obj) -> None:
        try:
            apiserver(self.cluster).delete("Pod", pod["metadata"]["namespace"], pod["metadata"]["name"],
                                           actor="controller-manager")
        except KeyError:
            return
        self.cluster.event(ds, "Normal", "SuccessfulDelete", f"Deleted pod: {pod['metadata']['name']}", SOURCE)

    def _rolling_update(self, ds: Obj, by_node: dict[str, list[Obj]], h: str, nodes: list[Obj],
                        elig: dict[str, tuple[bool, bool]]) -> None:
        strat = ds["spec"].get("updateStrategy") or {"type": "RollingUpdate"}
        if strat.get("type", "RollingUpdate") != "RollingUpdate":
            return
        ru = strat.get("rollingUpdate") or {}
        desired = sum(1 for n in nodes if elig[n["metadata"]["name"]][0])
        try:
            max_unavail = scaled_value(ru.get("maxUnavailable", 1), desired, True)
        except ValueError:
            return
        min_ready = int(ds["spec"].get("minReadySeconds") or 0)
        now = self.cluster.now
        unavailable = 0
        replace: list[Obj] = []
        candidates: list[Obj] = []
        for node in nodes:
            name = node["metadata"]["name"]
            if not elig[name][0]:
                continue
            live = [p for p in by_node.get(name, []) if p["metadata"].get("deletionTimestamp") is None]
            new = [p for p in live if p["metadata"].get("labels", {}).get("controller-revision-hash") == h]
            old = [p for p in live if p["metadata"].get("labels", {}).get("controller-revision-hash") != h]
            if len(live) > 1 or (not new and not old) or (new and old):
                unavailable += 1
            elif new:
                if not is_pod_available(new[0], min_ready, now):
                    unavailable += 1
            else:
                if not is_pod_available(old[0], min_ready, now):
                    replace.append(old[0])
                elif unavailable < max_unavail:
                    candidates.append(old[0])
        remaining = max(0, min(max_unavail - unavailable, len(candidates)))
        for p in replace + candidates[:remaining]:
            self._delete(ds, p)

    def _update_status(self, ds: Obj, by_node: dict[str, list[Obj]], nodes: list[Obj], h: str,
                       elig: dict[str, tuple[bool, bool]]) -> None:
        min_ready = int(ds["spec"].get("minReadySeconds") or 0)
        now = self.cluster.now
        desired = current = mis = ready = updated = avail = 0
        next_avail = None
        for node in nodes:
            name = node["metadata"]["name"]
            run, _ = elig[name]
            pods = [p for p in by_node.get(name, []) if p["metadata"].get("deletionTimestamp") is None]
            if run:
                desired += 1
                if pods:
                    current += 1
                    p = sorted(pods, key=lambda x: ts(x["metadata"].get("creationTimestamp")))[0]
                    if is_pod_ready(p):
                        ready += 1
                        if is_pod_available(p, min_ready, now):
                            avail += 1
                        else:
                            t = available_at(p, min_ready)
                            next_avail = t if next_avail is None else min(next_avail, t)
                    if p["metadata"].get("labels", {}).get("controller-revision-hash") == h:
                        updated += 1
            elif pods:
                mis += 1
        new = {"desiredNumberScheduled": desired, "currentNumberScheduled": current, "numberMisscheduled": mis,
               "numberReady": ready, "updatedNumberScheduled": updated, "numberAvailable": avail,
               "numberUnavailable": desired - avail, "observedGeneration": ds["metadata"].get("generation", 1)}
        st = ds.get("status") or {}
        if any(st.get(k) != v for k, v in new.items()):
            st.update(new)
            ds["status"] = st
            apiserver(self.cluster).update(ds)
        if next_avail is not None:
            self.queue.add_at((ds["metadata"]["namespace"], ds["metadata"]["name"]), next_avail)
