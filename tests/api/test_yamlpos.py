"""The positioned YAML loader: positions, refusals, hostile inputs."""

from __future__ import annotations

import pytest

from kubetrainer.api.yamlpos import MAX_DEPTH, load_yaml_documents, parse_documents, YamlProblem
from kubetrainer.errors import UserError


def test_positions_of_keys_and_values():
    (doc,) = load_yaml_documents("a: 1\nspec:\n  containers:\n  - name: web\n    image: nginx\n", "f.yaml")
    assert doc.data == {"a": 1, "spec": {"containers": [{"name": "web", "image": "nginx"}]}}
    assert doc.position(("spec", "containers", 0, "image")) == (5, 5)
    assert doc.position(("spec", "containers", 0, "image"), value=True) == (5, 12)
    assert doc.position(("spec", "containers", 0)) == (4, 5)
    # a path that does not exist falls back to the nearest ancestor
    assert doc.position(("spec", "containers", 0, "imagePullPolicy")) == (4, 5)


def test_multi_document_and_empty_documents_skipped():
    docs = load_yaml_documents("---\na: 1\n---\n# nothing\n---\nb: 2\n", "f")
    assert [d.data for d in docs] == [{"a": 1}, {"b": 2}]
    assert docs[1].position(("b",)) == (6, 1)


def test_crlf_line_endings_pass():
    (doc,) = load_yaml_documents("a: 1\r\nb:\r\n  c: x\r\n", "f")
    assert doc.data == {"a": 1, "b": {"c": "x"}}
    assert doc.position(("b", "c")) == (3, 3)


def test_anchors_aliases_and_merge_keys():
    (doc,) = load_yaml_documents("base: &b {cpu: 1, memory: 1Gi}\nx: *b\nz:\n  <<: *b\n  cpu: 2\n", "f")
    assert doc.data["x"] == {"cpu": 1, "memory": "1Gi"}
    assert doc.data["z"] == {"cpu": 2, "memory": "1Gi"}
    doc.data["x"]["cpu"] = 5  # aliases are copies, not shared objects
    assert doc.data["base"]["cpu"] == 1


def test_yaml_11_scalars_like_go_yaml():
    (doc,) = load_yaml_documents("a: yes\nb: '1'\nc: 1.5\nd: null\ne: 0x10\nf: 2001-12-14\n", "f")
    assert doc.data == {"a": True, "b": "1", "c": 1.5, "d": None, "e": 16, "f": "2001-12-14"}


def test_go_yaml_v2_resolution_rules():
    # sigs.k8s.io/yaml/goyaml.v2 resolve.go: y/n are booleans, 1e3 is a float (sent as JSON 1000),
    # 017 is octal, 12:30 stays a string (no YAML 1.1 sexagesimal), 1.0 is sent as 1
    (doc,) = load_yaml_documents("a: [y, N, On, 1e3, 1.0, 1.5, 017, 08, 12:30, ~, .5, 1_000, 0b11]\n", "f")
    assert doc.data["a"] == [True, False, True, 1000, 1, 1.5, 15, 8, "12:30", None, 0.5, 1000, 3]
    (doc,) = load_yaml_documents("y: 1\n", "f")
    assert doc.data == {"true": 1}


def _problem(text, name="f.yaml"):
    with pytest.raises(UserError) as ei:
        load_yaml_documents(text, name)
    return str(ei.value)


def test_duplicate_key_located_at_the_second_key():
    # go-yaml v3 / kustomize text
    assert _problem("a: 1\nb:\n  c: 1\n  c: 2\n") == 'f.yaml:4:3: mapping key "c" already defined at line 3'


def test_tab_indentation_is_located():
    msg = _problem("a:\n\tb: 1\n")
    assert msg.startswith("f.yaml:2:1: error converting YAML to JSON: yaml: line 2: found character that cannot start any token")
    assert "tab" in msg


def test_python_tags_are_refused_never_constructed():
    msg = _problem("a: !!python/object/apply:os.system [echo hacked]\n")
    assert msg.startswith('f.yaml:1:4: yaml: tag "!!python/object/apply:os.system" is not allowed')
    msg = _problem("a: !!python/object:__main__.X {b: 1}\n")
    assert msg.startswith("f.yaml:1:4:")


def test_custom_tag_refused():
    assert _problem('a: !Ref x\n').startswith('f.yaml:1:4: yaml: tag "!Ref" is not allowed')


def test_billion_laughs_refused_quickly():
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 10):
        p, c = chr(96 + i), chr(97 + i)
        lines.append(f"{c}: &{c} [" + ",".join([f"*{p}"] * 9) + "]")
    msg = _problem("\n".join(lines) + "\n")
    assert "document contains excessive aliasing" in msg
    assert msg.startswith("f.yaml:")


@pytest.mark.parametrize("text", ["a: " + "[" * 100_000 + "]" * 100_000 + "\n",
                                  "a: " + "{a: " * 5000 + "1" + "}" * 5000 + "\n"])
def test_deep_flow_nesting_refused_without_recursion_error(text):
    msg = _problem(text)
    assert "depth" in msg and msg.startswith("f.yaml:1:")


def test_deep_block_nesting_over_our_limit():
    text = "".join("  " * i + "a:\n" for i in range(MAX_DEPTH + 5)) + "  " * (MAX_DEPTH + 5) + "x\n"
    msg = _problem(text)
    assert f"exceeded max depth of {MAX_DEPTH}" in msg


def test_nul_and_control_characters_located():
    assert _problem("a: b\nc: d\x00\n") == "f.yaml:2:5: yaml: control characters are not allowed (NUL byte)"
    assert _problem("a: \x1b[2J\n") == "f.yaml:1:4: yaml: control characters are not allowed (character U+001B)"


def test_invalid_utf8_located():
    with pytest.raises(YamlProblem) as ei:
        parse_documents(b"a: 1\nb: caf\xe9\n", "f")
    assert (ei.value.line, ei.value.col) == (2, 7)
    assert "invalid UTF-8" in ei.value.message


def test_file_over_5_mib_refused():
    msg = _problem("a: " + "x" * (5 * 1024 * 1024 + 10) + "\n")
    assert "5 MiB" in msg and msg.startswith("f.yaml:1:1:")


def test_single_value_over_3_mib_refused():
    msg = _problem("a: b\nc: " + "x" * (3 * 1024 * 1024 + 10) + "\n")
    assert msg.startswith("f.yaml:2:4: value is too large")


def test_bom_is_ignored():
    (doc,) = load_yaml_documents("\ufeffa: 1\n", "f")
    assert doc.data == {"a": 1}


def test_complex_key_refused():
    assert "invalid map key" in _problem("? [a, b]\n: 1\n")


def test_too_many_values_refused():
    from kubetrainer.api.yamlpos import MAX_NODES
    msg = _problem("a: [" + "1," * (MAX_NODES + 10) + "1]\n")
    assert "too many values in one file" in msg and msg.startswith("f.yaml:1:")


def test_unknown_and_recursive_anchors():
    assert _problem("a: *nope\n") == "f.yaml:1:4: yaml: unknown anchor 'nope' referenced"
    assert _problem("a: &x [1, *x]\n") == "f.yaml:1:11: yaml: anchor 'x' value contains itself"
