"""Pure helpers of the Deployment controller (pkg/controller/deployment/util/deployment_util.go),
kept free of the cluster so the upstream unit-test tables can drive them directly."""

from __future__ import annotations

import math
from typing import Any

from kubetrainer.sim.controllers.common import ts

Obj = dict[str, Any]

REVISION = "deployment.kubernetes.io/revision"
REVISION_HISTORY = "deployment.kubernetes.io/revision-history"
DESIRED_REPLICAS = "deployment.kubernetes.io/desired-replicas"
MAX_REPLICAS = "deployment.kubernetes.io/max-replicas"
CHANGE_CAUSE = "kubernetes.io/change-cause"
HASH_LABEL = "pod-template-hash"

# annotationsToSkip: not copied from the Deployment onto its ReplicaSets
ANNOTATIONS_TO_SKIP = {"kubectl.kubernetes.io/last-applied-configuration", REVISION, REVISION_HISTORY,
                       DESIRED_REPLICAS, MAX_REPLICAS, "deprecated.deployment.rollback.to"}

# condition reasons (deployment_util.go)
NEW_RS_REASON = "NewReplicaSetCreated"
FOUND_NEW_RS_REASON = "FoundNewReplicaSet"
RS_UPDATED_REASON = "ReplicaSetUpdated"
NEW_RS_AVAILABLE_REASON = "NewReplicaSetAvailable"
TIMED_OUT_REASON = "ProgressDeadlineExceeded"
PAUSED_REASON = "DeploymentPaused"
RESUMED_REASON = "DeploymentResumed"
MIN_AVAILABLE_REASON = "MinimumReplicasAvailable"
MIN_UNAVAILABLE_REASON = "MinimumReplicasUnavailable"


class IntOrPercentError(ValueError):
    pass


def scaled_value(value: int | str | None, total: int, round_up: bool) -> int:
    """intstr.GetScaledValueFromIntOrPercent."""
    if value is None:
        return 0
    if isinstance(value, bool):
        raise IntOrPercentError(f"invalid value for IntOrString: invalid type: {value!r}")
    if isinstance(value, int):
        return value
    s = str(value)
    if not s.endswith("%"):
        raise IntOrPercentError(f'invalid value for IntOrString: invalid type: string is not a percentage')
    try:
        pct = int(s[:-1])
    except ValueError:
        raise IntOrPercentError(f"invalid value {s!r}: {s[:-1]!r} is not an integer") from None
    if round_up:
        return int(math.ceil(pct * total / 100))
    return int(math.floor(pct * total / 100))


def replicas_of(obj: Obj) -> int:
    r = (obj.get("spec") or {}).get("replicas")
    return 1 if r is None else int(r)


def strategy(d: Obj) -> Obj:
    return (d.get("spec") or {}).get("strategy") or {"type": "RollingUpdate"}


def is_rolling(d: Obj) -> bool:
    return strategy(d).get("type", "RollingUpdate") == "RollingUpdate"


def _ru(d: Obj) -> Obj:
    return strategy(d).get("rollingUpdate") or {}


def resolve_fenceposts(max_surge: int | str | None, max_unavailable: int | str | None,
                       desired: int) -> tuple[int, int]:
    """ResolveFenceposts: surge rounds up, unavailable rounds down; both 0 means unavailable 1."""
    surge = scaled_value("25%" if max_surge is None else max_surge, desired, True)
    unavailable = scaled_value("25%" if max_unavailable is None else max_unavailable, desired, False)
    if surge == 0 and unavailable == 0:
        unavailable = 1
    return surge, unavailable


def max_unavailable(d: Obj) -> int:
    """MaxUnavailable: 0 unless RollingUpdate with replicas > 0; never more than replicas."""
    replicas = replicas_of(d)
    if not is_rolling(d) or replicas == 0:
        return 0
    _, mu = resolve_fenceposts(_ru(d).get("maxSurge"), _ru(d).get("maxUnavailable"), replicas)
    return min(mu, replicas)


