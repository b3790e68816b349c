"""NodeResourcesFit (plugins/noderesources/fit.go, least_allocated.go, resource_allocation.go).

Filter (`fitsRequest`): `Too many pods` when pods+1 > allocatable pods, then `Insufficient cpu`,
`Insufficient memory`, `Insufficient ephemeral-storage`, `Insufficient <extended>`: all failing
resources are listed. Requests only, never limits. Since v1.34 a resource whose request exceeds
the node's allocatable itself is UnschedulableAndUnresolvable (preemption cannot help).
Score: LeastAllocated over cpu and memory (weight 1 each), on the *non-zero* requests
(a container without a request counts 100m / 200Mi): ((alloc - req) * 100) / alloc per
resource, averaged by weight. Plugin weight 1.
"""

from __future__ import annotations

import numpy as np

from kubetrainer.sim.scheduler.types import CycleState, FilterOutcome, Plugin

MAX = 100


def requested_columns(state: CycleState) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Requested cpu, memory, ephemeral-storage and pod count per node, plus the pods nominated to
    each node with a priority >= the pod's (RunFilterPluginsWithNominatedPods)."""
    t = state.table
    cpu, mem, eph, npods = t.req_cpu, t.req_mem, t.req_eph, t.npods
    if state.nominated:
        cpu, mem, eph, npods = cpu.copy(), mem.copy(), eph.copy(), npods.copy()
        for i, pi in state.nominated:
            cpu[i] += pi.cpu
            mem[i] += pi.mem
            eph[i] += pi.eph
            npods[i] += 1
    return cpu, mem, eph, npods


class NodeResourcesFit(Plugin):
    name = "NodeResourcesFit"
    weight = 1
    legacy = ("PodFitsResources", "LeastRequestedPriority", "MostRequestedPriority",
              "RequestedToCapacityRatioPriority", "GeneralPredicates")
    has_filter = True
    has_score = True

    def filter(self, state: CycleState) -> FilterOutcome | None:
        t = state.table
        p = state.pod
        cpu, mem, eph, npods = requested_columns(state)
        too_many = npods + 1 > t.alloc_pods
        fail = too_many.copy()
        unres = np.zeros(t.n, dtype=bool)
        cols: list[tuple[str, np.ndarray]] = []
        if p.cpu or p.mem or p.eph or p.scalars:
            if p.cpu > 0:
                c = p.cpu > t.alloc_cpu - cpu
                cols.append(("Insufficient cpu", c))
                unres |= c & (p.cpu > t.alloc_cpu)
            if p.mem > 0:
                c = p.mem > t.alloc_mem - mem
                cols.append(("Insufficient memory", c))
                unres |= c & (p.mem > t.alloc_mem)
            if p.eph > 0:
                c = p.eph > t.alloc_eph - eph
                cols.append(("Insufficient ephemeral-storage", c))
                unres |= c & (p.eph > t.alloc_eph)
            for rname in sorted(p.scalars):
                q = p.scalars[rname]
                alloc = np.fromiter((sa.get(rname, 0) for sa in t.scalar_alloc), dtype=np.int64, count=t.n)
                used = np.fromiter((sr.get(rname, 0) for sr in t.scalar_req), dtype=np.int64, count=t.n)
                c = q > alloc - used
                cols.append((f"Insufficient {rname}", c))
                unres |= c & (q > alloc)
            for _, c in cols:
                fail |= c
        if not fail.any():
            return None

        def reasons(i: int) -> list[str]:
            out = ["Too many pods"] if too_many[i] else []
            out.extend(r for r, c in cols if c[i])
            return out

        return FilterOutcome(fail, unres, reasons)

    def score(self, state: CycleState, idx: np.ndarray) -> np.ndarray | None:
        t = state.table
        p = state.pod
        return least_allocated(t.nz_cpu[idx] + p.nz_cpu, t.alloc_cpu[idx], t.nz_mem[idx] + p.nz_mem, t.alloc_mem[idx])


def least_requested(req: np.ndarray, alloc: np.ndarray) -> np.ndarray:
    """leastRequestedScore: 0 when capacity is 0 or requested > capacity."""
    safe = np.where(alloc == 0, 1, alloc)
    s = (alloc - req) * MAX // safe
    return np.where((alloc == 0) | (req > alloc), 0, s)


def least_allocated(req_cpu, alloc_cpu, req_mem, alloc_mem) -> np.ndarray:
    """leastResourceScorer with resources cpu (weight 1) and memory (weight 1); a resource with 0
    allocatable is left out of the average."""
    req_cpu, alloc_cpu = np.asarray(req_cpu, np.int64), np.asarray(alloc_cpu, np.int64)
    req_mem, alloc_mem = np.asarray(req_mem, np.int64), np.asarray(alloc_mem, np.int64)
    w_cpu = (alloc_cpu != 0).astype(np.int64)
    w_mem = (alloc_mem != 0).astype(np.int64)
    total = least_requested(req_cpu, alloc_cpu) * w_cpu + least_requested(req_mem, alloc_mem) * w_mem
    wsum = w_cpu + w_mem
    return np.where(wsum == 0, 0, total // np.where(wsum == 0, 1, wsum))
