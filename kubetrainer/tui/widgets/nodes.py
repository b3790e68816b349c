"""Nodes panel: capacity bars (allocated requests / allocatable), taints, labels and pods."""

from __future__ import annotations

from typing import Any

from rich.console import Group
from rich.text import Text

from kubetrainer.tui.text import safe
from kubetrainer.tui.widgets.base import Panel


def bar(frac: float, width: int = 16) -> Text:
    frac = max(0.0, min(1.0, frac))
    full = round(frac * width)
    t = Text("[")
    t.append("█" * full, style="bold red" if frac > 0.9 else "bold green")
    t.append("░" * (width - full), style="dim")
    t.append(f"] {frac * 100:3.0f}%")
    return t


class NodesPanel(Panel):
    def render_body(self, session: Any):
        from kubetrainer.api.quantity import cpu_millis, memory_bytes

        cluster = session.cluster
        if cluster is None:
            return Text(session.error or "no cluster")
        res = session.result() or {}
        by_name = {n.get("name"): n for n in res.get("nodes", [])}
        pods_on: dict[str, list[str]] = {}
        for p in res.get("pods", []):
            if p.get("node") and not p.get("deleted"):
                pods_on.setdefault(p["node"], []).append(f"{p['name']} ({p.get('status', '')})")
        parts: list[Any] = []
        for node in cluster.store.list("Node"):
            meta, spec, status = node.get("metadata", {}), node.get("spec", {}), node.get("status", {})
            name = meta.get("name", "?")
            info = by_name.get(name, {})
            head = Text()
            ready = info.get("ready") or next((c.get("status") for c in status.get("conditions", [])
                                                if c.get("type") == "Ready"), "?")
            head.append(("✓ " if ready == "True" else "✗ ") + name, style="bold" if ready == "True" else "bold red")
            head.append(f"  Ready={ready}")
            if spec.get("unschedulable"):
                head.append("  SchedulingDisabled", style="bold yellow")
            head.append(f"  pods {info.get('pods', len(pods_on.get(name, [])))}/{status.get('allocatable', {}).get('pods', '?')}")
            parts.append(head)
            alloc = status.get("allocatable", {})
            used = info.get("allocated", {})
            for res_name, conv, unit in (("cpu", cpu_millis, "cpu"), ("memory", memory_bytes, "mem")):
                try:
                    total = conv(alloc.get(res_name, 0))
                    u = conv(used.get(res_name, 0) or 0)
                    frac = u / total if total else 0.0
                except Exception:  # noqa: BLE001
                    frac, total = 0.0, 0
                line = Text(f"  {unit:<4}")
                line.append_text(bar(frac))
                line.append_text(safe(f"  {used.get(res_name, '0')} / {alloc.get(res_name, '?')}"))
                parts.append(line)
            taints = spec.get("taints") or []
            if taints:
                parts.append(safe("  taints: " + ", ".join(
                    f"{t.get('key')}{'=' + str(t['value']) if t.get('value') else ''}:{t.get('effect')}" for t in taints)))
            labels = {k: v for k, v in (meta.get("labels") or {}).items()
                      if not k.startswith(("kubernetes.io/", "beta.kubernetes.io/"))}
            if labels:
                parts.append(safe("  labels: " + ", ".join(f"{k}={v}" for k, v in sorted(labels.items()))))
            if pods_on.get(name):
                parts.append(safe("  pods: " + ", ".join(pods_on[name])))
            parts.append(Text(""))
        return Group(*parts)
