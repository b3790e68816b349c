"""Safe text: anything from lesson packs, YAML or the engine is shown as text, never as markup."""

from __future__ import annotations

from rich.text import Text

from kubetrainer.errors import escape_text


def safe(text: object, style: str = "") -> Text:
    """A rich Text of `text` with control characters escaped; square brackets stay literal."""
    return Text(escape_text(str(text)), style=style)


def fmt_time(t: float | None) -> str:
    if t is None:
        return "—"
    t = float(t)
    if t < 60:
        return f"{t:.1f}s"
    m, s = divmod(t, 60)
    if m < 60:
        return f"{int(m)}m{s:04.1f}s"
    h, m = divmod(m, 60)
    return f"{int(h)}h{int(m):02d}m{int(s):02d}s"


OK = "✓"
FAIL = "✗"
WAIT = "…"
