"""The command line's frame: version, usage errors (exit 2), user errors (exit 1), crashes."""

from __future__ import annotations

import subprocess
import sys

import pytest

from kubetrainer import __version__
from kubetrainer.cli import main


def test_version(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["--version"])
    assert exc.value.code == 0
    assert capsys.readouterr().out.strip() == f"kubetrainer {__version__}"


@pytest.mark.parametrize("argv", [["frobnicate"], ["simulate"], ["simulate", "x.yaml", "--format", "xml"],
                                  ["bench", "scheduler", "--nodes", "many", "--pods", "1"], ["--no-such-flag"]])
def test_usage_errors_exit_2_with_usage(argv, capsys):
    with pytest.raises(SystemExit) as exc:
        main(argv)
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("usage: kubetrainer")
    assert "Traceback" not in err


def test_internal_error_is_one_clean_line_and_a_crash_file(monkeypatch, capsys):
    import kubetrainer.cli as cli

    def boom(_args):
        raise RuntimeError("something \x1b[31mred")

    monkeypatch.setattr(cli, "_MODULES", {**cli._MODULES, "validate": "validate"})
    monkeypatch.setattr(cli.importlib, "import_module", lambda name: type("M", (), {"run": staticmethod(boom)}))
    code = main(["validate", "x.yaml"])
    err = capsys.readouterr().err
    assert code == 1
    assert err.count("\n") == 1 and "internal error: RuntimeError" in err
    assert "\x1b" not in err  # text never reaches the terminal as an escape code
    path = err.rsplit("details in ", 1)[1].rstrip(")\n")
    assert "Traceback" in open(path).read()


def test_python_m_kubetrainer_runs():
    out = subprocess.run([sys.executable, "-m", "kubetrainer", "--version"], capture_output=True, text=True)
    assert out.returncode == 0 and out.stdout.startswith("kubetrainer ")
