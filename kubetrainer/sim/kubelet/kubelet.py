"""One node's kubelet: pod workers, image manager, container start, probes, restarts, termination.

Follows pkg/kubelet (names of the functions each step mirrors are in the comments):
* admission:      kubelet.go canAdmitPod / lifecycle/predicate.go (via scheduler.admission.admit)
* sync:           kuberuntime_manager.go computePodActions + SyncPod; kubelet_pods.go getPhase
* images:         images/image_manager.go EnsureImageExists (pull policies, node cache, back-off)
* start:          kuberuntime_container.go startContainer (Created/Started, restartCount, StartError)
* back-off:       kuberuntime_manager.go doBackOff (CrashLoopBackOff)
* kill:           kuberuntime_container.go killContainer (preStop, grace, minimum 2 s, SIGKILL)
* probes:         prober/worker.go, prober/prober.go
* status:         kubelet_pods.go generateAPIPodStatus / convertToAPIContainerStatuses, status/generate.go
Events use the kubelet's reasons and texts (pkg/kubelet/events/event.go).
"""

from __future__ import annotations

import re

import hashlib
from typing import TYPE_CHECKING, Any

from kubetrainer.sim import machines
from kubetrainer.sim.apiserver import set_condition
from kubetrainer.sim.sharing import share_conditions, share_dict
from kubetrainer.sim.kubelet import timing
from kubetrainer.sim.kubelet.backoff import Backoff
from kubetrainer.sim.kubelet.env import ConfigError, expand_list, make_environment, secret_data
from kubetrainer.sim.kubelet.models import ContainerRuntime, Instance, PodRuntime
from kubetrainer.sim.kubelet.probes import TYPE_TITLE, ProbeWorker, probe_setting

if TYPE_CHECKING:
    from kubetrainer.sim.cluster import Cluster

Obj = dict[str, Any]
SOURCE = "kubelet"
ERRORED = "\x00errored:"  # marks a probe error (prober.go: "<Type> probe errored: <err>")


def pod_desc(pod: Obj) -> str:
    """format.Pod: name_namespace(uid)."""
    m = pod["metadata"]
    return f"{m['name']}_{m.get('namespace', 'default')}({m.get('uid', '')})"


