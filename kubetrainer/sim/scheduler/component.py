"""kube-scheduler as a component of the simulated cluster.

It watches Nodes and Pods (the informers), keeps the scheduler cache as a NodeTable (pods bound
through spec.nodeName count too; terminated or removed pods stop counting), and runs the
scheduling queue of pkg/scheduler/backend/queue/scheduling_queue.go:

* activeQ ordered by PrioritySort (higher priority first, then the time the pod was queued);
* a failed pod goes to the unschedulable pool with a back-off of 1 s doubling to 10 s per
  attempt (podInitialBackoffDuration / podMaxBackoffDuration);
* cluster events (node added or changed, an assigned pod deleted or finished, a PriorityClass
  change) move unschedulable pods back: to activeQ if their back-off has expired, to backoffQ
  otherwise; pods that stayed unschedulable for 5 minutes are retried anyway
  (podMaxInUnschedulablePodsDuration).

A cycle runs on the virtual clock right after the event that queued a pod (delay 0: scheduling
happens at the pod's creation time). Success: bind (spec.nodeName + PodScheduled=True), Normal
`Scheduled` "Successfully assigned <ns>/<name> to <node>". Failure: Warning `FailedScheduling`
with the FitError message and PodScheduled=False/Unschedulable with the same message; with
preemption, the victims are deleted (Normal `Preempted` on each) and the pod is nominated.

Every attempt's explanation record is kept in `records` (list) and `records_by_pod[key]` (list).
"""

from __future__ import annotations

import heapq
import random
from collections import deque
from typing import Any

import numpy as np

from kubetrainer.sim.events import object_ref
from kubetrainer.sim.scheduler.framework import Framework, Record, Result, first_failures
from kubetrainer.sim.scheduler.nodetable import NodeTable
from kubetrainer.sim.scheduler.plugins.queuesort import PrioritySort
from kubetrainer.sim.scheduler.podinfo import PodInfo, counts_on_node, resolve_priority

SCHEDULER_NAME = "default-scheduler"
INITIAL_BACKOFF = 1.0
MAX_BACKOFF = 10.0
MAX_IN_UNSCHEDULABLE = 300.0


def set_pod_condition(pod: dict, ctype: str, status: str, now: float, reason: str | None = None,
                      message: str | None = None) -> None:
    st = pod.setdefault("status", {})
    conds = st.setdefault("conditions", [])
    for i, c in enumerate(conds):
        if c.get("type") == ctype:
            c = conds[i] = dict(c)   # never in place: pods share equal condition dicts
            if c.get("status") != status:
                c["lastTransitionTime"] = now
            c["status"] = status
            if reason is not None:
                c["reason"] = reason
            else:
                c.pop("reason", None)
            if message is not None:
                c["message"] = message
            else:
                c.pop("message", None)
            return
    c = {"type": ctype, "status": status, "lastProbeTime": None, "lastTransitionTime": now}
    if reason is not None:
        c["reason"] = reason
    if message is not None:
        c["message"] = message
    conds.append(c)


def _node_fingerprint(node: dict) -> str:
    """The node properties the scheduler reacts to (eventhandlers.go nodeSchedulingPropertiesChange:
    unschedulable, allocatable, labels, taints, conditions' statuses, annotations)."""
    meta = node.get("metadata") or {}
    spec = node.get("spec") or {}
    status = node.get("status") or {}
    conds = sorted((c.get("type"), c.get("status")) for c in status.get("conditions") or [])
    return repr((spec.get("unschedulable"), status.get("allocatable") or status.get("capacity"), meta.get("labels"),
                 spec.get("taints"), conds, meta.get("annotations"), status.get("images")))


def _fingerprint(pod: dict) -> str:
    meta = pod.get("metadata") or {}
    return repr((pod.get("spec"), meta.get("labels"), meta.get("annotations")))


EXPLAINED_KEEP = 2000   # successful attempts whose per-node explanation is kept in full
# attempts whose record is kept at all (the Scheduler panel's history): ~700 bytes each even
# compacted, and a 150,000-pod run makes 150,000 (issue #5's 2 GiB budget)
RECORDS_KEEP = 20_000


_PLUGIN_LISTS: dict[tuple, list] = {}
_EMPTY_LIST: list = []
_EMPTY_DICT: dict = {}
_EMPTY_ROWS = np.zeros(0, np.int64)
_EMPTY_ROWS.flags.writeable = False
_EMPTY_BOOL = np.zeros(0, bool)
_EMPTY_BOOL.flags.writeable = False


