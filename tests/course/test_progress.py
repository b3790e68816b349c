"""The progress store: atomic writes, a killed writer loses nothing committed, two writers at
once, corrupt and newer files kept aside (never deleted), and the `progress` command."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap

import pytest

from kubetrainer.cli import main
from kubetrainer.course.progress import ProgressStore, stars_for

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

WRITER = textwrap.dedent("""
    import sys
    from kubetrainer.course.progress import ProgressStore
    store = ProgressStore.open(sys.argv[1])
    tag, n = sys.argv[2], int(sys.argv[3])
    i = 0
    while n < 0 or i < n:
        store.record_submission("p", f"{tag}-{i}", "x" * 2000, passed=True, seconds=float(i))
        store.record_hint("p", "shared", 1)
        store.record_submission("p", "shared", "y", passed=False)
        print(i, flush=True)
        i += 1
    store.close()
""")


def _env():
    env = dict(os.environ)
    env["PYTHONPATH"] = REPO + os.pathsep + env.get("PYTHONPATH", "")
    return env


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    d = tmp_path / "data"
    monkeypatch.setenv("KUBETRAINER_DATA_DIR", str(d))
    return d


def test_env_var_chooses_the_directory(data_dir):
    with ProgressStore.open() as s:
        assert s.path == data_dir / "progress.sqlite3"
        s.record_submission("p", "a", "text", passed=True, seconds=3.0, difficulty=2)
    with ProgressStore.open() as s:
        lp = s.get("p", "a")
        assert lp.completed and lp.stars == 3 and lp.attempts == 1 and lp.best_seconds == 3.0
        assert lp.last_submission == "text" and lp.xp == 60 and s.total_xp() == 60


def test_stars_by_hints_attempts_and_solution(data_dir):
    assert stars_for(0, 1, False) == 3
    assert stars_for(1, 1, False) == 2
    assert stars_for(2, 1, False) == 1
    assert stars_for(0, 4, False) == 2
    assert stars_for(0, 1, True) == 1
    with ProgressStore.open() as s:
        s.record_hint("p", "a", 1)
        s.record_hint("p", "a", 0)  # the maximum is kept
        s.record_submission("p", "a", "1", passed=False)
        lp = s.record_submission("p", "a", "2", passed=True, seconds=50)
        assert (lp.hints_used, lp.attempts, lp.stars, lp.completed) == (1, 2, 2, True)
        lp = s.record_submission("p", "a", "3", passed=False, seconds=5)  # a later failure keeps the pass
        assert lp.completed and lp.stars == 2 and lp.best_seconds == 50 and lp.last_submission == "3"


def test_killed_writer_loses_nothing_committed(tmp_path):
    db = tmp_path / "progress.sqlite3"
    proc = subprocess.Popen([sys.executable, "-c", WRITER, str(db), "k", "-1"], stdout=subprocess.PIPE,
                            env=_env(), text=True)
    last = -1
    try:
        for line in proc.stdout:
            last = int(line)
            if last >= 60:
                break
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    assert last >= 60
    with ProgressStore.open(db) as s:
        assert s.notice is None
        rows = {lp.lesson for lp in s.all()}
        for i in range(last + 1):  # every row whose commit was reported is there
            assert f"k-{i}" in rows
        assert s.get("p", "shared").attempts >= last + 1
        assert s.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_two_writers_at_once(tmp_path):
    db = tmp_path / "progress.sqlite3"
    ProgressStore.open(db).close()
    procs = [subprocess.Popen([sys.executable, "-c", WRITER, str(db), tag, "40"], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, env=_env(), text=True) for tag in ("a", "b")]
    for p in procs:
        out, err = p.communicate(timeout=120)
        assert p.returncode == 0, err
    with ProgressStore.open(db) as s:
        rows = {lp.lesson for lp in s.all()}
        assert {f"a-{i}" for i in range(40)} | {f"b-{i}" for i in range(40)} <= rows
        assert s.get("p", "shared").attempts == 80  # no lost update


def test_corrupt_database_is_kept_aside(tmp_path):
    db = tmp_path / "progress.sqlite3"
    db.write_bytes(b"this is not a database\n" * 200)
    s = ProgressStore.open(db)
    try:
        assert s.notice and "kept as" in s.notice and "not a readable SQLite database" in s.notice
        aside = [p for p in tmp_path.iterdir() if p.name.startswith("progress.sqlite3.corrupt-")]
        assert len(aside) == 1 and aside[0].read_bytes().startswith(b"this is not a database")
        s.record_submission("p", "a", "x", passed=True)
        assert s.get("p", "a").completed
    finally:
        s.close()


def test_newer_database_is_kept_aside(tmp_path):
    db = tmp_path / "progress.sqlite3"
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE future (x)")
    conn.execute("PRAGMA user_version=7")
    conn.commit()
    conn.close()
    with ProgressStore.open(db) as s:
        assert "newer kubetrainer (schema 7" in s.notice
        assert s.all() == []
    aside = [p for p in tmp_path.iterdir() if p.name.startswith("progress.sqlite3.newer-")]
    assert len(aside) == 1
    conn = sqlite3.connect(aside[0])
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 7
    conn.close()


def test_foreign_sqlite_file_is_kept_aside(tmp_path):
    db = tmp_path / "progress.sqlite3"
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE mine (x)")
    conn.commit()
    conn.close()
    with ProgressStore.open(db) as s:
        assert s.notice and "not a kubetrainer progress database" in s.notice


def test_progress_command_shows_and_resets(data_dir, capsys, monkeypatch):
    with ProgressStore.open() as s:
        s.record_submission("p", "a", "x", passed=True, difficulty=1)
    assert main(["progress"]) == 0
    out = capsys.readouterr().out
    assert "1 lesson completed, 30 XP" in out and "p/a" in out
    # no terminal and no --yes: refuse, delete nothing
    monkeypatch.setattr(sys, "stdin", open(os.devnull))
    assert main(["progress", "--reset"]) == 1
    assert "refusing to delete progress" in capsys.readouterr().err
    with ProgressStore.open() as s:
        assert len(s.all()) == 1
    assert main(["progress", "--reset", "--yes"]) == 0
    with ProgressStore.open() as s:
        assert s.all() == []


class _TTY:
    def __init__(self, answer):
        self.answer = answer

    def isatty(self):
        return True

    def readline(self):
        return self.answer


def test_progress_reset_asks(data_dir, capsys, monkeypatch):
    with ProgressStore.open() as s:
        s.record_submission("p", "a", "x", passed=True)
    monkeypatch.setattr(sys, "stdin", _TTY("n\n"))
    assert main(["progress", "--reset"]) == 1
    assert "[y/N]" in capsys.readouterr().err
    with ProgressStore.open() as s:
        assert len(s.all()) == 1
    monkeypatch.setattr(sys, "stdin", _TTY("y\n"))
    assert main(["progress", "--reset"]) == 0
    with ProgressStore.open() as s:
        assert s.all() == []


def test_full_disk_loses_nothing_saved(tmp_path):
    from kubetrainer.course.progress import ProgressError

    db = tmp_path / "progress.sqlite3"
    with ProgressStore.open(db) as s:
        s.record_submission("p", "kept", "x", passed=True)
        # a tiny maximum size makes SQLite answer "database or disk is full", as a full disk does
        pages = s.conn.execute("PRAGMA page_count").fetchone()[0]
        s.conn.execute(f"PRAGMA max_page_count={pages + 2}")
        with pytest.raises(ProgressError, match="progress not saved.*full"):
            for i in range(100):
                s.record_submission("p", f"big-{i}", "z" * 100_000, passed=True)
        assert not s.conn.in_transaction
    with ProgressStore.open(db) as s:
        assert s.notice is None
        assert s.get("p", "kept").completed
        assert s.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
