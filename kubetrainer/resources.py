"""Where the built-in lesson pack and the assets live.

In a wheel, `lessons/` and `assets/` are shipped as `kubetrainer/_data/...` (pyproject's
force-include). In an editable install or a source checkout they sit beside the package.
One function finds both, so the rest of the program never cares how it was installed.
"""

from __future__ import annotations

from pathlib import Path

_PKG = Path(__file__).resolve().parent


def _data_dir(name: str) -> Path:
    shipped = _PKG / "_data" / name
    if shipped.is_dir():
        return shipped
    checkout = _PKG.parent / name
    if checkout.is_dir():
        return checkout
    raise FileNotFoundError(f"kubetrainer's {name}/ directory is missing from this installation")


def lessons_dir() -> Path:
    return _data_dir("lessons")


def assets_dir() -> Path:
    return _data_dir("assets")


def builtin_pack() -> Path:
    """Entry point of the built-in pack (group `kubetrainer.lesson_packs`)."""
    return lessons_dir()
