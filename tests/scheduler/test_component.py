"""The scheduler inside the cluster: binding, events, conditions, requeue, accounting, determinism."""

from __future__ import annotations

from tests.scheduler.kit import cluster, node, pod, three_nodes


def _events(c, reason):
    return [e for e in c.events.events if e.reason == reason]


def test_bind_event_condition_and_flow():
    c = cluster(three_nodes())
    c.store.create(pod("web", "1"))
    c.run_until(1)
    p = c.store.get("Pod", "default", "web")
    n = p["spec"]["nodeName"]
    [ev] = _events(c, "Scheduled")
    assert (ev.type, ev.message, ev.source, ev.time) == ("Normal", f"Successfully assigned default/web to {n}",
                                                         "default-scheduler", 0.0)
    cond = {x["type"]: x for x in p["status"]["conditions"]}
    assert cond["PodScheduled"]["status"] == "True"
    assert any(f.component == "scheduler" and f.action == "bind" for f in c.flow)
    assert c.component("scheduler").last_record("default", "web").node == n


def test_failed_scheduling_then_requeue_on_node_label():
    c = cluster(three_nodes())
    c.store.create(pod("web", nodeSelector={"disktype": "ssd"}))
    c.run_until(30)
    [ev] = {e.message: e for e in _events(c, "FailedScheduling")}.values()
    assert ev.type == "Warning" and ev.source == "default-scheduler"
    p = c.store.get("Pod", "default", "web")
    cond = {x["type"]: x for x in p["status"]["conditions"]}["PodScheduled"]
    assert (cond["status"], cond["reason"], cond["message"]) == ("False", "Unschedulable", ev.message)
    n2 = c.store.get("Node", "", "node-2")
    n2["metadata"]["labels"]["disktype"] = "ssd"
    c.store.update(n2)
    c.run_until(31)
    assert p["spec"]["nodeName"] == "node-2"


def test_requeue_when_pod_deleted_frees_cpu_and_backoff():
    c = cluster([node("node-1")])
    c.store.create(pod("a", "3"))
    c.run_until(0.5)
    c.store.create(pod("b", "3"))
    c.run_until(0.6)
    assert len(_events(c, "FailedScheduling")) == 1
    c.store.remove(c.store.get("Pod", "default", "a"))
    c.run_until(0.7)   # still in back-off (1 s after the failure at 0.5)
    assert not c.store.get("Pod", "default", "b")["spec"].get("nodeName")
    c.run_until(1.6)
    assert c.store.get("Pod", "default", "b")["spec"]["nodeName"] == "node-1"
    assert [e.time for e in _events(c, "Scheduled")][-1] == 1.5


def test_node_name_pods_count_and_terminated_pods_do_not():
    c = cluster([node("node-1")])
    direct = pod("direct", "3", nodeName="node-1")
    direct["status"]["phase"] = "Running"
    c.store.create(direct)
    c.store.create(pod("web", "2"))
    c.run_until(1)
    assert _events(c, "FailedScheduling")
    direct["status"]["phase"] = "Succeeded"
    c.store.update(direct)
    c.run_until(20)
    assert c.store.get("Pod", "default", "web")["spec"]["nodeName"] == "node-1"


def test_priority_sort_higher_priority_first():
    c = cluster([node("node-1", cpu="1")])
    c.store.create(pod("low", "1", priority=1))
    c.store.create(pod("high", "1", priority=100))
    c.run_until(0)
    assert c.store.get("Pod", "default", "high")["spec"].get("nodeName") == "node-1"
    assert not c.store.get("Pod", "default", "low")["spec"].get("nodeName")


def test_same_seed_same_placement_and_even_spread():
    def placements(seed):
        c = cluster([node(f"node-{k}") for k in range(1, 6)], seed=seed)
        for k in range(20):
            c.store.create(pod(f"p{k}", "100m"))
        c.run_until(1)
        return [c.store.get("Pod", "default", f"p{k}")["spec"]["nodeName"] for k in range(20)]

    a, b = placements(7), placements(7)
    assert a == b
    counts = [a.count(f"node-{k}") for k in range(1, 6)]
    assert max(counts) - min(counts) <= 1


