"""The pod-phase and container-state machines: the tables the engine runs and the TUI draws.

Kubernetes does not have an explicit state machine for pods: the kubelet recomputes the phase
with `getPhase` (pkg/kubelet/kubelet_pods.go) and the container state comes from the runtime
(waiting / running / terminated, pkg/kubelet/kuberuntime). These tables write down the
transitions those functions can produce; every change the engine makes goes through them, so
an impossible change (e.g. Succeeded -> Running, "Pod attempted illegal phase transition" in
generateAPIPodStatus) fails loudly.

One `transitions.Machine` per table (model=None, auto_transitions=False). Small clusters register
their models with it (`attach`), so the TUI can ask `model.may_trigger(...)`; the hot path of
big runs uses the same table compiled into a dict (CRAFT.md §4.4). `fire()` is the only way
the engine changes a state.
"""

from __future__ import annotations

import logging
from typing import Any

from transitions import Machine, MachineError

logging.getLogger("transitions").setLevel(logging.ERROR)

# -- pod phase (status.phase) -------------------------------------------------------------------
POD_PHASE_STATES = ["Pending", "Running", "Succeeded", "Failed"]
POD_PHASE_INITIAL = "Pending"
POD_PHASE_TRANSITIONS: list[dict[str, Any]] = [
    # getPhase: some container running and none unknown
    {"trigger": "run", "source": "Pending", "dest": "Running"},
    # getPhase: all containers terminated with exit 0 (Never/OnFailure, or the pod is terminal)
    {"trigger": "succeed", "source": "Pending", "dest": "Succeeded"},
    {"trigger": "succeed", "source": "Running", "dest": "Succeeded"},
    # getPhase: a container failed and will not restart; kubelet admission rejection (OutOfcpu);
    # a failed init container with restartPolicy Never
    {"trigger": "fail", "source": "Pending", "dest": "Failed"},
    {"trigger": "fail", "source": "Running", "dest": "Failed"},
    # getPhase: a sidecar-only / restarting pod whose containers are all waiting again
    {"trigger": "wait", "source": "Running", "dest": "Pending"},
]

# -- container state (status.containerStatuses[].state) ------------------------------------------
CONTAINER_STATES = ["Waiting", "Running", "Terminated"]
CONTAINER_INITIAL = "Waiting"
CONTAINER_TRANSITIONS: list[dict[str, Any]] = [
    # a waiting container changes its reason (ContainerCreating -> ErrImagePull -> ImagePullBackOff ...)
    {"trigger": "wait", "source": "Waiting", "dest": "Waiting"},
    # startContainer succeeded (kuberuntime_container.go)
    {"trigger": "start", "source": "Waiting", "dest": "Running"},
    # start failed after create (StartError, exit 128)
    {"trigger": "fail_start", "source": "Waiting", "dest": "Terminated"},
    # the process exited, was OOM-killed or killed by the kubelet
    {"trigger": "exit", "source": "Running", "dest": "Terminated"},
    # doBackOff refused the restart: waiting CrashLoopBackOff, lastState = the terminated one
    {"trigger": "back_off", "source": "Terminated", "dest": "Waiting"},
    # restarted at once (first restart, or back-off expired): a new instance runs
    {"trigger": "restart", "source": "Terminated", "dest": "Running"},
]


# The reasons a container state carries (status.containerStatuses[].state.<state>.reason), with the
# source of each: kubelet_pods.go convertToAPIContainerStatuses (defaults and reasonCache),
# images/types.go, kuberuntime (ErrCrashLoopBackOff, ErrRunContainer, ErrPostStartHook,
# ErrCreateContainerConfig), containerd pkg/cri/server/helpers.go (terminated reasons).
CONTAINER_REASONS: dict[str, list[str]] = {
    "Waiting": ["ContainerCreating", "PodInitializing", "ErrImagePull", "ImagePullBackOff", "ErrImageNeverPull",
                "CreateContainerConfigError", "CrashLoopBackOff", "RunContainerError", "PostStartHookError"],
    "Running": [],
    "Terminated": ["Completed", "Error", "OOMKilled", "StartError"],
}


def _compile(table: list[dict[str, Any]]) -> dict[tuple[str, str], str]:
    out: dict[tuple[str, str], str] = {}
    for t in table:
        sources = t["source"] if isinstance(t["source"], list) else [t["source"]]
        for s in sources:
            out[(s, t["trigger"])] = t["dest"]
    return out


