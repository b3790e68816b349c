"""The lesson screen (also the sandbox): lesson text and objectives, the YAML editor, the
cluster panels, the time bar and the kubectl console."""

from __future__ import annotations

import time
from typing import Any

from rich.text import Text
from textual import on
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, Markdown, Static, TabbedContent, TabPane, TextArea

from kubetrainer.errors import escape_text
from kubetrainer.tui.catalog import tr
from kubetrainer.tui.session import SPEEDS, RunSession
from kubetrainer.tui.text import FAIL, OK, safe
from kubetrainer.tui.widgets.console import Console
from kubetrainer.tui.widgets.editor import ProblemList, YamlEditor
from kubetrainer.tui.widgets.events import EventsPanel
from kubetrainer.tui.widgets.flow import FlowPanel
from kubetrainer.tui.widgets.lifecycle import LifecyclePanel
from kubetrainer.tui.widgets.nodes import NodesPanel
from kubetrainer.tui.widgets.objectives import ObjectiveList
from kubetrainer.tui.widgets.rollout import RolloutPanel
from kubetrainer.tui.widgets.scheduler import SchedulerPanel
from kubetrainer.tui.widgets.timebar import TimeBar

PANELS = (("flow", "Flow", FlowPanel), ("scheduler", "Scheduler", SchedulerPanel),
          ("lifecycle", "Lifecycle", LifecyclePanel), ("events", "Events", EventsPanel),
          ("nodes", "Nodes", NodesPanel), ("rollout", "Rollout", RolloutPanel))

SANDBOX_STARTER = """\
# Sandbox: write manifests here and press ctrl+s to apply them to the running cluster.
# Open the kubectl console with ':' (get, describe, delete, logs, rollout, scale, ...).
apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
    - name: web
      image: nginx:1.16.1
"""

class BriefPane(VerticalScroll):
    """The lesson text and objectives (z zooms it when focused)."""

    ALLOW_MAXIMIZE = True


TICK = 0.1  # wall seconds between simulation steps while playing
PANEL_HZ = 4  # panel redraws per wall second while playing
TICK_BUDGET = 0.03  # wall seconds the engine may take per tick (keys stay responsive)
WIDE = 180    # columns from which lesson, editor and cluster panels sit side by side


