"""RunSession: the glue between the TUI and the engine (no textual here)."""

from __future__ import annotations

from kubetrainer.tui.session import RunSession

POD = """apiVersion: v1
kind: Pod
metadata:
  name: crash
spec:
  containers:
    - name: app
      image: busybox:1.36
      command: ["sh", "-c", "sleep 1; exit 1"]
"""


def _events(s: RunSession) -> list[tuple]:
    return [(e.time, e.reason, e.object, e.message) for e in s.events()]


def test_small_budgeted_steps_give_the_same_run_as_one_big_step():
    a, b = RunSession(fresh_on_submit=False), RunSession(fresh_on_submit=False)
    assert a.submit(POD) == [] and b.submit(POD) == []
    a.advance(120)
    while b.now < 120:
        b.advance(min(0.7, 120 - b.now), budget=0.001)
    assert a.now == b.now == 120
    assert _events(a) == _events(b)
    assert a.result()["pods"] == b.result()["pods"]


def test_invalid_yaml_applies_nothing_and_reports_the_line():
    s = RunSession(fresh_on_submit=False)
    problems = s.submit("apiVersion: v1\nkind: Pod\nmetadata: {name: x}\nspec:\n  containers:\n    - image: nginx\n")
    assert problems and problems[0].line == 6
    assert s.cluster.store.list("Pod") == []


def test_kubectl_output_is_the_engines():
    s = RunSession(fresh_on_submit=False)
    s.submit(POD)
    s.advance(5)
    out = s.kubectl("kubectl get pods")
    assert out == s.cluster.kubectl("get pods").output
    assert s.history == ["kubectl get pods"]


def test_step_jumps_to_the_next_thing_that_happens():
    s = RunSession(fresh_on_submit=False)
    s.submit(POD)
    times = [s.step() for _ in range(6)]
    assert times == sorted(times)
    assert s.now == times[-1]
