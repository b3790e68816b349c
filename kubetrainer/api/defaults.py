"""Defaulting as the API server does it, recording which paths were defaulted.

Sources (Kubernetes v1.34):
* pkg/apis/core/v1/defaults.go: SetDefaults_Pod, SetDefaults_PodSpec, SetDefaults_Container,
  SetDefaults_ContainerPort (via SetDefaults_Pod's loop), SetDefaults_Probe,
  SetDefaults_HTTPGetAction, SetDefaults_Volume, SetDefaults_SecretVolumeSource,
  SetDefaults_ConfigMapVolumeSource, SetDefaults_Service, SetDefaults_Secret,
  SetDefaults_ObjectFieldSelector
* pkg/apis/apps/v1/defaults.go: SetDefaults_Deployment, SetDefaults_ReplicaSet,
  SetDefaults_DaemonSet, SetDefaults_StatefulSet
* pkg/apis/batch/v1/defaults.go: SetDefaults_Job;  pkg/apis/scheduling/v1/defaults.go
* admission (only on Pod objects): DefaultTolerationSeconds (not-ready / unreachable 300 s)

Requests are copied from limits ONLY on Pod objects (SetDefaults_Pod), never on templates:
the pods a controller creates get it when `default_object` is called on them.
"""

from __future__ import annotations

import copy
from typing import Any



class DefaultResult:
    """(obj, defaulted_paths): the defaulted deep copy and the set of path tuples defaulting set.
    (A plain class, not attrs: `kubetrainer validate` must start fast.)"""

    __slots__ = ("obj", "defaulted_paths")

    def __init__(self, obj: dict, defaulted_paths: frozenset = frozenset()) -> None:
        self.obj = obj
        self.defaulted_paths = defaulted_paths

    def __iter__(self):
        return iter((self.obj, self.defaulted_paths))

    def __repr__(self) -> str:
        return f"DefaultResult(obj={self.obj!r}, defaulted_paths={set(self.defaulted_paths)!r})"


class _D:
    def __init__(self) -> None:
        self.paths: set[tuple] = set()

    def set(self, parent: dict, path: tuple, key: str, value: Any) -> None:
        """parent[key] = value when absent (None counts as absent, as a nil pointer does)."""
        cur = parent.get(key)
        if key not in parent or cur is None or cur == "":
            parent[key] = value
            self.paths.add(path + (key,))

    def sub(self, parent: dict, path: tuple, key: str) -> dict:
        """parent[key] as a dict, creating (and recording) an empty one."""
        cur = parent.get(key)
        if not isinstance(cur, dict):
            parent[key] = {}
            self.paths.add(path + (key,))
        return parent[key]


def image_tag(image: str) -> tuple[str, str, str]:
    """(repository, tag, digest) as parsers.ParseImageName: no tag and no digest -> "latest"."""
    digest = ""
    if "@" in image:
        image, digest = image.split("@", 1)
    tag = ""
    last = image.rsplit("/", 1)[-1]
    if ":" in last:
        tag = last.rsplit(":", 1)[1]
        image = image[: len(image) - len(tag) - 1]
    if not tag and not digest:
        tag = "latest"
    return image, tag, digest


def _probe(d: _D, p: dict, path: tuple) -> None:
    d.set(p, path, "timeoutSeconds", 1)
    d.set(p, path, "periodSeconds", 10)
    d.set(p, path, "successThreshold", 1)
    d.set(p, path, "failureThreshold", 3)
    hg = p.get("httpGet")
    if isinstance(hg, dict):
        d.set(hg, path + ("httpGet",), "path", "/")
        d.set(hg, path + ("httpGet",), "scheme", "HTTP")


def _handler(d: _D, h: dict, path: tuple) -> None:
    hg = h.get("httpGet")
    if isinstance(hg, dict):
        d.set(hg, path + ("httpGet",), "path", "/")
        d.set(hg, path + ("httpGet",), "scheme", "HTTP")