def test_scheduling_gates_hold_the_pod():
    c = cluster(three_nodes())
    c.store.create(pod("web", schedulingGates=[{"name": "example.com/wait"}]))
    c.run_until(5)
    p = c.store.get("Pod", "default", "web")
    cond = {x["type"]: x for x in p["status"]["conditions"]}["PodScheduled"]
    assert (cond["reason"], cond["message"]) == ("SchedulingGated", "Scheduling is blocked due to non-empty scheduling gates")
    p["spec"]["schedulingGates"] = []
    c.store.update(p)
    c.run_until(6)
    assert p["spec"].get("nodeName")


def test_why_pending_names_field_and_node_property():
    c = cluster([node("node-1", cpu="2")])
    c.store.create(pod("web", "3"))
    c.run_until(1)
    lines = c.component("scheduler").why_pending("default", "web", position=lambda path: (14, 9))
    assert lines == ["requests.cpu 3 (line 14) > 2 CPU free on node-1 (allocatable 2, requested 0)"]


def test_queueing_hints_node_changes():
    """Node heartbeats and irrelevant label changes do not retry the pod (QueueingHints); removing the
    taint that rejected it does."""
    taint = {"key": "dedicated", "value": "gpu", "effect": "NoSchedule"}
    c = cluster([node("node-1", taints=[taint])])
    c.store.create(pod("web"))
    c.run_until(30)
    assert len(_events(c, "FailedScheduling")) == 1
    n1 = c.store.get("Node", "", "node-1")
    n1["status"]["conditions"] = [{"type": "Ready", "status": "True", "lastHeartbeatTime": 30}]
    c.store.update(n1)
    n1["metadata"]["labels"]["unrelated"] = "x"
    c.store.update(n1)
    c.run_until(60)
    assert len(_events(c, "FailedScheduling")) == 1
    n1["spec"]["taints"] = []
    c.store.update(n1)
    c.run_until(61)
    assert c.store.get("Pod", "default", "web")["spec"]["nodeName"] == "node-1"


def test_node_added_requeues_and_new_message_after_affinity_label():
    c = cluster([node("node-1", cpu="1")])
    c.store.create(pod("web", "2", nodeSelector={"disktype": "ssd"}))
    c.run_until(30)
    n1 = c.store.get("Node", "", "node-1")
    n1["metadata"]["labels"]["disktype"] = "ssd"   # NodeAffinity now passes, but cpu is short
    c.store.update(n1)
    c.run_until(31)
    msgs = [e.message for e in _events(c, "FailedScheduling")]
    assert msgs[-1].startswith("0/1 nodes are available: 1 Insufficient cpu.")
    c.store.create(node("node-2", labels={"disktype": "ssd"}))
    c.run_until(45)
    assert c.store.get("Pod", "default", "web")["spec"]["nodeName"] == "node-2"


def test_pods_bound_to_unknown_node_count_once_the_node_appears():
    from kubetrainer.sim.scheduler.nodetable import NodeTable
    from kubetrainer.sim.scheduler.podinfo import PodInfo

    t = NodeTable([node("node-1")])
    t.add_pod(PodInfo(pod("early", "3", nodeName="node-9")))
    assert int(t.req_cpu.sum()) == 0
    t.add_node(node("node-9"))
    assert int(t.req_cpu[t.index["node-9"]]) == 3000
    t.remove_node("node-9")
    assert t.n == 1 and "default/early" in t.unplaced["node-9"]
    assert t.remove_pod("default/early") is not None and not t.unplaced


def test_why_pending_taint_and_cordon():
    c = cluster([node("node-1", taints=[{"key": "dedicated", "value": "gpu", "effect": "NoSchedule"}]),
                 node("node-2", unschedulable=True)])
    c.store.create(pod("web"))
    c.run_until(1)
    lines = c.component("scheduler").why_pending("default", "web")
    assert lines[0] == "node-1 has the taint dedicated=gpu:NoSchedule and no entry of spec.tolerations tolerates it"
    assert lines[1].startswith("node-2 is cordoned (spec.unschedulable: true)")
