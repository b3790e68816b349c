"""make_app(): the app with theme, animations and autoplay pinned (CRAFT.md §2.3)."""

from __future__ import annotations

from pathlib import Path

from kubetrainer.tui.app import KubeTrainerApp
from kubetrainer.tui.catalog import Course

PACK = Path(__file__).parent / "pack"


def course(builtin: bool = False) -> Course:
    """The test pack only (the built-in pack grows while we work; tests must not move with it)."""
    c = Course.__new__(Course)
    c.problems, c.notice, c.store = [], None, None
    from kubetrainer.course.packs import load_all_packs

    try:
        from kubetrainer.course.progress import ProgressStore

        c.store = ProgressStore.open()
    except ImportError:
        c.store = None
    c.catalog = load_all_packs(extra_dirs=[str(PACK)], progress=c.store, include_builtin=builtin,
                               include_installed=False)
    c.problems = list(c.catalog.problems)
    c._loaded = True
    return c


def make_app(start: str = "map", lesson_id: str | None = None, theme: str = "dark", world=None,
             **kw) -> KubeTrainerApp:
    app = KubeTrainerApp(start=start, lesson_id=lesson_id, world=world, autoplay=False,
                         course=course() if start != "sandbox" else None, **kw)
    app.theme = {"dark": "textual-dark", "light": "textual-light"}.get(theme, theme)
    app.animation_level = "none"
    app.notify = lambda *a, **k: None   # toasts expire on the wall clock: keep them out of snapshots
    return app
