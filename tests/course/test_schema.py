"""Every kind of pack-format error gives a located FILE:LINE:COL message (docs/lesson-format.md)."""

from __future__ import annotations

import re

import pytest

from kubetrainer.course.packs import load_pack_dir
from tests.course.helpers import LESSON, PACK_YAML, make_pack


def problems_of(tmp_path, lesson_text=None, pack_yaml=PACK_YAML, files=None, lessons=None):
    root = make_pack(tmp_path / "p", lessons if lessons is not None else {"one.yaml": lesson_text or LESSON},
                     pack_yaml, files)
    pack, problems = load_pack_dir(str(root))
    return pack, [str(p) for p in problems]


def test_the_valid_lesson_loads(tmp_path):
    pack, probs = problems_of(tmp_path)
    assert probs == []
    (lesson,) = pack.lessons
    assert lesson.key == "t/one"
    assert lesson.starter_text.startswith("apiVersion: v1")
    assert lesson.until == 30.0
    assert lesson.languages == ["en", "zh-Hans"]


CASES = [
    # (what, replace old, with new, expected "LINE:COL: message" fragment)
    ("unknown top-level key", "difficulty: 1\n", "difficulty: 1\ncolour: red\n",
     "one.yaml:7:1: unknown key 'colour' in the top level"),
    ("unknown key in a check", "expect: {pod: web, phase: Running}", "expect: {pod: web, phse: Running}",
     "one.yaml:24:24: unknown key 'phse' in objectives[0].expect"),
    ("wrong type", "difficulty: 1", "difficulty: easy", "one.yaml:6:13: difficulty: expected an integer, not 'easy'"),
    ("difficulty out of range", "difficulty: 1", "difficulty: 9", "one.yaml:6:13: difficulty: must be between 1 and 5, not 9"),
    ("bad duration", "deadline: 30s", "deadline: 30x", "one.yaml:23:15: objectives[0].deadline: invalid duration '30x'"),
    ("missing required key", "chapter: basics\n", "", "one.yaml:1:1: chapter: required key missing"),
    ("unknown chapter", "chapter: basics", "chapter: nope", "one.yaml:5:10: chapter 'nope' is not a chapter of pack.yaml"),
    ("missing language", 'title: {en: "One", zh-Hans: "一"}', 'title: {en: "One"}',
     "one.yaml:4:1: title: no text in zh-Hans"),
    ("undeclared language", 'text: {en: "Text", zh-Hans: "正文"}', 'text: {en: "Text", zh-Hans: "正文", fr: "Texte"}',
     "one.yaml:7:35: text: language 'fr' is not declared in pack.yaml"),
    ("two subjects", "expect: {pod: web, phase: Running}", "expect: {pod: web, deployment: web}",
     "one.yaml:24:13: objectives[0].expect: a check has exactly one subject key, found pod, deployment"),
    ("no subject", "expect: {pod: web, phase: Running}", "expect: {phase: Running}",
     "objectives[0].expect: a check needs one subject key"),
    ("bad literal", "expect: {pod: web, phase: Running}", "expect: {scheduler: web, outcome: maybe}",
     "one.yaml:24:39: objectives[0].expect.outcome: must be one of 'scheduled', 'unschedulable', not 'maybe'"),
    ("bad count", "expect: {pod: web, phase: Running}", "expect: {pod: web, restarts: {least: 1}}",
     "objectives[0].expect.restarts: expected an integer or {min: N, max: M}"),
    ("missing solution file", "solution: |\n", "solution: nowhere.yaml\nx_old: |\n",
     "one.yaml:14:11: solution: file 'nowhere.yaml' not found beside the lesson"),
    ("path escaping the pack", "solution: |\n", "solution: ../../etc/x.yaml\nx_old: |\n",
     "solution: '../../etc/x.yaml' points outside the pack"),
    ("missing world", "difficulty: 1\n", "difficulty: 1\nworld: worlds/none.yaml\n",
     "one.yaml:7:8: world: file 'worlds/none.yaml' not found in the pack"),
    ("unknown prerequisite", "difficulty: 1\n", "difficulty: 1\nprerequisites: [zero]\n",
     "one.yaml:7:17: prerequisites[0]: no lesson 'zero' in this pack"),
    ("deadline after until", "objectives:\n", "run: {until: 10s}\nobjectives:\n",
     "objectives[0].deadline 30s is after run.until (10s)"),
    ("bad id", "id: one", "id: One_Lesson", "one.yaml:3:5: id 'One_Lesson': must be lower-case"),
    ("duplicate YAML key", "chapter: basics\n", "chapter: basics\nchapter: more\n",
     'one.yaml:6:1: mapping key "chapter" already defined at line 5'),
    ("newer schemaVersion", "schemaVersion: 1", "schemaVersion: 2",
     "one.yaml:2:16: schemaVersion 2 is not supported"),
    ("run.at needs one action", "objectives:\n", "run: {at: [{time: 5s}]}\nobjectives:\n",
     "run.at[0]: give exactly one of command or apply"),
    ("predict answer out of range", "objectives:\n",
     "predict:\n  - {id: q, question: {en: q, zh-Hans: q}, choices: [a, b], answer: 2}\nobjectives:\n",
     "predict[0].answer 2 is not an index of choices (0..1)"),
]


