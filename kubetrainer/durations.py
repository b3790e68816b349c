"""Durations as CONTRACTS.md accepts them: 90, 90s, 2m, 1m30s, 1h, 1.5s (plain numbers are seconds)."""

from __future__ import annotations

import re

from kubetrainer.errors import UserError

_PART = re.compile(r"(\d+(?:\.\d+)?)(ms|h|m|s)")
_UNIT = {"h": 3600.0, "m": 60.0, "s": 1.0, "ms": 0.001}


def parse_duration(text: str | int | float) -> float:
    """Seconds in `text`. Raises UserError with the offending text when it is not a duration."""
    if isinstance(text, bool):
        raise UserError(f"invalid duration {text!r}: expected e.g. 90, 90s, 2m, 1m30s, 1h")
    if isinstance(text, (int, float)):
        if text < 0:
            raise UserError(f"invalid duration {text!r}: must not be negative")
        return float(text)
    s = str(text).strip()
    if re.fullmatch(r"\d+(?:\.\d+)?", s):
        return float(s)
    pos = 0
    total = 0.0
    for m in _PART.finditer(s):
        if m.start() != pos:
            break
        total += float(m.group(1)) * _UNIT[m.group(2)]
        pos = m.end()
    if pos != len(s) or not s:
        raise UserError(f"invalid duration {s!r}: expected e.g. 90, 90s, 2m, 1m30s, 1h")
    return total


def format_duration(seconds: float) -> str:
    """kubectl's short human duration (duration.HumanDuration), used by AGE and '(5s ago)'."""
    # k8s.io/apimachinery/pkg/util/duration/duration.go HumanDuration
    s = int(seconds)
    if seconds < 0:
        s = 0
    if s < 60 * 2:
        return f"{s}s"
    minutes = s // 60
    if minutes < 10:
        rem = s % 60
        return f"{minutes}m{rem}s" if rem else f"{minutes}m"
    if minutes < 60 * 3:
        return f"{minutes}m"
    hours = minutes // 60
    if hours < 8:
        rem = minutes % 60
        return f"{hours}h{rem}m" if rem else f"{hours}h"
    if hours < 48:
        return f"{hours}h"
    days = hours // 24
    if hours < 24 * 8:
        rem = hours % 24
        return f"{days}d{rem}h" if rem else f"{days}d"
    if days < 365 * 2:
        return f"{days}d"
    years = days // 365
    if years < 8:
        rem = days % 365
        return f"{years}y{rem}d" if rem else f"{years}y"
    return f"{years}y"
