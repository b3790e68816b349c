"""Scheduler panel: the scheduler's own record of each attempt (filters per node and plugin,
scores with weights and totals, the chosen node, the FailedScheduling message, why pending)."""

from __future__ import annotations

from typing import Any

from rich import box
from rich.console import Group
from rich.table import Table
from rich.text import Text

from kubetrainer.tui.text import FAIL, OK, safe
from kubetrainer.tui.widgets.base import Panel, as_dict


def _get(d: dict[str, Any], *names: str, default: Any = None) -> Any:
    for n in names:
        if n in d and d[n] is not None:
            return d[n]
    return default


class SchedulerPanel(Panel):
    """`[`/`]` choose the pod; `L` shows the legacy predicate/priority names."""

    def __init__(self, *a: Any, **kw: Any) -> None:
        super().__init__(*a, **kw)
        self.index = -1          # -1: the latest attempt
        self.show_legacy = False
        self.yaml_lines: list[int] = []   # lines of the learner's YAML named by "why pending" (g jumps)

    def records(self, session: Any) -> list[Any]:
        return session.scheduler_records()

    @staticmethod
    def record_dict(rec: Any) -> dict[str, Any]:
        d = dict(as_dict(rec))
        if "time" not in d and hasattr(rec, "time"):
            d["time"] = rec.time
        return d

    def render_body(self, session: Any):
        recs = self.records(session)
        if session.scheduler() is None:
            return Text("The scheduler is not part of this cluster.", style="italic")
        if not recs:
            return Text("No scheduling attempt yet: a Pod without spec.nodeName is scheduled once it "
                        "is stored (submit with ctrl+s, then play or step).", style="italic")
        self.yaml_lines = []
        idx = self.index if -len(recs) <= self.index < len(recs) else -1
        raw_rec = recs[idx]
        rec = self.record_dict(raw_rec)
        legacy = self._legacy(session)
        pod = _get(rec, "pod", "name", default="?")
        ns = _get(rec, "namespace", default="")
        node = _get(rec, "node", "chosen", "selected_node")
        n = idx % len(recs) + 1
        head = Text()
        head.append(f"Attempt {n}/{len(recs)}  ", style="bold")
        head.append_text(safe(f"{ns}/{pod}" if ns and "/" not in str(pod) else pod))
        t = _get(rec, "time")
        if t is not None:
            head.append(f"  at {float(t):.1f}s", style="dim")
        head.append("   ")
        if node:
            head.append(f"{OK} bound to ", style="bold green")
            head.append_text(safe(node, "bold green"))
        else:
            head.append(f"{FAIL} no node fits", style="bold red")
        head.append("   [ ] pod · L old names", style="dim")
        parts: list[Any] = [head]
        why_at = len(parts)

        filters = _get(rec, "filters", default=[]) or []
        scores = _get(rec, "scores", default=[]) or []
        totals = _get(rec, "totals", default=[]) or []
        filters = [as_dict(f) for f in filters]
        scores = [as_dict(s) for s in scores]
        totals = [as_dict(s) for s in totals]

        nodes: list[str] = []
        plugins: list[str] = []
        for f in filters:
            if f.get("node") not in nodes:
                nodes.append(f.get("node"))
            if f.get("plugin") not in plugins:
                plugins.append(f.get("plugin"))
        shown = self._shown_nodes(nodes, node, filters)
        if len(shown) < len(nodes):
            parts.append(Text(f"{len(nodes)} nodes evaluated; showing {len(shown)} (the chosen one and the "
                              f"first of each failure)", style="dim italic"))
        if filters:
            table = Table(title="Filter: every plugin on every node (✓ passes, ✗ the reason)", title_justify="left",
                          box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False, expand=True)
            table.add_column("plugin", no_wrap=True, ratio=2)
            for nd in shown:
                table.add_column(Text(("★ " if nd == node else "") + str(nd), style="bold" if nd == node else ""),
                                 overflow="fold", ratio=2)
            cell = {(f.get("node"), f.get("plugin")): f for f in filters}
            for p in plugins:
                row: list[Any] = [self._label(p, legacy)]
                for nd in shown:
                    f = cell.get((nd, p))
                    if f is None:
                        row.append(Text("·", style="dim"))
                    elif f.get("passed"):
                        row.append(Text(OK, style="green"))
                    else:
                        r = Text()
                        r.append(f"{FAIL} ", style="bold red")
                        r.append_text(safe(f.get("reason") or f.get("message") or "failed"))
                        if f.get("afterFirstFailure") or f.get("after_first_failure"):
                            r.stylize("dim")
                        row.append(r)
                table.add_row(*row)
            parts.append(table)
        if scores:
            splugins: list[str] = []
            snodes: list[str] = []
            for sc in scores:
                if sc.get("plugin") not in splugins:
                    splugins.append(sc.get("plugin"))
                if sc.get("node") not in snodes:
                    snodes.append(sc.get("node"))
            snodes = [n for n in shown if n in snodes] or snodes[:6]
            weights = {sc.get("plugin"): sc.get("weight") for sc in scores}
            table = Table(title="Score: normalized 0-100 per plugin, × weight, summed", title_justify="left",
                          box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False, expand=True)
            table.add_column("plugin", no_wrap=True, ratio=2)
            table.add_column("weight", justify="right", no_wrap=True)
            for nd in snodes:
                table.add_column(Text(("★ " if nd == node else "") + str(nd), style="bold" if nd == node else ""),
                                 justify="right", ratio=2)
            cell = {(sc.get("node"), sc.get("plugin")): sc for sc in scores}
            for p in splugins:
                row = [self._label(p, legacy), Text(f"×{weights.get(p)}")]
                for nd in snodes:
                    sc = cell.get((nd, p))
                    if sc is None:
                        row.append(Text("·", style="dim"))
                    elif sc.get("skipped") or sc.get("normalized") is None:
                        row.append(Text("skip", style="dim"))
                    else:
                        row.append(Text(str(sc.get("normalized"))))
                table.add_row(*row)
            total = {t.get("node"): t.get("score") for t in totals}
            row = [Text("total", style="bold"), Text("Σ", style="bold")]
            for nd in snodes:
                row.append(Text(str(total.get(nd, "")) + (" ★" if nd == node else ""),
                                style="bold reverse" if nd == node else "bold"))
            table.add_row(*row, end_section=True)
            parts.append(table)
        first: list[Any] = []
        msg = _get(rec, "message", "failed_scheduling", "failedScheduling")
        if msg and not node:
            m = Text()
            m.append("✗ FailedScheduling  ", style="bold red")
            m.append_text(safe(msg))
            first.append(m)
        why = _get(rec, "why_pending", "whyPending", "why", "explanation")
        if not node and why is None:
            why = self._why(session, raw_rec, rec)
        pre = rec.get("preemption")
        if pre:
            p = Text()
            p.append("Preemption  ", style="bold yellow")
            p.append_text(safe(f"nominated node {pre.get('nominatedNode') or '—'}; victims: "
                               f"{', '.join(pre.get('victims') or []) or 'none'}"))
            first.append(p)
        if why and not node:
            first.append(Text("Why pending   (g: go to the YAML line)", style="bold"))
            if isinstance(why, (list, tuple)):
                for w in why:
                    first.append(self._why_line(w))
            else:
                first.append(self._why_line(why))
        parts[why_at:why_at] = first
        return Group(*parts)

    @staticmethod
    def _shown_nodes(nodes: list[str], chosen: str | None, filters: list[dict[str, Any]], limit: int = 6) -> list[str]:
        if len(nodes) <= limit:
            return nodes
        keep: list[str] = []
        if chosen in nodes:
            keep.append(chosen)
        seen_reasons: set[str] = set()
        for f in filters:
            if not f.get("passed") and not f.get("afterFirstFailure"):
                r = f"{f.get('plugin')}:{f.get('reason')}"
                if r not in seen_reasons and f.get("node") not in keep:
                    seen_reasons.add(r)
                    keep.append(f.get("node"))
        for nd in nodes:
            if len(keep) >= limit:
                break
            if nd not in keep:
                keep.append(nd)
        return [n for n in nodes if n in keep[:limit]]

    def _why_line(self, w: Any) -> Text:
        import re

        d = w if isinstance(w, dict) else (as_dict(w) if not isinstance(w, str) else {"text": w})
        text = str(d.get("text") or d.get("message") or str(w))
        line = d.get("line")
        out = Text("  • ")
        if line:
            out.append(f"line {line}: ", style="bold underline")
            self.yaml_lines.append(int(line))
        out.append_text(safe(text))
        for m in re.finditer(r"\(line (\d+)\)", text):
            self.yaml_lines.append(int(m.group(1)))
            out.stylize("bold underline", m.start() + 4, m.end() + 4)
        return out

    def _why(self, session: Any, raw: Any, rec: dict[str, Any]) -> list[str] | None:
        """The scheduler's own plain-language explanation, with the learner's YAML lines."""
        try:
            from kubetrainer.sim.scheduler.explain import why_pending
        except Exception:  # noqa: BLE001
            return None
        ns, name = rec.get("namespace") or "default", rec.get("name")
        cluster = session.cluster
        pod = cluster.store.get("Pod", ns, name) if cluster is not None else None
        if pod is None:
            return None
        position = None
        for m in session.manifests:
            if getattr(m, "kind", "") == "Pod" and m.name == name and (m.namespace or "default") == ns:
                position = m.position
                break
        try:
            return list(why_pending(raw, pod, position))
        except Exception:  # noqa: BLE001
            return None

    def _legacy(self, session: Any) -> dict[str, dict[str, str]]:
        if not self.show_legacy:
            return {}
        try:
            from kubetrainer.sim.scheduler.explain import legacy_names
        except Exception:  # noqa: BLE001
            return {}

        class _Names(dict):
            def get(self, plugin: str, default: Any = None) -> Any:  # noqa: D401
                return legacy_names(plugin) or default

        return {"filter": _Names(), "score": _Names()}

    def _label(self, plugin: str, names: dict[str, Any]) -> Text:
        t = Text(str(plugin))
        old = names.get("filter", {}).get(plugin) if names else None
        if old:
            if isinstance(old, (list, tuple)):
                old = ", ".join(old)
            t.append(f"\n  was: {old}", style="italic dim")
        return t
