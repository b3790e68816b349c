"""Evaluating declarative checks (docs/lesson-format.md) on a SimulationResult dict.

Pure functions of (check, result, deadline): no engine import, so they are tested on hand-made
results and work on whatever `Cluster.result()` returns at the deadline. Every failure comes
with a reason written for the learner ("pod web: restarts 3 > 0 — last exit code 1").
"""

from __future__ import annotations

from fnmatch import fnmatchcase
from typing import Any, Iterable

from kubetrainer.course.schema import (Checks, ContainerCheck, Count, DeploymentCheck, EventsCheck,
                                       NodeRef, PodCheck, PodsCheck, ReplicaSetsCheck, RowMatch,
                                       SchedulerCheck, Texts)
from kubetrainer.durations import format_duration


class Outcome:
    """Result of one check: `passed`, and `reason` (why it failed; "" when it passed)."""

    __slots__ = ("passed", "reason", "decided")

    def __init__(self, passed: bool, reason: str = "", decided: bool = False) -> None:
        self.passed = passed
        self.reason = reason
        # decided: the outcome can no longer change later in the run (an `ever` seen, a `never` violated)
        self.decided = decided

    def __repr__(self) -> str:
        return f"Outcome({self.passed}, {self.reason!r})"


def t(seconds: float) -> str:
    s = float(seconds)
    return f"{int(s)}s" if s == int(s) and s < 120 else (format_duration(s) if s == int(s) else f"{s:g}s")


def cmp_count(label: str, n: int, c: Count) -> str | None:
    """None if n fits c, else 'restarts 3 > 0' style text."""
    if c.ok(n):
        return None
    if c.max is not None and n > c.max:
        return f"{label} {n} > {c.max}"
    return f"{label} {n} < {c.min}"


def evaluate(checks: Checks | Iterable[Any], result: dict, deadline: float) -> Outcome:
    """All checks of an objective; the reasons of the failing ones joined by '; '."""
    reasons = []
    decided_fail = False
    all_decided = True
    for chk in checks:
        o = evaluate_one(chk, result, deadline)
        if not o.passed:
            reasons.append(o.reason)
            decided_fail = decided_fail or o.decided
        all_decided = all_decided and o.decided
    if reasons:
        return Outcome(False, "; ".join(reasons), decided_fail)
    return Outcome(True, "", all_decided)


def evaluate_one(chk: Any, result: dict, deadline: float) -> Outcome:
    if isinstance(chk, PodCheck):
        return _pod_check(chk, result, deadline)
    if isinstance(chk, PodsCheck):
        return _pods_check(chk, result, deadline)
    if isinstance(chk, EventsCheck):
        return _events_check(chk, result)
    if isinstance(chk, DeploymentCheck):
        return _deployment_check(chk, result)
    if isinstance(chk, ReplicaSetsCheck):
        return _replicasets_check(chk, result)
    if isinstance(chk, SchedulerCheck):
        return _scheduler_check(chk, result)
    raise TypeError(f"not a check: {chk!r}")


# ---------------------------------------------------------------------------------------------
# pods
def find_pod(result: dict, namespace: str, name: str) -> dict | None:
    """The pod of that name: the one not deleted, else the last one."""
    found = [p for p in result.get("pods", []) if p.get("name") == name and p.get("namespace", "default") == namespace]
    if not found:
        return None
    alive = [p for p in found if not p.get("deleted")]
    return (alive or found)[-1]


def pod_context(pod: dict) -> str:
    """' — status X, last exit code 1' : what a learner needs to understand a failure."""
    bits = []
    status = pod.get("status")
    if status:
        bits.append(f"status {status}")
    for c in list(pod.get("initContainers") or []) + list(pod.get("containers") or []):
        last = c.get("lastState") or {}
        if c.get("state") == "terminated" and c.get("exitCode") not in (None, 0):
            bits.append(f"container {c.get('name')} exit code {c.get('exitCode')}"
                        + (f" ({c['reason']})" if c.get("reason") else ""))
            break
        if last.get("state") == "terminated" and last.get("exitCode") is not None:
            bits.append(f"last exit code {last.get('exitCode')}"
                        + (f" ({last['reason']})" if last.get("reason") else ""))
            break
        if c.get("state") == "waiting" and c.get("reason") and c.get("reason") != status:
            bits.append(f"container {c.get('name')} waiting: {c.get('reason')}")
            break
    return (" — " + ", ".join(bits)) if bits else ""


