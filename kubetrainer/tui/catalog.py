"""The course as the TUI sees it: lessons in chapter order with progress, one lesson's texts.

A thin adapter over kubetrainer.course (packs, progress); nothing here decides what a lesson is.
"""

from __future__ import annotations

import os
from typing import Any

LANG = (os.environ.get("KUBETRAINER_LANG") or "en")


def set_language(lang: str) -> None:
    global LANG
    LANG = lang


def languages(course: "Course") -> list[str]:
    out: list[str] = []
    for pack in getattr(course.catalog, "packs", []) or []:
        for lang in getattr(pack, "languages", ()) or ():
            if lang not in out:
                out.append(lang)
    return out or ["en"]


def tr(lesson_or_pack: Any, value: Any, lang: str | None = None) -> str:
    """A translated text ({lang: text} or a plain string), with the course's own fallback."""
    lang = lang or LANG
    if isinstance(value, dict) and lang not in value:
        for k in value:                      # "zh" matches "zh-Hans"
            if k.split("-")[0] == lang.split("-")[0]:
                lang = k
                break
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    fn = getattr(lesson_or_pack, "tr", None)
    if callable(fn):
        try:
            return str(fn(value, lang))
        except Exception:  # noqa: BLE001
            pass
    if isinstance(value, dict):
        return str(value.get(lang) or next(iter(value.values()), ""))
    return str(value)


class Course:
    """Catalog + progress store, opened once per app."""

    def __init__(self, extra_dirs: list[str] | None = None) -> None:
        self.problems: list[str] = []
        self.notice: str | None = None
        self.store: Any = None
        self.catalog: Any = None
        try:
            from kubetrainer.course.progress import ProgressStore

            self.store = ProgressStore.open()
            self.notice = getattr(self.store, "notice", None)
        except Exception as exc:  # noqa: BLE001
            self.problems.append(f"progress: {type(exc).__name__}: {exc}")
        self._extra_dirs = list(extra_dirs or [])
        self._loaded = False

    def load_catalog(self) -> None:
        """Read the packs (safe in a worker thread: the progress store is only used later)."""
        if self._loaded:
            return
        self._loaded = True
        try:
            from kubetrainer.course.packs import load_all_packs

            self.catalog = load_all_packs(extra_dirs=self._extra_dirs, progress=self.store)
            self.problems.extend(getattr(self.catalog, "problems", []) or [])
        except Exception as exc:  # noqa: BLE001
            self.problems.append(f"lesson packs: {type(exc).__name__}: {exc}")

    def entries(self) -> list[Any]:
        self.load_catalog()
        if self.catalog is None:
            return []
        try:
            return list(self.catalog.entries())
        except Exception as exc:  # noqa: BLE001
            self.problems.append(f"lesson packs: {type(exc).__name__}: {exc}")
            return []

    def get(self, lesson_id: str) -> Any:
        self.load_catalog()
        if self.catalog is None:
            raise KeyError(lesson_id)
        return self.catalog.get(lesson_id)

    def pack_of(self, lesson: Any) -> str:
        pid = getattr(getattr(lesson, "pack", None), "id", None)
        if pid:
            return str(pid)
        for e in self.entries():
            if e.lesson is lesson or getattr(e.lesson, "id", None) == getattr(lesson, "id", None):
                return getattr(e.pack, "id", str(e.pack))
        return getattr(getattr(lesson, "pack", None), "id", None) or "builtin"

    def progress(self, lesson: Any) -> Any:
        if self.store is None:
            return None
        try:
            return self.store.get(self.pack_of(lesson), lesson.id)
        except Exception:  # noqa: BLE001
            return None

    def total_xp(self) -> int:
        try:
            return int(self.store.total_xp()) if self.store is not None else 0
        except Exception:  # noqa: BLE001
            return 0

    def record_submission(self, lesson: Any, text: str, passed: bool, seconds: float | None = None) -> Any:
        if self.store is None:
            return None
        try:
            return self.store.record_submission(self.pack_of(lesson), lesson.id, text, passed, seconds=seconds)
        except Exception as exc:  # noqa: BLE001
            self.problems.append(f"progress: {type(exc).__name__}: {exc}")
            return None

    def record_hint(self, lesson: Any, n: int) -> None:
        if self.store is not None:
            try:
                self.store.record_hint(self.pack_of(lesson), lesson.id, n)
            except Exception:  # noqa: BLE001
                pass

    def record_solution_viewed(self, lesson: Any) -> None:
        if self.store is not None:
            try:
                self.store.record_solution_viewed(self.pack_of(lesson), lesson.id)
            except Exception:  # noqa: BLE001
                pass

    def close(self) -> None:
        if self.store is not None:
            try:
                self.store.close()
            except Exception:  # noqa: BLE001
                pass
