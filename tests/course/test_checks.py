"""Objective checks are pure functions of a SimulationResult: tested on hand-made results."""

from __future__ import annotations

import pytest

from kubetrainer.course.checks import evaluate
from kubetrainer.course.schema import CONVERTER, Checks
from tests.course.helpers import event, pod, result, row


def check(expect, res, deadline=60.0):
    checks = CONVERTER.structure(expect, Checks)
    return evaluate(checks, res, deadline)


CRASHING = pod("web", phase="Running", status="CrashLoopBackOff", ready="0/1", restarts=3,
               containers=[{"name": "web", "state": "waiting", "reason": "CrashLoopBackOff", "exitCode": None,
                            "restartCount": 3, "ready": False,
                            "lastState": {"state": "terminated", "reason": "Error", "exitCode": 1}}])


def test_pod_passes():
    o = check({"pod": "web", "phase": "Running", "ready": "1/1", "restarts": 0, "node": "any"}, result([pod("web")]))
    assert o.passed and o.reason == ""


def test_pod_restarts_reason_names_the_last_exit_code():
    o = check({"pod": "web", "restarts": 0}, result([CRASHING]))
    assert not o.passed
    assert o.reason == "pod web: restarts 3 > 0 — status CrashLoopBackOff, last exit code 1 (Error)"


def test_restarts_range():
    assert check({"pod": "web", "restarts": {"min": 1, "max": 5}}, result([CRASHING])).passed
    o = check({"pod": "web", "restarts": {"min": 4}}, result([CRASHING]))
    assert "restarts 3 < 4" in o.reason


def test_pod_not_found_lists_the_pods():
    o = check({"pod": "wbe"}, result([pod("web")]))
    assert not o.passed and o.reason == "pod wbe: not found (pods: web)"


def test_exists_false():
    assert check({"pod": "x", "exists": False}, result([pod("web")])).passed
    assert not check({"pod": "web", "exists": False}, result([pod("web")])).passed


@pytest.mark.parametrize("want,actual,ok", [
    (None, None, True), (None, "node-1", False), ("any", "node-2", True), ("any", None, False),
    ("node-2", "node-2", True), ("node-2", "node-1", False),
])
def test_node(want, actual, ok):
    o = check({"pod": "web", "node": want}, result([pod("web", node=actual)]))
    assert o.passed is ok, o.reason


def test_node_null_reason():
    o = check({"pod": "web", "node": None}, result([pod("web", node="node-1")]))
    assert o.reason.startswith("pod web: scheduled on node-1, expected not scheduled")


def test_status_any_of_and_conditions():
    assert check({"pod": "web", "status": ["Completed", "Running"]}, result([pod("web")])).passed
    o = check({"pod": "web", "conditions": {"Ready": "True"}}, result([CRASHING | {"conditions": {"Ready": "False"}}]))
    assert "condition Ready=False, expected True" in o.reason


def test_container_checks():
    res = result([CRASHING])
    assert check({"pod": "web", "containers": [{"name": "web", "state": "waiting", "reason": "CrashLoopBackOff",
                                                "restartCount": {"min": 1},
                                                "lastState": {"state": "terminated", "exitCode": 1}}]}, res).passed
    o = check({"pod": "web", "containers": [{"name": "web", "lastState": {"exitCode": 137}}]}, res)
    assert "container web last exit code 1, expected 137" in o.reason
    o = check({"pod": "web", "containers": [{"name": "sidecar", "state": "running"}]}, res)
    assert "no container named sidecar" in o.reason


def test_init_container_check():
    p = pod("web", status="Init:0/1", phase="Pending",
            initContainers=[{"name": "init", "state": "running", "reason": None, "exitCode": None, "restartCount": 0,
                             "ready": False, "lastState": {}}])
    assert check({"pod": "web", "initContainers": [{"name": "init", "state": "running"}]}, result([p])).passed
    o = check({"pod": "web", "initContainers": [{"name": "init", "state": "terminated", "exitCode": 0}]}, result([p]))
    assert "init container init state running, expected terminated" in o.reason


