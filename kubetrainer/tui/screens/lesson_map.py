"""The lesson map: chapters in the seed's order, lessons with difficulty, stars, completion and
lock state; enter opens, c continues where the learner left off."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Static

if TYPE_CHECKING:
    from textual.widgets import OptionList

from kubetrainer.tui.catalog import tr
from kubetrainer.tui.text import safe


def stars(n: int | None) -> str:
    n = max(0, min(3, int(n or 0)))
    return "★" * n + "☆" * (3 - n)


def summary(markdown: str) -> str:
    """A lesson's description before it is opened: the first prose paragraph of its text (headings,
    code blocks, tables, quotes and lists skipped), on one line, without the **, __ and * emphasis marks."""
    para: list[str] = []
    fence = ""
    for raw in markdown.splitlines():
        line = raw.strip()
        if fence:
            if line.startswith(fence):
                fence = ""
            continue
        if line.startswith(("```", "~~~")):
            if para:
                break
            fence = line[:3]
            continue
        if not line:
            if para:
                break
            continue
        if not para and (line.startswith(("#", "|", ">", "<", "- ", "* ", "+ ")) or line[:1].isdigit() and ". " in line[:4]):
            continue
        para.append(line)
    import re

    text = " ".join(para)
    for mark in ("**", "__"):
        text = text.replace(mark, "")
    text = re.sub(r"(?<![\w*])\*(?=\S)([^*]+?)(?<=\S)\*(?![\w*])", r"\1", text)   # *emphasis*
    return " ".join(text.split())


def inline(text: str) -> Text:
    """One line of lesson prose as rich Text: `code` spans bold without their backticks; nothing
    else is markup (square brackets stay literal)."""
    t = Text()
    for k, part in enumerate(text.split("`")):
        t.append_text(safe(part, "bold" if k % 2 else ""))
    return t


def clip_lines(text: Text, width: int, lines: int) -> list[Text]:
    """`text` wrapped to `width`, at most `lines` lines, the last one ending in … if cut."""
    from rich.console import Console

    width = max(10, width)
    out = list(text.wrap(Console(width=width, color_system=None), width, overflow="fold"))
    if len(out) > lines:
        out = out[:lines]
        last = out[-1]
        last.rstrip()
        if last.cell_len >= width:
            last.truncate(width - 1)
            last.rstrip()
        last.append("…")
    for line in out:
        line.rstrip()
    return out


class LessonMapScreen(Screen):
    AUTO_FOCUS = "#lessons"
    BINDINGS = [
        Binding("enter", "open", "Open", show=False),
        Binding("c", "continue", "Continue"),
        Binding("s", "sandbox", "Sandbox"),
        Binding("question_mark", "help", "Help", key_display="?"),
        Binding("q", "app.quit", "Quit"),
        Binding("j", "cursor(1)", "Down", show=False),
        Binding("k", "cursor(-1)", "Up", show=False),
    ]
    HELP = ("The lesson map lists the chapters in the order of the Pod tutorial. ✓ marks a finished "
            "lesson (with its stars), ▸ the lesson to continue with, ⊘ a locked one (finish its "
            "prerequisites first). The highlighted lesson's description is shown beside the list "
            "(below it in a narrow terminal). ↑↓ or j/k move, enter opens, c continues, s opens the sandbox.")
    NARROW = 100          # below this many columns the details are a strip under the list
    STRIP_LINES = 4       # the strip: one status line and up to three lines of description

    def __init__(self, **kw: Any) -> None:
        super().__init__(**kw)
        self._entries: list[Any] = []
        self._continue: int | None = None

    def compose(self):
        # Progressive start: the first frame is the title and a loading line (as cheap as a
        # hello-world app); the list, the details and the footer are mounted right after it, and
        # the packs are read in a worker thread.
        yield Static(self._title(), id="map-title", markup=False)
        yield Static(Text("  Loading lessons…", style="italic"), id="map-loading", markup=False)

    def _build(self) -> None:
        from textual.containers import Horizontal, VerticalScroll
        from textual.widgets import Footer, OptionList

        self.query_one("#map-loading").remove()
        body = Horizontal(OptionList(id="lessons"),
                          VerticalScroll(Static("", id="detail", markup=False), id="map-detail"), id="map-body")
        self.mount(body, Footer(compact=True))

    def on_resize(self, event: Any) -> None:
        self.set_class(event.size.width < self.NARROW, "-narrow")
        if getattr(self, "_loaded", False):
            self._show_detail()          # the strip's lines are wrapped to the width

    def on_mount(self) -> None:
        self.set_class(self.app.size.width < self.NARROW, "-narrow")
        course = getattr(self.app, "_course", None)
        if course is not None and getattr(course, "_loaded", True):
            self._build()
            self.call_later(self._ready)
            return

        def later() -> None:
            _ = self.app.course                  # opens the progress database (this thread)
            self._build()
            self.run_worker(self._load_course, thread=True, exclusive=True, group="course")

        self.call_after_refresh(later)           # after the first frame is on screen

    def retranslate(self) -> None:
        if getattr(self, "_loaded", False):
            self.reload()

    def _ready(self) -> None:
        self.reload()
        self.query_one("#lessons").focus()

    def _load_course(self) -> None:
        self.app.course.load_catalog()          # reads the packs off the UI thread
        self.app.call_from_thread(self._ready)

    def on_screen_resume(self) -> None:
        if getattr(self, "_loaded", False):
            self.reload()

    @staticmethod
    def _title(done: int | None = None, total: int = 0, xp: int = 0) -> Text:
        title = Text()
        title.append(" kubetrainer ", style="bold reverse")
        title.append("  Learn how Kubernetes runs Pods", style="bold")
        if done is not None:
            title.append(f"   {done}/{total} done  ◆ {xp} XP", style="dim")
        return title

    def reload(self) -> None:
        from textual.widgets import OptionList
        from textual.widgets.option_list import Option

        course = self.app.course
        self._entries = course.entries()
        ol = self.query_one(OptionList)
        keep = ol.highlighted if getattr(self, "_loaded", False) else None
        ol.clear_options()
        options: list[Option] = []
        self._continue = self._pick_continue(course)
        last_chapter = None
        chapter_no = 0
        done = 0
        for i, e in enumerate(self._entries):
            chapter = getattr(e, "chapter", None)
            cid = getattr(chapter, "id", chapter)
            if cid != last_chapter:
                last_chapter = cid
                chapter_no += 1
                title = tr(getattr(e, "pack", None), getattr(chapter, "title", cid) or cid)
                # under NO_COLOR the highlighted lesson is the underlined line (app.tcss): chapters bold only
                style = "bold" if self.app.no_color else "bold underline"
                options.append(Option(safe(f"{chapter_no}  {title}", style), disabled=True, id=f"ch-{i}"))
            if e.completed:
                done += 1
            options.append(Option(self._prompt(i, e), id=f"l-{i}"))
        if not options:
            options.append(Option(Text("No lessons found. s opens the sandbox.", style="italic"), disabled=True))
        ol.add_options(options)
        self._loaded = True
        self.query_one("#map-title", Static).update(self._title(done, len(self._entries), course.total_xp()))
        target = keep if keep is not None else None
        if target is None and self._continue is not None:
            target = self._index_of(self._continue)
        if target is None:
            target = next((k for k in range(ol.option_count) if not ol.get_option_at_index(k).disabled), None)
        if target is not None:
            ol.highlighted = target
        for p in course.problems[:1]:
            self.notify(p, title="Lesson packs", severity="warning", timeout=8)
        if course.notice:
            self.notify(course.notice, severity="warning", timeout=8)
            course.notice = None

    def _pick_continue(self, course: Any) -> int | None:
        """Where the learner left off: the open lesson worked on last, else the first open one."""
        open_ = [i for i, e in enumerate(self._entries) if not e.completed and not e.locked]
        best, best_t = None, ""
        for i in open_:
            prog = course.progress(self._entries[i].lesson)
            t = str(getattr(prog, "last_submitted_at", None) or "")
            if t > best_t:
                best, best_t = i, t
        return best if best is not None else (open_[0] if open_ else None)

    def _index_of(self, entry_index: int) -> int | None:
        ol = self.query_one("#lessons")
        for k in range(ol.option_count):
            if ol.get_option_at_index(k).id == f"l-{entry_index}":
                return k
        return None

    def _prompt(self, i: int, e: Any) -> Text:
        t = Text()
        if e.completed:
            t.append("✓ ", style="bold green")
        elif e.locked:
            t.append("⊘ ", style="dim")
        elif i == self._continue:
            t.append("▸ ", style="bold yellow")
        else:
            t.append("· ")
        t.append(stars(e.stars if e.completed else 0) + " ", style="yellow" if e.completed else "dim")
        t.append_text(safe(tr(e.lesson, e.lesson.title), "dim" if e.locked else ""))
        d = int(getattr(e.lesson, "difficulty", 0) or 0)
        t.append(f"  {'◆' * d}", style="dim")
        if e.locked:
            t.append("  locked", style="dim italic")
        elif i == self._continue:
            t.append("  continue", style="bold yellow")
        return t

    def _entry(self) -> Any:
        ol = self.query_one("#lessons")
        if ol.highlighted is None:
            return None
        oid = ol.get_option_at_index(ol.highlighted).id or ""
        if not oid.startswith("l-"):
            return None
        return self._entries[int(oid[2:])]

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self._show_detail()

    def _status(self, e: Any) -> str:
        return "✓ done " + stars(e.stars) if e.completed else ("⊘ locked" if e.locked else "· open")

    def _show_detail(self) -> None:
        try:
            detail = self.query_one("#detail", Static)
        except Exception:  # noqa: BLE001 - not built yet
            return
        e = self._entry()
        if e is None:
            detail.update("")
            return
        if self.app.size.width < self.NARROW:
            detail.update(self._strip(e))
            return
        lesson = e.lesson
        t = Text()
        t.append_text(safe(tr(lesson, lesson.title), "bold"))
        t.append("\n")
        t.append_text(safe(f"{tr(e.pack, getattr(e.chapter, 'title', ''))}", "italic"))
        about = summary(tr(lesson, getattr(lesson, "text", "") or ""))
        if about:
            t.append("\n\n")
            t.append_text(inline(about))
        d = int(getattr(lesson, "difficulty", 0) or 0)
        t.append(f"\n\ndifficulty  {'◆' * d}{'◇' * (5 - d)} {d}/5\n")
        t.append(f"status      {self._status(e)}\n")
        prog = self.app.course.progress(lesson)
        if prog is not None:
            t.append(f"attempts    {getattr(prog, 'attempts', 0)}   hints {getattr(prog, 'hints_used', 0)}\n")
        pre = list(getattr(lesson, "prerequisites", ()) or ())
        if pre:
            t.append_text(safe("needs       " + ", ".join(pre)))
            t.append("\n")
        n = len(getattr(lesson, "objectives", ()) or ())
        t.append(f"objectives  {n}\n")
        if getattr(lesson, "predict", None):
            t.append("predict     asks before the run\n")
        t.append("\nenter opens", style="dim")
        detail.update(t)

    def _strip(self, e: Any) -> Text:
        """The narrow layout's detail: a status line, then the description in up to three lines."""
        lesson = e.lesson
        width = self.app.size.width - 2          # the strip's padding
        d = int(getattr(lesson, "difficulty", 0) or 0)
        n = len(getattr(lesson, "objectives", ()) or ())
        status = self._status(e)
        facts = f"{'◆' * d}{'◇' * (5 - d)}  {status}  {n} objective{'s' if n != 1 else ''}" + \
            ("  predict" if getattr(lesson, "predict", None) else "")
        pre = ", ".join(getattr(lesson, "prerequisites", ()) or ())
        if e.locked and pre:
            facts += f"  needs {pre}"
        t = Text(no_wrap=True, overflow="ellipsis")
        t.append_text(safe(tr(lesson, lesson.title), "bold"))
        t.append("  ")
        t.append_text(safe(facts))
        if not e.locked:
            t.append("  enter opens", style="dim")
        t.truncate(width, overflow="ellipsis")
        about = summary(tr(lesson, getattr(lesson, "text", "") or ""))
        if about:
            for line in clip_lines(inline(about), width, self.STRIP_LINES - 1):
                t.append("\n")
                t.append_text(line)
        return t

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.action_open()

    def action_open(self) -> None:
        e = self._entry()
        if e is None:
            return
        if e.locked:
            pre = ", ".join(getattr(e.lesson, "prerequisites", ()) or ())
            self.notify(f"Locked: finish {pre or 'the earlier lessons'} first.", title="⊘ Locked",
                        severity="warning", timeout=4)
            return
        self.app.open_lesson(e.lesson)

    def action_continue(self) -> None:
        if self._continue is None:
            self.notify("Every open lesson is done. Try the sandbox (s).", timeout=3)
            return
        idx = self._index_of(self._continue)
        if idx is not None:
            self.query_one("#lessons").highlighted = idx
        self.app.open_lesson(self._entries[self._continue].lesson)

    def action_sandbox(self) -> None:
        self.app.open_sandbox()

    def action_help(self) -> None:
        from kubetrainer.tui.screens.dialogs import HelpScreen

        self.app.push_screen(HelpScreen(self))

    def action_cursor(self, delta: int) -> None:
        ol = self.query_one("#lessons")
        if delta > 0:
            ol.action_cursor_down()
        else:
            ol.action_cursor_up()
