"""Whatever a lesson file holds, loading it gives located problems, never a traceback."""

from __future__ import annotations

import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kubetrainer.course.packs import load_pack_dir
from tests.course.helpers import LESSON, make_pack

BASE = yaml.safe_load(LESSON)

scalars = st.one_of(st.none(), st.booleans(), st.integers(-5, 10**6), st.floats(allow_nan=False, allow_infinity=False),
                    st.text(max_size=12), st.sampled_from(["30s", "1m", "web", "Running", "en", "a.yaml", "../x.yaml"]))
values = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                       st.dictionaries(st.sampled_from(
                                                           ["pod", "pods", "en", "zh-Hans", "min", "max", "id",
                                                            "phase", "count", "events", "time", "command", "x"]),
                                                           inner, max_size=3)), max_leaves=8)


def _paths(node, prefix=()):
    yield prefix
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _paths(v, prefix + (k,))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _paths(v, prefix + (i,))


ALL_PATHS = [p for p in _paths(BASE) if p]


def _set(data, path, value):
    import copy

    data = copy.deepcopy(data)
    node = data
    for p in path[:-1]:
        node = node[p]
    node[path[-1]] = value
    return data


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(ALL_PATHS), values), min_size=1, max_size=3))
def test_mutated_lessons_never_crash(mutations):
    data = BASE
    for path, value in mutations:
        try:
            data = _set(data, path, value)
        except (KeyError, IndexError, TypeError):
            continue
    with tempfile.TemporaryDirectory() as d:
        root = make_pack(Path(d) / "p", {"one.yaml": yaml.safe_dump(data, allow_unicode=True)})
        pack, problems = load_pack_dir(str(root))
        for p in problems:
            assert p.line >= 1 and p.col >= 1 and p.message
            assert str(p).startswith(str(root))
        if pack is not None and pack.lessons:
            assert problems == [] or all("prerequisites" in p.message for p in problems)
