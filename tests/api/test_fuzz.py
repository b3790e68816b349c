"""The loader never raises anything but its own error type, and never hangs."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings, strategies as st

from kubetrainer.api.intake import intake_text
from kubetrainer.api.yamlpos import YamlProblem, parse_documents

_YAMLISH = st.text(alphabet=st.sampled_from(list("ab: -\n\t[]{},&*!|>'\"#%@`?~.0123456789eE\x00\x1b\r\u00e9\u3000：")),
                   max_size=200)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(_YAMLISH, st.text(max_size=200), st.binary(max_size=200)))
def test_loader_only_raises_its_own_error(text):
    try:
        parse_documents(text, "f")
    except YamlProblem as p:
        assert p.line >= 1 and p.col >= 1


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(_YAMLISH, st.text(max_size=300)))
def test_intake_never_raises(text):
    manifests, problems = intake_text(text, "f")
    for p in problems:
        assert str(p).startswith("f:")


_K8SISH = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(-10**12, 10**12), st.floats(allow_nan=False),
              st.text(max_size=8)),
    lambda children: st.one_of(st.lists(children, max_size=3),
                               st.dictionaries(st.sampled_from(["name", "image", "spec", "containers", "ports",
                                                                "resources", "limits", "cpu", "metadata",
                                                                "selector", "template", "labels", "x"]),
                                               children, max_size=4)),
    max_leaves=20)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(["Pod", "Deployment", "Service", "Secret", "ConfigMap", "StatefulSet", "DaemonSet",
                        "ReplicaSet", "Job"]), _K8SISH)
def test_checks_never_crash_on_odd_shapes(kind, spec):
    import json
    from kubetrainer.api.schema import api_version_of
    obj = {"apiVersion": api_version_of(kind), "kind": kind, "metadata": {"name": "x"}, "spec": spec}
    manifests, problems = intake_text(json.dumps(obj), "f")
    assert manifests or problems


def test_mutated_real_manifests_never_crash():
    """Seeded mutations (deleted/duplicated lines, inserted YAML syntax) of the fixtures: intake,
    defaulting and update validation only ever return problems."""
    import random
    from pathlib import Path

    from kubetrainer.api.defaults import default_object
    from kubetrainer.api.validation import validate_update

    rng = random.Random(20261127)
    fixtures = Path(__file__).parent / "fixtures"
    files = [p.read_text(encoding="utf-8") for p in sorted(fixtures.rglob("*.yaml"))]
    tokens = [": ", "- ", "  ", "\t", "{", "}", "[", "]", "null", "true", "0", "-1", "1e3", "'", '"', "&a", "*a",
              "<<: *a", "---\n", "x", "70000", "lots", "Always", "100%", "y", "：", "\x1b"]
    for _ in range(400):
        lines = rng.choice(files).split("\n")
        for _ in range(rng.randint(1, 3)):
            j = rng.randrange(len(lines))
            op = rng.random()
            if op < 0.3 and len(lines) > 1:
                del lines[j]
            elif op < 0.5:
                lines.insert(j, lines[rng.randrange(len(lines))])
            elif op < 0.8:
                k = rng.randint(0, len(lines[j]))
                lines[j] = lines[j][:k] + rng.choice(tokens) + lines[j][k:]
            elif ":" in lines[j]:
                lines[j] = lines[j].split(":")[0] + ": " + rng.choice(tokens)
        manifests, problems = intake_text("\n".join(lines), "f")
        for p in problems:
            assert str(p).startswith("f:") and "\x1b" not in p.message
        for m in manifests:
            assert validate_update(m.obj, default_object(m.obj).obj) == []  # defaulting is idempotent
