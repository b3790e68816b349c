"""Typed, read-only views over (defaulted) object dicts.

Thin attrs wrappers: each view keeps the plain dict (`.obj`) and exposes typed properties,
so the engine can keep storing JSON-like dicts (what the store, diffs and `-o yaml` need)
and still read `pod.spec.containers[0].resources.requests["cpu"].milli()`.

    view(obj) -> Pod | Deployment | ReplicaSet | DaemonSet | StatefulSet | Service | Secret |
                 ConfigMap | Namespace | PriorityClass | Job | KubeObject
"""

from __future__ import annotations

import base64
import binascii
from typing import Any

import attrs

from kubetrainer.api.quantity import Quantity, QuantityError, parse_quantity
from kubetrainer.api.selectors import label_selector_matches


def _d(v: Any) -> dict:
    return v if isinstance(v, dict) else {}


def _l(v: Any) -> list:
    return v if isinstance(v, list) else []


def _quantities(v: Any) -> dict[str, Quantity]:
    out = {}
    for k, q in _d(v).items():
        try:
            out[k] = parse_quantity(q)
        except QuantityError:
            continue
    return out


@attrs.frozen
class ObjectMeta:
    obj: dict

    @property
    def name(self) -> str:
        return self.obj.get("name") or ""

    @property
    def namespace(self) -> str:
        return self.obj.get("namespace") or "default"

    @property
    def labels(self) -> dict[str, str]:
        return dict(_d(self.obj.get("labels")))

    @property
    def annotations(self) -> dict[str, str]:
        return dict(_d(self.obj.get("annotations")))

    @property
    def owner_references(self) -> list[dict]:
        return list(_l(self.obj.get("ownerReferences")))


@attrs.frozen
class ResourceRequirements:
    obj: dict

    @property
    def requests(self) -> dict[str, Quantity]:
        return _quantities(self.obj.get("requests"))

    @property
    def limits(self) -> dict[str, Quantity]:
        return _quantities(self.obj.get("limits"))


@attrs.frozen
class ContainerPort:
    obj: dict

    @property
    def name(self) -> str:
        return self.obj.get("name") or ""

    @property
    def container_port(self) -> int:
        return int(self.obj.get("containerPort") or 0)

    @property
    def host_port(self) -> int:
        return int(self.obj.get("hostPort") or 0)

    @property
    def protocol(self) -> str:
        return self.obj.get("protocol") or "TCP"


@attrs.frozen
class Probe:
    obj: dict

    @property
    def handler(self) -> str:
        """exec | httpGet | tcpSocket | grpc"""
        for k in ("exec", "httpGet", "tcpSocket", "grpc"):
            if self.obj.get(k) is not None:
                return k
        return ""

    @property
    def action(self) -> dict:
        return _d(self.obj.get(self.handler))

    initial_delay_seconds = property(lambda self: int(self.obj.get("initialDelaySeconds") or 0))
    period_seconds = property(lambda self: int(self.obj.get("periodSeconds") or 10))
    timeout_seconds = property(lambda self: int(self.obj.get("timeoutSeconds") or 1))
    success_threshold = property(lambda self: int(self.obj.get("successThreshold") or 1))
    failure_threshold = property(lambda self: int(self.obj.get("failureThreshold") or 3))

    @property
    def termination_grace_period_seconds(self) -> int | None:
        v = self.obj.get("terminationGracePeriodSeconds")
        return int(v) if v is not None else None


@attrs.frozen
class Container:
    obj: dict

    name = property(lambda self: self.obj.get("name") or "")
    image = property(lambda self: self.obj.get("image") or "")
    image_pull_policy = property(lambda self: self.obj.get("imagePullPolicy") or "")
    command = property(lambda self: [str(x) for x in _l(self.obj.get("command"))])
    args = property(lambda self: [str(x) for x in _l(self.obj.get("args"))])
    env = property(lambda self: list(_l(self.obj.get("env"))))
    restart_policy = property(lambda self: self.obj.get("restartPolicy"))  # sidecars: "Always"

    @property
    def ports(self) -> list[ContainerPort]:
        return [ContainerPort(p) for p in _l(self.obj.get("ports")) if isinstance(p, dict)]

    @property
    def resources(self) -> ResourceRequirements:
        return ResourceRequirements(_d(self.obj.get("resources")))

    def probe(self, which: str) -> Probe | None:
        """which: livenessProbe | readinessProbe | startupProbe"""
        p = self.obj.get(which)
        return Probe(p) if isinstance(p, dict) else None

    liveness_probe = property(lambda self: self.probe("livenessProbe"))
    readiness_probe = property(lambda self: self.probe("readinessProbe"))
    startup_probe = property(lambda self: self.probe("startupProbe"))


