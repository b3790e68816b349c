"""Intake: schema (strict decoding), kinds/versions, Manifest interface, seed examples."""

from __future__ import annotations

import pytest

from kubetrainer.api.intake import Problem, intake_text, load_manifests
from kubetrainer.errors import UserError

from .helpers import FIXTURES, pod


def problems(text: str) -> list[str]:
    return [str(p) for p in intake_text(text, "f.yaml")[1]]


def test_manifest_interface():
    ms, ps = intake_text(pod("    resources:\n      limits: {cpu: 500m}\n"), "p.yaml")
    assert ps == []
    (m,) = ms
    assert (m.kind, m.api_version, m.name, m.namespace, m.source) == ("Pod", "v1", "web", "default", "p.yaml")
    assert m.raw["spec"]["containers"][0].get("imagePullPolicy") is None
    assert m.obj["spec"]["containers"][0]["imagePullPolicy"] == "IfNotPresent"
    assert ("spec", "containers", 0, "imagePullPolicy") in m.defaulted
    assert m.position(("spec", "containers", 0, "resources", "limits", "cpu")) == (10, 16)
    assert m.position(("spec", "containers", 0, "resources", "limits", "cpu"), value=True) == (10, 21)


def test_problem_str():
    p = Problem("a.yaml", 3, 5, "boom")
    assert str(p) == "a.yaml:3:5: boom"


def test_unknown_field_located_at_key():
    text = pod("    imagePullPolice: Always\n")
    assert problems(text) == ['f.yaml:9:5: strict decoding error: unknown field "spec.containers[0].imagePullPolice"']


def test_all_unknown_fields_reported():
    text = pod("    foo: 1\n", "  bar: 2\n")
    assert problems(text) == ['f.yaml:9:5: strict decoding error: unknown field "spec.containers[0].foo"',
                              'f.yaml:10:3: strict decoding error: unknown field "spec.bar"']


def test_wrong_types_as_encoding_json_prints_them():
    assert problems(pod("", "  nodeName: 5\n")) == [
        "f.yaml:9:13: json: cannot unmarshal number into Go struct field PodSpec.spec.nodeName of type string"]
    assert problems(pod("    ports: [{containerPort: \"80\"}]\n")) == [
        "f.yaml:9:29: json: cannot unmarshal string into Go struct field ContainerPort.spec.containers.ports"
        ".containerPort of type int32"]
    assert problems(pod("    ports: [{containerPort: 1.5}]\n")) == [
        "f.yaml:9:29: json: cannot unmarshal number 1.5 into Go struct field ContainerPort.spec.containers.ports"
        ".containerPort of type int32"]
    assert problems("apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec: {containers: nginx}\n")[0].endswith(
        "json: cannot unmarshal string into Go struct field PodSpec.spec.containers of type []v1.Container")


def test_quantity_errors_from_apimachinery():
    got = problems(pod("    resources: {limits: {cpu: lots, memory: 512Gu}}\n"))
    assert got == ["f.yaml:9:31: quantities must match the regular expression "
                   "'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
                   "f.yaml:9:45: unable to parse quantity's suffix"]


def test_int_or_string_and_quantity_accept_both():
    text = """apiVersion: apps/v1
kind: Deployment
metadata: {name: d}
spec:
  selector: {matchLabels: {app: a}}
  strategy: {rollingUpdate: {maxSurge: 1, maxUnavailable: "10%"}}
  template:
    metadata: {labels: {app: a}}
    spec:
      containers:
      - name: c
        image: nginx
        resources: {requests: {cpu: 0.5, memory: 64Mi}}
"""
    assert problems(text) == []


def test_missing_kind_as_kubectls_decoder_says():
    assert problems("metadata: {name: x}\n") == [
        "f.yaml:1:1: Object 'Kind' is missing in '{\"metadata\":{\"name\":\"x\"}}'"]


