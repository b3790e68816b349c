"""One run of the simulated cluster as the TUI drives it.

This is glue, not Kubernetes: it hands the learner's YAML to the API intake
(`kubetrainer.api.intake.intake_text`), builds a `kubetrainer.sim.cluster.Cluster`, advances its
virtual clock in small steps, runs kubectl lines through `Cluster.kubectl`, and exposes what the
engine records (flow, events, scheduler records, result()) to the panels. Every import of the
engine is lazy so that `kubetrainer` starts fast.
"""

from __future__ import annotations

from typing import Any, Callable

SPEEDS = (1, 2, 5, 10, 30, 60)


class RunSession:
    """The learner's current run. `version` grows whenever anything visible may have changed."""

    def __init__(self, world: Any = None, seed: int = 0, filename: str = "manifest.yaml",
                 fresh_on_submit: bool = True,
                 cluster_factory: Callable[[Any, int], Any] | None = None, lesson: Any = None) -> None:
        self.lesson = lesson              # a course Lesson: runs go through course.grading.LessonSession
        self.lsession: Any = None
        self.objective_states: list[Any] = []
        if lesson is not None and world is None:
            try:
                world = lesson.world()
            except Exception:  # noqa: BLE001
                world = None
        self.world = world
        self.seed = seed
        self.filename = filename
        self.fresh_on_submit = fresh_on_submit
        self._cluster_factory = cluster_factory
        self.cluster: Any = None
        self.manifests: list[Any] = []
        self.submitted_text: str | None = None
        self.problems: list[Any] = []
        self.version = 0
        self.history: list[str] = []
        self.console_log: list[tuple[str, str]] = []   # (command line, output)
        self.error: str | None = None                   # engine error shown instead of a traceback
        self.listeners: list[Callable[[], None]] = []
        self.new_cluster()

    # -- building ---------------------------------------------------------------------------
    def new_cluster(self) -> None:
        try:
            if self._cluster_factory is not None:
                self.cluster = self._cluster_factory(self.world, self.seed)
            else:
                from kubetrainer.sim.cluster import Cluster

                if self.world is None:
                    from kubetrainer.sim.world import load_world

                    self.world = load_world(None)
                self.cluster = Cluster(self.world, seed=self.seed)
            self.error = None
        except Exception as exc:  # noqa: BLE001 - an engine failure must not take the UI down
            self.cluster = None
            self.error = f"engine: {type(exc).__name__}: {exc}"
        self.console_log = []
        self._changed()

    def _changed(self) -> None:
        self.version += 1
        for fn in list(self.listeners):
            fn()

    # -- the learner's YAML --------------------------------------------------------------------
    def validate(self, text: str) -> list[Any]:
        """Problems (with .line/.col/.message) as the API server would report them; [] if fine."""
        from kubetrainer.api.intake import intake_text

        try:
            _, problems = intake_text(text, self.filename)
        except Exception as exc:  # noqa: BLE001
            return [_Problem(self.filename, 1, 1, f"{type(exc).__name__}: {exc}")]
        return list(problems)

    def submit(self, text: str) -> list[Any]:
        """Validate and apply. With problems nothing is applied and they are returned."""
        from kubetrainer.api.intake import intake_text

        try:
            manifests, problems = intake_text(text, self.filename)
        except Exception as exc:  # noqa: BLE001
            manifests, problems = [], [_Problem(self.filename, 1, 1, f"{type(exc).__name__}: {exc}")]
        self.problems = list(problems)
        if problems:
            self._changed()
            return self.problems
        self.submitted_text = text
        self.manifests = list(manifests)
        if self.lesson is not None:
            self._start_lesson_run()
        else:
            if self.fresh_on_submit or self.cluster is None:
                self.new_cluster()
            self._apply(self.manifests)
        self._changed()
        return []

    def _start_lesson_run(self) -> None:
        from kubetrainer.course.grading import LessonSession

        try:
            self.lsession = LessonSession(self.lesson, self.submitted_text or "", seed=self.seed)
            self.cluster = self.lsession.cluster
            self.error = None
            self.objective_states = list(self.lsession.advance_to(self.cluster.now) or [])
            if getattr(self.lsession, "problems", None):
                self.error = "; ".join(str(p) for p in self.lsession.problems)
        except Exception as exc:  # noqa: BLE001
            self.error = _engine_message(exc)
        self.console_log = []

    @property
    def until(self) -> float | None:
        end = getattr(self.lsession, "end", None)
        if end is not None:
            return float(end)
        u = getattr(self.lesson, "until", None)
        if u is None:
            u = getattr(getattr(self.lesson, "run", None), "until", None)
        return float(u) if u is not None else None

    @property
    def finished(self) -> bool:
        """A lesson run is over when it reached run.until (grading is then final)."""
        u = self.until
        return self.lsession is not None and u is not None and self.now >= u - 1e-9

    def _apply(self, manifests: list[Any]) -> None:
        if self.cluster is None or not manifests:
            return
        try:
            self.cluster.apply_manifests(manifests)
        except Exception as exc:  # noqa: BLE001
            self.error = _engine_message(exc)

    def restart(self) -> None:
        """The same manifests again, from t=0."""
        if self.lesson is not None and self.submitted_text is not None:
            self._start_lesson_run()
        else:
            self.new_cluster()
            self._apply(self.manifests)
        self._changed()

    def _run_to(self, t: float) -> None:
        if self.lsession is not None:
            u = self.until
            if u is not None:
                t = min(t, u)
            if t < self.now:
                return
            self.objective_states = list(self.lsession.advance_to(t) or [])
        else:
            self.cluster.run_until(t)

    # -- time ----------------------------------------------------------------------------------
    @property
    def now(self) -> float:
        return float(self.cluster.now) if self.cluster is not None else 0.0

    def next_time(self) -> float | None:
        if self.cluster is None:
            return None
        try:
            fn = getattr(self.cluster, "next_time", None)
            return fn() if callable(fn) else self.cluster.clock.next_time()
        except Exception:  # noqa: BLE001
            return None

    def advance(self, dt: float, budget: float | None = None) -> None:
        """Run `dt` of virtual time. With a wall-clock `budget` (seconds) the run stops early when
        the engine is slow, so the UI never freezes (virtual time then simply lags the speed)."""
        if self.cluster is None or dt <= 0:
            return
        before = self._marker()
        target = self.now + dt
        try:
            if budget is None:
                self._run_to(target)
            else:
                import time

                deadline = time.perf_counter() + budget
                chunk = dt / 4 if self.lsession is not None else None
                while self.now < target - 1e-9:
                    if chunk is not None:            # lessons: a few slices (objectives checked each)
                        self._run_to(min(target, self.now + chunk))
                    else:                            # sandbox: event by event
                        nt = self.next_time()
                        if nt is None or nt > target:
                            self._run_to(target)
                            break
                        self.cluster.run_until(nt)
                    if time.perf_counter() > deadline:
                        break
                    if self.finished:
                        break
        except Exception as exc:  # noqa: BLE001
            self.error = _engine_message(exc)
        if self._marker() != before:
            self._changed()

    def step(self) -> float | None:
        """Jump to the next virtual time anything happens; that time, or None when idle."""
        if self.cluster is None:
            return None
        try:
            if self.lsession is not None:
                t = self.next_time()
                if t is not None and t <= self.now:      # things due right now: run them
                    self.cluster.step()
                    self.objective_states = list(self.lsession.advance_to(self.now) or [])
                    self._changed()
                    return self.now
                stop = self.lsession.next_stop()
                if stop is not None and (t is None or stop < t):
                    t = stop
                u = self.until
                if t is None or (u is not None and t > u):
                    t = u if u is not None and u > self.now else None
                if t is not None:
                    self._run_to(t)
            else:
                t = self.cluster.step()
        except Exception as exc:  # noqa: BLE001
            self.error = _engine_message(exc)
            t = None
        self._changed()
        return t

    def _marker(self) -> tuple[int, int, int]:
        c = self.cluster
        return (getattr(c, "flow_steps", 0), len(getattr(getattr(c, "events", None), "events", ()) or ()),
                getattr(getattr(c, "store", None), "_rv", 0) if c is not None else 0)

    # -- kubectl -------------------------------------------------------------------------------
    def kubectl(self, line: str) -> str:
        line = line.strip()
        if not line:
            return ""
        self.history.append(line)
        cmd = line[len("kubectl"):].strip() if line.startswith("kubectl ") or line == "kubectl" else line
        if self.cluster is None:
            out = self.error or "no cluster"
        else:
            try:
                if cmd.split()[:1] in (["node-down"], ["node-up"]) and hasattr(self.cluster, "world_command"):
                    res = self.cluster.world_command(cmd)
                else:
                    res = self.cluster.kubectl(cmd)
                out = getattr(res, "output", res)
                if not isinstance(out, str):
                    out = str(out)
            except Exception as exc:  # noqa: BLE001
                out = getattr(exc, "args", [str(exc)])[0] if exc.__class__.__name__ == "UserError" else _engine_message(exc)
        self.console_log.append((line, out))
        self._changed()
        return out

    # -- what the panels read --------------------------------------------------------------------
    def result(self) -> dict[str, Any]:
        """Cluster.result() at the current virtual time, computed once per change (panels share it)."""
        if self.cluster is None:
            return {}
        key = (self.version, self.now)
        if getattr(self, "_result_key", None) == key:
            return self._result
        try:
            res = self.cluster.result()
        except Exception as exc:  # noqa: BLE001
            self.error = _engine_message(exc)
            res = {}
        self._result_key, self._result = key, res
        return res

    def flow(self) -> list[Any]:
        return list(getattr(self.cluster, "flow", []) or [])

    def events(self) -> list[Any]:
        log = getattr(self.cluster, "events", None)
        return list(getattr(log, "events", []) or [])

    def scheduler(self) -> Any:
        if self.cluster is None:
            return None
        try:
            return self.cluster.component("scheduler")
        except Exception:  # noqa: BLE001
            for comp in getattr(self.cluster, "components", []):
                if "sched" in type(comp).__name__.lower():
                    return comp
        return None

    def scheduler_records(self) -> list[Any]:
        s = self.scheduler()
        return list(getattr(s, "records", []) or []) if s is not None else []


class _Problem:
    __slots__ = ("file", "line", "col", "message")

    def __init__(self, file: str, line: int, col: int, message: str) -> None:
        self.file, self.line, self.col, self.message = file, line, col, message

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.col}: {self.message}"


def _engine_message(exc: Exception) -> str:
    if exc.__class__.__name__ == "UserError":
        return str(exc)
    return f"engine error: {type(exc).__name__}: {exc}"
