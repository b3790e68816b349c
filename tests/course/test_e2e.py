"""End to end on the real engine: the demo pack's solutions pass, its starters fail, with reasons.
Skipped while the engine (kubetrainer.sim.world / Cluster) is not importable."""

from __future__ import annotations

import os

import pytest

from kubetrainer.cli import main

pytest.importorskip("kubetrainer.sim.world")

from kubetrainer.course.grading import LessonSession, grade  # noqa: E402
from kubetrainer.course.packs import load_pack_dir  # noqa: E402

DEMO = os.path.join(os.path.dirname(os.path.abspath(__file__)), "packs", "demo")


@pytest.fixture(scope="module")
def demo():
    pack, problems = load_pack_dir(DEMO)
    assert problems == []
    return {l.id: l for l in pack.lessons}


@pytest.mark.parametrize("lesson_id", ["first-pod", "crash-loop", "too-big", "graceful-delete"])
def test_solution_passes_and_starter_fails(demo, lesson_id):
    lesson = demo[lesson_id]
    g = grade(lesson, lesson.solution_text)
    assert g.problems == [] and g.passed, [(o.id, o.reason) for o in g.objectives]
    g = grade(lesson, lesson.starter_text)
    assert not g.passed
    assert all(o.reason for o in g.objectives if not o.passed)


def test_starter_reasons_are_for_the_learner(demo):
    g = grade(demo["first-pod"], demo["first-pod"].starter_text)
    (o,) = g.objectives
    assert o.reason.startswith("pod web: phase Pending, expected Running")
    assert "ImagePullBackOff" in o.reason or "ErrImagePull" in o.reason
    g = grade(demo["too-big"], demo["too-big"].starter_text)
    assert "unschedulable, expected scheduled: 0/1 nodes are available: 1 Insufficient cpu" in g.objectives[0].reason


def test_same_seed_same_grade(demo):
    a = grade(demo["crash-loop"], demo["crash-loop"].starter_text, seed=3)
    b = grade(demo["crash-loop"], demo["crash-loop"].starter_text, seed=3)
    assert [o.reason for o in a.objectives] == [o.reason for o in b.objectives]
    assert a.result == b.result


def test_session_steps_like_the_tui(demo):
    lesson = demo["crash-loop"]
    s = LessonSession(lesson, lesson.starter_text)
    states = s.advance_to(5)
    assert [st.state for st in states] == ["pending"]
    states = s.advance_to(lesson.until)
    assert [st.state for st in states] == ["failed"]
    assert "restarts" in states[0].reason or "status" in states[0].reason


def test_lint_demo_pack_is_clean(capsys):
    assert main(["lint", DEMO]) == 0, capsys.readouterr().out


def test_check_cli(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("KUBETRAINER_DATA_DIR", str(tmp_path / "d"))
    sol = os.path.join(DEMO, "basics", "first-pod.solution.yaml")
    assert main(["check", "demo/first-pod", sol, "--pack", DEMO]) == 0
    assert "1/1 objectives passed" in capsys.readouterr().out


def test_scripted_delete_and_grace_period(demo):
    lesson = demo["graceful-delete"]
    g = grade(lesson, lesson.starter_text)
    gone = next(o for o in g.objectives if o.id == "gone")
    assert not gone.passed and "pod web: not deleted — status Terminating" in gone.reason
    assert g.log == [(20.0, "kubectl delete pod web", 'pod "web" deleted\n', 0)]
