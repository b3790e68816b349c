"""Grading a submission: run the lesson's simulation and evaluate each objective at its deadline.

    g = grade(lesson, text)                    # headless: `kubetrainer check`, `lint`
    s = LessonSession(lesson, text)            # live: the TUI steps s.cluster and calls s.advance_to(t)
    tr = ObjectiveTracker(lesson); tr.update(cluster.result(), now)   # or by hand

Order at one virtual time T: the cluster runs to T, the lesson's `run.at` actions due at T run
(and the cluster runs again to T, so what they started at T happens), then the objectives whose
deadline is T are evaluated on `cluster.result()`.
"""

from __future__ import annotations

from typing import Any, Literal

import attrs

from kubetrainer.course.checks import evaluate
from kubetrainer.errors import UserError

State = Literal["pending", "passed", "failed"]


@attrs.define
class ObjectiveState:
    id: str
    description: dict
    deadline: float
    state: State = "pending"
    reason: str = ""
    live: bool | None = None      # pending: would it pass if checked now (None before the first update)
    decided_at: float | None = None


@attrs.define
class ObjectiveResult:
    id: str
    description: dict
    deadline: float
    passed: bool
    reason: str

    def to_json(self, lang: str = "en") -> dict:
        return {"id": self.id, "description": _tr(self.description, lang), "deadline": self.deadline,
                "passed": self.passed, "reason": self.reason}


@attrs.define
class Grade:
    lesson: str
    passed: bool
    objectives: list[ObjectiveResult] = attrs.Factory(list)
    problems: list[str] = attrs.Factory(list)   # FILE:LINE:COL problems of the submission (nothing ran)
    result: dict | None = None                   # SimulationResult at the end of the run
    log: list[tuple[float, str, str, int]] = attrs.Factory(list)   # (time, action, output, exit code) of run.at

    def to_json(self, lang: str = "en") -> dict:
        return {"lesson": self.lesson, "passed": self.passed,
                "objectives": [o.to_json(lang) for o in self.objectives], "problems": list(self.problems)}


def _tr(texts: dict, lang: str) -> str:
    if not texts:
        return ""
    for k in (lang, "*", "en"):
        if k in texts:
            return texts[k]
    return next(iter(texts.values()))


class ObjectiveTracker:
    """Incremental objective states for a cluster that is being stepped."""

    def __init__(self, lesson: Any) -> None:
        self.lesson = lesson
        self.states = [ObjectiveState(o.id, dict(o.description), float(o.deadline)) for o in lesson.objectives]
        self._objectives = list(lesson.objectives)

    def next_stop(self, now: float) -> float | None:
        """The next deadline after `now` of a pending objective: run the cluster exactly to it."""
        times = [s.deadline for s in self.states if s.state == "pending" and s.deadline > now]
        return min(times) if times else None

    def due(self, now: float) -> bool:
        return any(s.state == "pending" and s.deadline <= now for s in self.states)

    def update(self, result: dict, now: float) -> list[ObjectiveState]:
        for obj, st in zip(self._objectives, self.states):
            if st.state != "pending":
                continue
            out = evaluate(obj.expect, result, min(float(now), st.deadline))
            if now >= st.deadline or out.decided:
                st.state = "passed" if out.passed else "failed"
                st.reason = out.reason
                st.live = out.passed
                st.decided_at = float(now)
            else:
                st.live = out.passed
                st.reason = out.reason
        return list(self.states)

    @property
    def done(self) -> bool:
        return all(s.state != "pending" for s in self.states)

    @property
    def passed(self) -> bool:
        return all(s.state == "passed" for s in self.states)


