"""The API server's write path: defaulting, admission, create/apply/update/bind, graceful deletion.

Sources:
* defaulting: pkg/apis/core/v1/defaults.go etc. (kubetrainer.api.defaults.default_object)
* admission: plugin/pkg/admission/defaulttolerationseconds (not-ready/unreachable NoExecute 300 s)
* names: staging/src/k8s.io/apiserver/pkg/storage/names/generate.go (generateName + 5 random
  chars from utilrand's alphabet "bcdfghjklmnpqrstvwxz2456789")
* graceful deletion: pkg/registry/core/pod/strategy.go CheckGracefulDelete (unscheduled or
  terminal pods are deleted at once; default grace = spec.terminationGracePeriodSeconds) and
  staging/src/k8s.io/apiserver/pkg/registry/rest/delete.go BeforeDelete (deletionTimestamp =
  now + grace, deletionGracePeriodSeconds; a later delete may only shorten it).
"""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any

from kubetrainer.errors import UserError
from kubetrainer.sim import sharing, storage
from kubetrainer.sim.events import object_ref
from kubetrainer.sim.store import CLUSTER_SCOPED, AlreadyExists, key_of

if TYPE_CHECKING:
    from kubetrainer.sim.cluster import Cluster

Obj = dict[str, Any]

# apimachinery/pkg/util/rand/rand.go: alphanums (no vowels, no confusable characters)
NAME_ALPHABET = "bcdfghjklmnpqrstvwxz2456789"
GENERATE_SUFFIX = 5  # names.SimpleNameGenerator: randomLength = 5, maxGeneratedNameLength 58

_GROUPS = {"Deployment": "apps", "ReplicaSet": "apps", "DaemonSet": "apps", "StatefulSet": "apps",
           "ControllerRevision": "apps", "Job": "batch", "CronJob": "batch",
           "PriorityClass": "scheduling.k8s.io", "StorageClass": "storage.k8s.io",
           "Ingress": "networking.k8s.io", "NetworkPolicy": "networking.k8s.io",
           "HorizontalPodAutoscaler": "autoscaling", "PodDisruptionBudget": "policy",
           "EndpointSlice": "discovery.k8s.io", "Lease": "coordination.k8s.io"}
_PLURALS = {"Endpoints": "endpoints", "Ingress": "ingresses", "NetworkPolicy": "networkpolicies",
            "PriorityClass": "priorityclasses", "StorageClass": "storageclasses"}

DEFAULT_TOLERATION_SECONDS = 300  # --default-not-ready-toleration-seconds / --default-unreachable-...


SYSTEM_PRIORITY_CLASSES = {"system-node-critical": 2000001000, "system-cluster-critical": 2000000000}


class Forbidden(UserError):
    """An admission plugin refused the object (HTTP 403)."""


def plural(kind: str) -> str:
    return _PLURALS.get(kind, kind.lower() + "s")


def resource_name(kind: str) -> str:
    """'pods', 'deployments.apps' — as apiserver errors name a resource."""
    group = _GROUPS.get(kind)
    return f"{plural(kind)}.{group}" if group else plural(kind)


def kind_slash_name(kind: str, name: str) -> str:
    """'pod/web', 'deployment.apps/web' — as kubectl apply/create/delete print an object."""
    group = _GROUPS.get(kind)
    return f"{kind.lower()}.{group}/{name}" if group else f"{kind.lower()}/{name}"


def not_found(kind: str, name: str) -> str:
    return f'Error from server (NotFound): {resource_name(kind)} "{name}" not found'


def _default(obj: Obj) -> Obj:
    from kubetrainer.api.defaults import default_object

    return default_object(obj).obj


