"""TUI tests: no colour/theme leaks from the environment (CRAFT.md §2.2 #5, #6), still cursors,
a private progress database per test."""

import os

os.environ.pop("NO_COLOR", None)        # read by App.__init__
os.environ.pop("FORCE_COLOR", None)
os.environ.pop("KUBETRAINER_THEME", None)
os.environ.pop("KUBETRAINER_LANG", None)

import pytest  # noqa: E402
from textual.widgets import Input, TextArea  # noqa: E402


@pytest.fixture(autouse=True)
def _still_cursor(monkeypatch):
    monkeypatch.setattr(Input, "_toggle_cursor", lambda self: None)
    monkeypatch.setattr(TextArea, "_toggle_cursor", lambda self: None, raising=False)


@pytest.fixture(autouse=True)
def _data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("KUBETRAINER_DATA_DIR", str(tmp_path / "data"))
    yield
