"""One scheduling cycle, as pkg/scheduler/schedule_one.go runs it, over the columns of a NodeTable.

    fw = Framework(NodeTable(node_dicts), rng=random.Random(seed))
    res = fw.schedule(PodInfo(pod_dict, priority))      # -> Result (node or None, message, record)
    fw.assume(res.pod, res.node)                         # Reserve/assume: account the pod on the node

Filters run in the default profile's order. Every filter is evaluated on every node as a column
(cheap with numpy); a node's status is that of its FIRST failing plugin (RunFilterPlugins stops
there), and the later plugins' verdicts are kept for the explanation as "afterFirstFailure".
`percentageOfNodesToScore` (adaptive default: 50 - nodes/125 %, at least 5 % and 100 nodes) and
the rotating start index (`nextStartNodeIndex`) decide which feasible nodes are scored.
The highest weighted total wins; ties are broken as selectHost does (reservoir sampling), with
the framework's seeded rng: same seed, same placement.
"""

from __future__ import annotations

import random
from collections import Counter
from typing import Any, Callable

import numpy as np

from kubetrainer.sim.scheduler.nodetable import NodeTable
from kubetrainer.sim.scheduler.plugins import default_plugins
from kubetrainer.sim.scheduler.podinfo import PodInfo
from kubetrainer.sim.scheduler.types import CycleState, FilterOutcome

MIN_FEASIBLE_NODES_TO_FIND = 100
MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND = 5
NO_NODES_AVAILABLE = "no nodes available to schedule pods"  # ErrNoNodesAvailable


def num_feasible_nodes_to_find(num_all: int, percentage: int = 0) -> int:
    """Scheduler.numFeasibleNodesToFind (schedule_one.go)."""
    if num_all < MIN_FEASIBLE_NODES_TO_FIND:
        return num_all
    if percentage == 0:
        percentage = 50 - num_all // 125
        if percentage < MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND:
            percentage = MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND
    n = num_all * percentage // 100
    return max(n, MIN_FEASIBLE_NODES_TO_FIND)


def fit_error_message(num_all: int, reasons: list[str], prefilter_msg: str = "", postfilter_msg: str = "") -> str:
    """FitError.Error() (pkg/scheduler/framework/types.go): one count per reason occurrence,
    "<count> <reason>" strings sorted bytewise (sort.Strings), then the PostFilter message."""
    msg = f"0/{num_all} nodes are available:"
    if prefilter_msg:
        msg += f" {prefilter_msg}."
    else:
        hist = Counter(reasons)
        parts = sorted(f"{v} {k}" for k, v in hist.items())
        if parts:
            msg += " " + ", ".join(parts) + "."
    if postfilter_msg:
        msg += " " + postfilter_msg
    return msg


def first_failures(outcomes: list, n: int) -> np.ndarray:
    """Per node row, the index of its first failing filter plugin (-1: passed every filter)."""
    first = np.full(n, -1, dtype=np.int64)
    for k in range(len(outcomes) - 1, -1, -1):
        oc = outcomes[k]
        if oc is not None:
            first[oc.fail[:n]] = k
    return first


def prefilter_node_names(pod: PodInfo) -> set[str] | None:
    """NodeAffinity.PreFilter's PreFilterResult: the union over the required terms of the
    intersection of their `metadata.name In` matchFields; None when any term has none (all nodes)."""
    req = pod.required_affinity
    if not req:
        return None
    terms = req.get("nodeSelectorTerms") or []
    if not terms:
        return None
    names: set[str] = set()
    for term in terms:
        term_names: set[str] | None = None
        for r in term.get("matchFields") or []:
            if r.get("key") == "metadata.name" and r.get("operator") == "In":
                vals = set(r.get("values") or [])
                term_names = vals if term_names is None else term_names & vals
        if term_names is None:
            return None
        names |= term_names
    return names