def add_default_tolerations(pod: Obj) -> None:
    """DefaultTolerationSeconds admission: tolerate not-ready/unreachable NoExecute for 300 s unless
    the pod already has a toleration for them."""
    spec = pod.setdefault("spec", {})
    tols = spec.get("tolerations") or []
    def has(key: str) -> bool:
        for t in tols:
            if not isinstance(t, dict):
                continue
            eff = t.get("effect") or ""
            if eff not in ("", "NoExecute"):
                continue
            if t.get("key") == key or (not t.get("key") and t.get("operator") == "Exists"):
                return True
        return False
    added = False
    for key in ("node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable"):
        if not has(key):
            tols.append({"key": key, "operator": "Exists", "effect": "NoExecute",
                         "tolerationSeconds": DEFAULT_TOLERATION_SECONDS})
            added = True
    if added or "tolerations" in spec:
        spec["tolerations"] = tols


SYSTEM_NAMESPACES = frozenset({"default", "kube-system", "kube-public", "kube-node-lease"})
IMMORTAL_NAMESPACES = frozenset({"default", "kube-system", "kube-public"})


class ApiServer:
    def __init__(self, cluster: "Cluster") -> None:
        self.cluster = cluster
        self.store = cluster.store
        self._foreground: dict[str, Obj] = {}   # owners waiting for their dependents (uid -> owner)
        self._shared_parts: dict[str, Any] = {}  # pod field -> the last value stored (sharing.share_pod_parts)
        self.store.observers.append(self._on_write)

    # -- names ----------------------------------------------------------------------------------
    def random_suffix(self, n: int = GENERATE_SUFFIX) -> str:
        rng = self.cluster.rng
        return "".join(NAME_ALPHABET[rng.randrange(len(NAME_ALPHABET))] for _ in range(n))

    # -- create / apply / update ----------------------------------------------------------------
    def create(self, obj: Obj, actor: str = "kubectl", strict: bool | None = None) -> Obj:
        """Store a new object as the API server does (defaulting + admission). Raises UserError
        (AlreadyExists) for a duplicate name, Forbidden when an admission plugin refuses a pod.
        strict=None: refusing plugins apply except for actor "controller-manager" (see notes)."""
        obj = _default(obj)
        meta = obj.setdefault("metadata", {})
        requested_name = meta.get("name") or ""
        if not meta.get("name") and meta.get("generateName"):
            base = meta["generateName"][:58]
            for _ in range(100):
                name = base + self.random_suffix()
                if self.store.get(obj["kind"], meta.get("namespace") or "default", name) is None:
                    break
            meta["name"] = name
        if obj.get("kind") not in CLUSTER_SCOPED:
            meta["namespace"] = meta.get("namespace") or "default"
            self._admit_namespace(obj)
        if obj.get("kind") == "PersistentVolumeClaim":
            self._admit_default_storage_class(obj)
        if obj.get("kind") in ("PersistentVolumeClaim", "PersistentVolume"):
            # plugin/pkg/admission/storage/storageobjectinuseprotection: the protection finalizer (shown
            # by describe; deletion does not wait for the pods using a claim here)
            fin = "kubernetes.io/pvc-protection" if obj["kind"] == "PersistentVolumeClaim" else "kubernetes.io/pv-protection"
            if fin not in (meta.get("finalizers") or []):
                meta["finalizers"] = [*(meta.get("finalizers") or []), fin]
        if obj.get("kind") == "Pod":
            add_default_tolerations(obj)
            self._admit_limit_range(obj)
            obj.setdefault("status", {"phase": "Pending", "qosClass": qos_class(obj)})
            obj["status"].setdefault("phase", "Pending")
            # admission that can refuse: the pod controllers pass strict=True and handle the refusal
            # (FailedCreate); other controller-manager writes keep the lenient default
            if strict is None:
                strict = actor not in ("controller-manager",)
            # Priority is a mutating plugin: it runs before the registry generates the name, so its
            # refusal names the generateName prefix (admission/errors.go extractResourceName)
            self._admit_priority(obj, strict, requested_name or meta.get("generateName") or meta.get("name", ""))
            if strict:
                self._admit_quota(obj)
        meta.pop("resourceVersion", None)
        meta.pop("uid", None)
        meta.pop("creationTimestamp", None)
        ref = object_ref(obj)
        c = self.cluster
        if actor == "kubectl":
            c.record_flow("kubectl", "create", ref, f"POST {resource_name(obj['kind'])}")
        else:
            c.record_flow(actor, "create", ref, f"POST {resource_name(obj['kind'])}")
        if obj.get("kind") == "Pod":
            sharing.share_pod_parts(obj, self._shared_parts)
        try:
            self.store.create(obj)
        except AlreadyExists:
            raise UserError(f'Error from server (AlreadyExists): {resource_name(obj["kind"])} '
                            f'"{meta["name"]}" already exists') from None
        c.record_flow("apiserver", "admit", ref, "defaulting, validation, admission")
        c.record_flow("etcd", "persist", ref, f"resourceVersion {meta['resourceVersion']}")
        if obj.get("kind") == "Pod" and not (obj.get("spec") or {}).get("nodeName"):
            # (a pod created with spec.nodeName goes straight to its node's kubelet)
            c.record_flow("scheduler", "watch", ref, "unscheduled pod added to the scheduling queue")
        return obj

    # -- admission plugins that can refuse a pod ---------------------------------------------------
    def _admit_limit_range(self, pod: Obj) -> None:
        """plugin/pkg/admission/limitranger (mutating): the namespace's LimitRanges of type Container give
        missing limits (`default`) and requests (`defaultRequest`) to every container and init container
        (mergeContainerResources), recorded in the annotation kubernetes.io/limit-ranger. (The min/max
        validation is not modelled.)"""
        ranges = self.store.list("LimitRange", pod["metadata"].get("namespace", "default"))
        if not ranges:
            return
        annotations: list[str] = []
        spec = pod.get("spec") or {}
        for lr in ranges:
            d_req: dict[str, Any] = {}
            d_lim: dict[str, Any] = {}
            for item in (lr.get("spec") or {}).get("limits") or ():
                if item.get("type") == "Container":
                    d_req.update(item.get("defaultRequest") or {})
                    d_lim.update(item.get("default") or {})
            if not d_req and not d_lim:
                continue
            for prefix, key in (("container", "containers"), ("init container", "initContainers")):
                for c in spec.get(key) or ():
                    res = c.setdefault("resources", {})
                    lims = res.setdefault("limits", {})
                    reqs = res.setdefault("requests", {})
                    set_l = sorted(k for k in d_lim if k not in lims)
                    set_r = sorted(k for k in d_req if k not in reqs)
                    for k in set_l:
                        lims[k] = d_lim[k]
                    for k in set_r:
                        reqs[k] = d_req[k]
                    if not lims:
                        res.pop("limits")
                    if not reqs:
                        res.pop("requests")
                    if set_r:
                        annotations.append(f"{', '.join(set_r)} request for {prefix} {c.get('name', '')}")
                    if set_l:
                        annotations.append(f"{', '.join(set_l)} limit for {prefix} {c.get('name', '')}")
        if annotations:
            pod["metadata"].setdefault("annotations", {})["kubernetes.io/limit-ranger"] = \
                "LimitRanger plugin set: " + "; ".join(annotations)

    def _admit_namespace(self, obj: Obj) -> None:
        """plugin/pkg/admission/namespace/lifecycle Admit: creating an object in a namespace that does
        not exist is NotFound `namespaces "x" not found`; the immortal namespaces (default, kube-system,
        kube-public) and kube-node-lease always exist."""

        ns = obj["metadata"]["namespace"]
        if ns in SYSTEM_NAMESPACES or obj.get("kind") in CLUSTER_SCOPED:
            return
        if self.store.get("Namespace", "", ns) is None:
            raise UserError(f'Error from server (NotFound): namespaces "{ns}" not found')

    def _admit_default_storage_class(self, pvc: Obj) -> None:
        """plugin/pkg/admission/storage/storageclass/setdefault Admit: a claim that names no class
        (storageClassName absent, not "") gets the default StorageClass; with several defaults the
        newest one (GetDefaultClass)."""
        spec = pvc.get("spec")
        if not isinstance(spec, dict) or "storageClassName" in spec:
            return
        if ((pvc["metadata"].get("annotations") or {}).get("volume.beta.kubernetes.io/storage-class")) is not None:
            return
        cls = storage.default_class(self.store.list("StorageClass"))
        if cls is not None:
            spec["storageClassName"] = cls

    def _forbidden(self, obj: Obj, message: str, name: str | None = None) -> "Forbidden":
        if name is None:
            name = obj["metadata"].get("name", "")
        return Forbidden(f'Error from server (Forbidden): pods "{name}" is forbidden: {message}')

    def _admit_priority(self, pod: Obj, strict: bool, name: str | None = None) -> None:
        """plugin/pkg/admission/priority admitPod: resolve priorityClassName (or the global default)
        into spec.priority; an unknown class is Forbidden."""
        spec = pod.setdefault("spec", {})
        pcname = spec.get("priorityClassName")
        value, policy = 0, None
        if pcname:
            if pcname in SYSTEM_PRIORITY_CLASSES:
                value = SYSTEM_PRIORITY_CLASSES[pcname]
            else:
                pc = self.store.get("PriorityClass", "", pcname)
                if pc is None:
                    if strict:
                        raise self._forbidden(pod, f"no PriorityClass with name {pcname} was found", name)
                    return
                value, policy = int(pc.get("value", 0)), pc.get("preemptionPolicy")
        else:
            for pc in self.store.iter("PriorityClass"):
                if pc.get("globalDefault"):
                    spec["priorityClassName"] = pc["metadata"]["name"]
                    value, policy = int(pc.get("value", 0)), pc.get("preemptionPolicy")
                    break
        given = spec.get("priority")
        if given is not None and int(given) != value and strict:
            raise self._forbidden(pod, f"the integer value of priority ({given}) must not be provided in pod spec; "
                                       f"priority admission controller computed {value} from the given PriorityClass name",
                                  name)
        spec["priority"] = value
        spec.setdefault("preemptionPolicy", policy or "PreemptLowerPriority")

    @staticmethod
    def quota_pod_usage(p: Obj) -> dict[str, Any]:
        """pkg/quota/v1/evaluator/core/pods.go PodUsageFunc: count/pods always; for a pod that is not
        terminal also pods and cpu/memory requests (= cpu/memory) and limits of PodRequests/PodLimits
        (the containers' sum, at least the largest init container)."""
        from kubetrainer.api.quantity import QuantityError, parse_quantity

        out: dict[str, Any] = {"count/pods": 1}
        if (p.get("status") or {}).get("phase") in ("Succeeded", "Failed"):
            return out
        out["pods"] = 1
        spec = p.get("spec") or {}

        def amounts(containers: Any) -> list[dict[str, Any]]:
            res_list = []
            for c in containers or []:
                res = c.get("resources") or {}
                d: dict[str, Any] = {}
                for kind in ("requests", "limits"):
                    for r in ("cpu", "memory"):
                        v = (res.get(kind) or {}).get(r)
                        if v is not None:
                            try:
                                d[f"{kind}.{r}"] = parse_quantity(v).value
                            except QuantityError:
                                continue
                res_list.append(d)
            return res_list

        total: dict[str, Any] = {}
        for d in amounts(spec.get("containers")):
            for k, v in d.items():
                total[k] = total.get(k, 0) + v
        for d in amounts(spec.get("initContainers")):
            for k, v in d.items():
                if v > total.get(k, 0):
                    total[k] = v
        for k, v in total.items():
            out[k] = v
            if k.startswith("requests."):
                out[k[len("requests."):]] = v
        return out

    def quota_used(self, ns: str, exclude: Obj | None = None) -> dict[str, Any]:
        """status.used of the namespace's quotas: the usage of its pods."""
        used: dict[str, Any] = {}
        for p in self.store.iter("Pod"):
            if p is exclude or p["metadata"].get("namespace") != ns:
                continue
            for k, v in self.quota_pod_usage(p).items():
                used[k] = used.get(k, 0) + v
        return used

    @staticmethod
    def _quota_constraints(q: Obj, pod: Obj) -> str | None:
        """podEvaluator.Constraints: when a quota tracks cpu or memory, every container must state
        them: 'must specify limits.cpu for: app; requests.memory for: app,side'."""
        hard = (q.get("spec") or {}).get("hard") or {}
        required = {k for k in hard if k in ("cpu", "memory", "requests.cpu", "requests.memory",
                                              "limits.cpu", "limits.memory")}
        if not required:
            return None
        missing: dict[str, set[str]] = {}
        spec = pod.get("spec") or {}
        for c in list(spec.get("containers") or []) + list(spec.get("initContainers") or []):
            res = c.get("resources") or {}
            have = set()
            for r in ("cpu", "memory"):
                if r in (res.get("requests") or {}):
                    have |= {r, f"requests.{r}"}
                if r in (res.get("limits") or {}):
                    have.add(f"limits.{r}")
            for r in required - have:
                missing.setdefault(r, set()).add(c.get("name", ""))
        if not missing:
            return None
        return "must specify " + "; ".join(f"{r} for: {','.join(sorted(missing[r]))}" for r in sorted(missing))

    def _admit_quota(self, pod: Obj) -> None:
        """plugin/pkg/admission/resourcequota (pods, requests.*/limits.* cpu and memory, count/pods):
        'exceeded quota: <name>, requested: ..., used: ..., limited: ...'."""
        ns = pod["metadata"].get("namespace", "default")
        quotas = self.store.list("ResourceQuota", ns)
        if not quotas:
            return
        from kubetrainer.api.quantity import QuantityError, canonical, parse_quantity

        used = self.quota_used(ns)
        req = self.quota_pod_usage(pod)

        def fmt(k: str, v: Any) -> str:
            return f"{k}={canonical(v, 'BinarySI' if 'memory' in k else 'DecimalSI') if not isinstance(v, int) else v}"

        for q in quotas:
            why = self._quota_constraints(q, pod)
            if why is not None:
                # resourcequota/controller.go checkRequest: "failed quota: %s: %v"
                raise self._forbidden(pod, f"failed quota: {q['metadata']['name']}: {why}")
        for q in quotas:
            hard = (q.get("spec") or {}).get("hard") or {}
            bad = []
            for k, h in hard.items():
                if k not in req:
                    continue
                try:
                    limit = parse_quantity(h).value
                except QuantityError:
                    continue
                if used.get(k, 0) + req[k] > limit:
                    bad.append(k)
            if bad:
                bad.sort()
                hard_v = {k: parse_quantity(hard[k]).value for k in bad}
                def pretty(d: dict) -> str:
                    return ",".join(fmt(k, int(d[k]) if float(d[k]).is_integer() and k in ("pods", "count/pods")
                                       else d[k]) for k in bad)
                raise self._forbidden(pod, f"exceeded quota: {q['metadata']['name']}, requested: "
                                           f"{pretty(req)}, used: {pretty({k: used.get(k, 0) for k in bad})}, "
                                           f"limited: {pretty(hard_v)}")

    def apply(self, obj: Obj) -> str:
        """kubectl apply: create, or update what the file changed. 'created'/'configured'/'unchanged'."""
        meta = obj.get("metadata") or {}
        if not meta.get("name"):
            if meta.get("generateName"):
                raise UserError("error: cannot use generate name with apply")  # apply.go
            raise UserError("error: resource name may not be empty")
        kind, ns, name = key_of(obj)
        cur = self.store.get(kind, ns, name)
        if cur is None:
            self.create(obj)
            return "created"
        new = _default(obj)
        if kind == "Pod":
            add_default_tolerations(new)
            self._admit_priority(new, strict=False)   # the stored spec carries the resolved priority
        changed_spec = _strip(new.get("spec")) != _strip(cur.get("spec"))
        cm, nm = cur.get("metadata", {}), new.get("metadata", {})
        changed_meta = any((nm.get(k) or {}) != (cm.get(k) or {}) for k in ("labels", "annotations"))
        other = {k: v for k, v in new.items() if k not in ("metadata", "spec", "status", "apiVersion", "kind")}
        changed_other = any(cur.get(k) != v for k, v in other.items())
        if not (changed_spec or changed_meta or changed_other):
            return "unchanged"
        if changed_spec:
            problems = self._validate_update(new, cur)
            if problems:
                raise UserError(problems)
        updated = copy.deepcopy(cur)
        if "spec" in new:
            spec = new["spec"]
            if kind == "Pod" and (cur.get("spec") or {}).get("nodeName") and isinstance(spec, dict):
                spec["nodeName"] = cur["spec"]["nodeName"]   # set by the binding, not by the file
            updated["spec"] = spec
        for k, v in other.items():
            updated[k] = v
        for k in ("labels", "annotations"):
            if k in nm:
                updated["metadata"][k] = nm[k]
        ref = object_ref(updated)
        self.cluster.record_flow("kubectl", "apply", ref, f"PATCH {resource_name(kind)}")
        self.store.update(updated, spec_changed=changed_spec)
        self.cluster.record_flow("etcd", "persist", ref,
                                 f"resourceVersion {updated['metadata']['resourceVersion']}")
        return "configured"

    def _validate_update(self, new: Obj, old: Obj) -> str:
        from kubetrainer.api.validation import validate_update

        res = validate_update(old, new)
        if not res:
            return ""
        name = (new.get("metadata") or {}).get("name", "")
        return f'The {new["kind"]} "{name}" is invalid: ' + ", ".join(str(p) for p in res)

    def update(self, obj: Obj, spec_changed: bool = False) -> Obj:
        return self.store.update(obj, spec_changed=spec_changed)

    def bind(self, pod: Obj, node_name: str, actor: str = "scheduler") -> None:
        """pods/binding: set spec.nodeName and the PodScheduled condition (pkg/registry/core/pod/
        storage/storage.go assignPod)."""
        pod["spec"]["nodeName"] = node_name
        status = pod.setdefault("status", {})
        set_condition(status, "PodScheduled", "True", self.cluster.now)
        self.cluster.record_flow(actor, "bind", object_ref(pod), f"to {node_name}")
        self.store.update(pod)
        self.cluster.record_flow("etcd", "persist", object_ref(pod),
                                 f"binding, resourceVersion {pod['metadata']['resourceVersion']}")

    # -- delete ---------------------------------------------------------------------------------
    def delete(self, kind: str, namespace: str, name: str, grace_period: int | None = None,
               force: bool = False, actor: str = "kubectl", propagation: str | None = None) -> str:
        """Delete as the API server does. Returns kubectl's line ('pod "web" deleted').
        propagation "Orphan": the dependents lose their ownerReference to it and stay (the garbage
        collector's orphan finalizer). Raises KeyError(message) when the object does not exist."""
        obj = self.store.get(kind, namespace, name)
        if obj is None:
            raise KeyError(not_found(kind, name))
        if kind == "Namespace" and name in IMMORTAL_NAMESPACES:
            # plugin/pkg/admission/namespace/lifecycle: immortalNamespaces
            raise Forbidden(f'Error from server (Forbidden): namespaces "{name}" is forbidden: '
                            "this namespace may not be deleted")
        if propagation == "Foreground" and meta_has_no_deletion(obj):
            deps = self._dependents(obj["metadata"].get("uid"))
            if deps:
                # garbagecollector: the owner waits (deletionTimestamp + foregroundDeletion finalizer)
                # while its blocking dependents are deleted, in foreground too; it goes last.
                m = obj["metadata"]
                m["deletionTimestamp"] = self.cluster.now
                m["deletionGracePeriodSeconds"] = 0
                m["finalizers"] = list(m.get("finalizers") or []) + ["foregroundDeletion"]
                self.store.update(obj)
                self._foreground[m["uid"]] = obj
                self.cluster.record_flow("apiserver", "foreground-delete", object_ref(obj),
                                         f"waiting for {len(deps)} dependent(s)")
                for d in deps:
                    dm = d["metadata"]
                    try:
                        self.delete(d["kind"], dm.get("namespace", ""), dm["name"], propagation="Foreground",
                                    actor="garbage-collector")
                    except KeyError:
                        pass
                self._check_foreground()
                return f'{kind_slash_name(kind, name).rsplit("/", 1)[0]} "{name}" deleted'
        if propagation == "Orphan":
            uid = obj["metadata"].get("uid")
            for dep in list(self.store.all_objects()):
                refs = dep.get("metadata", {}).get("ownerReferences") or []
                kept = [r for r in refs if r.get("uid") != uid]
                if len(kept) != len(refs):
                    if kept:
                        dep["metadata"]["ownerReferences"] = kept
                    else:
                        dep["metadata"].pop("ownerReferences", None)
                    self.store.update(dep)
        ref = object_ref(obj)
        meta = obj["metadata"]
        word = "force deleted" if force and grace_period == 0 else "deleted"
        line = f'{kind_slash_name(kind, name).rsplit("/", 1)[0]} "{name}" {word}'
        self.cluster.record_flow(actor, "delete", ref,
                                 "DELETE" + (f" gracePeriodSeconds={grace_period}" if grace_period is not None else ""))
        if kind != "Pod":
            if self.in_use(obj):
                # StorageObjectInUseProtection: the protection finalizer keeps a claim a pod uses, or a
                # bound volume, Terminating; the PV controller finishes the deletion once it is free
                if meta.get("deletionTimestamp") is None:
                    meta["deletionTimestamp"] = self.cluster.now
                    meta["deletionGracePeriodSeconds"] = 0
                    self.store.update(obj)
                return line
            self.remove(obj)
            return line
        grace = grace_period
        if grace is None:
            grace = int(obj["spec"].get("terminationGracePeriodSeconds", 30) or 0)
        phase = (obj.get("status") or {}).get("phase")
        if not obj["spec"].get("nodeName") or phase in ("Succeeded", "Failed"):
            grace = 0  # CheckGracefulDelete
        if grace <= 0:
            self.remove(obj)
            return line
        now = self.cluster.now
        if meta.get("deletionTimestamp") is not None:
            # BeforeDelete: only a shorter grace period replaces the current one
            current_end = meta["deletionTimestamp"]
            if now + grace >= current_end:
                return line
        meta["deletionTimestamp"] = now + grace
        meta["deletionGracePeriodSeconds"] = grace
        self.cluster.record_flow("apiserver", "graceful-delete", ref, f"deletionTimestamp = now + {grace}s")
        self.store.update(obj)
        self.cluster.record_flow("etcd", "persist", ref, f"deletionTimestamp set, grace {grace}s")
        return line

    def _dependents(self, uid: str | None) -> list[Obj]:
        if not uid:
            return []
        out = []
        for dep in self.store.all_objects():
            for r in dep.get("metadata", {}).get("ownerReferences") or []:
                if r.get("uid") == uid:
                    out.append(dep)
                    break
        return out

    def _on_write(self, event: str, obj: Obj) -> None:
        if event == "DELETED" and self._foreground:
            self.cluster.clock.soon(self._check_foreground, label="foreground deletion")

    def _check_foreground(self) -> None:
        for uid, owner in list(self._foreground.items()):
            if self._dependents(uid):
                continue
            del self._foreground[uid]
            fins = [f for f in owner["metadata"].get("finalizers") or [] if f != "foregroundDeletion"]
            if fins:
                owner["metadata"]["finalizers"] = fins
            else:
                owner["metadata"].pop("finalizers", None)
            self.remove(owner, actor="garbage-collector")

    def in_use(self, obj: Obj) -> bool:
        """pkg/controller/volume/pvcprotection podUsesPVC (a scheduled pod with the claim among its
        volumes) and pvprotection isBeingUsed (a Bound volume), for objects with that finalizer."""
        fins = obj["metadata"].get("finalizers") or ()
        if obj["kind"] == "PersistentVolumeClaim" and "kubernetes.io/pvc-protection" in fins:
            name = obj["metadata"]["name"]
            return any((p.get("spec") or {}).get("nodeName") and storage.uses_claim(p, name)
                       for p in self.store.list("Pod", obj["metadata"].get("namespace") or "default"))
        if obj["kind"] == "PersistentVolume" and "kubernetes.io/pv-protection" in fins:
            return (obj.get("status") or {}).get("phase") == "Bound"
        return False

    def remove(self, obj: Obj, actor: str = "apiserver") -> None:
        """The object leaves storage for good (grace 0 delete, end of graceful termination, GC)."""
        ref = object_ref(obj)
        kind, ns, name = key_of(obj)
        if self.store.get(kind, ns, name) is not obj:
            return
        self.store.remove(obj)
        self.cluster.record_flow("etcd", "remove", ref, "object deleted")


