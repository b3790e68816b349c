"""The state-machine tables (kubetrainer.sim.machines): one table, one Machine, compiled hot path."""

import pytest

from kubetrainer.sim import machines
from kubetrainer.sim.kubelet.models import ContainerRuntime, PodRuntime


def test_tables_golden():
    data = machines.as_data()
    assert data["pod"]["states"] == ["Pending", "Running", "Succeeded", "Failed"]
    assert data["container"]["states"] == ["Waiting", "Running", "Terminated"]
    pod_edges = {(t["source"], t["trigger"], t["dest"]) for t in data["pod"]["transitions"]}
    assert pod_edges == {("Pending", "run", "Running"), ("Pending", "succeed", "Succeeded"),
                         ("Running", "succeed", "Succeeded"), ("Pending", "fail", "Failed"),
                         ("Running", "fail", "Failed"), ("Running", "wait", "Pending")}
    ctr_edges = {(t["source"], t["trigger"], t["dest"]) for t in data["container"]["transitions"]}
    assert ctr_edges == {("Waiting", "wait", "Waiting"), ("Waiting", "start", "Running"),
                         ("Waiting", "fail_start", "Terminated"), ("Running", "exit", "Terminated"),
                         ("Terminated", "back_off", "Waiting"), ("Terminated", "restart", "Running")}


def test_compiled_table_matches_the_machine():
    for machine, table in ((machines.POD_PHASE_MACHINE, machines.POD_PHASE_NEXT),
                           (machines.CONTAINER_MACHINE, machines.CONTAINER_NEXT)):
        edges = {}
        for name, event in machine.events.items():
            for src, transitions in event.transitions.items():
                for t in transitions:
                    edges[(src, name)] = t.dest
        assert edges == table


@pytest.mark.parametrize("attached", [True, False])
def test_terminal_phase_never_goes_back(attached):
    """generateAPIPodStatus: "Pod attempted illegal phase transition"."""
    m = machines.Machines(limit=10 if attached else 0)
    pod = PodRuntime(name="p", namespace="default", uid="u", node="n")
    m.attach(pod)
    assert machines.fire(pod, "run") == "Running"
    assert machines.fire(pod, "succeed") == "Succeeded"
    with pytest.raises(machines.IllegalTransition):
        machines.fire(pod, "run")
    with pytest.raises(machines.IllegalTransition):
        machines.phase_trigger("Succeeded", "Running")


@pytest.mark.parametrize("attached", [True, False])
def test_container_walk_and_illegal(attached):
    m = machines.Machines(limit=10 if attached else 0)
    c = ContainerRuntime(name="c", spec={}, kind="regular", index=0)
    m.attach(c)
    for trig, dest in (("wait", "Waiting"), ("start", "Running"), ("exit", "Terminated"), ("back_off", "Waiting"),
                       ("start", "Running"), ("exit", "Terminated"), ("restart", "Running")):
        assert machines.fire(c, trig) == dest
    with pytest.raises(machines.IllegalTransition):
        machines.fire(c, "back_off")   # Running -> Waiting is not a transition
    if attached:
        assert c.may_trigger("exit")
        m.detach(c)
        assert not c.__dict__.get("_attached")


def test_every_transition_golden():
    """One golden check per transition: fire it from its source, land on its dest."""
    for kind, table in (("pod", machines.POD_PHASE_TRANSITIONS), ("container", machines.CONTAINER_TRANSITIONS)):
        for t in table:
            model = (PodRuntime(name="p", namespace="d", uid="u", node="n") if kind == "pod"
                     else ContainerRuntime(name="c", spec={}, kind="regular", index=0))
            setattr(model, "phase" if kind == "pod" else "state", t["source"])
            assert machines.fire(model, t["trigger"]) == t["dest"]
