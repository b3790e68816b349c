"""DefaultPreemption: victims as selectVictimsOnNode / pickOneNodeForPreemption choose them."""

from __future__ import annotations

from kubetrainer.sim.scheduler.podinfo import PodInfo

from tests.scheduler.kit import bind, cluster, framework, node, pod, three_nodes


def test_preempts_lowest_priority_minimal_victims():
    fw = framework([node("node-1"), node("node-2")])
    bind(fw, pod("low-a", "2", priority=10), "node-1")
    bind(fw, pod("low-b", "2", priority=20), "node-1")
    bind(fw, pod("mid", "3", priority=100), "node-2")
    res = fw.schedule(PodInfo(pod("high", "2", priority=1000), 1000))
    assert res.node is None
    # node-1: removing low-a (the less important) suffices; node-2 would need the priority-100 pod
    assert res.nominated_node == "node-1"
    assert [v.name for v in res.victims] == ["low-a"]
    assert res.message == "0/2 nodes are available: 2 Insufficient cpu."


def test_preemption_policy_never():
    fw = framework([node("node-1")])
    bind(fw, pod("low", "4", priority=0), "node-1")
    res = fw.schedule(PodInfo(pod("high", "1", priority=100, preemptionPolicy="Never"), 100))
    assert res.message.endswith("preemption: not eligible due to preemptionPolicy=Never.")


def test_preemption_in_cluster_nominates_and_schedules_after_victim_leaves():
    c = cluster([node("node-1")])
    c.store.create({"apiVersion": "scheduling.k8s.io/v1", "kind": "PriorityClass",
                    "metadata": {"name": "high"}, "value": 1000})
    c.store.create(pod("low", "3"))
    c.run_until(1)
    c.store.create(pod("vip", "3", priorityClassName="high"))
    c.run_until(2)
    reasons = [(e.reason, e.object) for e in c.events.events]
    assert ("Preempted", "Pod/default/low") in reasons
    vip = c.store.get("Pod", "default", "vip")
    assert vip["status"]["nominatedNodeName"] == "node-1"
    low = c.store.get("Pod", "default", "low")
    if low is not None:  # graceful deletion: the victim still counts until its kubelet is done
        assert low["metadata"].get("deletionTimestamp") is not None
        c.run_until(5)
        assert not vip["spec"].get("nodeName")
        c.store.remove(low)
    c.run_until(20)
    assert vip["spec"].get("nodeName") == "node-1"
    msgs = [e.message for e in c.events.events if e.reason == "Preempted"]
    assert msgs == ["Preempted by pod uid-vip on node node-1"]


def test_preemption_fitError_lists_dry_run_statuses():
    """A node whose lower-priority pods are not enough reports its filter reason; a node without
    lower-priority pods reports "No preemption victims found for incoming pod"."""
    fw = framework([node("node-1", cpu="2"), node("node-2")])
    bind(fw, pod("low", "1", priority=0), "node-1")
    bind(fw, pod("peer", "3", priority=50), "node-2")
    res = fw.schedule(PodInfo(pod("p", "2", priority=50), 50))
    # node-1 (2 CPU) cannot hold 2 CPU next to... it can once "low" is gone -> candidate
    assert res.nominated_node == "node-1" and [v.name for v in res.victims] == ["low"]
    fw = framework([node("node-1", cpu="2"), node("node-2")])
    bind(fw, pod("low", "1", priority=0), "node-1")
    bind(fw, pod("peer", "3", priority=50), "node-2")
    res = fw.schedule(PodInfo(pod("p", "3", priority=50), 50))
    assert res.message == ("0/2 nodes are available: 2 Insufficient cpu. preemption: 0/2 nodes are available: "
                           "1 No preemption victims found for incoming pod, 1 Preemption is not helpful for scheduling.")


def test_pick_one_node_prefers_lower_victim_priority_then_fewer():
    from kubetrainer.sim.scheduler.preemption import pick_one_node

    a = PodInfo(pod("a", priority=5), 5)
    b = PodInfo(pod("b", priority=1), 1)
    c = PodInfo(pod("c", priority=1), 1)
    assert pick_one_node([(0, [a]), (1, [b, c])])[0] == 1      # lowest highest-priority victim
    assert pick_one_node([(0, [b, c]), (1, [b])])[0] == 1      # then lower sum (fewer victims)


def test_priority_class_preemption_policy_never():
    c = cluster([node("node-1")])
    c.store.create({"apiVersion": "scheduling.k8s.io/v1", "kind": "PriorityClass", "metadata": {"name": "polite"},
                    "value": 1000, "preemptionPolicy": "Never"})
    c.store.create(pod("low", "3"))
    c.run_until(1)
    c.store.create(pod("vip", "3", priorityClassName="polite"))
    c.run_until(2)
    [ev] = [e for e in c.events.events if e.reason == "FailedScheduling"]
    assert ev.message == ("0/1 nodes are available: 1 Insufficient cpu. "
                          "preemption: not eligible due to preemptionPolicy=Never.")
    assert not [e for e in c.events.events if e.reason == "Preempted"]


def test_pdb_violations_steer_the_node_choice():
    """pickOneNodeForPreemption: the node with fewer PDB violations wins even when its victim has a
    higher priority (criteria order: PDB violations first)."""
    fw = framework([node("node-1", cpu="2"), node("node-2", cpu="2")])
    bind(fw, pod("guarded", "2", priority=1, labels={"app": "db"}), "node-1")
    bind(fw, pod("free", "2", priority=5, labels={"app": "web"}), "node-2")
    pdb = {"apiVersion": "policy/v1", "kind": "PodDisruptionBudget", "metadata": {"name": "db", "namespace": "default"},
           "spec": {"selector": {"matchLabels": {"app": "db"}}, "minAvailable": 1}, "status": {"disruptionsAllowed": 0}}
    res = fw.schedule(PodInfo(pod("vip", "2", priority=100), 100))
    assert res.nominated_node == "node-1"   # no PDB: the lower-priority victim
    fw._pdbs = lambda: [pdb]
    res = fw.schedule(PodInfo(pod("vip", "2", priority=100), 100))
    assert res.nominated_node == "node-2" and [v.name for v in res.victims] == ["free"]