def _container(d: _D, c: dict, path: tuple, is_pod: bool, host_network: bool) -> None:
    _, tag, _ = image_tag(str(c.get("image") or ""))
    d.set(c, path, "imagePullPolicy", "Always" if tag == "latest" else "IfNotPresent")
    d.set(c, path, "terminationMessagePath", "/dev/termination-log")
    d.set(c, path, "terminationMessagePolicy", "File")
    for i, port in enumerate(c.get("ports") or []):
        if isinstance(port, dict):
            d.set(port, path + ("ports", i), "protocol", "TCP")
            if host_network and "containerPort" in port:
                d.set(port, path + ("ports", i), "hostPort", port["containerPort"])
    for i, env in enumerate(c.get("env") or []):
        vf = env.get("valueFrom") if isinstance(env, dict) else None
        if isinstance(vf, dict) and isinstance(vf.get("fieldRef"), dict):
            d.set(vf["fieldRef"], path + ("env", i, "valueFrom", "fieldRef"), "apiVersion", "v1")
    for probe in ("livenessProbe", "readinessProbe", "startupProbe"):
        if isinstance(c.get(probe), dict):
            _probe(d, c[probe], path + (probe,))
    lc = c.get("lifecycle")
    if isinstance(lc, dict):
        for hook in ("postStart", "preStop"):
            if isinstance(lc.get(hook), dict):
                _handler(d, lc[hook], path + ("lifecycle", hook))
    if is_pod:  # SetDefaults_Pod: requests default to limits (Pod objects only)
        res = c.get("resources")
        if isinstance(res, dict) and isinstance(res.get("limits"), dict) and res["limits"]:
            req = d.sub(res, path + ("resources",), "requests")
            for k, v in res["limits"].items():
                if k not in req:
                    req[k] = v
                    d.paths.add(path + ("resources", "requests", k))


def _pod_spec(d: _D, spec: dict, path: tuple, is_pod: bool) -> None:
    d.set(spec, path, "dnsPolicy", "ClusterFirst")
    d.set(spec, path, "restartPolicy", "Always")
    d.sub(spec, path, "securityContext")
    d.set(spec, path, "terminationGracePeriodSeconds", 30)
    d.set(spec, path, "schedulerName", "default-scheduler")
    host_network = spec.get("hostNetwork") is True
    for field in ("initContainers", "containers", "ephemeralContainers"):
        for i, c in enumerate(spec.get(field) or []):
            if isinstance(c, dict):
                _container(d, c, path + (field, i), is_pod and field != "ephemeralContainers", host_network)
    for i, v in enumerate(spec.get("volumes") or []):
        if not isinstance(v, dict):
            continue
        vp = path + ("volumes", i)
        sources = [k for k in v if k != "name"]
        if not sources:  # SetDefaults_Volume
            v["emptyDir"] = {}
            d.paths.add(vp + ("emptyDir",))
        for src in ("secret", "configMap", "downwardAPI", "projected"):
            if isinstance(v.get(src), dict):
                d.set(v[src], vp + (src,), "defaultMode", 420)
    if is_pod:
        d.set(spec, path, "enableServiceLinks", True)
        # DefaultTolerationSeconds admission plugin
        tols = spec.get("tolerations")
        if tols is None or isinstance(tols, list):
            tols = list(tols or [])
            changed = False
            for key in ("node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable"):
                if not any(isinstance(t, dict) and t.get("effect") in ("NoExecute", "", None) and
                           (t.get("key") == key or (t.get("key") in (None, "") and t.get("operator") == "Exists"))
                           for t in tols):
                    tols.append({"key": key, "operator": "Exists", "effect": "NoExecute",
                                 "tolerationSeconds": 300})
                    d.paths.add(path + ("tolerations", len(tols) - 1))
                    changed = True
            if changed:
                spec["tolerations"] = tols


