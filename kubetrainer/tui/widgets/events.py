"""Events panel: the events as `kubectl describe` lists them, filterable with `/`."""

from __future__ import annotations

from typing import Any

from rich.text import Text

from kubetrainer.durations import format_duration
from kubetrainer.tui.text import safe
from kubetrainer.tui.widgets.base import Panel, table_text


MAX_ROWS = 40


def describe_age(now: float, e: Any) -> str:
    """kubectl describe's Age column: `12s`, or `(x5 over 2m)` for repeated events (describe.go)."""
    last = format_duration(max(0.0, now - float(e.time)))
    if getattr(e, "count", 1) > 1:
        first = format_duration(max(0.0, now - float(getattr(e, "first_time", e.time))))
        return f"{last} (x{e.count} over {first})"
    return last


class EventsPanel(Panel):
    follow = True
    has_head = True

    def render_head(self, session: Any):
        return getattr(self, "_head", Text(""))

    def __init__(self, *a: Any, **kw: Any) -> None:
        super().__init__(*a, **kw)
        self.filter = ""

    def render_body(self, session: Any):
        events = session.events()
        # repeated events: describe shows the latest occurrence with its count, once
        latest: dict[tuple, Any] = {}
        order: list[tuple] = []
        for e in events:
            k = (e.object, e.type, e.reason, e.message, getattr(e, "source", ""))
            if k not in latest:
                order.append(k)
            latest[k] = e
        rows = [latest[k] for k in order]
        rows.sort(key=lambda e: float(getattr(e, "first_time", e.time) if getattr(e, "count", 1) > 1 else e.time))
        f = self.filter.lower()
        if f:
            rows = [e for e in rows if f in f"{e.object} {e.type} {e.reason} {e.message} {getattr(e, 'source', '')}".lower()]
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
        for e in rows:
            warn = e.type == "Warning"
            cells = [Text(("✗ " if warn else "  ") + e.type, style="bold red" if warn else ""),
                     safe(e.reason, "bold"), Text(describe_age(now, e))]
            if wide:
                cells.append(safe(getattr(e, "source", "")))
            kind, _, rest = e.object.partition("/")
            ns, _, name = rest.partition("/")
            cells += [safe(name if kind == "Pod" else f"{kind.lower()}/{name}"), safe(e.message)]
            body.append(cells)
        caps = [9, 18, 22] + ([17] if wide else []) + [20 if wide else 14, 0]
        head, t = table_text(header, body, max(40, self.avail_width - 4), caps=caps, split=True)
        self._head = Text(title + "\n", style="bold")
        self._head.append_text(head)
        return t
