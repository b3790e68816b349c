"""The CronJob controller (pkg/controller/cronjob/cronjob_controllerv2.go syncCronJob, utils.go
getJobName / nextScheduleTime; the schedule grammar of github.com/robfig/cron/v3 ParseStandard).

* at each scheduled time T (virtual t=0 is 2024-01-01T00:00:00Z, a Monday; schedules are UTC,
  spec.timeZone is not modelled) a Job `<cronjob>-<T in Unix minutes>` is created from
  spec.jobTemplate (annotation batch.kubernetes.io/cronjob-scheduled-timestamp), event Normal
  SuccessfulCreate `Created job <job>`; status.active / lastScheduleTime / lastSuccessfulTime.
* concurrencyPolicy Allow | Forbid (event JobAlreadyActive, the run is skipped) | Replace (the
  running Jobs are deleted: SuccessfulDelete `Deleted job <job>`); suspend; startingDeadlineSeconds.
* finished Jobs: SawCompletedJob `Saw completed job: <job>, condition: <Complete|Failed>`; history
  beyond successfulJobsHistoryLimit (3) / failedJobsHistoryLimit (1) deleted, oldest first.
"""

from __future__ import annotations

import datetime
import math
from typing import TYPE_CHECKING, Any

from kubetrainer.sim.controllers.common import WorkQueue, apiserver, controller_ref, make_controller_ref, ts
from kubetrainer.sim.controllers.index import owner_index, shared_watch
from kubetrainer.sim.controllers.job import job_finished

if TYPE_CHECKING:
    from kubetrainer.sim.cluster import Cluster

Obj = dict[str, Any]
SOURCE = "cronjob-controller"
EPOCH = datetime.datetime(2024, 1, 1, tzinfo=datetime.timezone.utc)
EPOCH_MINUTES = int(EPOCH.timestamp()) // 60
_MACROS = {"@yearly": "0 0 1 1 *", "@annually": "0 0 1 1 *", "@monthly": "0 0 1 * *", "@weekly": "0 0 * * 0",
           "@daily": "0 0 * * *", "@midnight": "0 0 * * *", "@hourly": "0 * * * *"}
