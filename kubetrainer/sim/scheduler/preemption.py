"""DefaultPreemption, the PostFilter plugin (plugins/defaultpreemption/default_preemption.go and
framework/preemption/preemption.go Evaluator.Preempt).

1. PodEligibleToPreemptOthers: `preemptionPolicy: Never` -> "not eligible due to
   preemptionPolicy=Never."
2. findCandidates: nodes whose filter status was UnschedulableAndUnresolvable are not tried
   ("Preemption is not helpful for scheduling"); on every other node, selectVictimsOnNode:
   remove every pod of lower priority; no such pod -> "No preemption victims found for incoming
   pod"; if the pod still does not fit, the node's filter reasons; otherwise reprieve the victims
   from the most important down (higher priority, then earlier start) while the pod still fits.
   PodDisruptionBudgets: victims whose eviction would exceed a PDB's disruptionsAllowed are
   reprieved first (filterPodsWithPDBViolation) and counted as violations.
3. No candidate: "preemption: " + FitError over those statuses.
4. pickOneNodeForPreemption: fewest PDB violations, lowest highest-victim priority, lowest sum of
   (priority + MaxInt32 + 1), fewest victims, latest start of the highest-priority victims,
   then the first candidate.
The chosen node becomes the pod's nominatedNodeName; the victims are deleted by the caller.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from kubetrainer.sim.scheduler.podinfo import PodInfo

if TYPE_CHECKING:  # pragma: no cover
    from kubetrainer.sim.scheduler.framework import Framework
    from kubetrainer.sim.scheduler.types import CycleState

NOT_HELPFUL = "Preemption is not helpful for scheduling"
NO_VICTIMS = "No preemption victims found for incoming pod"
NOT_ELIGIBLE_NEVER = "not eligible due to preemptionPolicy=Never."
NOT_ELIGIBLE_TERMINATING = "not eligible due to a terminating pod on the nominated node."
MAX_INT32 = 2**31 - 1


class PreemptionResult:
    __slots__ = ("node", "victims", "message")

    def __init__(self, node: str | None, victims: list[PodInfo], message: str) -> None:
        self.node = node
        self.victims = victims
        self.message = message


def _fits_on(fw: "Framework", state: "CycleState", i: int) -> tuple[bool, list[str]]:
    outcomes, first = fw.run_filters(state)
    k = int(first[i])
    if k < 0:
        return True, []
    return False, outcomes[k].reasons(i)


def _more_important_first(pods: list[PodInfo]) -> list[PodInfo]:
    # util.MoreImportantPod: higher priority first, then the earlier start time
    return sorted(pods, key=lambda p: (-p.priority, _num(p.start)))


def _num(v) -> float:
    try:
        return float(v)
    except (TypeError, ValueError):
        return 0.0


def filter_pods_with_pdb_violation(pods: list[PodInfo], pdbs: list[dict]) -> tuple[list[PodInfo], list[PodInfo]]:
    """filterPodsWithPDBViolation: walking the pods in order, each matching PDB's budget
    (status.disruptionsAllowed) is decremented; a pod that takes any budget below 0 is violating."""
    from kubetrainer.api.selectors import label_selector_is_empty, label_selector_matches

    allowed = [pdb_disruptions_allowed(p) for p in pdbs]
    violating: list[PodInfo] = []
    non_violating: list[PodInfo] = []
    for pi in pods:
        violated = False
        if pi.labels:
            for k, pdb in enumerate(pdbs):
                meta = pdb.get("metadata") or {}
                if (meta.get("namespace") or "default") != pi.namespace:
                    continue
                sel = (pdb.get("spec") or {}).get("selector")
                if sel is None or label_selector_is_empty(sel) or not label_selector_matches(sel, pi.labels):
                    continue
                if pi.name in ((pdb.get("status") or {}).get("disruptedPods") or {}):
                    continue
                allowed[k] -= 1
                if allowed[k] < 0:
                    violated = True
        (violating if violated else non_violating).append(pi)
    return violating, non_violating


def pdb_disruptions_allowed(pdb: dict) -> int:
    """status.disruptionsAllowed as the disruption controller computes it; when no controller has
    written a status, the scheduler's view is computed here (currentHealthy - desiredHealthy)."""
    st = pdb.get("status") or {}
    if "disruptionsAllowed" in st:
        return int(st.get("disruptionsAllowed") or 0)
    return int(pdb.get("_kt_computed_allowed", 0))