def _text_mismatch(label: str, actual: Any, want: Texts | None) -> str | None:
    if want is None or want.ok(actual):
        return None
    return f"{label} {actual if actual is not None else 'none'}, expected {want.describe()}"


def _node_mismatch(actual: str | None, want: NodeRef | None) -> str | None:
    if want is None:
        return None
    if want == "":
        return None if actual is None else f"scheduled on {actual}, expected not scheduled"
    if want == "any":
        return None if actual is not None else "not scheduled, expected to be on a node"
    if actual == want:
        return None
    return f"on node {actual}, expected {want}" if actual else f"not scheduled, expected on node {want}"


def _conditions_mismatch(actual: dict | None, want: dict | None) -> list[str]:
    if not want:
        return []
    actual = actual or {}
    out = []
    for k, v in want.items():
        a = actual.get(k)
        if str(a) != str(v):
            out.append(f"condition {k}={a if a is not None else 'unset'}, expected {v}")
    return out


def _container_mismatch(kind: str, containers: list[dict], c: ContainerCheck) -> list[str]:
    found = [x for x in containers or [] if x.get("name") == c.name]
    if not found:
        return [f"no {kind} named {c.name}"]
    x = found[0]
    out = []
    label = f"{kind} {c.name}"
    for msg in (_text_mismatch(f"{label} state", x.get("state"), c.state),
                _text_mismatch(f"{label} reason", x.get("reason"), c.reason)):
        if msg:
            out.append(msg)
    if c.exit_code is not None and x.get("exitCode") != c.exit_code:
        out.append(f"{label} exit code {x.get('exitCode') if x.get('exitCode') is not None else 'none'}, "
                   f"expected {c.exit_code}")
    if c.restart_count is not None:
        m = cmp_count(f"{label} restart count", int(x.get("restartCount") or 0), c.restart_count)
        if m:
            out.append(m)
    if c.ready is not None and bool(x.get("ready")) != c.ready:
        out.append(f"{label} {'ready' if x.get('ready') else 'not ready'}, expected "
                   f"{'ready' if c.ready else 'not ready'}")
    if c.last_state is not None:
        last = x.get("lastState") or {}
        ls = c.last_state
        for msg in (_text_mismatch(f"{label} last state", last.get("state"), ls.state),
                    _text_mismatch(f"{label} last state reason", last.get("reason"), ls.reason)):
            if msg:
                out.append(msg)
        if ls.exit_code is not None and last.get("exitCode") != ls.exit_code:
            out.append(f"{label} last exit code {last.get('exitCode') if last.get('exitCode') is not None else 'none'}, "
                       f"expected {ls.exit_code}")
    return out


def pod_state_problems(chk: Any, pod: dict) -> list[str]:
    """What is wrong with `pod` for the state keys of a PodCheck/PodsCheck (empty: fine)."""
    out: list[str] = []
    for msg in (_text_mismatch("phase", pod.get("phase"), chk.phase),
                _text_mismatch("status", pod.get("status"), chk.status),
                _text_mismatch("ready", pod.get("ready"), chk.ready)):
        if msg:
            out.append(msg)
    if chk.restarts is not None:
        m = cmp_count("restarts", int(pod.get("restarts") or 0), chk.restarts)
        if m:
            out.append(m)
    m = _node_mismatch(pod.get("node"), chk.node)
    if m:
        out.append(m)
    if chk.deleted is not None and bool(pod.get("deleted")) != chk.deleted:
        out.append("deleted, expected to exist" if pod.get("deleted") else "not deleted")
    out.extend(_conditions_mismatch(pod.get("conditions"), chk.conditions))
    for c in chk.init_containers:
        out.extend(_container_mismatch("init container", pod.get("initContainers") or [], c))
    for c in chk.containers:
        out.extend(_container_mismatch("container", pod.get("containers") or [], c))
    return out


def _rows(result: dict, obj: str, start: float, deadline: float) -> list[dict]:
    """Timeline rows of `obj` in effect during [start, deadline]: the last row at or before start,
    then every row after it up to the deadline."""
    rows = [r for r in result.get("timeline", []) if r.get("object") == obj and float(r.get("time", 0)) <= deadline]
    before = [r for r in rows if float(r.get("time", 0)) <= start]
    after = [r for r in rows if float(r.get("time", 0)) > start]
    return ([before[-1]] if before else []) + after


