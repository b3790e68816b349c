"""NodePorts (plugins/nodeports/node_ports.go): a pod's hostPorts must be free on the node
(same protocol and port, host IPs overlapping when either is 0.0.0.0). Unschedulable."""

from __future__ import annotations

import numpy as np

from kubetrainer.sim.scheduler.types import CycleState, FilterOutcome, Plugin

ERR_REASON = "node(s) didn't have free ports for the requested pod ports"


def ports_conflict(wanted: list[tuple], used: dict) -> bool:
    for proto, port, ip in wanted:
        for uproto, uport, uip in used:
            if uproto == proto and uport == port and (ip == uip or ip == "0.0.0.0" or uip == "0.0.0.0"):
                return True
    return False


class NodePorts(Plugin):
    name = "NodePorts"
    legacy = ("PodFitsHostPorts", "PodFitsPorts")
    has_filter = True

    def filter(self, state: CycleState) -> FilterOutcome | None:
        wanted = state.pod.host_ports
        if not wanted:
            return None
        t = state.table
        fail = np.zeros(t.n, dtype=bool)
        for i in range(t.n):
            if t.ports[i] and ports_conflict(wanted, t.ports[i]):
                fail[i] = True
        if not fail.any():
            return None
        return FilterOutcome(fail, False, lambda i: [ERR_REASON])
