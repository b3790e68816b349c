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

    def on_mount(self) -> None:
        if self.follow:
            self.anchor()    # stays at the newest line as content grows (until the learner scrolls)

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
            if self.has_head:
                self.query_one(".panel-head", Static).update(self.render_head(session))
            body = self.render_body(session)
        except Exception as exc:  # noqa: BLE001 - a panel must never crash the app
            body = Text(f"(this panel could not draw: {type(exc).__name__}: {exc})", style="italic")
        try:
            self.query_one(".panel-body", Static).update(body)
        except Exception:  # noqa: BLE001 - not mounted yet
            return



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
