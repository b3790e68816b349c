"""The kubelet's admission for pods bound with spec.nodeName (pkg/kubelet/lifecycle/predicate.go)."""

from __future__ import annotations

from kubetrainer.sim.scheduler.admission import Rejection, admit

from tests.scheduler.kit import node, pod


def test_out_of_cpu_message():
    other = pod("other", "1", nodeName="node-1")
    r = admit(pod("web", "4", nodeName="node-1"), node("node-1"), [other])
    assert r == Rejection("OutOfcpu", "Node didn't have enough resource: cpu, requested: 4000, used: 1000, capacity: 4000")


def test_out_of_memory_and_pods_and_terminated_pods_do_not_count():
    r = admit(pod("web", mem="9Gi"), node("node-1"), [])
    assert r.reason == "OutOfmemory"
    assert r.message == f"Node didn't have enough resource: memory, requested: {9 * 2**30}, used: 0, capacity: {8 * 2**30}"
    full = pod("a", "1")
    assert admit(pod("b"), node("node-1", pods="1"), [full]) == Rejection(
        "OutOfpods", "Node didn't have enough resource: pods, requested: 1, used: 1, capacity: 1")
    full["status"]["phase"] = "Succeeded"
    assert admit(pod("b"), node("node-1", pods="1"), [full]) is None


def test_node_affinity_ports_and_noexecute_taints_but_not_noschedule():
    assert admit(pod("web", nodeSelector={"disktype": "ssd"}), node("node-1"), []) == Rejection(
        "NodeAffinity", "Predicate NodeAffinity failed: node(s) didn't match Pod's node affinity/selector")
    assert admit(pod("web"), node("node-1", taints=[{"key": "k", "effect": "NoSchedule"}]), []) is None
    assert admit(pod("web"), node("node-1", taints=[{"key": "k", "effect": "NoExecute"}]), []) == Rejection(
        "TaintToleration", "Predicate TaintToleration failed: node(s) had taints that the pod didn't tolerate")
    a, b = pod("a"), pod("b")
    for p in (a, b):
        p["spec"]["containers"][0]["ports"] = [{"containerPort": 80, "hostPort": 80}]
    assert admit(b, node("node-1"), [a]).reason == "NodePorts"
