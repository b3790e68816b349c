"""Shared pieces of the controllers: work queues on the virtual clock, pod readiness/availability,
owner references, pod creation from templates, names and template hashes.

Sources (kubernetes/kubernetes):
* pkg/controller/controller_utils.go: FilterActivePods / IsPodActive, ActivePodsWithRanks,
  getPodsToDelete ranking, GetPodFromTemplate (labels, annotations, ownerReferences)
* pkg/api/v1/pod/util.go: IsPodReady, IsPodAvailable (minReadySeconds)
* pkg/controller/controller_utils.go ComputeHash (fnv32a + rand.SafeEncodeString)
* staging/src/k8s.io/apimachinery/pkg/util/rand/rand.go: alphanums, SafeEncodeString
"""

from __future__ import annotations

import copy
import json
import math
from functools import cmp_to_key
from typing import TYPE_CHECKING, Any, Callable, Iterable

if TYPE_CHECKING:
    from kubetrainer.sim.cluster import Cluster

Obj = dict[str, Any]

ALPHANUMS = "bcdfghjklmnpqrstvwxz2456789"


# -- apiserver access ------------------------------------------------------------------------------
def apiserver(cluster: "Cluster") -> Any:
    api = getattr(cluster, "apiserver", None)
    if api is None:  # tests that build a bare Cluster before the kubelet helper's wiring lands
        from kubetrainer.sim.apiserver import ApiServer

        api = ApiServer(cluster)
        cluster.apiserver = api
    return api


# -- selectors ---------------------------------------------------------------------------------------
def selector_matches(selector: Obj | None, labels: Obj | None) -> bool:
    if selector is not None and not selector.get("matchExpressions"):
        labels = labels or {}
        for k, v in (selector.get("matchLabels") or {}).items():
            if labels.get(k) != v:
                return False
        return True
    from kubetrainer.api.selectors import label_selector_matches

    return label_selector_matches(selector, labels)


def selector_string(selector: Obj | None) -> str:
    """metav1.FormatLabelSelector: 'app=web,tier in (a,b)'; '<none>' for an empty selector."""
    if selector is None:
        return "<none>"
    parts = [f"{k}={v}" for k, v in sorted((selector.get("matchLabels") or {}).items())]
    for req in selector.get("matchExpressions") or []:
        op = req.get("operator")
        key = req.get("key")
        vals = ",".join(sorted(str(v) for v in req.get("values") or []))
        if op == "In":
            parts.append(f"{key} in ({vals})")
        elif op == "NotIn":
            parts.append(f"{key} notin ({vals})")
        elif op == "Exists":
            parts.append(key)
        elif op == "DoesNotExist":
            parts.append(f"!{key}")
    s = ",".join(parts)
    return s or "<none>"


def labels_string(labels: Obj | None) -> str:
    if not labels:
        return "<none>"
    return ",".join(f"{k}={v}" for k, v in sorted(labels.items()))


# -- owner references -------------------------------------------------------------------------------
def controller_ref(obj: Obj) -> Obj | None:
    for ref in (obj.get("metadata") or {}).get("ownerReferences") or ():
        if ref.get("controller"):
            return ref
    return None


def make_controller_ref(owner: Obj) -> Obj:
    return {"apiVersion": owner.get("apiVersion", "apps/v1"), "kind": owner["kind"],
            "name": owner["metadata"]["name"], "uid": owner["metadata"]["uid"],
            "controller": True, "blockOwnerDeletion": True}


# -- pods ----------------------------------------------------------------------------------------------
def _cond(pod: Obj, ctype: str) -> Obj | None:
    for c in (pod.get("status") or {}).get("conditions") or ():
        if c.get("type") == ctype:
            return c
    return None


def is_pod_active(pod: Obj) -> bool:
    """controller.IsPodActive: not Succeeded/Failed and no deletionTimestamp."""
    phase = (pod.get("status") or {}).get("phase")
    return phase not in ("Succeeded", "Failed") and pod["metadata"].get("deletionTimestamp") is None


def is_pod_ready(pod: Obj) -> bool:
    c = _cond(pod, "Ready")
    return c is not None and c.get("status") == "True"


def ts(v: Any) -> float:
    """A timestamp as virtual seconds (the engine stores floats)."""
    if v is None:
        return 0.0
    if isinstance(v, (int, float)):
        return float(v)
    try:
        return float(v)
    except (TypeError, ValueError):
        return 0.0


def pod_ready_time(pod: Obj) -> float | None:
    c = _cond(pod, "Ready")
    if c is None or c.get("status") != "True":
        return None
    return ts(c.get("lastTransitionTime"))


def available_at(pod: Obj, min_ready: int) -> float | None:
    """The virtual time the pod becomes available (None if not ready)."""
    t = pod_ready_time(pod)
    if t is None:
        return None
    return t + (min_ready or 0)


