"""Pilot tests: behaviour of the lesson map, lesson and sandbox screens driven by keys."""

from __future__ import annotations

from kubetrainer.tui.screens.lesson import LessonScreen
from kubetrainer.tui.screens.lesson_map import LessonMapScreen
from kubetrainer.tui.widgets.editor import YamlEditor

from .factory import make_app
from .helpers import screen_text

BAD_YAML = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n    - image: nginx\n"


async def test_map_lists_chapters_lessons_and_lock_state():
    app = make_app("map")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, LessonMapScreen)
        text = screen_text(app)
        assert "Basics" in text and "Scheduling" in text
        assert "Your first Pod" in text and "continue" in text
        assert "⊘" in text and "locked" in text


async def test_map_enter_opens_lesson_and_escape_returns():
    app = make_app("map")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, LessonScreen)
        assert app.screen.lesson.id == "first-pod"
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, LessonMapScreen)


async def test_locked_lesson_does_not_open():
    app = make_app("map")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("down", "enter")
        await pilot.pause()
        assert isinstance(app.screen, LessonMapScreen)


async def test_lesson_screen_shows_title_and_panel_tabs_at_80x24():
    app = make_app("lesson", "first-pod")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        text = screen_text(app)
        for word in ("Your first Pod", "Flow", "Scheduler", "Lifecycle", "Events", "Nodes", "Rollout"):
            assert word in text, word
        # lesson text is text, never Rich markup
        assert "[bold]not markup[/bold]" in app.screen.query_one("#lesson-text").source


async def test_lesson_text_is_not_rich_markup():
    app = make_app("lesson", "first-pod")
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        assert "[bold]not markup[/bold]" in screen_text(app)


async def test_zoom_toggles_the_panels():
    app = make_app("sandbox")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("z")
        assert app.screen.maximized is not None
        await pilot.press("z")
        assert app.screen.maximized is None


async def test_zoom_after_choosing_a_panel_zooms_that_panel():
    app = make_app("sandbox")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.focused is not None and app.focused.id == "brief"     # the lesson text has the focus
        await pilot.press("4", "z")
        assert app.screen.maximized is not None and app.screen.maximized.id == "panel-events"
        await pilot.press("z")
        assert app.screen.maximized is None
        await pilot.press("e", "escape")                                   # focus moved: z zooms it
        app.screen.query_one("#brief").focus()
        await pilot.pause()
        await pilot.press("z")
        assert app.screen.maximized is not None and app.screen.maximized.id == "brief"


async def test_invalid_yaml_is_reported_inline_and_not_applied():
    app = make_app("lesson", "too-big")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = app.screen
        screen.query_one(YamlEditor).load_text(BAD_YAML)
        await pilot.pause(0.5)               # debounce
        assert screen._problems, "validation runs as you type"
        assert 7 in {p.line for p in screen._problems}
        assert 6 in screen.query_one(YamlEditor).error_lines
        assert "✗ 7:" in screen_text(app)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert screen.session.lsession is None    # nothing applied


async def test_submit_step_and_objectives_tick(monkeypatch):
    app = make_app("lesson", "too-big")
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        screen = app.screen
        screen.query_one(YamlEditor).load_text(screen.lesson.solution_text)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert screen.session.lsession is not None
        assert not screen.playing            # tests: no autoplay
        assert "… big is scheduled" in screen_text(app)     # not decided before its deadline
        t0 = screen.session.now
        await pilot.press("n")
        await pilot.pause()
        assert screen.session.now >= t0
        for _ in range(40):
            if screen.graded:
                break
            await pilot.press("n")
        await pilot.pause()
        assert screen.graded and screen.grade_passed
        assert "✓ big is scheduled" in screen_text(app)


async def test_failing_objective_shows_reason():
    app = make_app("lesson", "too-big")
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        screen = app.screen
        await pilot.press("ctrl+s")
        await pilot.pause()
        screen.session.advance(20)
        screen.refresh_views()
        await pilot.pause()
        assert screen.graded and screen.grade_passed is False
        text = screen_text(app)
        assert "✗ big is scheduled" in text


async def test_play_pause_and_speed():
    app = make_app("sandbox")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = app.screen
        await pilot.press("space")
        assert screen.playing
        await pilot.press("space")
        assert not screen.playing
        await pilot.press("plus", "plus")
        assert screen.speed_index == 2
        await pilot.press("minus")
        assert screen.speed_index == 1
        assert "2×" in screen_text(app)


async def test_console_runs_kubectl_with_history():
    app = make_app("sandbox")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = app.screen
        await pilot.press("ctrl+s")
        await pilot.pause()
        screen.session.advance(10)
        await pilot.press("colon")
        await pilot.pause()
        await pilot.press(*"get pods", "enter")
        await pilot.pause()
        assert screen.session.history == ["get pods"]
        line, out = screen.session.console_log[-1]
        assert out == screen.session.cluster.kubectl("get pods").output
        assert "web" in out
        await pilot.press("up")
        assert screen.query_one("#console-input").value == "get pods"
        inp = screen.query_one("#console-input")
        inp.value = ""
        await pilot.press(*"desc")
        await pilot.pause(0.2)
        await pilot.press("tab")               # completes from the engine's verbs
        assert inp.value == "describe"
        await pilot.press("escape")
        await pilot.pause()
        assert not screen.query_one("#console").is_open


