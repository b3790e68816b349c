"""The kubelets of the simulated cluster: one `Kubelet` per node, driven by one watch on Pods.

`KubeletManager` is the Component the Cluster attaches; it hands each bound pod to its node's
Kubelet (kubetrainer.sim.kubelet.kubelet), and adapts the container runtime
(kubetrainer.sim.runtime) to what the kubelet calls.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kubetrainer.sim.kubelet.kubelet import Kubelet
from kubetrainer.sim.kubelet.models import ContainerRuntime, Instance, PodRuntime

if TYPE_CHECKING:
    from kubetrainer.sim.cluster import Cluster

__all__ = ["KubeletManager", "Kubelet", "PodRuntime", "ContainerRuntime", "Instance", "RuntimeAdapter"]

Obj = dict[str, Any]


class RuntimeAdapter:
    """What the kubelet asks of the container runtime (CRI), over kubetrainer.sim.runtime."""

    def __init__(self, cluster: "Cluster") -> None:
        self.cluster = cluster

    def new_fs(self, kubelet: Kubelet, rt: PodRuntime, c: ContainerRuntime) -> Any:
        from kubetrainer.sim.runtime import ContainerFS

        mounts: dict[str, Any] = {}
        for vm in c.spec.get("volumeMounts") or []:
            if not isinstance(vm, dict):
                continue
            vol = self.pod_volume(kubelet, rt, vm.get("name", ""))
            if vol is not None and vm.get("mountPath"):
                mounts[vm["mountPath"]] = vol
        from kubetrainer.sim.kubelet.network import PodNetwork

        spec = kubelet.objs[rt.uid].get("spec") or {}
        fs = ContainerFS(mounts=mounts, hostname=str(spec.get("hostname") or rt.name))
        net = PodNetwork(self.cluster, kubelet, rt)
        fs.resolver = net.resolve
        fs.network = net.request
        fs.dns_server = "10.96.0.10"
        # the projected service-account volume every pod gets (kube-api-access-*)
        sa = "/var/run/secrets/kubernetes.io/serviceaccount/"
        fs.root.put(sa + "namespace", rt.namespace)
        fs.root.put(sa + "token", "eyJhbGciOiJSUzI1NiJ9.simulated")
        fs.root.put(sa + "ca.crt", "-----BEGIN CERTIFICATE-----\nsimulated\n-----END CERTIFICATE-----\n")
        return fs

    def pod_volume(self, kubelet: Kubelet, rt: PodRuntime, name: str) -> Any:
        from kubetrainer.sim.kubelet.env import secret_data
        from kubetrainer.sim.runtime import ContainerFS

        if name in rt.volumes:
            return rt.volumes[name]
        pod = kubelet.objs[rt.uid]
        spec = None
        for v in (pod.get("spec") or {}).get("volumes") or []:
            if isinstance(v, dict) and v.get("name") == name:
                spec = v
        if spec is None:
            return None
        files: dict[str, str] = {}
        readonly = False
        store = self.cluster.store
        if "configMap" in spec:
            cm = store.get("ConfigMap", rt.namespace, (spec["configMap"] or {}).get("name", "")) or {}
            files = {k: str(v) for k, v in (cm.get("data") or {}).items()}
            files = _project(files, (spec["configMap"] or {}).get("items"))
            readonly = True
        elif "secret" in spec:
            sec = store.get("Secret", rt.namespace, (spec["secret"] or {}).get("secretName", ""))
            files = _project(secret_data(sec) if sec else {}, (spec["secret"] or {}).get("items"))
            readonly = True
        elif "downwardAPI" in spec:
            from kubetrainer.sim.kubelet.env import _field_ref

            for item in (spec["downwardAPI"] or {}).get("items") or []:
                fr = (item or {}).get("fieldRef")
                if fr:
                    try:
                        files[item.get("path", "")] = _field_ref(pod, fr.get("fieldPath", ""))
                    except Exception:  # noqa: BLE001 - unsupported field paths give an empty file
                        files[item.get("path", "")] = ""
            readonly = True
        elif "hostPath" in spec or "persistentVolumeClaim" in spec:
            key = self._durable_key(kubelet, rt, spec)
            vol = self.cluster.shared_volumes.get(key)
            if vol is None:
                vol = ContainerFS.new_volume(name=name)
                self.cluster.shared_volumes[key] = vol
            rt.volumes[name] = vol
            return vol
        vol = ContainerFS.new_volume(files, readonly=readonly, name=name)
        rt.volumes[name] = vol
        return vol

    def _durable_key(self, kubelet: Kubelet, rt: PodRuntime, spec: Obj) -> tuple[str, ...]:
        """Volumes whose files outlive the pod: a hostPath directory of the node, and a claim's
        PersistentVolume (wherever its pod runs: the scheduler does not check a volume's node
        affinity, so a StatefulSet pod that comes back elsewhere still finds its files). A claim
        not bound yet gets a place of its own."""
        if "hostPath" in spec:
            return ("hostPath", kubelet.node, (spec["hostPath"] or {}).get("path", ""))
        claim = str((spec["persistentVolumeClaim"] or {}).get("claimName") or "")
        pvc = self.cluster.store.get("PersistentVolumeClaim", rt.namespace, claim) or {}
        pv_name = (pvc.get("spec") or {}).get("volumeName") or ""
        pv = self.cluster.store.get("PersistentVolume", "", pv_name) if pv_name else None
        if pv is None:
            return ("PersistentVolumeClaim", rt.namespace, claim, rt.uid)
        return ("PersistentVolume", pv_name)

    def start(self, lookup: Any, command: list[str] | None, args: list[str] | None, env: dict[str, str],
              fs: Any, now: float, ports: list[int], memory_limit: int | None = None) -> Any:
        from kubetrainer.sim.runtime import start_process

        return start_process(lookup, command, args, env, fs, now, ports=ports, memory_limit=memory_limit)

    def exec(self, argv: list[str], env: dict[str, str], fs: Any, now: float, timeout: float | None,
             proc: Any) -> Any:
        from kubetrainer.sim.runtime import exec_command

        return exec_command(argv, env, fs, now, timeout=timeout, proc=proc)


def _project(files: dict[str, str], items: list | None) -> dict[str, str]:
    if not items:
        return files
    out = {}
    for it in items:
        if isinstance(it, dict) and it.get("key") in files:
            out[it.get("path") or it["key"]] = files[it["key"]]
    return out


class KubeletManager:
    name = "kubelet"

    def __init__(self) -> None:
        self.kubelets: dict[str, Kubelet] = {}
        self.cluster: "Cluster" = None  # type: ignore[assignment]
        self.runtime: RuntimeAdapter = None  # type: ignore[assignment]
        self._node_specs: dict[str, Any] = {}
        self._node_index: dict[str, int] = {}
        self._node_ips: dict[str, str] = {}
        # equal status parts of different pods, one object each (sim/sharing.py share_dict)
        self.shared_conditions: dict = {}
        self.shared_states: dict = {}
        self._admit = None

    def attach(self, cluster: "Cluster") -> None:
        self.cluster = cluster
        self.runtime = RuntimeAdapter(cluster)
        for spec in getattr(cluster.world, "nodes", None) or []:
            self._node_specs[spec.name] = spec
        for i, node in enumerate(cluster.store.list("Node")):
            self._node_index[node["metadata"]["name"]] = i
        from kubetrainer.sim.scheduler.admission import admit

        self._admit = admit
        cluster.store.watch("Pod", self._on_pod)

    # -- what the kubelets ask ---------------------------------------------------------------------
    def node_spec(self, name: str) -> Any:
        return self._node_specs.get(name)

    def node_ip(self, name: str) -> str:
        """The Node's InternalIP (status.addresses), as status.hostIP reports it."""
        ip = self._node_ips.get(name)
        if ip is None:
            node = self.cluster.store.get("Node", "", name) or {}
            for a in (node.get("status") or {}).get("addresses") or []:
                if a.get("type") == "InternalIP":
                    ip = a.get("address")
                    break
            ip = ip or f"10.0.0.{self._node_index.get(name, 0) + 2}"
            self._node_ips[name] = ip
        return ip

    def admit(self, pod: Obj, node_name: str, pods_on_node: list[Obj]) -> tuple[str, str] | None:
        """kubelet admission (lifecycle/predicate.go) via the scheduler helper's admit()."""
        if self._admit is None:
            return None
        node = self.cluster.store.get("Node", "", node_name)
        if node is None:
            return None
        res = self._admit(pod, node, pods_on_node)
        if not res:
            return None
        if isinstance(res, tuple):
            return str(res[0]), str(res[1])
        return str(getattr(res, "reason", "UnexpectedAdmissionError")), str(getattr(res, "message", res))

    def kubelet(self, node_name: str) -> Kubelet | None:
        kl = self.kubelets.get(node_name)
        if kl is None:
            if self.cluster.store.get("Node", "", node_name) is None:
                return None  # a nodeName that does not exist: the pod stays Pending (§11.6)
            if node_name not in self._node_index:
                self._node_index[node_name] = len(self._node_index)
            kl = Kubelet(self, node_name, self._node_index[node_name])
            kl.up = self.cluster.node_is_up(node_name)
            self.kubelets[node_name] = kl
        return kl

    def pod_runtime(self, namespace: str, name: str) -> PodRuntime | None:
        for kl in self.kubelets.values():
            for rt in kl.pods.values():
                if rt.name == name and rt.namespace == namespace:
                    return rt
        return None

    def locate(self, pod: Obj) -> tuple[Kubelet, PodRuntime] | None:
        node = (pod.get("spec") or {}).get("nodeName")
        kl = self.kubelets.get(node) if node else None
        if kl is None:
            return None
        rt = kl.pods.get(pod["metadata"].get("uid"))
        return (kl, rt) if rt else None

    # -- node events ---------------------------------------------------------------------------------
    def node_down(self, name: str) -> None:
        kl = self.kubelet(name)
        if kl is not None:
            kl.set_up(False)

    def node_up(self, name: str) -> None:
        kl = self.kubelet(name)
        if kl is not None:
            kl.set_up(True)

    # -- the watch -------------------------------------------------------------------------------------
    def _on_pod(self, event: str, pod: Obj) -> None:
        node = (pod.get("spec") or {}).get("nodeName")
        if not node:
            return
        kl = self.kubelet(node)
        if kl is None:
            return
        if event == "DELETED":
            kl.pod_deleted(pod)
            return
        uid = pod["metadata"].get("uid")
        if uid in kl.pods:
            kl.pod_updated(pod)
            return
        if self.cluster.store.get("Pod", pod["metadata"].get("namespace", "default"), pod["metadata"]["name"]) is not pod:
            return  # stale event for an object already gone
        if (pod.get("status") or {}).get("phase") in ("Succeeded", "Failed"):
            return
        kl.add_pod(pod)
