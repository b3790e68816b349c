"""A cluster panel: a scrollable body re-rendered from the session when it changes."""

from __future__ import annotations

from typing import Any

from rich.console import Group, RenderableType
from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Static


class Panel(VerticalScroll, can_focus=True):
    """Subclasses implement `render_body(session) -> renderable`."""

    DEFAULT_CSS = """
    Panel { height: 1fr; padding: 0 1; }
    Panel > .panel-body { width: 1fr; height: auto; }
    Panel > .panel-head { dock: top; width: 1fr; height: auto; background: $surface; }
    """

    ALLOW_MAXIMIZE = True   # z zooms the active panel
    follow = False   # keep the newest lines in view (Flow, Events)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._seen_version = -1
        self.session: Any = None

    has_head = False  # a fixed line above the scrolling body (render_head)

    def compose(self):
        if self.has_head:
            yield Static("", classes="panel-head", markup=False)
        yield Static("", classes="panel-body", markup=False)

    def _follow(self) -> None:
        self.scroll_end(animate=False, immediate=True, x_axis=False)

    @property
    def avail_width(self) -> int:
        """The width the panel's text is laid out for: from the terminal size and the layout mode
        (never from a measured size, which is 0 before the first layout: pictures must not depend
        on timing)."""
        w = self.app.size.width
        try:
            if self.screen.has_class("-wide"):
                w = w * 2 // 5
        except Exception:  # noqa: BLE001
            pass
        return w

    def render_head(self, session: Any) -> RenderableType:
        return Text("")

    def render_body(self, session: Any) -> RenderableType:  # pragma: no cover - abstract
        return Text("")

    def update_from(self, session: Any, force: bool = False) -> None:
        self.session = session
        if session is None or (not force and session.version == self._seen_version):
            return
        self._seen_version = session.version
        try:
            body = self.render_body(session)      # first: heads may show what the body computed
            if self.has_head:
                self.query_one(".panel-head", Static).update(self.render_head(session))
        except Exception as exc:  # noqa: BLE001 - a panel must never crash the app
            body = Text(f"(this panel could not draw: {type(exc).__name__}: {exc})", style="italic")
        try:
            self.query_one(".panel-body", Static).update(body)
        except Exception:  # noqa: BLE001 - not mounted yet
            return
        if self.follow and (self.is_vertical_scroll_end or self.max_scroll_y == 0 or force):
            # newest lines in view, unless the learner scrolled up to read
            self.call_after_refresh(self._follow)



def lines(*parts: RenderableType) -> Group:
    return Group(*parts)


def as_dict(obj: Any) -> dict[str, Any]:
    """A record as a plain dict: to_json()/to_dict() if the engine gives one, else its attributes."""
    if obj is None:
        return {}
    if isinstance(obj, dict):
        return obj
    for meth in ("to_json", "to_dict", "as_dict"):
        fn = getattr(obj, meth, None)
        if callable(fn):
            try:
                d = fn()
                if isinstance(d, dict):
                    return d
            except Exception:  # noqa: BLE001
                pass
    try:
        import attrs

        if attrs.has(type(obj)):
            return attrs.asdict(obj, recurse=False)
    except Exception:  # noqa: BLE001
        pass
    return {k: getattr(obj, k) for k in dir(obj) if not k.startswith("_") and not callable(getattr(obj, k, None))}


def table_text(header: list[str] | None, rows: list[list[Text]], width: int, caps: list[int] | None = None,
               row_styles: list[str] | None = None, split: bool = False, stack_below: int = 0) -> Any:
    """A fast plain table: fixed columns, the last one wrapped with a hanging indent.

    With `stack_below`, when fewer than that many columns are left for the last column it goes
    on lines of its own below its row, indented by 4 (the header then names the fixed columns),
    and the last fixed column may take the rest of the width.

    Rich's Table measures every cell of every row on each frame; panels that redraw several
    times a second with hundreds of rows use this instead.
    """
    import textwrap

    ncol = len(rows[0]) if rows else len(header or [])
    caps = caps or [24] * ncol

    def measure(caps: list[int]) -> list[int]:
        widths = [0] * ncol
        for r in ([[Text(h) for h in header]] if header else []) + rows:
            for i, cell in enumerate(r[:-1]):
                widths[i] = min(max(widths[i], cell.cell_len), caps[i])
        return widths

    widths = measure(caps)
    indent = sum(widths[:-1]) + 2 * (ncol - 1)
    stacked = width - indent < stack_below
    if stacked:
        if ncol > 1:
            rest = width - sum(widths[:-2]) - 2 * (ncol - 2)
            widths = measure(caps[:-2] + [max(widths[-2], rest), 0])
        indent = 4
    last_w = max(16, width - indent)
    out = Text(no_wrap=True, overflow="ellipsis")

    def emit(cells: list[Text], style: str = "") -> None:
        line = Text(style=style)
        for i, cell in enumerate(cells[:-1]):
            c = cell.copy()
            if c.cell_len > widths[i]:
                c.truncate(widths[i], overflow="ellipsis")
            c.pad_right(widths[i] - c.cell_len)
            line.append_text(c)
            if i < len(cells) - 2 or not stacked:
                line.append("  ")
        last = cells[-1]
        if stacked:
            line.rstrip()
            if not last.plain:
                if out.plain:
                    out.append("\n")
                out.append_text(line)
                return
            line.append("\n" + " " * indent)
        chunks = textwrap.wrap(last.plain, last_w, break_long_words=True, break_on_hyphens=False) or [""]
        pos = 0
        for k, chunk in enumerate(chunks):
            start = last.plain.find(chunk, pos)
            if start < 0:
                start = pos
            piece = last[start:start + len(chunk)]
            pos = start + len(chunk)
            if k:
                line.append("\n" + " " * indent)
            line.append_text(piece)
        if out.plain:
            out.append("\n")
        out.append_text(line)

    head = None
    if header:
        emit([Text(h, style="bold") for h in header[:-1]] + [Text("")] if stacked
             else [Text(h, style="bold") for h in header])
        if split:
            head, out = out, Text(no_wrap=True, overflow="ellipsis")
    for k, r in enumerate(rows):
        emit(r, row_styles[k] if row_styles else "")
    return (head or Text(""), out) if split else out
