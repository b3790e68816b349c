"""The pod network as a container sees it: cluster DNS names and connections to pods/Services.

Set on every container's file system (runtime hooks `fs.resolver` / `fs.network`, see
/work/notes/runtime.md) so that `nslookup myservice`, `wget -qO- http://web`, `wget podIP:80`
inside a pod behave as in a cluster: a Service name resolves when the Service exists
(`<svc>`, `<svc>.<ns>`, `<svc>.<ns>.svc`, `<svc>.<ns>.svc.cluster.local`), its ClusterIP routes to
a Ready endpoint pod (EndpointSlice semantics: only ready, non-terminating pods), and localhost
reaches every container of the same pod (shared network namespace).
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kubetrainer.sim.cluster import Cluster

CLUSTER_DOMAIN = "cluster.local"


def cluster_ip(svc: dict) -> str:
    ip = (svc.get("spec") or {}).get("clusterIP")
    if ip and ip != "None":
        return str(ip)
    m = svc["metadata"]
    h = hashlib.sha256(f"{m.get('namespace', 'default')}/{m['name']}".encode()).digest()
    return f"10.96.{h[0]}.{max(h[1], 2)}"


def _external_ip(name: str) -> str:
    h = hashlib.sha256(name.encode()).digest()
    return f"93.184.{h[0]}.{max(h[1], 1)}"


class PodNetwork:
    def __init__(self, cluster: "Cluster", kubelet: Any, rt: Any) -> None:
        self.cluster = cluster
        self.kubelet = kubelet
        self.rt = rt

    # -- DNS ----------------------------------------------------------------------------------
    def _service_for(self, name: str) -> dict | None:
        ns = self.rt.namespace
        parts = name.rstrip(".").split(".")
        if parts[-2:] == ["cluster", "local"]:
            parts = parts[:-2]
        if parts and parts[-1] == "svc":
            parts = parts[:-1]
        if len(parts) == 1:
            svc, sns = parts[0], ns
        elif len(parts) == 2:
            svc, sns = parts
        else:
            return None
        return self.cluster.store.get("Service", sns, svc)

    def resolve(self, name: str) -> str | None:
        if name in ("localhost", "127.0.0.1", "::1"):
            return "127.0.0.1"
        if name.replace(".", "").isdigit():
            return name
        svc = self._service_for(name)
        if svc is not None:
            return cluster_ip(svc)
        if name in (self.rt.name,):
            return self.rt.pod_ip
        if "." in name and not any(name.rstrip(".").endswith(s) for s in (".local", ".svc", ".internal")):
            return _external_ip(name)
        return None

    # -- connections --------------------------------------------------------------------------
    def _pod_processes(self, rt: Any) -> list[Any]:
        return [c.instance.proc for c in rt.all_containers()
                if c.running and c.instance is not None and c.instance.proc is not None]

    def _to_pod(self, rt: Any, port: int, path: str, now: float, local: bool) -> tuple:
        for proc in self._pod_processes(rt):
            st, body = proc.http_body(port, path, now, local=local)
            if st is not None:
                return st, body
        return None, ""

    def _runtime_by_ip(self, ip: str) -> Any:
        mgr = self.kubelet.manager
        for kl in mgr.kubelets.values():
            if not kl.up:
                continue
            for rt in kl.pods.values():
                if rt.pod_ip == ip and not rt.terminated_final:
                    return rt
        return None

    def request(self, host: str, port: int, path: str, now: float) -> Any:
        ip = self.resolve(host)
        if ip is None:
            return "nohost"
        if ip == "127.0.0.1" or ip == self.rt.pod_ip:
            st, body = self._to_pod(self.rt, port, path, now, local=True)
            return (st, body, ip)
        for svc in self.cluster.store.iter("Service"):
            if cluster_ip(svc) != ip:
                continue
            return self._to_service(svc, port, path, now, ip)
        rt = self._runtime_by_ip(ip)
        if rt is not None:
            st, body = self._to_pod(rt, port, path, now, local=False)
            return (st, body, ip)
        if ip.startswith("93.184.") and port in (80, 443):
            return (200, f"<html><head><title>{host}</title></head><body><h1>{host}</h1></body></html>\n", ip)
        return (None, "", ip)

    def _to_service(self, svc: dict, port: int, path: str, now: float, ip: str) -> tuple:
        from kubetrainer.api.selectors import label_selector_matches

        spec = svc.get("spec") or {}
        target: Any = None
        for p in spec.get("ports") or []:
            if int(p.get("port", 0)) == port:
                target = p.get("targetPort", port)
        if target is None:
            return (None, "", ip)
        selector = spec.get("selector") or {}
        if not selector:
            return (None, "", ip)
        ns = svc["metadata"].get("namespace", "default")
        mgr = self.kubelet.manager
        candidates = []
        for pod in self.cluster.store.list("Pod", ns):
            labels = pod["metadata"].get("labels") or {}
            if not label_selector_matches({"matchLabels": selector}, labels):
                continue
            if pod["metadata"].get("deletionTimestamp") is not None:
                continue
            ready = any(c.get("type") == "Ready" and c.get("status") == "True"
                        for c in (pod.get("status") or {}).get("conditions") or [])
            if not ready:
                continue
            loc = mgr.locate(pod)
            if loc is not None and loc[0].up:
                candidates.append((pod["metadata"]["name"], loc[1], pod))
        if not candidates:
            return (None, "", ip)
        candidates.sort(key=lambda t: t[0])
        # kube-proxy picks an endpoint at random; we rotate deterministically
        key = (ns, svc["metadata"]["name"])
        n = self.cluster.__dict__.setdefault("_svc_rr", {}).get(key, 0)
        self.cluster._svc_rr[key] = n + 1
        _name, rt, pod = candidates[n % len(candidates)]
        tport = target
        if isinstance(tport, str) and not tport.isdigit():
            tport = None
            for c in (pod.get("spec") or {}).get("containers") or []:
                for cp in c.get("ports") or []:
                    if cp.get("name") == target:
                        tport = cp.get("containerPort")
            if tport is None:
                return (None, "", ip)
        st, body = self._to_pod(rt, int(tport), path, now, local=False)
        return (st, body, ip)
