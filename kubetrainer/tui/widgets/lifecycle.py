"""Lifecycle panel: per pod, the phase and container-state machines drawn from the engine's own
tables (kubetrainer.sim.machines) with the current state lit, and the pod's timeline."""

from __future__ import annotations

from typing import Any

from rich.console import Group
from rich.text import Text

from kubetrainer.tui.text import FAIL, fmt_time, safe
from kubetrainer.tui.widgets.base import Panel, table_text


def machine_line(label: str, states: list[str], transitions: list[dict[str, Any]], current: str | None,
                 edges: bool = True) -> Text:
    """`Phase  ○ Pending  ◉ Running  ○ Succeeded  ○ Failed   next: succeed→Succeeded, fail→Failed`."""
    t = Text()
    t.append(f"{label:<10}", style="bold")
    for s in states:
        if s == current:
            t.append(f"◉ {s}", style="bold reverse")
        else:
            t.append(f"○ {s}", style="dim")
        t.append("  ")
    if current is not None and edges:
        nxt = []
        for tr in transitions:
            src = tr["source"] if isinstance(tr["source"], list) else [tr["source"]]
            if current in src and tr["dest"] != current:
                nxt.append(f"{tr['trigger']}→{tr['dest']}")
        if nxt:
            t.append(" ⇢ " + ", ".join(nxt), style="dim italic")
    return t


class LifecyclePanel(Panel):
    """`[`/`]` choose the pod."""

    has_head = True
    follow = True

    def __init__(self, *a: Any, **kw: Any) -> None:
        super().__init__(*a, **kw)
        self.index = 0
        self._timeline: Any = Text("")

    def render_body(self, session: Any):
        self._headr = self._compute(session)
        return self._timeline

    def render_head(self, session: Any):
        return getattr(self, "_headr", Text(""))

    def _compute(self, session: Any):
        from kubetrainer.sim import machines

        data = machines.as_data()
        res = session.result() or {}
        pods = [p for p in res.get("pods", [])]
        if not pods:
            parts: list[Any] = [Text("No pods yet. The machines a pod goes through:", style="italic"),
                                machine_line("Phase", data["pod"]["states"], data["pod"]["transitions"], None),
                                machine_line("Container", data["container"]["states"],
                                             data["container"]["transitions"], None)]
            self._timeline = Text("")
            return Group(*parts)
        self.index %= len(pods)
        pod = pods[self.index]
        ref = f"Pod/{pod.get('namespace', 'default')}/{pod.get('name')}"
        head = Text()
        head.append(f"Pod {self.index + 1}/{len(pods)}  ", style="bold")
        head.append_text(safe(pod.get("name", "?"), "bold"))
        head.append("  ")
        head.append_text(safe(f"{pod.get('status', '')}  ready {pod.get('ready', '')}  "
                              f"restarts {pod.get('restarts', 0)}  node {pod.get('node') or '—'}"))
        if pod.get("deleted"):
            head.append("  deleted", style="bold red")
        head.append("  [ ]", style="dim")
        parts = [head, machine_line("Phase", data["pod"]["states"], data["pod"]["transitions"], pod.get("phase"),
                                   edges=self.avail_width >= 100)]
        for kind in ("initContainers", "containers"):
            for c in pod.get(kind, []) or []:
                state = str(c.get("state", "")).capitalize() or None
                label = ("init " if kind == "initContainers" else "") + str(c.get("name", ""))
                line = machine_line(label[:9], data["container"]["states"], data["container"]["transitions"], state,
                                    edges=self.avail_width >= 100)
                extra = []
                if c.get("reason"):
                    extra.append(str(c["reason"]))
                if c.get("exitCode") is not None:
                    extra.append(f"exit {c['exitCode']}")
                extra.append(f"restarts {c.get('restartCount', 0)}")
                ls = c.get("lastState") or {}
                if ls:
                    extra.append(f"last: {ls.get('state', '')} {ls.get('reason', '') or ''} "
                                 f"{'' if ls.get('exitCode') is None else 'exit ' + str(ls.get('exitCode'))}".rstrip())
                reasons = (data["container"].get("reasons") or {}).get(state or "", [])
                if reasons and self.avail_width >= 100:
                    # the reasons the engine's table allows in this state, the current one lit
                    line.append("\n" + " " * 10)
                    col, width = 10, self.avail_width - 6
                    for r in reasons:
                        lit = r == c.get("reason")
                        token = ("◉ " if lit else "○ ") + r
                        if col + len(token) + 1 > width:
                            line.append("\n" + " " * 10)
                            col = 10
                        line.append(token, style="bold reverse" if lit else "dim")
                        line.append(" ")
                        col += len(token) + 1
                line.append("\n" + " " * 10)
                line.append_text(safe("  ".join(extra), "italic"))
                line.no_wrap = False
                parts.append(line)
        # timeline: status changes from result().timeline and the pod's events, in time order
        rows: list[tuple[float, int, Text]] = []
        for i, r in enumerate(res.get("timeline", [])):
            if r.get("object") != ref:
                continue
            txt = safe(f"{r.get('phase', '')}/{r.get('status', '')}  ready {r.get('ready', '')}  "
                       f"restarts {r.get('restarts', 0)}  node {r.get('node') or '—'}"
                       + ("  deleted" if r.get("deleted") else ""))
            rows.append((float(r.get("time", 0.0)), i, txt))
        for j, e in enumerate(session.events()):
            if getattr(e, "object", None) != ref:
                continue
            txt = Text()
            warn = e.type == "Warning"   # ✗ as in the Events panel: the meaning is not in the colour only
            txt.append(f"{FAIL} {e.reason}" if warn else f"{e.reason}", style="bold red" if warn else "bold")
            txt.append(" ")
            txt.append_text(safe(e.message))
            rows.append((float(e.time), 100000 + j, txt))
        rows.sort(key=lambda r: (r[0], r[1]))
        rows = rows[-40:]
        table = Text()
        table.append("Timeline\n", style="bold")
        table.append_text(table_text(None, [[Text(fmt_time(t)), txt] for t, _, txt in rows],
                                     max(40, self.avail_width - 4), caps=[9, 0]))
        self._timeline = table
        return Group(*parts)
