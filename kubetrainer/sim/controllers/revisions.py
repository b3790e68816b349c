"""ControllerRevisions of DaemonSets and StatefulSets (pkg/controller/history, daemon/update.go
constructHistory, statefulset/stateful_set_control.go getStatefulSetRevisions): one revision object
per distinct pod template, named `<owner>-<hash>`, whose `revision` is bumped to max+1 when an older
template becomes current again (a rollback); at most revisionHistoryLimit (10) unused ones are kept."""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any

from kubetrainer.sim.controllers.common import apiserver, controller_ref, make_controller_ref
from kubetrainer.sim.controllers.index import owner_index

if TYPE_CHECKING:
    from kubetrainer.sim.cluster import Cluster

Obj = dict[str, Any]


def revisions_of(cluster: "Cluster", owner: Obj) -> list[Obj]:
    uid = owner["metadata"].get("uid")
    return sorted((r for r in owner_index(cluster).owned("ControllerRevision", uid)
                   if (controller_ref(r) or {}).get("uid") == uid), key=lambda r: int(r.get("revision") or 0))


def sync_revision(cluster: "Cluster", owner: Obj, name: str, in_use: set[str]) -> int:
    """Make `name` (the current template's revision) the newest one; returns its revision number."""
    api = apiserver(cluster)
    revs = revisions_of(cluster, owner)
    top = max((int(r.get("revision") or 0) for r in revs), default=0)
    cur = next((r for r in revs if r["metadata"]["name"] == name), None)
    if cur is None:
        template = copy.deepcopy(owner["spec"].get("template") or {})
        template["$patch"] = "replace"
        obj = {"apiVersion": "apps/v1", "kind": "ControllerRevision",
               "metadata": {"name": name, "namespace": owner["metadata"]["namespace"],
                            "labels": dict(((owner["spec"].get("template") or {}).get("metadata") or {})
                                           .get("labels") or {}),
                            "annotations": {k: v for k, v in (owner["metadata"].get("annotations") or {}).items()
                                            if k != "kubectl.kubernetes.io/last-applied-configuration"},
                            "ownerReferences": [make_controller_ref(owner)]},
               "data": {"spec": {"template": template}}, "revision": top + 1}
        try:
            cur = api.create(obj, actor="controller-manager")
        except Exception:  # a stale object of the same name: leave it to the next sync
            return top
        revs.append(cur)
    elif int(cur.get("revision") or 0) < top:
        cur["revision"] = top + 1
        api.update(cur)
    limit = owner["spec"].get("revisionHistoryLimit", 10)
    limit = 10 if limit is None else int(limit)
    old = [r for r in revs if r is not cur and r["metadata"]["name"] not in in_use]
    for r in old[:max(0, len(old) - limit)]:
        try:
            api.delete("ControllerRevision", r["metadata"]["namespace"], r["metadata"]["name"],
                       actor="controller-manager")
        except KeyError:
            pass
    return int(cur.get("revision") or 0)


def revision_template(rev: Obj) -> Obj:
    t = copy.deepcopy(((rev.get("data") or {}).get("spec") or {}).get("template") or {})
    t.pop("$patch", None)
    return t