def meta_has_no_deletion(obj: Obj) -> bool:
    return obj["metadata"].get("deletionTimestamp") is None


def _strip(spec: Any) -> Any:
    if isinstance(spec, dict):
        return {k: v for k, v in spec.items() if k != "nodeName"}
    return spec


def set_condition(status: Obj, ctype: str, value: str, now: float, reason: str | None = None,
                  message: str | None = None) -> bool:
    """Set a pod condition; lastTransitionTime changes only when the status does. True if changed."""
    conds = status.setdefault("conditions", [])
    for i, c in enumerate(conds):
        if c.get("type") == ctype:
            changed = c.get("status") != value or c.get("reason") != reason or c.get("message") != message
            # a new dict, never a change in place: pods share equal condition dicts (sim/sharing.py)
            c = conds[i] = dict(c)
            if c.get("status") != value:
                c["lastTransitionTime"] = now
            c["status"] = value
            _set_opt(c, "reason", reason)
            _set_opt(c, "message", message)
            return changed
    # kubelet status/generate.go and the registry leave LastProbeTime zero: `lastProbeTime: null`
    c = {"type": ctype, "status": value, "lastProbeTime": None, "lastTransitionTime": now}
    _set_opt(c, "reason", reason)
    _set_opt(c, "message", message)
    conds.append(c)
    return True