def max_surge(d: Obj) -> int:
    if not is_rolling(d):
        return 0
    ms, _ = resolve_fenceposts(_ru(d).get("maxSurge"), _ru(d).get("maxUnavailable"), replicas_of(d))
    return ms


def rs_replicas(rs: Obj | None) -> int:
    if rs is None:
        return 0
    return replicas_of(rs)


def rs_status(rs: Obj | None, key: str) -> int:
    if rs is None:
        return 0
    return int((rs.get("status") or {}).get(key) or 0)


def replica_count(rss: list[Obj | None]) -> int:
    """GetReplicaCountForReplicaSets: sum of spec.replicas."""
    return sum(rs_replicas(rs) for rs in rss if rs is not None)


def actual_replica_count(rss: list[Obj | None]) -> int:
    return sum(rs_status(rs, "replicas") for rs in rss if rs is not None)


def ready_replica_count(rss: list[Obj | None]) -> int:
    return sum(rs_status(rs, "readyReplicas") for rs in rss if rs is not None)


def available_replica_count(rss: list[Obj | None]) -> int:
    return sum(rs_status(rs, "availableReplicas") for rs in rss if rs is not None)


def new_rs_new_replicas(d: Obj, all_rss: list[Obj | None], new_rs: Obj) -> int:
    """NewRSNewReplicas."""
    if is_rolling(d):
        replicas = replicas_of(d)
        surge = max_surge(d)
        current = replica_count(all_rss)
        max_total = replicas + surge
        if current >= max_total:
            return rs_replicas(new_rs)
        scale_up = min(max_total - current, replicas - rs_replicas(new_rs))
        return rs_replicas(new_rs) + scale_up
    return replicas_of(d)


def revision_of(obj: Obj | None) -> int:
    if obj is None:
        return 0
    v = ((obj.get("metadata") or {}).get("annotations") or {}).get(REVISION)
    try:
        return int(v) if v is not None else 0
    except ValueError:
        return 0


def max_revision(rss: list[Obj]) -> int:
    return max((revision_of(rs) for rs in rss), default=0)


def by_creation(rss: list[Obj]) -> list[Obj]:
    """ReplicaSetsByCreationTimestamp (ties by name)."""
    return sorted(rss, key=lambda rs: (ts(rs["metadata"].get("creationTimestamp")), rs["metadata"]["name"]))


def template_without_hash(t: Obj | None) -> Obj:
    import copy

    t = copy.deepcopy(t or {})
    labels = (t.get("metadata") or {}).get("labels")
    if labels and HASH_LABEL in labels:
        del labels[HASH_LABEL]
        if not labels:
            t["metadata"].pop("labels")
    if "metadata" in t and not t["metadata"]:
        del t["metadata"]
    return t


def equal_ignore_hash(a: Obj | None, b: Obj | None) -> bool:
    """EqualIgnoreHash: templates equal apart from the pod-template-hash label."""
    return template_without_hash(a) == template_without_hash(b)


def find_new_rs(d: Obj, rss: list[Obj]) -> Obj | None:
    for rs in by_creation(rss):
        if equal_ignore_hash(rs["spec"].get("template"), d["spec"].get("template")):
            return rs
    return None


def filter_active(rss: list[Obj | None]) -> list[Obj]:
    return [rs for rs in rss if rs is not None and rs_replicas(rs) > 0]


def get_condition(status: Obj, ctype: str) -> Obj | None:
    for c in status.get("conditions") or ():
        if c.get("type") == ctype:
            return c
    return None


def new_condition(ctype: str, status: str, reason: str, message: str, now: float) -> Obj:
    return {"type": ctype, "status": status, "lastUpdateTime": now, "lastTransitionTime": now,
            "reason": reason, "message": message}


def set_condition(status: Obj, cond: Obj) -> None:
    """SetDeploymentCondition."""
    cur = get_condition(status, cond["type"])
    if cur is not None and cur.get("status") == cond["status"] and cur.get("reason") == cond["reason"]:
        return
    if cur is not None and cur.get("status") == cond["status"]:
        cond["lastTransitionTime"] = cur.get("lastTransitionTime")
    status["conditions"] = [c for c in status.get("conditions") or () if c.get("type") != cond["type"]] + [cond]