def _row_matches(row: dict, m: RowMatch) -> bool:
    if m.phase is not None and not m.phase.ok(row.get("phase")):
        return False
    if m.status is not None and not m.status.ok(row.get("status")):
        return False
    if m.ready is not None and not m.ready.ok(row.get("ready")):
        return False
    if m.restarts is not None and not m.restarts.ok(int(row.get("restarts") or 0)):
        return False
    if m.node is not None and _node_mismatch(row.get("node"), m.node):
        return False
    if m.deleted is not None and bool(row.get("deleted")) != m.deleted:
        return False
    return True


def _describe_row_match(m: RowMatch) -> str:
    bits = []
    for key in ("phase", "status", "ready"):
        v = getattr(m, key)
        if v is not None:
            bits.append(f"{key} {v.describe()}")
    if m.restarts is not None:
        bits.append(f"restarts {m.restarts.describe()}")
    if m.node is not None:
        bits.append("not scheduled" if m.node == "" else ("on a node" if m.node == "any" else f"node {m.node}"))
    if m.deleted is not None:
        bits.append("deleted" if m.deleted else "not deleted")
    return ", ".join(bits) or "any state"


def _pod_check(chk: PodCheck, result: dict, deadline: float) -> Outcome:
    label = f"pod {chk.pod}" if chk.namespace == "default" else f"pod {chk.namespace}/{chk.pod}"
    pod = find_pod(result, chk.namespace, chk.pod)
    if not chk.exists:
        if pod is None:
            return Outcome(True)
        return Outcome(False, f"{label}: exists, expected no such pod", True)
    problems: list[str] = []
    decided = False
    if pod is None:
        names = sorted({p.get("name") for p in result.get("pods", []) if p.get("namespace", "default") == chk.namespace})
        return Outcome(False, f"{label}: not found (pods: {', '.join(names) if names else 'none'})")
    problems = pod_state_problems(chk, pod)
    obj = f"Pod/{chk.namespace}/{chk.pod}"
    start = float(chk.from_ or 0.0)
    ever_ok = True
    if chk.ever is not None or chk.never is not None:
        rows = _rows(result, obj, start, deadline)
        if chk.ever is not None:
            if not any(_row_matches(r, chk.ever) for r in rows):
                ever_ok = False
                seen = []
                for r in rows:
                    s = r.get("status")
                    if s and s not in seen:
                        seen.append(s)
                window = f" between {t(start)} and {t(deadline)}" if start else f" by {t(deadline)}"
                problems.append(f"never had {_describe_row_match(chk.ever)}{window}"
                                + (f" (statuses seen: {', '.join(seen)})" if seen else ""))
        if chk.never is not None:
            bad = [r for r in rows if _row_matches(r, chk.never)]
            if bad:
                decided = True
                problems.append(f"had {_describe_row_match(chk.never)} at {t(max(start, float(bad[0].get('time', 0))))}")
    if problems:
        return Outcome(False, f"{label}: " + ", ".join(problems) + pod_context(pod), decided)
    # `ever` satisfied and nothing else asked: it cannot become false again
    only_ever = chk.ever is not None and all(getattr(chk, k) in (None, ()) for k in (
        "phase", "status", "ready", "restarts", "node", "deleted", "conditions", "never")) and \
        not chk.containers and not chk.init_containers
    return Outcome(True, "", only_ever and ever_ok)


def _pods_check(chk: PodsCheck, result: dict, deadline: float) -> Outcome:
    label = f"pods {chk.pods}" if chk.namespace == "default" else f"pods {chk.namespace}/{chk.pods}"
    pods = [p for p in result.get("pods", [])
            if p.get("namespace", "default") == chk.namespace and fnmatchcase(p.get("name", ""), chk.pods)]
    if not (chk.include_deleted or chk.deleted is True):
        pods = [p for p in pods if not p.get("deleted")]
    reasons: list[str] = []
    state_keys = any(getattr(chk, k) not in (None, ()) for k in (
        "phase", "status", "ready", "restarts", "node", "deleted", "conditions", "containers", "init_containers"))
    failing = [(p, pod_state_problems(chk, p)) for p in pods]
    ok = [p for p, probs in failing if not probs]
    bad = [(p, probs) for p, probs in failing if probs]
    if chk.count is not None:
        if not chk.count.ok(len(ok)):
            filters = _describe_filters(chk)
            text = (f"{label}{' with ' + filters if filters else ''}: {len(ok)} "
                    f"{'match' if state_keys else 'found'}, expected {chk.count.describe()}")
            if bad and chk.count.min is not None and len(ok) < chk.count.min:
                p, probs = bad[0]
                text += f" (pod {p.get('name')}: {', '.join(probs)}{pod_context(p)})"
            reasons.append(text)
    elif chk.max_alive is None and chk.min_ready is None or state_keys:
        if not pods:
            reasons.append(f"{label}: none found")
        elif bad:
            p, probs = bad[0]
            more = f" (and {len(bad) - 1} more)" if len(bad) > 1 else ""
            reasons.append(f"{label}: pod {p.get('name')}: {', '.join(probs)}{pod_context(p)}{more}")
    if chk.max_alive is not None or chk.min_ready is not None:
        start = float(chk.from_ or 0.0)
        mx, mx_t, mn, mn_t = _alive_extremes(result, chk.namespace, chk.pods, start, deadline)
        if chk.max_alive is not None:
            if not chk.max_alive.ok(mx):
                reasons.append(f"{label}: {mx} alive at once at {t(mx_t)}, expected {chk.max_alive.describe()}")
        if chk.min_ready is not None:
            if not chk.min_ready.ok(mn):
                reasons.append(f"{label}: {mn} ready at {t(mn_t)}, expected {chk.min_ready.describe()} at every moment")
    if reasons:
        return Outcome(False, "; ".join(reasons))
    return Outcome(True)


