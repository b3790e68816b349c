"""Kubernetes Events as components record them (client-go tools/record).

Each occurrence is kept (with its time) so the JSON result can show when things happened; the
EventCorrelator's aggregation is reproduced as the running `count` of identical events
(same object, type, reason, message, source), which is what `kubectl describe` shows as
"(x5 over 2m)".
"""

from __future__ import annotations

from typing import Any

import attrs


@attrs.define(slots=True)
class Event:
    time: float
    type: str        # Normal | Warning
    reason: str
    object: str      # "Pod/default/web", "Deployment/default/web", "Node//node-1"
    message: str
    source: str      # "default-scheduler", "kubelet", "deployment-controller", ...
    count: int = 1
    first_time: float = 0.0

    def to_json(self) -> dict[str, Any]:
        return {"time": self.time, "type": self.type, "reason": self.reason, "object": self.object,
                "message": self.message, "count": self.count}


def object_ref(obj: dict[str, Any]) -> str:
    meta = obj["metadata"]
    return f"{obj['kind']}/{meta.get('namespace', '')}/{meta['name']}"


class EventLog:
    def __init__(self) -> None:
        self.events: list[Event] = []
        self._counts: dict[tuple[str, str, str, str, str, str], tuple[int, float]] = {}
        self.listeners: list = []

    def record(self, now: float, obj: dict[str, Any] | str, type_: str, reason: str, message: str,
               source: str) -> Event:
        ref = obj if isinstance(obj, str) else object_ref(obj)
        # the EventCorrelator aggregates per involved object (its uid: a re-created pod starts again at 1)
        uid = "" if isinstance(obj, str) else (obj.get("metadata") or {}).get("uid", "")
        k = (ref, uid, type_, reason, message, source)
        n, first = self._counts.get(k, (0, now))
        ev = Event(now, type_, reason, ref, message, source, n + 1, first)
        self._counts[k] = (n + 1, first)
        self.events.append(ev)
        for fn in self.listeners:
            fn(ev)
        return ev

    def for_object(self, ref: str) -> list[Event]:
        return [e for e in self.events if e.object == ref]
