"""TaintToleration (plugins/tainttoleration/taint_toleration.go).

Filter: the first NoSchedule/NoExecute taint the pod does not tolerate,
`node(s) had untolerated taint {key: value}`, UnschedulableAndUnresolvable. (Kubernetes master,
after v1.35, shortened the text to `node(s) had untolerated taint(s)`; we keep the v1.34/1.35 text.)
Score: the number of PreferNoSchedule taints not tolerated by the pod's tolerations with an empty
or PreferNoSchedule effect; DefaultNormalizeScore(100, reverse=true). Weight 3.
"""

from __future__ import annotations

import numpy as np

from kubetrainer.sim.scheduler.helper import default_normalize_score, find_untolerated_taint, tolerations_tolerate
from kubetrainer.sim.scheduler.types import CycleState, FilterOutcome, Plugin


def taint_reason(taint: dict) -> str:
    return f"node(s) had untolerated taint {{{taint.get('key', '')}: {taint.get('value') or ''}}}"


class TaintToleration(Plugin):
    name = "TaintToleration"
    weight = 3
    legacy = ("PodToleratesNodeTaints", "PodToleratesNodeNoExecuteTaints", "TaintTolerationPriority",
              "CheckNodeCondition", "CheckNodeMemoryPressure", "CheckNodeDiskPressure", "CheckNodePIDPressure")
    has_filter = True
    has_score = True

    def filter(self, state: CycleState) -> FilterOutcome | None:
        t = state.table
        tainted = np.flatnonzero(t.tainted)
        if tainted.size == 0:
            return None
        fail = np.zeros(t.n, dtype=bool)
        found: dict[int, dict] = {}
        tols = state.pod.tolerations
        for i in tainted.tolist():
            taint = find_untolerated_taint(t.taints[i], tols, ("NoSchedule", "NoExecute"))
            if taint is not None:
                fail[i] = True
                found[i] = taint
        if not found:
            return None
        state.data["untolerated"] = found
        return FilterOutcome(fail, True, lambda i: [taint_reason(found[i])], lambda i: found[i])

    def score(self, state: CycleState, idx: np.ndarray) -> np.ndarray | None:
        t = state.table
        raw = np.zeros(idx.size, dtype=np.int64)
        if not t.tainted[idx].any():
            return raw
        tols = [x for x in state.pod.tolerations if (x.get("effect") or "") in ("", "PreferNoSchedule")]
        for j, i in enumerate(idx.tolist()):
            raw[j] = sum(1 for taint in t.taints[i]
                         if taint.get("effect") == "PreferNoSchedule" and not tolerations_tolerate(tols, taint))
        return raw

    def normalize(self, state: CycleState, idx: np.ndarray, raw: np.ndarray) -> np.ndarray:
        return default_normalize_score(raw, reverse=True)