def test_recreated_pod_uses_the_live_one():
    old = pod("web", deleted=True, deletedAt=10.0, restarts=5)
    assert check({"pod": "web", "restarts": 0, "deleted": False}, result([old, pod("web")])).passed
    assert check({"pod": "web", "deleted": True}, result([old])).passed


TIMELINE = [row(0, "web"), row(1, "web", node="node-1", status="ContainerCreating"),
            row(3, "web", node="node-1", phase="Running", status="Running", ready="1/1"),
            row(20, "web", node="node-1", phase="Running", status="Error", ready="0/1"),
            row(21, "web", node="node-1", phase="Running", status="CrashLoopBackOff", ready="0/1", restarts=1)]


def test_ever_and_never_use_the_timeline_up_to_the_deadline():
    res = result([CRASHING], timeline=TIMELINE)
    assert check({"pod": "web", "ever": {"status": "Running", "ready": "1/1"}}, res).passed
    o = check({"pod": "web", "ever": {"status": "CrashLoopBackOff"}}, res, deadline=10)
    assert not o.passed
    assert "never had status CrashLoopBackOff by 10s (statuses seen: Pending, ContainerCreating, Running)" in o.reason
    o = check({"pod": "web", "never": {"status": ["Error", "CrashLoopBackOff"]}}, res)
    assert not o.passed and "had status Error or CrashLoopBackOff at 20s" in o.reason and o.decided
    assert check({"pod": "web", "never": {"status": "Error"}}, res, deadline=15).passed


def test_ever_window_from_includes_the_state_in_effect():
    res = result([CRASHING], timeline=TIMELINE)
    assert check({"pod": "web", "ever": {"status": "Running"}, "from": "10s"}, res).passed
    assert not check({"pod": "web", "ever": {"status": "ContainerCreating"}, "from": "10s"}, res).passed


def test_pods_glob_count():
    res = result([pod("web-a"), pod("web-b"), pod("web-c", status="Pending", phase="Pending", ready="0/1"),
                  pod("db"), pod("web-old", deleted=True)])
    assert check({"pods": "web-*", "count": 3}, res).passed
    assert check({"pods": "web-*", "phase": "Running", "count": 2}, res).passed
    o = check({"pods": "web-*", "phase": "Running", "count": 3}, res)
    assert o.reason.startswith("pods web-* with phase Running: 2 match, expected 3 (pod web-c: phase Pending, expected Running")
    assert check({"pods": "web-*", "includeDeleted": True, "count": 4}, res).passed
    o = check({"pods": "web-*", "status": "Running"}, res)
    assert "pod web-c: status Pending, expected Running" in o.reason
    assert check({"pods": "nothing-*", "count": 0}, res).passed
    assert check({"pods": "nothing-*"}, res).reason == "pods nothing-*: none found"


def test_max_alive_and_min_ready():
    tl = [row(0, "web-1", status="Running", ready="1/1"), row(0, "web-2", status="Running", ready="1/1"),
          row(10, "web-3", status="ContainerCreating"),
          row(12, "web-3", status="Running", ready="1/1"), row(12, "web-1", status="Terminating", ready="0/1"),
          row(20, "web-1", status="Terminating", deleted=True)]
    res = result(timeline=tl)
    assert check({"pods": "web-*", "maxAlive": {"max": 3}}, res).passed
    o = check({"pods": "web-*", "maxAlive": {"max": 2}}, res)
    assert o.reason == "pods web-*: 3 alive at once at 10s, expected at most 2"
    assert check({"pods": "web-*", "minReady": {"min": 2}}, res).passed
    tl2 = tl + [row(25, "web-2", status="Terminating", ready="0/1")]
    o = check({"pods": "web-*", "minReady": {"min": 2}}, result(timeline=tl2))
    assert o.reason == "pods web-*: 1 ready at 25s, expected at least 2 at every moment"
    # the deadline bounds the window
    assert check({"pods": "web-*", "minReady": {"min": 2}}, result(timeline=tl2), deadline=24).passed


