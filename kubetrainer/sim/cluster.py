"""The simulated cluster: one clock, one seeded random source, one store, and the components
(scheduler, kubelets, controllers) that watch it — the single object the CLI, the course and the
TUI drive.

    c = Cluster(load_world(None), seed=0)
    c.apply_manifests(load_manifests(["pod.yaml"]))
    c.run_until(60)
    c.kubectl("get pods -o wide").output
    c.result()              # CONTRACTS.md §3 SimulationResult at c.now

Components implement `attach(cluster)` (register watches, schedule timers). They talk only
through the store (and the event log), as the real control plane does. The interface is
documented in /work/notes/kubelet.md (and docs of each method below).
"""

from __future__ import annotations

import copy
import gc
import random
import sys
from collections import deque
from typing import Any, Protocol

import attrs

from kubetrainer.errors import UserError
from kubetrainer.sim.apiserver import ApiServer, kind_slash_name
from kubetrainer.sim.clock import Clock
from kubetrainer.sim.events import EventLog
from kubetrainer.sim.machines import Machines
from kubetrainer.sim.result import Timeline, timeline_row
from kubetrainer.sim.store import CLUSTER_SCOPED, Store, fixed_uid


class Component(Protocol):
    name: str

    def attach(self, cluster: "Cluster") -> None: ...


@attrs.define(slots=True)
class FlowStep:
    """One hop of the seed's creation/termination flow, for the TUI's Flow panel."""

    time: float
    component: str   # kubectl | apiserver | etcd | scheduler | kubelet | runtime | controller-manager
    action: str      # short verb: "create", "persist", "watch", "bind", "pull", "start", "sigterm", ...
    object: str      # "Pod/default/web"
    detail: str = ""


GC_GEN0_THRESHOLD = 50_000

# The Flow panel's history: the newest steps only. A pod makes ~18 steps; a lesson makes hundreds,
# a 1,000-replica sandbox ~18,000. Keeping every step of a 150,000-pod run would cost ~2.4 KB per
# pod (issue #5's 2 GiB budget) for a panel that shows one step at a time.
FLOW_KEEP = 20_000


def _tune_gc() -> None:
    """The engine allocates many small, long-lived dicts (objects, statuses, events): with
    CPython's default gen-0 threshold (700) the cyclic collector runs so often that it took a
    third of a 30,000-pod run (benchmarks/bench_engine_scale.py: 72 s -> 45 s). Raised once per
    process, only if nobody changed the default; it changes no simulated behaviour."""
    g0, g1, g2 = gc.get_threshold()
    if g0 == 700:
        gc.set_threshold(GC_GEN0_THRESHOLD, 20, 100)


