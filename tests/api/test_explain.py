"""`kubetrainer explain` in kubectl's OpenAPI v3 layout (explain/v2/templates/plaintext.tmpl)."""

from __future__ import annotations

import pytest

from kubetrainer.api.explain import ExplainError, explain, resolve_kind
from kubetrainer.cli import main


def test_leaf_field_with_enum():
    out = explain("pod.spec.containers.imagePullPolicy")
    assert out.startswith("KIND:       Pod\nVERSION:    v1\n\nFIELD: imagePullPolicy <string>\nENUM:\n    Always\n"
                          "    IfNotPresent\n    Never\n\nDESCRIPTION:\n    Image pull policy. One of Always, Never, "
                          "IfNotPresent. Defaults to Always if\n")


def test_object_field_has_group_description_and_fields():
    out = explain("deployment.spec.strategy")
    assert out.startswith("GROUP:      apps\nKIND:       Deployment\nVERSION:    v1\n\n"
                          "FIELD: strategy <DeploymentStrategy>\n\nDESCRIPTION:\n"
                          "    The deployment strategy to use to replace existing pods with new ones.\n"
                          "    DeploymentStrategy describes how to replace existing pods with new ones.\n    \n"
                          "FIELDS:\n  rollingUpdate\t<RollingUpdateDeployment>\n")
    assert "  type\t<string>\n  enum: Recreate, RollingUpdate\n    Type of deployment." in out


def test_array_field_as_kubectl_prints_it():
    # the real kubectl 1.3x output for `kubectl explain pods.spec.containers`
    out = explain("pods.spec.containers")
    assert out.startswith(
        "KIND:       Pod\nVERSION:    v1\n\nFIELD: containers <[]Container>\n\nDESCRIPTION:\n"
        "    List of containers belonging to the pod. Containers cannot currently be\n"
        "    added or removed. There must be at least one container in a Pod. Cannot be\n"
        "    updated.\n    A single application container that you want to run within a pod.\n    \nFIELDS:\n"
        "  args\t<[]string>\n")
    assert "  name\t<string> -required-\n" in out
    assert "  resources\t<ResourceRequirements>\n" in out


def test_types_map_quantity_int_or_string():
    assert "  limits\t<map[string]Quantity>\n" in explain("po.spec.containers.resources")
    assert "  maxSurge\t<IntOrString>\n" in explain("deploy.spec.strategy.rollingUpdate")


def test_recursive():
    out = explain("deploy.spec.strategy", recursive=True)
    assert out.endswith("FIELDS:\n  rollingUpdate\t<RollingUpdateDeployment>\n    maxSurge\t<IntOrString>\n"
                        "    maxUnavailable\t<IntOrString>\n  type\t<string>\n  enum: Recreate, RollingUpdate\n")


@pytest.mark.parametrize("alias,kind", [("po", "Pod"), ("deploy", "Deployment"), ("rs", "ReplicaSet"),
                                        ("ds", "DaemonSet"), ("sts", "StatefulSet"), ("svc", "Service"),
                                        ("cm", "ConfigMap"), ("secrets", "Secret"), ("Pod", "Pod"),
                                        ("pc", "PriorityClass"), ("ns", "Namespace")])
def test_aliases(alias, kind):
    assert resolve_kind(alias) == kind


def test_errors_are_kubectls():
    with pytest.raises(ExplainError, match='the server doesn\'t have a resource type "pood"'):
        explain("pood")
    with pytest.raises(ExplainError, match='field "imagePullPolice" does not exist'):
        explain("pod.spec.containers.imagePullPolice")


def test_cli(capsys):
    assert main(["explain", "svc.spec.type"]) == 0
    assert "FIELD: type <string>" in capsys.readouterr().out
    assert main(["explain", "pod.spec.nope"]) == 1
    assert capsys.readouterr().err == 'error: field "nope" does not exist\n'
