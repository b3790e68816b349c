"""The learner's progress, in SQLite under the user's data directory.

* Where: ``$KUBETRAINER_DATA_DIR/progress.sqlite3`` when that variable is set (tests, snapshot
  runs), else ``platformdirs.user_data_dir("kubetrainer")/progress.sqlite3``.
* Every write is one transaction (``BEGIN IMMEDIATE`` ... ``COMMIT``) in WAL mode with
  ``synchronous=FULL``: a killed process, a power cut or a full disk loses at most the write in
  progress, never one already committed.
* Two programs at once (the TUI and ``kubetrainer check``): SQLite's locking plus a busy timeout;
  writers wait for each other instead of failing.
* A file that is not a database, fails SQLite's quick_check, or was written by a newer
  kubetrainer is never deleted: it is renamed aside with a timestamp suffix
  (``progress.sqlite3.corrupt-20261127T170102Z``) and `notice` says so; a new database starts.
  (The engine never reads the wall clock; the progress store may.)
"""

from __future__ import annotations

import datetime as _dt
import os
import sqlite3
from pathlib import Path
from typing import Any

import attrs

SCHEMA_VERSION = 1
DB_NAME = "progress.sqlite3"
BUSY_TIMEOUT_MS = 15000

_SCHEMA = """
CREATE TABLE IF NOT EXISTS lesson_progress (
    pack TEXT NOT NULL,
    lesson TEXT NOT NULL,
    completed INTEGER NOT NULL DEFAULT 0,
    stars INTEGER NOT NULL DEFAULT 0,
    hints_used INTEGER NOT NULL DEFAULT 0,
    attempts INTEGER NOT NULL DEFAULT 0,
    solution_viewed INTEGER NOT NULL DEFAULT 0,
    best_seconds REAL,
    last_submission TEXT,
    last_submitted_at TEXT,
    completed_at TEXT,
    xp INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (pack, lesson)
);
"""

_COLUMNS = ("pack", "lesson", "completed", "stars", "hints_used", "attempts", "solution_viewed",
            "best_seconds", "last_submission", "last_submitted_at", "completed_at", "xp")


@attrs.define(frozen=True)
class LessonProgress:
    pack: str
    lesson: str
    completed: bool = False
    stars: int = 0
    hints_used: int = 0
    attempts: int = 0
    solution_viewed: bool = False
    best_seconds: float | None = None
    last_submission: str | None = None
    last_submitted_at: str | None = None
    completed_at: str | None = None
    xp: int = 0


def data_dir() -> Path:
    env = os.environ.get("KUBETRAINER_DATA_DIR")
    if env:
        return Path(env)
    import platformdirs

    return Path(platformdirs.user_data_dir("kubetrainer"))


def default_path() -> Path:
    return data_dir() / DB_NAME


def stars_for(hints_used: int, attempts: int, solution_viewed: bool) -> int:
    """Stars for a pass: 3 without hints in at most 3 attempts; one less for a hint, one less
    for two or more hints or more than 3 attempts; 1 when the solution was shown."""
    if solution_viewed:
        return 1
    stars = 3
    if hints_used >= 1:
        stars -= 1
    if hints_used >= 2 or attempts > 3:
        stars -= 1
    return max(1, stars)


def xp_for(stars: int, difficulty: int) -> int:
    return 10 * max(1, int(difficulty)) * max(0, int(stars))


