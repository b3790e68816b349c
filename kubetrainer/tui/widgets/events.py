"""Events panel: the events as `kubectl describe` lists them, filterable with `/`."""

from __future__ import annotations

from typing import Any

from rich.text import Text

from kubetrainer.durations import format_duration
from kubetrainer.tui.text import safe
from kubetrainer.tui.widgets.base import Panel, table_text


MAX_ROWS = 40


class Series:
    """One Event object as `kubectl describe` lists it: the latest occurrence of a series, with the
    series' count and the time of its first and last occurrence."""

    __slots__ = ("first", "last", "count", "event")

    def __init__(self, first: float, last: float, count: int, event: Any) -> None:
        self.first, self.last, self.count, self.event = first, last, count, event


def event_series(events: list[Any]) -> list[Series]:
    """The occurrences grouped into one row per series, in kubectl's order (by last occurrence).

    The same grouping as `kubetrainer.sim.kubectl.generic.events_table` (which `simulate` and
    `kubectl describe` print; describe.go DescribeEvents): keyed by
    `kubetrainer.sim.events.series_key` (object, type, reason, message, source; the
    "(combined from similar events): " messages of one object/type/reason/source are ONE series
    whose message is the latest one, as events_cache.go eventObserve patches it), showing the
    latest occurrence. events_table only returns text, so the grouping is repeated here;
    tests/tui/test_events.py checks both give the same rows."""
    from kubetrainer.sim.events import series_key

    agg: dict[tuple, Series] = {}
    for e in events:
        k = series_key(e)
        a = agg.get(k)
        if a is None:
            agg[k] = Series(float(getattr(e, "first_time", e.time)), float(e.time), int(getattr(e, "count", 1)), e)
        else:
            a.last, a.count, a.event = float(e.time), int(getattr(e, "count", 1)), e
    return sorted(agg.values(), key=lambda a: a.last)   # stable: ties keep the first-seen order


def describe_age(now: float, s: Series) -> str:
    """kubectl describe's Age column: `12s`, or `12s (x5 over 2m)` for a repeated event (describe.go)."""
    when = format_duration(now - s.last)
    if s.count > 1:
        when = f"{when} (x{s.count} over {format_duration(now - s.first)})"
    return when


class EventsPanel(Panel):
    follow = True
    has_head = True

    def render_head(self, session: Any):
        return getattr(self, "_head", Text(""))

    def __init__(self, *a: Any, **kw: Any) -> None:
        super().__init__(*a, **kw)
        self.filter = ""

    def render_body(self, session: Any):
        rows = event_series(session.events())
        f = self.filter.lower()
        if f:
            rows = [r for r in rows
                    if f in f"{r.event.object} {r.event.type} {r.event.reason} {r.event.message} "
                            f"{getattr(r.event, 'source', '')}".lower()]
        total = len(rows)
        rows = rows[-MAX_ROWS:]
        title = "Events" + (f"  (filter: {self.filter})" if self.filter else "") + \
            (f"  newest {len(rows)} of {total}" if total > len(rows) else f"  {total} shown") + "   / filter"
        if not rows:
            self._head = Text(title, style="bold")
            return Text("<none>", style="italic")
        wide = self.avail_width >= 110
        header = ["Type", "Reason", "Age"] + (["From"] if wide else []) + ["Object", "Message"]
        now = session.now
        body = []
        for r in rows:
            e = r.event
            warn = e.type == "Warning"
            cells = [Text(("✗ " if warn else "  ") + e.type, style="bold red" if warn else ""),
                     safe(e.reason, "bold"), Text(describe_age(now, r))]
            if wide:
                cells.append(safe(getattr(e, "source", "")))
            kind, _, rest = e.object.partition("/")
            ns, _, name = rest.partition("/")
            cells += [safe(name if kind == "Pod" else f"{kind.lower()}/{name}"), safe(e.message)]
            body.append(cells)
        caps = [9, 18, 22] + ([17] if wide else []) + [20 if wide else 14, 0]
        width = max(40, self.avail_width - 4)
        # a message column narrower than 30 is hard to read: messages then go below their row
        head, t = table_text(header, body, width, caps=caps, split=True, stack_below=30)
        self._head = Text(title + "\n", style="bold")
        self._head.append_text(head)
        return t