POD_PHASE_NEXT = _compile(POD_PHASE_TRANSITIONS)
CONTAINER_NEXT = _compile(CONTAINER_TRANSITIONS)



class IllegalTransition(RuntimeError):
    """An engine bug: a change the tables do not allow."""


def phase_trigger(src: str, dest: str) -> str:
    """The trigger that takes a pod from phase `src` to `dest` (IllegalTransition if none)."""
    for (s, trig), d in POD_PHASE_NEXT.items():
        if s == src and d == dest:
            return trig
    raise IllegalTransition(f"Pod attempted illegal phase transition from {src} to {dest}")


_KINDS = {"pod": ("phase", POD_PHASE_NEXT), "container": ("state", CONTAINER_NEXT)}


def fire(model: Any, trigger: str) -> str:
    """Apply `trigger` to a model (class attribute MACHINE_KIND "pod" -> attr `phase`, "container"
    -> attr `state`); return the new state.

    Models attached to a transitions Machine go through it (callbacks and may_trigger work);
    others use the compiled table. Both raise IllegalTransition on a change the table forbids.
    """
    attr, table = _KINDS[model.MACHINE_KIND]
    src = getattr(model, attr)
    if model.__dict__.get("_attached"):
        try:
            model.trigger(trigger)
        except (MachineError, AttributeError) as exc:
            raise IllegalTransition(f"{model.MACHINE_KIND} {getattr(model, 'name', '?')}: {exc}") from None
        return getattr(model, attr)
    dest = table.get((src, trigger))
    if dest is None:
        raise IllegalTransition(f"{model.MACHINE_KIND} {getattr(model, 'name', '?')}: "
                                f"Can't trigger event {trigger} from state {src}!")
    setattr(model, attr, dest)
    return dest


def new_machine(kind: str) -> Machine:
    """A fresh Machine over the same table (each Cluster owns its own, so clusters don't leak models)."""
    if kind == "pod":
        return Machine(model=None, states=POD_PHASE_STATES, transitions=POD_PHASE_TRANSITIONS,
                       initial=POD_PHASE_INITIAL, model_attribute="phase", auto_transitions=False,
                       ignore_invalid_triggers=False)
    return Machine(model=None, states=CONTAINER_STATES, transitions=CONTAINER_TRANSITIONS,
                   initial=CONTAINER_INITIAL, model_attribute="state", auto_transitions=False,
                   ignore_invalid_triggers=False)


class Machines:
    """A cluster's two machines. Models are registered (add_model) while fewer than `limit` are
    attached; beyond that (1,000-replica Deployments, 150k-pod runs) the compiled table alone is used,
    because add_model is O(n) per model (CRAFT.md §4.4). Same table, same behaviour."""

    def __init__(self, limit: int = 400) -> None:
        self.limit = limit
        self.pod = new_machine("pod")
        self.container = new_machine("container")
        self._count = 0

    def attach(self, model: Any) -> None:
        if self._count >= self.limit:
            return
        machine = self.pod if model.MACHINE_KIND == "pod" else self.container
        attr = _KINDS[model.MACHINE_KIND][0]
        machine.add_model(model, initial=getattr(model, attr))
        model.__dict__["_attached"] = True
        self._count += 1

    def detach(self, model: Any) -> None:
        if not model.__dict__.get("_attached"):
            return
        machine = self.pod if model.MACHINE_KIND == "pod" else self.container
        machine.remove_model(model)
        model.__dict__["_attached"] = False
        self._count -= 1


def as_data() -> dict[str, Any]:
    """The tables as plain data (for diagrams, docs and golden tests)."""
    return {
        "pod": {"attribute": "phase", "initial": POD_PHASE_INITIAL, "states": list(POD_PHASE_STATES),
                "transitions": [dict(t) for t in POD_PHASE_TRANSITIONS]},
        "container": {"attribute": "state", "initial": CONTAINER_INITIAL, "states": list(CONTAINER_STATES),
                      "transitions": [dict(t) for t in CONTAINER_TRANSITIONS],
                      "reasons": {k: list(v) for k, v in CONTAINER_REASONS.items()}},
    }


# Module-level machines over the tables, for display (the TUI's diagram) and validation.
POD_PHASE_MACHINE = new_machine("pod")
CONTAINER_MACHINE = new_machine("container")
