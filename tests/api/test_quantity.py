"""Quantities with k8s.io/apimachinery/pkg/api/resource semantics."""

from __future__ import annotations

import pytest

from kubetrainer.api.quantity import (QuantityError, cpu_millis, format_cpu, format_memory, memory_bytes,
                                      parse_quantity)


@pytest.mark.parametrize("text,canonical,milli", [
    ("250m", "250m", 250), ("0.5", "500m", 500), ("0.1", "100m", 100), ("1", "1", 1000),
    ("2000m", "2", 2000), ("1.5", "1500m", 1500), ("100n", "100n", 1), (0.25, "250m", 250), (3, "3", 3000),
])
def test_cpu(text, canonical, milli):
    q = parse_quantity(text)
    assert str(q) == canonical and q.milli() == milli


@pytest.mark.parametrize("text,canonical,value", [
    ("64Mi", "64Mi", 64 * 2**20), ("1Gi", "1Gi", 2**30), ("1G", "1G", 10**9), ("1.5Gi", "1536Mi", 3 * 2**29),
    ("1000Mi", "1000Mi", 1000 * 2**20), ("128974848", "128974848", 128974848), ("129e6", "129e6", 129 * 10**6),
    ("123Mi", "123Mi", 123 * 2**20), ("1k", "1k", 1000), ("1Ki", "1Ki", 1024),
])
def test_memory(text, canonical, value):
    q = parse_quantity(text)
    assert str(q) == canonical and q.integer() == value


def test_decimal_exponent_keeps_format():
    assert str(parse_quantity("1e3")) == "1e3"
    assert str(parse_quantity("1E3")) == "1e3"
    assert str(parse_quantity("1e-3")) == "1e-3"
    assert parse_quantity("1e3") == parse_quantity("1k")


def test_1g_vs_1gi():
    assert parse_quantity("1G") < parse_quantity("1Gi")


def test_rounding_up_below_nano():
    assert str(parse_quantity("0.0000000001")) == "1n"
    assert parse_quantity("1n").milli() == 1  # MilliValue rounds up


@pytest.mark.parametrize("bad,msg", [
    ("lots", "quantities must match the regular expression"), ("1.2.3", "quantities must match"),
    ("", "quantities must match"), ("512Gu", "unable to parse quantity's suffix"), (True, "quantities must match"),
])
def test_errors(bad, msg):
    with pytest.raises(QuantityError, match=msg):
        parse_quantity(bad)


def test_helpers():
    assert cpu_millis("1.5") == 1500 and memory_bytes("1Mi") == 2**20
    assert format_cpu(250) == "250m" and format_cpu(2000) == "2"
    assert format_memory(2**30) == "1Gi" and format_memory(1000) == "1k"
