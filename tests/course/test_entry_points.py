"""Packs registered by installed distributions (entry point group kubetrainer.lesson_packs):
a temporary *.dist-info on sys.path is what `pip install` would leave, found by importlib.metadata."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from kubetrainer.course.packs import load_all_packs
from tests.course.helpers import LESSON, PACK_YAML, make_pack

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


@pytest.fixture
def site(tmp_path, monkeypatch):
    site = tmp_path / "site"
    pkg = site / "ktpack_demo"
    make_pack(pkg / "lessons", {"one.yaml": LESSON.replace("id: one", "id: ep-lesson")},
              PACK_YAML.replace("id: t", "id: ep-demo"))
    (pkg / "__init__.py").write_text("from importlib.resources import files\n"
                                     "PACK = files(__name__) / 'lessons'\n"
                                     "def make():\n    return str(PACK)\n")
    fn = site / "ktpack_fn"
    make_pack(fn / "data", {"x.yaml": LESSON.replace("id: one", "id: fn-lesson")}, PACK_YAML.replace("id: t", "id: ep-fn"))
    (fn / "__init__.py").write_text("from pathlib import Path\n"
                                    "def pack():\n    return Path(__file__).parent / 'data'\n")
    dist = site / "ktpack_demo-0.1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: ktpack-demo\nVersion: 0.1.0\n")
    (dist / "entry_points.txt").write_text("[kubetrainer.lesson_packs]\n"
                                           "demo = ktpack_demo:PACK\n"
                                           "fn = ktpack_fn:pack\n"
                                           "broken = ktpack_missing:PACK\n")
    monkeypatch.syspath_prepend(str(site))
    return site


def test_entry_point_packs_are_loaded(site):
    cat = load_all_packs(include_builtin=False)
    ids = [p.id for p in cat.packs]
    assert "ep-demo" in ids and "ep-fn" in ids
    assert cat.get("ep-lesson").pack.source == "entry-point:demo"
    assert cat.get("ep-fn/fn-lesson").pack.source == "entry-point:fn"
    broken = [p for p in cat.problems if "'broken'" in p]
    assert broken and "ktpack-demo" in broken[0] and "cannot load" in broken[0]


def test_entry_point_pack_listed_by_the_cli(site, tmp_path):
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(site), REPO]), KUBETRAINER_DATA_DIR=str(tmp_path / "d"))
    out = subprocess.run([sys.executable, "-m", "kubetrainer", "lessons", "--format", "json"],
                         capture_output=True, text=True, env=env, timeout=60)
    assert out.returncode == 0, out.stderr
    rows = json.loads(out.stdout)["lessons"]
    mine = [r for r in rows if r["pack"] in ("ep-demo", "ep-fn")]
    assert {r["id"] for r in mine} == {"ep-lesson", "fn-lesson"}
    r = next(r for r in mine if r["id"] == "ep-lesson")
    assert r == {"id": "ep-lesson", "title": "One", "chapter": "basics", "difficulty": 1,
                 "languages": ["en", "zh-Hans"], "pack": "ep-demo", "completed": False, "stars": 0}
    assert "'broken'" in out.stderr  # a broken third-party pack is a warning, not a failure


def test_duplicate_pack_ids_keep_the_first(site, tmp_path):
    other = make_pack(tmp_path / "dup", {"one.yaml": LESSON}, PACK_YAML.replace("id: t", "id: ep-demo"))
    cat = load_all_packs([str(other)], include_builtin=False)
    assert [p.id for p in cat.packs].count("ep-demo") == 1
    assert any("pack id 'ep-demo' is already used" in p for p in cat.problems)