def test_missing_api_version_fails_in_the_rest_mapping():
    assert problems("kind: Pod\nmetadata: {name: x}\n") == [
        'f.yaml:1:1: no matches for kind "Pod" in version "" (use apiVersion: v1)']


def test_removed_version_has_hint():
    text = (FIXTURES / "seed" / "deployment-v1beta2.yaml").read_text()
    assert problems(text) == [
        'f.yaml:1:13: no matches for kind "Deployment" in version "apps/v1beta2" '
        '(apps/v1beta2 stopped serving Deployment in Kubernetes 1.16; use apiVersion: apps/v1)']


def test_unknown_kind():
    assert problems("apiVersion: v1\nkind: Pood\nmetadata: {name: x}\n") == [
        'f.yaml:2:7: no matches for kind "Pood" in version "v1" (ensure CRDs are installed first)']


def test_wrong_version_for_known_kind():
    assert problems("apiVersion: v1\nkind: Deployment\nmetadata: {name: x}\n") == [
        'f.yaml:1:13: no matches for kind "Deployment" in version "v1" (use apiVersion: apps/v1)']


def test_not_a_mapping():
    assert problems("- a\n- b\n") == [
        "f.yaml:1:1: json: cannot unmarshal array into Go value of type map[string]interface {}"]


def test_empty_file_is_no_objects():
    assert problems("") == ["f.yaml:1:1: no objects passed to apply"]
    assert problems("# only a comment\n---\n") == ["f.yaml:1:1: no objects passed to apply"]


# --- the seed tutorial's broken examples ------------------------------------------------------
def seed(name: str) -> list[str]:
    return [str(p) for p in intake_text((FIXTURES / "seed" / name).read_text(encoding="utf-8"), name)[1]]


def test_seed_spec_under_metadata():
    # strict decoding: ObjectMeta has no "spec"
    assert seed("nodeselector-spec-under-metadata.yaml") == [
        'nodeselector-spec-under-metadata.yaml:7:3: strict decoding error: unknown field "metadata.spec"']


def test_seed_full_width_colon():
    # `nodeName： <NodeName>` is a plain scalar where a `key: value` was expected: go-yaml (libyaml)
    # "could not find expected ':'"; kubectl prints the scanner's line (EOF, line 13), we locate the key.
    assert seed("nodename-fullwidth-colon.yaml") == [
        "nodename-fullwidth-colon.yaml:12:3: error converting YAML to JSON: yaml: line 13: "
        "could not find expected ':' (hint: the text contains a full-width colon \"：\" U+FF1A; YAML needs an "
        "ASCII ':')"]


def test_seed_full_width_colon_as_the_only_field():
    # `nodeName：node01` alone under spec: a plain string where PodSpec (a mapping) was expected
    assert seed("nodename-fullwidth-colon-only-field.yaml") == [
        "nodename-fullwidth-colon-only-field.yaml:6:3: json: cannot unmarshal string into Go struct field Pod.spec "
        "of type v1.PodSpec (hint: the text contains a full-width colon \"：\" U+FF1A; YAML needs an ASCII ':')"]


def test_seed_command_args_on_one_line():
    # go-yaml v2 parser errors print the 0-based line of the problem (line 3 for line 4)
    assert seed("command-args-one-line.yaml") == [
        "command-args-one-line.yaml:4:23: error converting YAML to JSON: yaml: line 3: did not find expected key"]


def test_seed_v1beta2_deployment_fixed_is_valid():
    text = (FIXTURES / "seed" / "deployment-v1beta2.yaml").read_text().replace("apps/v1beta2", "apps/v1")
    ms, ps = intake_text(text, "d.yaml")
    assert ps == [] and ms[0].name == "nginx"


@pytest.mark.parametrize("path", sorted((FIXTURES / "docs").glob("*.yaml")), ids=lambda p: p.name)
def test_official_docs_examples_validate_clean(path):
    ms, ps = intake_text(path.read_text(), path.name)
    assert ps == [] and len(ms) >= 1


