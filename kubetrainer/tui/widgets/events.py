"""Events panel: the events as `kubectl describe` lists them, filterable with `/`."""

from __future__ import annotations

from typing import Any

from rich import box
from rich.table import Table
from rich.text import Text

from kubetrainer.durations import format_duration
from kubetrainer.tui.text import safe
from kubetrainer.tui.widgets.base import Panel


def describe_age(now: float, e: Any) -> str:
    """kubectl describe's Age column: `12s`, or `(x5 over 2m)` for repeated events (describe.go)."""
    last = format_duration(max(0.0, now - float(e.time)))
    if getattr(e, "count", 1) > 1:
        first = format_duration(max(0.0, now - float(getattr(e, "first_time", e.time))))
        return f"{last} (x{e.count} over {first})"
    return last


class EventsPanel(Panel):
    follow = True

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
        title = "Events" + (f"  (filter: {self.filter})" if self.filter else "") + f"  {len(rows)} shown   / filter"
        if not rows:
            return Text(title + "\n\n<none>", style="italic")
        t = Table(title=title, title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False,
                  expand=True)
        t.add_column("Type", no_wrap=True)
        t.add_column("Reason", no_wrap=True)
        t.add_column("Age", no_wrap=True)
        t.add_column("From", no_wrap=True, overflow="ellipsis", max_width=18)
        t.add_column("Object", no_wrap=True, overflow="ellipsis", max_width=22)
        t.add_column("Message", ratio=1, overflow="fold")
        now = session.now
        for e in rows:
            warn = e.type == "Warning"
            t.add_row(Text(("✗ " if warn else "  ") + e.type, style="bold red" if warn else ""),
                      safe(e.reason, "bold"), Text(describe_age(now, e)), safe(getattr(e, "source", "")),
                      safe(e.object.split("/", 1)[-1] if e.object.startswith("Pod/") else e.object),
                      safe(e.message))
        return t
