"""The kubelet's in-memory view of a pod and its containers — the models of the state machines.

`PodRuntime.phase` and `ContainerRuntime.state` only change through `kubetrainer.sim.machines.fire`.
"""

from __future__ import annotations

from typing import Any

import attrs


@attrs.define(slots=True, eq=False)
class Instance:
    """One run of a container (a containerd container): what `kubectl logs [--previous]` reads.
    (Slotted: not a state-machine model, and one per container run: ~150 bytes less each.)"""

    id: str
    proc: Any = None            # runtime process (None for a StartError)
    fs: Any = None
    env: dict = attrs.Factory(dict)
    started_at: float = 0.0
    finished_at: float | None = None
    exit_code: int | None = None
    reason: str | None = None   # Completed | Error | OOMKilled | StartError
    message: str | None = None


@attrs.define(slots=False, eq=False)
class ContainerRuntime:
    MACHINE_KIND = "container"

    name: str
    spec: dict
    kind: str                   # "init" | "sidecar" | "regular"
    index: int
    state: str = "Waiting"      # machine state: Waiting | Running | Terminated
    reason: str | None = None   # waiting/terminated reason
    message: str | None = None
    restart_count: int = 0
    instance: Instance | None = None   # current (running or last terminated)
    previous: Instance | None = None   # the one before (kubectl logs --previous, lastState)
    last_terminated: Instance | None = None  # lastState.terminated
    ready: bool = False
    started: bool = False       # startup probe passed (or none)
    killing: bool = False       # the kubelet is stopping it
    kill_message: str | None = None
    image_ref: str = ""
    image_id: str = ""
    observed_at: float = 0.0    # when the PLEG notices the last exit
    restart_after_kill: bool = False  # the last instance was killed by the kubelet
    kill_kind: str | None = None      # "poststart" when killed after a failed postStart hook
    hook_error: str | None = None
    busy: bool = False          # a pull/start is in progress for it
    probe_workers: list = attrs.Factory(list)
    wake_timer: Any = None
    kill_timer: Any = None

    @property
    def running(self) -> bool:
        return self.state == "Running"

    @property
    def terminated(self) -> bool:
        return self.state == "Terminated"

    @property
    def succeeded(self) -> bool:
        return self.state == "Terminated" and self.instance is not None and self.instance.exit_code == 0

    @property
    def ever_ran(self) -> bool:
        return self.instance is not None


@attrs.define(slots=False, eq=False)
class PodRuntime:
    MACHINE_KIND = "pod"

    name: str
    namespace: str
    uid: str
    node: str
    phase: str = "Pending"
    init: list[ContainerRuntime] = attrs.Factory(list)
    containers: list[ContainerRuntime] = attrs.Factory(list)
    sandbox_ready: bool = False
    sandbox_started: bool = False
    pod_ip: str = ""
    start_time: float | None = None
    volumes: dict = attrs.Factory(dict)
    terminating: bool = False
    terminated_final: bool = False
    rejected: bool = False
    deadline_exceeded: bool = False
    mount_retries: int = 0
    sync_timer: Any = None
    sync_at: float | None = None
    admitted_at: float = 0.0

    @property
    def ref(self) -> str:
        return f"Pod/{self.namespace}/{self.name}"

    def all_containers(self) -> list[ContainerRuntime]:
        return self.init + self.containers

    def find(self, name: str) -> ContainerRuntime | None:
        for c in self.all_containers():
            if c.name == name:
                return c
        return None