@attrs.frozen
class PodSpec:
    obj: dict

    containers = property(lambda self: [Container(c) for c in _l(self.obj.get("containers")) if isinstance(c, dict)])
    init_containers = property(lambda self: [Container(c) for c in _l(self.obj.get("initContainers"))
                                             if isinstance(c, dict)])
    restart_policy = property(lambda self: self.obj.get("restartPolicy") or "Always")
    node_name = property(lambda self: self.obj.get("nodeName") or "")
    node_selector = property(lambda self: dict(_d(self.obj.get("nodeSelector"))))
    affinity = property(lambda self: _d(self.obj.get("affinity")))
    tolerations = property(lambda self: list(_l(self.obj.get("tolerations"))))
    scheduler_name = property(lambda self: self.obj.get("schedulerName") or "default-scheduler")
    priority_class_name = property(lambda self: self.obj.get("priorityClassName") or "")
    termination_grace_period_seconds = property(lambda self: int(self.obj.get("terminationGracePeriodSeconds")
                                                                 if self.obj.get("terminationGracePeriodSeconds")
                                                                 is not None else 30))
    host_network = property(lambda self: self.obj.get("hostNetwork") is True)
    volumes = property(lambda self: list(_l(self.obj.get("volumes"))))


@attrs.frozen
class KubeObject:
    obj: dict

    kind = property(lambda self: self.obj.get("kind") or "")
    api_version = property(lambda self: self.obj.get("apiVersion") or "")
    metadata = property(lambda self: ObjectMeta(_d(self.obj.get("metadata"))))
    name = property(lambda self: self.metadata.name)
    namespace = property(lambda self: self.metadata.namespace)
    labels = property(lambda self: self.metadata.labels)
    spec_dict = property(lambda self: _d(self.obj.get("spec")))
    status = property(lambda self: _d(self.obj.get("status")))


@attrs.frozen
class Pod(KubeObject):
    spec = property(lambda self: PodSpec(self.spec_dict))

    def requests(self) -> dict[str, Quantity]:
        """Effective requests as the scheduler computes them (resourcehelper.PodRequests):
        max(sum of app containers, each init container), sidecars (restartPolicy Always init
        containers) added to both."""
        from fractions import Fraction
        total: dict[str, Fraction] = {}
        sidecars: dict[str, Fraction] = {}
        init_max: dict[str, Fraction] = {}
        for c in self.spec.containers:
            for k, q in c.resources.requests.items():
                total[k] = total.get(k, Fraction(0)) + q.value
        for c in self.spec.init_containers:
            req = c.resources.requests
            if c.restart_policy == "Always":
                for k, q in req.items():
                    sidecars[k] = sidecars.get(k, Fraction(0)) + q.value
                    total[k] = total.get(k, Fraction(0)) + q.value
            else:
                for k, q in req.items():
                    init_max[k] = max(init_max.get(k, Fraction(0)), q.value + sidecars.get(k, Fraction(0)))
        for k, v in init_max.items():
            total[k] = max(total.get(k, Fraction(0)), v)
        return {k: Quantity(v) for k, v in total.items()}


@attrs.frozen
class LabelSelector:
    obj: dict | None

    def matches(self, labels: dict[str, str] | None) -> bool:
        return label_selector_matches(self.obj, labels)

    match_labels = property(lambda self: dict(_d((self.obj or {}).get("matchLabels"))))
    match_expressions = property(lambda self: list(_l((self.obj or {}).get("matchExpressions"))))


@attrs.frozen
class PodTemplateSpec:
    obj: dict

    metadata = property(lambda self: ObjectMeta(_d(self.obj.get("metadata"))))
    labels = property(lambda self: self.metadata.labels)
    spec = property(lambda self: PodSpec(_d(self.obj.get("spec"))))


