"""`lessons`, `check`, `lint`: output and exit codes. The engine is replaced by a small fake
cluster here (the objective evaluator only sees SimulationResult dicts); tests/course/test_e2e.py
runs the real engine."""

from __future__ import annotations

import json

import pytest

from kubetrainer.cli import main
from kubetrainer.course import packs as packs_mod
from kubetrainer.course.packs import load_all_packs
from kubetrainer.course.progress import ProgressStore
from tests.course.helpers import LESSON, make_pack, pod, result


class ImageCluster:
    """Pods run when their image exists (anything but nginx:1.161); ImagePullBackOff otherwise."""

    def __init__(self, world=None, seed=0):
        self.now = 0.0
        self.pods = []

    def run_until(self, t):
        self.now = float(t)

    def apply_manifests(self, manifests):
        for m in manifests:
            self.pods.append(m.obj)
        return [f"pod/{m.name} created" for m in manifests]

    def result(self):
        out = []
        for p in self.pods:
            image = p["spec"]["containers"][0]["image"]
            if image == "nginx:1.161":
                out.append(pod(p["metadata"]["name"], phase="Pending", status="ImagePullBackOff", ready="0/1"))
            else:
                out.append(pod(p["metadata"]["name"]))
        return result(out, until=self.now)


@pytest.fixture
def fake_engine(monkeypatch, tmp_path):
    import kubetrainer.sim.cluster as cluster_mod

    monkeypatch.setattr(cluster_mod, "Cluster", ImageCluster)
    monkeypatch.setattr(packs_mod.Lesson, "world", lambda self: None)
    monkeypatch.setenv("KUBETRAINER_DATA_DIR", str(tmp_path / "data"))


@pytest.fixture
def pack(tmp_path):
    two = LESSON.replace("id: one", "id: two").replace("difficulty: 1\n", "difficulty: 2\nprerequisites: [one]\n")
    return make_pack(tmp_path / "pk", {"one.yaml": LESSON, "sub/two.yaml": two})


def _write(tmp_path, name, text):
    p = tmp_path / name
    p.write_text(text)
    return str(p)


GOOD = "apiVersion: v1\nkind: Pod\nmetadata: {name: web}\nspec:\n  containers: [{name: web, image: 'nginx:1.16.1'}]\n"
BAD = GOOD.replace("1.16.1", "1.161")


def test_check_pass_exit_0_and_records_progress(fake_engine, pack, tmp_path, capsys):
    rc = main(["check", "one", _write(tmp_path, "good.yaml", GOOD), "--pack", str(pack)])
    out = capsys.readouterr().out
    assert rc == 0, out
    assert "lesson one: 1/1 objectives passed" in out and "PASS  running: Runs" in out
    with ProgressStore.open() as s:
        lp = s.get("t", "one")
        assert lp.completed and lp.attempts == 1 and lp.stars == 3


def test_check_fail_exit_1_with_reason(fake_engine, pack, tmp_path, capsys):
    rc = main(["check", "one", _write(tmp_path, "bad.yaml", BAD), "--pack", str(pack), "--format", "json"])
    data = json.loads(capsys.readouterr().out)
    assert rc == 1
    assert data["passed"] is False and data["lesson"] == "one"
    (o,) = data["objectives"]
    assert o["id"] == "running" and o["passed"] is False and o["description"] == "Runs" and o["deadline"] == 30.0
    assert o["reason"] == "pod web: phase Pending, expected Running — status ImagePullBackOff"


def test_check_invalid_file_prints_located_problems(fake_engine, pack, tmp_path, capsys):
    f = _write(tmp_path, "broken.yaml", "apiVersion: v1\nkind: Pod\nmetadata: {name: web}\nspec:\n  containerz: []\n")
    rc = main(["check", "one", f, "--pack", str(pack)])
    err = capsys.readouterr().err
    assert rc == 1
    assert err.startswith(f"{f}:5:3: "), err


def test_check_unknown_lesson(fake_engine, pack, tmp_path, capsys):
    assert main(["check", "nope", _write(tmp_path, "g.yaml", GOOD), "--pack", str(pack)]) == 1
    assert 'no lesson "nope"' in capsys.readouterr().err


def test_check_missing_file(fake_engine, pack, capsys):
    assert main(["check", "one", "/nonexistent.yaml", "--pack", str(pack)]) == 1
    assert "does not exist" in capsys.readouterr().err


def test_lessons_json_and_locking(fake_engine, pack, tmp_path, capsys):
    assert main(["lessons", "--pack", str(pack), "--format", "json"]) == 0
    rows = [r for r in json.loads(capsys.readouterr().out)["lessons"] if r["pack"] == "t"]
    assert [r["id"] for r in rows] == ["one", "two"]
    assert rows[1] == {"id": "two", "title": "One", "chapter": "basics", "difficulty": 2,
                       "languages": ["en", "zh-Hans"], "pack": "t", "completed": False, "stars": 0}
    with ProgressStore.open() as s:
        cat = load_all_packs([str(pack)], include_builtin=False, include_installed=False)
        assert [e.locked for e in cat.entries(s)] == [False, True]
        s.record_submission("t", "one", GOOD, passed=True)
        assert [e.locked for e in cat.entries(s)] == [False, False]
        assert cat.entries(s)[0].completed and cat.entries(s)[0].stars == 3
    assert main(["lessons", "--pack", str(pack)]) == 0
    out = capsys.readouterr().out
    assert "t / Basics" in out and "one" in out and "done" in out


