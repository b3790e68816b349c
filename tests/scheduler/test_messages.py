"""FitError aggregation (pkg/scheduler/framework/types.go FitError.Error) and KUBERNETES.md 11.3."""

from __future__ import annotations

from kubetrainer.sim.scheduler.framework import fit_error_message, num_feasible_nodes_to_find
from kubetrainer.sim.scheduler.podinfo import PodInfo

from tests.scheduler.kit import bind, framework, node, pod, three_nodes

NOT_HELPFUL = "preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling."


def test_worked_examples_v134():
    fw = framework(three_nodes())
    assert fw.schedule(PodInfo(pod("a", "5"))).message == "0/3 nodes are available: 3 Insufficient cpu. " + NOT_HELPFUL
    assert fw.schedule(PodInfo(pod("b", "5", "16Gi"))).message == \
        "0/3 nodes are available: 3 Insufficient cpu, 3 Insufficient memory. " + NOT_HELPFUL
    assert fw.schedule(PodInfo(pod("c", nodeSelector={"disktype": "ssd"}))).message == \
        "0/3 nodes are available: 3 node(s) didn't match Pod's node affinity/selector. " + NOT_HELPFUL


def test_sorting_is_bytewise_on_count_and_reason():
    reasons = ["node(s) x"] * 10 + ["Insufficient cpu"] * 2 + ["Too many pods"]
    assert fit_error_message(13, reasons) == "0/13 nodes are available: 1 Too many pods, 10 node(s) x, 2 Insufficient cpu."


def test_first_failing_filter_only_cordoned_node_without_cpu():
    nodes = [node("node-1", unschedulable=True, cpu="1"),
             node("node-2", taints=[{"key": "dedicated", "value": "gpu", "effect": "NoSchedule"}]),
             node("node-3", cpu="1")]
    fw = framework(nodes)
    res = fw.schedule(PodInfo(pod("web", "2")))
    assert res.message.startswith("0/3 nodes are available: 1 Insufficient cpu, 1 node(s) had untolerated taint "
                                  "{dedicated: gpu}, 1 node(s) were unschedulable. preemption: ")
    # node-1 also lacks cpu, but only its first failing plugin counts
    assert res.record.node_reasons(0) == ["node(s) were unschedulable"]


def test_no_preemption_victims_when_equal_priority():
    fw = framework(three_nodes())
    for k in (1, 2, 3):
        bind(fw, pod(f"filler-{k}", "3"), f"node-{k}")
    res = fw.schedule(PodInfo(pod("web", "2")))
    assert res.message == ("0/3 nodes are available: 3 Insufficient cpu. preemption: 0/3 nodes are available: "
                           "3 No preemption victims found for incoming pod.")


def test_no_nodes():
    fw = framework([])
    assert fw.schedule(PodInfo(pod("web"))).message == "no nodes available to schedule pods"


def test_percentage_of_nodes_to_score_adaptive_default():
    assert num_feasible_nodes_to_find(3) == 3
    assert num_feasible_nodes_to_find(99) == 99
    assert num_feasible_nodes_to_find(100) == 100   # 50-0=50% of 100 -> 50 -> at least 100
    assert num_feasible_nodes_to_find(1000) == 420  # 50-8 = 42 %
    assert num_feasible_nodes_to_find(5000) == 500  # 50-40 = 10 %
    assert num_feasible_nodes_to_find(6000) == 300  # 50-48 = 2 % -> 5 %


def test_rotating_start_index_scores_a_window():
    fw = framework([node(f"n{k:03d}") for k in range(1000)])
    res = fw.schedule(PodInfo(pod("a", "100m")))
    assert res.record.feasible.size == 420 and fw.next_start == 420
    res = fw.schedule(PodInfo(pod("b", "100m")))
    assert res.record.feasible.tolist()[0] == 420 and fw.next_start == 840


def test_node_name_affinity_prefilter_daemonset_style():
    """NodeAffinity PreFilter (matchFields metadata.name): the other nodes are not filtered at all."""
    fw = framework([node("node-1", cpu="1"), node("node-2", unschedulable=True), node("node-3")])
    pin = {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": [
        {"matchFields": [{"key": "metadata.name", "operator": "In", "values": ["node-1"]}]}]}}}
    res = fw.schedule(PodInfo(pod("ds", "2", affinity=pin)))
    assert res.message == ("0/3 nodes are available: 1 Insufficient cpu, 2 node(s) didn't satisfy plugin(s) "
                           "[NodeAffinity]. preemption: 0/3 nodes are available: 3 Preemption is not helpful "
                           "for scheduling.")
    f = {(e["node"], e["plugin"]): e for e in res.record.filters()}
    assert f[("node-2", "NodeAffinity")]["reason"] == "node(s) didn't satisfy plugin(s) [NodeAffinity]"
    assert f[("node-2", "NodeUnschedulable")]["afterFirstFailure"] is True
    ok = fw.schedule(PodInfo(pod("ds2", "100m", affinity=pin)))
    assert ok.node == "node-1"
