from __future__ import annotations

import io

from rich.console import Console


def screen_text(app) -> str:
    """The plain text of the current screen (CRAFT.md §2.4)."""
    w, h = app.size
    c = Console(width=w, height=h, file=io.StringIO(), record=True, force_terminal=True, legacy_windows=False)
    c.print(app.screen._compositor.render_update(full=True))
    return c.export_text()