def test_lessons_with_a_broken_pack_dir_exit_1(fake_engine, tmp_path, capsys):
    bad = make_pack(tmp_path / "bad", {"one.yaml": LESSON.replace("difficulty: 1", "difficulty: x")})
    assert main(["lessons", "--pack", str(bad)]) == 1
    assert f"{bad}/one.yaml:6:13: difficulty: expected an integer" in capsys.readouterr().err


def test_lint_clean_pack_exit_0(fake_engine, pack, capsys):
    assert main(["lint", str(pack)]) == 0
    assert capsys.readouterr().out == ""


def test_lint_reports_unsolvable_and_trivial_lessons(fake_engine, tmp_path, capsys):
    swapped = LESSON.replace("nginx:1.161", "TMP").replace("nginx:1.16.1", "nginx:1.161").replace("TMP", "nginx:1.16.1")
    root = make_pack(tmp_path / "pk", {"one.yaml": swapped})
    assert main(["lint", str(root)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert f"{root}/one.yaml:14:11: the solution does not pass objective running: pod web: phase Pending, " \
           "expected Running — status ImagePullBackOff" in out
    assert f"{root}/one.yaml:8:10: the starter already passes every objective: the lesson leaves nothing to do" in out


def test_lint_invalid_inline_solution_is_located_in_the_lesson_file(fake_engine, tmp_path, capsys):
    text = LESSON.replace("solution: |\n  apiVersion: v1\n  kind: Pod\n  metadata: {name: web}\n  spec:\n",
                          "solution: |\n  apiVersion: v1\n  kind: Pod\n  metadata: {name: web}\n  spek:\n")
    root = make_pack(tmp_path / "pk", {"one.yaml": text})
    assert main(["lint", str(root)]) == 1
    out = capsys.readouterr().out
    # spek is on line 18 of the lesson file, indented by 2
    assert f"{root}/one.yaml:18:3: the solution is invalid: solution: " in out, out


def test_lint_schema_problems_exit_1(fake_engine, tmp_path, capsys):
    root = make_pack(tmp_path / "pk", {"one.yaml": LESSON.replace("chapter: basics", "chapter: nope")})
    assert main(["lint", str(root)]) == 1
    assert f"{root}/one.yaml:5:10: chapter 'nope' is not a chapter" in capsys.readouterr().out


def test_lint_not_a_pack(tmp_path, capsys):
    assert main(["lint", str(tmp_path)]) == 1
    assert "pack.yaml is missing" in capsys.readouterr().out


def test_lint_progress_bar_only_on_a_tty(fake_engine, pack):
    import io

    from kubetrainer.course.lint import lint_pack

    class TTY(io.StringIO):
        def isatty(self):
            return True

    tty, pipe = TTY(), io.StringIO()
    assert lint_pack(str(pack), stream=tty) == []
    assert "lint [" in tty.getvalue() and "2/2" in tty.getvalue()
    assert lint_pack(str(pack), stream=pipe) == [] and pipe.getvalue() == ""


def test_catalog_ids_qualified_and_fallback_language(tmp_path):
    a = make_pack(tmp_path / "a", {"one.yaml": LESSON})
    b = make_pack(tmp_path / "b", {"one.yaml": LESSON.replace('title: {en: "One", zh-Hans: "一"}',
                                                             'title: {en: "Other", zh-Hans: "另一"}')},
                  pack_yaml=__import__("tests.course.helpers", fromlist=["PACK_YAML"]).PACK_YAML.replace("id: t", "id: u"))
    cat = load_all_packs([str(a), str(b)], include_builtin=False, include_installed=False)
    assert cat.problems == []
    assert cat.get("one").pack.id == "t"          # the first pack wins for a bare id
    assert cat.get("u/one").title["en"] == "Other"
    with pytest.raises(KeyError):
        cat.get("v/one")
    lesson = cat.get("u/one")
    assert lesson.tr(lesson.title, "zh-Hans") == "另一"
    assert lesson.tr(lesson.title, "fr") == "Other"   # falls back to the pack's first language


def test_check_works_when_another_lesson_of_the_pack_is_broken(fake_engine, tmp_path, capsys):
    broken = LESSON.replace("id: one", "id: two").replace("difficulty: 1", "difficulty: x")
    root = make_pack(tmp_path / "pk", {"one.yaml": LESSON, "two.yaml": broken})
    assert main(["check", "one", _write(tmp_path, "good.yaml", GOOD), "--pack", str(root)]) == 0
    assert "two.yaml:6:13: difficulty: expected an integer" in capsys.readouterr().err  # a warning
    assert main(["check", "two", _write(tmp_path, "good.yaml", GOOD), "--pack", str(root)]) == 1
    assert main(["lessons", "--pack", str(root)]) == 1