class Cluster:
    def __init__(self, world: Any = None, seed: int = 0, components: list[Component] | None = None) -> None:
        if world is None:
            from kubetrainer.sim.world import load_world

            world = load_world(None)
        self.world = world
        self.seed = seed
        self.rng = random.Random(seed)
        _tune_gc()
        self.clock = Clock()
        self.store = Store(self.clock, self.rng)
        self.events = EventLog()
        self.flow: deque[FlowStep] = deque(maxlen=FLOW_KEEP)
        self.flow_steps = 0   # every step ever recorded (the panels' change marker)
        self.components: list[Component] = []
        self.machines = Machines()
        self.apiserver = ApiServer(self)
        self.timeline = Timeline()
        self._last_row: dict[str, tuple] = {}   # uid -> its last timeline row
        self.deleted_pods: list[tuple[dict[str, Any], float]] = []   # (final object, deletedAt)
        self.down_nodes: set[str] = set()
        self.node_listeners: list = []
        self.shared_volumes: dict = {}
        self.store.observers.append(self._observe)
        for node in world.to_node_objects():
            self.store.create(node)
        objects = list(getattr(world, "objects", None) or [])
        from kubetrainer.sim.controllers.persistentvolume import storage_addons

        for ns in system_namespaces():        # as the API server creates them when it starts
            self.store.create(ns)
        for sc in storage_addons(objects):   # the storage add-on exists from the start, like the nodes
            self.store.create(sc)
        for comp in components if components is not None else default_components():
            self.add_component(comp)
        if objects:
            self.apply_manifests(objects)

    # -- time -----------------------------------------------------------------------------------
    @property
    def now(self) -> float:
        return self.clock.now

    def run_until(self, t: float) -> None:
        self.clock.run_until(t)

    def step(self) -> float | None:
        """Run everything at the next virtual time something happens; that time, or None."""
        return self.clock.step()

    def next_time(self) -> float | None:
        return self.clock.next_time()

    # -- wiring ---------------------------------------------------------------------------------
    def add_component(self, comp: Component) -> None:
        self.components.append(comp)
        comp.attach(self)

    def component(self, name: str) -> Any:
        for c in self.components:
            if c.name == name:
                return c
        raise KeyError(name)

    def record_flow(self, component: str, action: str, obj: str, detail: str = "") -> None:
        # interned: the same object ref is recorded ~18 times per pod (one copy, not 18)
        self.flow.append(FlowStep(self.clock.now, component, action,
                                  sys.intern(obj) if type(obj) is str else obj, detail))
        self.flow_steps += 1

    def event(self, obj: Any, type_: str, reason: str, message: str, source: str) -> None:
        self.events.record(self.clock.now, obj, type_, reason, message, source)

    # -- input ----------------------------------------------------------------------------------
    def apply_manifests(self, manifests: list[Any]) -> list[str]:
        """kubectl apply: each Manifest (or plain dict) created/configured; kubectl's lines."""
        lines = []
        for m in manifests:
            obj = m.obj if hasattr(m, "obj") else m
            obj = copy.deepcopy(obj)
            self._ensure_namespace(obj)
            try:
                result = self.apiserver.apply(obj)
            except UserError as exc:
                source = getattr(m, "source", None)
                msg = str(exc)
                if source and msg.startswith("Error from server (") and "): " in msg:
                    head, _, rest = msg.partition("): ")
                    msg = f'{head}): error when creating "{source}": {rest}'   # kubectl apply's wording
                raise UserError(msg) from None
            lines.append(f"{kind_slash_name(obj['kind'], obj['metadata']['name'])} {result}")
        return lines

    def _ensure_namespace(self, obj: dict[str, Any]) -> None:
        """The scenario's own files (simulate FILE..., world objects) are the setup: a namespace they use
        is created first, as the docs' `kubectl create namespace X` step. Later kubectl commands get the
        apiserver's NamespaceLifecycle NotFound for a missing namespace."""
        from kubetrainer.sim.apiserver import SYSTEM_NAMESPACES

        ns = (obj.get("metadata") or {}).get("namespace")
        if not ns or ns in SYSTEM_NAMESPACES or obj.get("kind") in CLUSTER_SCOPED or not isinstance(ns, str):
            return
        if self.store.get("Namespace", "", ns) is None:
            self.apiserver.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": ns}},
                                  actor="kubectl")

    def kubectl(self, cmdline: str | list[str]) -> Any:
        """Run a kubectl command line; KubectlResult(output, exit_code). Never raises for bad input."""
        from kubetrainer.sim.kubectl import run_kubectl

        if isinstance(cmdline, str) and cmdline.strip().startswith(("node-down", "node-up")):
            return self.command(cmdline)
        return run_kubectl(self, cmdline)

    def check_kubectl(self, cmdline: str | list[str]) -> None:
        """Raise UserError when the command cannot make sense (unknown verb/flag, missing args)."""
        from kubetrainer.sim.kubectl import check_kubectl

        check_kubectl(self, cmdline)

    def world_command(self, line: str) -> str:
        """`node-down NAME` / `node-up NAME` (CONTRACTS.md §3)."""
        parts = line.split()
        if len(parts) != 2 or parts[0] not in ("node-down", "node-up"):
            raise UserError(f"unknown world command {line!r}: expected node-down NAME or node-up NAME")
        verb, name = parts
        if self.store.get("Node", "", name) is None:
            raise UserError(f'{verb}: node "{name}" not found')
        from kubetrainer.sim.controllers import world_event
        up = verb == "node-up"
        if up:
            self.down_nodes.discard(name)
        else:
            self.down_nodes.add(name)
        kubelets = self._kubelets()
        if kubelets is not None:
            (kubelets.node_up if up else kubelets.node_down)(name)
        for fn in list(self.node_listeners):
            fn(name, up)
        return world_event(self, line) or f"node/{name} {'up' if up else 'down'}"

    def command(self, line: str) -> Any:
        """A `--at` command: a kubectl command line or a world event."""
        from kubetrainer.sim.kubectl import KubectlResult

        s = line.strip()
        if s.startswith("node-down") or s.startswith("node-up"):
            try:
                return KubectlResult(self.world_command(s) + "\n", 0)
            except UserError as exc:
                return KubectlResult(f"error: {exc}\n", 1)
        return self.kubectl(s)

    def node_is_up(self, name: str) -> bool:
        return name not in self.down_nodes

    # -- views ----------------------------------------------------------------------------------
    def _kubelets(self) -> Any:
        for c in self.components:
            if c.name == "kubelet":
                return c
        return None

    def kubelet_for(self, node_name: str) -> Any:
        k = self._kubelets()
        return k.kubelet(node_name) if k is not None else None

    def pod_runtime(self, namespace: str, name: str) -> Any:
        k = self._kubelets()
        return k.pod_runtime(namespace, name) if k is not None else None

    def pod_view(self, namespace: str, name: str) -> dict[str, Any] | None:
        from kubetrainer.sim.result import pod_entry

        pod = self.store.get("Pod", namespace, name)
        if pod is not None:
            return pod_entry(pod, self.now)
        for obj, at in reversed(self.deleted_pods):
            m = obj["metadata"]
            if m["name"] == name and m.get("namespace") == namespace:
                return pod_entry(obj, at, at)
        return None

    def result(self) -> dict[str, Any]:
        from kubetrainer.sim.result import build_result

        return build_result(self)

    # -- the timeline (a synchronous store observer) -----------------------------------------------
    def _observe(self, event: str, obj: dict[str, Any]) -> None:
        if obj.get("kind") != "Pod":
            return
        uid = obj["metadata"].get("uid", "")
        deleted = event == "DELETED"
        row = timeline_row(obj, self.now, deleted=deleted)
        last = self._last_row.get(uid)
        if last is None or last[2:] != row[2:]:   # a new row when anything but time/object changed
            self._last_row[uid] = row
            self.timeline.append(row)
        if deleted:
            self._last_row.pop(uid, None)
            self.deleted_pods.append((copy.deepcopy(obj), self.now))


def system_namespaces() -> list[dict[str, Any]]:
    """default, kube-node-lease, kube-public, kube-system: the namespaces every cluster has
    (pkg/controlplane/controller/systemnamespaces). Fixed uids: they draw no random numbers, so
    the seeded pod names stay as they were."""
    from kubetrainer.api.defaults import default_object
    from kubetrainer.sim.apiserver import SYSTEM_NAMESPACES

    out = []
    for name in sorted(SYSTEM_NAMESPACES):
        obj = default_object({"apiVersion": "v1", "kind": "Namespace", "metadata": {
            "name": name, "uid": fixed_uid("namespace", name)}}).obj
        out.append(obj)
    return out


def default_components() -> list[Component]:
    """The control plane and node agents of a default cluster, in start-up order."""
    from kubetrainer.sim.controllers import controllers
    from kubetrainer.sim.kubelet import KubeletManager
    from kubetrainer.sim.scheduler.component import SchedulerComponent

    return [SchedulerComponent(), KubeletManager(), *controllers()]
