"""InterPodAffinity (plugins/interpodaffinity/{filtering,scoring}.go).

Filter, in the plugin's order: the pod's required affinity (`node(s) didn't match pod affinity
rules`, UnschedulableAndUnresolvable; the first pod of a self-affine group may go to any node
with the topology labels), its required anti-affinity (`node(s) didn't match pod anti-affinity
rules`), the existing pods' required anti-affinity (`node(s) didn't satisfy existing pods
anti-affinity rules`), both Unschedulable.
Score: preferred (anti-)affinity weights of the pod and, symmetrically, of existing pods
(required affinity of existing pods counts with hardPodAffinityWeight 1), summed per topology
domain; normalized to [0, 100] by min/max. Weight 2. namespaceSelector: `{}` selects every
namespace; a non-empty namespaceSelector is matched against Namespace objects' labels.
"""

from __future__ import annotations

import numpy as np

from kubetrainer.api.selectors import label_selector_matches
from kubetrainer.sim.scheduler.types import CycleState, FilterOutcome, Plugin

ERR_AFFINITY = "node(s) didn't match pod affinity rules"
ERR_ANTI_AFFINITY = "node(s) didn't match pod anti-affinity rules"
ERR_EXISTING_ANTI_AFFINITY = "node(s) didn't satisfy existing pods anti-affinity rules"
HARD_POD_AFFINITY_WEIGHT = 1


def term_matches(term: dict, owner, target, fw=None) -> bool:
    """AffinityTerm.Matches: namespaces (default: the owner's) or namespaceSelector, then labelSelector."""
    namespaces = term.get("namespaces") or []
    ns_sel = term.get("namespaceSelector")
    in_ns = False
    if namespaces:
        in_ns = target.namespace in namespaces
    if not in_ns and ns_sel is not None:
        if not ns_sel.get("matchLabels") and not ns_sel.get("matchExpressions"):
            in_ns = True
        elif fw is not None:
            in_ns = label_selector_matches(ns_sel, fw.namespace_labels(target.namespace))
    if not namespaces and ns_sel is None:
        in_ns = target.namespace == owner.namespace
    if not in_ns:
        return False
    return label_selector_matches(term.get("labelSelector"), target.labels)


