"""Node lifecycle + taint eviction (KUBERNETES.md §12; node_lifecycle_controller.go, taint_eviction.go)."""

import math

import pytest
from fakes import deployment, make_cluster, pods_of

from kubetrainer.sim.controllers.nodelifecycle import min_toleration_seconds, tolerates


def _ready(node):
    return next(c for c in node["status"]["conditions"] if c["type"] == "Ready")


@pytest.mark.parametrize("T", [100.0, 103.0, 109.9])
def test_node_down_notready_then_eviction_and_replacement(T):
    c = make_cluster(nodes=3)
    c.apiserver.create(deployment(replicas=3))
    c.run_until(T)
    victim = next(p for p in pods_of(c) if p["spec"]["nodeName"] == "node-1")
    c.world_command("node-down node-1")
    c.run_until(T + 40)
    node = c.store.get("Node", "", "node-1")
    assert _ready(node)["status"] == "True"
    c.run_until(T + 55)
    assert _ready(node)["status"] == "Unknown"
    assert _ready(node)["message"] == "Kubelet stopped posting node status."
    detected = _ready(node)["lastTransitionTime"]
    assert T + 40 < detected <= T + 55
    assert {(t["key"], t["effect"]) for t in node["spec"]["taints"]} == {
        ("node.kubernetes.io/unreachable", "NoExecute"), ("node.kubernetes.io/unreachable", "NoSchedule")}
    ready = next(x for x in victim["status"]["conditions"] if x["type"] == "Ready")
    assert ready["status"] == "False"
    evs = [(e.type, e.reason, e.message) for e in c.events.events if e.object.endswith(victim["metadata"]["name"])]
    assert ("Warning", "NodeNotReady", "Node is not ready") in evs
    assert any(e.reason == "NodeNotReady" and e.message == "Node node-1 status is now: NodeNotReady"
               for e in c.events.events)
    c.run_until(detected + 299)
    assert victim["metadata"].get("deletionTimestamp") is None
    c.run_until(detected + 301)
    assert victim["metadata"]["deletionTimestamp"] is not None
    ev = next(e for e in c.events.events if e.reason == "TaintManagerEviction")
    assert ev.message == f"Marking for deletion Pod default/{victim['metadata']['name']}"
    assert T + 330 <= ev.time <= T + 355
    c.run_until(T + 400)
    # the replacement was created at once and runs elsewhere; the evicted pod stays Terminating
    live = [p for p in pods_of(c) if p["metadata"].get("deletionTimestamp") is None]
    assert len(live) == 3 and all(p["spec"]["nodeName"] != "node-1" for p in live)
    created = [e for e in c.events.events if e.reason == "SuccessfulCreate" and e.time >= ev.time]
    assert created and created[0].time == ev.time
    assert c.store.get("Pod", "default", victim["metadata"]["name"]) is victim
    c.world_command("node-up node-1")
    c.run_until(T + 420)
    assert c.store.get("Pod", "default", victim["metadata"]["name"]) is None
    assert "taints" not in node["spec"]
    assert _ready(node)["status"] == "True"


def test_node_back_before_eviction_evicts_nothing():
    c = make_cluster(nodes=3)
    c.apiserver.create(deployment(replicas=3))
    c.run_until(10)
    c.world_command("node-down node-2")
    c.run_until(200)
    c.world_command("node-up node-2")
    c.run_until(700)
    assert not any(e.reason == "TaintManagerEviction" and e.message.startswith("Marking") for e in c.events.events)
    assert any(e.message.startswith("Cancelling deletion of Pod default/") for e in c.events.events)
    assert len(pods_of(c)) == 3


def test_toleration_math():
    unreach = {"key": "node.kubernetes.io/unreachable", "effect": "NoExecute"}
    default = [{"key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoExecute",
                "tolerationSeconds": 300},
               {"key": "node.kubernetes.io/unreachable", "operator": "Exists", "effect": "NoExecute",
                "tolerationSeconds": 300}]
    assert min_toleration_seconds([unreach], default) == 300
    assert min_toleration_seconds([unreach], []) is None
    assert min_toleration_seconds([unreach], [{"operator": "Exists"}]) == math.inf
    assert min_toleration_seconds([unreach], [{"key": unreach["key"], "operator": "Exists",
                                               "tolerationSeconds": 0}]) == 0
    assert tolerates({"key": "k", "value": "v", "effect": "NoSchedule"}, {"key": "k", "value": "v",
                                                                         "effect": "NoSchedule"})
    assert not tolerates({"key": "k", "value": "w"}, {"key": "k", "value": "v", "effect": "NoSchedule"})


def test_user_noexecute_taint_evicts_untolerating_pods_at_once():
    c = make_cluster(nodes=2)
    c.apiserver.create(deployment(replicas=2))
    c.run_until(10)
    node = c.store.get("Node", "", "node-1")
    node["spec"]["taints"] = [{"key": "k", "value": "v", "effect": "NoExecute"}]
    c.apiserver.update(node)
    c.run_until(11)
    ev = [e for e in c.events.events if e.reason == "TaintManagerEviction"]
    assert len(ev) == 1 and ev[0].time == 10


def test_taint_nodes_by_condition_for_a_notready_world_node():
    from fakes import FakeWorld

    class W(FakeWorld):
        def to_node_objects(self):
            nodes = super().to_node_objects()
            nodes[1]["status"]["conditions"][0]["status"] = "False"
            nodes[1]["status"]["conditions"].append({"type": "MemoryPressure", "status": "True"})
            return nodes

    from kubetrainer.sim.cluster import Cluster
    from kubetrainer.sim.controllers import controllers

    c = Cluster(W(3), seed=0, components=controllers())
    c.run_until(1)
    node = c.store.get("Node", "", "node-2")
    assert [(t["key"], t["effect"]) for t in node["spec"]["taints"]] == [
        ("node.kubernetes.io/not-ready", "NoExecute"), ("node.kubernetes.io/not-ready", "NoSchedule"),
        ("node.kubernetes.io/memory-pressure", "NoSchedule")]
    assert "taints" not in c.store.get("Node", "", "node-1").get("spec", {})