def _compact_record(rec: Record, table: NodeTable) -> None:
    """Drop the per-node columns of a successful attempt's record (filter outcomes, node facts,
    raw/normalized scores, feasible rows): keep the node chosen, its total and the message."""
    # shared empty containers (never written to: a compacted record is read-only); fresh arrays
    # would cost ~100 B each per pod, and an empty VIEW would keep its base array alive
    rec.outcomes = _EMPTY_LIST
    rec.snapshot = _EMPTY_DICT
    rec.raw = _EMPTY_DICT
    rec.normalized = _EMPTY_DICT
    rec.rows = _EMPTY_ROWS
    rec.node_names = _EMPTY_LIST
    rec.first_fail = _EMPTY_ROWS
    rec.unresolvable = _EMPTY_BOOL
    rec.excluded = None
    if not rec.victims:
        rec.victims = _EMPTY_LIST
    # the plugin lists are the same for every attempt: share one copy
    rec.filter_plugins = _PLUGIN_LISTS.setdefault(tuple(rec.filter_plugins), rec.filter_plugins)
    rec.score_plugins = _PLUGIN_LISTS.setdefault(tuple(rec.score_plugins), rec.score_plugins)
    i = table.index.get(rec.node) if rec.node is not None else None
    hit = np.flatnonzero(rec.feasible == i) if i is not None else np.zeros(0, np.int64)
    if hit.size:
        j = int(hit[0])
        rec.feasible = rec.feasible[j:j + 1].copy()
        rec.total = rec.total[j:j + 1].copy()
    else:
        rec.feasible = rec.total = _EMPTY_ROWS


