"""A Job controller (pkg/controller/job/job_controller.go syncJob / manageJob), NonIndexed mode.

* pods `<job>-<5 chars>` with the labels batch.kubernetes.io/controller-uid, batch.kubernetes.io/job-name,
  controller-uid and job-name (the apiserver's generateSelector), and the Job as controller owner;
  event SuccessfulCreate `Created pod: <pod>`
* keeps min(parallelism, completions - succeeded) pods active (completions unset: work-queue mode,
  done when one pod succeeded and none is active)
* a failed pod (restartPolicy Never) counts towards backoffLimit (default 6); with OnFailure the
  containers' restarts count. Past the limit: condition Failed / BackoffLimitExceeded `Job has
  reached the specified backoff limit` (Warning event), active pods deleted. New pods after failures
  wait 10 s * 2^(failures-1), at most 6 min (getBackoff with DefaultJobPodFailureBackOff).
* activeDeadlineSeconds: Failed / DeadlineExceeded `Job was active longer than specified deadline`
* success: conditions SuccessCriteriaMet then Complete (v1.31+), event Completed `Job completed`,
  status.completionTime
Not modelled: Indexed completion mode, podFailurePolicy, successPolicy, ttlSecondsAfterFinished,
suspend, pod finalizers (job-tracking).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kubetrainer.sim.apiserver import Forbidden
from kubetrainer.sim.controllers.common import (
    WorkQueue, api_error_text, apiserver, slow_start_batch, controller_ref, is_pod_ready, max_container_restarts, pod_from_template, ts)
from kubetrainer.sim.controllers.index import owner_index, shared_watch

if TYPE_CHECKING:
    from kubetrainer.sim.cluster import Cluster

Obj = dict[str, Any]
SOURCE = "job-controller"
BACKOFF_BASE = 10.0
BACKOFF_MAX = 360.0
JOB_API_BACKOFF = 1.0        # job_controller.go DefaultJobApiBackOff
JOB_API_BACKOFF_MAX = 60.0   # MaxJobApiBackOff


def _cond(job: Obj, ctype: str) -> Obj | None:
    for c in (job.get("status") or {}).get("conditions") or ():
        if c.get("type") == ctype:
            return c
    return None


def job_finished(job: Obj) -> str | None:
    for ctype in ("Complete", "Failed"):
        c = _cond(job, ctype)
        if c is not None and c.get("status") == "True":
            return ctype
    return None


class JobController:
    name = "job-controller"

    def attach(self, cluster: "Cluster") -> None:
        self.cluster = cluster
        self.store = cluster.store
        self.idx = owner_index(cluster)
        self.queue = WorkQueue(cluster, self.sync, "job-controller sync")
        self._failures: dict[tuple[str, str], int] = {}
        shared_watch(cluster, "Job", self._on_job)
        shared_watch(cluster, "Pod", self._on_pod)

    def _on_job(self, event: str, job: Obj) -> None:
        if event != "DELETED":
            self.queue.add((job["metadata"]["namespace"], job["metadata"]["name"]))

    def _on_pod(self, event: str, pod: Obj) -> None:
        ref = controller_ref(pod)
        if ref is not None and ref.get("kind") == "Job":
            self.queue.add((pod["metadata"].get("namespace") or "default", ref["name"]))

    def _condition(self, job: Obj, ctype: str, reason: str, message: str) -> None:
        now = self.cluster.now
        conds = job.setdefault("status", {}).setdefault("conditions", [])
        conds.append({"type": ctype, "status": "True", "reason": reason, "message": message,
                      "lastProbeTime": now, "lastTransitionTime": now})

    def sync(self, key: tuple[str, str]) -> None:
        job = self.store.get("Job", *key)
        if job is None or job["metadata"].get("deletionTimestamp") is not None or job_finished(job):
            return
        spec = job.get("spec") or {}
        if spec.get("suspend"):
            return
        api = apiserver(self.cluster)
        now = self.cluster.now
        uid = job["metadata"]["uid"]
        pods = [p for p in self.idx.owned("Pod", uid) if (controller_ref(p) or {}).get("uid") == uid]
        active = [p for p in pods if (p.get("status") or {}).get("phase") not in ("Succeeded", "Failed")
                  and p["metadata"].get("deletionTimestamp") is None]
        succeeded = sum(1 for p in pods if (p.get("status") or {}).get("phase") == "Succeeded")
        failed_pods = [p for p in pods if (p.get("status") or {}).get("phase") == "Failed"]
        st = job.setdefault("status", {})
        failed = max(int(st.get("failed") or 0), len(failed_pods))
        succeeded = max(int(st.get("succeeded") or 0), succeeded)
        changed = False
        sync_err: str | None = None
        if st.get("startTime") is None:
            st["startTime"] = now
            changed = True
        completions = spec.get("completions")
        parallelism = int(spec.get("parallelism", 1) if spec.get("parallelism") is not None else 1)
        backoff_limit = int(spec.get("backoffLimit", 6) if spec.get("backoffLimit") is not None else 6)
        template = spec.get("template") or {}
        restart_policy = ((template.get("spec") or {}).get("restartPolicy")) or "Never"
        finished = None
        # pastBackoffLimit
        if restart_policy == "OnFailure":
            restarts = sum(max_container_restarts(p) for p in active)
            if backoff_limit == 0 and restarts > 0 or restarts >= backoff_limit > 0:
                finished = ("Failed", "BackoffLimitExceeded", "Job has reached the specified backoff limit")
        if finished is None and failed > backoff_limit:
            finished = ("Failed", "BackoffLimitExceeded", "Job has reached the specified backoff limit")
        deadline = spec.get("activeDeadlineSeconds")
        if finished is None and deadline is not None and now - ts(st["startTime"]) >= int(deadline):
            finished = ("Failed", "DeadlineExceeded", "Job was active longer than specified deadline")
        if finished is None:
            done = (succeeded >= int(completions)) if completions is not None else (succeeded > 0 and not active)
            if done and not active:
                finished = ("Complete", "", "")
        if finished is not None:
            for p in active:
                try:
                    api.delete("Pod", p["metadata"]["namespace"], p["metadata"]["name"], actor="controller-manager")
                except KeyError:
                    continue
                self.cluster.event(job, "Normal", "SuccessfulDelete", f"Deleted pod: {p['metadata']['name']}", SOURCE)
            ctype, reason, message = finished
            if ctype == "Complete":
                self._condition(job, "SuccessCriteriaMet", "CompletionsReached", "Reached expected number of succeeded pods")
                self._condition(job, "Complete", "CompletionsReached", "Reached expected number of succeeded pods")
                st["completionTime"] = now
                self.cluster.event(job, "Normal", "Completed", "Job completed", SOURCE)
            else:
                self._condition(job, "FailureTarget", reason, message)
                self._condition(job, "Failed", reason, message)
                self.cluster.event(job, "Warning", reason, message, SOURCE)
            active = []
            changed = True
        else:
            want = parallelism if completions is None else min(parallelism, int(completions) - succeeded)
            if completions is None and succeeded > 0:
                want = 0
            want = max(0, want)
            if len(active) < want:
                delay = 0.0
                if failed_pods:
                    last_fail = max(self._finish_time(p) for p in failed_pods)
                    delay = min(BACKOFF_BASE * 2 ** (len(failed_pods) - 1), BACKOFF_MAX)
                    if now < last_fail + delay:
                        self.queue.add_at(key, last_fail + delay)
                        want = len(active)
                def create_one() -> str | None:
                    pod = pod_from_template(template, job, generate_name=job["metadata"]["name"] + "-")
                    labels = pod["metadata"]["labels"]
                    for k in ("batch.kubernetes.io/controller-uid", "controller-uid"):
                        labels[k] = uid
                    for k in ("batch.kubernetes.io/job-name", "job-name"):
                        labels[k] = job["metadata"]["name"]
                    try:
                        created = api.create(pod, actor="controller-manager", strict=True)
                    except Forbidden as e:
                        # controller_utils.go createPods: Warning FailedCreate "Error creating: %v"
                        msg = api_error_text(e)
                        self.cluster.event(job, "Warning", "FailedCreate", f"Error creating: {msg}", SOURCE)
                        return msg
                    active.append(created)
                    self.cluster.event(job, "Normal", "SuccessfulCreate",
                                       f"Created pod: {created['metadata']['name']}", SOURCE)
                    return None

                # manageJob creates in slow-start batches; a refused pod ends the sync with an error
                sync_err = slow_start_batch(want - len(active), create_one)[1]
            elif len(active) > want:
                for p in sorted(active, key=lambda x: ts(x["metadata"].get("creationTimestamp")), reverse=True)[
                        :len(active) - want]:
                    try:
                        api.delete("Pod", p["metadata"]["namespace"], p["metadata"]["name"], actor="controller-manager")
                    except KeyError:
                        continue
                    self.cluster.event(job, "Normal", "SuccessfulDelete", f"Deleted pod: {p['metadata']['name']}",
                                       SOURCE)
            if deadline is not None:
                self.queue.add_at(key, ts(st["startTime"]) + int(deadline))
        new = {"active": len(active), "succeeded": succeeded, "failed": failed,
               "ready": sum(1 for p in active if is_pod_ready(p))}
        for k, v in new.items():
            if (st.get(k) or 0) != v:
                changed = True
            if v or k in st:
                st[k] = v
        if changed:
            api.update(job)
        # syncJob error: requeue rate-limited (DefaultJobApiBackOff 1 s .. MaxJobApiBackOff 60 s)
        if sync_err is not None:
            n = self._failures.get(key, 0)
            self._failures[key] = n + 1
            self.queue.add_at(key, now + min(JOB_API_BACKOFF * 2 ** n, JOB_API_BACKOFF_MAX))
        else:
            self._failures.pop(key, None)

    @staticmethod
    def _finish_time(pod: Obj) -> float:
        t = 0.0
        for cs in (pod.get("status") or {}).get("containerStatuses") or ():
            term = (cs.get("state") or {}).get("terminated") or {}
            t = max(t, ts(term.get("finishedAt")))
        return t