def select_victims_on_node(fw: "Framework", state: "CycleState", i: int) -> tuple[list[PodInfo] | None, list[str], int]:
    t = fw.table
    pod = state.pod
    potential = [p for p in t.pods[i].values() if p.priority < pod.priority]
    if not potential:
        return None, [NO_VICTIMS], 0
    for p in potential:
        t.remove_pod(p.key)
    try:
        ok, reasons = _fits_on(fw, state, i)
        if not ok:
            return None, reasons, 0
        victims: list[PodInfo] = []
        violating, non_violating = filter_pods_with_pdb_violation(_more_important_first(potential), fw.pdbs())
        num_violating = 0
        for group, counts in ((violating, True), (non_violating, False)):
            for p in group:
                t.add_pod(p, t.names[i])
                fits, _ = _fits_on(fw, state, i)
                if not fits:
                    t.remove_pod(p.key)
                    victims.append(p)
                    if counts:
                        num_violating += 1
        return victims, [], num_violating
    finally:
        for p in potential:
            if p.key not in t.pod_node:
                t.add_pod(p, t.names[i])


def preempt(fw: "Framework", state: "CycleState", outcomes, first: np.ndarray) -> PreemptionResult:
    from kubetrainer.sim.scheduler.framework import fit_error_message

    pod = state.pod
    t = fw.table
    if pod.preemption_policy == "Never":
        return PreemptionResult(None, [], "preemption: " + NOT_ELIGIBLE_NEVER)
    if pod.nominated and pod.nominated in t.index:
        ni = t.index[pod.nominated]
        oc = outcomes[int(first[ni])] if first[ni] >= 0 else None
        if oc is None or not oc.is_unresolvable(ni):
            if any(p.terminating and p.priority < pod.priority for p in t.pods[ni].values()):
                return PreemptionResult(None, [], "preemption: " + NOT_ELIGIBLE_TERMINATING)
    reasons: list[str] = []
    candidates: list[tuple[int, list[PodInfo]]] = []
    potential = []
    for i in range(t.n):
        k = int(first[i])
        if k >= 0 and outcomes[k].is_unresolvable(i):
            reasons.append(NOT_HELPFUL)  # nodesWherePreemptionMightHelp
        else:
            potential.append(i)
    if potential:
        # GetOffsetAndNumCandidates: a random offset into the potential nodes, and stop after
        # max(10% of the nodes, 100) candidates (dryRunPreemption)
        offset = fw.rng.randrange(len(potential))
        want = num_candidates(len(potential))
        checked = 0
        for j in range(len(potential)):
            i = potential[(offset + j) % len(potential)]
            victims, why, violations = select_victims_on_node(fw, state, i)
            checked += 1
            if victims is None:
                reasons.extend(why)
            else:
                candidates.append((i, victims, violations))
                if len(candidates) >= want:
                    break
        # nodes not dry-run are absent from the status map: "Preemption is not helpful for scheduling"
        reasons.extend([NOT_HELPFUL] * (len(potential) - checked))
    if not candidates:
        return PreemptionResult(None, [], "preemption: " + fit_error_message(t.n, reasons))
    best = pick_one_node(candidates)
    i, victims = best[0], best[1]
    return PreemptionResult(t.names[i], victims, "")


def num_candidates(num_nodes: int) -> int:
    """calculateNumCandidates: minCandidateNodesPercentage 10, minCandidateNodesAbsolute 100."""
    n = num_nodes * 10 // 100
    if n < 100:
        n = 100
    return min(n, num_nodes)


def pick_one_node(candidates: list[tuple]) -> tuple:
    """candidates: (row, victims[, numPDBViolations])."""
    def key(c):
        victims = c[1]
        violations = c[2] if len(c) > 2 else 0
        if not victims:
            return (0, -(2**63), 0, 0, 0.0)
        vs = _more_important_first(victims)
        highest = vs[0].priority
        sum_prio = sum(v.priority + MAX_INT32 + 1 for v in vs)
        # util.GetEarliestPodStartTime: the earliest start among the highest-priority victims;
        # the node where that time is the latest wins
        earliest = min(_num(v.start) for v in vs if v.priority == highest)
        return (violations, highest, sum_prio, len(vs), -earliest)

    best = candidates[0]
    best_key = key(best)
    for c in candidates[1:]:
        k = key(c)
        if k < best_key:
            best, best_key = c, k
    return best
