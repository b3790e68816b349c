"""$(VAR) expansion (third_party/forked/golang/expansion/expand.go), makeEnvironmentVariables
(pkg/kubelet/kubelet_pods.go), and client-go flowcontrol.Backoff."""

import pytest

from kubetrainer.sim.kubelet.backoff import Backoff
from kubetrainer.sim.kubelet.env import ConfigError, expand, make_environment


@pytest.mark.parametrize("text,expected", [
    ("$(A)", "x"), ("$(UNDEF)", "$(UNDEF)"), ("$$(A)", "$(A)"), ("$$A", "$A"), ("$A", "$A"), ("${A}", "${A}"),
    ("a$(A)b$(B)", "axby"), ("$(A", "$(A"), ("$", "$"), ("test \"$(MSG)\" = 'hi'", "test \"$(MSG)\" = 'hi'"),
])
def test_expand(text, expected):
    assert expand(text, {"A": "x", "B": "y"}.get) == expected


def _pod(env, env_from=None):
    c = {"name": "c", "image": "busybox", "env": env}
    if env_from:
        c["envFrom"] = env_from
    return {"metadata": {"name": "p", "namespace": "default", "uid": "u1", "labels": {"app": "x"}},
            "spec": {"nodeName": "node-1", "containers": [c]}, "status": {"podIP": "10.0.0.5"}}, c


def test_env_order_and_refs():
    """Dependent env: B=$(A) resolves only when A comes earlier (dependent-envars docs example)."""
    pod, c = _pod([{"name": "B", "value": "$(A)-b"}, {"name": "A", "value": "a"}, {"name": "C", "value": "$(A)-c"},
                   {"name": "N", "valueFrom": {"fieldRef": {"fieldPath": "spec.nodeName"}}},
                   {"name": "L", "valueFrom": {"fieldRef": {"fieldPath": "metadata.labels['app']"}}},
                   {"name": "IP", "valueFrom": {"fieldRef": {"fieldPath": "status.podIP"}}},
                   {"name": "M", "valueFrom": {"resourceFieldRef": {"resource": "limits.memory", "divisor": "1Mi"}}}])
    env = make_environment(pod, c, lambda *a: None, {"cpu": "4", "memory": "8Gi"})
    assert env["B"] == "$(A)-b" and env["C"] == "a-c" and env["N"] == "node-1" and env["L"] == "x"
    assert env["IP"] == "10.0.0.5" and env["M"] == "8192"


def test_env_missing_secret_and_key_messages():
    pod, c = _pod([{"name": "S", "valueFrom": {"secretKeyRef": {"name": "s", "key": "k"}}}])
    with pytest.raises(ConfigError, match='^secret "s" not found$'):
        make_environment(pod, c, lambda *a: None, {})
    secret = {"data": {"other": "eA=="}}
    with pytest.raises(ConfigError, match="^couldn't find key k in Secret default/s$"):
        make_environment(pod, c, lambda kind, ns, name: secret, {})
    pod, c = _pod([{"name": "S", "valueFrom": {"configMapKeyRef": {"name": "cm", "key": "k"}}}])
    with pytest.raises(ConfigError, match='^configmap "cm" not found$'):
        make_environment(pod, c, lambda *a: None, {})
    pod, c = _pod([{"name": "S", "valueFrom": {"configMapKeyRef": {"name": "cm", "key": "k", "optional": True}}}])
    assert "S" not in make_environment(pod, c, lambda *a: None, {})


def test_backoff_doubles_caps_and_expires():
    b = Backoff(10, 300)
    assert b.next("k", 0) == 10
    assert b.is_in_backoff_since("k", 5, 14) and not b.is_in_backoff_since("k", 5, 15)
    assert [b.next("k", t) for t in (20, 40, 80, 160, 320, 640)] == [20, 40, 80, 160, 300, 300]
    # a container that ran > 2*max (600 s) after the last restart: no back-off, and Next resets
    assert not b.is_in_backoff_since("k", 640 + 601, 640 + 601)
    assert b.next("k", 640 + 601) == 10
