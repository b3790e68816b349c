"""Objectives: each ticking live (✓ passed, ✗ failed with the reason, … not decided yet)."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.widgets import Static

from kubetrainer.tui.text import FAIL, OK, WAIT, fmt_time, safe


class ObjectiveList(Static):
    DEFAULT_CSS = """
    ObjectiveList { height: auto; padding: 0 1; }
    """

    def show(self, rows: list[dict[str, Any]], extra: list[Text] | None = None) -> None:
        t = Text()
        t.append("Objectives\n", style="bold underline")
        if not rows:
            t.append("(none: free play)\n", style="italic")
        for r in rows:
            state = r.get("state")
            if state is True:
                t.append(f"{OK} ", style="bold green")
            elif state is False:
                t.append(f"{FAIL} ", style="bold red")
            else:
                t.append(f"{WAIT} ", style="bold yellow")
            t.append_text(safe(r.get("description", "")))
            if state is None and r.get("live") is True:
                t.append("  ✓ so far", style="green")
            if r.get("deadline") is not None:
                t.append(f"  (by {fmt_time(r['deadline'])})", style="dim")
            if state is False and r.get("reason"):
                t.append("\n    ")
                t.append_text(safe(r["reason"], "italic"))
            elif state is None and r.get("reason"):
                t.append("\n    ")
                t.append_text(safe(r["reason"], "dim italic"))
            t.append("\n")
        for line in extra or []:
            t.append_text(line)
            t.append("\n")
        self.update(t)
