"""Indexes the controllers share, kept up to date synchronously from the store's observers:
objects by owner uid (every ownerReference), orphans (no controller reference) by kind and
namespace, and pods by node. This keeps every controller sync O(changed objects), not O(all pods)
(the informers' indexers do the same job upstream)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kubetrainer.sim.cluster import Cluster

Obj = dict[str, Any]
Key = tuple[str, str]  # (namespace, name)

INDEXED_KINDS = ("Pod", "ReplicaSet", "ControllerRevision", "Job", "PersistentVolumeClaim")


class OwnerIndex:
    def __init__(self) -> None:
        # (kind, owner uid) -> {(ns, name): obj}
        self.by_owner: dict[tuple[str, str], dict[Key, Obj]] = {}
        # (kind, ns, name) -> tuple of owner uids / controller uid
        self._owners_of: dict[tuple[str, str, str], tuple[str, ...]] = {}
        # kind -> ns -> {(ns, name): obj} for objects without a controller reference
        self.orphans: dict[str, dict[str, dict[Key, Obj]]] = {}
        self._orphan_of: dict[tuple[str, str, str], str] = {}
        # node name -> {(ns, name): pod}
        self.by_node: dict[str, dict[Key, Obj]] = {}
        self._node_of: dict[Key, str] = {}

    # -- reads --------------------------------------------------------------------------------------
    def owned(self, kind: str, owner_uid: str) -> list[Obj]:
        return list(self.by_owner.get((kind, owner_uid), {}).values())

    def owned_map(self, kind: str, owner_uid: str) -> dict[Key, Obj]:
        return self.by_owner.get((kind, owner_uid), {})

    def orphans_in(self, kind: str, namespace: str) -> list[Obj]:
        return list(self.orphans.get(kind, {}).get(namespace, {}).values())

    def pods_on_node(self, node: str) -> list[Obj]:
        return list(self.by_node.get(node, {}).values())

    # -- maintenance ----------------------------------------------------------------------------------
    def observe(self, event: str, obj: Obj) -> None:
        kind = obj.get("kind")
        if kind not in INDEXED_KINDS:
            return
        meta = obj["metadata"]
        ns = meta.get("namespace") or "default"
        key = (ns, meta["name"])
        full = (kind, ns, meta["name"])
        old = self._owners_of.pop(full, ())
        for uid in old:
            bucket = self.by_owner.get((kind, uid))
            if bucket is not None:
                bucket.pop(key, None)
                if not bucket:
                    del self.by_owner[(kind, uid)]
        old_ns = self._orphan_of.pop(full, None)
        if old_ns is not None:
            self.orphans.get(kind, {}).get(old_ns, {}).pop(key, None)
        if kind == "Pod":
            old_node = self._node_of.pop(key, None)
            if old_node is not None:
                b = self.by_node.get(old_node)
                if b is not None:
                    b.pop(key, None)
        if event == "DELETED":
            return
        refs = meta.get("ownerReferences") or ()
        uids = tuple(r.get("uid") for r in refs if r.get("uid"))
        if uids:
            self._owners_of[full] = uids
            for uid in uids:
                self.by_owner.setdefault((kind, uid), {})[key] = obj
        if not any(r.get("controller") for r in refs):
            self.orphans.setdefault(kind, {}).setdefault(ns, {})[key] = obj
            self._orphan_of[full] = ns
        if kind == "Pod":
            node = (obj.get("spec") or {}).get("nodeName")
            if node:
                self.by_node.setdefault(node, {})[key] = obj
                self._node_of[key] = node


def owner_index(cluster: "Cluster") -> OwnerIndex:
    idx = getattr(cluster, "_controllers_owner_index", None)
    if idx is None:
        idx = OwnerIndex()
        cluster._controllers_owner_index = idx  # type: ignore[attr-defined]
        for kind in INDEXED_KINDS:
            for obj in cluster.store.list(kind):
                idx.observe("ADDED", obj)
        cluster.store.observers.append(idx.observe)
    return idx


def shared_watch(cluster: "Cluster", kind: str, handler: Any) -> None:
    """One store watch per kind for all the controllers (one clock entry per write instead of one per
    controller); handlers run in registration order, as separate informers' handlers would."""
    reg = getattr(cluster, "_controllers_watches", None)
    if reg is None:
        reg = {}
        cluster._controllers_watches = reg  # type: ignore[attr-defined]
    handlers = reg.get(kind)
    if handlers is None:
        handlers = []
        reg[kind] = handlers

        def dispatch(event: str, obj: Obj) -> None:
            for h in handlers:
                h(event, obj)

        cluster.store.watch(kind, dispatch)
    handlers.append(handler)