def _describe_filters(chk: PodsCheck) -> str:
    bits = []
    for key in ("phase", "status", "ready"):
        v = getattr(chk, key)
        if v is not None:
            bits.append(f"{key} {v.describe()}")
    if chk.restarts is not None:
        bits.append(f"restarts {chk.restarts.describe()}")
    if chk.node is not None:
        bits.append("no node" if chk.node == "" else ("a node" if chk.node == "any" else f"node {chk.node}"))
    if chk.deleted is not None:
        bits.append("deleted" if chk.deleted else "not deleted")
    if chk.conditions:
        bits.extend(f"{k}={v}" for k, v in chk.conditions.items())
    if chk.containers or chk.init_containers:
        bits.append("the container checks")
    return ", ".join(bits)


def _alive_extremes(result: dict, namespace: str, glob: str, start: float, deadline: float
                    ) -> tuple[int, float, int, float]:
    """(max alive, when, min fully-ready, when) over the timeline window."""
    prefix = f"Pod/{namespace}/"
    rows = [r for r in result.get("timeline", [])
            if str(r.get("object", "")).startswith(prefix)
            and fnmatchcase(str(r["object"])[len(prefix):], glob) and float(r.get("time", 0)) <= deadline]
    rows.sort(key=lambda r: float(r.get("time", 0)))
    state: dict[str, dict] = {}
    mx, mx_t, mn, mn_t = -1, start, None, start

    def measure(now: float) -> None:
        nonlocal mx, mx_t, mn, mn_t
        alive = [r for r in state.values() if not r.get("deleted") and r.get("status") != "Terminating"]
        ready = sum(1 for r in state.values() if not r.get("deleted") and _fully_ready(r.get("ready")))
        if len(alive) > mx:
            mx, mx_t = len(alive), now
        if mn is None or ready < mn:
            mn, mn_t = ready, now

    i = 0
    while i < len(rows) and float(rows[i].get("time", 0)) <= start:
        state[rows[i]["object"]] = rows[i]
        i += 1
    measure(start)
    while i < len(rows):
        now = float(rows[i].get("time", 0))
        while i < len(rows) and float(rows[i].get("time", 0)) == now:
            state[rows[i]["object"]] = rows[i]
            i += 1
        measure(now)
    return max(mx, 0), mx_t, mn or 0, mn_t


def _fully_ready(ready: Any) -> bool:
    try:
        a, b = str(ready).split("/")
        return int(b) > 0 and int(a) == int(b)
    except ValueError:
        return False


# ---------------------------------------------------------------------------------------------
# events, deployments, replica sets, scheduler
def _norm_object(obj: str) -> str:
    parts = obj.split("/")
    if len(parts) == 2:
        return f"{parts[0]}/default/{parts[1]}"
    return obj


