"""Events panel: the events as `kubectl describe` lists them, filterable with `/`."""

from __future__ import annotations

from typing import Any

from rich.text import Text

from kubetrainer.tui.text import safe
from kubetrainer.tui.widgets.base import Panel, table_text


MAX_ROWS = 40


def event_series(events: list[Any]) -> list[Any]:
    """One row per Event object, in kubectl's order: `kubetrainer.sim.events.series`, the grouping
    `simulate` and `kubectl describe` print (describe.go DescribeEvents), imported lazily."""
    from kubetrainer.sim.events import series

    return series(events)


def describe_age(now: float, s: Any) -> str:
    """kubectl describe's Age column (`kubetrainer.sim.events.describe_age`)."""
    from kubetrainer.sim.events import describe_age as age

    return age(now, s)


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
