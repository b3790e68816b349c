"""The lesson map shows the highlighted lesson's description before it is opened: in a pane beside
the list from 100 columns on, in a strip below the list in a narrower terminal (80×24)."""

from __future__ import annotations

from rich.text import Text

from kubetrainer.tui.screens.lesson_map import clip_lines, inline, summary

from .factory import make_app
from .helpers import screen_text

FIRST_POD = "A Pod runs one or more containers. Submit the Pod below with ctrl+s and watch"


def test_summary_is_the_first_prose_paragraph():
    md = ("# Title\n\n```yaml\nkind: Pod\n\nspec: {}\n```\n\n- a list item\n\n"
          "A **Pod** is the smallest\nthing Kubernetes runs: `kubectl run`.\n\nSecond paragraph.\n")
    assert summary(md) == "A Pod is the smallest thing Kubernetes runs: `kubectl run`."
    assert summary("## Only a heading\n") == ""
    assert summary("Restarting a *container* is not 2 * 3 or a*b.") == "Restarting a container is not 2 * 3 or a*b."
    assert inline("run `kubectl get pods` [bold]now[/bold]").plain == "run kubectl get pods [bold]now[/bold]"


def test_clip_lines_cuts_with_an_ellipsis():
    lines = clip_lines(Text("word " * 40), 20, 3)
    assert len(lines) == 3 and all(ln.cell_len <= 20 for ln in lines)
    assert lines[-1].plain.endswith("…")
    assert [ln.plain for ln in clip_lines(Text("short text"), 20, 3)] == ["short text"]


async def test_narrow_map_shows_the_description_in_a_strip():
    app = make_app("map")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        text = screen_text(app).splitlines()
        assert len(text) == 24
        # the strip: a rule, the status line, the description; then the footer
        assert text[19].lstrip().startswith("Your first Pod  ◆◇◇◇◇  · open  1 objective  predict  enter opens")
        assert text[20].strip() == FIRST_POD
        assert "[bold]not markup[/bold]" in text[21]        # lesson text is never markup
        assert "Continue" in text[23]
        await pilot.press("down")                             # the locked lesson
        await pilot.pause()
        text = screen_text(app).splitlines()
        assert "A container that keeps crashing" in text[19] and "⊘ locked" in text[19]
        assert "needs first-pod" in text[19] and "enter opens" not in text[19]
        assert text[20].strip() == "This container exits with code 1. Fix its command so it keeps running."


async def test_wide_map_shows_the_description_beside_the_list_and_resizes():
    app = make_app("map")
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        text = screen_text(app)
        assert "A Pod runs one or more containers. Submit the" in text
        assert "difficulty  ◆◇◇◇◇ 1/5" in text
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert app.screen.has_class("-narrow")
        lines = screen_text(app).splitlines()
        assert lines[20].strip() == FIRST_POD
        assert "difficulty" not in "\n".join(lines)          # the compact strip, not the pane
        await pilot.resize_terminal(120, 36)
        await pilot.pause()
        assert not app.screen.has_class("-narrow")
        assert "difficulty  ◆◇◇◇◇ 1/5" in screen_text(app)