def _events_check(chk: EventsCheck, result: dict) -> Outcome:
    m = chk.events
    want_obj = _norm_object(m.object) if m.object else None
    n = 0
    first = None
    for e in result.get("events", []):
        if m.reason is not None and not m.reason.ok(e.get("reason")):
            continue
        if m.type is not None and not m.type.ok(e.get("type")):
            continue
        if want_obj is not None and not fnmatchcase(str(e.get("object", "")), want_obj):
            continue
        if m.message_contains is not None and m.message_contains not in str(e.get("message", "")):
            continue
        # One row per occurrence: `count` on a row is the running total of the aggregated
        # Event (EventCorrelator), so summing it would count occurrence k k times.
        n += 1
        first = first or e
    if chk.count.ok(n):
        return Outcome(True)
    bits = []
    if m.reason is not None:
        bits.append(f"reason={m.reason.describe()}")
    if m.type is not None:
        bits.append(f"type={m.type.describe()}")
    if want_obj is not None:
        bits.append(f"object={want_obj}")
    if m.message_contains is not None:
        bits.append(f"message containing {m.message_contains!r}")
    text = f"events {' '.join(bits) or '(any)'}: {n} occurrence{'s' if n != 1 else ''}, expected {chk.count.describe()}"
    if first is not None and chk.count.max is not None and n > chk.count.max:
        text += f" — first at {t(float(first.get('time', 0)))}: {first.get('message', '')}"
    # too many events can never become fewer
    return Outcome(False, text, decided=chk.count.max is not None and n > chk.count.max)


def _counts(label: str, obj: dict, chk: Any, keys: tuple[str, ...]) -> list[str]:
    out = []
    for k in keys:
        want = getattr(chk, k)
        if want is not None:
            m = cmp_count(k, int(obj.get(k) or 0), want)
            if m:
                out.append(m)
    return out


def _deployment_check(chk: DeploymentCheck, result: dict) -> Outcome:
    label = f"deployment {chk.deployment}"
    found = [d for d in result.get("deployments", [])
             if d.get("name") == chk.deployment and d.get("namespace", "default") == chk.namespace]
    if not chk.exists:
        return Outcome(True) if not found else Outcome(False, f"{label}: exists, expected no such deployment")
    if not found:
        return Outcome(False, f"{label}: not found")
    d = found[-1]
    problems = _counts(label, d, chk, ("replicas", "updated", "ready", "available", "revision"))
    problems += _conditions_mismatch(d.get("conditions"), chk.conditions)
    if problems:
        return Outcome(False, f"{label}: " + ", ".join(problems))
    return Outcome(True)


def _replicasets_check(chk: ReplicaSetsCheck, result: dict) -> Outcome:
    label = f"replica sets {chk.replica_sets}"
    rss = [r for r in result.get("replicaSets", [])
           if r.get("namespace", "default") == chk.namespace and fnmatchcase(r.get("name", ""), chk.replica_sets)]
    checked = [(r, _counts("", r, chk, ("desired", "current", "ready", "revision"))) for r in rss]
    ok = [r for r, p in checked if not p]
    if chk.count is not None:
        if not chk.count.ok(len(ok)):
            return Outcome(False, f"{label}: {len(ok)} match, expected {chk.count.describe()}")
        return Outcome(True)
    if not rss:
        return Outcome(False, f"{label}: none found")
    bad = [(r, p) for r, p in checked if p]
    if bad:
        r, p = bad[0]
        return Outcome(False, f"{label}: replica set {r.get('name')}: {', '.join(p)}")
    return Outcome(True)


def _scheduler_check(chk: SchedulerCheck, result: dict) -> Outcome:
    label = f"pod {chk.scheduler}"
    obj = f"Pod/{chk.namespace}/{chk.scheduler}"
    evs = [e for e in result.get("events", [])
           if e.get("object") == obj and e.get("reason") in ("Scheduled", "FailedScheduling")]
    if not evs:
        return Outcome(False, f"{label}: no scheduling decision yet (no Scheduled or FailedScheduling event)")
    last = max(enumerate(evs), key=lambda ie: (float(ie[1].get("time", 0)), ie[0]))[1]
    outcome = "scheduled" if last.get("reason") == "Scheduled" else "unschedulable"
    msg = str(last.get("message", ""))
    problems = []
    if chk.outcome is not None and outcome != chk.outcome:
        problems.append(f"{outcome}, expected {chk.outcome}" + (f": {msg}" if msg else ""))
    if chk.node is not None:
        pod = find_pod(result, chk.namespace, chk.scheduler)
        node = pod.get("node") if pod else None
        if node is None and outcome == "scheduled":
            node = msg.rsplit(" to ", 1)[-1] if " to " in msg else None
        if node != chk.node:
            problems.append(f"on node {node}, expected {chk.node}" if node else
                            f"not scheduled, expected on node {chk.node}" + (f": {msg}" if msg and not problems else ""))
    if chk.message_contains is not None and chk.message_contains not in msg:
        problems.append(f"scheduler message does not contain {chk.message_contains!r}: {msg!r}")
    if problems:
        return Outcome(False, f"{label}: " + ", ".join(problems))
    return Outcome(True)
