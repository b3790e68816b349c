from __future__ import annotations

import io

from rich.console import Console

# a pod whose container exits 1 at once: CrashLoopBackOff, one BackOff series
CRASH = """apiVersion: v1
kind: Pod
metadata:
  name: crash
spec:
  containers:
    - name: app
      image: busybox:1.36
      command: ["false"]
"""


def screen_text(app) -> str:
    """The plain text of the current screen (CRAFT.md §2.4)."""
    w, h = app.size
    c = Console(width=w, height=h, file=io.StringIO(), record=True, force_terminal=True, legacy_windows=False)
    c.print(app.screen._compositor.render_update(full=True))
    return c.export_text()