_NAMES = [{}, {}, {}, {m: i + 1 for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"])},
    {d: i for i, d in enumerate(["sun", "mon", "tue", "wed", "thu", "fri", "sat"])}]
_BOUNDS = [(0, 59), (0, 23), (1, 31), (1, 12), (0, 6)]


class CronError(ValueError):
    pass


class Schedule:
    """A parsed five-field cron schedule (robfig/cron SpecSchedule)."""

    def __init__(self, text: str) -> None:
        spec = text.strip()
        if spec.startswith(("TZ=", "CRON_TZ=")):
            spec = spec.split(None, 1)[1] if " " in spec else ""
        spec = _MACROS.get(spec.lower(), spec)
        fields = spec.split()
        if len(fields) != 5:
            raise CronError(f"expected exactly 5 fields, found {len(fields)}: {text}")
        self.sets: list[set[int]] = []
        self.star: list[bool] = []
        for i, f in enumerate(fields):
            vals, star = self._field(f, i)
            self.sets.append(vals)
            self.star.append(star)

    @staticmethod
    def _field(f: str, i: int) -> tuple[set[int], bool]:
        lo, hi = _BOUNDS[i]
        out: set[int] = set()
        star = False
        for part in f.split(","):
            rng, _, step_s = part.partition("/")
            step = 1
            if step_s:
                if not step_s.isdigit() or int(step_s) == 0:
                    raise CronError(f"bad step: {part}")
                step = int(step_s)
            if rng in ("*", "?"):
                a, b = lo, hi
                star = star or not step_s
            else:
                ends = rng.split("-")
                try:
                    nums = [int(e) if e.isdigit() else _NAMES[i][e.lower()] for e in ends]
                except KeyError:
                    raise CronError(f"failed to parse int from {rng}") from None
                a = nums[0]
                b = nums[1] if len(nums) > 1 else (hi if step_s else a)
                if len(nums) > 2 or a < lo or b > hi or a > b:
                    raise CronError(f"end of range ({b}) above maximum ({hi}): {part}" if b > hi
                                    else f"beginning of range ({a}) below minimum ({lo}): {part}")
            out.update(range(a, b + 1, step))
        if i == 4 and 7 in out:
            out.discard(7)
            out.add(0)
        return out, star

    def matches(self, t: datetime.datetime) -> bool:
        minute, hour, dom, month, dow = self.sets
        if t.minute not in minute or t.hour not in hour or t.month not in month:
            return False
        d, w = t.day in dom, (t.isoweekday() % 7) in dow
        if self.star[2] or self.star[4]:
            return d and w
        return d or w

    def next_after(self, seconds: float) -> float | None:
        """The first scheduled time strictly after virtual `seconds` (None within a year: never)."""
        m = math.floor(seconds / 60) + 1
        t = EPOCH + datetime.timedelta(minutes=m)
        for _ in range(366 * 24 * 60):
            if self.matches(t):
                return (t - EPOCH).total_seconds()
            t += datetime.timedelta(minutes=1)
        return None


class CronJobController:
    name = "cronjob-controller"

    def attach(self, cluster: "Cluster") -> None:
        self.cluster = cluster
        self.store = cluster.store
        self.idx = owner_index(cluster)
        self.queue = WorkQueue(cluster, self.sync, "cronjob-controller sync")
        self._next: dict[str, float] = {}
        self._seen_done: set[str] = set()
        shared_watch(cluster, "CronJob", self._on_cj)
        shared_watch(cluster, "Job", self._on_job)

    def _on_cj(self, event: str, cj: Obj) -> None:
        if event != "DELETED":
            self.queue.add((cj["metadata"]["namespace"], cj["metadata"]["name"]))

    def _on_job(self, event: str, job: Obj) -> None:
        ref = controller_ref(job)
        if ref is not None and ref.get("kind") == "CronJob":
            self.queue.add((job["metadata"].get("namespace") or "default", ref["name"]))

    def sync(self, key: tuple[str, str]) -> None:
        cj = self.store.get("CronJob", *key)
        if cj is None or cj["metadata"].get("deletionTimestamp") is not None:
            return
        api = apiserver(self.cluster)
        now = self.cluster.now
        spec = cj.get("spec") or {}
        uid = cj["metadata"]["uid"]
        try:
            sched = Schedule(str(spec.get("schedule") or ""))
        except CronError as exc:
            self.cluster.event(cj, "Warning", "UnparseableSchedule", f"unparseable schedule: {exc}", SOURCE)
            return
        jobs = [j for j in self.idx.owned("Job", uid) if (controller_ref(j) or {}).get("uid") == uid]
        st = cj.setdefault("status", {})
        changed = False
        active = []
        for j in jobs:
            done = job_finished(j)
            if done is None:
                active.append(j)
                continue
            juid = j["metadata"]["uid"]
            if juid not in self._seen_done:
                self._seen_done.add(juid)
                self.cluster.event(cj, "Normal", "SawCompletedJob",
                                   f"Saw completed job: {j['metadata']['name']}, condition: {done}", SOURCE)
                if done == "Complete":
                    ct = (j.get("status") or {}).get("completionTime")
                    if ct is not None and ts(ct) > ts(st.get("lastSuccessfulTime")):
                        st["lastSuccessfulTime"] = ct
                        changed = True
        # scheduled runs due since the last one we handled
        created_at = ts(cj["metadata"].get("creationTimestamp"))
        last = st.get("lastScheduleTime")
        base = ts(last) if last is not None else created_at
        due = sched.next_after(base)
        if due is not None and due <= now + 1e-9 and not spec.get("suspend"):
            # only the most recent missed time runs (getRecentUnmetScheduleTimes)
            t = due
            while True:
                n = sched.next_after(t)
                if n is None or n > now + 1e-9:
                    break
                t = n
            deadline = spec.get("startingDeadlineSeconds")
            too_late = deadline is not None and now - t > int(deadline)
            policy = spec.get("concurrencyPolicy") or "Allow"
            if too_late:
                pass
            elif policy == "Forbid" and active:
                self.cluster.event(cj, "Normal", "JobAlreadyActive",
                                   "Not starting job because prior execution is running and concurrency policy is Forbid",
                                   SOURCE)
            else:
                if policy == "Replace":
                    for j in active:
                        self._delete_job(cj, j)
                    active = []
                name = f"{cj['metadata']['name']}-{EPOCH_MINUTES + int(t // 60)}"
                if self.store.get("Job", key[0], name) is None:
                    jt = spec.get("jobTemplate") or {}
                    jmeta = jt.get("metadata") or {}
                    job = {"apiVersion": "batch/v1", "kind": "Job",
                           "metadata": {"name": name, "namespace": key[0],
                                        "labels": dict(jmeta.get("labels") or {}),
                                        "annotations": dict(jmeta.get("annotations") or {}, **{
                                            "batch.kubernetes.io/cronjob-scheduled-timestamp":
                                                (EPOCH + datetime.timedelta(seconds=t)).strftime("%Y-%m-%dT%H:%M:%SZ")}),
                                        "ownerReferences": [make_controller_ref(cj)]},
                           "spec": dict(jt.get("spec") or {})}
                    try:
                        created = api.create(job, actor="controller-manager")
                    except Exception:
                        created = None
                    if created is not None:
                        active.append(created)
                        self.cluster.event(cj, "Normal", "SuccessfulCreate", f"Created job {name}", SOURCE)
            st["lastScheduleTime"] = t
            changed = True
        refs = [{"apiVersion": "batch/v1", "kind": "Job", "name": j["metadata"]["name"],
                 "namespace": key[0], "uid": j["metadata"]["uid"]} for j in active]
        if refs != (st.get("active") or []):
            if refs:
                st["active"] = refs
            else:
                st.pop("active", None)
            changed = True
        self._cleanup(cj, [j for j in jobs if job_finished(j)])
        if changed:
            api.update(cj)
        nxt = sched.next_after(max(now, ts(st.get("lastScheduleTime")) if st.get("lastScheduleTime") is not None
                                   else now))
        if nxt is not None and not spec.get("suspend"):
            self.queue.add_at(key, nxt)

    def _delete_job(self, cj: Obj, job: Obj) -> None:
        try:
            apiserver(self.cluster).delete("Job", job["metadata"]["namespace"], job["metadata"]["name"],
                                           actor="controller-manager")
        except KeyError:
            return
        self.cluster.event(cj, "Normal", "SuccessfulDelete", f"Deleted job {job['metadata']['name']}", SOURCE)

    def _cleanup(self, cj: Obj, finished: list[Obj]) -> None:
        spec = cj.get("spec") or {}
        for kind, limit in (("Complete", spec.get("successfulJobsHistoryLimit", 3)),
                            ("Failed", spec.get("failedJobsHistoryLimit", 1))):
            if limit is None:
                continue
            these = sorted((j for j in finished if job_finished(j) == kind),
                           key=lambda j: (ts((j.get("status") or {}).get("startTime")), j["metadata"]["name"]))
            for j in these[:max(0, len(these) - int(limit))]:
                self._delete_job(cj, j)
