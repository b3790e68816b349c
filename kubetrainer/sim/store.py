"""The API server's storage, as etcd + apiserver present it to controllers.

Objects are plain Kubernetes-shaped dicts (apiVersion, kind, metadata, spec, status), keyed by
(kind, namespace, name). Every write bumps a global resourceVersion and queues a watch event;
watch handlers run on the clock at the current virtual time (asynchronously, as informers do),
in write order, so components never re-enter each other.
"""

from __future__ import annotations

import hashlib
import random
from typing import Any, Callable, Iterator

from kubetrainer.api.intake import CLUSTER_SCOPED  # every cluster-scoped kind of the served API
from kubetrainer.sim.clock import Clock

Obj = dict[str, Any]
Handler = Callable[[str, Obj], None]  # (event type ADDED|MODIFIED|DELETED, object)


# The kinds whose registry strategy sets metadata.generation on create and bumps it when the spec
# changes (PrepareForCreate / PrepareForUpdate; pods since 1.33); a ConfigMap, Service, Node or
# claim has none (`kubectl get -o yaml` shows no generation).
GENERATION_KINDS = frozenset({"Pod", "Deployment", "ReplicaSet", "StatefulSet", "DaemonSet", "ReplicationController",
                              "Job", "CronJob", "Ingress", "NetworkPolicy", "PodDisruptionBudget",
                              "CustomResourceDefinition"})


def _uuid(s: str) -> str:
    """32 hex digits shaped like the API server's version-4 UUIDs."""
    return f"{s[:8]}-{s[8:12]}-4{s[13:16]}-a{s[17:20]}-{s[20:32]}"


def fixed_uid(*parts: str) -> str:
    """A uid from a name, for the objects a cluster has from the start: drawing them from the seeded
    random numbers would change every generated name after them."""
    return _uuid(hashlib.sha256("/".join(("kubetrainer",) + parts).encode()).hexdigest())


class NotFound(KeyError):
    pass


class AlreadyExists(KeyError):
    pass


def key_of(obj: Obj) -> tuple[str, str, str]:
    meta = obj["metadata"]
    kind = obj["kind"]
    ns = "" if kind in CLUSTER_SCOPED else meta.get("namespace") or "default"
    return kind, ns, meta["name"]


class Store:
    def __init__(self, clock: Clock, rng: random.Random) -> None:
        self.clock = clock
        self.rng = rng
        self.resource_version = 0
        self._objects: dict[str, dict[tuple[str, str], Obj]] = {}
        self._watchers: dict[str, list[Handler]] = {}
        self._uid_counter = 0
        # Synchronous observers see every write as it happens (the timeline and the TUI's flow
        # panel need each change, not only the last one of an instant). They must not write.
        self.observers: list[Callable[[str, Obj], None]] = []

    # -- reads ----------------------------------------------------------------------------
    def get(self, kind: str, namespace: str, name: str) -> Obj | None:
        ns = "" if kind in CLUSTER_SCOPED else namespace or "default"
        return self._objects.get(kind, {}).get((ns, name))

    def must_get(self, kind: str, namespace: str, name: str) -> Obj:
        obj = self.get(kind, namespace, name)
        if obj is None:
            raise NotFound(f'{kind.lower()}s "{name}" not found')
        return obj

    def list(self, kind: str, namespace: str | None = None) -> list[Obj]:
        """Objects of `kind` in creation order (dicts keep insertion order)."""
        objs = self._objects.get(kind, {})
        if namespace is None:
            return list(objs.values())
        return [o for (ns, _), o in objs.items() if ns == namespace]

    def all_objects(self) -> Iterator[Obj]:
        """Every stored object, kinds in first-creation order."""
        for bucket in list(self._objects.values()):
            yield from list(bucket.values())

    def iter(self, kind: str) -> Iterator[Obj]:
        return iter(self._objects.get(kind, {}).values())

    def count(self, kind: str) -> int:
        return len(self._objects.get(kind, {}))

    # -- writes ---------------------------------------------------------------------------
    def _next_rv(self) -> str:
        self.resource_version += 1
        return str(self.resource_version)

    def new_uid(self) -> str:
        # Seeded, so runs are byte-identical; shaped like a UUID as the apiserver's are.
        self._uid_counter += 1
        return _uuid(f"{self.rng.getrandbits(128):032x}")

    def create(self, obj: Obj) -> Obj:
        kind, ns, name = key_of(obj)
        bucket = self._objects.setdefault(kind, {})
        if (ns, name) in bucket:
            raise AlreadyExists(f'{kind.lower()}s "{name}" already exists')
        meta = obj["metadata"]
        if kind not in CLUSTER_SCOPED:
            meta["namespace"] = ns
        if not meta.get("uid"):
            meta["uid"] = self.new_uid()
        meta.setdefault("creationTimestamp", self.clock.now)
        meta["resourceVersion"] = self._next_rv()
        if kind in GENERATION_KINDS:
            meta.setdefault("generation", 1)
        bucket[(ns, name)] = obj
        self._notify(kind, "ADDED", obj)
        return obj

    def update(self, obj: Obj, spec_changed: bool = False) -> Obj:
        kind, ns, name = key_of(obj)
        if (ns, name) not in self._objects.get(kind, {}):
            raise NotFound(f'{kind.lower()}s "{name}" not found')
        meta = obj["metadata"]
        meta["resourceVersion"] = self._next_rv()
        if spec_changed and kind in GENERATION_KINDS:
            meta["generation"] = meta.get("generation", 1) + 1
        self._objects[kind][(ns, name)] = obj
        self._notify(kind, "MODIFIED", obj)
        return obj

    def remove(self, obj: Obj) -> None:
        """Remove the object from storage for good (after graceful deletion has finished)."""
        kind, ns, name = key_of(obj)
        if self._objects.get(kind, {}).pop((ns, name), None) is not None:
            obj["metadata"]["resourceVersion"] = self._next_rv()
            self._notify(kind, "DELETED", obj)

    # -- watches --------------------------------------------------------------------------
    def watch(self, kind: str, handler: Handler) -> None:
        self._watchers.setdefault(kind, []).append(handler)

    def _notify(self, kind: str, event: str, obj: Obj) -> None:
        for observer in self.observers:
            observer(event, obj)
        for handler in self._watchers.get(kind, ()):
            self.clock.soon(handler, event, obj, label=f"watch {kind} {event}")