def test_load_manifests_raises_with_all_problems(tmp_path):
    a = tmp_path / "a.yaml"
    a.write_text(pod("    foo: 1\n"))
    b = tmp_path / "b.yaml"
    b.write_text(pod("", "  restartPolicy: Sometimes\n"))
    with pytest.raises(UserError) as ei:
        load_manifests([str(a), str(b)])
    lines = str(ei.value).splitlines()
    assert lines == [f'{a}:9:5: strict decoding error: unknown field "spec.containers[0].foo"',
                     f'{b}:9:18: spec.restartPolicy: Unsupported value: "Sometimes": supported values: '
                     '"Always", "OnFailure", "Never"']


def test_load_manifests_stdin_and_missing_file():
    (m,) = load_manifests(["-"], stdin_text=pod())
    assert m.source == "<stdin>"
    with pytest.raises(UserError, match="does not exist"):
        load_manifests(["/nonexistent/x.yaml"])


def test_multi_document_objects_and_lines():
    text = pod(name="a") + "---\n" + pod(name="b")
    ms, ps = intake_text(text, "f")
    assert [m.name for m in ms] == ["a", "b"] and ps == []
    assert ms[1].line == 10


def test_yaml_11_boolean_gotcha_in_env_value():
    # kubectl converts YAML to JSON with go-yaml v2: `n` is false, and EnvVar.value is a string
    assert problems(pod("    env: [{name: DEBUG, value: n}]\n")) == [
        "f.yaml:9:32: json: cannot unmarshal bool into Go struct field EnvVar.spec.containers.env.value of type string"]


def test_integral_floats_decode_into_int_fields():
    ms, ps = intake_text(pod("    ports: [{containerPort: 8e1}]\n"), "f")
    assert ps == [] and ms[0].obj["spec"]["containers"][0]["ports"][0]["containerPort"] == 80


def test_v1_list_is_flattened_with_positions():
    text = ("apiVersion: v1\nkind: List\nitems:\n"
            "- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: a}\n"
            "- apiVersion: v1\n  kind: Pod\n  metadata: {name: b}\n  spec: {containers: [{name: c, image: x, bogus: 1}]}\n")
    ms, ps = intake_text(text, "f")
    assert [m.name for m in ms] == ["a"]
    assert [str(p) for p in ps] == ['f:10:43: strict decoding error: unknown field "spec.containers[0].bogus"']


def test_schema_is_loaded_lazily_and_validate_never_imports_the_tui():
    import subprocess
    import sys
    code = ("import sys, kubetrainer.api.intake, kubetrainer.api.schema as s\n"
            "assert s._DATA is None\n"
            "from kubetrainer.cli import main\n"
            "main(['validate', sys.argv[1]])\n"
            "assert s._DATA is not None\n"
            "assert not any(m.startswith(('textual', 'rich', 'kubetrainer.tui', 'jsonschema', 'kubernetes_validate'))"
            " for m in sys.modules), sorted(m for m in sys.modules if m.startswith(('textual', 'rich')))\n")
    proc = subprocess.run([sys.executable, "-c", code, str(FIXTURES / "docs" / "qos-pod.yaml")],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert "pod/qos-demo valid" in proc.stdout


def test_name_y_is_a_boolean_for_kubectl():
    # go-yaml v2: `y` is true, so a container named y is rejected exactly like by kubectl
    assert problems(pod().replace("  - name: web\n", "  - name: y\n")) == [
        "f.yaml:7:11: json: cannot unmarshal bool into Go struct field Container.spec.containers.name of type string"]


def test_status_written_by_the_user_is_dropped():
    (m,), ps = intake_text(pod() + "status: {phase: Running}\n", "f")
    assert ps == [] and "status" not in m.obj and m.raw["status"] == {"phase": "Running"}