def remove_condition(status: Obj, ctype: str) -> None:
    status["conditions"] = [c for c in status.get("conditions") or () if c.get("type") != ctype]


def has_progress_deadline(d: Obj) -> bool:
    v = d["spec"].get("progressDeadlineSeconds", 600)
    return v is not None and v != 2147483647


def progress_deadline(d: Obj) -> int:
    v = d["spec"].get("progressDeadlineSeconds", 600)
    return 600 if v is None else int(v)


def deployment_complete(d: Obj, status: Obj) -> bool:
    r = replicas_of(d)
    return (int(status.get("updatedReplicas") or 0) == r and int(status.get("replicas") or 0) == r
            and int(status.get("availableReplicas") or 0) == r
            and int(status.get("observedGeneration") or 0) >= int(d["metadata"].get("generation") or 1))


def deployment_progressing(d: Obj, new: Obj) -> bool:
    old = d.get("status") or {}
    g = lambda s, k: int(s.get(k) or 0)  # noqa: E731
    old_old = g(old, "replicas") - g(old, "updatedReplicas")
    new_old = g(new, "replicas") - g(new, "updatedReplicas")
    return (g(new, "updatedReplicas") > g(old, "updatedReplicas") or new_old < old_old
            or g(new, "readyReplicas") > g(old, "readyReplicas")
            or g(new, "availableReplicas") > g(old, "availableReplicas"))


def deployment_timed_out(d: Obj, new: Obj, now: float) -> bool:
    if not has_progress_deadline(d):
        return False
    cond = get_condition(new, "Progressing")
    if cond is None:
        return False
    if cond.get("reason") == NEW_RS_AVAILABLE_REASON:
        return False
    if cond.get("reason") == TIMED_OUT_REASON:
        return True
    return ts(cond.get("lastUpdateTime")) + progress_deadline(d) < now


def rs_fraction(rs: Obj, d: Obj) -> int:
    """getReplicaSetFraction (proportional scaling)."""
    if replicas_of(d) == 0:
        return -rs_replicas(rs)
    deployment_replicas = replicas_of(d) + max_surge(d)
    ann = ((rs.get("metadata") or {}).get("annotations") or {}).get(MAX_REPLICAS)
    try:
        annotated = int(ann) if ann is not None else None
    except ValueError:
        annotated = None
    if annotated is None:
        annotated = int((d.get("status") or {}).get("replicas") or 0)
    if annotated == 0:
        return 0
    new_size = rs_replicas(rs) * deployment_replicas / annotated
    return _go_round(new_size) - rs_replicas(rs)


def _go_round(x: float) -> int:
    """math.Round: half away from zero."""
    return int(math.floor(x + 0.5)) if x >= 0 else -int(math.floor(-x + 0.5))


def get_proportion(rs: Obj | None, d: Obj, to_add: int, added: int) -> int:
    if rs is None or rs_replicas(rs) == 0 or to_add == 0 or to_add == added:
        return 0
    frac = rs_fraction(rs, d)
    allowed = to_add - added
    if to_add > 0:
        return min(frac, allowed)
    return max(frac, allowed)


def is_saturated(d: Obj, rs: Obj | None) -> bool:
    if rs is None:
        return False
    ann = ((rs.get("metadata") or {}).get("annotations") or {}).get(DESIRED_REPLICAS)
    try:
        desired = int(ann)
    except (TypeError, ValueError):
        return False
    r = replicas_of(d)
    return desired == r and rs_replicas(rs) == r and rs_status(rs, "availableReplicas") == r


def find_active_or_latest(new_rs: Obj | None, old_rss: list[Obj]) -> Obj | None:
    if new_rs is None and not old_rss:
        return None
    olds = sorted(old_rss, key=lambda rs: (ts(rs["metadata"].get("creationTimestamp")), rs["metadata"]["name"]),
                  reverse=True)
    active = filter_active(olds + [new_rs])
    if not active:
        return new_rs if new_rs is not None else olds[0]
    if len(active) == 1:
        return active[0]
    return None
