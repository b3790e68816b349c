"""printPod (pkg/printers/internalversion/printers.go), KUBERNETES.md §3."""

import pytest

from kubetrainer.sim.result import print_pod


def mk(phase="Running", containers=(), init=(), init_specs=None, spec_containers=None, deleting=False,
       reason=None, conditions=None):
    spec = {"containers": spec_containers or [{"name": cs["name"]} for cs in containers]}
    if init_specs is not None:
        spec["initContainers"] = init_specs
    elif init:
        spec["initContainers"] = [{"name": cs["name"]} for cs in init]
    st = {"phase": phase, "containerStatuses": list(containers)}
    if init:
        st["initContainerStatuses"] = list(init)
    if reason:
        st["reason"] = reason
    if conditions:
        st["conditions"] = [{"type": k, "status": v} for k, v in conditions.items()]
    meta = {"name": "p"}
    if deleting:
        meta["deletionTimestamp"] = 10.0
    return {"metadata": meta, "spec": spec, "status": st}


def running(name, ready=True, restarts=0, last_finished=None):
    cs = {"name": name, "state": {"running": {}}, "ready": ready, "restartCount": restarts}
    if last_finished is not None:
        cs["lastState"] = {"terminated": {"exitCode": 1, "reason": "Error", "finishedAt": last_finished}}
    return cs


def waiting(name, reason, restarts=0):
    return {"name": name, "state": {"waiting": {"reason": reason}}, "ready": False, "restartCount": restarts}


def term(name, code, reason, restarts=0):
    return {"name": name, "state": {"terminated": {"exitCode": code, "reason": reason}}, "ready": False,
            "restartCount": restarts}


@pytest.mark.parametrize("pod,status,ready", [
    (mk(containers=[running("a")]), "Running", "1/1"),
    (mk(containers=[running("a", ready=False)]), "Running", "0/1"),
    (mk(phase="Pending", containers=[waiting("a", "ContainerCreating")]), "ContainerCreating", "0/1"),
    (mk(containers=[waiting("a", "CrashLoopBackOff", 3)]), "CrashLoopBackOff", "0/1"),
    (mk(phase="Succeeded", containers=[term("a", 0, "Completed")]), "Completed", "0/1"),
    (mk(phase="Failed", containers=[term("a", 137, "OOMKilled")]), "OOMKilled", "0/1"),
    (mk(phase="Failed", containers=[term("a", 2, "")]), "ExitCode:2", "0/1"),
    # the alphabetically first container's reason wins (walk from last to first)
    (mk(containers=[waiting("a", "ErrImagePull"), waiting("b", "CrashLoopBackOff")]), "ErrImagePull", "0/2"),
    # Completed next to a running container: NotReady unless the pod is Ready
    (mk(containers=[term("a", 0, "Completed"), running("b")]), "NotReady", "1/2"),
    (mk(containers=[term("a", 0, "Completed"), running("b")], conditions={"Ready": "True"}), "Running", "1/2"),
    (mk(phase="Pending", init=[running("i1"), waiting("i2", "PodInitializing")], containers=[waiting("a", "PodInitializing")]),
     "Init:0/2", "0/1"),
    (mk(phase="Pending", init=[term("i1", 0, "Completed"), running("i2")], containers=[waiting("a", "PodInitializing")]),
     "Init:1/2", "0/1"),
    (mk(phase="Pending", init=[term("i1", 1, "Error")], containers=[waiting("a", "PodInitializing")]), "Init:Error", "0/1"),
    (mk(phase="Pending", init=[waiting("i1", "CrashLoopBackOff", 2)], containers=[waiting("a", "PodInitializing")]),
     "Init:CrashLoopBackOff", "0/1"),
    (mk(phase="Pending", init=[term("i1", 0, "Completed")], containers=[waiting("a", "PodInitializing")]),
     "PodInitializing", "0/1"),
    (mk(containers=[running("a")], deleting=True), "Terminating", "1/1"),
    (mk(phase="Failed", containers=[], reason="OutOfcpu"), "OutOfcpu", "0/0"),
    (mk(containers=[running("a")], deleting=True, reason="NodeLost"), "Unknown", "1/1"),
])
def test_status_and_ready(pod, status, ready):
    pp = print_pod(pod, now=100.0)
    assert (pp["status"], pp["ready"]) == (status, ready)


def test_restarts_with_ago():
    p = mk(containers=[running("a", restarts=3, last_finished=75.0)])
    pp = print_pod(p, now=100.0)
    assert pp["restarts"] == 3 and pp["restarts_text"] == "3 (25s ago)"


def test_init_restarts_counted_while_initializing():
    p = mk(phase="Pending", init=[waiting("i1", "CrashLoopBackOff", 4)], containers=[waiting("a", "PodInitializing")])
    assert print_pod(p, 10.0)["restarts"] == 4


def test_sidecar_counts_in_ready_total():
    p = mk(init=[dict(running("s"), started=True)], init_specs=[{"name": "s", "restartPolicy": "Always"}],
           containers=[running("a")], conditions={"Initialized": "True"})
    assert print_pod(p, 10.0)["ready"] == "2/2"
