"""NodeName (plugins/nodename/node_name.go)."""

from __future__ import annotations

import numpy as np

from kubetrainer.sim.scheduler.types import CycleState, FilterOutcome, Plugin

ERR_REASON = "node(s) didn't match the requested node name"


class NodeName(Plugin):
    name = "NodeName"
    legacy = ("PodFitsHost", "HostName")
    has_filter = True

    def filter(self, state: CycleState) -> FilterOutcome | None:
        want = state.pod.node_name
        if not want:
            return None
        t = state.table
        fail = np.ones(t.n, dtype=bool)
        i = t.index.get(want)
        if i is not None:
            fail[i] = False
        return FilterOutcome(fail, True, lambda i: [ERR_REASON])
