"""The kubetrainer Textual app: lesson map, lesson, sandbox, help, palette, themes."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Iterable

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen
from textual.theme import Theme

from kubetrainer.tui.catalog import Course

HIGH_CONTRAST = Theme(
    name="kubetrainer-high-contrast", primary="#ffff00", secondary="#00ffff", accent="#ffffff",
    foreground="#ffffff", background="#000000", surface="#000000", panel="#1a1a1a",
    success="#00ff00", warning="#ffff00", error="#ff5555", boost="#333333", dark=True,
)
LANG_NAMES = {"en": "English", "zh-Hans": "中文 (简体)", "zh": "中文"}
THEMES = {"dark": "textual-dark", "light": "textual-light", "high-contrast": HIGH_CONTRAST.name}


class KubeTrainerApp(App):
    CSS_PATH = str(Path(__file__).with_name("app.tcss"))   # absolute: subclasses elsewhere still find it
    TITLE = "kubetrainer"
    BINDINGS = [
        Binding("ctrl+q", "quit", "Quit", priority=True, show=False),
        Binding("f1", "help", "Help", show=False),
        Binding("ctrl+t", "cycle_theme", "Theme", show=False),
    ]

    def __init__(self, start: str = "map", lesson_id: str | None = None, packs: Iterable[str] = (),
                 world: Any = None, autoplay: bool = True, seed: int = 0, course: Course | None = None,
                 theme: str | None = None) -> None:
        # NO_COLOR: Textual's own filter for it turns every colour into a grey of the same
        # luminance (textual/filter.py Monochrome), so red text (Warning, ✗) becomes dark grey
        # on black. With ansi_color=True Textual uses its NoColor filter instead: the terminal's
        # default foreground and background only, bold/italic/underline/reverse kept; the
        # `:nocolor` rules in app.tcss then mark cursors and highlights with reverse/bold.
        super().__init__(ansi_color=True if "NO_COLOR" in os.environ else None)
        self.register_theme(HIGH_CONTRAST)
        self.start = start
        self.lesson_id = lesson_id
        self.packs = list(packs)
        self.world = world
        self.autoplay = autoplay
        self.seed = seed
        self._course = course
        if theme:
            self.theme = THEMES.get(theme, theme)

    @property
    def course(self) -> Course:
        if self._course is None:
            self._course = Course(self.packs)
        return self._course

    def get_default_screen(self) -> Screen:
        """The first screen is composed directly (no blank default screen first: faster first frame)."""
        if self.start == "sandbox":
            from kubetrainer.tui.screens.lesson import LessonScreen

            return LessonScreen(lesson=None, world=self.world, seed=self.seed, autoplay=self.autoplay)
        if self.start == "lesson" and self.lesson_id:
            from kubetrainer.tui.screens.lesson import LessonScreen

            return LessonScreen(lesson=self.course.get(self.lesson_id), seed=self.seed, autoplay=self.autoplay)
        from kubetrainer.tui.screens.lesson_map import LessonMapScreen

        return LessonMapScreen()

    # -- navigation ------------------------------------------------------------------------------
    def action_lesson_map(self) -> None:
        from kubetrainer.tui.screens.lesson_map import LessonMapScreen

        for s in self.screen_stack:
            if isinstance(s, LessonMapScreen):
                while self.screen is not s:
                    self.pop_screen()
                return
        self.push_screen(LessonMapScreen())   # (the first screen cannot be switched away)

    def _show(self, screen: Screen, switch: bool) -> None:
        if switch and len(self.screen_stack) > 1:
            self.switch_screen(screen)
        else:
            self.push_screen(screen)

    def open_lesson(self, lesson: Any, switch: bool = False) -> None:
        from kubetrainer.tui.screens.lesson import LessonScreen

        self._show(LessonScreen(lesson=lesson, seed=self.seed, autoplay=self.autoplay), switch)

    def open_sandbox(self, switch: bool = False) -> None:
        from kubetrainer.tui.screens.lesson import LessonScreen

        self._show(LessonScreen(lesson=None, world=self.world, seed=self.seed, autoplay=self.autoplay), switch)

    # -- help, themes, palette ------------------------------------------------------------------------
    def action_help(self) -> None:
        from kubetrainer.tui.screens.dialogs import HelpScreen

        if type(self.screen).__name__ != "HelpScreen":
            self.push_screen(HelpScreen(self.screen))

    def set_language(self, lang: str) -> None:
        from kubetrainer.tui.catalog import set_language

        set_language(lang)
        for screen in self.screen_stack:
            fn = getattr(screen, "retranslate", None)
            if callable(fn):
                fn()

    def action_cycle_theme(self) -> None:
        order = list(THEMES.values())
        i = order.index(self.theme) if self.theme in order else -1
        self.theme = order[(i + 1) % len(order)]
        self.notify(f"theme: {self.theme}", timeout=2)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        for label, name in THEMES.items():
            yield SystemCommand(f"Theme: {label}", f"switch to the {label} theme",
                                lambda n=name: setattr(self, "theme", n))
        from kubetrainer.tui.catalog import languages

        for lang in languages(self.course) if self._course is not None else []:
            yield SystemCommand(f"Language: {LANG_NAMES.get(lang, lang)}", f"lesson texts in {lang}",
                                lambda l=lang: self.set_language(l))
        yield SystemCommand("Lesson map", "chapters and lessons", self.action_lesson_map)
        yield SystemCommand("Sandbox", "free play on the default world", self.open_sandbox)
        if type(screen).__name__ == "LessonScreen":
            s: Any = screen
            for title, help_, fn in (
                ("Submit", "validate and apply the YAML (ctrl+s)", s.action_submit),
                ("Play / pause", "run the virtual clock (space)", s.action_play_pause),
                ("Next event", "jump to the next thing that happens (n)", s.action_next_event),
                ("Restart run", "the same YAML again from t=0 (r)", s.action_restart),
                ("kubectl console", "run kubectl on the simulated cluster (:)", s.action_console),
                ("Hint", "the next hint (h)", s.action_hint),
                ("Show solution", "load the solution into the editor (S)", s.action_solution),
                ("Legacy scheduler names", "predicates/priorities of the seed (L)", s.action_legacy),
            ):
                yield SystemCommand(title, help_, fn)
            for pid in ("flow", "scheduler", "lifecycle", "events", "nodes", "rollout"):
                yield SystemCommand(f"Panel: {pid.capitalize()}", f"show the {pid} panel",
                                    lambda p=pid, sc=s: sc.action_panel(p))
        else:
            for e in self.course.entries():
                lesson = e.lesson
                from kubetrainer.tui.catalog import tr

                yield SystemCommand(f"Lesson: {tr(lesson, lesson.title)}", f"open {lesson.id}",
                                    lambda l=lesson: self.open_lesson(l))

    def on_unmount(self) -> None:
        if self._course is not None:
            self._course.close()