class SchedulerComponent:
    name = "scheduler"

    def __init__(self, explain_limit: int = 500, keep_records: bool = True, cycle_delay: float = 0.0,
                 percentage_of_nodes_to_score: int = 0) -> None:
        self.explain_limit = explain_limit
        self.keep_records = keep_records
        self.cycle_delay = cycle_delay
        self.percentage = percentage_of_nodes_to_score
        self.records: deque[Record] = deque(maxlen=RECORDS_KEEP)   # the newest attempts, oldest first
        self.records_by_pod: dict[str, list[Record]] = {}
        self._explained: deque[Record] = deque()   # explained successful records, oldest first
        self.cluster: Any = None
        self.fw: Framework | None = None
        self._active: list[tuple] = []
        self._in_active: set[str] = set()
        self._unsched: dict[str, float] = {}      # key -> time it became unschedulable
        self._backoff_until: dict[str, float] = {}
        self._attempts: dict[str, int] = {}
        self._fingerprints: dict[str, str] = {}
        self._seq = 0
        self._cycle_timer = None
        self._node_fp: dict[str, str] = {}
        self._last_failure: dict[str, dict] = {}   # key -> {"plugins": rejecting plugin indexes, "outcomes"}
        self._stale_rows = False
        self.scheduled = 0

    # -- wiring ---------------------------------------------------------------------------------
    def attach(self, cluster: Any) -> None:
        self.cluster = cluster
        seed = getattr(cluster, "seed", 0)
        self.fw = Framework(NodeTable(), rng=random.Random(f"kube-scheduler/{seed}"),
                            percentage_of_nodes_to_score=self.percentage,
                            default_selector=self._default_selector, namespace_labels=self._namespace_labels)
        self.fw._pdbs = self._pdbs
        store = cluster.store
        self.fw.get_object = store.get
        self.fw.list_objects = store.list
        for node in store.list("Node"):
            self.fw.table.add_node(node)
            self._node_fp[node["metadata"]["name"]] = _node_fingerprint(node)
        for pod in store.list("Pod"):
            self._on_pod("ADDED", pod)
        store.watch("Node", self._on_node)
        store.watch("Pod", self._on_pod)
        store.watch("PriorityClass", lambda ev, obj: self._move_all("PriorityClass"))
        # VolumeBinding EventsToRegister: PVC / PV / StorageClass add or update
        for kind in ("PersistentVolumeClaim", "PersistentVolume", "StorageClass"):
            store.watch(kind, lambda ev, obj, kind=kind: self._move_all(kind))

    @property
    def table(self) -> NodeTable:
        return self.fw.table

    def _forget_record(self, rec: Record) -> None:
        """`rec` leaves the history: it is the oldest record kept, so the first of its pod's."""
        recs = self.records_by_pod.get(rec.pod_key)
        if recs and recs[0] is rec:
            del recs[0]
            if not recs:
                del self.records_by_pod[rec.pod_key]

    def records_for(self, namespace: str, name: str) -> list[Record]:
        return self.records_by_pod.get(f"{namespace}/{name}", [])

    def last_record(self, namespace: str, name: str) -> Record | None:
        recs = self.records_for(namespace, name)
        return recs[-1] if recs else None

    def why_pending(self, namespace: str, name: str, position=None) -> list[str]:
        """Plain-language reasons from the pod's last attempt (see explain.why_pending)."""
        from kubetrainer.sim.scheduler.explain import why_pending

        rec = self.last_record(namespace, name)
        pod = self.cluster.store.get("Pod", namespace, name)
        if rec is None or pod is None or rec.node is not None:
            return []
        return why_pending(rec, pod, position)

    # -- informer handlers ------------------------------------------------------------------------
    def _on_node(self, event: str, node: dict) -> None:
        t = self.fw.table
        name = node["metadata"]["name"]
        if event == "DELETED":
            t.remove_node(name)
            self._node_fp.pop(name, None)
            self._stale_rows = True
            return
        fp = _node_fingerprint(node)
        if name in t.index:
            if self._node_fp.get(name) == fp:
                return  # no scheduling-relevant change (e.g. a status heartbeat): no event for the queue
            self._node_fp[name] = fp
            t.update_node(node)
            self._node_event(t.index[name], added=False)
        else:
            self._node_fp[name] = fp
            t.add_node(node)
            self._node_event(t.index[name], added=True)

    def _node_event(self, row: int, added: bool) -> None:
        """QueueingHints for Node/Add and Node/Update (the plugins' isSchedulableAfterNodeChange):
        an unschedulable pod is requeued when one of the plugins that rejected it now passes on the
        changed node (for an added node: passes there at all)."""
        if not self._unsched:
            return
        fw = self.fw
        for key in list(self._unsched):
            rec = self._last_failure.get(key)
            ns, name = key.split("/", 1)
            pod = self.cluster.store.get("Pod", ns, name)
            if rec is None or pod is None or self._stale_rows:
                self._requeue(key)
                continue
            outcomes, _ = fw.run_filters(fw.new_state(PodInfo(pod, self._priority(pod))))
            for k in rec["plugins"]:
                now_fail = outcomes[k] is not None and bool(outcomes[k].fail[row])
                if now_fail:
                    continue
                old = rec["outcomes"][k]
                was_fail = added or (old is not None and row < old.fail.size and bool(old.fail[row]))
                if was_fail:
                    self._requeue(key)
                    break
        self._stale_rows = False

    def _on_pod(self, event: str, pod: dict) -> None:
        meta = pod["metadata"]
        key = f"{meta.get('namespace') or 'default'}/{meta['name']}"
        t = self.fw.table
        spec = pod.get("spec") or {}
        if event == "DELETED":
            was_bound = t.remove_pod(key) is not None
            self._forget(key)
            self.fw.nominated.pop(key, None)
            if was_bound:
                self._move_all("AssignedPodDelete")
            return
        if spec.get("nodeName"):
            self._forget(key)
            if counts_on_node(pod):
                cur = t.pod_info(key)
                if cur is None and self._unsched:
                    self._assigned_pod_added()
                if cur is None or cur.node_name != spec["nodeName"] or cur.terminating != (meta.get("deletionTimestamp") is not None) \
                        or cur.pod is not pod or cur.labels is not (meta.get("labels") or cur.labels):
                    t.add_pod(PodInfo(pod, self._priority(pod)), spec["nodeName"])
                    self.fw.nominated.pop(key, None)
            elif t.remove_pod(key) is not None:
                self._move_all("AssignedPodUpdate")
            return
        if (spec.get("schedulerName") or SCHEDULER_NAME) != SCHEDULER_NAME:
            return
        if meta.get("deletionTimestamp") is not None or (pod.get("status") or {}).get("phase") in ("Succeeded", "Failed"):
            self._forget(key)
            return
        if spec.get("schedulingGates"):
            # SchedulingGates (PreEnqueue): the pod waits outside the queue until its gates are removed
            self._forget(key)
            conds = {c.get("type"): c for c in (pod.get("status") or {}).get("conditions") or []}
            if (conds.get("PodScheduled") or {}).get("reason") != "SchedulingGated":
                set_pod_condition(pod, "PodScheduled", "False", self.cluster.clock.now, "SchedulingGated",
                                  "Scheduling is blocked due to non-empty scheduling gates")
                self.cluster.store.update(pod)
            return
        fp = _fingerprint(pod)
        if key in self._unsched or key in self._backoff_until:
            if self._fingerprints.get(key) == fp:
                return  # only the status changed (e.g. our own FailedScheduling write)
            self._fingerprints[key] = fp
            self._requeue(key)  # the pod itself was updated: try again
            return
        if key in self._in_active:
            return
        self._fingerprints[key] = fp
        self._push(key)

    # -- queue ------------------------------------------------------------------------------------
    def _push(self, key: str) -> None:
        ns, name = key.split("/", 1)
        pod = self.cluster.store.get("Pod", ns, name)
        if pod is None:
            return
        self._seq += 1
        heapq.heappush(self._active, PrioritySort.key(self._priority(pod), self.cluster.clock.now, self._seq) + (key,))
        self._in_active.add(key)
        self._kick()

    def _forget(self, key: str) -> None:
        self._last_failure.pop(key, None)
        self._unsched.pop(key, None)
        self._backoff_until.pop(key, None)
        self._attempts.pop(key, None)
        self._fingerprints.pop(key, None)
        self._in_active.discard(key)  # a stale heap entry is skipped when popped

    def _kick(self) -> None:
        if self._cycle_timer is None:
            self._cycle_timer = self.cluster.clock.after(self.cycle_delay, self._run, label="scheduler cycle")

    def _requeue(self, key: str) -> None:
        """Move an unschedulable pod to activeQ, or to backoffQ while its back-off lasts."""
        self._unsched.pop(key, None)
        until = self._backoff_until.get(key, 0.0)
        now = self.cluster.clock.now
        if until > now:
            self.cluster.clock.at(until, self._backoff_done, key, label="scheduler backoff")
        else:
            self._backoff_until.pop(key, None)
            if key not in self._in_active:
                self._push(key)

    def _backoff_done(self, key: str) -> None:
        if key in self._backoff_until and self._backoff_until[key] <= self.cluster.clock.now and key not in self._unsched:
            self._backoff_until.pop(key, None)
            if key not in self._in_active:
                self._push(key)

    def _assigned_pod_added(self) -> None:
        """AssignedPod/Add: only InterPodAffinity and PodTopologySpread can be helped by a new pod."""
        names = [p.name for p in self.fw.filter_plugins]
        helped = {names.index("InterPodAffinity"), names.index("PodTopologySpread")}
        for key in list(self._unsched):
            rec = self._last_failure.get(key)
            if rec is None or helped & set(rec["plugins"]):
                self._requeue(key)

    def _move_all(self, event: str) -> None:
        """MoveAllToActiveOrBackoffQueue on a cluster event."""
        for key in list(self._unsched):
            self._requeue(key)

    def _flush_unschedulable(self, key: str, since: float) -> None:
        if self._unsched.get(key) == since:
            self._requeue(key)

    # -- the cycle ----------------------------------------------------------------------------------
    def _run(self) -> None:
        self._cycle_timer = None
        while self._active:
            _, _, _, key = heapq.heappop(self._active)
            if key not in self._in_active:
                continue
            self._in_active.discard(key)
            self.schedule_one(key)

    def schedule_one(self, key: str) -> Result | None:
        ns, name = key.split("/", 1)
        store = self.cluster.store
        pod = store.get("Pod", ns, name)
        if pod is None or (pod.get("spec") or {}).get("nodeName") or pod["metadata"].get("deletionTimestamp") is not None:
            return None
        now = self.cluster.clock.now
        fw = self.fw
        pi = PodInfo(pod, self._priority(pod))
        if not (pod.get("spec") or {}).get("preemptionPolicy"):
            # the Priority admission plugin copies the PriorityClass's preemptionPolicy into the pod
            pc_name = (pod.get("spec") or {}).get("priorityClassName")
            pc = self.cluster.store.get("PriorityClass", "", pc_name) if pc_name else None
            if pc is not None and pc.get("preemptionPolicy"):
                pi.preemption_policy = pc["preemptionPolicy"]
        res = fw.schedule(pi, explain=fw.table.n <= self.explain_limit, now=now)
        if res.node is not None and not res.record.explained:
            _compact_record(res.record, fw.table)  # big clusters: keep the summary, not columns per node
        if self.keep_records:
            if len(self.records) == self.records.maxlen:
                self._forget_record(self.records[0])
            self.records.append(res.record)
            self.records_by_pod.setdefault(key, []).append(res.record)
            if res.node is not None and res.record.explained:
                # memory proportional to objects: the full per-node explanation is kept for the
                # latest EXPLAINED_KEEP successful attempts; older ones keep their summary
                self._explained.append(res.record)
                if len(self._explained) > EXPLAINED_KEEP:
                    old = self._explained.popleft()
                    old.explained = False
                    _compact_record(old, fw.table)
        if res.node is not None:
            self._bind(pod, pi, res.node)
            return res
        self._fail(pod, pi, res)
        return res

    def _bind(self, pod: dict, pi: PodInfo, node: str) -> None:
        cluster = self.cluster
        key = pi.key
        self.fw.assume(pi, node)
        self._forget(key)
        if (pod.get("status") or {}).get("nominatedNodeName"):
            pod["status"].pop("nominatedNodeName", None)
        api = getattr(cluster, "apiserver", None)
        self._pre_bind_volumes(pod, node)
        if api is not None and hasattr(api, "bind"):
            api.bind(pod, node)
        else:
            pod["spec"]["nodeName"] = node
            set_pod_condition(pod, "PodScheduled", "True", cluster.clock.now)
            cluster.record_flow("scheduler", "bind", object_ref(pod), node)
            cluster.store.update(pod)
        cluster.event(pod, "Normal", "Scheduled", f"Successfully assigned {pi.namespace}/{pi.name} to {node}",
                      SCHEDULER_NAME)
        self.scheduled += 1

    def _pre_bind_volumes(self, pod: dict, node: str) -> None:
        """VolumeBinding PreBind: each unbound WaitForFirstConsumer claim of the pod gets the chosen
        node (`volume.kubernetes.io/selected-node`) and the binding waits until the PV controller has
        provisioned and bound it (here at once: the controller's sync is called directly)."""
        from kubetrainer.sim.scheduler.plugins import volumebinding
        from kubetrainer.sim.storage import SELECTED_NODE

        store = self.cluster.store
        claims = volumebinding.delayed_claims(pod, store.get, store.list)
        if not claims:
            return
        try:
            pv_controller = self.cluster.component("persistentvolume-controller")
        except KeyError:
            pv_controller = None
        for pvc in claims:
            meta = pvc["metadata"]
            meta["annotations"] = {**(meta.get("annotations") or {}), SELECTED_NODE: node}
            store.update(pvc)
            if pv_controller is not None:
                pv_controller.sync_claim(pvc)

    def _fail(self, pod: dict, pi: PodInfo, res: Result) -> None:
        cluster = self.cluster
        now = cluster.clock.now
        key = pi.key
        if res.nominated_node:
            self._preempt(pod, pi, res)
        cluster.event(pod, "Warning", "FailedScheduling", res.message, SCHEDULER_NAME)
        set_pod_condition(pod, "PodScheduled", "False", now, "Unschedulable", res.message)
        if res.nominated_node:
            pod.setdefault("status", {})["nominatedNodeName"] = res.nominated_node
        cluster.record_flow("scheduler", "unschedulable", object_ref(pod), res.message)
        cluster.store.update(pod)
        n = self._attempts.get(key, 0) + 1
        self._attempts[key] = n
        self._backoff_until[key] = now + min(INITIAL_BACKOFF * (2 ** (n - 1)), MAX_BACKOFF)
        self._unsched[key] = now
        rec = res.record
        ff = first_failures(rec.outcomes, self.fw.table.n)
        plugins = sorted({int(k) for k in ff.tolist() if k >= 0})
        if rec.filter_plugins != [p.name for p in self.fw.filter_plugins]:
            plugins = []  # rejected at PreFilter (VolumeBinding): PVC/PV/StorageClass events requeue it
        self._last_failure[key] = {"plugins": plugins, "outcomes": rec.outcomes}
        self._fingerprints[key] = _fingerprint(pod)
        cluster.clock.after(MAX_IN_UNSCHEDULABLE, self._flush_unschedulable, key, now, label="scheduler flush")
        if res.nominated_node:
            # the victims' deletion is the event that brings the pod back
            pass

    def _preempt(self, pod: dict, pi: PodInfo, res: Result) -> None:
        cluster = self.cluster
        node = res.nominated_node
        pi.nominated = node
        self.fw.nominate(pi, node)
        api = getattr(cluster, "apiserver", None)
        for v in res.victims:
            victim = cluster.store.get("Pod", v.namespace, v.name)
            if victim is None:
                continue
            # prepareCandidate: DisruptionTarget condition, the Preempted event, then the delete
            set_pod_condition(victim, "DisruptionTarget", "True", cluster.clock.now, "PreemptionByScheduler",
                              f"{SCHEDULER_NAME}: preempting to accommodate a higher priority pod")
            cluster.event(victim, "Normal", "Preempted",
                          f"Preempted by pod {pi.uid} on node {node}", SCHEDULER_NAME)
            cluster.record_flow("scheduler", "preempt", object_ref(victim), f"for {pi.key} on {node}")
            if api is not None and hasattr(api, "delete"):
                try:
                    api.delete("Pod", v.namespace, v.name, actor="scheduler")
                except KeyError:
                    pass
            else:
                cluster.store.remove(victim)

    # -- store lookups --------------------------------------------------------------------------------
    def _priority(self, pod: dict) -> int:
        classes: dict[str, int] = {}
        default = 0
        for pc in self.cluster.store.iter("PriorityClass"):
            v = int(pc.get("value") or 0)
            classes[pc["metadata"]["name"]] = v
            if pc.get("globalDefault"):
                default = v
        return resolve_priority(pod, classes, default)

    def _pdbs(self) -> list[dict]:
        """PDBs with the budget the disruption controller publishes, or would publish when it has
        not synced yet (pkg/controller/disruption trySync)."""
        from kubetrainer.sim.controllers.disruption import compute_budget

        out = []
        for pdb in self.cluster.store.iter("PodDisruptionBudget"):
            if "disruptionsAllowed" in (pdb.get("status") or {}):
                out.append(pdb)
                continue
            view = dict(pdb)
            view["_kt_computed_allowed"] = compute_budget(self.cluster.store, pdb)[3]
            out.append(view)
        return out

    def _namespace_labels(self, ns: str) -> dict:
        obj = self.cluster.store.get("Namespace", "", ns)
        labels = dict((obj or {}).get("metadata", {}).get("labels") or {})
        labels.setdefault("kubernetes.io/metadata.name", ns)
        return labels

    def _default_selector(self, pod: dict) -> dict | None:
        return default_selector(self.cluster.store, pod)