def _now_iso() -> str:
    return _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _stamp() -> str:
    return _dt.datetime.now(_dt.timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")


class ProgressError(Exception):
    """The progress store cannot be opened or written; str() is a message for the user."""


class ProgressStore:
    """Open with `ProgressStore.open()` (or `ProgressStore(path)`); close with `close()`."""

    def __init__(self, path: str | os.PathLike | None = None) -> None:
        self.path = Path(path) if path is not None else default_path()
        self.notice: str | None = None
        self._conn: sqlite3.Connection | None = None
        self._open()

    @classmethod
    def open(cls, path: str | os.PathLike | None = None) -> "ProgressStore":
        return cls(path)

    # -- opening, and keeping bad files aside --------------------------------------------
    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(str(self.path), timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
        conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        return conn

    def _open(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        for attempt in range(2):
            conn = None
            try:
                conn = self._connect()
                problem = self._inspect(conn)
                if problem is None:
                    self._conn = conn
                    return
                conn.close()
                conn = None
                self._set_aside(problem)
            except sqlite3.DatabaseError as err:
                if conn is not None:
                    conn.close()
                if attempt:
                    raise ProgressError(f"cannot open the progress database {self.path}: {err}") from None
                self._set_aside(("corrupt", f"it is not a readable SQLite database ({err})"))
        raise ProgressError(f"cannot open the progress database {self.path}")

    def _inspect(self, conn: sqlite3.Connection) -> tuple[str, str] | None:
        """None when usable (creating the schema if the file is new), else (tag, why)."""
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            return ("newer", f"it was written by a newer kubetrainer (schema {version}; this one reads {SCHEMA_VERSION})")
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=FULL")
        check = conn.execute("PRAGMA quick_check").fetchone()[0]
        if check != "ok":
            return ("corrupt", f"SQLite's quick_check failed: {check}")
        if version == 0:
            conn.execute("BEGIN IMMEDIATE")
            try:
                if conn.execute("PRAGMA user_version").fetchone()[0] == 0:
                    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
                    if tables - {"lesson_progress"}:
                        conn.execute("ROLLBACK")
                        return ("corrupt", "it is not a kubetrainer progress database")
                    conn.execute(_SCHEMA)
                    conn.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
        cols = {r[1] for r in conn.execute("PRAGMA table_info(lesson_progress)")}
        if not set(_COLUMNS) <= cols:
            return ("corrupt", "its lesson_progress table is not the one kubetrainer writes")
        return None

    def _set_aside(self, problem: tuple[str, str]) -> None:
        tag, why = problem
        target = self.path.with_name(f"{self.path.name}.{tag}-{_stamp()}")
        for suffix in ("", "-wal", "-shm", "-journal"):
            src = Path(str(self.path) + suffix)
            if src.exists():
                os.replace(src, Path(str(target) + suffix))
        msg = f"the progress database {self.path} could not be used: {why}; it was kept as {target} and a new one was started"
        self.notice = msg if self.notice is None else self.notice + "\n" + msg

    # -- reading ------------------------------------------------------------------------------
    @property
    def conn(self) -> sqlite3.Connection:
        if self._conn is None:
            raise ProgressError("the progress store is closed")
        return self._conn

    def get(self, pack: str, lesson: str) -> LessonProgress:
        row = self.conn.execute(f"SELECT {', '.join(_COLUMNS)} FROM lesson_progress WHERE pack=? AND lesson=?",
                                (pack, lesson)).fetchone()
        return _row(row) if row else LessonProgress(pack, lesson)

    def all(self) -> list[LessonProgress]:
        rows = self.conn.execute(f"SELECT {', '.join(_COLUMNS)} FROM lesson_progress ORDER BY pack, lesson").fetchall()
        return [_row(r) for r in rows]

    def total_xp(self) -> int:
        return int(self.conn.execute("SELECT COALESCE(SUM(xp), 0) FROM lesson_progress").fetchone()[0])

    # -- writing: one transaction each ------------------------------------------------------
    def _write(self, fn: Any) -> Any:
        """Run `fn(conn)` in one transaction. A failure (disk full, database locked for longer
        than the busy timeout, ...) rolls it back and raises ProgressError: what was saved before
        stays saved."""
        c = self.conn
        try:
            c.execute("BEGIN IMMEDIATE")
            try:
                out = fn(c)
                c.execute("COMMIT")
                return out
            except BaseException:
                if c.in_transaction:
                    try:
                        c.execute("ROLLBACK")
                    except sqlite3.Error:
                        pass
                raise
        except sqlite3.Error as err:
            raise ProgressError(f"progress not saved in {self.path}: {err}") from None

    @staticmethod
    def _ensure(c: sqlite3.Connection, pack: str, lesson: str) -> None:
        c.execute("INSERT OR IGNORE INTO lesson_progress (pack, lesson) VALUES (?, ?)", (pack, lesson))

    def record_hint(self, pack: str, lesson: str, hints_used: int) -> LessonProgress:
        """`hints_used`: how many hints the learner has revealed so far (the maximum is kept)."""
        def fn(c: sqlite3.Connection) -> None:
            self._ensure(c, pack, lesson)
            c.execute("UPDATE lesson_progress SET hints_used=MAX(hints_used, ?) WHERE pack=? AND lesson=?",
                      (int(hints_used), pack, lesson))
        self._write(fn)
        return self.get(pack, lesson)

    def record_solution_viewed(self, pack: str, lesson: str) -> LessonProgress:
        def fn(c: sqlite3.Connection) -> None:
            self._ensure(c, pack, lesson)
            c.execute("UPDATE lesson_progress SET solution_viewed=1 WHERE pack=? AND lesson=?", (pack, lesson))
        self._write(fn)
        return self.get(pack, lesson)

    def record_submission(self, pack: str, lesson: str, text: str, passed: bool,
                          seconds: float | None = None, difficulty: int = 1) -> LessonProgress:
        """One graded submission: attempts+1, the text kept as the last submission; on a pass the
        lesson is completed, and the best stars, XP and time are kept."""
        def fn(c: sqlite3.Connection) -> None:
            self._ensure(c, pack, lesson)
            row = c.execute("SELECT hints_used, attempts, solution_viewed, stars, xp, best_seconds, completed_at "
                            "FROM lesson_progress WHERE pack=? AND lesson=?", (pack, lesson)).fetchone()
            hints, attempts, sol, stars, xp, best, completed_at = row
            attempts += 1
            now = _now_iso()
            if passed:
                new_stars = stars_for(hints, attempts, bool(sol))
                stars = max(stars, new_stars)
                xp = max(xp, xp_for(new_stars, difficulty))
                if seconds is not None:
                    best = seconds if best is None else min(best, seconds)
                completed_at = completed_at or now
            c.execute("UPDATE lesson_progress SET attempts=?, last_submission=?, last_submitted_at=?, "
                      "completed=MAX(completed, ?), stars=?, xp=?, best_seconds=?, completed_at=? "
                      "WHERE pack=? AND lesson=?",
                      (attempts, text, now, 1 if passed else 0, stars, xp, best, completed_at, pack, lesson))
        self._write(fn)
        return self.get(pack, lesson)

    def reset(self) -> int:
        """Delete all progress; returns how many lessons had progress."""
        return int(self._write(lambda c: c.execute("DELETE FROM lesson_progress").rowcount))

    def close(self) -> None:
        if self._conn is not None:
            try:
                self._conn.close()
            finally:
                self._conn = None

    def __enter__(self) -> "ProgressStore":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()


def _row(r: tuple) -> LessonProgress:
    d = dict(zip(_COLUMNS, r))
    d["completed"] = bool(d["completed"])
    d["solution_viewed"] = bool(d["solution_viewed"])
    return LessonProgress(**d)
