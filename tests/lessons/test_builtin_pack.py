"""The built-in lesson pack (lessons/): it loads cleanly, covers the seed tutorial in its order,
every lesson is bilingual, every solution passes and every starter fails, through the course
helper's own grading code (kubetrainer.course.grading.grade) — the same path `kubetrainer check`
and `kubetrainer lint` take."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import pytest

from kubetrainer.course.packs import load_pack_dir

PACK_DIR = Path(__file__).resolve().parents[2] / "lessons"
_PACK, _PROBLEMS = load_pack_dir(str(PACK_DIR))
LESSON_IDS = [lesson.id for lesson in _PACK.lessons] if _PACK is not None else []

# The seed tutorial's chapters, in its order (一、Pod简介 1–12, 二、Pod的生命周期 1–3).
SEED_CHAPTERS = ["pods", "controllers", "updates", "restart-policy", "images", "private-registry",
                 "resources", "probes", "init-containers", "scheduling", "env", "command-args", "lifecycle"]

CJK = re.compile(r"[\u4e00-\u9fff]")


def _lesson(lid: str):
    return next(lesson for lesson in _PACK.lessons if lesson.id == lid)


@lru_cache(maxsize=None)
def _grade(lid: str, which: str):
    from kubetrainer.course.grading import grade

    lesson = _lesson(lid)
    if which == "solution":
        return grade(lesson, lesson.solution_text, filename=lesson.solution_file or "solution.yaml")
    return grade(lesson, lesson.starter_text, filename=lesson.starter_file or "starter.yaml")


def _why(g) -> str:
    lines = [str(p) for p in g.problems]
    lines += [f"{o.id}: {'ok' if o.passed else o.reason}" for o in g.objectives]
    return "\n".join(lines)


def test_pack_loads_without_problems():
    assert _PACK is not None, "\n".join(map(str, _PROBLEMS))
    assert [str(p) for p in _PROBLEMS] == []
    assert _PACK.id == "builtin"
    assert list(_PACK.languages) == ["en", "zh-Hans"]


def test_chapters_follow_the_seed_and_each_has_lessons():
    assert [c.id for c in _PACK.chapters] == SEED_CHAPTERS
    per_chapter = {c: [lesson for lesson in _PACK.lessons if lesson.chapter == c] for c in SEED_CHAPTERS}
    assert all(per_chapter[c] for c in SEED_CHAPTERS), {c: len(v) for c, v in per_chapter.items()}


def test_size_and_predict_share():
    assert len(_PACK.lessons) >= 40
    with_predict = [lesson.id for lesson in _PACK.lessons if lesson.predict]
    assert len(with_predict) * 3 >= len(_PACK.lessons), with_predict


@pytest.mark.parametrize("lid", LESSON_IDS)
def test_lesson_is_bilingual(lid):
    lesson = _lesson(lid)
    assert set(lesson.title) == {"en", "zh-Hans"}
    assert set(lesson.text) == {"en", "zh-Hans"}
    # titles may be all Kubernetes terms ("Always、OnFailure、Never"); texts are prose
    assert CJK.search(lesson.text["zh-Hans"]), f"{lid}: the zh-Hans text has no Chinese"
    assert not CJK.search(lesson.text["en"]), f"{lid}: the en text has Chinese characters"
    assert not CJK.search(lesson.title["en"]), f"{lid}: the en title has Chinese characters"
    for obj in lesson.objectives:
        assert set(obj.description) == {"en", "zh-Hans"}
    # the task is stated in both languages
    assert "**Your task:**" in lesson.text["en"] and "**任务：**" in lesson.text["zh-Hans"]


def test_difficulty_rises_gently_within_chapters():
    for c in SEED_CHAPTERS:
        lessons = sorted((lesson for lesson in _PACK.lessons if lesson.chapter == c), key=lambda x: x.order)
        assert lessons[0].difficulty <= 3, c
        assert max(lesson.difficulty for lesson in lessons) - lessons[0].difficulty <= 4


def test_lint_without_simulation_is_clean():
    from kubetrainer.course.lint import lint_lesson

    problems = [str(p) for lesson in _PACK.lessons for p in lint_lesson(lesson, solvability=False)]
    assert problems == []


@pytest.mark.parametrize("lid", LESSON_IDS)
def test_solution_passes(lid):
    g = _grade(lid, "solution")
    assert g.passed, _why(g)


@pytest.mark.parametrize("lid", LESSON_IDS)
def test_starter_fails(lid):
    g = _grade(lid, "starter")
    assert not g.passed, _why(g)


# Spot-the-bug lessons: the starter carries the seed's (or a classic) mistake, and the cluster
# rejects it with the API server's own message (pkg/apis/core/validation, pkg/apis/apps/validation,
# kubectl's RESTMapper error for a version that is no longer served).
REJECTIONS = {
    "first-pod": "spec.containers[0].image: Required value",
    "bug-apps-v1beta2": 'no matches for kind "Deployment" in version "apps/v1beta2"',
    "seed-deployment": 'no matches for kind "Deployment" in version "apps/v1beta2"',
    "deployment-selector": "`selector` does not match template `labels`",
    "rolling-update": "spec.strategy.rollingUpdate.maxUnavailable: Invalid value: 0: may not be 0 when `maxSurge` is 0",
    "liveness-success-threshold": "spec.containers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1",
    "nodename-bug": "",          # YAML does not parse (full-width colon)
    "command-args-bug": "",      # YAML does not parse (`]args:` on one line)
    "nodeselector-bug": "",      # spec nested under metadata
}


@pytest.mark.parametrize("lid", sorted(REJECTIONS))
def test_spot_the_bug_starter_is_rejected(lid):
    g = _grade(lid, "starter")
    assert g.problems, f"{lid}: the starter was accepted"
    assert REJECTIONS[lid] in "\n".join(map(str, g.problems))