def default_selector(store: Any, pod: dict) -> dict | None:
    """helper.DefaultSelector (plugins/helper/spread.go): the Services selecting the pod, plus the
    selector of its controlling ReplicationController / ReplicaSet / StatefulSet."""
    from kubetrainer.api.selectors import label_selector_matches

    meta = pod.get("metadata") or {}
    ns = meta.get("namespace") or "default"
    labels = meta.get("labels") or {}
    match_labels: dict[str, str] = {}
    exprs: list[dict] = []
    for svc in store.list("Service", ns):
        sel = (svc.get("spec") or {}).get("selector")
        if sel and label_selector_matches({"matchLabels": sel}, labels):
            match_labels.update(sel)
    owner = next((o for o in meta.get("ownerReferences") or [] if o.get("controller")), None)
    if owner is not None:
        kind = owner.get("kind")
        obj = store.get(kind, ns, owner.get("name")) if kind in ("ReplicationController", "ReplicaSet", "StatefulSet") else None
        if obj is not None:
            sel = (obj.get("spec") or {}).get("selector")
            if kind == "ReplicationController":
                match_labels.update(sel or {})
            elif sel:
                for k, v in (sel.get("matchLabels") or {}).items():
                    exprs.append({"key": k, "operator": "In", "values": [v]})
                exprs.extend(sel.get("matchExpressions") or [])
    if not match_labels and not exprs:
        return None
    return {"matchLabels": match_labels, "matchExpressions": exprs}
