"""The time bar: play/pause, speed, virtual clock, next event."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.widgets import Static

from kubetrainer.tui.text import fmt_time


class TimeBar(Static):
    DEFAULT_CSS = """
    TimeBar { height: 1; padding: 0 1; background: $boost; }
    """

    def show(self, session: Any, playing: bool, speed: int) -> None:
        t = Text()
        if playing:
            t.append("▶ playing", style="bold green")
        else:
            t.append("‖ paused", style="bold yellow")
        t.append(f"  {speed}×", style="bold")
        t.append(f"  t={fmt_time(session.now)}", style="bold")
        until = getattr(session, "until", None) if getattr(session, "lesson", None) is not None else None
        if until is not None:
            t.append(f" of {fmt_time(until)}")
        nxt = session.next_time()
        t.append(f"  next {fmt_time(nxt) if nxt is not None else 'idle'}")
        t.append(f"  events {len(session.events())}", style="dim")
        if session.error:
            t.append("  ✗ ", style="bold red")
            t.append(session.error[:60])
        self.update(t)