def test_events():
    # simulate's events hold one row per occurrence; `count` is the aggregated Event's running total
    backoff = "Back-off restarting failed container web in pod web_default(uid)"
    evs = [event(1, "Scheduled", "Pod/default/web", "Successfully assigned default/web to node-1")] + [
        event(t, "BackOff", "Pod/default/web", backoff, "Warning", count=n) for n, t in enumerate((5, 15, 35), 1)]
    res = result(events=evs)
    assert check({"events": {"reason": "BackOff", "object": "Pod/default/web", "type": "Warning"}}, res).passed
    assert check({"events": {"reason": "BackOff"}, "count": 3}, res).passed
    assert not check({"events": {"reason": "BackOff"}, "count": {"max": 2}}, res).passed  # 3 occurrences, not 1+2+3
    assert check({"events": {"object": "pod/web", "messageContains": "Back-off restarting"}}, res).passed is False
    assert check({"events": {"object": "Pod/web", "messageContains": "Back-off restarting"}}, res).passed
    o = check({"events": {"reason": "BackOff"}, "count": 0}, res)
    assert not o.passed and o.decided
    assert o.reason.startswith("events reason=BackOff: 3 occurrences, expected 0 — first at 5s: Back-off restarting")
    o = check({"events": {"reason": "Killing"}}, res)
    assert o.reason == "events reason=Killing: 0 occurrences, expected at least 1"


def test_deployment_and_replicasets():
    dep = {"namespace": "default", "name": "web", "replicas": 3, "updated": 3, "ready": 2, "available": 2,
           "revision": 2, "conditions": {"Available": "True", "Progressing": "True"}}
    rss = [{"namespace": "default", "name": "web-abc", "revision": 1, "desired": 0, "current": 0, "ready": 0},
           {"namespace": "default", "name": "web-def", "revision": 2, "desired": 3, "current": 3, "ready": 2}]
    res = result(deployments=[dep], replica_sets=rss)
    assert check({"deployment": "web", "replicas": 3, "revision": 2, "conditions": {"Available": "True"}}, res).passed
    o = check({"deployment": "web", "ready": 3, "available": {"min": 3}}, res)
    assert o.reason == "deployment web: ready 2 < 3, available 2 < 3"
    assert check({"deployment": "api"}, res).reason == "deployment api: not found"
    assert check({"replicaSets": "web-*", "count": 2}, res).passed
    assert check({"replicaSets": "web-*", "desired": 0, "count": 1}, res).passed
    assert not check({"replicaSets": "web-*", "desired": 3}, res).passed


def test_scheduler_outcome():
    fail = event(0, "FailedScheduling", "Pod/default/big",
                 "0/3 nodes are available: 3 Insufficient cpu. preemption: 0/3 nodes are available: "
                 "3 No preemption victims found for incoming pod.", "Warning")
    res = result([pod("big", node=None, phase="Pending", status="Pending", ready="0/1")], events=[fail])
    assert check({"scheduler": "big", "outcome": "unschedulable", "messageContains": "Insufficient cpu"}, res).passed
    o = check({"scheduler": "big", "outcome": "scheduled"}, res)
    assert o.reason.startswith("pod big: unschedulable, expected scheduled: 0/3 nodes are available: 3 Insufficient cpu")
    ok = event(30, "Scheduled", "Pod/default/big", "Successfully assigned default/big to node-2")
    res2 = result([pod("big", node="node-2")], events=[fail, ok])
    assert check({"scheduler": "big", "outcome": "scheduled", "node": "node-2"}, res2).passed
    assert "on node node-2, expected node-1" in check({"scheduler": "big", "node": "node-1"}, res2).reason
    assert "no scheduling decision yet" in check({"scheduler": "x"}, res2).reason


def test_list_of_checks_reports_every_failure():
    o = check([{"pod": "web", "restarts": 0}, {"events": {"reason": "Killing"}}], result([CRASHING]))
    assert not o.passed and o.reason.count(";") == 1
