"""The real program in a pseudo-terminal: start, open a lesson, submit, see objectives pass, quit."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from .tui_session import TuiSession

pytestmark = pytest.mark.e2e
PACK = str(Path(__file__).parent / "pack")


@pytest.fixture
def session_factory(tmp_path):
    made: list[TuiSession] = []

    def make(*args: str, rows: int = 24, cols: int = 80, env: dict | None = None) -> TuiSession:
        s = TuiSession([sys.executable, "-m", "kubetrainer", *args], rows=rows, cols=cols,
                       env={"KUBETRAINER_DATA_DIR": str(tmp_path / "data"), **(env or {})})
        made.append(s)
        return s

    yield make
    for s in made:
        s.kill()


def test_lesson_map_starts_and_quits(session_factory):
    s = session_factory("play", "first-pod", "--pack", PACK)
    s.wait_for("Your first Pod", "Scheduler", "Lifecycle", "Events")
    s.press("ctrl+q")
    assert s.close() == 0


def test_submit_solution_and_objectives_pass(session_factory):
    s = session_factory("play", "too-big", "--pack", PACK, rows=36, cols=120)
    s.wait_for("A Pod that fits nowhere", "Objectives")
    s.press("S")                                   # the solution into the editor
    s.wait_for("cpu: \"1\"")
    s.press("ctrl+s")
    s.press("+", "+", "+", "+", "+")                 # 60×
    s.wait_for("✓ big is scheduled", "Lesson passed")
    s.press("ctrl+q")
    assert s.close() == 0


def test_map_open_lesson_back_and_quit_with_q(session_factory):
    s = session_factory("--version")
    assert s.close() == 0
    s = session_factory(rows=24, cols=80)
    s.wait_for("Learn how Kubernetes runs Pods")
    s.press("q")
    assert s.close() == 0


def test_sandbox_applies_and_runs_kubectl(session_factory):
    s = session_factory("sandbox", rows=36, cols=120)
    s.wait_for("Sandbox", "Scheduler")
    s.press("ctrl+s")                                        # applies and starts the clock
    s.press(":")
    for ch in "get pods":
        s.press(ch)
    s.press("enter")
    s.wait_for("NAME", "READY", "STATUS", "web")
    s.press("ctrl+q")
    assert s.close() == 0


def test_no_color_and_high_contrast_keep_every_signal(session_factory):
    s = session_factory("play", "too-big", "--pack", PACK, env={"NO_COLOR": "1", "KUBETRAINER_THEME": "high-contrast"})
    s.wait_for("A Pod that fits nowhere", "… big is scheduled")
    s.press("ctrl+s", "+", "+", "+", "+", "+")              # submitting starts the clock
    s.wait_for("✗ big is scheduled", "Not yet")          # glyph and words, not colour
    s.press("ctrl+q")
    assert s.close() == 0
