"""Kubernetes Events as components record them (client-go tools/record).

Each occurrence is kept (with its time) so the JSON result can show when things happened; the
EventCorrelator's aggregation is reproduced as the running `count` of identical events
(same object, type, reason, message, source), which is what `kubectl describe` shows as
"(x5 over 2m)".
"""

from __future__ import annotations

import sys
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
    uid: str = ""    # the involved object's uid: a re-created pod of the same name is another object

    def to_json(self) -> dict[str, Any]:
        return {"time": self.time, "type": self.type, "reason": self.reason, "object": self.object,
                "message": self.message, "count": self.count}


def object_ref(obj: dict[str, Any]) -> str:
    meta = obj["metadata"]
    return f"{obj['kind']}/{meta.get('namespace', '')}/{meta['name']}"


COMBINED = "(combined from similar events): "   # EventAggregatorByReasonMessageFunc
AGGREGATE_MAX_EVENTS = 10                        # defaultAggregateMaxEvents
AGGREGATE_INTERVAL = 600.0                       # defaultAggregateIntervalInSeconds


def series_key(e: Event) -> tuple[str, str, str, str, str, str]:
    """The Event object an occurrence belongs to (what kubectl lists once, with its count): the
    combined similar events of one object (uid)/type/reason/source are one series."""
    msg = COMBINED if e.message.startswith(COMBINED) else e.message
    return (e.object, e.uid, e.type, e.reason, msg, e.source)


@attrs.define(slots=True)
class Series:
    """One Event object as kubectl shows it: its first and last occurrence, its count, and the
    latest occurrence (whose message a combined series shows)."""

    first: float
    last: float
    count: int
    event: Event


def series(events: Any) -> list[Series]:
    """The occurrences grouped by series_key, one row per Event object, ordered by last occurrence
    (stable: ties keep the first-seen order), as `kubectl describe` (describe.go DescribeEvents)
    and `kubectl get events` list them; events_cache.go eventObserve patches the message, count and
    lastTimestamp of a combined series, so its row shows the latest one."""
    agg: dict[tuple, Series] = {}
    for e in events:
        k = series_key(e)
        a = agg.get(k)
        if a is None:
            agg[k] = Series(float(e.first_time), float(e.time), int(e.count), e)
        else:
            a.last, a.count, a.event = float(e.time), int(e.count), e
    return sorted(agg.values(), key=lambda a: a.last)


def describe_age(now: float, s: Series) -> str:
    """kubectl describe's Age column: `12s`, or `12s (x5 over 2m)` for a repeated event."""
    from kubetrainer.durations import format_duration

    when = format_duration(now - s.last)
    if s.count > 1:
        when = f"{when} (x{s.count} over {format_duration(now - s.first)})"
    return when


class _Similar:
    """An aggregateRecord with more than one distinct message: localKeys (in insertion order) and
    lastTimestamp."""

    __slots__ = ("messages", "last")

    def __init__(self, messages: dict[str, None], last: float) -> None:
        self.messages = messages
        self.last = last


class EventLog:
    """client-go tools/record events_cache.go EventCorrelator, without the spam filter:
    * EventAggregator: events that differ only in their message (same object, type, reason, source)
      seen with 10 distinct messages, each within 10 minutes of the previous one, are combined:
      from the 10th on the message becomes "(combined from similar events): <message>" and they
      count as ONE event (one series). Upstream drops an arbitrary message from the full set
      (sets.String.PopAny); here the oldest one, so the result is deterministic.
    * eventLogger: identical events increment the count of one series (`count`, `first_time`).
    (The EventSourceObjectSpamFilter, 25 events per object then 1 per 5 min, only decides which
    occurrences are written; the counts stay right, so it is not modelled.)"""

    def __init__(self) -> None:
        self.events: list[Event] = []
        # series key -> the last Event of that series (its count and first_time)
        self._counts: dict[tuple[str, str, str, str, str, str], Event] = {}
        # aggregate key -> the last Event (one distinct message so far) or a _Similar record
        self._similar: dict[tuple[str, str, str, str, str], Any] = {}
        self.listeners: list = []

    def _aggregate(self, now: float, akey: tuple[str, str, str, str, str], message: str) -> bool:
        """EventAggregate: True when this event is to be combined."""
        rec = self._similar.get(akey)
        if rec is None:
            return False
        if isinstance(rec, Event):
            if rec.message == message or now - rec.time > AGGREGATE_INTERVAL:
                return False
            # the single-message series was only kept here (see record): it now needs its own entry
            self._counts[akey[:4] + (rec.message, akey[4])] = rec
            rec = _Similar({rec.message: None}, rec.time)
            self._similar[akey] = rec
        if now - rec.last > AGGREGATE_INTERVAL:
            rec.messages = {}
        rec.messages[message] = None
        rec.last = now
        if len(rec.messages) < AGGREGATE_MAX_EVENTS:
            return False
        del rec.messages[next(iter(rec.messages))]
        return True

    def record(self, now: float, obj: dict[str, Any] | str, type_: str, reason: str, message: str,
               source: str) -> Event:
        ref = obj if isinstance(obj, str) else object_ref(obj)
        # one copy of each object ref and each message text that repeats ("Pulling image ...",
        # "Created container: x" on every pod of a Deployment); a message that names its object
        # ("Successfully assigned default/web-x to node-1", "Created pod: web-x") is one of a
        # kind, and interning it would only add an entry to the interpreter's table
        if type(ref) is str:
            ref = sys.intern(ref)
            if type(message) is str and ref[ref.rfind("/") + 1:] not in message:
                message = sys.intern(message)
        # the EventCorrelator aggregates per involved object (its uid: a re-created pod starts again at 1)
        uid = "" if isinstance(obj, str) else (obj.get("metadata") or {}).get("uid", "")
        akey = (ref, uid, type_, reason, source)
        if self._aggregate(now, akey, message):
            message = COMBINED + message
            k = (ref, uid, type_, reason, COMBINED, source)
        else:
            k = (ref, uid, type_, reason, message, source)
        rec = self._similar.get(akey)
        # while an aggregate key has seen one message, its last Event (in _similar) is also the last
        # of that series: the series is not stored twice (~1 KB per pod at scale). An older
        # series of that key is moved to _counts when a different message replaces it.
        if type(rec) is Event and rec.message == message:
            last = rec
        else:
            last = self._counts.get(k)
        if last is None:
            ev = Event(now, type_, reason, ref, message, source, 1, now, uid)
        else:
            if last.message == message:
                message = last.message   # a repeat (BackOff every restart): one copy of the text
            ev = Event(now, type_, reason, ref, message, source, last.count + 1, last.first_time, uid)
        if rec is None or type(rec) is Event:
            if rec is not None and rec.message != message:
                self._counts[akey[:4] + (rec.message, akey[4])] = rec
            self._similar[akey] = ev
        else:
            self._counts[k] = ev
        self.events.append(ev)
        for fn in self.listeners:
            fn(ev)
        return ev

    def for_object(self, ref: str, uid: str | None = None) -> list[Event]:
        """The occurrences of one object's events; with `uid`, of that object only (not of an
        earlier one of the same name), as describe's event search selects involvedObject.uid."""
        return [e for e in self.events if e.object == ref and (uid is None or e.uid == uid)]
