"""ObjectiveTracker and LessonSession on a scripted fake cluster (the engine's interface, duck-typed)."""

from __future__ import annotations

from types import SimpleNamespace

from kubetrainer.course.grading import LessonSession, ObjectiveTracker
from kubetrainer.course.packs import load_pack_dir
from tests.course.helpers import LESSON, event, make_pack, pod, result, row

SOLUTION = "apiVersion: v1\nkind: Pod\nmetadata: {name: web}\nspec:\n  containers: [{name: web, image: nginx}]\n"


class FakeCluster:
    """Pod web becomes Running at 5s; `kubectl delete pod web` makes it Terminating, gone 2s later."""

    def __init__(self):
        self.now = 0.0
        self.calls = []
        self.deleted_at = None

    def run_until(self, t):
        assert t >= self.now, "time never goes back"
        self.calls.append(("run_until", t))
        self.now = float(t)

    def command(self, line):
        self.calls.append(("command", self.now, line))
        if line.startswith("kubectl delete pod web"):
            self.deleted_at = self.now
        return SimpleNamespace(output='pod "web" deleted\n', exit_code=0)

    def apply_manifests(self, manifests):
        self.calls.append(("apply", self.now, [m.name for m in manifests]))
        return [f"pod/{m.name} created" for m in manifests]

    def result(self):
        self.calls.append(("result", self.now))
        tl = [row(0, "web")]
        p = pod("web", phase="Pending", status="ContainerCreating", ready="0/1")
        if self.now >= 5:
            tl.append(row(5, "web", phase="Running", status="Running", ready="1/1", node="node-1"))
            p = pod("web")
        if self.deleted_at is not None:
            tl.append(row(self.deleted_at, "web", phase="Running", status="Terminating", ready="0/1", node="node-1"))
            p = pod("web", status="Terminating", ready="0/1")
            if self.now >= self.deleted_at + 2:
                tl.append(row(self.deleted_at + 2, "web", status="Terminating", deleted=True, node="node-1"))
                p = pod("web", deleted=True, deletedAt=self.deleted_at + 2)
        evs = [event(self.deleted_at, "Killing", "Pod/default/web", "Stopping container web")] if self.deleted_at is not None else []
        return result([p], events=evs, timeline=tl, until=self.now)


OBJECTIVES = """\
run:
  until: 40s
  at:
    - {time: 20s, command: "kubectl delete pod web"}
objectives:
  - id: running
    description: {en: "Runs by 10s", zh-Hans: "运行"}
    deadline: 10s
    expect: {pod: web, phase: Running, ready: "1/1"}
  - id: was-running
    description: {en: "Was running", zh-Hans: "曾运行"}
    deadline: 30s
    expect: {pod: web, ever: {status: Running}}
  - id: killed
    description: {en: "Killed at 20s", zh-Hans: "被删除"}
    deadline: 20s
    expect: {events: {reason: Killing}}
  - id: gone
    description: {en: "Gone by 30s", zh-Hans: "消失"}
    deadline: 30s
    expect: {pod: web, deleted: true}
"""


def lesson(tmp_path, objectives=OBJECTIVES):
    text = LESSON.split("objectives:\n")[0] + objectives
    pack, probs = load_pack_dir(str(make_pack(tmp_path / "p", {"one.yaml": text})))
    assert probs == []
    return pack.lessons[0]


def test_session_stops_at_actions_and_deadlines_in_order(tmp_path):
    les = lesson(tmp_path)
    c = FakeCluster()
    s = LessonSession(les, SOLUTION, cluster=c)
    assert s.ok and s.apply_output == ["pod/web created"]
    states = s.run_to_end()
    assert {st.id: st.state for st in states} == {"running": "passed", "was-running": "passed", "killed": "passed",
                                                   "gone": "passed"}
    times = [call[1] for call in c.calls if call[0] == "run_until"]
    assert times == sorted(times) and {5.0, 10.0, 20.0, 30.0, 40.0} - {5.0} <= set(times)
    # the action at 20s runs before the 20s deadline is evaluated
    i_cmd = c.calls.index(("command", 20.0, "kubectl delete pod web"))
    i_res = c.calls.index(("result", 20.0))
    assert i_cmd < i_res
    assert s.log == [(20.0, "kubectl delete pod web", 'pod "web" deleted\n', 0)]


def test_tracker_is_pending_until_the_deadline_and_ever_decides_early(tmp_path):
    les = lesson(tmp_path)
    tr = ObjectiveTracker(les)
    c = FakeCluster()
    c.run_until(6)
    states = {s.id: s for s in tr.update(c.result(), 6)}
    assert states["running"].state == "pending" and states["running"].live is True
    assert states["was-running"].state == "passed" and states["was-running"].decided_at == 6
    assert states["gone"].state == "pending" and states["gone"].live is False
    assert tr.next_stop(6) == 10
    c.run_until(10)
    states = {s.id: s for s in tr.update(c.result(), 10)}
    assert states["running"].state == "passed"
    c.run_until(30)
    states = {s.id: s for s in tr.update(c.result(), 30)}
    assert states["killed"].state == "failed" and "events reason=Killing: 0 occurrences" in states["killed"].reason
    assert states["gone"].state == "failed" and states["gone"].reason.startswith("pod web: not deleted")
    assert tr.done and not tr.passed


def test_invalid_submission_runs_nothing(tmp_path):
    les = lesson(tmp_path)
    s = LessonSession(les, "apiVersion: v1\nkind: Pod\nmetadata: {name: web}\nspec:\n  containers:\n  - image: x\n",
                      filename="sub.yaml", cluster=FakeCluster())
    assert not s.ok
    assert all(p.startswith("sub.yaml:") for p in s.problems), s.problems
    assert [st.state for st in s.run_to_end()] == ["pending"] * 4
