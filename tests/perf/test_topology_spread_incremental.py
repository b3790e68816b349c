"""PodTopologySpread over incremental per-selector counts (NodeTable.match_counts) gives exactly
the verdicts and raw scores of the straightforward per-cycle recount it replaced (the reference
below is that recount, as plugins/podtopologyspread/{filtering,scoring}.go describe it), on
random clusters, including pods added, relabelled, terminating and removed between cycles."""

from __future__ import annotations

import math
import random

import numpy as np
import pytest

from kubetrainer.api.selectors import label_selector_matches
from kubetrainer.sim.scheduler.nodetable import NodeTable
from kubetrainer.sim.scheduler.plugins.nodeaffinity import required_mask
from kubetrainer.sim.scheduler.plugins.podtopologyspread import (
    ERR_REASON_CONSTRAINTS_NOT_MATCH, ERR_REASON_NODE_LABEL_NOT_MATCH, HOSTNAME, PodTopologySpread,
    _selector, count_matching)
from kubetrainer.sim.scheduler.podinfo import PodInfo
from kubetrainer.sim.scheduler.types import CycleState, FilterOutcome


class Reference(PodTopologySpread):
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



class FakeFw:
    def __init__(self, selector):
        self.selector = selector
        self.mask_cache = {}

    def default_selector(self, pod):
        return self.selector


APPS = ["a", "b", "c"]


def _node(i, rng):
    labels = {"kubernetes.io/hostname": f"n{i}"} if rng.random() < 0.95 else {}
    if rng.random() < 0.8:
        labels["topology.kubernetes.io/zone"] = rng.choice(["z1", "z2", "z3"])
    if rng.random() < 0.5:
        labels["disk"] = rng.choice(["ssd", "hdd"])
    return {"metadata": {"name": f"n{i}", "labels": labels}, "status": {"allocatable": {"cpu": "4", "pods": "110"}}}


def _pod(k, rng, terminating=False):
    meta = {"name": f"p{k}", "namespace": rng.choice(["default", "default", "other"]),
            "labels": {"app": rng.choice(APPS), "tier": rng.choice(["web", "db"])}}
    if terminating:
        meta["deletionTimestamp"] = 1.0
    return {"metadata": meta, "spec": {"containers": [{"name": "c", "image": "pause"}]}}


def _selector_for(rng):
    return rng.choice([
        {"matchLabels": {"app": rng.choice(APPS)}},
        {"matchLabels": {}, "matchExpressions": [{"key": "app", "operator": "In", "values": [rng.choice(APPS)]}]},
        {"matchExpressions": [{"key": "tier", "operator": "NotIn", "values": ["db"]}]},
        {"matchLabels": {"app": rng.choice(APPS), "tier": "web"}},
        {},
    ])


def _incoming(rng):
    pod = _pod(10_000 + rng.randrange(1000), rng)
    pod["metadata"]["namespace"] = "default"
    cons = []
    for _ in range(rng.randrange(0, 3)):
        cons.append({"maxSkew": rng.randint(1, 3),
                     "topologyKey": rng.choice([HOSTNAME, "topology.kubernetes.io/zone", "disk"]),
                     "whenUnsatisfiable": rng.choice(["DoNotSchedule", "ScheduleAnyway"]),
                     "labelSelector": _selector_for(rng),
                     **({"minDomains": rng.randint(1, 4)} if rng.random() < 0.2 else {})})
    pod["spec"]["topologySpreadConstraints"] = cons
    if rng.random() < 0.3:
        pod["spec"]["nodeSelector"] = {"disk": "ssd"}
    return PodInfo(pod)


def _compare(t, rng, plugin, ref):
    pi = _incoming(rng)
    fw = FakeFw(_selector_for(rng) if rng.random() < 0.8 else None)
    got = plugin.filter(CycleState(pi, t, fw))
    want = ref.filter(CycleState(pi, t, fw))
    assert (got is None) == (want is None)
    if got is not None:
        assert got.fail.tolist() == want.fail.tolist()
        assert [got.is_unresolvable(i) for i in range(t.n)] == [want.is_unresolvable(i) for i in range(t.n)]
        assert [got.reasons(i) for i in np.flatnonzero(got.fail)] == [want.reasons(i) for i in np.flatnonzero(want.fail)]
    idx = np.array(sorted(rng.sample(range(t.n), rng.randint(1, t.n))), dtype=np.int64)
    s1, s2 = CycleState(pi, t, fw), CycleState(pi, t, fw)
    r1, r2 = plugin.score(s1, idx), ref.score(s2, idx)
    assert (r1 is None) == (r2 is None)
    if r1 is not None:
        assert r1.tolist() == r2.tolist()
        assert plugin.normalize(s1, idx, r1).tolist() == ref.normalize(s2, idx, r2).tolist()


@pytest.mark.parametrize("seed", range(12))
def test_incremental_counts_match_recount(seed):
    rng = random.Random(seed)
    nodes = [_node(i, rng) for i in range(rng.randint(3, 25))]
    t = NodeTable(nodes)
    plugin, ref = PodTopologySpread(), Reference()
    live: dict[str, dict] = {}
    for k in range(rng.randint(10, 120)):
        pod = _pod(k, rng, terminating=rng.random() < 0.1)
        live[k] = pod
        t.add_pod(PodInfo(pod), rng.choice(nodes)["metadata"]["name"])
    for _ in range(30):
        _compare(t, rng, plugin, ref)
        op = rng.random()
        keys = list(live)
        if op < 0.3 and keys:      # remove
            k = rng.choice(keys)
            pod = live.pop(k)
            t.remove_pod(f"{pod['metadata']['namespace']}/{pod['metadata']['name']}")
        elif op < 0.5 and keys:    # relabel / start terminating (same key, new PodInfo)
            k = rng.choice(keys)
            pod = live[k]
            pod = {**pod, "metadata": {**pod["metadata"], "labels": {"app": rng.choice(APPS), "tier": "web"}}}
            if rng.random() < 0.3:
                pod["metadata"]["deletionTimestamp"] = 2.0
            live[k] = pod
            key = f"{pod['metadata']['namespace']}/{pod['metadata']['name']}"
            i = t.pod_node.get(key)
            t.add_pod(PodInfo(pod), t.names[i] if i is not None else nodes[0]["metadata"]["name"])
        elif op < 0.6:             # relabel a node
            i = rng.randrange(t.n)
            node = dict(t.nodes[i])
            node["metadata"] = {**node["metadata"], "labels": {**node["metadata"]["labels"],
                                                                "topology.kubernetes.io/zone": rng.choice(["z1", "z4"])}}
            t.update_node(node)
        elif op < 0.65:            # a new node
            node = _node(len(nodes) + 100, rng)
            node["metadata"]["name"] = f"x{rng.randrange(10**6)}"
            nodes.append(node)
            t.add_node(node)
        else:                      # a new pod
            k = 1000 + rng.randrange(10**6)
            pod = _pod(k, rng, terminating=rng.random() < 0.1)
            live[k] = pod
            t.add_pod(PodInfo(pod), rng.choice(nodes)["metadata"]["name"])