@attrs.frozen
class _Workload(KubeObject):
    replicas = property(lambda self: int(self.spec_dict.get("replicas") if self.spec_dict.get("replicas")
                                         is not None else 1))
    selector = property(lambda self: LabelSelector(self.spec_dict.get("selector")))
    template = property(lambda self: PodTemplateSpec(_d(self.spec_dict.get("template"))))
    min_ready_seconds = property(lambda self: int(self.spec_dict.get("minReadySeconds") or 0))
    revision_history_limit = property(lambda self: int(self.spec_dict.get("revisionHistoryLimit")
                                                       if self.spec_dict.get("revisionHistoryLimit") is not None
                                                       else 10))


@attrs.frozen
class Deployment(_Workload):
    strategy_type = property(lambda self: _d(self.spec_dict.get("strategy")).get("type") or "RollingUpdate")
    max_surge = property(lambda self: _d(_d(self.spec_dict.get("strategy")).get("rollingUpdate")).get("maxSurge",
                                                                                                     "25%"))
    max_unavailable = property(lambda self: _d(_d(self.spec_dict.get("strategy")).get("rollingUpdate"))
                               .get("maxUnavailable", "25%"))
    progress_deadline_seconds = property(lambda self: int(self.spec_dict.get("progressDeadlineSeconds") or 600))
    paused = property(lambda self: self.spec_dict.get("paused") is True)


@attrs.frozen
class ReplicaSet(_Workload):
    pass


@attrs.frozen
class DaemonSet(_Workload):
    pass


@attrs.frozen
class StatefulSet(_Workload):
    service_name = property(lambda self: self.spec_dict.get("serviceName") or "")
    pod_management_policy = property(lambda self: self.spec_dict.get("podManagementPolicy") or "OrderedReady")


@attrs.frozen
class Job(_Workload):
    completions = property(lambda self: self.spec_dict.get("completions"))
    parallelism = property(lambda self: self.spec_dict.get("parallelism"))
    backoff_limit = property(lambda self: int(self.spec_dict.get("backoffLimit")
                                              if self.spec_dict.get("backoffLimit") is not None else 6))


@attrs.frozen
class Service(KubeObject):
    type = property(lambda self: self.spec_dict.get("type") or "ClusterIP")
    selector = property(lambda self: dict(_d(self.spec_dict.get("selector"))))
    ports = property(lambda self: list(_l(self.spec_dict.get("ports"))))

    def selects(self, labels: dict[str, str] | None) -> bool:
        """A Service selects pods whose labels include all of its selector (an empty selector selects none)."""
        sel = self.selector
        return bool(sel) and all((labels or {}).get(k) == v for k, v in sel.items())


@attrs.frozen
class Secret(KubeObject):
    type = property(lambda self: self.obj.get("type") or "Opaque")

    @property
    def data(self) -> dict[str, bytes]:
        out = {}
        for k, v in _d(self.obj.get("data")).items():
            try:
                out[k] = base64.b64decode(str(v), validate=True)
            except (binascii.Error, ValueError):
                continue
        for k, v in _d(self.obj.get("stringData")).items():
            out[k] = str(v).encode()
        return out


@attrs.frozen
class ConfigMap(KubeObject):
    data = property(lambda self: {k: str(v) for k, v in _d(self.obj.get("data")).items()})


@attrs.frozen
class Namespace(KubeObject):
    pass


@attrs.frozen
class PriorityClass(KubeObject):
    value = property(lambda self: int(self.obj.get("value") or 0))
    global_default = property(lambda self: self.obj.get("globalDefault") is True)
    preemption_policy = property(lambda self: self.obj.get("preemptionPolicy") or "PreemptLowerPriority")


_VIEWS = {"Pod": Pod, "Deployment": Deployment, "ReplicaSet": ReplicaSet, "DaemonSet": DaemonSet,
          "StatefulSet": StatefulSet, "Job": Job, "Service": Service, "Secret": Secret, "ConfigMap": ConfigMap,
          "Namespace": Namespace, "PriorityClass": PriorityClass}


def view(obj: dict) -> KubeObject:
    """The typed view for obj's kind (KubeObject for kinds without one)."""
    return _VIEWS.get(obj.get("kind"), KubeObject)(obj)
