"""Resource quantities with Kubernetes' semantics (k8s.io/apimachinery/pkg/api/resource/quantity.go).

`250m`, `0.5`, `64Mi`, `1e3`, `1G` (10^9) vs `1Gi` (2^30). Values are exact (Fraction), so
`0.1` CPU is exactly 100m. `str(q)` is the canonical form Kubernetes prints
(Quantity.String / CanonicalizeBytes): binary suffixes stay binary when exact, decimal otherwise.
"""

from __future__ import annotations

import math
import re
from fractions import Fraction
from functools import total_ordering

# quantity.go: ErrFormatWrong / ErrSuffix texts
FORMAT_ERROR = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"
SUFFIX_ERROR = "unable to parse quantity's suffix"

_RE = re.compile(r"^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$")
_BINARY = {"Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "Ti": 2**40, "Pi": 2**50, "Ei": 2**60}
_DECIMAL = {"n": Fraction(1, 10**9), "u": Fraction(1, 10**6), "m": Fraction(1, 1000), "": Fraction(1),
            "k": Fraction(10**3), "M": Fraction(10**6), "G": Fraction(10**9), "T": Fraction(10**12),
            "P": Fraction(10**15), "E": Fraction(10**18)}


class QuantityError(ValueError):
    pass


@total_ordering
class Quantity:
    __slots__ = ("value", "format")

    def __init__(self, value: Fraction, fmt: str = "DecimalSI") -> None:
        self.value = Fraction(value)
        self.format = fmt  # "BinarySI", "DecimalSI" or "DecimalExponent", as quantity.go keeps it

    # -- conversions used everywhere --------------------------------------------------------
    def milli(self) -> int:
        """MilliValue(): value*1000 rounded up (quantity.go rounds up on scale loss)."""
        return math.ceil(self.value * 1000)

    def integer(self) -> int:
        """Value(): rounded up to an integer."""
        return math.ceil(self.value)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Quantity) and self.value == other.value

    def __lt__(self, other: "Quantity") -> bool:
        return self.value < other.value

    def __hash__(self) -> int:
        return hash(self.value)

    def __repr__(self) -> str:
        return f"Quantity({str(self)!r})"

    def __str__(self) -> str:
        return canonical(self.value, self.format)


def parse_quantity(text: str | int | float) -> Quantity:
    """Parse like resource.ParseQuantity. Raises QuantityError with the apimachinery message."""
    if isinstance(text, bool):
        raise QuantityError(FORMAT_ERROR)
    if isinstance(text, int):
        return Quantity(Fraction(text))
    if isinstance(text, float):
        if not math.isfinite(text):
            raise QuantityError(FORMAT_ERROR)
        return Quantity(Fraction(repr(text)))
    s = str(text).strip() if isinstance(text, str) else None
    if not s or len(s) > 100:
        raise QuantityError(FORMAT_ERROR)
    m = _RE.match(s)
    if not m:
        raise QuantityError(FORMAT_ERROR)
    num, suffix = m.group(1), m.group(2)
    if num.count(".") > 1 or num.strip("+-") in ("", "."):
        raise QuantityError(FORMAT_ERROR)
    try:
        number = Fraction(num)
    except (ValueError, ZeroDivisionError):
        raise QuantityError(FORMAT_ERROR) from None
    if suffix in _BINARY:
        return Quantity(number * _BINARY[suffix], "BinarySI")
    if suffix in _DECIMAL:
        return Quantity(number * _DECIMAL[suffix], "DecimalSI")
    em = re.fullmatch(r"[eE]([-+]?[0-9]+)", suffix)
    if em:
        exp = int(em.group(1))
        if abs(exp) > 60:
            raise QuantityError(SUFFIX_ERROR)
        return Quantity(number * Fraction(10) ** exp, "DecimalExponent")
    raise QuantityError(SUFFIX_ERROR)


def canonical(value: Fraction, fmt: str = "DecimalSI") -> str:
    """Canonical string as Quantity.String() prints it (e.g. 1.5Gi stays 1536Mi, 0.5 -> 500m)."""
    sign = "-" if value < 0 else ""
    v = abs(value)
    if v == 0:
        return "0"
    if fmt == "BinarySI" and v.denominator == 1 and v >= 1024:
        n = v.numerator
        for suf in ("Ei", "Pi", "Ti", "Gi", "Mi", "Ki"):
            if n % _BINARY[suf] == 0:
                return f"{sign}{n // _BINARY[suf]}{suf}"
    if fmt == "BinarySI" and v.denominator == 1 and v < 1024:
        return f"{sign}{v.numerator}"
    if fmt == "DecimalExponent":  # CanonicalizeBytes keeps the format: 1e3, 12e6, 1500, 1e-3
        if v.denominator == 1:
            n, exp = v.numerator, 0
            while n % 1000 == 0 and exp < 18:
                n //= 1000
                exp += 3
            return f"{sign}{n}" + (f"e{exp}" if exp else "")
        for exp in (3, 6, 9):
            scaled = v * 10 ** exp
            if scaled.denominator == 1:
                return f"{sign}{scaled.numerator}e-{exp}"
        return f"{sign}{math.ceil(v * 10**9)}e-9"
    # Decimal: the largest suffix that keeps an integer mantissa; rounds up below nano.
    for suf, mult in (("E", 10**18), ("P", 10**15), ("T", 10**12), ("G", 10**9), ("M", 10**6), ("k", 10**3)):
        if v.denominator == 1 and v.numerator % mult == 0:
            return f"{sign}{v.numerator // mult}{suf}"
    if v.denominator == 1:
        return f"{sign}{v.numerator}"
    for suf, mult in (("m", 10**3), ("u", 10**6), ("n", 10**9)):
        scaled = v * mult
        if scaled.denominator == 1:
            return f"{sign}{scaled.numerator}{suf}"
    return f"{sign}{math.ceil(v * 10**9)}n"


def cpu_millis(q: str | int | float | Quantity) -> int:
    return (q if isinstance(q, Quantity) else parse_quantity(q)).milli()


def memory_bytes(q: str | int | float | Quantity) -> int:
    return (q if isinstance(q, Quantity) else parse_quantity(q)).integer()


def format_cpu(millis: int) -> str:
    return canonical(Fraction(millis, 1000))


def format_memory(n: int) -> str:
    return canonical(Fraction(n), "BinarySI" if n % 1024 == 0 else "DecimalSI")
