"""Types shared by the framework and the plugins (pkg/scheduler/framework/interface.go, in columns)."""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

from kubetrainer.sim.scheduler.nodetable import NodeTable
from kubetrainer.sim.scheduler.podinfo import PodInfo

# Status codes (framework.Code)
SUCCESS, UNSCHEDULABLE, UNRESOLVABLE = 0, 2, 3


class FilterOutcome:
    """One filter plugin's verdict on every node row.

    fail[i]          the node fails this plugin
    unresolvable     bool or bool column: the failure is UnschedulableAndUnresolvable
                     (preemption cannot help), otherwise Unschedulable
    reasons(i)       the status reasons (exact kube-scheduler texts) for a failing row
    """

    __slots__ = ("fail", "unresolvable", "reasons", "detail")

    def __init__(self, fail: np.ndarray, unresolvable: Any, reasons: Callable[[int], list[str]],
                 detail: Callable[[int], Any] | None = None) -> None:
        self.fail = fail
        self.unresolvable = unresolvable
        self.reasons = reasons
        self.detail = detail      # optional: the object behind the reason (e.g. the untolerated taint)

    def is_unresolvable(self, i: int) -> bool:
        u = self.unresolvable
        return bool(u) if isinstance(u, (bool, np.bool_)) else bool(u[i])


class CycleState:
    """framework.CycleState: the pod being scheduled, the cache, and per-cycle scratch data."""

    __slots__ = ("pod", "table", "fw", "data", "nominated")

    def __init__(self, pod: PodInfo, table: NodeTable, fw: Any) -> None:
        self.pod = pod
        self.table = table
        self.fw = fw
        self.data: dict[str, Any] = {}
        # pods nominated to nodes with priority >= this pod's (RunFilterPluginsWithNominatedPods)
        self.nominated: list[tuple[int, PodInfo]] = []


class Plugin:
    name = ""
    weight = 0            # score weight in the default profile (0: not a score plugin)
    legacy: tuple[str, ...] = ()   # legacy predicate/priority names it replaced (KUBERNETES.md 11.9)

    def filter(self, state: CycleState) -> FilterOutcome | None:  # None: every node passes (or Skip)
        return None

    def score(self, state: CycleState, idx: np.ndarray) -> np.ndarray | None:  # None: Skip
        return None

    def normalize(self, state: CycleState, idx: np.ndarray, raw: np.ndarray) -> np.ndarray:
        return raw

    has_filter = False
    has_score = False
