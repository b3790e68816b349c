"""NodeAffinity (plugins/nodeaffinity/node_affinity.go).

Filter: spec.nodeSelector (every key=value) AND requiredDuringScheduling node affinity (terms
ORed), `node(s) didn't match Pod's node affinity/selector` (ErrReasonPod),
UnschedulableAndUnresolvable. Score: the sum of the weights of the matching
preferredDuringScheduling terms, DefaultNormalizeScore(100, false). Weight 2.
"""

from __future__ import annotations

import numpy as np

from kubetrainer.api.selectors import node_selector_matches, node_selector_term_matches
from kubetrainer.sim.scheduler.helper import default_normalize_score
from kubetrainer.sim.scheduler.types import CycleState, FilterOutcome, Plugin

ERR_REASON_POD = "node(s) didn't match Pod's node affinity/selector"


def required_match(pod, labels: dict, name: str) -> bool:
    """nodeaffinity.GetRequiredNodeAffinity(pod).Match(node)."""
    for k, v in pod.node_selector.items():
        if labels.get(k) != v:
            return False
    if pod.required_affinity is not None:
        return node_selector_matches(pod.required_affinity, labels, {"metadata.name": name})
    return True


def required_mask(state: CycleState) -> np.ndarray | None:
    """Column of nodes matching the pod's required node affinity/selector (None: no constraint).
    Cached per cycle; also used by PodTopologySpread (nodeAffinityPolicy: Honor)."""
    pod = state.pod
    if not pod.node_selector and pod.required_affinity is None:
        return None
    if "nodeaffinity.mask" in state.data:
        return state.data["nodeaffinity.mask"]
    t = state.table
    cache = state.fw.mask_cache if state.fw is not None else {}
    key = ("nodeaffinity", t.generation, repr(sorted(pod.node_selector.items())), repr(pod.required_affinity))
    mask = cache.get(key)
    if mask is None or mask.size != t.n:
        mask = np.fromiter((required_match(pod, t.labels[i], t.names[i]) for i in range(t.n)), dtype=bool, count=t.n)
        if len(cache) > 256:
            cache.clear()
        cache[key] = mask
    state.data["nodeaffinity.mask"] = mask
    return mask


class NodeAffinity(Plugin):
    name = "NodeAffinity"
    weight = 2
    legacy = ("PodSelectorMatches", "MatchNodeSelector", "NodeAffinityPriority")
    has_filter = True
    has_score = True

    def filter(self, state: CycleState) -> FilterOutcome | None:
        mask = required_mask(state)
        if mask is None or mask.all():
            return None
        return FilterOutcome(~mask, True, lambda i: [ERR_REASON_POD])

    def score(self, state: CycleState, idx: np.ndarray) -> np.ndarray | None:
        terms = state.pod.preferred_affinity
        if not terms:
            # v1.34 nodeaffinity.go PreScore: no preferred terms (and no addedAffinity) -> Skip
            return None
        raw = np.zeros(idx.size, dtype=np.int64)
        t = state.table
        for j, i in enumerate(idx.tolist()):
            s = 0
            for term in terms:
                w = int(term.get("weight") or 0)
                if w and node_selector_term_matches(term.get("preference") or {}, t.labels[i],
                                                    {"metadata.name": t.names[i]}):
                    s += w
            raw[j] = s
        return raw

    def normalize(self, state: CycleState, idx: np.ndarray, raw: np.ndarray) -> np.ndarray:
        return default_normalize_score(raw, reverse=False)