class InterPodAffinity(Plugin):
    name = "InterPodAffinity"
    weight = 2
    legacy = ("MatchInterPodAffinity", "InterPodAffinityMatches", "InterPodAffinityPriority")
    has_filter = True
    has_score = True

    def filter(self, state: CycleState) -> FilterOutcome | None:
        t = state.table
        pod = state.pod
        fw = state.fw
        req_aff = pod.pod_affinity.get("requiredDuringSchedulingIgnoredDuringExecution") or []
        req_anti = pod.pod_anti_affinity.get("requiredDuringSchedulingIgnoredDuringExecution") or []
        if not req_aff and not req_anti and not t.with_affinity:
            return None
        labels = t.labels
        aff_counts: dict[tuple, int] = {}
        anti_counts: dict[tuple, int] = {}
        existing_anti: dict[tuple, int] = {}
        if req_aff or req_anti:
            for i in range(t.n):
                for ex in t.pods[i].values():
                    if req_aff and all(term_matches(term, pod, ex, fw) for term in req_aff):
                        for term in req_aff:
                            k = term.get("topologyKey")
                            if k in labels[i]:
                                aff_counts[(k, labels[i][k])] = aff_counts.get((k, labels[i][k]), 0) + 1
                    for term in req_anti:
                        k = term.get("topologyKey")
                        if k in labels[i] and term_matches(term, pod, ex, fw):
                            anti_counts[(k, labels[i][k])] = anti_counts.get((k, labels[i][k]), 0) + 1
        for key in t.with_affinity:
            ex = t.pod_info(key)
            if ex is None:
                continue
            i = t.pod_node[key]
            for term in ex.pod_anti_affinity.get("requiredDuringSchedulingIgnoredDuringExecution") or []:
                k = term.get("topologyKey")
                if k in labels[i] and term_matches(term, ex, pod, fw):
                    existing_anti[(k, labels[i][k])] = existing_anti.get((k, labels[i][k]), 0) + 1
        if not req_aff and not req_anti and not existing_anti:
            return None
        self_match = bool(req_aff) and all(term_matches(term, pod, pod, fw) for term in req_aff)
        fail = np.zeros(t.n, dtype=bool)
        unres = np.zeros(t.n, dtype=bool)
        reason: dict[int, str] = {}
        for i in range(t.n):
            lb = labels[i]
            if req_aff:
                ok, exist = True, True
                for term in req_aff:
                    k = term.get("topologyKey")
                    if k not in lb:
                        ok = False
                        break
                    if aff_counts.get((k, lb[k]), 0) <= 0:
                        exist = False
                if ok and not exist:
                    ok = not aff_counts and self_match
                if not ok:
                    fail[i], unres[i], reason[i] = True, True, ERR_AFFINITY
                    continue
            if any(anti_counts.get((term.get("topologyKey"), lb.get(term.get("topologyKey"))), 0) > 0
                   for term in req_anti if term.get("topologyKey") in lb):
                fail[i], reason[i] = True, ERR_ANTI_AFFINITY
                continue
            if existing_anti and any(existing_anti.get((k, v), 0) > 0 for k, v in lb.items()):
                fail[i], reason[i] = True, ERR_EXISTING_ANTI_AFFINITY
        if not fail.any():
            return None
        return FilterOutcome(fail, unres, lambda i: [reason[i]])

    def score(self, state: CycleState, idx: np.ndarray) -> np.ndarray | None:
        t = state.table
        pod = state.pod
        fw = state.fw
        pref_aff = pod.pod_affinity.get("preferredDuringSchedulingIgnoredDuringExecution") or []
        pref_anti = pod.pod_anti_affinity.get("preferredDuringSchedulingIgnoredDuringExecution") or []
        if not pref_aff and not pref_anti and not t.with_affinity:
            return None
        labels = t.labels
        topo: dict[tuple, int] = {}

        def add(i: int, key: str, w: int) -> None:
            if key in labels[i]:
                topo[(key, labels[i][key])] = topo.get((key, labels[i][key]), 0) + w

        if pref_aff or pref_anti:
            for i in range(t.n):
                for ex in t.pods[i].values():
                    for wt in pref_aff:
                        term = wt.get("podAffinityTerm") or {}
                        if term_matches(term, pod, ex, fw):
                            add(i, term.get("topologyKey"), int(wt.get("weight") or 0))
                    for wt in pref_anti:
                        term = wt.get("podAffinityTerm") or {}
                        if term_matches(term, pod, ex, fw):
                            add(i, term.get("topologyKey"), -int(wt.get("weight") or 0))
        for key in t.with_affinity:
            ex = t.pod_info(key)
            if ex is None:
                continue
            i = t.pod_node[key]
            for term in ex.pod_affinity.get("requiredDuringSchedulingIgnoredDuringExecution") or []:
                if term_matches(term, ex, pod, fw):
                    add(i, term.get("topologyKey"), HARD_POD_AFFINITY_WEIGHT)
            for wt in ex.pod_affinity.get("preferredDuringSchedulingIgnoredDuringExecution") or []:
                term = wt.get("podAffinityTerm") or {}
                if term_matches(term, ex, pod, fw):
                    add(i, term.get("topologyKey"), int(wt.get("weight") or 0))
            for wt in ex.pod_anti_affinity.get("preferredDuringSchedulingIgnoredDuringExecution") or []:
                term = wt.get("podAffinityTerm") or {}
                if term_matches(term, ex, pod, fw):
                    add(i, term.get("topologyKey"), -int(wt.get("weight") or 0))
        if not topo:
            # v1.34 scoring.go PreScore: no node got a topology score (index == -1) -> Skip
            return None
        raw = np.zeros(idx.size, dtype=np.int64)
        for j, i in enumerate(idx.tolist()):
            raw[j] = sum(topo.get((k, v), 0) for k, v in labels[i].items())
        return raw

    def normalize(self, state: CycleState, idx: np.ndarray, raw: np.ndarray) -> np.ndarray:
        if raw.size == 0:
            return raw
        mn, mx = int(raw.min()), int(raw.max())
        diff = mx - mn
        if diff <= 0:
            return np.zeros_like(raw)
        return (100.0 * ((raw - mn) / diff)).astype(np.int64)