@pytest.mark.parametrize("what,old,new,expected", CASES, ids=[c[0] for c in CASES])
def test_format_error_is_located(tmp_path, what, old, new, expected):
    assert old in LESSON, what
    text = LESSON.replace(old, new, 1)
    if "x_old: |" in text:  # replaced an inline block by a path: drop the old block
        text = re.sub(r"x_old: \|\n(  .*\n)+", "", text)
    pack, probs = problems_of(tmp_path, text)
    assert any(expected in p for p in probs), (expected, probs)
    # every message is FILE:LINE:COL: message, with FILE in the pack
    for p in probs:
        file, line, col, msg = p.split(":", 3)
        assert file.startswith(str(tmp_path / "p")), p
        assert int(line) >= 1 and int(col) >= 1 and msg.strip()
    if "prerequisite" not in what:  # a lesson with a missing prerequisite is still playable
        assert pack is None or not pack.lessons  # a broken lesson is not offered


def test_every_problem_is_reported_at_once(tmp_path):
    text = (LESSON.replace("difficulty: 1", "difficulty: 9").replace("chapter: basics", "chapter: nope")
            .replace('title: {en: "One", zh-Hans: "一"}', 'title: {en: "One"}'))
    _, probs = problems_of(tmp_path, text)
    assert len(probs) == 3, probs


def test_schema_errors_are_all_reported_at_once(tmp_path):
    text = LESSON.replace("difficulty: 1\n", "difficulty: x\ncolour: red\n").replace("deadline: 30s", "deadline: soon")
    _, probs = problems_of(tmp_path, text)
    assert len(probs) == 3, probs


def test_duplicate_lesson_ids(tmp_path):
    _, probs = problems_of(tmp_path, lessons={"a.yaml": LESSON, "b.yaml": LESSON})
    assert any("b.yaml:3:5: lesson id 'one' is already used by" in p and "a.yaml:3" in p for p in probs), probs


def test_prerequisite_cycle(tmp_path):
    a = LESSON.replace("difficulty: 1\n", "difficulty: 1\nprerequisites: [two]\n")
    b = LESSON.replace("id: one", "id: two").replace("difficulty: 1\n", "difficulty: 1\nprerequisites: [one]\n")
    _, probs = problems_of(tmp_path, lessons={"a.yaml": a, "b.yaml": b})
    assert any("prerequisites form a cycle" in p for p in probs), probs


