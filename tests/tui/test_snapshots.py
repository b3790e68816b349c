"""SVG snapshots of every screen and panel, at 80×24 and 120×36, dark and light, including the
error states (invalid YAML, Pending with FailedScheduling, CrashLoopBackOff, Terminating).

Sync tests with a make_app() factory (CRAFT.md §2): theme and animations pinned, no autoplay,
virtual time moved only by the scene (so the pictures never depend on the wall clock).
"""

from __future__ import annotations

import pytest

from kubetrainer.tui.widgets.editor import YamlEditor

from .factory import make_app
from .helpers import CRASH

SIZES = [(80, 24), (120, 36)]
THEMES = ["dark", "light"]

INVALID = """apiVersion: v1
kind: Pod
metadata:
  name: big
spec:
  containers:
    - image: nginx:1.16.1
      resources:
        requests: {cpu: "1"}
"""

DEPLOYMENT = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 3
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: nginx:1.14.2
"""

TERMINATING = """apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  terminationGracePeriodSeconds: 30
  containers:
    - name: web
      image: busybox:1.36
      command: ["sh", "-c", "sleep 3600"]
      lifecycle:
        preStop:
          exec:
            command: ["sh", "-c", "sleep 5"]
"""

# 12 replicas: the ReplicaSet's 10th..12th "Created pod: ..." events are combined into one series
REPLICAS12 = DEPLOYMENT.replace("replicas: 3", "replicas: 12")


async def _settle(pilot):
    await pilot.pause()
    await pilot.pause()


def _lesson_at(lesson_id, *, text=None, until=None, panel=None, predict=None, keys=()):
    async def run_before(pilot):
        await pilot.pause()
        screen = pilot.app.screen
        if text is not None:
            screen.query_one(YamlEditor).load_text(text)
        if until is not None:
            await pilot.press("ctrl+s")
            await pilot.pause()
            if predict is not None:
                for k in predict:
                    await pilot.press(k)
                await pilot.pause()
            screen.session.advance(until)
        if panel:
            screen.action_panel(panel)
        screen.refresh_views(force=True)
        for k in keys:
            await pilot.press(k)
        await _settle(pilot)
    return run_before


SCENES = {
    # screen / panel            (start, lesson, run_before)
    "map": ("map", None, None),
    "lesson-start": ("lesson", "first-pod", _lesson_at("first-pod")),
    "invalid-yaml": ("lesson", "too-big", _lesson_at("too-big", text=INVALID, keys=("wait:400",))),
    "predict": ("lesson", "first-pod", _lesson_at("first-pod", keys=("ctrl+s",))),
    "help": ("lesson", "first-pod", _lesson_at("first-pod", keys=("question_mark",))),
    "flow": ("lesson", "first-pod", _lesson_at("first-pod", until=30, predict=("down", "enter"), panel="flow")),
    "scheduler": ("lesson", "first-pod", _lesson_at("first-pod", until=5, predict=("down", "enter"),
                                                    panel="scheduler")),
    "lifecycle": ("lesson", "first-pod", _lesson_at("first-pod", until=30, predict=("down", "enter"),
                                                    panel="lifecycle")),
    "events": ("lesson", "first-pod", _lesson_at("first-pod", until=30, predict=("down", "enter"), panel="events")),
    "nodes": ("lesson", "first-pod", _lesson_at("first-pod", until=30, predict=("down", "enter"), panel="nodes")),
    "pending-failedscheduling": ("lesson", "too-big", _lesson_at("too-big", until=12, panel="scheduler")),
    "crashloopbackoff": ("lesson", "crashloop", _lesson_at("crashloop", until=60, panel="lifecycle")),
}


def _sandbox(keys_after_apply=(), until=10, panel=None, text=None, console=None, after=1):
    async def run_before(pilot):
        await pilot.pause()
        screen = pilot.app.screen
        if text is not None:
            screen.query_one(YamlEditor).load_text(text)
        await pilot.press("ctrl+s")
        await pilot.pause()
        screen.session.advance(until)
        if console:
            for line in console:
                screen.session.kubectl(line)
        screen.session.advance(after)
        if panel:
            screen.action_panel(panel)
        screen.refresh_views(force=True)
        for k in keys_after_apply:
            await pilot.press(k)
        await _settle(pilot)
    return run_before


SANDBOX_SCENES = {
    "sandbox-rollout": _sandbox(text=DEPLOYMENT, until=20, console=("set image deployment/web web=nginx:1.16.1",),
                                after=4, panel="rollout"),
    "sandbox-console": _sandbox(keys_after_apply=("colon",), console=("get pods -o wide",)),
    "terminating-flow": _sandbox(text=TERMINATING, until=10, console=("delete pod web",), panel="flow"),
    "terminating-lifecycle": _sandbox(text=TERMINATING, until=10, console=("delete pod web",), panel="lifecycle"),
    # one row per Event series: BackOff (x60 over 9m55s), Created/Started (x7 ...)
    "events-crashloop": _sandbox(text=CRASH, until=599, panel="events"),
    "events-combined": _sandbox(text=REPLICAS12, until=29, panel="events", keys_after_apply=(
        "slash", *"SuccessfulCreate", "enter")),
}


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("scene", list(SCENES))
def test_screen(snap_compare, scene, size, theme):
    start, lesson, run_before = SCENES[scene]
    app = make_app(start, lesson, theme=theme)
    assert snap_compare(app, run_before=run_before, terminal_size=size)


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("scene", list(SANDBOX_SCENES))
def test_sandbox(snap_compare, scene, size, theme):
    app = make_app("sandbox", theme=theme)
    assert snap_compare(app, run_before=SANDBOX_SCENES[scene], terminal_size=size)


# NO_COLOR: the terminal's default colours only (Textual's NoColor filter); the meaning is in the
# glyphs (✓ ✗ … ◉ ○ ▸ ⊘) and in bold/underline/reverse (highlighted lesson, active tab, cursor).
NO_COLOR_SCENES = {
    "map": SCENES["map"],
    "crashloopbackoff": SCENES["crashloopbackoff"],
    "pending-failedscheduling": SCENES["pending-failedscheduling"],
}


@pytest.mark.parametrize("scene", list(NO_COLOR_SCENES))
def test_no_color(snap_compare, monkeypatch, scene):
    monkeypatch.setenv("NO_COLOR", "1")            # read by App.__init__
    start, lesson, run_before = NO_COLOR_SCENES[scene]
    app = make_app(start, lesson)
    assert app.no_color
    assert snap_compare(app, run_before=run_before, terminal_size=(80, 24))
