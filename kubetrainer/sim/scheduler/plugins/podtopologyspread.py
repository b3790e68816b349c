"""PodTopologySpread (plugins/podtopologyspread/{filtering,scoring,common}.go).

Filter: the pod's DoNotSchedule constraints. A node without a constraint's topology label fails
with `node(s) didn't match pod topology spread constraints (missing required label)`
(UnschedulableAndUnresolvable); otherwise skew = matching pods in the node's domain + (1 if the
pod matches its own selector) - the global minimum over the domains; skew > maxSkew fails with
`node(s) didn't match pod topology spread constraints` (Unschedulable). Domains are counted over
the nodes that match the pod's node affinity/selector (nodeAffinityPolicy Honor) and carry every
topology key; taints are ignored (nodeTaintsPolicy Ignore).

Score: the ScheduleAnyway constraints, or, when the pod has no constraints at all, the system
defaults (maxSkew 3 on kubernetes.io/hostname, maxSkew 5 on topology.kubernetes.io/zone) with
the selector of the Services/RCs/ReplicaSets/StatefulSets selecting the pod
(helper.DefaultSelector); a pod with no such owner is skipped. raw = Σ cnt*log(size+2) +
(maxSkew-1), rounded; normalized as MaxNodeScore*(max+min-s)/max. Weight 2.
"""

from __future__ import annotations

import math

import numpy as np

from kubetrainer.api.selectors import label_selector_matches
from kubetrainer.sim.scheduler.plugins.nodeaffinity import required_mask
from kubetrainer.sim.scheduler.types import CycleState, FilterOutcome, Plugin

ERR_REASON_CONSTRAINTS_NOT_MATCH = "node(s) didn't match pod topology spread constraints"
ERR_REASON_NODE_LABEL_NOT_MATCH = ERR_REASON_CONSTRAINTS_NOT_MATCH + " (missing required label)"
HOSTNAME = "kubernetes.io/hostname"
ZONE = "topology.kubernetes.io/zone"
SYSTEM_DEFAULT_CONSTRAINTS = [
    {"maxSkew": 3, "topologyKey": HOSTNAME, "whenUnsatisfiable": "ScheduleAnyway"},
    {"maxSkew": 5, "topologyKey": ZONE, "whenUnsatisfiable": "ScheduleAnyway"},
]


def _selector(c: dict, pod) -> dict | None:
    sel = c.get("labelSelector")
    keys = c.get("matchLabelKeys") or []
    if keys and sel is not None:
        sel = {"matchLabels": dict(sel.get("matchLabels") or {}), "matchExpressions": list(sel.get("matchExpressions") or [])}
        for k in keys:
            if k in pod.labels:
                sel["matchExpressions"].append({"key": k, "operator": "In", "values": [pod.labels[k]]})
    return sel


def count_matching(pods, selector: dict | None, namespace: str) -> int:
    """countPodsMatchSelector: same namespace, not terminating, selector matches."""
    if selector is None:
        return 0
    n = 0
    for pi in pods:
        if pi.namespace == namespace and not pi.terminating and label_selector_matches(selector, pi.labels):
            n += 1
    return n


