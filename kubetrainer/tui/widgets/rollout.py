"""Rollout panel: Deployments, their old and new ReplicaSets, and the pods of each revision."""

from __future__ import annotations

from typing import Any

from rich.console import Group
from rich.text import Text

from kubetrainer.tui.text import safe
from kubetrainer.tui.widgets.base import Panel


class RolloutPanel(Panel):
    def render_body(self, session: Any):
        res = session.result() or {}
        deps = res.get("deployments", []) or []
        rss = res.get("replicaSets", []) or []
        if not deps and not rss:
            return Text("No Deployments or ReplicaSets in this run. Apply a Deployment to watch a rollout "
                        "(kubectl set image, rollout undo, scale).", style="italic")
        cluster = session.cluster
        owner_of: dict[str, list[str]] = {}
        if cluster is not None:
            for pod in cluster.store.list("Pod"):
                for ref in pod.get("metadata", {}).get("ownerReferences", []) or []:
                    if ref.get("kind") == "ReplicaSet":
                        owner_of.setdefault(ref.get("name"), []).append(pod["metadata"]["name"])
        status = {p.get("name"): p.get("status", "") for p in res.get("pods", []) if not p.get("deleted")}
        parts: list[Any] = []
        for d in deps:
            h = Text()
            h.append(f"Deployment {d.get('name')}", style="bold")
            h.append_text(safe(f"  revision {d.get('revision')}  replicas {d.get('replicas')}  updated "
                               f"{d.get('updated')}  ready {d.get('ready')}  available {d.get('available')}"))
            conds = d.get("conditions") or {}
            if conds:
                h.append("  " + " ".join(f"{k}={v}" for k, v in conds.items()), style="dim")
            parts.append(h)
        newest = {}
        for rs in rss:
            key = rs.get("namespace")
            newest[key] = max(newest.get(key, 0), int(rs.get("revision") or 0))
        t = Text()
        for rs in sorted(rss, key=lambda r: int(r.get("revision") or 0)):
            new = int(rs.get("revision") or 0) == newest.get(rs.get("namespace"))
            if t.plain:
                t.append("\n")
            t.append(("▲ new  " if new else "  old  "), style="bold" if new else "dim")
            t.append_text(safe(f"ReplicaSet {rs.get('name')}", "bold" if new else ""))
            t.append_text(safe(f"  revision {rs.get('revision')}  desired {rs.get('desired')}  current "
                               f"{rs.get('current')}  ready {rs.get('ready')}", "" if new else "dim"))
            for n in owner_of.get(rs.get("name"), []):
                t.append("\n       ")
                t.append_text(safe(f"{n}  {status.get(n, '')}".rstrip()))
        parts.append(t)
        return Group(*parts)
