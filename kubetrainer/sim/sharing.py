"""Structural sharing: equal parts of different pods held as one object (issue #5: 150,000 pods in
2 GiB; docs/dev/perf3.md).

The rule that makes it safe: a shared part is never changed in place. Code that changes a pod
replaces the part (apiserver update/apply deep-copy, kubectl label/annotate build new maps,
set_condition copies a condition, the kubectl `set` verbs copy a Pod's spec first).
tests/conftest.py checks after every test that no part shared by share_pod_parts changed.
"""

from __future__ import annotations

from typing import Any

Obj = dict[str, Any]


def same_tree(a: Any, b: Any) -> bool:
    """a == b, and also the same types (1 is not 1.0 or True) and the same key order (what
    the YAML and JSON outputs show)."""
    if a is b:
        return True
    t = type(a)
    if t is not type(b):
        return False
    if t is dict:
        return len(a) == len(b) and all(ka == kb and same_tree(va, vb)
                                        for (ka, va), (kb, vb) in zip(a.items(), b.items()))
    if t is list:
        return len(a) == len(b) and all(same_tree(x, y) for x, y in zip(a, b))
    return bool(a == b)


def share_pod_parts(pod: Obj, shared: dict[str, Any]) -> None:
    """Let a new pod hold the very objects of the previous pod where they are the same: the spec's
    lists and maps (containers, tolerations, securityContext, volumes, ...) and the labels,
    annotations and ownerReferences. The pods a controller creates in a row come from one
    template: a 150,000-pod cluster keeps ~2 KB per pod less. `shared` keeps one value
    per field, so it never grows. Safe because these parts of a stored pod are never changed in
    place: updates replace them (update, apply, kubectl label/annotate, adoption, garbage
    collection) and the kubectl `set` verbs copy a pod's spec before changing it. (tests/conftest.py
    checks this on every test.)"""
    spec, meta = pod.get("spec"), pod.get("metadata")
    if isinstance(spec, dict):
        _share_fields(spec, spec, "spec.", shared)
    if isinstance(meta, dict):
        _share_fields(meta, ("labels", "annotations", "ownerReferences"), "metadata.", shared)


def _share_fields(d: Obj, fields: Any, prefix: str, shared: dict[str, Any]) -> None:
    for k in fields:
        v = d.get(k)
        if (type(v) is dict or type(v) is list) and v:
            prev = shared.get(prefix + k)
            if prev is not None and prev is not v and prev == v and same_tree(prev, v):
                d[k] = prev
            else:
                shared[prefix + k] = v


SHARED_MAX = 4_096   # distinct values remembered (a Deployment's pods have ~15); then start again


def _key(v: Any) -> Any:
    """A hashable key equal for equal JSON-like values of the same types and key order."""
    t = type(v)
    if t is dict:
        return (dict, tuple((k, _key(x)) for k, x in v.items()))
    if t is list:
        return (list, tuple(_key(x) for x in v))
    return (t, v)   # 1, 1.0 and True are equal in Python, not in the YAML and JSON outputs


def share_dict(d: Obj, shared: dict[Any, Obj]) -> Obj:
    """An equal dict seen before (from `shared`), else `d` (remembered). For status parts every pod
    of a Deployment has alike (conditions, container states): shared objects instead of one per
    pod. Callers never change a shared dict in place."""
    try:
        key = _key(d)
        out = shared.setdefault(key, d)
    except TypeError:   # an unhashable value (not written by the engine): kept as it is
        return d
    if len(shared) > SHARED_MAX:   # long runs: new times keep coming; the old ones stay shared
        shared.clear()
    return out


def share_conditions(conds: list[Obj], shared: dict[Any, Obj]) -> list[Obj]:
    """The same list with each condition replaced by an equal one seen before (share_dict).

    Pods of a Deployment have the same few conditions (type, status, time): 150,000 pods hold ~10
    distinct ones instead of 750,000 dicts (~1.4 KB per pod). Safe because condition dicts are
    never changed in place (set_condition and the scheduler's set_pod_condition copy)."""
    return [share_dict(c, shared) for c in conds]
