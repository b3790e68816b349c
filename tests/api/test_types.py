"""Typed read-only views."""

from __future__ import annotations

from kubetrainer.api.intake import intake_text
from kubetrainer.api.types import Deployment, Pod, view

from .helpers import FIXTURES


def test_pod_view():
    (m,), _ = intake_text((FIXTURES / "docs" / "qos-pod.yaml").read_text(), "q")
    p = view(m.obj)
    assert isinstance(p, Pod)
    c = p.spec.containers[0]
    assert (p.name, p.namespace, c.name, c.image_pull_policy) == ("qos-demo", "qos-example", "qos-demo-ctr", "Always")
    assert c.resources.requests["cpu"].milli() == 700
    assert str(c.resources.limits["memory"]) == "200Mi"
    assert p.requests()["cpu"].milli() == 700


def test_pod_requests_with_init_and_sidecar():
    obj = {"kind": "Pod", "spec": {
        "initContainers": [{"name": "side", "restartPolicy": "Always", "resources": {"requests": {"cpu": "100m"}}},
                           {"name": "init", "resources": {"requests": {"cpu": "2"}}}],
        "containers": [{"name": "a", "resources": {"requests": {"cpu": "500m"}}}]}}
    assert view(obj).requests()["cpu"].milli() == 2100


def test_deployment_view_and_selector():
    (m,), _ = intake_text((FIXTURES / "docs" / "nginx-deployment.yaml").read_text(), "d")
    d = view(m.obj)
    assert isinstance(d, Deployment)
    assert (d.replicas, d.strategy_type, d.max_surge, d.revision_history_limit) == (3, "RollingUpdate", "25%", 10)
    assert d.selector.matches(d.template.labels)
    assert d.template.spec.containers[0].ports[0].container_port == 80
