"""NO_COLOR: the app draws with the terminal's default colours only (Textual's NoColor filter,
not its Monochrome one, which turns red into a dark grey), and the meaning stays in glyphs and in
bold/underline/reverse."""

from __future__ import annotations

import io

from rich.console import Console
from textual.filter import Monochrome, NoColor

from .factory import make_app
from .helpers import screen_text


def _segments(app) -> list:
    w, h = app.size
    console = Console(width=w, height=h, file=io.StringIO(), force_terminal=True, color_system="truecolor",
                      legacy_windows=False)
    return list(console.render(app.screen._compositor.render_update(full=True)))


def _colours(app) -> set[str]:
    """Every colour (foreground or background) in the segments of the current screen."""
    found: set[str] = set()
    for seg in _segments(app):
        style = seg.style
        if style is None:
            continue
        for colour in (style.color, style.bgcolor):
            if colour is not None and not colour.is_default:
                found.add(colour.name)
    return found


async def test_no_color_draws_without_colour_and_keeps_the_glyphs(monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app("lesson", "crashloop")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        filters = app.get_line_filters()
        assert any(isinstance(f, NoColor) for f in filters)
        assert not any(isinstance(f, Monochrome) for f in filters)
        screen = app.screen
        await pilot.press("ctrl+s")
        await pilot.pause()
        screen.session.advance(60)
        screen.action_panel("lifecycle")
        screen.refresh_views(force=True)
        await pilot.pause()
        assert _colours(app) == set()
        text = screen_text(app)
        assert "✗ crash has no restarts" in text             # objectives: ✗ / ✓ / …
        assert "✗ BackOff" in text                           # a Warning event: ✗, not only red
        assert "◉ Waiting" in text and "○ Running" in text   # the lit state: ◉ (and reverse)
        # the active tab and the lit lifecycle states are drawn reversed
        reversed_ = " ".join(seg.text for seg in _segments(app) if seg.style is not None and seg.style.reverse)
        assert "Lifecycle" in reversed_ and "◉ Waiting" in reversed_ and "◉ Running" in reversed_
        assert "Flow" not in reversed_ and "○ Running" not in reversed_


async def test_no_color_highlighted_lesson_is_underlined(monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app("map")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        ol = app.screen.query_one("#lessons")
        assert ol.highlighted == 1                           # "Your first Pod" (row 0 is the chapter)
        highlighted = [seg for seg in ol.render_line(1) if seg.text.strip()]
        others = [seg for k in (0, 2, 3, 4) for seg in ol.render_line(k) if seg.text.strip()]   # chapters too
        assert highlighted and all(seg.style.underline for seg in highlighted)
        assert others and not any(seg.style.underline for seg in others)
        assert _colours(app) == set()


async def test_colours_without_no_color():
    app = make_app("map")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert not app.no_color
        assert not any(isinstance(f, (NoColor, Monochrome)) for f in app.get_line_filters())
        assert _colours(app)
