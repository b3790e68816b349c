"""lessons/ and assets/ ship inside the wheel and are found the same way from a wheel and from an
editable install (pyproject force-include + kubetrainer.resources)."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

import kubetrainer.resources as resources

REPO = Path(__file__).resolve().parent.parent


def test_checkout_finds_lessons_and_assets():
    assert resources.lessons_dir().is_dir()
    assert resources.assets_dir().is_dir()
    assert resources.builtin_pack() == resources.lessons_dir()


@pytest.mark.skipif(importlib.util.find_spec("hatchling") is None, reason="hatchling not installed")
def test_wheel_ships_data_and_finds_it(tmp_path):
    out = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                          "-w", str(tmp_path / "dist"), str(REPO)], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    (wheel,) = (tmp_path / "dist").glob("kubetrainer-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    lesson_files = [n for n in names if n.startswith("kubetrainer/_data/lessons/")]
    asset_files = [n for n in names if n.startswith("kubetrainer/_data/assets/")]
    assert asset_files, "assets/ is not in the wheel"
    assert len(lesson_files) == len([p for p in (REPO / "lessons").rglob("*") if p.is_file()])
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    code = ("import kubetrainer.resources as r; print(r.lessons_dir()); print(r.assets_dir())")
    res = subprocess.run([sys.executable, "-I", "-c", f"import sys; sys.path.insert(0, {str(site)!r}); {code}"],
                         capture_output=True, text=True, cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    lessons, assets = res.stdout.split()
    assert Path(lessons) == site / "kubetrainer" / "_data" / "lessons"
    assert Path(assets) == site / "kubetrainer" / "_data" / "assets"
