import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from fakeworld import BindFirstNode, FakeWorld  # noqa: E402


def pod(name="web", image="busybox:1.36", command=None, args=None, **spec):
    c = {"name": spec.pop("container_name", name), "image": image}
    if command is not None:
        c["command"] = command
    if args is not None:
        c["args"] = args
    for k in ("env", "envFrom", "livenessProbe", "readinessProbe", "startupProbe", "resources", "lifecycle",
              "ports", "volumeMounts", "imagePullPolicy"):
        if k in spec:
            c[k] = spec.pop(k)
    p = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name, "namespace": "default"},
         "spec": {"containers": [c], **spec}}
    return p


@pytest.fixture
def fake_cluster():
    from kubetrainer.sim.cluster import Cluster
    from kubetrainer.sim.kubelet import KubeletManager

    def make(nodes=1, missing=(), private=(), seed=0):
        return Cluster(FakeWorld(nodes, missing, private), seed=seed, components=[BindFirstNode(), KubeletManager()])

    return make
