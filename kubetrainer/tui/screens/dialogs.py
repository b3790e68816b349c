"""Modal screens: help (per screen), predict-the-outcome, the events filter."""

from __future__ import annotations

from typing import Any

from rich.table import Table
from rich import box
from rich.text import Text
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from kubetrainer.tui.catalog import tr
from kubetrainer.tui.text import safe


def _key_label(app: Any, key: str, display: str | None) -> str:
    if display:
        return display
    try:
        return app.get_key_display(Binding(key, ""))
    except Exception:  # noqa: BLE001
        return key


class HelpScreen(ModalScreen[None]):
    """The keys of the screen underneath (its BINDINGS and the app's), and what the screen is for."""

    BINDINGS = [Binding("escape,q,question_mark,f1", "dismiss_help", "Close")]
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll { width: 90%; max-width: 100; height: 90%; border: thick $accent;
        background: $surface; padding: 0 1; }
    """

    def __init__(self, screen: Any) -> None:
        super().__init__()
        self.target = screen

    def compose(self):
        with VerticalScroll(id="help"):
            yield Static(self._text(), markup=False)

    def _text(self) -> Any:
        t = Table(box=box.SIMPLE_HEAD, expand=True, title="Help — " + type(self.target).__name__.replace("Screen", ""),
                  title_justify="left", show_edge=False)
        t.add_column("key", no_wrap=True, style="bold")
        t.add_column("does", ratio=1)
        seen = set()
        for b in list(getattr(self.target, "BINDINGS", [])) + list(getattr(self.app, "BINDINGS", [])):
            if isinstance(b, tuple):
                b = Binding(*b)
            if b.description in seen or not b.description:
                continue
            seen.add(b.description)
            keys = b.key_display or ", ".join(_key_label(self.app, k.strip(), None) for k in b.key.split(","))
            t.add_row(keys, b.description)
        t.add_row("ctrl+p", "command palette: every action, lessons, themes")
        t.add_row("tab / shift+tab", "move the focus between panes")
        about = Text(getattr(self.target, "HELP", "") or "", style="italic")
        from rich.console import Group

        return Group(t, Text(""), about, Text("\nesc closes this help.", style="dim"))

    def action_dismiss_help(self) -> None:
        self.dismiss(None)


class PredictScreen(ModalScreen[dict]):
    """Before the run: one question at a time; the run then reveals the answer."""

    BINDINGS = [Binding("escape", "skip", "Skip")]
    DEFAULT_CSS = """
    PredictScreen { align: center middle; }
    PredictScreen > Vertical { width: 80%; max-width: 90; height: auto; max-height: 90%; border: thick $accent;
        background: $surface; padding: 0 1; }
    PredictScreen OptionList { height: auto; max-height: 10; }
    """

    def __init__(self, lesson: Any, questions: list[Any]) -> None:
        super().__init__()
        self.lesson = lesson
        self.questions = questions
        self.i = 0
        self.answers: dict[str, int] = {}

    def compose(self):
        with Vertical():
            yield Static(Text("Predict the outcome", style="bold"), id="predict-title")
            yield Static("", id="predict-q", markup=False)
            yield OptionList(id="predict-choices")
            yield Static(Text("↑↓ choose · enter answer · esc skip", style="dim"))

    def on_mount(self) -> None:
        self._show()

    def _show(self) -> None:
        q = self.questions[self.i]
        head = Text(f"{self.i + 1}/{len(self.questions)}  ", style="bold")
        head.append_text(safe(tr(self.lesson, q.question)))
        self.query_one("#predict-q", Static).update(head)
        ol = self.query_one(OptionList)
        ol.clear_options()
        ol.add_options([Option(safe(f"{chr(97 + k)}) " + tr(self.lesson, c)), id=str(k))
                        for k, c in enumerate(q.choices)])
        ol.highlighted = 0
        ol.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        q = self.questions[self.i]
        self.answers[q.id] = int(event.option.id)
        self.i += 1
        if self.i >= len(self.questions):
            self.dismiss(self.answers)
        else:
            self._show()

    def action_skip(self) -> None:
        self.dismiss(self.answers)


class FilterDialog(ModalScreen[str]):
    BINDINGS = [Binding("escape", "cancel", "Cancel")]
    DEFAULT_CSS = """
    FilterDialog { align: center bottom; }
    FilterDialog > Vertical { width: 100%; height: auto; background: $surface; border-top: solid $accent; }
    """

    def __init__(self, value: str) -> None:
        super().__init__()
        self.value = value

    def compose(self):
        with Vertical():
            yield Label("Filter events (reason, object, message; empty clears):")
            yield Input(self.value, id="filter-input")

    def on_mount(self) -> None:
        inp = self.query_one(Input)
        inp.cursor_blink = False
        inp.focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value.strip())

    def action_cancel(self) -> None:
        self.dismiss(None)