def _template(d: _D, obj: dict, path: tuple) -> None:
    tpl = obj.get("template")
    if isinstance(tpl, dict) and isinstance(tpl.get("spec"), dict):
        _pod_spec(d, tpl["spec"], path + ("template", "spec"), False)


def _copy(v: Any) -> Any:
    """Deep copy of JSON-like data (much faster than copy.deepcopy for dicts/lists/scalars)."""
    if isinstance(v, dict):
        return {k: _copy(x) for k, x in v.items()}
    if isinstance(v, list):
        return [_copy(x) for x in v]
    if isinstance(v, (str, int, float, bool)) or v is None:
        return v
    return copy.deepcopy(v)


def default_object(obj: dict) -> DefaultResult:
    """Return a defaulted deep copy of `obj` (any supported kind) and the defaulted paths."""
    o = _copy(obj)
    d = _D()
    kind = o.get("kind")
    spec = o.get("spec")
    if kind == "Pod":
        if isinstance(spec, dict):
            _pod_spec(d, spec, ("spec",), True)
    elif kind in ("Deployment", "ReplicaSet", "DaemonSet", "StatefulSet", "Job", "ReplicationController",
                  "PodTemplate") and (isinstance(spec, dict) or kind == "PodTemplate"):
        if kind == "PodTemplate":
            _template(d, o, ())
        else:
            _template(d, spec, ("spec",))
        sp = ("spec",)
        if kind in ("Deployment", "ReplicaSet", "StatefulSet", "ReplicationController"):
            d.set(spec, sp, "replicas", 1)
        if kind == "Deployment":
            st = d.sub(spec, sp, "strategy")
            d.set(st, sp + ("strategy",), "type", "RollingUpdate")
            if st.get("type") == "RollingUpdate":
                ru = d.sub(st, sp + ("strategy",), "rollingUpdate")
                d.set(ru, sp + ("strategy", "rollingUpdate"), "maxUnavailable", "25%")
                d.set(ru, sp + ("strategy", "rollingUpdate"), "maxSurge", "25%")
            d.set(spec, sp, "revisionHistoryLimit", 10)
            d.set(spec, sp, "progressDeadlineSeconds", 600)
        elif kind == "DaemonSet":
            st = d.sub(spec, sp, "updateStrategy")
            d.set(st, sp + ("updateStrategy",), "type", "RollingUpdate")
            if st.get("type") == "RollingUpdate":
                ru = d.sub(st, sp + ("updateStrategy",), "rollingUpdate")
                d.set(ru, sp + ("updateStrategy", "rollingUpdate"), "maxUnavailable", 1)
                d.set(ru, sp + ("updateStrategy", "rollingUpdate"), "maxSurge", 0)
            d.set(spec, sp, "revisionHistoryLimit", 10)
        elif kind == "StatefulSet":
            d.set(spec, sp, "podManagementPolicy", "OrderedReady")
            st = d.sub(spec, sp, "updateStrategy")
            d.set(st, sp + ("updateStrategy",), "type", "RollingUpdate")
            if st.get("type") == "RollingUpdate":
                ru = d.sub(st, sp + ("updateStrategy",), "rollingUpdate")
                d.set(ru, sp + ("updateStrategy", "rollingUpdate"), "partition", 0)
            d.set(spec, sp, "revisionHistoryLimit", 10)
            pr = d.sub(spec, sp, "persistentVolumeClaimRetentionPolicy")
            d.set(pr, sp + ("persistentVolumeClaimRetentionPolicy",), "whenDeleted", "Retain")
            d.set(pr, sp + ("persistentVolumeClaimRetentionPolicy",), "whenScaled", "Retain")
        elif kind == "Job":
            if spec.get("completions") is None and spec.get("parallelism") is None:
                d.set(spec, sp, "completions", 1)
                d.set(spec, sp, "parallelism", 1)
            d.set(spec, sp, "parallelism", 1)
            d.set(spec, sp, "backoffLimit", 6)
            d.set(spec, sp, "completionMode", "NonIndexed")
            d.set(spec, sp, "suspend", False)
    elif kind == "CronJob" and isinstance(spec, dict):
        # pkg/apis/batch/v1/defaults.go SetDefaults_CronJob; the template's PodSpec gets the pod defaults
        sp = ("spec",)
        d.set(spec, sp, "concurrencyPolicy", "Allow")
        d.set(spec, sp, "suspend", False)
        d.set(spec, sp, "successfulJobsHistoryLimit", 3)
        d.set(spec, sp, "failedJobsHistoryLimit", 1)
        jt = spec.get("jobTemplate")
        if isinstance(jt, dict) and isinstance(jt.get("spec"), dict):
            _template(d, jt["spec"], ("spec", "jobTemplate", "spec"))
    elif kind == "Service" and isinstance(spec, dict):
        sp = ("spec",)
        d.set(spec, sp, "sessionAffinity", "None")
        d.set(spec, sp, "type", "ClusterIP")
        for i, port in enumerate(spec.get("ports") or []):
            if isinstance(port, dict):
                d.set(port, sp + ("ports", i), "protocol", "TCP")
                if port.get("targetPort") in (None, 0, "") and "port" in port:
                    port["targetPort"] = port["port"]
                    d.paths.add(sp + ("ports", i, "targetPort"))
        if spec.get("type") in ("ClusterIP", "NodePort", "LoadBalancer"):
            d.set(spec, sp, "internalTrafficPolicy", "Cluster")
        if spec.get("type") in ("NodePort", "LoadBalancer"):
            d.set(spec, sp, "externalTrafficPolicy", "Cluster")
        if spec.get("type") == "LoadBalancer":
            d.set(spec, sp, "allocateLoadBalancerNodePorts", True)
    elif kind in ("PersistentVolume", "PersistentVolumeClaim") and isinstance(spec, dict):
        # pkg/apis/core/v1/defaults.go SetDefaults_PersistentVolume / SetDefaults_PersistentVolumeClaim
        sp = ("spec",)
        if kind == "PersistentVolume":
            d.set(spec, sp, "persistentVolumeReclaimPolicy", "Retain")
        d.set(spec, sp, "volumeMode", "Filesystem")
        st = d.sub(o, (), "status")
        d.set(st, ("status",), "phase", "Pending")
    elif kind == "StorageClass":
        # pkg/apis/storage/v1/defaults.go SetDefaults_StorageClass
        d.set(o, (), "reclaimPolicy", "Delete")
        d.set(o, (), "volumeBindingMode", "Immediate")
    elif kind == "Namespace":
        # pkg/apis/core/v1/defaults.go SetDefaults_Namespace (the name label); the registry's
        # PrepareForCreate (the kubernetes finalizer, phase Active)
        meta = o.get("metadata") if isinstance(o.get("metadata"), dict) else None
        if meta is not None and isinstance(meta.get("name"), str) and meta["name"]:
            labels = d.sub(meta, ("metadata",), "labels")
            labels["kubernetes.io/metadata.name"] = meta["name"]
        sp = d.sub(o, (), "spec")
        if not sp.get("finalizers"):
            d.set(sp, ("spec",), "finalizers", ["kubernetes"])
        st = d.sub(o, (), "status")
        d.set(st, ("status",), "phase", "Active")
    elif kind == "Secret":
        d.set(o, (), "type", "Opaque")
        # Convert_v1_Secret_To_core_Secret: stringData is write-only, merged over data (base64)
        sd = o.get("stringData")
        if isinstance(sd, dict) and sd:
            import base64
            data = o.get("data") if isinstance(o.get("data"), dict) else {}
            for k, v in sd.items():
                data[k] = base64.b64encode(str(v if v is not None else "").encode()).decode()
            o["data"] = data
            del o["stringData"]
    elif kind == "PriorityClass":
        d.set(o, (), "preemptionPolicy", "PreemptLowerPriority")
    return DefaultResult(o, frozenset(d.paths))
