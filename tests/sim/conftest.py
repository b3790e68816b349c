import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from fakeworld import BindFirstNode, FakeWorld  # noqa: E402
from simhelpers import pod  # noqa: E402,F401


@pytest.fixture
def fake_cluster():
    from kubetrainer.sim.cluster import Cluster
    from kubetrainer.sim.kubelet import KubeletManager

    def make(nodes=1, missing=(), private=(), seed=0):
        return Cluster(FakeWorld(nodes, missing, private), seed=seed, components=[BindFirstNode(), KubeletManager()])

    return make
