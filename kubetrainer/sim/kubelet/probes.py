"""Probe workers (pkg/kubelet/prober/worker.go doProbe, prober.go runProbe, pkg/probe/{http,tcp,exec}).

One worker per (container, probe type), created when the pod is added to the kubelet; it probes
at once and then every periodSeconds (a timer on the virtual clock, no per-second ticking).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kubetrainer.sim.kubelet.timing import PROBE_DEFAULTS

if TYPE_CHECKING:
    from kubetrainer.sim.kubelet.kubelet import Kubelet
    from kubetrainer.sim.kubelet.models import ContainerRuntime, PodRuntime

TYPE_TITLE = {"liveness": "Liveness", "readiness": "Readiness", "startup": "Startup"}
# worker.go: initial values per probe type after a new container ID
INITIAL = {"liveness": "Success", "readiness": "Failure", "startup": "Unknown"}


def probe_setting(probe: dict, key: str) -> int:
    v = probe.get(key)
    if v is None or v == 0 and key in ("timeoutSeconds", "periodSeconds", "successThreshold", "failureThreshold"):
        return PROBE_DEFAULTS[key]
    return int(v)


class ProbeWorker:
    __slots__ = ("kubelet", "pod", "container", "type", "probe", "period", "result", "last_result", "run",
                 "on_hold", "container_id", "stopped", "timer")

    def __init__(self, kubelet: "Kubelet", pod: "PodRuntime", container: "ContainerRuntime", ptype: str,
                 probe: dict) -> None:
        self.kubelet = kubelet
        self.pod = pod
        self.container = container
        self.type = ptype
        self.probe = probe
        self.period = max(1, probe_setting(probe, "periodSeconds"))
        self.result: str | None = None  # None = no result yet (readiness: "not ready")
        self.last_result: str | None = None
        self.run = 0
        self.on_hold = False
        self.container_id: str | None = None
        self.stopped = False
        self.timer: Any = None

    def start(self) -> None:
        self.tick()

    def stop(self) -> None:
        self.stopped = True
        if self.timer is not None:
            self.timer.cancel()
            self.timer = None

    def _schedule(self) -> None:
        clock = self.kubelet.cluster.clock
        self.timer = clock.after(self.period, self.tick, label=f"probe {self.type}")

    def tick(self) -> None:
        if self.stopped:
            return
        keep = self.do_probe()
        if keep and not self.stopped:
            self._schedule()
        else:
            self.stopped = True

    def trigger_now(self) -> None:
        """manualTriggerCh: run once now, outside the ticker."""
        if not self.stopped:
            self.do_probe()

    def do_probe(self) -> bool:
        """worker.go doProbe: returns False when the worker should stop."""
        kl = self.kubelet
        if not kl.up:
            return True
        c, pod = self.container, self.pod
        now = kl.cluster.now
        inst = c.instance
        if inst is None:
            return True  # no status / no container ID yet: wait
        if self.container_id != inst.id:
            self.container_id = inst.id
            self.result = INITIAL[self.type] if self.type != "readiness" else "Failure"
            self.last_result = None
            self.run = 0
            self.on_hold = False
        if self.on_hold:
            return True
        if not c.running:
            # container not running: Failure; stop if it will never restart
            if self.type == "readiness":
                self._set("Failure")
            restart_policy = kl.restart_policy_of(pod, c)
            return not (c.terminated and restart_policy == "Never")
        if pod.terminating and self.type in ("liveness", "startup"):
            self._set("Success")
            return False
        if int(now - inst.started_at) < probe_setting(self.probe, "initialDelaySeconds"):
            return True
        if self.type != "startup" and not c.started:
            return True
        if self.type == "startup" and c.started:
            return True
        ok, output = kl.run_probe(pod, c, self.probe, self.type)
        result = "Success" if ok else "Failure"
        if result == self.last_result:
            self.run += 1
        else:
            self.last_result = result
            self.run = 1
        if (result == "Failure" and self.run < probe_setting(self.probe, "failureThreshold")) or \
           (result == "Success" and self.run < probe_setting(self.probe, "successThreshold")):
            return True
        self._set(result)
        if self.type in ("liveness", "startup") and result == "Failure":
            # the container will be restarted: hold until a new container ID appears
            self.on_hold = True
            self.run = 0
        return True

    def _set(self, result: str) -> None:
        changed = result != self.result
        self.result = result
        if changed or result == "Failure":
            self.kubelet.probe_result_changed(self.pod, self.container, self.type, result)
