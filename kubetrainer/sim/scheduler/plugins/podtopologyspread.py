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
        n = t.n
        aff = required_mask(state)
        # PreFilter (calPreFilterState): domains are counted over the nodes that match the pod's
        # node affinity and carry every constraint's topology key
        eligible = np.ones(n, dtype=bool) if aff is None else aff.copy()
        codes_of = []
        for c in cons:
            codes, nv = t.domain_codes(c.get("topologyKey"))
            codes_of.append((codes, nv))
            eligible &= codes >= 0
        fail = np.zeros(n, dtype=bool)
        unres = np.zeros(n, dtype=bool)
        why = np.zeros(n, dtype=np.int8)   # 1: missing label, 2: skew
        for c, (codes, nv) in zip(cons, codes_of):
            sel = _selector(c, pod)
            match = t.match_counts(sel, pod.namespace)
            ec = codes[eligible]
            present = np.bincount(ec, minlength=nv) > 0
            domcnt = np.bincount(ec, weights=match[eligible], minlength=nv).astype(np.int64)
            min_match = int(domcnt[present].min()) if present.any() else 0
            min_domains = c.get("minDomains")
            if min_domains and int(present.sum()) < int(min_domains):
                min_match = 0
            self_match = 1 if sel is not None and label_selector_matches(sel, pod.labels) else 0
            max_skew = int(c.get("maxSkew") or 1)
            missing = ~fail & (codes < 0)
            fail |= missing
            unres |= missing
            why[missing] = 1
            has = codes >= 0
            per_node = np.zeros(n, dtype=np.int64)
            if nv:
                per_node[has] = domcnt[codes[has]]
            skew = ~fail & has & (per_node + self_match - min_match > max_skew)
            fail |= skew
            why[skew] = 2
        if not fail.any():
            return None
        texts = {1: ERR_REASON_NODE_LABEL_NOT_MATCH, 2: ERR_REASON_CONSTRAINTS_NOT_MATCH}
        return FilterOutcome(fail, unres, lambda i: [texts[int(why[i])]])

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
        m = idx.size
        codes_of = [t.domain_codes(c["topologyKey"]) for c in cons]
        all_keys = None
        if require_all:
            all_keys = np.ones(t.n, dtype=bool)
            for codes, _ in codes_of:
                all_keys &= codes >= 0
            ignored = ~all_keys[idx]
        else:
            ignored = np.zeros(m, dtype=bool)
        aff = required_mask(state)
        # PreScore (initPreScoreState): per constraint, the topology size weight and the matching
        # pods per domain, counted over the nodes that pass node affinity (and carry every key)
        s = np.zeros(m, dtype=np.float64)
        for c, (codes, nv) in zip(cons, codes_of):
            key = c["topologyKey"]
            match = t.match_counts(c["labelSelector"], pod.namespace)
            ci = codes[idx]
            present = ci >= 0
            if key == HOSTNAME:
                size = int(m - ignored.sum())
                per = match[idx]
            else:
                live = ci[~ignored & present]
                size = int(np.count_nonzero(np.bincount(live, minlength=nv))) if live.size else 0
                mask = codes >= 0
                if aff is not None:
                    mask &= aff
                if all_keys is not None:
                    mask &= all_keys
                domcnt = np.bincount(codes[mask], weights=match[mask], minlength=nv).astype(np.int64)
                per = np.zeros(m, dtype=np.int64)
                if nv:
                    per[present] = domcnt[ci[present]]
            w = math.log(size + 2)
            # the same float operations, in the same order, as the per-node sum of scoring.go
            s = np.where(present, s + (per * w + (int(c.get("maxSkew") or 1) - 1)), s)
        raw = np.floor(s + 0.5).astype(np.int64)   # math.Round (half away from zero; s >= 0)
        raw[ignored] = 0
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
