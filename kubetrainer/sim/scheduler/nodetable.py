"""The scheduler cache as columns: one row per node, numpy arrays for everything a plugin
compares per node (allocatable and requested cpu/memory/pods, unschedulable, taint presence),
plain Python side tables for the rarer, structured facts (labels, taints, ports, images, pods).

One table serves 3 nodes and 5,000: a filter plugin returns a boolean column over all rows; a
score plugin works on the index array of the feasible rows. Pods bound through `spec.nodeName`
count like scheduled ones; terminated pods (Succeeded/Failed) and removed pods do not
(pkg/scheduler/backend/cache: the cache forgets pods that finished).
"""

from __future__ import annotations

from typing import Iterable

import numpy as np

from kubetrainer.api.selectors import label_selector_matches
from kubetrainer.sim.scheduler.helper import cpu_millis, normalize_image, quantity_int
from kubetrainer.sim.scheduler.podinfo import PodInfo

_INT_COLS = ("alloc_cpu", "alloc_mem", "alloc_pods", "alloc_eph", "req_cpu", "req_mem", "req_eph",
             "nz_cpu", "nz_mem", "npods")
_BOOL_COLS = ("unschedulable", "tainted")


class NodeTable:
    def __init__(self, nodes: Iterable[dict] = ()) -> None:
        self.n = 0
        self._cap = 0
        self.names: list[str] = []
        self.index: dict[str, int] = {}
        self.nodes: list[dict] = []
        self.labels: list[dict] = []
        self.taints: list[list[dict]] = []
        self.scalar_alloc: list[dict[str, int]] = []
        self.scalar_req: list[dict[str, int]] = []
        self.ports: list[dict[tuple, int]] = []
        self.images: list[dict[str, int]] = []      # normalized name -> size
        self.image_nodes: dict[str, int] = {}       # normalized name -> number of nodes with it
        self.pods: list[dict[str, PodInfo]] = []    # per node: key -> PodInfo
        self.pod_node: dict[str, int] = {}          # pod key -> node row
        self.with_affinity: set[str] = set()        # keys of bound pods with pod (anti-)affinity
        self.unplaced: dict[str, dict[str, PodInfo]] = {}   # pods bound to a node not (yet) known
        self.generation = 0                         # bumped when labels/taints/nodes change
        self.labels_generation = 0                  # bumped when node labels or rows change
        # Incremental "pods matching a selector, per node" columns (the PreFilter/PreScore state of
        # PodTopologySpread, kept up to date on every pod add/remove instead of recounted per cycle):
        # see match_counts(). Keyed by (namespace, repr(selector)).
        self._sel_defs: dict[tuple, tuple[str, dict]] = {}
        self._sel_cols: dict[tuple, np.ndarray] = {}          # key -> int64 buffer of capacity rows
        self._sel_anchor: dict[tuple, list[tuple]] = {}       # (label key, value) -> selector keys
        self._sel_general: list[tuple] = []                   # selectors without a usable anchor
        self._domains: dict[str, tuple[int, np.ndarray, int]] = {}   # topology key -> (labels gen, codes, n values)
        for col in _INT_COLS:
            setattr(self, "_" + col, np.zeros(0, dtype=np.int64))
        for col in _BOOL_COLS:
            setattr(self, "_" + col, np.zeros(0, dtype=bool))
        self._views()
        for node in nodes:
            self.add_node(node)

    # columns are views of the first n rows of over-allocated buffers (cheap node adds)
    def col(self, name: str) -> np.ndarray:
        return getattr(self, "_" + name)[: self.n]

    def _views(self) -> None:
        """Expose each column as a plain attribute: a view of the first n rows of its buffer
        (writes through `self._<col>[i]` show in the view)."""
        for col in _INT_COLS + _BOOL_COLS:
            self.__dict__[col] = getattr(self, "_" + col)[: self.n]

    def _grow(self) -> None:
        cap = max(8, self._cap * 2)
        for col in _INT_COLS + _BOOL_COLS:
            old = getattr(self, "_" + col)
            new = np.zeros(cap, dtype=old.dtype)
            new[: self.n] = old[: self.n]
            setattr(self, "_" + col, new)
        for k, old in self._sel_cols.items():
            new = np.zeros(cap, dtype=np.int64)
            new[: self.n] = old[: self.n]
            self._sel_cols[k] = new
        self._cap = cap

    # -- nodes ----------------------------------------------------------------------------
    def add_node(self, node: dict) -> int:
        name = node["metadata"]["name"]
        if name in self.index:
            self.update_node(node)
            return self.index[name]
        if self.n == self._cap:
            self._grow()
        i = self.n
        self.n += 1
        self.names.append(name)
        self.index[name] = i
        self.nodes.append(node)
        self.labels.append({})
        self.taints.append([])
        self.scalar_alloc.append({})
        self.scalar_req.append({})
        self.ports.append({})
        self.images.append({})
        self.pods.append({})
        self._views()
        self.labels_generation += 1
        self.generation += 1
        self._set_node_facts(i, node)
        for pi in list(self.unplaced.pop(name, {}).values()):
            self.add_pod(pi, name)
        return i

    def _set_node_facts(self, i: int, node: dict) -> None:
        meta = node.get("metadata") or {}
        spec = node.get("spec") or {}
        status = node.get("status") or {}
        self.nodes[i] = node
        labels = dict(meta.get("labels") or {})
        taints = list(spec.get("taints") or [])
        unsched = bool(spec.get("unschedulable"))
        # node status updates (heartbeats, images) change nothing a cached mask depends on
        if labels != self.labels[i]:
            self.labels_generation += 1
            self.generation += 1
        elif taints != self.taints[i] or unsched != bool(self._unschedulable[i]):
            self.generation += 1
        self.labels[i] = labels
        self.taints[i] = taints
        self._unschedulable[i] = unsched
        self._tainted[i] = bool(self.taints[i])
        alloc = status.get("allocatable") or status.get("capacity") or {}
        self._alloc_cpu[i] = cpu_millis(alloc.get("cpu", 0))
        self._alloc_mem[i] = quantity_int(alloc.get("memory", 0))
        self._alloc_pods[i] = quantity_int(alloc.get("pods", 0))
        self._alloc_eph[i] = quantity_int(alloc.get("ephemeral-storage", 0))
        self.scalar_alloc[i] = {k: quantity_int(v) for k, v in alloc.items()
                                if k not in ("cpu", "memory", "pods", "ephemeral-storage")}
        for img in self.images[i]:
            self.image_nodes[img] -= 1
        imgs: dict[str, int] = {}
        for entry in status.get("images") or []:
            for nm in entry.get("names") or []:
                imgs[normalize_image(nm)] = int(entry.get("sizeBytes") or 0)
        self.images[i] = imgs
        for img in imgs:
            self.image_nodes[img] = self.image_nodes.get(img, 0) + 1

    def update_node(self, node: dict) -> None:
        i = self.index.get(node["metadata"]["name"])
        if i is None:
            self.add_node(node)
        else:
            self._set_node_facts(i, node)

    def remove_node(self, name: str) -> None:
        """Rebuild without the node (rare: node objects are almost never deleted)."""
        if name not in self.index:
            return
        keep = [(self.nodes[i], list(self.pods[i].values())) for i in range(self.n) if self.names[i] != name]
        gone = list(self.pods[self.index[name]].values())
        unplaced = self.unplaced
        fresh = NodeTable(n for n, _ in keep)
        fresh.unplaced = unplaced
        for _, pods in keep:
            for pi in pods:
                fresh.add_pod(pi)
        for pi in gone:
            fresh.add_pod(pi, name)  # bound to a node that no longer exists: kept aside
        gen, lgen = self.generation, self.labels_generation
        self.__dict__.update(fresh.__dict__)
        self.generation = gen + fresh.generation + 1
        self.labels_generation = lgen + fresh.labels_generation + 1

    # -- pods -----------------------------------------------------------------------------
    def add_pod(self, pi: PodInfo, node_name: str | None = None) -> bool:
        """Account a pod on its node (assume or observed binding). Idempotent per pod key."""
        name = node_name or pi.node_name
        i = self.index.get(name)
        if i is None:
            self.remove_pod(pi.key)
            if name:
                self.unplaced.setdefault(name, {})[pi.key] = pi
            return False
        if pi.key in self.pod_node:
            if self.pod_node[pi.key] == i:
                old = self.pods[i][pi.key]
                self._account(i, old, -1)
                self.pods[i][pi.key] = pi
                self._account(i, pi, +1)
                self._affinity_index(pi)
                return True
            self.remove_pod(pi.key)
        self.pods[i][pi.key] = pi
        self.pod_node[pi.key] = i
        self._account(i, pi, +1)
        self._affinity_index(pi)
        return True

    def _affinity_index(self, pi: PodInfo) -> None:
        if pi.has_affinity:
            self.with_affinity.add(pi.key)
        else:
            self.with_affinity.discard(pi.key)

    def remove_pod(self, key: str) -> PodInfo | None:
        i = self.pod_node.pop(key, None)
        if i is None:
            for name, pods in list(self.unplaced.items()):
                if key in pods:
                    pi = pods.pop(key)
                    if not pods:
                        del self.unplaced[name]
                    return pi
            return None
        pi = self.pods[i].pop(key)
        self._account(i, pi, -1)
        self.with_affinity.discard(key)
        return pi

    def _account(self, i: int, pi: PodInfo, sign: int) -> None:
        self._req_cpu[i] += sign * pi.cpu
        self._req_mem[i] += sign * pi.mem
        self._req_eph[i] += sign * pi.eph
        self._nz_cpu[i] += sign * pi.nz_cpu
        self._nz_mem[i] += sign * pi.nz_mem
        self._npods[i] += sign
        if self._sel_defs and not pi.terminating:
            self._count_selectors(i, pi, sign)
        if pi.scalars:
            sr = self.scalar_req[i]
            for k, v in pi.scalars.items():
                sr[k] = sr.get(k, 0) + sign * v
        for p in pi.host_ports:
            ports = self.ports[i]
            ports[p] = ports.get(p, 0) + sign
            if ports[p] <= 0:
                del ports[p]

    def pod_info(self, key: str) -> PodInfo | None:
        i = self.pod_node.get(key)
        return None if i is None else self.pods[i].get(key)

    def all_pods(self) -> Iterable[PodInfo]:
        for d in self.pods:
            yield from d.values()

    def label_column(self, key: str) -> list:
        return [lb.get(key) for lb in self.labels]

    # -- selector counts and topology domains (PodTopologySpread) -------------------------
    def match_counts(self, selector: dict | None, namespace: str) -> np.ndarray:
        """Per node row: the number of pods on it in `namespace`, not terminating, matching
        `selector` (podtopologyspread countPodsMatchSelector). Built once by a scan, then kept
        up to date by add_pod/remove_pod (O(labels of the pod) per change). Read-only view."""
        if selector is None:
            return np.zeros(self.n, dtype=np.int64)
        key = (namespace, repr(selector))
        col = self._sel_cols.get(key)
        if col is None:
            if len(self._sel_defs) >= 4096:   # bound the memory: start over (rebuilt on demand)
                self._sel_defs.clear()
                self._sel_cols.clear()
                self._sel_anchor.clear()
                self._sel_general.clear()
            col = np.zeros(max(self._cap, 1), dtype=np.int64)
            for i, pods in enumerate(self.pods):
                c = 0
                for pi in pods.values():
                    if pi.namespace == namespace and not pi.terminating and label_selector_matches(selector, pi.labels):
                        c += 1
                col[i] = c
            self._sel_defs[key] = (namespace, selector)
            self._sel_cols[key] = col
            anchor = _anchor(selector)
            if anchor is None:
                self._sel_general.append(key)
            else:
                self._sel_anchor.setdefault(anchor, []).append(key)
        return col[: self.n]

    def _count_selectors(self, i: int, pi: PodInfo, sign: int) -> None:
        keys = list(self._sel_general)
        anchors = self._sel_anchor
        for kv in pi.labels.items():
            try:
                hit = anchors.get(kv)
            except TypeError:   # an unhashable label value: it cannot equal a selector's string
                continue
            if hit:
                keys.extend(hit)
        for key in keys:
            ns, sel = self._sel_defs[key]
            if ns == pi.namespace and label_selector_matches(sel, pi.labels):
                self._sel_cols[key][i] += sign

    def domain_codes(self, key: str) -> tuple[np.ndarray, int]:
        """Per node row: an integer code of the node's value of label `key` (-1: no such label),
        and the number of distinct values. Cached until node labels change."""
        hit = self._domains.get(key)
        if hit is not None and hit[0] == self.labels_generation and hit[1].size == self.n:
            return hit[1], hit[2]
        codes = np.full(self.n, -1, dtype=np.int64)
        values: dict = {}
        for i, lb in enumerate(self.labels):
            v = lb.get(key)
            if v is not None:
                codes[i] = values.setdefault(v, len(values))
        self._domains[key] = (self.labels_generation, codes, len(values))
        return codes, len(values)


def _anchor(selector: dict) -> tuple | None:
    """A (label key, value) every pod matching `selector` carries (None: no such pair)."""
    for k, v in (selector.get("matchLabels") or {}).items():
        return (k, v)
    for req in selector.get("matchExpressions") or []:
        vals = req.get("values") or []
        if req.get("operator") == "In" and len(vals) == 1:
            return (req.get("key"), str(vals[0]))
    return None