class Kubelet:
    def __init__(self, manager: Any, node_name: str, node_index: int) -> None:
        self.manager = manager
        self.cluster: "Cluster" = manager.cluster
        self.node = node_name
        self.node_index = node_index
        self.up = True
        self.pods: dict[str, PodRuntime] = {}          # uid -> runtime
        self.objs: dict[str, Obj] = {}                 # uid -> pod object (the store's dict)
        self.crash_backoff = Backoff(timing.CRASHLOOP_INITIAL_SECONDS, timing.CRASHLOOP_MAX_SECONDS)
        self.image_backoff = Backoff(timing.IMAGE_BACKOFF_INITIAL_SECONDS, timing.IMAGE_BACKOFF_MAX_SECONDS)
        self.images: set[str] = set()
        self.pull_busy_until = 0.0
        self.pulls_of: dict[str, float] = {}   # image ref -> end of the last successful pull queued for it
        self.pending_images: list[dict] = []    # pulled, not yet in Node.status.images
        self.status_timer: Any = None
        self._host_ips: list[Obj] | None = None   # status.hostIPs of this node's pods (one list)
        self.ip_counter = 1
        self.container_counter = 0
        spec = manager.node_spec(node_name)
        registry = self.registry
        for img in (getattr(spec, "images", None) or []):
            self.images.add(self._norm(img))
        del registry
        node_obj = self.cluster.store.get("Node", "", node_name) or {}
        self.allocatable: dict[str, str] = dict(getattr(spec, "allocatable", None) or
                                                 getattr(spec, "capacity", None) or
                                                 (node_obj.get("status") or {}).get("allocatable") or {})

    # -- helpers -----------------------------------------------------------------------------------
    @property
    def registry(self) -> Any:
        return getattr(self.cluster.world, "registry", None)

    def _norm(self, image: str) -> str:
        reg = self.registry
        if reg is not None and hasattr(reg, "normalize"):
            try:
                return reg.normalize(image)
            except Exception:  # noqa: BLE001 - an unparsable reference is compared as written
                return image
        return image

    @property
    def now(self) -> float:
        return self.cluster.now

    def event(self, pod: Obj, type_: str, reason: str, message: str) -> None:
        self.cluster.event(pod, type_, reason, message, SOURCE)

    def flow(self, component: str, action: str, rt: PodRuntime, detail: str = "") -> None:
        self.cluster.record_flow(component, action, rt.ref, detail)

    def restart_policy_of(self, rt: PodRuntime, c: ContainerRuntime) -> str:
        if c.kind == "sidecar":
            return "Always"
        return (self.objs[rt.uid].get("spec") or {}).get("restartPolicy") or "Always"

    # -- pod lifecycle entry points (from the manager's watch) ----------------------------------------
    def add_pod(self, pod: Obj) -> None:
        uid = pod["metadata"]["uid"]
        if uid in self.pods:
            return
        meta = pod["metadata"]
        spec = pod.get("spec") or {}
        rt = PodRuntime(name=meta["name"], namespace=meta.get("namespace", "default"), uid=uid, node=self.node,
                        admitted_at=self.now)
        for i, c in enumerate(spec.get("initContainers") or []):
            kind = "sidecar" if c.get("restartPolicy") == "Always" else "init"
            rt.init.append(ContainerRuntime(name=c.get("name", ""), spec=c, kind=kind, index=i))
        for i, c in enumerate(spec.get("containers") or []):
            rt.containers.append(ContainerRuntime(name=c.get("name", ""), spec=c, kind="regular", index=i))
        has_init = bool(rt.init)
        for c in rt.all_containers():
            c.reason = "PodInitializing" if has_init else "ContainerCreating"
        self.pods[uid] = rt
        self.objs[uid] = pod
        self.cluster.machines.attach(rt)
        for c in rt.all_containers():
            self.cluster.machines.attach(c)
        self.flow("kubelet", "watch", rt, f"pod bound to {self.node}")
        # admission (kubelet.go HandlePodAdditions -> canAdmitPod)
        rejection = self.manager.admit(pod, self.node, self._active_pods(exclude=uid))
        if rejection is not None:
            reason, message = rejection
            self._reject(rt, pod, reason, message)
            return
        # probe workers (prober_manager.AddPod): created when the pod is added, probe at once
        for c in rt.all_containers():
            if c.kind == "init":
                continue
            for ptype, key in (("startup", "startupProbe"), ("readiness", "readinessProbe"),
                               ("liveness", "livenessProbe")):
                if c.spec.get(key):
                    c.probe_workers.append(ProbeWorker(self, rt, c, ptype, c.spec[key]))
        for c in rt.all_containers():
            for w in c.probe_workers:
                w.start()
        if meta.get("deletionTimestamp") is not None:
            self.start_termination(pod)
            return
        self.sync(rt)

    def _active_pods(self, exclude: str) -> list[Obj]:
        out = []
        for uid, rt in self.pods.items():
            if uid == exclude or rt.rejected or rt.terminated_final:
                continue
            if rt.phase in ("Succeeded", "Failed"):
                continue
            out.append(self.objs[uid])
        return out

    def _reject(self, rt: PodRuntime, pod: Obj, reason: str, message: str) -> None:
        """kubelet.go rejectPod: Warning event, phase Failed, status.reason/message."""
        rt.rejected = True
        self.event(pod, "Warning", reason, message)
        machines.fire(rt, machines.phase_trigger(rt.phase, "Failed"))
        status = pod.setdefault("status", {})
        status["phase"] = "Failed"
        status["reason"] = reason
        status["message"] = f"Pod was rejected: {message}"
        self.flow("kubelet", "reject", rt, reason)
        self.cluster.apiserver.update(pod)

    def pod_updated(self, pod: Obj) -> None:
        uid = pod["metadata"]["uid"]
        rt = self.pods.get(uid)
        if rt is None:
            return
        self.objs[uid] = pod
        if pod["metadata"].get("deletionTimestamp") is not None and not rt.terminating:
            self.start_termination(pod)
            return
        if rt.rejected or rt.terminating:
            return
        # image updates (the only mutable container field that matters): restart with the new image
        changed = False
        for c, spec in zip(rt.containers, (pod.get("spec") or {}).get("containers") or []):
            if spec.get("image") != c.spec.get("image"):
                c.spec = spec
                changed = True
                if c.running:
                    # computePodActions: containerChanged → kill and start again
                    self.kill_container(rt, c, f"Container {c.name} definition changed, will be restarted",
                                        self._grace(pod))
        if changed:
            self.request_sync(rt)

    def pod_deleted(self, pod: Obj) -> None:
        """The object is gone (force deletion or final delete): stop everything at once."""
        uid = pod["metadata"]["uid"]
        rt = self.pods.get(uid)
        if rt is None:
            return
        for c in rt.all_containers():
            if c.running and c.instance and c.instance.proc is not None:
                proc = c.instance.proc
                if not proc.exited:
                    proc.signal("KILL", self.now)
            self._stop_container_timers(c)
        self._forget(rt)

    def _forget(self, rt: PodRuntime) -> None:
        if rt.sync_timer is not None:
            rt.sync_timer.cancel()
        for c in rt.all_containers():
            self._stop_container_timers(c)
            self.cluster.machines.detach(c)
        self.cluster.machines.detach(rt)
        self.crash_backoff.gc(rt.uid)
        self.image_backoff.gc(rt.uid)
        self.pods.pop(rt.uid, None)
        self.objs.pop(rt.uid, None)

    def _stop_container_timers(self, c: ContainerRuntime) -> None:
        for w in c.probe_workers:
            w.stop()
        for t in (c.wake_timer, c.kill_timer):
            if t is not None:
                t.cancel()
        c.wake_timer = None
        c.kill_timer = None

    # -- sync scheduling --------------------------------------------------------------------------------
    def request_sync(self, rt: PodRuntime, delay: float = 0.0) -> None:
        at = self.now + delay
        if rt.sync_timer is not None and rt.sync_at is not None and rt.sync_at <= at and not rt.sync_timer.cancelled:
            return
        if rt.sync_timer is not None:
            rt.sync_timer.cancel()
        rt.sync_at = at
        rt.sync_timer = self.cluster.clock.at(at, self._sync_timer, rt, label=f"sync {rt.ref}")

    def _sync_timer(self, rt: PodRuntime) -> None:
        rt.sync_timer = None
        rt.sync_at = None
        if rt.uid in self.pods:
            self.sync(rt)

    # -- SyncPod -------------------------------------------------------------------------------------
    def sync(self, rt: PodRuntime) -> None:
        if not self.up or rt.rejected or rt.terminated_final:
            return
        pod = self.objs[rt.uid]
        if rt.terminating:
            self._check_terminated(rt)
            return
        if rt.phase in ("Succeeded", "Failed"):
            return
        if not rt.sandbox_ready:
            if rt.start_time is None:
                rt.start_time = self.now
                deadline = (pod.get("spec") or {}).get("activeDeadlineSeconds")
                if deadline is not None:
                    self.cluster.clock.at(self.now + float(deadline), self._deadline, rt, label="activeDeadline")
            if not rt.sandbox_started and not self._volumes_mounted(rt, pod):
                return
            if not rt.sandbox_started:
                rt.sandbox_started = True
                self.flow("kubelet", "sync", rt, "SyncPod: create pod sandbox")
                self.write_status(rt)
                self.cluster.clock.after(timing.SANDBOX_SECONDS, self._sandbox_ready, rt, label="sandbox")
            return
        # init containers, in order (computeInitContainerActions)
        for c in rt.init:
            if c.kind == "init":
                if c.succeeded:
                    continue
                if c.terminated and self.now < c.observed_at:
                    self.request_sync(rt, c.observed_at - self.now)
                if c.running or c.busy or c.killing or (c.terminated and self.now < c.observed_at):
                    self.write_status(rt)
                    return
                if c.terminated and not self._should_restart(rt, c):
                    # failed init container, restartPolicy Never -> the pod fails
                    self.write_status(rt)
                    return
                self.try_start(rt, c)
                self.write_status(rt)
                return
            # sidecar: start it, move on once it is started
            if c.running and c.started:
                continue
            if c.running or c.busy or c.killing:
                self.write_status(rt)
                return
            self.try_start(rt, c)
            self.write_status(rt)
            return
        for c in rt.containers:
            if c.busy:
                break   # SyncPod starts the containers one after the other: a pull blocks the rest
            if c.running or c.killing:
                continue
            if c.terminated and self.now < c.observed_at:
                self.request_sync(rt, c.observed_at - self.now)
                continue  # not seen by the PLEG yet
            if c.terminated and not self._should_restart(rt, c):
                continue
            self.try_start(rt, c)
            if c.busy:
                break
        self.write_status(rt)

    def _continue_start(self, rt: PodRuntime, after: ContainerRuntime) -> None:
        """The rest of SyncPod's container start loop once the pull of `after` is over
        (kuberuntime_manager.go SyncPod: start() for each of ContainersToStart, one after the other)."""
        if rt.uid not in self.pods or rt.terminating or not self.up or after not in rt.containers:
            return
        for c in rt.containers[rt.containers.index(after) + 1:]:
            if c.busy:
                break
            if c.state != "Waiting" or c.killing or c.ever_ran or c.reason not in (None, "ContainerCreating"):
                continue
            self.try_start(rt, c)
            if c.busy:
                break
        self.write_status(rt)

    def _volumes_mounted(self, rt: PodRuntime, pod: Obj) -> bool:
        """volumemanager WaitForAttachAndMount: configMap/secret volumes need their object (unless
        optional). Until then: Warning FailedMount 'MountVolume.SetUp failed for volume ...', retried
        with the operation executor's back-off (500 ms doubling to 2m2s); the pod stays ContainerCreating."""
        problems = []
        ns = rt.namespace
        for v in (pod.get("spec") or {}).get("volumes") or []:
            if not isinstance(v, dict):
                continue
            if "configMap" in v:
                src = v.get("configMap") or {}
                if not src.get("optional") and self.cluster.store.get("ConfigMap", ns, src.get("name", "")) is None:
                    problems.append(f'MountVolume.SetUp failed for volume "{v.get("name")}" : '
                                    f'configmap "{src.get("name", "")}" not found')
            elif "secret" in v:
                src = v.get("secret") or {}
                if not src.get("optional") and self.cluster.store.get("Secret", ns, src.get("secretName", "")) is None:
                    problems.append(f'MountVolume.SetUp failed for volume "{v.get("name")}" : '
                                    f'secret "{src.get("secretName", "")}" not found')
        if not problems:
            return True
        for msg in problems:
            self.event(pod, "Warning", "FailedMount", msg)
        self.flow("kubelet", "mount", rt, "waiting for volumes")
        self.write_status(rt)
        rt.mount_retries += 1
        delay = min(0.5 * 2 ** (rt.mount_retries - 1), 122.0)   # exponentialbackoff: 500ms .. 2m2s
        self.request_sync(rt, delay)
        return False

    def _deadline(self, rt: PodRuntime) -> None:
        """active_deadline.go: the pod ran longer than spec.activeDeadlineSeconds → Failed, DeadlineExceeded."""
        if rt.uid not in self.pods or rt.terminating or rt.phase in ("Succeeded", "Failed") or not self.up:
            return
        pod = self.objs[rt.uid]
        deadline = (pod.get("spec") or {}).get("activeDeadlineSeconds")
        if deadline is None or rt.start_time is None or self.now < rt.start_time + float(deadline):
            return
        msg = "Pod was active on the node longer than the specified deadline"
        self.event(pod, "Warning", "DeadlineExceeded", msg)
        rt.deadline_exceeded = True
        machines.fire(rt, machines.phase_trigger(rt.phase, "Failed"))
        self._pod_finished(rt)
        for c in rt.all_containers():
            if c.running:
                self.kill_container(rt, c, f"Stopping container {c.name}", self._grace(pod))
        self.write_status(rt)

    def _sandbox_ready(self, rt: PodRuntime) -> None:
        if rt.uid not in self.pods or rt.terminating:
            return
        rt.sandbox_ready = True
        if (self.objs[rt.uid].get("spec") or {}).get("hostNetwork"):
            rt.pod_ip = self.manager.node_ip(self.node)   # the node's network namespace
        else:
            self.ip_counter += 1
            rt.pod_ip = f"10.244.{self.node_index + 1}.{self.ip_counter}"
        self.flow("runtime", "sandbox", rt, f"pod sandbox ready, IP {rt.pod_ip}")
        self.sync(rt)

    def _should_restart(self, rt: PodRuntime, c: ContainerRuntime) -> bool:
        """kubecontainer.ShouldContainerBeRestarted."""
        if rt.terminating:
            return False
        if not c.ever_ran and c.state == "Waiting":
            return True
        policy = self.restart_policy_of(rt, c)
        if policy == "Never":
            return False
        if policy == "OnFailure":
            return not c.succeeded
        return True

    # -- startContainer ------------------------------------------------------------------------------
    def try_start(self, rt: PodRuntime, c: ContainerRuntime) -> None:
        pod = self.objs[rt.uid]
        if c.busy:
            return
        # doBackOff: the most recent exited instance in the podStatus of this sync. After a kill by
        # the kubelet (liveness, startup, definition change) SyncPod kills and starts in one pass with
        # the podStatus taken BEFORE the kill, so the instance that counts is the one before it.
        ref = c.instance
        if c.restart_after_kill:
            c.restart_after_kill = False
            ref = c.previous
        if ref is not None and ref.finished_at is not None:
            key = f"{rt.uid}_{c.name}"
            finished = ref.finished_at
            if self.crash_backoff.is_in_backoff_since(key, finished, self.now):
                b = self.crash_backoff.get(key)
                self.event(pod, "Warning", "BackOff",
                           f"Back-off restarting failed container {c.name} in pod {pod_desc(pod)}")
                msg = f"back-off {_go_duration(b)} restarting failed container={c.name} pod={pod_desc(pod)}"
                self._to_waiting(c, "CrashLoopBackOff", msg)
                self.flow("kubelet", "backoff", rt, f"{c.name}: CrashLoopBackOff {_go_duration(b)}")
                remaining = self.crash_backoff.remaining(key, finished, self.now)
                self.request_sync(rt, min(remaining, timing.SYNC_ERROR_REQUEUE_SECONDS) or remaining)
                return
            self.crash_backoff.next(key, finished, self.now)
        self.ensure_image(rt, c)

    def _to_waiting(self, c: ContainerRuntime, reason: str, message: str | None = None) -> None:
        if c.state == "Terminated":
            machines.fire(c, "back_off")
        elif c.state == "Waiting":
            machines.fire(c, "wait")
        else:
            raise machines.IllegalTransition(f"container {c.name}: waiting while running")
        c.reason = reason
        c.message = message
        c.ready = False

    # -- images --------------------------------------------------------------------------------------
    def ensure_image(self, rt: PodRuntime, c: ContainerRuntime) -> None:
        """images/image_manager.go EnsureImageExists."""
        pod = self.objs[rt.uid]
        image = c.spec.get("image", "")
        bad = image_name_error(image)
        if bad is not None:
            # applyDefaultImageTag failed: Warning InspectFailed, ErrInvalidImageName (no pull at all)
            msg = f'Failed to apply default image tag "{image}": couldn\'t parse image name "{image}": {bad}'
            self.event(pod, "Warning", "InspectFailed", msg)
            self.event(pod, "Warning", "Failed", "Error: InvalidImageName")
            self._image_failed(rt, c, "InvalidImageName", msg)
            return
        policy = c.spec.get("imagePullPolicy") or _default_pull_policy(image)
        ref = self._norm(image)
        present = ref in self.images
        if policy == "Never" and not present:
            msg = f'Container image "{image}" is not present with pull policy of Never'
            self.event(pod, "Warning", "ErrImageNeverPull", msg)
            self.event(pod, "Warning", "Failed", "Error: ErrImageNeverPull")
            self._image_failed(rt, c, "ErrImageNeverPull", msg)
            return
        if present and policy != "Always":
            self.event(pod, "Normal", "Pulled", f'Container image "{image}" already present on machine')
            self.create_container(rt, c)
            return
        key = f"{rt.uid}_{image}"
        if self.image_backoff.is_in_backoff_since_update(key, self.now):
            self.event(pod, "Normal", "BackOff", f'Back-off pulling image "{image}"')
            self.event(pod, "Warning", "Failed", "Error: ImagePullBackOff")
            last = getattr(c, "_last_pull_error", "")
            msg = f'Back-off pulling image "{image}": ErrImagePull: {last}' if last else f'Back-off pulling image "{image}"'
            self._image_failed(rt, c, "ImagePullBackOff", msg)
            return
        auths = self._pull_auths(rt, pod)
        self.event(pod, "Normal", "Pulling", f'Pulling image "{image}"')
        self.flow("runtime", "pull", rt, image)
        c.busy = True
        reg = self.registry
        res = reg.pull(image, auths=auths)
        start = max(self.now, self.pull_busy_until)  # serializeImagePulls: one pull at a time per node
        seconds = float(getattr(res, "seconds", 0.0) or 0.0)
        queued_same = self.pulls_of.get(ref, -1.0) > self.now - 1e-9 or ref in self.images
        if (present or queued_same) and getattr(res, "ok", False):
            # layers cached (or pulled by the pull queued before this one): only the manifest is fetched
            seconds = min(seconds, timing.CACHED_PULL_SECONDS)
        done = start + seconds
        self.pull_busy_until = done
        if getattr(res, "ok", False):
            self.pulls_of[ref] = done
        requested = self.now
        self.cluster.clock.at(done, self._pull_done, rt, c, image, key, res, seconds, requested, label="pull")

    def _image_for_status(self, res: Any, image: str) -> None:
        """A newly pulled image appears in Node.status.images at the next node status update
        (kubelet_node_status.go, nodeStatusUpdateFrequency = 10 s) — what ImageLocality scores."""
        lk = getattr(res, "lookup", None)
        names = [n for n in (getattr(lk, "image_id", None), getattr(lk, "reference", None)) if n] or [self._norm(image)]
        self.pending_images.append({"names": names, "sizeBytes": int(getattr(res, "size_bytes", 0) or 0)})
        if self.status_timer is None:
            at = (int(self.now // 10) + 1) * 10.0
            self.status_timer = self.cluster.clock.at(at, self._node_status_update, label="node status")

    def _node_status_update(self) -> None:
        self.status_timer = None
        if not self.up or not self.pending_images:
            return
        node = self.cluster.store.get("Node", "", self.node)
        if node is None:
            return
        status = node.setdefault("status", {})
        images = list(status.get("images") or [])
        known = {n for e in images for n in e.get("names") or []}
        for e in self.pending_images:
            if not known.intersection(e["names"]):
                images.append(e)
        self.pending_images = []
        status["images"] = images
        self.cluster.apiserver.update(node)

    def _pull_auths(self, rt: PodRuntime, pod: Obj) -> dict[str, Any]:
        """Credentials from imagePullSecrets (kubernetes.io/dockerconfigjson .dockerconfigjson auths)."""
        import json

        auths: dict[str, Any] = {}
        missing = []
        for ref in (pod.get("spec") or {}).get("imagePullSecrets") or []:
            name = (ref or {}).get("name", "")
            sec = self.cluster.store.get("Secret", rt.namespace, name)
            if sec is None:
                missing.append(name)
                continue
            # credentialprovider/secrets MakeDockerKeyring: only these types (with their key) count
            data = secret_data(sec)
            stype = sec.get("type") or "Opaque"
            if stype == "kubernetes.io/dockerconfigjson":
                raw = data.get(".dockerconfigjson")
            elif stype == "kubernetes.io/dockercfg":
                raw = data.get(".dockercfg")
            else:
                raw = None
            if not raw:
                continue
            try:
                cfg = json.loads(raw)
            except ValueError:
                continue
            entries = cfg.get("auths", cfg) if isinstance(cfg, dict) else {}
            if isinstance(entries, dict):
                for server, cred in entries.items():
                    auths[str(server)] = cred
        if missing:
            self.event(pod, "Warning", "FailedToRetrieveImagePullSecret",
                       f"Unable to retrieve some image pull secrets ({', '.join(missing)}); attempting to pull "
                       "the image may not succeed.")
        return auths

    def _pull_done(self, rt: PodRuntime, c: ContainerRuntime, image: str, key: str, res: Any, seconds: float,
                   requested: float) -> None:
        c.busy = False
        if rt.uid not in self.pods or rt.terminating or not self.up:
            if rt.uid in self.pods and rt.terminating:
                self._check_terminated(rt)
            return
        if c in rt.containers and c is not rt.containers[-1]:
            # SyncPod's start loop goes on with the containers after this one (not this one again)
            self.cluster.clock.soon(self._continue_start, rt, c, label=f"sync {rt.ref}")
        pod = self.objs[rt.uid]
        if getattr(res, "ok", False):
            if self._norm(image) not in self.images:
                self._image_for_status(res, image)
            self.images.add(self._norm(image))
            size = int(getattr(res, "size_bytes", 0) or 0)
            total = self.now - requested
            self.event(pod, "Normal", "Pulled",
                       f'Successfully pulled image "{image}" in {_go_duration(seconds)} '
                       f'({_go_duration(total)} including waiting). Image size: {size} bytes.')
            lk = getattr(res, "lookup", None)
            c.image_id = getattr(lk, "image_id", "") or ""
            c.image_ref = getattr(lk, "reference", "") or image
            self.create_container(rt, c)
            self.write_status(rt)
            return
        err = getattr(res, "error", "") or "failed to pull image"
        self.event(pod, "Warning", "Failed", f'Failed to pull image "{image}": {err}')
        self.event(pod, "Warning", "Failed", "Error: ErrImagePull")
        self.image_backoff.next(key, self.now)
        c._last_pull_error = err
        self._image_failed(rt, c, "ErrImagePull", err)
        self.write_status(rt)

    def _image_failed(self, rt: PodRuntime, c: ContainerRuntime, reason: str, message: str) -> None:
        self._to_waiting(c, reason, message)
        self.flow("kubelet", "image", rt, f"{c.name}: {reason}")
        self.request_sync(rt, timing.SYNC_ERROR_REQUEUE_SECONDS)

    # -- create + start --------------------------------------------------------------------------------
    def _container_env(self, rt: PodRuntime, c: ContainerRuntime) -> dict[str, str]:
        pod = self.objs[rt.uid]
        return make_environment(pod, c.spec, self.cluster.store.get, self.allocatable)

    def create_container(self, rt: PodRuntime, c: ContainerRuntime) -> None:
        pod = self.objs[rt.uid]
        # generateContainerConfig: environment (CreateContainerConfigError)
        status = pod.setdefault("status", {})
        status["podIP"] = rt.pod_ip
        try:
            env = self._container_env(rt, c)
        except ConfigError as exc:
            self.event(pod, "Warning", "Failed", f"Error: {exc}")
            self._to_waiting(c, "CreateContainerConfigError", str(exc))
            self.flow("kubelet", "config", rt, f"{c.name}: CreateContainerConfigError")
            self.request_sync(rt, timing.SYNC_ERROR_REQUEUE_SECONDS)
            return
        command = expand_list(c.spec.get("command"), env) if c.spec.get("command") is not None else None
        args = expand_list(c.spec.get("args"), env) if c.spec.get("args") is not None else None
        restart = c.instance is not None
        self.container_counter += 1
        cid = hashlib.sha256(f"{rt.uid}/{c.name}/{self.container_counter}".encode()).hexdigest()
        fs = self.manager.runtime.new_fs(self, rt, c)
        inst = Instance(id=f"containerd://{cid}", fs=fs, env=env, started_at=self.now)
        if restart:
            c.restart_count += 1
        self.event(pod, "Normal", "Created", f"Created container: {c.name}")
        self.flow("runtime", "create", rt, c.name)
        lookup = self.registry.resolve(c.spec.get("image", "")) if self.registry is not None else None
        ports = [p.get("containerPort") for p in c.spec.get("ports") or [] if isinstance(p, dict)]
        try:
            proc = self.manager.runtime.start(lookup, command, args, env, fs, self.now, ports, _memory_limit(c.spec))
        except Exception as exc:  # runtime.StartError
            if not hasattr(exc, "exit_code"):
                raise
            message = getattr(exc, "message", str(exc))
            self.event(pod, "Warning", "Failed", f"Error: {message}")
            if c.instance is not None:
                c.last_terminated = c.instance
            c.previous = c.instance
            inst.finished_at = self.now
            inst.exit_code = int(getattr(exc, "exit_code", 128))
            inst.reason = "StartError"
            inst.message = message
            c.instance = inst
            if c.state == "Terminated":
                machines.fire(c, "back_off")
            machines.fire(c, "fail_start")
            c.reason, c.message = "StartError", message
            c.started = False
            c.ready = False
            if self._should_restart(rt, c):
                # convertToAPIContainerStatuses: a container that will be restarted shows the
                # reasonCache entry of the failed start (kuberuntime: ErrRunContainer)
                self._to_waiting(c, "RunContainerError", message)
            self.flow("runtime", "start-error", rt, c.name)
            c.observed_at = self.now + timing.PLEG_RELIST_SECONDS
            self.request_sync(rt, timing.PLEG_RELIST_SECONDS)
            return
        inst.proc = proc
        # exec sessions (kubectl exec, exec probes and hooks) start from the process's own
        # environment: the kubelet's variables in the same order plus the PATH/HOSTNAME/HOME an
        # exec would add anyway, so the same result with one dict per container instead of two
        inst.env = proc.env
        if c.instance is not None:
            c.last_terminated = c.instance
        c.previous = c.instance
        c.instance = inst
        machines.fire(c, "restart" if c.state == "Terminated" else "start")
        c.reason = None
        c.message = None
        c.started = not any(w.type == "startup" for w in c.probe_workers)
        c.ready = False
        self.event(pod, "Normal", "Started", f"Started container {c.name}")
        self.flow("runtime", "start", rt, c.name)
        self._post_start(rt, c)
        self._watch_process(rt, c)
        self._update_ready(rt, c)
        if c.started:
            self._trigger_readiness(c)
            if c.kind == "sidecar":
                self.request_sync(rt)  # the next init container / the main containers may start

    def _post_start(self, rt: PodRuntime, c: ContainerRuntime) -> None:
        hook = ((c.spec.get("lifecycle") or {}).get("postStart")) or None
        if not hook:
            return
        ok, _spent = self._run_handler(rt, c, hook, None)
        if not ok:
            # startContainer: event without the handler output, kill with message FailedPostStartHook,
            # return ErrPostStartHook (reasonCache → waiting PostStartHookError on the next status)
            pod = self.objs[rt.uid]
            self.event(pod, "Warning", "FailedPostStartHook", "PostStartHook failed")
            c.kill_kind = "poststart"
            c.hook_error = self._hook_error_message(rt, c, hook)
            self.kill_container(rt, c, "FailedPostStartHook", self._grace(pod))

    def _hook_error_message(self, rt: PodRuntime, c: ContainerRuntime, hook: Obj) -> str:
        """handlers.go runner.Run: the message that reaches the waiting state."""
        pod = self.objs[rt.uid]
        if "exec" in hook:
            argv = [str(a) for a in ((hook.get("exec") or {}).get("command") or [])]
            code, out = getattr(c, "_hook_result", (1, ""))
            return (f'Exec lifecycle hook ([{" ".join(argv)}]) for Container "{c.name}" in Pod "{pod_desc(pod)}" '
                    f"failed - error: command '{' '.join(argv)}' exited with {code}: {out}, message: \"{out}\"")
        h = hook.get("httpGet") or {}
        return (f'HTTP lifecycle hook ({h.get("path", "/")}) for Container "{c.name}" in Pod "{pod_desc(pod)}" '
                f"failed - error: Get \"http://{rt.pod_ip}:{h.get('port')}{h.get('path', '/')}\": dial tcp "
                f"{rt.pod_ip}:{h.get('port')}: connect: connection refused, message: \"\"")

    # -- process watching ----------------------------------------------------------------------------
    def _watch_process(self, rt: PodRuntime, c: ContainerRuntime) -> None:
        self._check_process(rt, c)

    def _check_process(self, rt: PodRuntime, c: ContainerRuntime) -> None:
        c.wake_timer = None
        inst = c.instance
        if inst is None or inst.proc is None or not c.running or rt.uid not in self.pods:
            return
        proc = inst.proc
        now = self.now
        proc.advance(now)
        if not proc.exited:
            limit = _memory_limit(c.spec)
            if limit is not None and proc.memory_bytes(now) > limit:
                proc.oom_kill(now)
        if proc.exited:
            self._container_exited(rt, c)
            return
        if not self.up:
            return
        t = proc.next_wakeup()
        if t is not None:
            c.wake_timer = self.cluster.clock.at(max(t, now), self._check_process, rt, c, label="process")

    def poke(self, rt: PodRuntime) -> None:
        """Something outside changed a process (kubectl exec kill 1): look at once."""
        for c in rt.all_containers():
            if c.running:
                if c.wake_timer is not None:
                    c.wake_timer.cancel()
                c.wake_timer = self.cluster.clock.soon(self._check_process, rt, c, label="process")

    def _container_exited(self, rt: PodRuntime, c: ContainerRuntime) -> None:
        proc = c.instance.proc
        inst = c.instance
        inst.finished_at = proc.exit_time if getattr(proc, "exit_time", None) is not None else self.now
        inst.exit_code = int(proc.exit_code)
        if getattr(proc, "oom_killed", False):
            inst.reason = "OOMKilled"
        else:
            inst.reason = "Completed" if inst.exit_code == 0 else "Error"
        machines.fire(c, "exit")
        c.reason = inst.reason
        c.message = None
        c.ready = False
        c.started = False
        was_killing = c.killing
        c.killing = False
        kill_kind, c.kill_kind = c.kill_kind, None
        if kill_kind == "poststart":
            was_killing = False  # the error is returned; the next sync (PLEG) restarts with back-off
        if c.kill_timer is not None:
            c.kill_timer.cancel()
            c.kill_timer = None
        self.flow("runtime", "exit", rt, f"{c.name}: {inst.reason} ({inst.exit_code})")
        if rt.terminating:
            self._check_terminated(rt)
            return
        if kill_kind == "poststart" and self._should_restart(rt, c):
            self._to_waiting(c, "PostStartHookError", c.hook_error)
        self.write_status(rt)
        # kubelet-initiated kills restart in the same sync; exits are noticed by the PLEG relist
        delay = 0.0 if was_killing else timing.PLEG_RELIST_SECONDS
        c.restart_after_kill = was_killing
        c.observed_at = self.now + delay
        self.request_sync(rt, delay)

    # -- killContainer --------------------------------------------------------------------------------
    def _grace(self, pod: Obj) -> int:
        spec = pod.get("spec") or {}
        g = spec.get("terminationGracePeriodSeconds")
        return 30 if g is None else int(g)

    def kill_container(self, rt: PodRuntime, c: ContainerRuntime, message: str, grace: int) -> None:
        pod = self.objs[rt.uid]
        if not c.running or c.killing:
            return
        c.killing = True
        c.kill_message = message
        self.event(pod, "Normal", "Killing", message)
        self.flow("kubelet", "kill", rt, f"{c.name}: {message}")
        hook = ((c.spec.get("lifecycle") or {}).get("preStop")) or None
        spent = 0.0
        if hook:
            ok, spent = self._run_handler(rt, c, hook, grace)
            spent = min(spent, float(grace))
            if not ok:
                self.event(pod, "Warning", "FailedPreStopHook", "PreStopHook failed")
            self.flow("runtime", "preStop", rt, f"{c.name}: {spent:g}s")
        left = grace - int(spent)
        if left < timing.MINIMUM_GRACE_PERIOD_SECONDS:
            left = timing.MINIMUM_GRACE_PERIOD_SECONDS
        self.cluster.clock.at(self.now + spent, self._sigterm, rt, c, left, label="sigterm")

    def _sigterm(self, rt: PodRuntime, c: ContainerRuntime, left: float) -> None:
        if not c.running or c.instance is None or c.instance.proc is None:
            return
        proc = c.instance.proc
        proc.advance(self.now)
        if not proc.exited:
            proc.signal("TERM", self.now)
            self.flow("runtime", "sigterm", rt, c.name)
        if proc.exited:
            self._check_process(rt, c)
            return
        if c.wake_timer is not None:
            c.wake_timer.cancel()
        self._check_process(rt, c)
        if c.running:
            c.kill_timer = self.cluster.clock.after(left, self._sigkill, rt, c, label="sigkill")

    def _sigkill(self, rt: PodRuntime, c: ContainerRuntime) -> None:
        c.kill_timer = None
        if not c.running or c.instance is None or c.instance.proc is None:
            return
        proc = c.instance.proc
        proc.advance(self.now)
        if not proc.exited:
            proc.signal("KILL", self.now)
            self.flow("runtime", "sigkill", rt, c.name)
        if c.wake_timer is not None:
            c.wake_timer.cancel()
        self._check_process(rt, c)

    def _run_handler(self, rt: PodRuntime, c: ContainerRuntime, hook: Obj, timeout: float | None) -> tuple[bool, float]:
        """A lifecycle handler (exec / httpGet / sleep). (ok, seconds taken)."""
        inst = c.instance
        if "exec" in hook:
            argv = [str(a) for a in ((hook.get("exec") or {}).get("command") or [])]
            if not argv or inst is None:
                return False, 0.0
            r = self.manager.runtime.exec(argv, inst.env, inst.fs, self.now, timeout, inst.proc)
            c._hook_result = (r.exit_code, (r.output or "").rstrip("\n"))
            return (r.exit_code == 0 and not getattr(r, "timed_out", False)), float(getattr(r, "seconds_taken", 0.0))
        if "httpGet" in hook:
            h = hook.get("httpGet") or {}
            port = self._resolve_port(c, h.get("port"))
            code = inst.proc.http_get(port, h.get("path", "/"), self.now) if inst and inst.proc else None
            return (code is not None and 200 <= code < 400), 0.0
        if "sleep" in hook:
            return True, float((hook.get("sleep") or {}).get("seconds", 0))
        return True, 0.0

    # -- termination of the pod --------------------------------------------------------------------------
    def start_termination(self, pod: Obj) -> None:
        rt = self.pods.get(pod["metadata"]["uid"])
        if rt is None or rt.terminating:
            return
        rt.terminating = True
        self.flow("kubelet", "terminate", rt, "deletionTimestamp seen: killing containers")
        if not self.up:
            return
        self._kill_all(rt, pod)

    def _kill_all(self, rt: PodRuntime, pod: Obj) -> None:
        grace = int(pod["metadata"].get("deletionGracePeriodSeconds") or 0)
        if rt.sync_timer is not None:
            rt.sync_timer.cancel()
            rt.sync_timer = None
        for c in rt.all_containers():
            # liveness/startup stop (worker.go); readiness goes on and a running container keeps its
            # `ready` (kubectl shows "1/1 Terminating"); Services stop routing because the
            # EndpointSlice marks the endpoint terminating, not because the pod turned unready.
            for w in c.probe_workers:
                if w.type in ("liveness", "startup"):
                    w.stop()
        # regular containers first, then sidecars in reverse order (terminationOrdering)
        order = list(rt.containers) + [c for c in reversed(rt.init) if c.kind == "sidecar"] + \
            [c for c in rt.init if c.kind == "init"]
        for c in order:
            if c.running:
                self.kill_container(rt, c, f"Stopping container {c.name}", grace)
        self.write_status(rt)
        self._check_terminated(rt)

    def _check_terminated(self, rt: PodRuntime) -> None:
        if rt.terminated_final or rt.uid not in self.pods:
            return
        if any(c.running for c in rt.all_containers()):
            return
        # a pull still in progress is abandoned: the pod worker cancels the SyncPod context
        rt.terminated_final = True
        pod = self.objs[rt.uid]
        self.cluster.clock.after(timing.FINAL_DELETE_SECONDS, self._final_delete, rt, pod, label="final delete")

    def _final_delete(self, rt: PodRuntime, pod: Obj) -> None:
        # generateAPIPodStatus with podIsTerminal: Succeeded iff every container succeeded
        ran = [c for c in rt.containers if c.ever_ran]
        if ran and all(c.terminated for c in rt.containers):
            target = "Succeeded" if all(c.succeeded for c in rt.containers) else "Failed"
            if rt.phase != target and rt.phase not in ("Succeeded", "Failed"):
                machines.fire(rt, machines.phase_trigger(rt.phase, target))
        self.write_status(rt, final=True)
        self.flow("kubelet", "delete", rt, "all containers stopped: delete with grace 0")
        self.cluster.apiserver.remove(pod, actor="kubelet")
        self._forget(rt)

    # -- probes ------------------------------------------------------------------------------------------
    def run_probe(self, rt: PodRuntime, c: ContainerRuntime, probe: Obj, ptype: str) -> tuple[bool, str]:
        pod = self.objs[rt.uid]
        ok, output = self._probe(rt, c, probe)
        title = TYPE_TITLE[ptype]
        if not ok and output.startswith(ERRORED):
            self.event(pod, "Warning", "Unhealthy", f"{title} probe errored: {output[len(ERRORED):]}")
        elif not ok:
            self.event(pod, "Warning", "Unhealthy", f"{title} probe failed: {output}")
        return ok, output

    def _probe(self, rt: PodRuntime, c: ContainerRuntime, probe: Obj) -> tuple[bool, str]:
        inst = c.instance
        proc = inst.proc if inst else None
        now = self.now
        ip = rt.pod_ip
        timeout = probe_setting(probe, "timeoutSeconds")
        if "exec" in probe:
            argv = [str(a) for a in ((probe.get("exec") or {}).get("command") or [])]
            r = self.manager.runtime.exec(argv, inst.env, inst.fs, now, timeout, proc)
            if getattr(r, "error", None):
                return False, ERRORED + f"rpc error: code = Unknown desc = {r.error}"
            if getattr(r, "timed_out", False):
                return False, f'command "{" ".join(argv)}" timed out'
            return r.exit_code == 0, (r.output or "").rstrip("\n")
        if "httpGet" in probe:
            h = probe.get("httpGet") or {}
            port = self._resolve_port(c, h.get("port"))
            path = h.get("path") or "/"
            host = h.get("host") or ip
            scheme = (h.get("scheme") or "HTTP").lower()
            code = proc.http_get(port, path, now) if proc is not None else None
            if code is None:
                return False, (f'Get "{scheme}://{host}:{port}{path}": dial tcp {host}:{port}: connect: '
                               "connection refused")
            if code == -1:  # the port is open but does not speak HTTP (Go's client error)
                return False, (f'Get "{scheme}://{host}:{port}{path}": net/http: HTTP/1.x transport connection '
                               'broken: malformed HTTP response')
            if 200 <= code < 400:
                return True, ""
            return False, f"HTTP probe failed with statuscode: {code}"
        if "tcpSocket" in probe:
            t = probe.get("tcpSocket") or {}
            port = self._resolve_port(c, t.get("port"))
            host = t.get("host") or ip
            if proc is not None and proc.tcp_open(port, now):
                return True, ""
            return False, f"dial tcp {host}:{port}: connect: connection refused"
        if "grpc" in probe:
            port = int((probe.get("grpc") or {}).get("port", 0))
            # pkg/probe/grpc/grpc.go
            health = proc.grpc_health(port, now) if proc is not None and hasattr(proc, "grpc_health") else (
                "SERVING" if proc is not None and proc.tcp_open(port, now) else None)
            if health == "SERVING":
                return True, ""
            if health == "UNIMPLEMENTED":
                return False, ("error: this server does not implement the grpc health protocol "
                               "(grpc.health.v1.Health): unknown service grpc.health.v1.Health")
            return False, (f'timeout: failed to connect service "{ip}:{port}" within {timeout}s: '
                           "context deadline exceeded")
        return True, ""

    def _resolve_port(self, c: ContainerRuntime, port: Any) -> int:
        if isinstance(port, int):
            return port
        s = str(port)
        if s.isdigit():
            return int(s)
        for p in c.spec.get("ports") or []:
            if isinstance(p, dict) and p.get("name") == s:
                return int(p.get("containerPort", 0))
        return 0

    def probe_result_changed(self, rt: PodRuntime, c: ContainerRuntime, ptype: str, result: str) -> None:
        if rt.uid not in self.pods:
            return
        pod = self.objs[rt.uid]
        if ptype == "readiness":
            self._update_ready(rt, c)
            self.write_status(rt)
            return
        if ptype == "startup" and result == "Success":
            c.started = True
            self._update_ready(rt, c)
            self.write_status(rt)
            self._trigger_readiness(c)
            self.request_sync(rt)  # a started sidecar lets the next init container go
            return
        if result == "Failure" and c.running and not rt.terminating:
            # computePodActions: liveness/startup failure -> kill (and restart if the policy allows)
            what = "liveness" if ptype == "liveness" else "startup"
            policy = self.restart_policy_of(rt, c)
            msg = f"Container {c.name} failed {what} probe"
            if policy in ("Always", "OnFailure"):
                msg += ", will be restarted"
            grace = probe.get("terminationGracePeriodSeconds") if (probe := c.spec.get(
                "livenessProbe" if ptype == "liveness" else "startupProbe") or {}) else None
            self.kill_container(rt, c, msg, int(grace) if grace is not None else self._grace(pod))

    def _trigger_readiness(self, c: ContainerRuntime) -> None:
        for w in c.probe_workers:
            if w.type == "readiness":
                w.trigger_now()

    def _update_ready(self, rt: PodRuntime, c: ContainerRuntime) -> None:
        """prober_manager.UpdatePodStatus: ready = running && started && readiness Success (or none)."""
        if c.kind == "init":
            c.ready = c.succeeded
            return
        rw = [w for w in c.probe_workers if w.type == "readiness"]
        ok = c.running and c.started
        if rw:
            ok = ok and rw[0].result == "Success"
        c.ready = ok

    # -- status ------------------------------------------------------------------------------------------
    def compute_phase(self, rt: PodRuntime) -> str:
        """kubelet_pods.go getPhase."""
        spec = self.objs[rt.uid].get("spec") or {}
        policy = spec.get("restartPolicy") or "Always"
        pending_init = failed_init = 0
        for c in rt.init:
            if c.kind == "sidecar":
                if (c.running and not c.started) or (c.state == "Waiting" and not c.ever_ran):
                    pending_init += 1
                continue
            if c.succeeded:
                continue
            if c.running or (c.state == "Waiting" and not c.ever_ran):
                pending_init += 1
            elif c.instance is not None and c.instance.exit_code not in (0, None):
                failed_init += 1      # terminated != 0, or waiting after such a termination
            else:
                pending_init += 1
        running = stopped = succeeded = waiting = 0
        for c in rt.containers:
            if c.running:
                running += 1
            elif c.terminated:
                stopped += 1
                if c.instance.exit_code == 0:
                    succeeded += 1
            elif c.ever_ran:
                stopped += 1          # waiting after a previous termination
            else:
                waiting += 1
        if failed_init > 0 and policy == "Never":
            return "Failed"
        if pending_init > 0 or waiting > 0:
            return "Pending"
        if running > 0:
            return "Running"
        if stopped > 0:
            if policy == "Always":
                return "Running"
            if stopped == succeeded:
                return "Succeeded"
            if policy == "Never":
                return "Failed"
            return "Running"
        return "Pending"

    def write_status(self, rt: PodRuntime, final: bool = False) -> None:
        if rt.uid not in self.objs or rt.rejected:
            return
        pod = self.objs[rt.uid]
        if not self.up:
            return
        phase = self.compute_phase(rt)
        if rt.phase in ("Succeeded", "Failed"):
            phase = rt.phase  # a terminal phase never changes
        if phase != rt.phase:
            machines.fire(rt, machines.phase_trigger(rt.phase, phase))
            if phase in ("Succeeded", "Failed"):
                self._pod_finished(rt)
        old = pod.get("status") or {}
        status: Obj = {"phase": rt.phase}
        conds = list(old.get("conditions") or [])   # set_condition replaces, never changes, a condition
        status["conditions"] = conds
        now = self.now
        set_condition(status, "PodScheduled", "True", now)
        # GeneratePodReadyToStartContainersCondition: SyncTerminatingPod stops the sandbox of a finished pod
        sandbox = rt.sandbox_ready and not rt.terminated_final and not (
            rt.phase in ("Succeeded", "Failed") and not any(c.running for c in rt.all_containers()))
        set_condition(status, "PodReadyToStartContainers", "True" if sandbox else "False", now)
        # Initialized (status/generate.go GeneratePodInitializedCondition)
        incomplete = [c.name for c in rt.init if not ((c.kind == "init" and c.succeeded) or
                                                      (c.kind == "sidecar" and c.started and c.running))]
        any_started = any(c.ever_ran for c in rt.containers)
        if not incomplete or any_started:
            set_condition(status, "Initialized", "True", now)
        else:
            set_condition(status, "Initialized", "False", now, "ContainersNotInitialized",
                          f"containers with incomplete status: [{' '.join(incomplete)}]")
        unready = [c.name for c in rt.containers if not c.ready] + \
            [c.name for c in rt.init if c.kind == "sidecar" and not c.ready]
        if rt.phase in ("Succeeded", "Failed"):
            reason = "PodCompleted" if rt.phase == "Succeeded" else "PodFailed"
            set_condition(status, "ContainersReady", "False", now, reason)
            set_condition(status, "Ready", "False", now, reason)
        elif unready:
            msg = f"containers with unready status: [{' '.join(unready)}]"
            set_condition(status, "ContainersReady", "False", now, "ContainersNotReady", msg)
            set_condition(status, "Ready", "False", now, "ContainersNotReady", msg)
        else:
            set_condition(status, "ContainersReady", "True", now)
            # GeneratePodReadyCondition: every readiness gate's condition must be True
            unready = []
            by_type = {c.get("type"): c for c in conds}
            for gate in (pod.get("spec") or {}).get("readinessGates") or []:
                ctype = (gate or {}).get("conditionType", "")
                cond = by_type.get(ctype)
                if cond is None:
                    unready.append(f'corresponding condition of pod readiness gate "{ctype}" does not exist.')
                elif cond.get("status") != "True":
                    unready.append(f'the status of pod readiness gate "{ctype}" is not "True", but {cond.get("status")}')
            if unready:
                set_condition(status, "Ready", "False", now, "ReadinessGatesNotReady", ", ".join(unready))
            else:
                set_condition(status, "Ready", "True", now)
        order = {"PodReadyToStartContainers": 0, "Initialized": 1, "Ready": 2, "ContainersReady": 3, "PodScheduled": 4}
        conds.sort(key=lambda c: order.get(c["type"], 9))
        status["conditions"] = share_conditions(conds, self.manager.shared_conditions)
        status["hostIP"] = ip = self.manager.node_ip(self.node)
        if self._host_ips is None or self._host_ips[0]["ip"] != ip:
            self._host_ips = [{"ip": ip}]
        status["hostIPs"] = self._host_ips   # one list per node: a status is replaced, never changed
        if rt.pod_ip:
            status["podIP"] = rt.pod_ip
            status["podIPs"] = [{"ip": rt.pod_ip}]
        if rt.start_time is not None:
            status["startTime"] = rt.start_time
        if old.get("qosClass"):
            status["qosClass"] = old["qosClass"]
        if rt.deadline_exceeded:
            status["reason"] = "DeadlineExceeded"
            status["message"] = "Pod was active on the node longer than the specified deadline"
        has_init = bool(rt.init)
        if rt.init:
            status["initContainerStatuses"] = [self._container_status(c, has_init) for c in rt.init]
        status["containerStatuses"] = sorted((self._container_status(c, has_init) for c in rt.containers),
                                             key=lambda s: s["name"])
        if status == old:
            return
        pod["status"] = status
        self.flow("kubelet", "status", rt, f"phase {rt.phase}")
        self.cluster.apiserver.update(pod)
        self.flow("etcd", "persist", rt, f"status, resourceVersion {pod['metadata']['resourceVersion']}")

    def _pod_finished(self, rt: PodRuntime) -> None:
        for c in rt.all_containers():
            for w in c.probe_workers:
                w.stop()
            if c.running and c.kind == "sidecar":
                self.kill_container(rt, c, f"Stopping container {c.name}", self._grace(self.objs[rt.uid]))

    def _container_status(self, c: ContainerRuntime, has_init: bool) -> Obj:
        image = c.spec.get("image", "")
        cs: Obj = {"name": c.name, "image": c.image_ref or image, "imageID": c.image_id,
                   "ready": bool(c.ready), "restartCount": c.restart_count, "started": bool(c.running and c.started)}
        inst = c.instance
        if c.running and inst is not None:
            cs["state"] = share_dict({"running": {"startedAt": inst.started_at}}, self.manager.shared_states)
            cs["containerID"] = inst.id
        elif c.terminated and inst is not None:
            t = {"exitCode": inst.exit_code, "reason": inst.reason, "startedAt": inst.started_at,
                 "finishedAt": inst.finished_at, "containerID": inst.id}
            if inst.message:
                t["message"] = inst.message
            cs["state"] = {"terminated": t}
            cs["containerID"] = inst.id
        else:
            w: Obj = {"reason": c.reason or ("PodInitializing" if has_init else "ContainerCreating")}
            if c.message:
                w["message"] = c.message
            cs["state"] = {"waiting": w}
        last = c.last_terminated if not c.terminated else c.previous
        if c.state == "Waiting" and inst is not None and inst.finished_at is not None:
            last = inst
        if last is not None and last.finished_at is not None:
            cs["lastState"] = {"terminated": {"exitCode": last.exit_code, "reason": last.reason,
                                              "startedAt": last.started_at, "finishedAt": last.finished_at,
                                              "containerID": last.id}}
        else:
            cs["lastState"] = _NO_LAST_STATE
        if not cs["imageID"]:
            cs.pop("imageID")
        return cs

    # -- node up/down --------------------------------------------------------------------------------------
    def set_up(self, up: bool) -> None:
        if up == self.up:
            return
        self.up = up
        if not up:
            return
        if self.pending_images and self.status_timer is None:
            self.status_timer = self.cluster.clock.at((int(self.now // 10) + 1) * 10.0, self._node_status_update,
                                                      label="node status")
        # resync every pod: processes ran on while the kubelet was away
        for rt in list(self.pods.values()):
            pod = self.objs[rt.uid]
            for c in rt.all_containers():
                if c.running:
                    self._check_process(rt, c)
                for w in c.probe_workers:
                    if not w.stopped and w.timer is None:
                        w.tick()
            if rt.terminating:
                if not any(c.killing for c in rt.all_containers()):
                    self._kill_all(rt, pod)
            else:
                self.write_status(rt)
                self.request_sync(rt)


_NO_LAST_STATE: Obj = {}   # containerStatuses[].lastState of a container that never ended (shared, never changed)


def _default_pull_policy(image: str) -> str:
    from kubetrainer.api.defaults import image_tag

    _repo, tag, digest = image_tag(image)
    if tag == "latest" or (not tag and not digest):
        return "Always"
    return "IfNotPresent"


def _memory_limit(spec: Obj) -> int | None:
    from kubetrainer.api.quantity import QuantityError, memory_bytes

    lim = ((spec.get("resources") or {}).get("limits") or {}).get("memory")
    if lim is None:
        return None
    try:
        return memory_bytes(lim)
    except QuantityError:
        return None


def _go_duration(seconds: float) -> str:
    """time.Duration.String() for the values the kubelet prints: 10s, 1m20s, 5m0s, 2.5s, 450ms."""
    if seconds <= 0:
        return "0s"
    if seconds < 1:
        ms = seconds * 1000
        return f"{ms:.0f}ms" if ms == int(ms) else f"{ms:g}ms"
    total = round(seconds, 9)
    h = int(total // 3600)
    m = int((total % 3600) // 60)
    s = total - h * 3600 - m * 60
    s_text = f"{s:.9f}".rstrip("0").rstrip(".") if s != int(s) else str(int(s))
    if h:
        return f"{h}h{m}m{s_text}s"
    if m:
        return f"{m}m{s_text}s"
    return f"{s_text}s"


# distribution/reference regexp.go (the grammar ParseNormalizedNamed checks)
_ALNUM = r"[a-z0-9]+"
_SEP = r"(?:[._]|__|[-]+)"
_PATH = rf"{_ALNUM}(?:{_SEP}{_ALNUM})*"
_DOMAIN_COMPONENT = r"(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])"
_HOST = rf"(?:{_DOMAIN_COMPONENT}(?:\.{_DOMAIN_COMPONENT})*|\[(?:[a-fA-F0-9:]+)\])"
_REFERENCE = re.compile(
    rf"^((?:{_HOST}(?::[0-9]+)?/)?{_PATH}(?:/{_PATH})*)(?::([\w][\w.-]{{0,127}}))?"
    r"(?:@([A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}))?$")


def image_name_error(image: str) -> str | None:
    """reference.ParseNormalizedNamed's error for an image name, or None when it parses
    (pkg/util/parsers ParseImageName; splitDockerDomain; 'must be lowercase'; 'invalid reference format')."""
    if not image:
        return "invalid reference format"
    if re.fullmatch(r"[a-f0-9]{64}", image):
        return f"invalid repository name ({image}), cannot specify 64-byte hexadecimal strings"
    i = image.find("/")
    first = image[:i] if i >= 0 else ""
    if i == -1 or (not any(ch in first for ch in ".:") and first != "localhost" and first.lower() == first):
        domain, remainder = "docker.io", image
    else:
        domain, remainder = first, image[i + 1:]
    if domain == "index.docker.io":
        domain = "docker.io"
    if domain == "docker.io" and "/" not in remainder:
        remainder = "library/" + remainder
    sep = remainder.find(":")
    remote = remainder[:sep] if sep > -1 else remainder
    if remote.lower() != remote:
        return f"invalid reference format: repository name ({remote}) must be lowercase"
    m = _REFERENCE.match(f"{domain}/{remainder}")
    if m is None:
        return "invalid reference format"
    if len(m.group(1)) > 255:
        return "invalid reference format: repository name must not be more than 255 characters"
    return None