def is_pod_available(pod: Obj, min_ready: int, now: float) -> bool:
    """podutil.IsPodAvailable: Ready, and Ready for at least minReadySeconds.

    Upstream compares `lastTransitionTime + minReadySeconds` strictly Before(now) and relies on the
    requeue landing a little later; on the virtual clock the requeue lands exactly at that time, so
    the instant itself counts as available."""
    t = pod_ready_time(pod)
    if t is None:
        return False
    return not min_ready or t + min_ready <= now + 1e-9


def max_container_restarts(pod: Obj) -> int:
    m = 0
    for cs in (pod.get("status") or {}).get("containerStatuses") or ():
        m = max(m, int(cs.get("restartCount") or 0))
    return m


_PHASE_ORDINAL = {"Pending": 0, "Unknown": 1, "Running": 2}


def _log_rank(t: float, now: float) -> int:
    d = (now - t) * 1e9  # Go durations are nanoseconds
    return int(math.log2(d)) if d > 0 else -1


def _deletion_cost(pod: Obj) -> int:
    v = ((pod["metadata"].get("annotations") or {}).get("controller.kubernetes.io/pod-deletion-cost"))
    try:
        return int(v) if v is not None else 0
    except ValueError:
        return 0


def rank_pods_for_deletion(pods: list[Obj], related: Iterable[Obj], now: float) -> list[Obj]:
    """controller.getPodsRankedByRelatedPodsOnSameNode + sort.Sort(ActivePodsWithRanks):
    the pods a controller deletes first come first (LogarithmicScaleDown, GA)."""
    on_node: dict[str, int] = {}
    for p in related:
        if is_pod_active(p):
            n = p["spec"].get("nodeName") or ""
            on_node[n] = on_node.get(n, 0) + 1
    rank = {id(p): on_node.get(p["spec"].get("nodeName") or "", 0) for p in pods}

    def less(a: Obj, b: Obj) -> int:
        na, nb = a["spec"].get("nodeName") or "", b["spec"].get("nodeName") or ""
        # 1. unassigned < assigned
        if na != nb and (not na or not nb):
            return -1 if not na else 1
        # 2. Pending < Unknown < Running
        pa = _PHASE_ORDINAL.get((a.get("status") or {}).get("phase"), 0)
        pb = _PHASE_ORDINAL.get((b.get("status") or {}).get("phase"), 0)
        if pa != pb:
            return -1 if pa < pb else 1
        # 3. not ready < ready
        ra, rb = is_pod_ready(a), is_pod_ready(b)
        if ra != rb:
            return -1 if not ra else 1
        # 4. lower pod-deletion-cost < higher
        ca, cb = _deletion_cost(a), _deletion_cost(b)
        if ca != cb:
            return -1 if ca < cb else 1
        # 5. doubled up < not doubled up
        if rank[id(a)] != rank[id(b)]:
            return -1 if rank[id(a)] > rank[id(b)] else 1
        # 6. been ready for less time < more time (logarithmic buckets, then UID)
        if ra and rb:
            ta, tb = pod_ready_time(a), pod_ready_time(b)
            if ta != tb:
                d = _log_rank(ta, now) - _log_rank(tb, now)
                if d == 0:
                    return -1 if a["metadata"].get("uid", "") < b["metadata"].get("uid", "") else 1
                return -1 if d < 0 else 1
        # 7. higher restart counts first
        xa, xb = max_container_restarts(a), max_container_restarts(b)
        if xa != xb:
            return -1 if xa > xb else 1
        # 8. newer pods before older pods (logarithmic buckets, then UID)
        ta, tb = ts(a["metadata"].get("creationTimestamp")), ts(b["metadata"].get("creationTimestamp"))
        if ta != tb:
            d = _log_rank(ta, now) - _log_rank(tb, now)
            if d == 0:
                return -1 if a["metadata"].get("uid", "") < b["metadata"].get("uid", "") else 1
            return -1 if d < 0 else 1
        return 0

    return sorted(pods, key=cmp_to_key(less))


def pod_from_template(template: Obj, owner: Obj, name: str | None = None,
                      generate_name: str | None = None, copy_spec: bool = True) -> Obj:
    """controller.GetPodFromTemplate: labels, annotations (minus none), finalizers, spec, ownerRef.
    copy_spec=False shares the template's spec: only for a pod handed straight to apiserver.create,
    which stores a defaulted deep copy (kubetrainer.api.defaults.default_object)."""
    tmeta = template.get("metadata") or {}
    meta: Obj = {"namespace": owner["metadata"].get("namespace") or "default",
                 "labels": dict(tmeta.get("labels") or {}),
                 "ownerReferences": [make_controller_ref(owner)]}
    if tmeta.get("annotations"):
        meta["annotations"] = dict(tmeta["annotations"])
    if name:
        meta["name"] = name
    else:
        meta["generateName"] = generate_name or (owner["metadata"]["name"] + "-")
    return {"apiVersion": "v1", "kind": "Pod", "metadata": meta,
            "spec": copy.deepcopy(template.get("spec") or {}) if copy_spec else (template.get("spec") or {})}


