"""The engine's compact records (issue #5, 150,000 pods in 2 GiB): the Flow panel keeps the newest
FLOW_KEEP steps, the timeline stores rows as tuples but reads as dicts, container roots share one
frozen directory set until a container changes it."""

from simhelpers import pod

from kubetrainer.sim import cluster as cluster_mod
from kubetrainer.sim.cluster import Cluster
from kubetrainer.sim.result import TIMELINE_KEYS
from kubetrainer.sim.runtime.fs import ContainerFS


def test_flow_keeps_the_newest_steps_and_counts_all(monkeypatch):
    monkeypatch.setattr(cluster_mod, "FLOW_KEEP", 10)
    c = Cluster(None, seed=0)
    c.apply_manifests([pod(command=["sleep", "3600"])])
    c.run_until(5)
    assert len(c.flow) == 10
    assert c.flow_steps > 10                      # a pod makes ~18 steps
    # the newest are kept: the last one is the kubelet's status write persisted
    assert (c.flow[-1].component, c.flow[-1].action) == ("etcd", "persist")
    assert [f.time for f in c.flow] == sorted(f.time for f in c.flow)


def test_timeline_rows_read_as_dicts_in_contract_order():
    c = Cluster(None, seed=0)
    c.apply_manifests([pod(command=["sleep", "3600"])])
    c.run_until(10)
    rows = list(c.timeline)
    assert rows and all(list(r) == list(TIMELINE_KEYS) for r in rows)
    assert rows[0] == c.timeline[0] and rows[-1] == c.timeline[-1] and rows[1:3] == c.timeline[1:3]
    assert rows[-1]["phase"] == "Running" and rows[-1]["ready"] == "1/1" and rows[-1]["node"]
    assert c.result()["timeline"] == rows
    # a new row only when something other than the time changed
    sigs = [tuple(r[k] for k in TIMELINE_KEYS[2:]) for r in rows]
    assert all(a != b for a, b in zip(sigs, sigs[1:]))


def test_container_roots_share_directories_until_one_changes():
    a, b = ContainerFS(hostname="a"), ContainerFS(hostname="b")
    a.kubelet_files()
    b.kubelet_files()
    assert a.root.dirs is b.root.dirs and isinstance(a.root.dirs, frozenset)
    a.mkdir("/data/x", parents=True)
    assert a.isdir("/data/x") and not b.isdir("/data")
    assert a.root.dirs is not b.root.dirs and "data" not in b.root.dirs
    b.remove("/tmp", recursive=True)
    assert not b.isdir("/tmp") and a.isdir("/tmp")