class _PrefilterOutcome(FilterOutcome):
    """NodeAffinity's verdict with the nodes left out by its PreFilterResult."""

    __slots__ = ()

    def __init__(self, excluded: np.ndarray, inner: FilterOutcome | None) -> None:
        fail = excluded.copy() if inner is None else (excluded | inner.fail)

        def reasons(i: int) -> list[str]:
            if excluded[i]:
                return ["node(s) didn't satisfy plugin(s) [NodeAffinity]"]
            return inner.reasons(i) if inner is not None else []

        super().__init__(fail, True, reasons)


class Record:
    """The explanation of one scheduling attempt. Arrays are snapshots taken during the cycle;
    the JSON/text forms are built on demand (`to_json`, `filters`, `scores`, `totals`)."""

    def __init__(self) -> None:
        self.pod_key = ""
        self.namespace = ""
        self.name = ""
        self.time = 0.0
        self.node: str | None = None
        self.message = ""
        self.node_names: list[str] = []           # evaluated rows' names (same order as below)
        self.rows: np.ndarray = np.zeros(0, np.int64)
        self.filter_plugins: list[str] = []
        self.outcomes: list[FilterOutcome | None] = []
        self.first_fail: np.ndarray = np.zeros(0, np.int64)   # per evaluated row: plugin index or -1
        self.unresolvable: np.ndarray = np.zeros(0, bool)
        self.score_plugins: list[tuple[str, int]] = []
        self.feasible: np.ndarray = np.zeros(0, np.int64)     # rows that were scored
        self.raw: dict[str, np.ndarray | None] = {}
        self.normalized: dict[str, np.ndarray | None] = {}
        self.total: np.ndarray = np.zeros(0, np.int64)
        self.victims: list[str] = []
        self.nominated_node: str | None = None
        self.preemption_message = ""
        self.snapshot: dict[str, np.ndarray] = {}              # per evaluated row: node facts
        self.explained = True
        self.num_nodes = 0
        self.excluded: np.ndarray | None = None   # rows left out by a PreFilterResult

    # -- views ----------------------------------------------------------------------------
    def filters(self) -> list[dict]:
        out = []
        for j, i in enumerate(self.rows.tolist()):
            name = self.node_names[j]
            first = int(self.first_fail[j])
            for k, plugin in enumerate(self.filter_plugins):
                oc = self.outcomes[k]
                failed = oc is not None and bool(oc.fail[i])
                entry: dict[str, Any] = {"node": name, "plugin": plugin, "passed": not failed}
                if failed:
                    entry["reason"] = ", ".join(oc.reasons(i))
                if first >= 0 and k > first:
                    entry["afterFirstFailure"] = True
                elif self.excluded is not None and self.excluded[i] and k != first:
                    entry["afterFirstFailure"] = True  # filtered out at PreFilter: nothing else ran
                out.append(entry)
        return out

    def node_reasons(self, j: int) -> list[str]:
        """Status reasons of evaluated row j (its first failing plugin), [] if it passed."""
        first = int(self.first_fail[j])
        if first < 0:
            return []
        return self.outcomes[first].reasons(int(self.rows[j]))

    def scores(self) -> list[dict]:
        out = []
        names = {int(i): n for i, n in zip(self.rows.tolist(), self.node_names)}
        for jj, i in enumerate(self.feasible.tolist()):
            for plugin, weight in self.score_plugins:
                raw = self.raw.get(plugin)
                norm = self.normalized.get(plugin)
                e = {"node": names.get(i, str(i)), "plugin": plugin,
                     "raw": None if raw is None else int(raw[jj]),
                     "normalized": None if norm is None else int(norm[jj]), "weight": weight,
                     "weighted": 0 if norm is None else int(norm[jj]) * weight}
                if raw is None:
                    e["skipped"] = True  # PreScore returned Skip: the plugin adds nothing for this pod
                out.append(e)
        return out

    def totals(self) -> list[dict]:
        names = {int(i): n for i, n in zip(self.rows.tolist(), self.node_names)}
        return [{"node": names.get(i, str(i)), "score": int(s)} for i, s in zip(self.feasible.tolist(), self.total.tolist())]

    def node_rows(self) -> list[dict]:
        """One row per evaluated node for a table (TUI, text output): node, passed, plugin and
        reasons of its first failing filter, weighted score per score plugin (None: not scored or
        skipped), total (None when filtered out), chosen."""
        totals = {t["node"]: t["score"] for t in self.totals()}
        sc = {(e["node"], e["plugin"]): e for e in self.scores()}
        rows = []
        for j, node in enumerate(self.node_names):
            first = int(self.first_fail[j])
            rows.append({
                "node": node, "passed": first < 0,
                "plugin": None if first < 0 else self.filter_plugins[first],
                "reasons": self.node_reasons(j),
                "scores": {p: (None if (node, p) not in sc or sc[(node, p)].get("skipped") else sc[(node, p)]["weighted"])
                           for p, _ in self.score_plugins},
                "total": totals.get(node), "chosen": node == self.node})
        return rows

    def to_json(self) -> dict:
        d: dict[str, Any] = {"namespace": self.namespace, "name": self.name, "node": self.node,
                             "message": self.message, "filters": self.filters(), "scores": self.scores(),
                             "totals": self.totals()}
        if self.victims or self.nominated_node:
            d["preemption"] = {"nominatedNode": self.nominated_node, "victims": list(self.victims)}
        return d


