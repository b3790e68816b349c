"""`kubetrainer replay`: scripts parse with located errors and write one SVG per shot."""

from __future__ import annotations

from pathlib import Path

import pytest

from kubetrainer.cli import main
from kubetrainer.errors import UserError
from kubetrainer.tui.replay import parse_script

HERE = Path(__file__).parent


def test_replay_writes_one_svg_per_shot(tmp_path, capsys):
    assert main(["replay", str(HERE / "replays" / "first-pod.replay"), "--out", str(tmp_path)]) == 0
    names = sorted(p.name for p in tmp_path.glob("*.svg"))
    assert names == ["01-start.svg", "02-flow.svg", "03-scheduler.svg", "04-lifecycle.svg", "05-console.svg"]
    svg = (tmp_path / "05-console.svg").read_text()
    assert "<svg" in svg and "kubectl" in svg
    assert "01-start.svg" in capsys.readouterr().out


@pytest.mark.parametrize("line,where", [("jump 3", "s.replay:2:1"), ("size huge", "s.replay:2:1"),
                                        ("  advance soon", "s.replay:2:3"), ("shot a/b", "s.replay:2:1")])
def test_bad_script_lines_are_located(line, where):
    with pytest.raises(UserError) as err:
        parse_script("# comment\n" + line + "\n", "s.replay")
    assert str(err.value).startswith(where)


def test_missing_script_is_a_user_error(tmp_path, capsys):
    assert main(["replay", str(tmp_path / "nope.replay"), "--out", str(tmp_path)]) == 1
    assert "nope.replay" in capsys.readouterr().err