def _set_opt(d: Obj, key: str, value: Any) -> None:
    if value is None:
        d.pop(key, None)
    else:
        d[key] = value


def qos_class(pod: Obj) -> str:
    """pkg/apis/core/helper/qos/qos.go GetPodQOS (cpu and memory only)."""
    spec = pod.get("spec") or {}
    containers = list(spec.get("containers") or []) + list(spec.get("initContainers") or [])
    requests_any = limits_any = False
    guaranteed = True
    for c in containers:
        res = c.get("resources") or {}
        req = res.get("requests") or {}
        lim = res.get("limits") or {}
        for r in ("cpu", "memory"):
            if r in req:
                requests_any = True
            if r in lim:
                limits_any = True
            if r not in lim or r not in req or not _same_quantity(req[r], lim[r]):
                guaranteed = False
    if not requests_any and not limits_any:
        return "BestEffort"
    if guaranteed:
        return "Guaranteed"
    return "Burstable"


def _same_quantity(a: Any, b: Any) -> bool:
    from kubetrainer.api.quantity import QuantityError, parse_quantity

    try:
        return parse_quantity(a) == parse_quantity(b)
    except QuantityError:
        return str(a) == str(b)


# -- module-level conveniences (the controllers helper calls these) ---------------------------------
def create(cluster: "Cluster", obj: Obj, actor: str = "controller-manager") -> Obj:
    return cluster.apiserver.create(obj, actor=actor)


def delete(cluster: "Cluster", obj: Obj, grace_seconds: int | None = None,
           actor: str = "controller-manager") -> str:
    kind, ns, name = key_of(obj)
    try:
        return cluster.apiserver.delete(kind, ns, name, grace_period=grace_seconds, actor=actor)
    except KeyError:
        return ""