async def test_help_screen_lists_keys():
    app = make_app("lesson", "first-pod")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        text = screen_text(app)
        assert "Submit" in text and "ctrl+s" in text.lower() or "^s" in text
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, LessonScreen)


async def test_predict_asked_before_run_and_revealed():
    app = make_app("lesson", "first-pod")
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        screen = app.screen
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert type(app.screen).__name__ == "PredictScreen"
        await pilot.press("down", "enter")     # "Running"
        await pilot.pause()
        assert screen.predictions == {"where": 1}
        screen.session.advance(40)
        screen.refresh_views()
        await pilot.pause()
        assert "you said: Running" in screen_text(app)


async def test_panel_keys_switch_tabs():
    app = make_app("sandbox")
    async with app.run_test(size=(100, 30)) as pilot:
        for key, pid in (("2", "scheduler"), ("3", "lifecycle"), ("4", "events"), ("5", "nodes"),
                         ("6", "rollout"), ("1", "flow")):
            await pilot.press(key)
            assert app.screen.query_one("#panels").active == pid


async def test_quit_with_ctrl_q():
    app = make_app("map")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+q")
    assert app.return_code in (0, None)


async def test_play_then_escape_goes_to_the_map():
    app = make_app("lesson", "first-pod")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, LessonMapScreen)


async def test_hint_is_shown_and_recorded():
    app = make_app("lesson", "first-pod")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("h")
        await pilot.pause()
        assert "Hint 1/1" in str(app.screen.query_one("#hints").render())
        assert app.course.progress(app.screen.lesson).hints_used == 1


async def test_passing_a_lesson_updates_the_map():
    app = make_app("map")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("down", "down")                # too-big (chapter 2)
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        screen = app.screen
        assert screen.lesson.id == "too-big"
        screen.query_one(YamlEditor).load_text(screen.lesson.solution_text)
        await pilot.press("ctrl+s")
        await pilot.pause()
        screen.session.advance(20)
        screen.refresh_views()
        await pilot.pause()
        assert screen.grade_passed
        assert "★" in str(screen.query_one("#lesson-title").render())
        await pilot.press("escape")
        await pilot.pause()
        text = screen_text(app)
        assert "✓" in text and "1/3 done" in text


async def test_restart_replays_from_zero():
    app = make_app("sandbox")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = app.screen
        await pilot.press("ctrl+s")
        screen.session.advance(15)
        assert screen.session.now >= 15
        await pilot.press("r")
        await pilot.pause()
        assert screen.session.now == 0
        assert screen.session.manifests        # the same YAML applied again


async def test_legacy_names_and_goto_line_on_pending_pod():
    app = make_app("lesson", "too-big")
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        screen = app.screen
        await pilot.press("ctrl+s")
        screen.session.advance(5)
        await pilot.press("2")
        await pilot.pause()
        text = screen_text(app)
        assert "FailedScheduling" in text and "Insufficient cpu" in text
        await pilot.press("L")
        await pilot.pause()
        assert "was: PodFitsResources" in screen_text(app) or "was:" in screen_text(app)
        await pilot.press("g")
        await pilot.pause()
        editor = screen.query_one(YamlEditor)
        assert editor.has_focus
        line = editor.cursor_location[0] + 1
        assert "cpu" in editor.document.get_line(line - 1)


async def test_events_filter():
    app = make_app("sandbox")
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        screen = app.screen
        await pilot.press("ctrl+s")
        screen.session.advance(10)
        await pilot.press("4", "slash")
        await pilot.pause()
        await pilot.press(*"Pulled", "enter")
        await pilot.pause()
        text = screen_text(app)
        assert "filter: Pulled" in text
        assert "Pulled" in text and "Scheduled" not in text


async def test_theme_cycle_and_palette_commands():
    app = make_app("sandbox")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+t")
        assert app.theme == "textual-light"
        await pilot.press("ctrl+t")
        assert app.theme == "kubetrainer-high-contrast"
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "Submit" in titles and "Panel: Scheduler" in titles and "Theme: light" in titles


async def test_flow_steps_walk_one_by_one():
    app = make_app("sandbox")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = app.screen
        await pilot.press("ctrl+s")
        screen.session.advance(5)
        await pilot.press("1", "left_square_bracket")
        await pilot.pause()
        n = len(screen.session.flow())
        assert f"step {n - 1}/{n}" in screen_text(app)
        await pilot.press("right_square_bracket")
        await pilot.pause()
        assert "step " not in screen_text(app)      # back to following the newest step


async def test_continue_picks_the_lesson_worked_on_last():
    app = make_app("map")
    lesson = app.course.catalog.get("too-big")
    app.course.record_submission(lesson, "kind: Pod", False)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert "▸ ☆☆☆ A Pod that fits nowhere" in screen_text(app)
        await pilot.press("c")
        await pilot.pause()
        assert app.screen.lesson.id == "too-big"
        assert app.screen.query_one(YamlEditor).text == "kind: Pod"   # the last submission, to go on with
