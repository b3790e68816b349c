"""NodeResourcesBalancedAllocation (plugins/noderesources/balanced_allocation.go).

fraction_r = min(1, requested_r / allocatable_r) with the *real* requests (useRequested) of the
node plus the pod; std = |f_cpu - f_mem| / 2 for two resources (population standard deviation
in general); score = int((1 - std) * 100). Best-effort pods are skipped (PreScore returns Skip).
Weight 1.
"""

from __future__ import annotations

import numpy as np

from kubetrainer.sim.scheduler.types import CycleState, Plugin


def balanced_score(req_cpu, alloc_cpu, req_mem, alloc_mem) -> np.ndarray:
    req_cpu, alloc_cpu = np.asarray(req_cpu, np.float64), np.asarray(alloc_cpu, np.float64)
    req_mem, alloc_mem = np.asarray(req_mem, np.float64), np.asarray(alloc_mem, np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        f_cpu = np.minimum(1.0, req_cpu / alloc_cpu)
        f_mem = np.minimum(1.0, req_mem / alloc_mem)
    has_cpu = alloc_cpu != 0
    has_mem = alloc_mem != 0
    both = has_cpu & has_mem
    std = np.where(both, np.abs(f_cpu - f_mem) / 2, 0.0)
    return ((1 - std) * 100).astype(np.int64)


class NodeResourcesBalancedAllocation(Plugin):
    name = "NodeResourcesBalancedAllocation"
    weight = 1
    legacy = ("BalancedResourceAllocation",)
    has_score = True

    def score(self, state: CycleState, idx: np.ndarray) -> np.ndarray | None:
        p = state.pod
        if p.best_effort:
            return None
        t = state.table
        return balanced_score(t.req_cpu[idx] + p.cpu, t.alloc_cpu[idx], t.req_mem[idx] + p.mem, t.alloc_mem[idx])
