"""CronJob schedule syntax as the API server checks it: robfig/cron/v3 `ParseStandard`
(parser.go: Parse, normalizeFields, getField, getRange, parseIntOrName, mustParseInt,
parseDescriptor), the parser pkg/apis/batch/validation validateScheduleFormat uses.

    parse_error("*/5 * * * *") -> None
    parse_error("* * * * * *") -> "expected exactly 5 fields, found 6: [* * * * * *]"
"""

from __future__ import annotations

import re

# (min, max, names) for minute, hour, day of month, month, day of week
_MONTHS = {m: i + 1 for i, m in enumerate(["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct",
                                            "nov", "dec"])}
_DOW = {d: i for i, d in enumerate(["sun", "mon", "tue", "wed", "thu", "fri", "sat"])}
_BOUNDS = [(0, 59, None), (0, 23, None), (1, 31, None), (1, 12, _MONTHS), (0, 6, _DOW)]
_DESCRIPTORS = {"@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly"}
_DURATION = re.compile(r"^[-+]?((\d+(\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h))+$")


class _Err(Exception):
    pass


def _atoi(expr: str) -> int:
    """strconv.Atoi with the cron parser's messages."""
    if not re.fullmatch(r"[+-]?[0-9]+", expr):
        raise _Err(f'failed to parse int from {expr}: strconv.Atoi: parsing "{expr}": invalid syntax')
    num = int(expr)
    if not -(2 ** 63) <= num < 2 ** 63:
        raise _Err(f'failed to parse int from {expr}: strconv.Atoi: parsing "{expr}": value out of range')
    if num < 0:
        raise _Err(f"negative number ({num}) not allowed: {expr}")
    return num


def _int_or_name(expr: str, names: dict | None) -> int:
    if names is not None and expr.lower() in names:
        return names[expr.lower()]
    return _atoi(expr)


def _range(expr: str, lo: int, hi: int, names: dict | None) -> None:
    range_and_step = expr.split("/")
    low_and_high = range_and_step[0].split("-")
    single = len(low_and_high) == 1
    if low_and_high[0] in ("*", "?"):
        start, end = lo, hi
    else:
        start = _int_or_name(low_and_high[0], names)
        if len(low_and_high) == 1:
            end = start
        elif len(low_and_high) == 2:
            end = _int_or_name(low_and_high[1], names)
        else:
            raise _Err(f"too many hyphens: {expr}")
    if len(range_and_step) == 1:
        step = 1
    elif len(range_and_step) == 2:
        step = _atoi(range_and_step[1])
        if single:
            end = hi
    else:
        raise _Err(f"too many slashes: {expr}")
    if start < lo:
        raise _Err(f"beginning of range ({start}) below minimum ({lo}): {expr}")
    if end > hi:
        raise _Err(f"end of range ({end}) above maximum ({hi}): {expr}")
    if start > end:
        raise _Err(f"beginning of range ({start}) beyond end of range ({end}): {expr}")
    if step == 0:
        raise _Err(f"step of range should be a positive number: {expr}")


def parse_error(spec: str) -> str | None:
    """The error text of cron.ParseStandard(spec), or None when it parses."""
    try:
        _parse(spec)
    except _Err as e:
        return str(e)
    return None


def _parse(spec: str) -> None:
    if not spec:
        raise _Err("empty spec string")
    if spec.startswith("TZ=") or spec.startswith("CRON_TZ="):
        i = spec.find(" ")
        if i < 0:
            raise _Err(f"provided bad location {spec[spec.find('=') + 1:]}: unknown time zone")
        spec = spec[i:].strip()
    if spec.startswith("@"):
        if spec in _DESCRIPTORS:
            return
        if spec.startswith("@every "):
            d = spec[len("@every "):]
            if not _DURATION.match(d) and d != "0":
                raise _Err(f'failed to parse duration {spec}: time: invalid duration "{d}"')
            return
        raise _Err(f"unrecognized descriptor: {spec}")
    fields = spec.split()
    if len(fields) != 5:
        raise _Err(f"expected exactly 5 fields, found {len(fields)}: [{' '.join(fields)}]")
    for f, (lo, hi, names) in zip(fields, _BOUNDS):
        for expr in f.split(","):
            _range(expr, lo, hi, names)
