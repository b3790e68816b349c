"""The simulated cluster: one clock, one seeded random source, one store, and the components
(scheduler, kubelets, controllers) that watch it — the single object the CLI, the course and the
TUI drive.

    c = Cluster(load_world(None), seed=0)
    c.apply_manifests(load_manifests(["pod.yaml"]))
    c.run_until(60)
    c.kubectl("get pods -o wide").output
    c.result()              # CONTRACTS.md §3 SimulationResult at c.now

Components implement `attach(cluster)` (register watches, schedule timers). They talk only
through the store (and the event log), as the real control plane does.
"""

from __future__ import annotations

import random
from typing import Any, Protocol

import attrs

from kubetrainer.sim.clock import Clock
from kubetrainer.sim.events import EventLog
from kubetrainer.sim.store import Store


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


class Cluster:
    def __init__(self, world: Any = None, seed: int = 0, components: list[Component] | None = None) -> None:
        if world is None:
            from kubetrainer.sim.world import load_world

            world = load_world(None)
        self.world = world
        self.seed = seed
        self.rng = random.Random(seed)
        self.clock = Clock()
        self.store = Store(self.clock, self.rng)
        self.events = EventLog()
        self.flow: list[FlowStep] = []
        self.components: list[Component] = []
        for node in world.to_node_objects():
            self.store.create(node)
        for comp in components if components is not None else default_components():
            self.add_component(comp)

    # -- time -----------------------------------------------------------------------------
    @property
    def now(self) -> float:
        return self.clock.now

    def run_until(self, t: float) -> None:
        self.clock.run_until(t)

    def step(self) -> float | None:
        """Run everything at the next virtual time something happens; that time, or None."""
        return self.clock.step()

    # -- wiring ---------------------------------------------------------------------------
    def add_component(self, comp: Component) -> None:
        self.components.append(comp)
        comp.attach(self)

    def component(self, name: str) -> Any:
        for c in self.components:
            if c.name == name:
                return c
        raise KeyError(name)

    def record_flow(self, component: str, action: str, obj: str, detail: str = "") -> None:
        self.flow.append(FlowStep(self.clock.now, component, action, obj, detail))

    def event(self, obj: Any, type_: str, reason: str, message: str, source: str) -> None:
        self.events.record(self.clock.now, obj, type_, reason, message, source)


def default_components() -> list[Component]:
    """The control plane and node agents of a default cluster, in start-up order."""
    comps: list[Component] = []
    try:  # during the first build the parts land one by one; each import becomes unconditional
        from kubetrainer.sim.scheduler.component import SchedulerComponent

        comps.append(SchedulerComponent())
    except ImportError:
        pass
    try:
        from kubetrainer.sim.kubelet import KubeletManager

        comps.append(KubeletManager())
    except ImportError:
        pass
    try:
        from kubetrainer.sim.controllers import controllers

        comps.extend(controllers())
    except ImportError:
        pass
    return comps
