"""Property tests: generated valid Pods pass; a broken field is reported at the line it is on."""

from __future__ import annotations

from hypothesis import given, settings, strategies as st

from kubetrainer.api.intake import intake_text
from kubetrainer.api.quantity import parse_quantity

# (y, n, yes, no, on, off, true, false, null are not strings in YAML 1.1 / go-yaml v2: kubectl would
# reject `name: y` with "cannot unmarshal bool")
_label = st.from_regex(r"[a-z]([-a-z0-9]{0,10}[a-z0-9])?", fullmatch=True).filter(
    lambda s: s not in ("y", "n", "yes", "no", "on", "off", "true", "false", "null"))
_cpu = st.sampled_from(["100m", "250m", "0.5", "1", "2", "1500m"])
_mem = st.sampled_from(["64Mi", "128Mi", "1Gi", "512M", "1e9"])


@st.composite
def pods(draw):
    names = draw(st.lists(_label, min_size=1, max_size=4, unique=True))
    lines = ["apiVersion: v1", "kind: Pod", "metadata:", f"  name: {draw(_label)}", "spec:", "  containers:"]
    where = {}
    for i, n in enumerate(names):
        lines.append(f"  - name: {n}")
        where[i] = len(lines)
        lines.append(f"    image: {draw(_label)}:{draw(st.integers(1, 20))}")
        cpu, mem = draw(_cpu), draw(_mem)
        lines += ["    resources:", f"      requests: {{cpu: \"{cpu}\", memory: \"{mem}\"}}",
                  f"      limits: {{cpu: \"{cpu}\", memory: \"{mem}\"}}"]
    return "\n".join(lines) + "\n", names, where


@settings(max_examples=60, deadline=None)
@given(pods())
def test_generated_pods_are_valid_and_positions_match(case):
    text, names, where = case
    (m,), problems = intake_text(text, "p.yaml")
    assert problems == []
    for i, n in enumerate(names):
        assert m.position(("spec", "containers", i, "name")) == (where[i], 5)
        c = m.obj["spec"]["containers"][i]
        assert c["name"] == n and c["imagePullPolicy"] == "IfNotPresent"
        assert parse_quantity(c["resources"]["requests"]["cpu"]) == parse_quantity(c["resources"]["limits"]["cpu"])


@settings(max_examples=60, deadline=None)
@given(pods(), st.data())
def test_a_broken_container_name_is_reported_on_its_line(case, data):
    text, names, where = case
    i = data.draw(st.integers(0, len(names) - 1))
    lines = text.split("\n")
    lines[where[i] - 1] = lines[where[i] - 1].replace(f"name: {names[i]}", "name: Bad_Name")
    _, problems = intake_text("\n".join(lines), "p.yaml")
    assert any(p.line == where[i] and p.col == 11 and
               p.message.startswith(f'spec.containers[{i}].name: Invalid value: "Bad_Name"') for p in problems)
