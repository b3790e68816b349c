"""The engine and the course never import textual or rich (DESIGN.md: headless first).

Checked at run time in a fresh interpreter, as harlequin's test_import_hygiene does, because a
static contract cannot see deferred imports; the import-linter contract in pyproject.toml covers
the static side.
"""

from __future__ import annotations

import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

import kubetrainer

ROOT = Path(kubetrainer.__file__).parent
ENGINE_PACKAGES = ["kubetrainer.api", "kubetrainer.sim", "kubetrainer.course"]


def _modules(package: str) -> list[str]:
    path = ROOT / package.split(".", 1)[1]
    names = [package]
    for info in pkgutil.walk_packages([str(path)], prefix=package + "."):
        names.append(info.name)
    return names


@pytest.mark.parametrize("package", ENGINE_PACKAGES)
def test_engine_modules_do_not_import_textual_or_rich(package):
    mods = _modules(package)
    code = (
        "import importlib, sys\n"
        f"for m in {mods!r}:\n"
        "    importlib.import_module(m)\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich'))\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "", f"{package} pulled in: {out.stdout.strip()}"


def test_import_linter_contract_is_kept():
    lint = Path(sys.executable).with_name("lint-imports")
    if not lint.exists():
        pytest.skip("import-linter is not installed in this environment")
    out = subprocess.run([str(lint)], capture_output=True, text=True, cwd=ROOT.parent)
    assert out.returncode == 0, out.stdout + out.stderr


def test_cli_start_does_not_import_textual():
    code = "import sys, kubetrainer.cli; print(any(m.startswith('textual') for m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.stdout.strip() == "False"