class LessonSession:
    """A lesson's simulation for one submission: the cluster, its scripted actions, the tracker."""

    def __init__(self, lesson: Any, manifests_text: str | bytes, seed: int = 0,
                 filename: str = "submission.yaml", cluster: Any = None) -> None:
        from kubetrainer.api.intake import intake_text

        self.lesson = lesson
        self.tracker = ObjectiveTracker(lesson)
        self.problems: list[str] = []
        self.apply_output: list[str] = []
        self.log: list[tuple[float, str, str, int]] = []
        manifests, problems = intake_text(manifests_text, filename)
        self.problems = [str(p) for p in problems]
        self._actions = list(lesson.actions)
        self._next = 0
        if cluster is None and not self.problems:
            from kubetrainer.sim.cluster import Cluster

            cluster = Cluster(lesson.world(), seed=seed)
        self.cluster = cluster   # None when the manifests have problems (nothing runs)
        if not self.problems:
            try:
                self.apply_output = list(cluster.apply_manifests(manifests) or [])
            except UserError as err:
                self.problems = [str(err)]

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def end(self) -> float:
        return max([float(self.lesson.until)] + [s.deadline for s in self.tracker.states])

    def _run_action(self, when: float, command: str | None, text: str | None, fname: str | None) -> None:
        c = self.cluster
        if command is not None:
            line = command.strip()
            try:
                if hasattr(c, "command"):
                    res = c.command(line)
                else:
                    res = c.kubectl(line[len("kubectl "):] if line.startswith("kubectl ") else line)
                out = getattr(res, "output", res)
                self.log.append((when, line, "" if out is None else str(out), int(getattr(res, "exit_code", 0) or 0)))
            except UserError as err:
                self.log.append((when, line, str(err), 1))
        elif text is not None:
            from kubetrainer.api.intake import intake_text

            manifests, problems = intake_text(text, fname or "apply.yaml")
            if problems:
                self.log.append((when, f"kubectl apply -f {fname}", "\n".join(map(str, problems)), 1))
                return
            try:
                lines = c.apply_manifests(manifests) or []
                self.log.append((when, f"kubectl apply -f {fname}", "\n".join(lines), 0))
            except UserError as err:
                self.log.append((when, f"kubectl apply -f {fname}", str(err), 1))

    def next_stop(self) -> float | None:
        """The next virtual time the session must stop at (an action or a deadline)."""
        now = float(self.cluster.now)
        times = []
        if self._next < len(self._actions):
            times.append(self._actions[self._next][0])
        d = self.tracker.next_stop(now)
        if d is not None:
            times.append(d)
        return min(times) if times else None

    def advance_to(self, t: float, live: bool = True) -> list[ObjectiveState]:
        """Run the cluster to virtual time `t`, stopping at each scripted action and deadline.
        `live=False` skips re-evaluating pending objectives at `t` (their `live` flag), which
        saves one `cluster.result()` per call when the caller steps very often."""
        c = self.cluster
        if not self.ok:
            return list(self.tracker.states)
        while True:
            now = float(c.now)
            stops = []
            if self._next < len(self._actions) and self._actions[self._next][0] <= t:
                stops.append(max(now, self._actions[self._next][0]))
            d = self.tracker.next_stop(now)
            if d is not None and d <= t:
                stops.append(d)
            if self.tracker.due(now):
                stops.append(now)
            if not stops:
                break
            stop = min(stops)
            c.run_until(stop)
            ran = False
            while self._next < len(self._actions) and self._actions[self._next][0] <= stop:
                self._run_action(stop, *self._actions[self._next][1:])
                self._next += 1
                ran = True
            if ran:
                c.run_until(stop)
            if self.tracker.due(stop):
                self.tracker.update(c.result(), stop)
            elif not ran:
                break
        if float(c.now) < t:
            c.run_until(t)
        if live and any(s.state == "pending" for s in self.tracker.states):
            self.tracker.update(c.result(), float(c.now))
        return list(self.tracker.states)

    def run_to_end(self) -> list[ObjectiveState]:
        return self.advance_to(self.end)


def grade(lesson: Any, manifests_text: str | bytes, seed: int = 0, filename: str = "submission.yaml") -> Grade:
    """Run the lesson with `manifests_text` applied at t=0; every objective's pass/fail and reason."""
    s = LessonSession(lesson, manifests_text, seed=seed, filename=filename)
    if not s.ok:
        objs = [ObjectiveResult(o.id, dict(o.description), float(o.deadline), False,
                                "not run: the manifests have problems") for o in lesson.objectives]
        return Grade(lesson.id, False, objs, s.problems, None, [])
    states = s.run_to_end()
    objs = [ObjectiveResult(st.id, st.description, st.deadline, st.state == "passed",
                            st.reason if st.state != "passed" else "") for st in states]
    return Grade(lesson.id, all(o.passed for o in objs), objs, [], s.cluster.result(), s.log)