class Result:
    __slots__ = ("pod", "node", "message", "record", "victims", "nominated_node", "unresolvable_all")

    def __init__(self, pod: PodInfo, node: str | None, message: str, record: Record) -> None:
        self.pod = pod
        self.node = node
        self.message = message
        self.record = record
        self.victims: list[PodInfo] = []
        self.nominated_node: str | None = None
        self.unresolvable_all = False


class Framework:
    def __init__(self, table: NodeTable | None = None, rng: random.Random | None = None,
                 percentage_of_nodes_to_score: int = 0,
                 default_selector: Callable[[dict], dict | None] | None = None,
                 namespace_labels: Callable[[str], dict] | None = None) -> None:
        self.table = table if table is not None else NodeTable()
        self.rng = rng if rng is not None else random.Random(0)
        self.percentage = percentage_of_nodes_to_score
        self.plugins = default_plugins()
        self.filter_plugins = [p for p in self.plugins if p.has_filter]
        self.score_plugins = [p for p in self.plugins if p.has_score]
        from kubetrainer.sim.scheduler.plugins.defaultpreemption import DefaultPreemption

        self.post_filter = DefaultPreemption()
        self.next_start = 0
        self.mask_cache: dict = {}
        self.nominated: dict[str, tuple[str, PodInfo]] = {}   # pod key -> (node name, pod)
        self._default_selector = default_selector
        self._namespace_labels = namespace_labels
        self._pdbs: Callable[[], list[dict]] | None = None
        # the store's objects for VolumeBinding PreFilter (PVCs, PVs, StorageClasses); None: no store
        self.get_object: Callable[[str, str, str], dict | None] | None = None
        self.list_objects: Callable[[str], list[dict]] | None = None

    # hooks (the component wires them to the store)
    def default_selector(self, pod: dict) -> dict | None:
        return self._default_selector(pod) if self._default_selector else None

    def pdbs(self) -> list[dict]:
        """PodDisruptionBudgets (with their disruptionsAllowed) for preemption."""
        return self._pdbs() if self._pdbs else []

    def namespace_labels(self, ns: str) -> dict:
        return self._namespace_labels(ns) if self._namespace_labels else {"kubernetes.io/metadata.name": ns}

    # -- the cycle -------------------------------------------------------------------------
    def new_state(self, pod: PodInfo) -> CycleState:
        st = CycleState(pod, self.table, self)
        if self.nominated:
            for key, (node, pi) in self.nominated.items():
                if key != pod.key and pi.priority >= pod.priority and node in self.table.index:
                    st.nominated.append((self.table.index[node], pi))
        return st

    def run_filters(self, state: CycleState) -> tuple[list[FilterOutcome | None], np.ndarray]:
        """All filter plugins on all rows; returns the outcomes and the first failing plugin per row."""
        n = self.table.n
        outcomes = [p.filter(state) for p in self.filter_plugins]
        return outcomes, first_failures(outcomes, n)

    def schedule(self, pod: PodInfo, explain: bool = True, now: float = 0.0, preempt: bool = True) -> Result:
        t = self.table
        rec = Record()
        rec.pod_key, rec.namespace, rec.name, rec.time = pod.key, pod.namespace, pod.name, now
        rec.filter_plugins = [p.name for p in self.filter_plugins]
        rec.score_plugins = [(p.name, p.weight) for p in self.score_plugins]
        rec.explained = explain
        rec.num_nodes = t.n
        if t.n == 0:
            rec.message = NO_NODES_AVAILABLE
            return Result(pod, None, NO_NODES_AVAILABLE, rec)
        state = self.new_state(pod)
        if self.get_object is not None:
            from kubetrainer.sim.scheduler.plugins import volumebinding

            msg = volumebinding.pre_filter(pod.pod, self.get_object, self.list_objects or (lambda kind: []))
            if msg is not None:
                return self._prefilter_failure(pod, state, rec, "VolumeBinding", msg, explain, preempt)
        outcomes, first = self.run_filters(state)
        rec.outcomes = outcomes
        feasible_mask = first < 0

        # a nominated node that still fits is chosen without looking further (evaluateNominatedNode)
        if pod.nominated and pod.nominated in t.index and feasible_mask[t.index[pod.nominated]]:
            i = t.index[pod.nominated]
            self._fill_rows(rec, np.arange(t.n) if explain else np.array([i]), first, outcomes, explain)
            rec.feasible = np.array([i], dtype=np.int64)
            rec.total = np.zeros(1, dtype=np.int64)
            rec.node = pod.nominated
            return Result(pod, pod.nominated, "", rec)

        n = t.n
        # NodeAffinity PreFilter: required terms naming nodes (matchFields metadata.name In) limit
        # the nodes that are filtered at all; the others get "node(s) didn't satisfy plugin(s)
        # [NodeAffinity]" (findNodesThatFitPod: SetAbsentNodesStatus).
        cand = np.arange(n)
        pre = prefilter_node_names(pod)
        if pre is not None:
            allowed = np.zeros(n, dtype=bool)
            for nm in pre:
                if nm in t.index:
                    allowed[t.index[nm]] = True
            cand = np.flatnonzero(allowed)
            excluded = ~allowed
            k_na = rec.filter_plugins.index("NodeAffinity")
            outcomes[k_na] = _PrefilterOutcome(excluded, outcomes[k_na])
            first[excluded] = k_na
            feasible_mask = first < 0
            rec.excluded = excluded
        m = cand.size
        to_find = num_feasible_nodes_to_find(m, self.percentage)
        start = self.next_start % m if m else 0
        order = np.concatenate([cand[start:], cand[:start]]) if start else cand
        fe_rot = np.flatnonzero(feasible_mask[order])
        if fe_rot.size >= to_find and to_find > 0:
            processed = int(fe_rot[to_find - 1]) + 1
            fe_rot = fe_rot[:to_find]
        else:
            processed = m
        self.next_start = (self.next_start + processed) % n
        feasible = order[fe_rot]
        evaluated = order[:processed]
        if pre is not None and feasible.size == 0:
            evaluated = np.concatenate([evaluated, np.flatnonzero(rec.excluded)])
        self._fill_rows(rec, evaluated if explain else feasible[:0], first, outcomes, explain)

        if feasible.size == 0:
            reasons: list[str] = []
            unres_all = True
            for i in range(n):
                oc = outcomes[int(first[i])]
                reasons.extend(oc.reasons(i))
                if not oc.is_unresolvable(i):
                    unres_all = False
            post = ""
            res = Result(pod, None, "", rec)
            res.unresolvable_all = unres_all
            if preempt:
                pres = self.post_filter.post_filter(self, state, outcomes, first)
                post = pres.message
                res.victims = pres.victims
                res.nominated_node = pres.node
                rec.victims = [v.key for v in pres.victims]
                rec.nominated_node = pres.node
                rec.preemption_message = pres.message
            res.message = rec.message = fit_error_message(n, reasons, postfilter_msg=post)
            return res

        # Score (skipped by kube-scheduler when only one node is feasible; kept for the explanation)
        if feasible.size == 1 and not explain:
            rec.feasible = feasible
            rec.total = np.zeros(1, dtype=np.int64)
            rec.node = t.names[int(feasible[0])]
            return Result(pod, rec.node, "", rec)
        total = np.zeros(feasible.size, dtype=np.int64)
        for p in self.score_plugins:
            raw = p.score(state, feasible)
            if raw is None:
                rec.raw[p.name] = rec.normalized[p.name] = None
                continue
            norm = p.normalize(state, feasible, raw)
            total += norm * p.weight
            if explain:
                rec.raw[p.name], rec.normalized[p.name] = raw, norm
        rec.feasible = feasible
        rec.total = total
        best = total.max()
        ties = np.flatnonzero(total == best)
        pick = int(ties[0]) if ties.size == 1 else int(ties[self.rng.randrange(ties.size)])
        rec.node = t.names[int(feasible[pick])]
        return Result(pod, rec.node, "", rec)

    def _prefilter_failure(self, pod: PodInfo, state: CycleState, rec: Record, plugin: str, msg: str,
                           explain: bool, preempt: bool) -> Result:
        """A PreFilter plugin rejected the pod (UnschedulableAndUnresolvable): no Filter runs, every
        node carries that status (SetAbsentNodesStatus) and FitError prints it as the PreFilterMsg."""
        n = self.table.n
        outcome = FilterOutcome(np.ones(n, dtype=bool), True, lambda i: [msg])
        outcomes: list[FilterOutcome | None] = [outcome]
        first = np.zeros(n, dtype=np.int64)
        rec.filter_plugins = [plugin]
        rec.outcomes = outcomes
        self._fill_rows(rec, np.arange(n) if explain else np.zeros(0, dtype=np.int64), first, outcomes, explain)
        res = Result(pod, None, "", rec)
        res.unresolvable_all = True
        post = ""
        if preempt:
            pres = self.post_filter.post_filter(self, state, outcomes, first)
            post = pres.message
            rec.preemption_message = pres.message
        res.message = rec.message = fit_error_message(n, [], prefilter_msg=msg, postfilter_msg=post)
        return res

    def _fill_rows(self, rec: Record, rows: np.ndarray, first: np.ndarray, outcomes, explain: bool) -> None:
        t = self.table
        rec.rows = np.asarray(rows, dtype=np.int64)
        rec.node_names = [t.names[i] for i in rec.rows.tolist()]
        rec.first_fail = first[rec.rows]
        if explain:
            rec.snapshot = {c: t.col(c)[rec.rows].copy() for c in
                            ("alloc_cpu", "alloc_mem", "alloc_pods", "req_cpu", "req_mem", "npods")}

    # -- Reserve / assume and forget --------------------------------------------------------
    def assume(self, pod: PodInfo, node: str) -> None:
        pod.node_name = node
        self.table.add_pod(pod, node)
        self.nominated.pop(pod.key, None)

    def nominate(self, pod: PodInfo, node: str | None) -> None:
        if node:
            self.nominated[pod.key] = (node, pod)
        else:
            self.nominated.pop(pod.key, None)