def test_pack_yaml_errors_are_located(tmp_path):
    bad = PACK_YAML.replace("id: t", "id: t\nlicence: MIT").replace("languages: [en, zh-Hans]", "languages: [en, en]")
    pack, probs = problems_of(tmp_path, pack_yaml=bad)
    assert pack is None
    assert any("pack.yaml:4:1: unknown key 'licence'" in p for p in probs), probs


def test_pack_semantics(tmp_path):
    bad = PACK_YAML.replace("languages: [en, zh-Hans]", "languages: [en, en]")
    pack, probs = problems_of(tmp_path, pack_yaml=bad)
    assert any("pack.yaml:5:17: languages[1]: 'en' is listed twice" in p for p in probs), probs


def test_missing_pack_yaml(tmp_path):
    (tmp_path / "empty").mkdir()
    pack, probs = load_pack_dir(str(tmp_path / "empty"))
    assert pack is None and "pack.yaml is missing" in str(probs[0])


def test_yaml_syntax_error_in_lesson(tmp_path):
    _, probs = problems_of(tmp_path, LESSON.replace("difficulty: 1", "difficulty: [1"))
    assert probs and probs[0].startswith(str(tmp_path / "p" / "one.yaml") + ":"), probs


def test_files_without_kind_lesson_are_not_lessons(tmp_path):
    pack, probs = problems_of(tmp_path, files={"worlds/w.yaml": "kind: World\nspec: {}\n",
                                               "one.solution.yaml": "apiVersion: v1\nkind: Pod\n"})
    assert probs == [] and [l.id for l in pack.lessons] == ["one"]


def test_inline_world_and_plain_string_choices(tmp_path):
    text = LESSON.replace("difficulty: 1\n", "difficulty: 1\nworld:\n  nodes: [{name: n1}]\n").replace(
        "objectives:\n", "predict:\n  - {id: q, question: {en: q, zh-Hans: q}, choices: ['0', '1'], answer: 1}\nobjectives:\n")
    pack, probs = problems_of(tmp_path, text)
    assert probs == []
    (lesson,) = pack.lessons
    assert lesson.spec.world == {"nodes": [{"name": "n1"}]}
    assert lesson.tr(lesson.predict[0].choices[1], "zh-Hans") == "1"


def test_lessons_are_in_chapter_order_then_order_then_path(tmp_path):
    l1 = LESSON.replace("id: one", "id: c").replace("chapter: basics", "chapter: more")
    l2 = LESSON.replace("id: one", "id: b").replace("difficulty: 1\n", "difficulty: 1\norder: 5\n")
    l3 = LESSON.replace("id: one", "id: a").replace("difficulty: 1\n", "difficulty: 1\norder: 1\n")
    l4 = LESSON.replace("id: one", "id: d").replace("difficulty: 1\n", "difficulty: 1\norder: 5\n")
    pack, probs = problems_of(tmp_path, lessons={"1.yaml": l1, "2.yaml": l2, "x/3.yaml": l3, "0.yaml": l4})
    assert probs == []
    assert [l.id for l in pack.lessons] == ["a", "d", "b", "c"]


@pytest.mark.parametrize("form", ["spec", "full"])
def test_inline_world_errors_are_located_in_the_lesson_file(tmp_path, form):
    from kubetrainer.errors import UserError

    if form == "spec":
        world = "world:\n  nodes:\n    - name: n1\n      colour: red\n"
        where = "one.yaml:10:7:"
    else:
        world = ("world:\n  apiVersion: kubetrainer/v1\n  kind: World\n  spec:\n    nodes:\n"
                 "      - name: n1\n        colour: red\n")
        where = "one.yaml:13:9:"
    pack, probs = problems_of(tmp_path, LESSON.replace("difficulty: 1\n", "difficulty: 1\n" + world))
    assert probs == []
    with pytest.raises(UserError) as exc:
        pack.lessons[0].world()
    assert where in str(exc.value) and "colour" in str(exc.value), str(exc.value)
