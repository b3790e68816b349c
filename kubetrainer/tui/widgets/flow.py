"""Flow panel: kubectl → API server → etcd → scheduler → kubelet → runtime, from Cluster.flow."""

from __future__ import annotations

from typing import Any

from rich.console import Group
from rich.text import Text

from kubetrainer.tui.text import fmt_time, safe
from kubetrainer.tui.widgets.base import Panel, table_text

# The seed's creation flow (pod-tutorial §二.2): the order in which the components take part.
# FlowStep.component names come from the engine; these are only their labels.
CREATION = (("kubectl", "kubectl"), ("apiserver", "API server"), ("etcd", "etcd"),
            ("scheduler", "scheduler"), ("kubelet", "kubelet"), ("runtime", "runtime"))


MAX_ROWS = 40   # the newest steps; a long run keeps every frame cheap


def _is_termination(step: Any) -> bool:
    a = f"{getattr(step, 'action', '')}".lower()
    return any(w in a for w in ("delete", "terminat", "prestop", "sigterm", "sigkill", "grace", "remove", "kill"))


class FlowPanel(Panel):
    """Each step lit in turn: ● done, ◉ the current step, ○ not yet. `[`/`]` walk the steps one by
    one (the chain lights up to the chosen step, with what it did); playing or `n` follows the newest."""

    follow = True
    has_head = True

    def __init__(self, *a: Any, **kw: Any) -> None:
        super().__init__(*a, **kw)
        self.cursor: int | None = None    # None: the newest step

    def move(self, delta: int, session: Any) -> None:
        n = len(session.flow())
        if not n:
            return
        cur = n - 1 if self.cursor is None else self.cursor
        cur = max(0, min(n - 1, cur + delta))
        self.cursor = None if cur == n - 1 else cur

    def _visible(self, session: Any) -> list[Any]:
        steps = session.flow()
        if self.cursor is not None and self.cursor < len(steps):
            return steps[: self.cursor + 1]
        self.cursor = None
        return steps

    def render_head(self, session: Any):
        steps = self._visible(session)
        creation, termination = self._split(steps)
        last = steps[-1] if steps else None
        done = {str(getattr(s, "component", "")) for s in creation}
        current = str(getattr(last, "component", "")) if last is not None and last in creation else None
        chain = Text()
        for i, (key, label) in enumerate(CREATION):
            if i:
                chain.append(" → ", style="dim")
            if key == current:
                chain.append(f"◉ {label}", style="bold reverse")
            elif key in done:
                chain.append(f"● {label}", style="bold green")
            else:
                chain.append(f"○ {label}", style="dim")
        cols = getattr(self, "_columns", None)
        if not termination:
            parts = [chain]
            if self.cursor is not None and last is not None:
                parts.append(self._now_line(last, len(steps), len(session.flow())))
            return Group(*parts, cols) if cols is not None else Group(*parts)
        t = Text()
        t.append("delete: ", style="bold")
        for i, s in enumerate(termination[-8:]):
            if i:
                t.append(" → ", style="dim")
            label = safe(getattr(s, "action", ""))
            label.stylize("bold reverse" if s is last else "bold red")
            t.append("◉ " if s is last else "● ")
            t.append_text(label)
        parts = [chain, t]
        if self.cursor is not None and last is not None:
            parts.append(self._now_line(last, len(steps), len(session.flow())))
        return Group(*parts, cols) if cols is not None else Group(*parts)

    @staticmethod
    def _now_line(step: Any, k: int, n: int) -> Text:
        t = Text()
        t.append(f"step {k}/{n}  ", style="bold")
        t.append_text(safe(f"{fmt_time(getattr(step, 'time', 0.0))}  {getattr(step, 'component', '')} "
                           f"{getattr(step, 'action', '')}  {getattr(step, 'detail', '')}"))
        t.append("   ] next · [ back", style="dim")
        return t

    @staticmethod
    def _split(steps: list[Any]) -> tuple[list[Any], list[Any]]:
        """Creation steps vs termination steps (per object: everything from its deletion on)."""
        deleting: set[str] = set()
        creation, termination = [], []
        for s in steps:
            obj = str(getattr(s, "object", ""))
            if _is_termination(s):
                deleting.add(obj)
            (termination if obj in deleting else creation).append(s)
        return creation, termination

    def render_body(self, session: Any):
        steps = self._visible(session)
        if not steps:
            self._columns = None
            return Text("Nothing has happened yet: submit your YAML (ctrl+s) to send it through the cluster.",
                        style="italic")
        parts: list[Any] = []
        last = steps[-1]
        rows, styles = [], []
        if len(steps) > MAX_ROWS:
            parts.append(Text(f"… {len(steps) - MAX_ROWS} earlier steps", style="dim italic"))
        for s in steps[-MAX_ROWS:]:
            mark = "◉ " if s is last else "  "
            rows.append([Text(mark + fmt_time(getattr(s, "time", 0.0))), safe(getattr(s, "component", "")),
                         safe(getattr(s, "action", "")), safe(getattr(s, "object", "")),
                         safe(getattr(s, "detail", ""))])
            styles.append("bold" if s is last else "")
        head, table = table_text(["  time", "component", "did", "object", "detail"], rows,
                                 max(40, self.avail_width - 4), caps=[9, 10, 10, 28, 0], row_styles=styles,
                                 split=True)
        self._columns = head
        parts.append(table)
        return Group(*parts)