class PodTopologySpread(Plugin):
    name = "PodTopologySpread"
    weight = 2
    legacy = ("EvenPodsSpread", "SelectorSpreadPriority", "ServiceSpreadingPriority")
    has_filter = True
    has_score = True

    def filter(self, state: CycleState) -> FilterOutcome | None:
        pod = state.pod
        cons = [c for c in pod.spread_constraints if (c.get("whenUnsatisfiable") or "DoNotSchedule") == "DoNotSchedule"]
        if not cons:
            return None
        t = state.table
        aff = required_mask(state)
        keys = [c.get("topologyKey") for c in cons]
        eligible = [i for i in range(t.n) if (aff is None or aff[i]) and all(k in t.labels[i] for k in keys)]
        fail = np.zeros(t.n, dtype=bool)
        unres = np.zeros(t.n, dtype=bool)
        reason: dict[int, str] = {}
        for c in cons:
            key = c.get("topologyKey")
            sel = _selector(c, pod)
            counts: dict[str, int] = {}
            for i in eligible:
                v = t.labels[i][key]
                counts[v] = counts.get(v, 0) + count_matching(t.pods[i].values(), sel, pod.namespace)
            min_match = min(counts.values()) if counts else 0
            min_domains = c.get("minDomains")
            if min_domains and len(counts) < int(min_domains):
                min_match = 0
            self_match = 1 if sel is not None and label_selector_matches(sel, pod.labels) else 0
            max_skew = int(c.get("maxSkew") or 1)
            for i in range(t.n):
                if fail[i]:
                    continue
                v = t.labels[i].get(key)
                if v is None:
                    fail[i] = True
                    unres[i] = True
                    reason[i] = ERR_REASON_NODE_LABEL_NOT_MATCH
                    continue
                if counts.get(v, 0) + self_match - min_match > max_skew:
                    fail[i] = True
                    reason[i] = ERR_REASON_CONSTRAINTS_NOT_MATCH
        if not fail.any():
            return None
        return FilterOutcome(fail, unres, lambda i: [reason[i]])

    def _score_constraints(self, state: CycleState) -> tuple[list[dict], bool]:
        pod = state.pod
        if pod.spread_constraints:
            cons = [c for c in pod.spread_constraints if c.get("whenUnsatisfiable") == "ScheduleAnyway"]
            return [dict(c, labelSelector=_selector(c, pod)) for c in cons], True
        sel = state.fw.default_selector(pod.pod) if state.fw is not None else None
        if not sel:
            return [], False
        return [dict(c, labelSelector=sel) for c in SYSTEM_DEFAULT_CONSTRAINTS], False

    def score(self, state: CycleState, idx: np.ndarray) -> np.ndarray | None:
        cons, require_all = self._score_constraints(state)
        if not cons:
            return None
        t = state.table
        pod = state.pod
        labels = t.labels
        ignored = np.zeros(idx.size, dtype=bool)
        if require_all:
            for j, i in enumerate(idx.tolist()):
                if not all(c["topologyKey"] in labels[i] for c in cons):
                    ignored[j] = True
        weights = []
        counts: list[dict[str, int]] = []
        aff = required_mask(state)
        for c in cons:
            key = c["topologyKey"]
            if key == HOSTNAME:
                size = int(idx.size - ignored.sum())
                counts.append({})
            else:
                domains = {labels[i][key] for j, i in enumerate(idx.tolist()) if not ignored[j] and key in labels[i]}
                size = len(domains)
                cnt = {d: 0 for d in domains}
                for i in range(t.n):
                    v = labels[i].get(key)
                    if v in cnt and (aff is None or aff[i]):
                        if require_all and not all(cc["topologyKey"] in labels[i] for cc in cons):
                            continue
                        cnt[v] += count_matching(t.pods[i].values(), c["labelSelector"], pod.namespace)
                counts.append(cnt)
            weights.append(math.log(size + 2))
        raw = np.zeros(idx.size, dtype=np.int64)
        for j, i in enumerate(idx.tolist()):
            if ignored[j]:
                continue
            s = 0.0
            for c, w, cnt in zip(cons, weights, counts):
                key = c["topologyKey"]
                v = labels[i].get(key)
                if v is None:
                    continue
                if key == HOSTNAME:
                    n = count_matching(t.pods[i].values(), c["labelSelector"], pod.namespace)
                else:
                    n = cnt.get(v, 0)
                s += n * w + (int(c.get("maxSkew") or 1) - 1)
            raw[j] = int(math.floor(s + 0.5))  # math.Round (half away from zero; s >= 0)
        state.data["pts.ignored"] = ignored
        return raw

    def normalize(self, state: CycleState, idx: np.ndarray, raw: np.ndarray) -> np.ndarray:
        ignored = state.data.get("pts.ignored")
        if ignored is None:
            ignored = np.zeros(raw.size, dtype=bool)
        live = raw[~ignored]
        if live.size == 0:
            return np.zeros_like(raw)
        mn, mx = int(live.min()), int(live.max())
        if mx == 0:
            out = np.full_like(raw, 100)
        else:
            out = 100 * (mx + mn - raw) // mx
        out[ignored] = 0
        return out
