"""NodeUnschedulable (plugins/nodeunschedulable/node_unschedulable.go)."""

from __future__ import annotations

import numpy as np

from kubetrainer.sim.scheduler.helper import tolerations_tolerate
from kubetrainer.sim.scheduler.types import CycleState, FilterOutcome, Plugin

ERR_REASON_UNSCHEDULABLE = "node(s) were unschedulable"
_TAINT = {"key": "node.kubernetes.io/unschedulable", "effect": "NoSchedule"}


class NodeUnschedulable(Plugin):
    name = "NodeUnschedulable"
    legacy = ("CheckNodeUnschedulable", "CheckNodeUnschedulablePred")
    has_filter = True

    def filter(self, state: CycleState) -> FilterOutcome | None:
        uns = state.table.unschedulable
        if not uns.any():
            return None
        # a pod tolerating node.kubernetes.io/unschedulable:NoSchedule ignores the cordon
        if tolerations_tolerate(state.pod.tolerations, _TAINT):
            return None
        return FilterOutcome(uns.copy(), True, lambda i: [ERR_REASON_UNSCHEDULABLE])