# -- names / hashes --------------------------------------------------------------------------------------
def safe_encode_string(s: str) -> str:
    """rand.SafeEncodeString: each byte mapped onto alphanums."""
    return "".join(ALPHANUMS[b % len(ALPHANUMS)] for b in s.encode())


def fnv32a(data: bytes) -> int:
    h = 0x811C9DC5
    for b in data:
        h ^= b
        h = (h * 0x01000193) & 0xFFFFFFFF
    return h


def compute_hash(template: Obj, collision_count: int | None = None) -> str:
    """controller.ComputeHash: fnv32a over the template, then SafeEncodeString(fmt.Sprint(hash)).

    Upstream feeds the template through spew (DeepHashObject); we feed a canonical JSON text, so the
    hash has the same shape (e.g. "5d9c7b8f4c"-like, from bcdf456789 only) and is deterministic, but
    is not bit-identical to the one a real cluster would print."""
    text = json.dumps(template or {}, sort_keys=True, separators=(",", ":"), default=str)
    if collision_count:
        text += f"#{collision_count}"
    return safe_encode_string(str(fnv32a(text.encode())))


# -- work queue ---------------------------------------------------------------------------------------------
RATE_LIMIT_BASE = 0.005   # ItemExponentialFailureRateLimiter(5*time.Millisecond, 1000*time.Second)
RATE_LIMIT_MAX = 1000.0
FORBIDDEN_PREFIX = "Error from server (Forbidden): "


def api_error_text(err: Exception) -> str:
    """The error as a controller sees it (StatusError.Error(): the status message, without kubectl's
    'Error from server (Forbidden): ' prefix), for 'Error creating: %v' events and conditions."""
    s = str(err)
    return s[len(FORBIDDEN_PREFIX):] if s.startswith(FORBIDDEN_PREFIX) else s


def slow_start_batch(count: int, fn: Callable[[], str | None]) -> tuple[int, str | None]:
    """controller_utils.go slowStartBatch (SlowStartInitialBatchSize = 1): call fn in batches of 1, 2,
    4, ...; every call of a batch runs (upstream in parallel goroutines); after a batch with an error
    no further batch starts. fn returns None or an error text. Returns (successes, first error)."""
    successes = 0
    remaining = count
    batch = min(remaining, 1)
    while batch > 0:
        err = None
        for _ in range(batch):
            e = fn()
            if e is None:
                successes += 1
            elif err is None:
                err = e
        if err is not None:
            return successes, err
        remaining -= batch
        batch = min(2 * batch, remaining)
    return successes, None


class WorkQueue:
    """A deduplicating work queue on the virtual clock (client-go workqueue without rate limits):
    keys added at one instant are synced once, in the order they were first added."""

    def __init__(self, cluster: "Cluster", sync: Callable[[Any], None], label: str,
                 order: Callable[[list[Any]], list[Any]] | None = None) -> None:
        self.clock = cluster.clock
        self.sync = sync
        self.label = label
        self.order = order
        self.pending: dict[Any, None] = {}
        self.scheduled = False
        self.delayed: dict[Any, float] = {}
        self.failures: dict[Any, int] = {}

    def add(self, key: Any) -> None:
        self.pending[key] = None
        if not self.scheduled:
            self.scheduled = True
            self.clock.soon(self._run, label=self.label)

    def add_at(self, key: Any, t: float) -> None:
        """AddAfter, deduplicated: only the earliest pending wake-up per key is kept."""
        cur = self.delayed.get(key)
        if cur is not None and cur <= t and cur >= self.clock.now:
            return
        self.delayed[key] = t
        self.clock.at(t, self._wake, key, t, label=self.label)

    def add_rate_limited(self, key: Any) -> None:
        """AddRateLimited with DefaultTypedControllerRateLimiter's per-item exponential back-off
        (client-go util/workqueue/default_rate_limiters.go: 5 ms * 2^failures, at most 1000 s)."""
        n = self.failures.get(key, 0)
        self.failures[key] = n + 1
        self.add_at(key, self.clock.now + min(RATE_LIMIT_BASE * 2 ** n, RATE_LIMIT_MAX))

    def forget(self, key: Any) -> None:
        """Forget: the sync succeeded; the next failure starts the back-off again at 5 ms."""
        self.failures.pop(key, None)

    def _wake(self, key: Any, t: float) -> None:
        if self.delayed.get(key) == t:
            del self.delayed[key]
        self.add(key)

    def _run(self) -> None:
        self.scheduled = False
        keys = list(self.pending)
        self.pending.clear()
        if self.order is not None:
            keys = self.order(keys)
        for k in keys:
            self.sync(k)