class LessonScreen(Screen):
    """`lesson=None` is the sandbox: no objectives, submit applies to the running cluster."""

    AUTO_FOCUS = None
    BINDING_GROUP_TITLE = "Lesson"
    BINDINGS = [
        Binding("ctrl+s", "submit", "Submit", priority=True),
        Binding("f5", "submit", "Submit", show=False, priority=True),
        Binding("space", "play_pause", "Play"),
        Binding("n", "next_event", "Next"),
        Binding("plus,equals_sign", "speed(1)", "Speed", key_display="+/-"),
        Binding("minus", "speed(-1)", "Slower", key_display="-", show=False),
        Binding("colon", "console", "kubectl", key_display=":"),
        Binding("f2", "console", "kubectl", show=False, priority=True),
        Binding("question_mark", "help", "Help", key_display="?"),
        Binding("escape", "back", "Back"),
        Binding("q", "app.quit", "Quit", show=False),
        Binding("e", "edit", "Edit YAML", show=False),
        Binding("r", "restart", "Restart run", show=False),
        Binding("slash", "filter", "Filter events", key_display="/", show=False),
        Binding("h", "hint", "Hint", show=False),
        Binding("S", "solution", "Show solution", show=False),
        Binding("p", "predict", "Predict", show=False),
        Binding("z", "zoom", "Zoom pane", show=False),
        Binding("left_square_bracket", "item(-1)", "Previous pod / flow step", key_display="[", show=False),
        Binding("right_square_bracket", "item(1)", "Next pod / flow step", key_display="]", show=False),
        Binding("L", "legacy", "Legacy scheduler names", show=False),
        Binding("g", "goto_line", "Go to the YAML line named by why-pending", show=False),
        Binding("1", "panel('flow')", "Flow", show=False),
        Binding("2", "panel('scheduler')", "Scheduler", show=False),
        Binding("3", "panel('lifecycle')", "Lifecycle", show=False),
        Binding("4", "panel('events')", "Events", show=False),
        Binding("5", "panel('nodes')", "Nodes", show=False),
        Binding("6", "panel('rollout')", "Rollout", show=False),
    ]
    HELP = ("Write or fix the YAML, submit it with ctrl+s, then watch the cluster take it in. "
            "space plays and pauses the virtual clock, n jumps to the next thing that happens, "
            "+ and - change the speed (1× to 60×). Panels: 1 Flow, 2 Scheduler, 3 Lifecycle, "
            "4 Events, 5 Nodes, 6 Rollout; [ and ] choose the pod. e edits the YAML, esc leaves the "
            "editor. : opens the kubectl console. h shows the next hint, S the solution.")

    def __init__(self, lesson: Any = None, world: Any = None, seed: int = 0, autoplay: bool = True,
                 session: RunSession | None = None, **kw: Any) -> None:
        super().__init__(**kw)
        self.lesson = lesson
        self.sandbox = lesson is None
        self.autoplay = autoplay
        self.session = session or RunSession(world=world, seed=seed, lesson=lesson,
                                             filename=f"{lesson.id}.yaml" if lesson is not None else "sandbox.yaml",
                                             fresh_on_submit=lesson is not None)
        self.playing = False
        self.speed_index = 0
        self._ticker: Timer | None = None
        self._validate_timer: Timer | None = None
        self._last_wall: float | None = None
        self.hints_shown = 0
        self.predictions: dict[str, int] = {}
        self.graded = False
        self.grade_passed: bool | None = None
        self._validated_version = -1
        self._problems: list[Any] = []

    # -- layout ------------------------------------------------------------------------------
    def compose(self):
        yield Static(self._title_text(), id="lesson-title", markup=False)
        with Vertical(id="lesson-body"):
            with Horizontal(id="top"):
                with BriefPane(id="brief", can_focus=True):
                    yield ObjectiveList(id="objectives", markup=False)
                    yield Markdown(self._markdown(), id="lesson-text", open_links=False)
                    yield Static("", id="hints", markup=False)
                with Vertical(id="editor-pane"):
                    yield YamlEditor(self._starter(), id="editor")
                    yield ProblemList("", id="problems", markup=False)
            with TabbedContent(id="panels", initial="flow"):
                for pid, label, cls in PANELS:
                    with TabPane(label, id=pid):
                        yield cls(id=f"panel-{pid}")
        yield TimeBar("", id="timebar", markup=False)
        yield Console(lambda: self.session, id="console")
        yield Footer(compact=True)

    def _title_text(self) -> Text:
        t = Text()
        t.append(" kubetrainer ", style="bold reverse")
        if self.lesson is None:
            t.append("  Sandbox", style="bold")
            w = getattr(self.session.world, "name", None) if hasattr(self, "session") else None
            if w:
                t.append_text(safe(f" — world {w}"))
            return t
        t.append("  ")
        t.append_text(safe(tr(self.lesson, self.lesson.title), "bold"))
        d = int(getattr(self.lesson, "difficulty", 0) or 0)
        t.append(f"   {'◆' * d}{'◇' * max(0, 5 - d)} difficulty {d}", style="dim")
        prog = self.app_course_progress()
        if prog is not None and (prog.completed or prog.hints_used or prog.attempts):
            stars = int(prog.stars or 0)
            t.append("   ")
            t.append(("✓ " if prog.completed else "") + "★" * stars + "☆" * (3 - stars),
                     style="bold yellow" if prog.completed else "dim")
            t.append(f"  {prog.xp} XP  hints {prog.hints_used}  tries {prog.attempts}", style="dim")
        return t

    def retranslate(self) -> None:
        """The learner switched language (command palette)."""
        self._update_title()
        self.query_one("#lesson-text", Markdown).update(self._markdown())
        self.refresh_views(force=True)

    def _update_title(self) -> None:
        try:
            self.query_one("#lesson-title", Static).update(self._title_text())
        except Exception:  # noqa: BLE001
            pass

    def _markdown(self) -> str:
        if self.lesson is None:
            return ("# Sandbox\n\nFree play: no objectives. Apply any manifests with **ctrl+s**, run kubectl "
                    "with **:**, and watch every panel.")
        return escape_text(tr(self.lesson, self.lesson.text))

    def _starter(self) -> str:
        if self.lesson is None:
            return SANDBOX_STARTER
        prog = self.app_course_progress()
        last = getattr(prog, "last_submission", None) if prog is not None else None
        return last or getattr(self.lesson, "starter_text", "") or ""

    def app_course_progress(self) -> Any:
        if self.lesson is None:
            return None
        try:
            return self.app.course.progress(self.lesson)
        except Exception:  # noqa: BLE001 - no app yet, or no progress store
            return None

    def on_resize(self, event: Any) -> None:
        self._layout_classes(event.size.width, event.size.height)

    def _layout_classes(self, width: int, height: int) -> None:
        self.set_class(height < 30, "-short")
        wide = width >= WIDE
        if wide != self.has_class("-wide"):
            self.set_class(wide, "-wide")
            for pid, _, _ in PANELS:
                try:
                    self.query_one(f"#panel-{pid}")._seen_version = -1
                except Exception:  # noqa: BLE001
                    pass
            if self.is_mounted:
                self.call_later(self.refresh_views, True)

    def on_mount(self) -> None:
        self._layout_classes(self.app.size.width, self.app.size.height)
        if self.sandbox:
            self.add_class("-sandbox")
        self._ticker = self.set_interval(TICK, self._tick, pause=True)
        self.refresh_views(force=True)
        self._validate_now()

    # -- views ------------------------------------------------------------------------------
    def refresh_views(self, force: bool = False) -> None:
        s = self.session
        self.query_one(TimeBar).show(s, self.playing, SPEEDS[self.speed_index])
        self._show_objectives()
        active = self.query_one("#panels", TabbedContent).active
        if active:
            self.query_one(f"#panel-{active}").update_from(s, force=force)
        console = self.query_one(Console)
        if console.is_open:
            console.show_log()

    def _objective_rows(self) -> list[dict[str, Any]]:
        if self.lesson is None:
            return []
        states = self.session.objective_states
        rows = []
        if states:
            for st in states:
                state = getattr(st, "state", None)
                rows.append({"description": tr(self.lesson, getattr(st, "description", "")),
                             "deadline": getattr(st, "deadline", None),
                             "state": True if state == "passed" else False if state == "failed" else None,
                             "reason": getattr(st, "reason", "") or "",
                             "live": getattr(st, "live", None)})
        else:
            for ob in getattr(self.lesson, "objectives", ()) or ():
                rows.append({"description": tr(self.lesson, getattr(ob, "description", "")),
                             "deadline": getattr(ob, "deadline", None), "state": None,
                             "reason": "" if self.session.lsession is None else "waiting for the run"})
        return rows

    def _show_objectives(self) -> None:
        extra: list[Text] = []
        if self.lesson is not None:
            rows = self._objective_rows()
            if self.session.finished and not self.graded:
                self._grade(rows)
            hints = len(getattr(self.lesson, "hints", ()) or ())
            if not self.graded and hints:
                left = hints - self.hints_shown
                extra.append(Text(f"h hint ({left} of {hints} left) · S solution", style="dim"))
            if self.graded:
                extra.append(Text(f"{OK} Lesson passed" if self.grade_passed else
                                  f"{FAIL} Not yet: fix the YAML and submit again (r replays the run)",
                                  style="bold green" if self.grade_passed else "bold red"))
                extra.extend(self._predict_reveal())
            self.query_one(ObjectiveList).show(rows, extra)
        else:
            self.query_one(ObjectiveList).show([], extra)

    def _grade(self, rows: list[dict[str, Any]]) -> None:
        self.graded = True
        self.grade_passed = bool(rows) and all(r["state"] is True for r in rows)
        self.pause()
        course = getattr(self.app, "course", None)
        prog = None
        if course is not None:
            prog = course.record_submission(self.lesson, self.session.submitted_text or "", self.grade_passed,
                                            seconds=self.session.now)
        self._update_title()
        if self.grade_passed:
            stars = getattr(prog, "stars", None)
            xp = getattr(prog, "xp", None)
            msg = "Lesson passed!" + (f"  {'★' * stars}{'☆' * (3 - stars)}" if stars is not None else "") + \
                  (f"  {xp} XP" if xp is not None else "")
            self.notify(msg, title="✓ Well done", timeout=6)
        else:
            self.notify("Some objectives failed — the reasons are listed under Objectives.",
                        title="✗ Not yet", severity="warning", timeout=6)

    def _predict_reveal(self) -> list[Text]:
        out = []
        for q in getattr(self.lesson, "predict", ()) or ():
            if q.id not in self.predictions:
                continue
            mine = self.predictions[q.id]
            right = mine == q.answer
            t = Text()
            t.append(f"{OK} " if right else f"{FAIL} ", style="bold green" if right else "bold red")
            t.append_text(safe(tr(self.lesson, q.question), "bold"))
            t.append("\n    you said: ")
            t.append_text(safe(tr(self.lesson, q.choices[mine])))
            t.append("  answer: ")
            t.append_text(safe(tr(self.lesson, q.choices[q.answer]), "bold"))
            if getattr(q, "explanation", None):
                t.append("\n    ")
                t.append_text(safe(tr(self.lesson, q.explanation), "italic"))
            out.append(t)
        return out

    # -- editing ----------------------------------------------------------------------------
    @on(TextArea.Changed, "#editor")
    def _on_edit(self, event: TextArea.Changed) -> None:
        if self._validate_timer is not None:
            self._validate_timer.stop()
        self._validate_timer = self.set_timer(0.3, self._validate_now)

    def _validate_now(self) -> None:
        text = self.query_one(YamlEditor).text
        self._problems = self.session.validate(text)
        self.query_one(YamlEditor).set_problems(self._problems)
        self.query_one(ProblemList).show(self._problems)

    def action_submit(self) -> None:
        if self.lesson is not None and getattr(self.lesson, "predict", None) and not self.predictions:
            self.action_predict(then_submit=True)
            return
        self._submit()

    def _submit(self) -> None:
        editor = self.query_one(YamlEditor)
        problems = self.session.submit(editor.text)
        editor.set_problems(problems)
        self.query_one(ProblemList).show(problems)
        if problems:
            self.notify(f"{len(problems)} problem(s): nothing was applied", title=f"{FAIL} Invalid",
                        severity="error", timeout=4)
            self.refresh_views()
            return
        self.graded = False
        self.grade_passed = None
        if self.session.error:
            self.notify(self.session.error, title=f"{FAIL} Rejected", severity="error", timeout=6)
        if self.sandbox:
            self.notify("applied", timeout=2)
        editor.blur()
        self.refresh_views(force=True)
        if self.autoplay:
            self.play()

    def action_edit(self) -> None:
        self.query_one(YamlEditor).focus()

    # -- time -----------------------------------------------------------------------------------
    def play(self) -> None:
        self.playing = True
        self.query_one(FlowPanel).cursor = None
        self._last_wall = time.monotonic()
        if self._ticker is not None:
            self._ticker.resume()
        self.refresh_views()

    def pause(self) -> None:
        self.playing = False
        if self._ticker is not None:
            self._ticker.pause()
        try:
            self.query_one(TimeBar).show(self.session, self.playing, SPEEDS[self.speed_index])
        except Exception:  # noqa: BLE001
            pass

    def action_play_pause(self) -> None:
        if self.playing:
            self.pause()
        else:
            if self.lesson is not None and self.session.finished:
                self.notify("The run is over: r replays it, ctrl+s submits again.", timeout=3)
                return
            self.play()

    def _tick(self) -> None:
        if not self.playing:
            return
        now = time.monotonic()
        wall = min(0.5, max(0.0, now - (self._last_wall or now)))
        self._last_wall = now
        self.session.advance(wall * SPEEDS[self.speed_index], budget=TICK_BUDGET)
        if self.lesson is not None and self.session.finished:
            self.pause()
            self.refresh_views()
            return
        # the clock every tick; the panels at most PANEL_HZ times a second (keys stay responsive)
        self._panel_due = getattr(self, "_panel_due", 0.0)
        if now >= self._panel_due:
            self._panel_due = now + 1.0 / PANEL_HZ
            self.refresh_views()
        else:
            self.query_one(TimeBar).show(self.session, self.playing, SPEEDS[self.speed_index])

    def action_next_event(self) -> None:
        self.pause()
        self.query_one(FlowPanel).cursor = None     # follow the newest step again
        t = self.session.step()
        if t is None:
            self.notify("Nothing more is scheduled to happen.", timeout=2)
        self.refresh_views()

    def action_speed(self, delta: int) -> None:
        self.speed_index = max(0, min(len(SPEEDS) - 1, self.speed_index + delta))
        self.refresh_views()

    def action_restart(self) -> None:
        self.pause()
        self.graded = False
        self.grade_passed = None
        self.session.restart()
        self.refresh_views(force=True)

    # -- panels -----------------------------------------------------------------------------------
    def action_panel(self, pid: str) -> None:
        self._panel_chosen = True  # z now zooms this panel, though the lesson text keeps the focus
        tabs = self.query_one("#panels", TabbedContent)
        if tabs.active == pid:
            self.refresh_views(force=True)
        tabs.active = pid          # TabActivated draws the newly shown panel (once)

    def on_descendant_focus(self, event: Any) -> None:
        self._panel_chosen = False

    @on(TabbedContent.TabActivated)
    def _on_tab(self, event: TabbedContent.TabActivated) -> None:
        self.refresh_views()

    def action_item(self, delta: int) -> None:
        active = self.query_one("#panels", TabbedContent).active
        panel = self.query_one(f"#panel-{active}")
        if isinstance(panel, FlowPanel):
            panel.move(delta, self.session)
            panel.update_from(self.session, force=True)
            return
        if hasattr(panel, "index"):
            panel.index += delta
            if isinstance(panel, SchedulerPanel):
                n = len(self.session.scheduler_records())
                if n:
                    panel.index = max(-n, min(n - 1, panel.index))
            panel.update_from(self.session, force=True)

    def action_legacy(self) -> None:
        panel = self.query_one(SchedulerPanel)
        panel.show_legacy = not panel.show_legacy
        panel._seen_version = -1
        self.action_panel("scheduler")

    def action_goto_line(self) -> None:
        lines = self.query_one(SchedulerPanel).yaml_lines
        if not lines:
            self.notify("No YAML line to go to (the Scheduler panel names them when a Pod is pending).", timeout=3)
            return
        editor = self.query_one(YamlEditor)
        editor.focus()
        editor.cursor_location = (max(0, lines[0] - 1), 0)

    def action_filter(self) -> None:
        from kubetrainer.tui.screens.dialogs import FilterDialog

        panel = self.query_one(EventsPanel)

        def done(value: str | None) -> None:
            if value is not None:
                panel.filter = value
                panel._seen_version = -1
            self.action_panel("events")

        self.app.push_screen(FilterDialog(panel.filter), done)

    def action_zoom(self) -> None:
        """Zoom the focused pane (the editor, the lesson text) or else the active cluster panel."""
        if self.maximized is not None:
            self.minimize()
            return
        focused = self.focused
        if getattr(self, "_panel_chosen", False):
            focused = None             # a panel was chosen (1-6) since the focus last moved
        if focused is not None and focused.allow_maximize and focused.id in ("editor", "brief"):
            self.maximize(focused, container=False)
            return
        active = self.query_one("#panels", TabbedContent).active
        self.maximize(self.query_one(f"#panel-{active}"), container=False)

    # -- console -----------------------------------------------------------------------------------
    def action_console(self) -> None:
        console = self.query_one(Console)
        if console.is_open:
            console.close()
            self.set_focus(None)
        else:
            console.open()
        self.call_after_refresh(self.refresh_views, True)   # panels re-follow their newest lines

    @on(Console.Ran)
    def _on_console_ran(self, event: Console.Ran) -> None:
        self.refresh_views(force=True)

    # -- help, hints, predict ----------------------------------------------------------------------
    def action_help(self) -> None:
        from kubetrainer.tui.screens.dialogs import HelpScreen

        self.app.push_screen(HelpScreen(self))

    def action_hint(self) -> None:
        hints = list(getattr(self.lesson, "hints", ()) or ()) if self.lesson is not None else []
        if not hints:
            self.notify("This lesson has no hints.", timeout=2)
            return
        if self.hints_shown < len(hints):
            self.hints_shown += 1
            course = getattr(self.app, "course", None)
            if course is not None:
                course.record_hint(self.lesson, self.hints_shown)
                self._update_title()
        t = Text()
        for i, h in enumerate(hints[: self.hints_shown]):
            t.append(f"Hint {i + 1}/{len(hints)}: ", style="bold")
            t.append_text(safe(tr(self.lesson, h)))
            t.append("\n")
        self.query_one("#hints", Static).update(t)
        self.query_one("#brief", VerticalScroll).scroll_end(animate=False)

    def action_solution(self) -> None:
        if self.lesson is None:
            return
        sol = getattr(self.lesson, "solution_text", None)
        if not sol:
            return
        course = getattr(self.app, "course", None)
        if course is not None:
            course.record_solution_viewed(self.lesson)
        self.query_one(YamlEditor).load_text(sol)
        self.notify("The solution is in the editor (fewer stars for this lesson).", timeout=4)

    def action_predict(self, then_submit: bool = False) -> None:
        questions = list(getattr(self.lesson, "predict", ()) or ()) if self.lesson is not None else []
        if not questions:
            self.notify("This lesson asks no prediction.", timeout=2)
            return
        from kubetrainer.tui.screens.dialogs import PredictScreen

        def done(answers: dict[str, int] | None) -> None:
            if answers:
                self.predictions.update(answers)
            if then_submit:
                self._submit()

        self.app.push_screen(PredictScreen(self.lesson, questions), done)

    def action_back(self) -> None:
        console = self.query_one(Console)
        if console.is_open:
            console.close()
            self.set_focus(None)
            return
        if isinstance(self.focused, YamlEditor):
            self.set_focus(None)
            return
        if self.maximized is not None:
            self.minimize()
            return
        self.pause()
        self.app.action_lesson_map()

    def on_unmount(self) -> None:
        self.pause()
