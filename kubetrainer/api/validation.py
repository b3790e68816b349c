"""Semantic validation (placeholder; filled in next)."""
from __future__ import annotations


def validate_object(obj: dict) -> list[tuple[tuple, str, bool]]:
    return []


def validate_update(old: dict, new: dict) -> list[str]:
    return []
