"""The Deployment controller (pkg/controller/deployment/*).

deployment_controller.go syncDeployment -> (paused | scaling event) sync.go sync/scale (proportional
scaling) | rolling.go rolloutRolling | recreate.go rolloutRecreate; sync.go getNewReplicaSet
(pod-template-hash ReplicaSets, revisions), syncRolloutStatus / calculateStatus (conditions),
progress.go requeueStuckDeployment (ProgressDeadlineExceeded), sync.go cleanupDeployment
(revisionHistoryLimit). Event texts as of v1.31+ (PR #125118):
`Scaled up replica set <rs> from 0 to <n>` / `Scaled <up|down> replica set <rs> from <old> to <new>`.
"""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any

from kubetrainer.sim.controllers import deployment_util as du
from kubetrainer.sim.controllers.common import (
    WorkQueue, apiserver, compute_hash, controller_ref, make_controller_ref, selector_matches, ts)
from kubetrainer.sim.controllers.index import owner_index, shared_watch

if TYPE_CHECKING:
    from kubetrainer.sim.cluster import Cluster

Obj = dict[str, Any]
SOURCE = "deployment-controller"
MAX_REV_HISTORY_CHARS = 2000


class DeploymentController:
    name = "deployment-controller"

    def attach(self, cluster: "Cluster") -> None:
        self.cluster = cluster
        self.store = cluster.store
        self.idx = owner_index(cluster)
        self.queue = WorkQueue(cluster, self.sync, "deployment-controller sync")
        shared_watch(cluster, "Deployment", self._on_deployment)
        shared_watch(cluster, "ReplicaSet", self._on_rs)
        shared_watch(cluster, "Pod", self._on_pod)

    @property
    def api(self) -> Any:
        return apiserver(self.cluster)

    # -- handlers -----------------------------------------------------------------------------------------
    def _on_deployment(self, event: str, d: Obj) -> None:
        if event != "DELETED":
            self.queue.add((d["metadata"]["namespace"], d["metadata"]["name"]))

    def _on_rs(self, event: str, rs: Obj) -> None:
        ns = rs["metadata"]["namespace"]
        ref = controller_ref(rs)
        if ref is not None:
            if ref.get("kind") == "Deployment":
                self.queue.add((ns, ref["name"]))
            return
        if event == "DELETED":
            return
        for d in self.store.list("Deployment", ns):
            if selector_matches(d["spec"].get("selector"), rs["metadata"].get("labels")):
                self.queue.add((ns, d["metadata"]["name"]))

    def _on_pod(self, event: str, pod: Obj) -> None:
        # deletePod: a Recreate rollout waits for the old pods to be gone
        if event != "DELETED":
            return
        ref = controller_ref(pod)
        if ref is None or ref.get("kind") != "ReplicaSet":
            return
        ns = pod["metadata"].get("namespace") or "default"
        rs = self.store.get("ReplicaSet", ns, ref["name"])
        if rs is None:
            return
        dref = controller_ref(rs)
        if dref is not None and dref.get("kind") == "Deployment":
            d = self.store.get("Deployment", ns, dref["name"])
            if d is not None and not du.is_rolling(d):
                self.queue.add((ns, dref["name"]))

    # -- helpers --------------------------------------------------------------------------------------------
    def event(self, d: Obj, reason: str, message: str, type_: str = "Normal") -> None:
        self.cluster.event(d, type_, reason, message, SOURCE)

    def claim_replica_sets(self, d: Obj) -> list[Obj]:
        """getReplicaSetsForDeployment: ClaimReplicaSets (adopt matching orphans, release the rest)."""
        uid = d["metadata"]["uid"]
        sel = d["spec"].get("selector")
        deleting = d["metadata"].get("deletionTimestamp") is not None
        out: list[Obj] = []
        for rs in self.idx.owned("ReplicaSet", uid):
            ref = controller_ref(rs)
            if ref is None or ref.get("uid") != uid:
                continue
            if selector_matches(sel, rs["metadata"].get("labels")):
                out.append(rs)
            elif not deleting:
                rs["metadata"]["ownerReferences"] = [r for r in rs["metadata"].get("ownerReferences") or ()
                                                     if r.get("uid") != uid]
                self.api.update(rs)
        if not deleting:
            for rs in self.idx.orphans_in("ReplicaSet", d["metadata"]["namespace"]):
                if rs["metadata"].get("deletionTimestamp") is None and selector_matches(sel, rs["metadata"].get("labels")):
                    rs["metadata"]["ownerReferences"] = list(rs["metadata"].get("ownerReferences") or ()) + [
                        make_controller_ref(d)]
                    self.api.update(rs)
                    out.append(rs)
        return out

    def update_status(self, d: Obj) -> None:
        self.api.update(d)

    # -- sync ------------------------------------------------------------------------------------------------
    def sync(self, key: tuple[str, str]) -> None:
        try:
            self._sync(key)
        except du.IntOrPercentError:
            # upstream: the sync returns the error and the key is requeued; validation normally
            # rejects such values before they reach the controller
            pass

    def _sync(self, key: tuple[str, str]) -> None:
        ns, name = key
        d = self.store.get("Deployment", ns, name)
        if d is None:
            return
        d.setdefault("status", {})
        rss = self.claim_replica_sets(d)
        if d["metadata"].get("deletionTimestamp") is not None:
            self.sync_status_only(d, rss)
            return
        self.check_paused_conditions(d)
        if d["spec"].get("paused"):
            self.sync_scale(d, rss)
            return
        if self.is_scaling_event(d, rss):
            self.sync_scale(d, rss)
            return
        if du.is_rolling(d):
            self.rollout_rolling(d, rss)
        else:
            self.rollout_recreate(d, rss)

    def check_paused_conditions(self, d: Obj) -> None:
        if not du.has_progress_deadline(d):
            return
        st = d["status"]
        cond = du.get_condition(st, "Progressing")
        if cond is not None and cond.get("reason") == du.TIMED_OUT_REASON:
            return
        paused_exists = cond is not None and cond.get("reason") == du.PAUSED_REASON
        now = self.cluster.now
        if d["spec"].get("paused") and not paused_exists:
            du.set_condition(st, du.new_condition("Progressing", "Unknown", du.PAUSED_REASON,
                                                  "Deployment is paused", now))
            self.update_status(d)
        elif not d["spec"].get("paused") and paused_exists:
            du.set_condition(st, du.new_condition("Progressing", "Unknown", du.RESUMED_REASON,
                                                  "Deployment is resumed", now))
            self.update_status(d)

    # getAllReplicaSetsAndSyncRevision / getNewReplicaSet
    def get_all_rss(self, d: Obj, rss: list[Obj], create: bool) -> tuple[Obj | None, list[Obj]]:
        existing = du.find_new_rs(d, rss)
        old = [rs for rs in rss if rs is not existing]
        new_rs = self.get_new_rs(d, rss, old, existing, create)
        return new_rs, old

    def _set_new_rs_annotations(self, d: Obj, rs: Obj, new_revision: int, exists: bool) -> bool:
        ann = rs["metadata"].setdefault("annotations", {})
        changed = False
        for k, v in (d["metadata"].get("annotations") or {}).items():
            if k in du.ANNOTATIONS_TO_SKIP or ann.get(k) == v:
                continue
            ann[k] = v
            changed = True
        old = ann.get(du.REVISION)
        try:
            old_int = int(old) if old is not None and old != "" else 0
        except ValueError:
            return False
        if old_int < new_revision:
            ann[du.REVISION] = str(new_revision)
            changed = True
            if old is not None:
                hist = ann.get(du.REVISION_HISTORY, "")
                parts = hist.split(",") if hist else []
                parts.append(old)
                while len(",".join(parts)) > MAX_REV_HISTORY_CHARS and len(parts) > 1:
                    parts.pop(0)
                ann[du.REVISION_HISTORY] = ",".join(parts)
        if not exists and self._set_replicas_annotations(d, rs):
            changed = True
        return changed

    def _set_replicas_annotations(self, d: Obj, rs: Obj) -> bool:
        ann = rs["metadata"].setdefault("annotations", {})
        desired = str(du.replicas_of(d))
        maxr = str(du.replicas_of(d) + du.max_surge(d))
        changed = ann.get(du.DESIRED_REPLICAS) != desired or ann.get(du.MAX_REPLICAS) != maxr
        ann[du.DESIRED_REPLICAS] = desired
        ann[du.MAX_REPLICAS] = maxr
        return changed

    def _set_deployment_revision(self, d: Obj, revision: str | None) -> bool:
        if revision is None:
            return False
        ann = d["metadata"].setdefault("annotations", {})
        if ann.get(du.REVISION) != revision:
            ann[du.REVISION] = revision
            return True
        return False

    def get_new_rs(self, d: Obj, rss: list[Obj], old: list[Obj], existing: Obj | None,
                   create: bool) -> Obj | None:
        now = self.cluster.now
        new_revision = du.max_revision(old) + 1
        if existing is not None:
            changed = self._set_new_rs_annotations(d, existing, new_revision, True)
            mrs = int(d["spec"].get("minReadySeconds") or 0)
            if changed or int(existing["spec"].get("minReadySeconds") or 0) != mrs:
                existing["spec"]["minReadySeconds"] = mrs
                self.api.update(existing)
            needs = self._set_deployment_revision(
                d, (existing["metadata"].get("annotations") or {}).get(du.REVISION))
            if du.has_progress_deadline(d) and du.get_condition(d["status"], "Progressing") is None:
                du.set_condition(d["status"], du.new_condition(
                    "Progressing", "True", du.FOUND_NEW_RS_REASON,
                    f'Found new replica set "{existing["metadata"]["name"]}"', now))
                needs = True
            if needs:
                self.update_status(d)
            return existing
        if not create:
            return None
        template = copy.deepcopy(d["spec"].get("template") or {})
        collisions = int(d["status"].get("collisionCount") or 0)
        while True:
            h = compute_hash(d["spec"].get("template") or {}, collisions)
            name = f'{d["metadata"]["name"]}-{h}'
            clash = self.store.get("ReplicaSet", d["metadata"]["namespace"], name)
            if clash is None:
                break
            # hash collision (sync.go): a different template under the same name
            collisions += 1
            d["status"]["collisionCount"] = collisions
        tmeta = template.setdefault("metadata", {})
        tmeta["labels"] = dict(tmeta.get("labels") or {}, **{du.HASH_LABEL: h})
        selector = copy.deepcopy(d["spec"].get("selector") or {})
        selector["matchLabels"] = dict(selector.get("matchLabels") or {}, **{du.HASH_LABEL: h})
        rs: Obj = {
            "apiVersion": "apps/v1", "kind": "ReplicaSet",
            "metadata": {"name": name, "namespace": d["metadata"]["namespace"],
                         "labels": dict(tmeta["labels"]), "ownerReferences": [make_controller_ref(d)]},
            "spec": {"replicas": 0, "minReadySeconds": int(d["spec"].get("minReadySeconds") or 0),
                     "selector": selector, "template": template},
        }
        rs["spec"]["replicas"] = du.new_rs_new_replicas(d, old + [rs], rs)
        self._set_new_rs_annotations(d, rs, new_revision, False)
        created = self.api.create(rs, actor="controller-manager")
        n = du.rs_replicas(created)
        if n > 0:
            self.event(d, "ScalingReplicaSet", f"Scaled up replica set {name} from 0 to {n}")
        self._set_deployment_revision(d, str(new_revision))
        if du.has_progress_deadline(d):
            du.set_condition(d["status"], du.new_condition(
                "Progressing", "True", du.NEW_RS_REASON, f'Created new replica set "{name}"', now))
        self.update_status(d)
        return created

    # -- scaling --------------------------------------------------------------------------------------------
    def scale_rs(self, rs: Obj, new_scale: int, d: Obj, op: str | None = None) -> bool:
        """scaleReplicaSet (+ the ScalingReplicaSet event)."""
        old = du.rs_replicas(rs)
        size_changed = old != new_scale
        ann = rs["metadata"].get("annotations") or {}
        desired = str(du.replicas_of(d))
        maxr = str(du.replicas_of(d) + du.max_surge(d))
        ann_changed = ann.get(du.DESIRED_REPLICAS) != desired or ann.get(du.MAX_REPLICAS) != maxr
        if not (size_changed or ann_changed):
            return False
        rs["spec"]["replicas"] = new_scale
        self._set_replicas_annotations(d, rs)
        self.api.update(rs, spec_changed=size_changed)
        if size_changed:
            if op is None:
                op = "up" if old < new_scale else "down"
            self.event(d, "ScalingReplicaSet", f"Scaled {op} replica set {rs['metadata']['name']} from {old} to {new_scale}")
        return size_changed

    def scale_rs_and_record(self, rs: Obj, new_scale: int, d: Obj) -> bool:
        if du.rs_replicas(rs) == new_scale:
            return False
        op = "up" if du.rs_replicas(rs) < new_scale else "down"
        return self.scale_rs(rs, new_scale, d, op)

    def is_scaling_event(self, d: Obj, rss: list[Obj]) -> bool:
        new_rs, old = self.get_all_rss(d, rss, False)
        for rs in du.filter_active(old + [new_rs]):
            v = (rs["metadata"].get("annotations") or {}).get(du.DESIRED_REPLICAS)
            try:
                desired = int(v)
            except (TypeError, ValueError):
                continue
            if desired != du.replicas_of(d):
                return True
        return False

    def sync_scale(self, d: Obj, rss: list[Obj]) -> None:
        """sync.go sync: scale, cleanup when paused, status."""
        new_rs, old = self.get_all_rss(d, rss, False)
        self.scale(d, new_rs, old)
        if d["spec"].get("paused"):
            self.cleanup(d, old)
        self.sync_deployment_status(d, old + ([new_rs] if new_rs else []), new_rs)

    def scale(self, d: Obj, new_rs: Obj | None, old: list[Obj]) -> None:
        latest = du.find_active_or_latest(new_rs, old)
        if latest is not None:
            if du.rs_replicas(latest) == du.replicas_of(d):
                return
            self.scale_rs_and_record(latest, du.replicas_of(d), d)
            return
        if du.is_saturated(d, new_rs):
            for rs in du.filter_active(old):
                self.scale_rs_and_record(rs, 0, d)
            return
        if du.is_rolling(d):
            all_rss = du.filter_active(old + [new_rs])
            total = du.replica_count(all_rss)
            allowed = du.replicas_of(d) + du.max_surge(d) if du.replicas_of(d) > 0 else 0
            to_add = allowed - total
            op = None
            key_new = lambda rs: (-du.rs_replicas(rs), -ts(rs["metadata"].get("creationTimestamp")),  # noqa: E731
                                  _neg(rs["metadata"]["name"]))
            key_old = lambda rs: (-du.rs_replicas(rs), ts(rs["metadata"].get("creationTimestamp")),  # noqa: E731
                                  rs["metadata"]["name"])
            if to_add > 0:
                all_rss.sort(key=key_new)  # ReplicaSetsBySizeNewer
                op = "up"
            elif to_add < 0:
                all_rss.sort(key=key_old)  # ReplicaSetsBySizeOlder
                op = "down"
            added = 0
            sizes: dict[str, int] = {}
            for rs in all_rss:
                if to_add != 0:
                    p = du.get_proportion(rs, d, to_add, added)
                    sizes[rs["metadata"]["name"]] = du.rs_replicas(rs) + p
                    added += p
                else:
                    sizes[rs["metadata"]["name"]] = du.rs_replicas(rs)
            for i, rs in enumerate(all_rss):
                n = rs["metadata"]["name"]
                if i == 0 and to_add != 0:
                    sizes[n] = max(0, sizes[n] + to_add - added)
                self.scale_rs(rs, sizes[n], d, op)

    # -- rolling ----------------------------------------------------------------------------------------------
    def rollout_rolling(self, d: Obj, rss: list[Obj]) -> None:
        new_rs, old = self.get_all_rss(d, rss, True)
        all_rss = old + [new_rs]
        if self.reconcile_new_rs(all_rss, new_rs, d):
            self.sync_rollout_status(all_rss, new_rs, d)
            return
        if self.reconcile_old_rss(all_rss, du.filter_active(old), new_rs, d):
            self.sync_rollout_status(all_rss, new_rs, d)
            return
        if du.deployment_complete(d, d["status"]):
            self.cleanup(d, old)
        self.sync_rollout_status(all_rss, new_rs, d)

    def reconcile_new_rs(self, all_rss: list[Obj], new_rs: Obj, d: Obj) -> bool:
        r = du.replicas_of(d)
        if du.rs_replicas(new_rs) == r:
            return False
        if du.rs_replicas(new_rs) > r:
            return self.scale_rs_and_record(new_rs, r, d)
        return self.scale_rs_and_record(new_rs, du.new_rs_new_replicas(d, all_rss, new_rs), d)

    def reconcile_old_rss(self, all_rss: list[Obj], old: list[Obj], new_rs: Obj, d: Obj) -> bool:
        if du.replica_count(old) == 0:
            return False
        all_count = du.replica_count(all_rss)
        min_available = du.replicas_of(d) - du.max_unavailable(d)
        new_unavailable = du.rs_replicas(new_rs) - du.rs_status(new_rs, "availableReplicas")
        max_scaled_down = all_count - min_available - new_unavailable
        if max_scaled_down <= 0:
            return False
        cleaned = self.cleanup_unhealthy(old, d, max_scaled_down)
        scaled = self.scale_down_old_for_rolling(all_rss, old, d)
        return cleaned + scaled > 0

    def cleanup_unhealthy(self, old: list[Obj], d: Obj, max_cleanup: int) -> int:
        total = 0
        for rs in du.by_creation(old):
            if total >= max_cleanup:
                break
            spec = du.rs_replicas(rs)
            avail = du.rs_status(rs, "availableReplicas")
            if spec == 0 or spec == avail:
                continue
            n = min(max_cleanup - total, spec - avail)
            self.scale_rs_and_record(rs, spec - n, d)
            total += n
        return total

    def scale_down_old_for_rolling(self, all_rss: list[Obj], old: list[Obj], d: Obj) -> int:
        min_available = du.replicas_of(d) - du.max_unavailable(d)
        available = du.available_replica_count(all_rss)
        if available <= min_available:
            return 0
        total = 0
        to_scale = available - min_available
        for rs in du.by_creation(old):
            if total >= to_scale:
                break
            if du.rs_replicas(rs) == 0:
                continue
            n = min(du.rs_replicas(rs), to_scale - total)
            self.scale_rs_and_record(rs, du.rs_replicas(rs) - n, d)
            total += n
        return total

    # -- recreate ----------------------------------------------------------------------------------------------
    def rollout_recreate(self, d: Obj, rss: list[Obj]) -> None:
        new_rs, old = self.get_all_rss(d, rss, False)
        all_rss = old + ([new_rs] if new_rs else [])
        scaled = False
        for rs in du.filter_active(old):
            if self.scale_rs_and_record(rs, 0, d):
                scaled = True
        if scaled:
            self.sync_rollout_status(all_rss, new_rs, d)
            return
        if self.old_pods_running(new_rs, old):
            self.sync_rollout_status(all_rss, new_rs, d)
            return
        if new_rs is None:
            new_rs, old = self.get_all_rss(d, rss, True)
            all_rss = old + [new_rs]
        if du.rs_replicas(new_rs) != du.replicas_of(d):
            self.scale_rs_and_record(new_rs, du.replicas_of(d), d)
        if du.deployment_complete(d, d["status"]):
            self.cleanup(d, old)
        self.sync_rollout_status(all_rss, new_rs, d)

    def old_pods_running(self, new_rs: Obj | None, old: list[Obj]) -> bool:
        if du.actual_replica_count(old) > 0:
            return True
        for rs in old:
            for pod in self.idx.owned("Pod", rs["metadata"]["uid"]):
                ref = controller_ref(pod)
                if ref is None or ref.get("uid") != rs["metadata"]["uid"]:
                    continue
                if (pod.get("status") or {}).get("phase") in ("Failed", "Succeeded"):
                    continue
                return True
        return False

    # -- cleanup / status ------------------------------------------------------------------------------------------
    def cleanup(self, d: Obj, old: list[Obj]) -> None:
        limit = d["spec"].get("revisionHistoryLimit", 10)
        if limit is None:
            return
        alive = [rs for rs in old if rs["metadata"].get("deletionTimestamp") is None]
        diff = len(alive) - int(limit)
        if diff <= 0:
            return
        alive.sort(key=lambda rs: (du.revision_of(rs), ts(rs["metadata"].get("creationTimestamp")),
                                   rs["metadata"]["name"]))
        for rs in alive[:diff]:
            st = rs.get("status") or {}
            if (int(st.get("replicas") or 0) != 0 or du.rs_replicas(rs) != 0
                    or int(rs["metadata"].get("generation") or 1) > int(st.get("observedGeneration") or 0)):
                continue
            try:
                self.api.delete("ReplicaSet", rs["metadata"]["namespace"], rs["metadata"]["name"],
                                actor="controller-manager")
            except KeyError:
                pass

    def calculate_status(self, all_rss: list[Obj], new_rs: Obj | None, d: Obj) -> Obj:
        rss = [rs for rs in all_rss if rs is not None]
        available = du.available_replica_count(rss)
        total = du.replica_count(rss)
        unavailable = max(0, total - available)
        old = d["status"]
        st: Obj = {"observedGeneration": d["metadata"].get("generation", 1),
                   "replicas": du.actual_replica_count(rss),
                   "updatedReplicas": du.actual_replica_count([new_rs]) if new_rs else 0,
                   "readyReplicas": du.ready_replica_count(rss),
                   "availableReplicas": available,
                   "unavailableReplicas": unavailable,
                   "conditions": copy.deepcopy(old.get("conditions") or [])}
        for k in ("replicas", "updatedReplicas", "readyReplicas", "availableReplicas", "unavailableReplicas"):
            if not st[k]:
                del st[k]   # DeploymentStatus int fields are omitempty
        if old.get("collisionCount") is not None:
            st["collisionCount"] = old["collisionCount"]
        now = self.cluster.now
        if available >= du.replicas_of(d) - du.max_unavailable(d):
            du.set_condition(st, du.new_condition("Available", "True", du.MIN_AVAILABLE_REASON,
                                                  "Deployment has minimum availability.", now))
        else:
            du.set_condition(st, du.new_condition("Available", "False", du.MIN_UNAVAILABLE_REASON,
                                                  "Deployment does not have minimum availability.", now))
        return st

    def _write_status(self, d: Obj, st: Obj) -> bool:
        if st == d.get("status"):
            return False
        d["status"] = st
        self.update_status(d)
        return True

    def sync_deployment_status(self, d: Obj, all_rss: list[Obj], new_rs: Obj | None) -> None:
        self._write_status(d, self.calculate_status(all_rss, new_rs, d))

    def sync_status_only(self, d: Obj, rss: list[Obj]) -> None:
        new_rs, old = self.get_all_rss(d, rss, False)
        self.sync_deployment_status(d, old + ([new_rs] if new_rs else []), new_rs)

    def sync_rollout_status(self, all_rss: list[Obj | None], new_rs: Obj | None, d: Obj) -> None:
        """progress.go syncRolloutStatus."""
        now = self.cluster.now
        st = self.calculate_status([rs for rs in all_rss if rs is not None], new_rs, d)
        if not du.has_progress_deadline(d):
            du.remove_condition(st, "Progressing")
        cur = du.get_condition(d["status"], "Progressing")
        complete = (int(st.get("replicas") or 0) == int(st.get("updatedReplicas") or 0) and cur is not None
                    and cur.get("reason") == du.NEW_RS_AVAILABLE_REASON)
        if du.has_progress_deadline(d) and not complete:
            what = (f'ReplicaSet "{new_rs["metadata"]["name"]}"' if new_rs is not None
                    else f'Deployment "{d["metadata"]["name"]}"')
            if du.deployment_complete(d, st):
                du.set_condition(st, du.new_condition("Progressing", "True", du.NEW_RS_AVAILABLE_REASON,
                                                      f"{what} has successfully progressed.", now))
            elif du.deployment_progressing(d, st):
                cond = du.new_condition("Progressing", "True", du.RS_UPDATED_REASON, f"{what} is progressing.", now)
                if cur is not None:
                    if cur.get("status") == "True":
                        cond["lastTransitionTime"] = cur.get("lastTransitionTime")
                    du.remove_condition(st, "Progressing")
                du.set_condition(st, cond)
            elif du.deployment_timed_out(d, st, now):
                du.set_condition(st, du.new_condition("Progressing", "False", du.TIMED_OUT_REASON,
                                                      f"{what} has timed out progressing.", now))
        # Move failure conditions of the replica sets into the deployment (getReplicaFailures: the new
        # ReplicaSet's first, then the others'; DeploymentConditionFromReplicaSetCondition)
        failures = [c for rs in ([new_rs] if new_rs is not None else []) for c in (rs.get("status") or {}).get("conditions") or ()
                    if c.get("type") == "ReplicaFailure"]
        if not failures:
            failures = [c for rs in all_rss if rs is not None for c in (rs.get("status") or {}).get("conditions") or ()
                        if c.get("type") == "ReplicaFailure"]
        if failures:
            c = failures[0]
            du.set_condition(st, {"type": "ReplicaFailure", "status": c.get("status"),
                                  "lastUpdateTime": c.get("lastTransitionTime"),
                                  "lastTransitionTime": c.get("lastTransitionTime"),
                                  "reason": c.get("reason"), "message": c.get("message")})
        else:
            du.remove_condition(st, "ReplicaFailure")
        if not self._write_status(d, st):
            self.requeue_stuck(d, st)

    def requeue_stuck(self, d: Obj, st: Obj) -> None:
        cur = du.get_condition(d["status"], "Progressing")
        if not du.has_progress_deadline(d) or cur is None:
            return
        if du.deployment_complete(d, st) or cur.get("reason") == du.TIMED_OUT_REASON:
            return
        at = ts(cur.get("lastUpdateTime")) + du.progress_deadline(d)
        now = self.cluster.now
        key = (d["metadata"]["namespace"], d["metadata"]["name"])
        if at - now < 1:
            self.queue.add_at(key, now + 1)  # enqueueRateLimited
        else:
            self.queue.add_at(key, at + 1)


class _neg(str):
    """Reverse ordering for names in sort keys (newer-first ties)."""

    def __lt__(self, other: str) -> bool:  # type: ignore[override]
        return str.__gt__(self, other)
