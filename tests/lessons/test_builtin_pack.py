"""The built-in lesson pack (lessons/): it loads cleanly, covers the seed tutorial in its order,
every lesson is bilingual, every solution passes and every starter fails, through the course
helper's own grading code (kubetrainer.course.grading.grade) — the same path `kubetrainer check`
and `kubetrainer lint` take."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import pytest

from kubetrainer.course.packs import load_pack_dir

PACK_DIR = Path(__file__).resolve().parents[2] / "lessons"
_PACK, _PROBLEMS = load_pack_dir(str(PACK_DIR))
LESSON_IDS = [lesson.id for lesson in _PACK.lessons] if _PACK is not None else []

# The seed tutorial's chapters, in its order (一、Pod简介 1–12, 二、Pod的生命周期 1–3).
SEED_CHAPTERS = ["pods", "controllers", "updates", "restart-policy", "images", "private-registry",
                 "resources", "probes", "init-containers", "scheduling", "env", "command-args", "lifecycle"]

CJK = re.compile(r"[\u4e00-\u9fff]")


def _lesson(lid: str):
    return next(lesson for lesson in _PACK.lessons if lesson.id == lid)


@lru_cache(maxsize=None)
def _grade(lid: str, which: str):
    from kubetrainer.course.grading import grade

    lesson = _lesson(lid)
    if which == "solution":
        return grade(lesson, lesson.solution_text, filename=lesson.solution_file or "solution.yaml")
    return grade(lesson, lesson.starter_text, filename=lesson.starter_file or "starter.yaml")


def _why(g) -> str:
    lines = [str(p) for p in g.problems]
    lines += [f"{o.id}: {'ok' if o.passed else o.reason}" for o in g.objectives]
    return "\n".join(lines)


def test_pack_loads_without_problems():
    assert _PACK is not None, "\n".join(map(str, _PROBLEMS))
    assert [str(p) for p in _PROBLEMS] == []
    assert _PACK.id == "builtin"
    assert list(_PACK.languages) == ["en", "zh-Hans"]


def test_chapters_follow_the_seed_and_each_has_lessons():
    assert [c.id for c in _PACK.chapters] == SEED_CHAPTERS
    per_chapter = {c: [lesson for lesson in _PACK.lessons if lesson.chapter == c] for c in SEED_CHAPTERS}
    assert all(per_chapter[c] for c in SEED_CHAPTERS), {c: len(v) for c, v in per_chapter.items()}


def test_size_and_predict_share():
    assert len(_PACK.lessons) >= 40
    with_predict = [lesson.id for lesson in _PACK.lessons if lesson.predict]
    assert len(with_predict) * 3 >= len(_PACK.lessons), with_predict


@pytest.mark.parametrize("lid", LESSON_IDS)
def test_lesson_is_bilingual(lid):
    lesson = _lesson(lid)
    assert set(lesson.title) == {"en", "zh-Hans"}
    assert set(lesson.text) == {"en", "zh-Hans"}
    # titles may be all Kubernetes terms ("Always、OnFailure、Never"); texts are prose
    assert CJK.search(lesson.text["zh-Hans"]), f"{lid}: the zh-Hans text has no Chinese"
    assert not CJK.search(lesson.text["en"]), f"{lid}: the en text has Chinese characters"
    assert not CJK.search(lesson.title["en"]), f"{lid}: the en title has Chinese characters"
    for obj in lesson.objectives:
        assert set(obj.description) == {"en", "zh-Hans"}
    # the task is stated in both languages
    assert "**Your task:**" in lesson.text["en"] and "**任务：**" in lesson.text["zh-Hans"]


def test_difficulty_rises_gently_within_chapters():
    for c in SEED_CHAPTERS:
        lessons = sorted((lesson for lesson in _PACK.lessons if lesson.chapter == c), key=lambda x: x.order)
        assert lessons[0].difficulty <= 3, c
        assert max(lesson.difficulty for lesson in lessons) - lessons[0].difficulty <= 4


def test_lint_without_simulation_is_clean():
    from kubetrainer.course.lint import lint_lesson

    problems = [str(p) for lesson in _PACK.lessons for p in lint_lesson(lesson, solvability=False)]
    assert problems == []


@pytest.mark.parametrize("lid", LESSON_IDS)
def test_solution_passes(lid):
    g = _grade(lid, "solution")
    assert g.passed, _why(g)


@pytest.mark.parametrize("lid", LESSON_IDS)
def test_starter_fails(lid):
    g = _grade(lid, "starter")
    assert not g.passed, _why(g)


# Spot-the-bug lessons: the starter carries the seed's (or a classic) mistake, and the cluster
# rejects it with the API server's own message (pkg/apis/core/validation, pkg/apis/apps/validation,
# kubectl's RESTMapper error for a version that is no longer served).
REJECTIONS = {
    "first-pod": "spec.containers[0].image: Required value",
    "bug-apps-v1beta2": 'no matches for kind "Deployment" in version "apps/v1beta2"',
    "seed-deployment": 'no matches for kind "Deployment" in version "apps/v1beta2"',
    "deployment-selector": "`selector` does not match template `labels`",
    "rolling-update": "spec.strategy.rollingUpdate.maxUnavailable: Invalid value: 0: may not be 0 when `maxSurge` is 0",
    "liveness-success-threshold": "spec.containers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1",
    "nodename-bug": "",          # YAML does not parse (full-width colon)
    "command-args-bug": "",      # YAML does not parse (`]args:` on one line)
    "nodeselector-bug": 'strict decoding error: unknown field "metadata.spec"',  # spec nested under metadata
}


@pytest.mark.parametrize("lid", sorted(REJECTIONS))
def test_spot_the_bug_starter_is_rejected(lid):
    g = _grade(lid, "starter")
    assert g.problems, f"{lid}: the starter was accepted"
    assert REJECTIONS[lid] in "\n".join(map(str, g.problems))


# ---------------------------------------------------------------------------------------------
# Predict questions are answered by the run: each check below replays the run the question is
# about (the starter "as written", or the fixed solution) and asserts the answer the lesson
# gives. The timings come from KUBERNETES.md (CrashLoopBackOff 0/10/20/40 s, probe thresholds,
# grace periods); a failure here means either the lesson's answer or the engine is wrong.

def _rows(result, pod_prefix):
    return [r for r in result["timeline"] if r["object"].split("/")[-1].startswith(pod_prefix)]


def _state_at(result, pod, t):
    rows = [r for r in result["timeline"] if r["object"] == f"Pod/default/{pod}" and r["time"] <= t]
    assert rows, f"no timeline row for {pod} by {t}s"
    return rows[-1]


def _pod(result, name):
    live = [p for p in result["pods"] if p["name"] == name]
    assert live, f"pod {name} not in the result"
    return live[-1]


def _per_moment(result, prefix, start):
    """[(time, alive, ready)] for pods whose name starts with prefix, after each timeline time."""
    state, out = {}, []
    rows = [r for r in result["timeline"] if r["object"].split("/")[-1].startswith(prefix)]
    for i, r in enumerate(rows):
        state[r["object"]] = r
        if r["time"] < start or (i + 1 < len(rows) and rows[i + 1]["time"] == r["time"]):
            continue  # judge each moment once all of its rows are in
        alive = [s for s in state.values() if not s["deleted"] and s["status"] != "Terminating"]
        ready = [s for s in state.values() if not s["deleted"]
                 and s["ready"].split("/")[0] == s["ready"].split("/")[1] != "0"]
        out.append((r["time"], len(alive), len(ready)))
    return out


def _answer(lid, qid):
    lesson = _lesson(lid)
    q = next(p for p in lesson.predict if p.id == qid)
    choice = q.choices[q.answer]
    if isinstance(choice, dict):  # {"*": text} for a string written once for every language
        return choice.get("en", choice.get("*"))
    return choice


def _check_one_shot_restarts(r):
    assert _pod(r, "report")["restarts"] == int(_answer("one-shot-pod", "restarts-60"))


def _check_keep_capacity_lowest(r):
    lowest = min(ready for _, _, ready in _per_moment(r, "web-", 20.0))
    assert lowest == int(_answer("keep-capacity", "lowest"))


def _check_recreate_default_surge(r):
    busiest = max(alive for _, alive, _ in _per_moment(r, "web-", 0.0))
    assert busiest == int(_answer("recreate", "default-surge"))


def _check_rollout_stuck(r):
    d = next(d for d in r["deployments"] if d["name"] == "web")
    assert f'{d["ready"]}/{d["replicas"]}' == _answer("rollout-stuck", "ready-column")
    waiting = [p for p in r["pods"] if not p["deleted"] and p["status"] in ("ErrImagePull", "ImagePullBackOff")]
    assert waiting and {p["phase"] for p in waiting} == {_answer("rollout-stuck", "pod-phase")}


def _check_min_ready_starter(r):
    # the old ReplicaSet's Pods are the first ones created: web-<hash>-<suffix>
    old_prefix = next(row["object"].split("/")[-1].rsplit("-", 1)[0] for row in r["timeline"])
    left = [p for p in r["pods"] if p["name"].startswith(old_prefix + "-") and not p["deleted"]]
    assert str(len(left)) == _answer("min-ready-seconds", "starter-outcome"), old_prefix


def _check_daemonset_toleration(r):
    pods = [p for p in r["pods"] if p["name"].startswith("node-agent-") and not p["deleted"]]
    assert str(len(pods)) == _answer("daemonset-toleration", "how-many")
    assert all(p["phase"] == "Running" for p in pods)


def _check_statefulset_order(r):
    ready0 = min(row["time"] for row in _rows(r, "web-0") if row["ready"] == "1/1")
    created1 = min(row["time"] for row in _rows(r, "web-1"))
    assert created1 >= ready0


def _check_init_order_status(r):
    assert _state_at(r, "shop-db-client", 8.0)["status"] == _answer("init-order", "status-8s")


def _check_init_order_starter(r):
    seen = {row["status"] for row in _rows(r, "shop-db-client")}
    assert {"Init:Error", "Init:CrashLoopBackOff"} <= seen


def _check_phases_starter(r):
    row = _state_at(r, "batch", 30.0)
    assert row["status"] == _answer("phases", "status-30") and row["phase"] == _answer("phases", "phase-30")


def _check_termination_gone(r):
    gone = min(row["time"] for row in _rows(r, "worker") if row["deleted"])
    assert 45.0 <= gone <= 55.0  # delete at 20 s + 30 s grace, SIGTERM ignored by sh as PID 1


def _check_prestop_sigterm(r):
    gone = min(row["time"] for row in _rows(r, "web") if row["deleted"])
    assert 25.0 <= gone <= 30.0  # delete at 20 s, preStop sleep 5, then SIGTERM ends it


def _check_liveness_exec_restarts(r):
    assert _pod(r, "liveness-exec")["restarts"] == int(_answer("liveness-exec", "restarts-120"))


def _check_liveness_http_first_kill(r):
    started = min(row["time"] for row in _rows(r, "liveness-http") if row["status"] == "Running")
    killed = min(row["time"] for row in _rows(r, "liveness-http") if row["restarts"] >= 1 or row["status"] == "Error")
    assert 15.0 <= killed - started <= 20.0


def _check_scoring_starter(r):
    p = _pod(r, "thumbnails")
    assert p["status"] == _answer("scoring", "starter-status") and p["phase"] == "Failed"


def _check_scoring_winner(r):
    assert _pod(r, "thumbnails")["node"] == _answer("scoring", "winner")


def _check_never_pull(r):
    p = _pod(r, "tools")
    assert p["status"] == _answer("pull-policy-never", "status") and p["node"] == _answer("pull-policy-never", "node")


def _check_dollar_paren_restarts(r):
    assert _pod(r, "sleeper")["restarts"] == int(_answer("dollar-paren", "restarts"))


def _check_start_error_phase(r):
    p = _pod(r, "sleeper")
    assert p["phase"] == _answer("one-argument-per-item", "phase")
    assert p["containers"][0]["lastState"]["reason"] == "StartError"
    assert p["containers"][0]["lastState"]["exitCode"] == 128


def _check_init_never(r):
    p = _pod(r, "export")
    assert f'{p["phase"]} / {p["status"]}' == _answer("init-never", "starter-phase")


def _check_oom_exit_code(r):
    last = _pod(r, "memory-demo")["containers"][0]["lastState"]
    assert last["reason"] == "OOMKilled" and str(last["exitCode"]) == _answer("oom-killed", "exit-code")


def _scheduling_messages(r, pod_prefix):
    return [e["message"] for e in r["events"] if e["reason"] == "FailedScheduling"
            and e["object"].split("/")[-1].startswith(pod_prefix)]


def _check_stuck_two_of_three(r):
    msgs = _scheduling_messages(r, "api-")
    assert msgs and msgs[-1].startswith(_answer("stuck-two-of-three", "reason").rstrip("."))


def _check_requests_too_big(r):
    msgs = _scheduling_messages(r, "train")
    assert msgs and _answer("requests-too-big", "message") in msgs[-1]


def _check_filter_plugins(r):
    msgs = _scheduling_messages(r, "resize-images")
    assert msgs and "1 " + _answer("filter-plugins", "node-2-reason") in msgs[-1]


def _check_readiness_tcp(r):
    p = _pod(r, "goproxy")
    assert f'{p["status"]}  {p["ready"]}  {p["restarts"]}' == _answer("readiness-tcp", "starter-columns")


def _check_slow_start(r):
    statuses = [row["status"] for row in _rows(r, "catalog") if row["time"] >= 60.0]
    assert _answer("slow-start", "starter-restarts") in statuses


def _check_seed_ready_time(r):
    rows = _rows(r, "nginx-")
    started = min(row["time"] for row in rows if row["status"] == "Running")
    ready = min(row["time"] for row in rows if row["ready"] == "1/1")
    assert 60.0 <= ready - started <= 75.0


def _check_creation_order(r):
    order = [e["reason"] for e in r["events"] if e["object"] == "Pod/default/web"]
    wanted = [x.strip() for x in _answer("creation-flow", "event-order").split(",")]
    assert [x for x in order if x in wanted][:len(wanted)] == wanted


def _check_tag_typo_phase(r):
    assert _pod(r, "web")["phase"] == _answer("image-tag-typo", "phase-60")


def _check_not_for_jobs(r):
    seen = {row["status"] for row in _rows(r, "cleanup-")}
    assert _answer("deployment-not-for-jobs", "status") in seen


def _check_one_shot_status(r):
    seen = [row["status"] for row in _rows(r, "report")]
    assert seen.count(_answer("one-shot-pod", "status")) >= 2


def _check_shared_volume_ready(r):
    assert _pod(r, "web")["ready"] == _answer("shared-volume", "starter-ready")


def _check_first_pod_pulling(r):
    assert _answer("first-pod", "pulling-status") in {row["status"] for row in _rows(r, "web")}


def _check_bare_pod_gone(r):
    alive = [p for p in r["pods"] if p["name"].startswith("web") and not p["deleted"]]
    assert str(len(alive)) == _answer("pods-need-controllers", "after-delete")


def _check_localhost_refused(r):
    msgs = [e["message"] for e in r["events"] if e["reason"] == "Unhealthy" and e["object"] == "Pod/default/web-checker"]
    assert msgs and "Connection refused" in msgs[-1]
    assert _answer("pod-localhost", "starter-probe").startswith("Connection refused")


def _check_timeout_no_restart(r):
    p = _pod(r, "orders")
    assert (p["status"], p["ready"], p["restarts"]) == ("Running", "0/1", 0)
    assert _answer("probe-timeout", "restarts").startswith("No")


def _check_configmap_status(r):
    p = _pod(r, "checkout")
    assert f'{p["status"]} / {p["phase"]}' == _answer("env-configmap", "status")


def _check_node_failure(r):
    old = [p for p in r["pods"] if p["name"].startswith("web-") and p["node"] == "node-1"]
    assert old and old[0]["status"] == _answer("node-failure", "old-pod")
    t = min(e["time"] for e in r["events"] if e["reason"] == "NodeNotReady")
    assert 60.0 <= t <= 75.0


def _check_host_ports(r):
    running = [p for p in r["pods"] if p["name"].startswith("edge-") and p["status"] == "Running"]
    assert str(len(running)) == _answer("host-ports", "message")
    msgs = _scheduling_messages(r, "edge-")
    assert msgs and "node(s) didn't have free ports for the requested pod ports" in msgs[-1]


def _check_selector_node(r):
    assert _pod(r, "nginx")["node"] == _answer("nodeselector-bug", "which-node")


def _check_taint_reason(r):
    msgs = _scheduling_messages(r, "train")
    assert msgs and "1 " + _answer("taints-tolerations", "node-3-reason") in msgs[-1]


def _check_readiness_no_restart(r):
    p = _pod(r, "web")
    assert p["restarts"] == 0 and _answer("shared-volume", "restarts").startswith("No")


def _check_fieldref_status(r):
    seen = {row["status"] for row in _rows(r, "demo") if row["time"] >= 30.0}
    assert _answer("env-fieldref", "starter-status") in seen


def _check_init_status(r):
    pulled = min(e["time"] for e in r["events"] if e["reason"] == "Pulled")
    assert _state_at(r, "app", pulled + 2.0)["status"] == _answer("init-before-app", "init-status")


def _check_secret_namespace(r):
    p = next(p for p in r["pods"] if p["name"] == "web" and p["namespace"] == "shop")
    assert p["status"] in _answer("secret-namespace", "status").split(" / ")


def _check_grace_exit_code(r):
    p = next(p for p in r["pods"] if p["name"] == "db")
    assert str(p["containers"][0]["exitCode"]) == _answer("grace-too-short", "exit-code")
    assert p["phase"] == "Failed" and 24.0 <= p["deletedAt"] <= 28.0


def _check_sidecar_starter(r):
    p = _pod(r, "export")
    assert f'{p["phase"]} / {p["status"]}' == _answer("sidecar-containers", "starter-phase")


PREDICT_CHECKS = [
    ("sidecar-containers", "starter", _check_sidecar_starter),
    ("grace-too-short", "starter", _check_grace_exit_code),
    ("secret-namespace", "starter", _check_secret_namespace),
    ("nodeselector-bug", "solution", _check_selector_node),
    ("taints-tolerations", "starter", _check_taint_reason),
    ("shared-volume", "starter", _check_readiness_no_restart),
    ("env-fieldref", "starter", _check_fieldref_status),
    ("init-before-app", "solution", _check_init_status),
    ("host-ports", "starter", _check_host_ports),
    ("env-configmap", "starter", _check_configmap_status),
    ("node-failure", "solution", _check_node_failure),
    ("probe-timeout", "starter", _check_timeout_no_restart),
    ("pod-localhost", "starter", _check_localhost_refused),
    ("first-pod", "solution", _check_first_pod_pulling),
    ("shared-volume", "starter", _check_shared_volume_ready),
    ("pods-need-controllers", "starter", _check_bare_pod_gone),
    ("statefulset-ordered", "solution", _check_statefulset_order),
    ("daemonset-toleration", "starter", _check_daemonset_toleration),
    ("keep-capacity", "starter", _check_keep_capacity_lowest),
    ("recreate", "starter", _check_recreate_default_surge),
    ("min-ready-seconds", "starter", _check_min_ready_starter),
    ("rollout-stuck", "starter", _check_rollout_stuck),
    ("one-shot-pod", "starter", _check_one_shot_restarts),
    ("one-shot-pod", "starter", _check_one_shot_status),
    ("deployment-not-for-jobs", "starter", _check_not_for_jobs),
    ("image-tag-typo", "starter", _check_tag_typo_phase),
    ("pull-policy-never", "starter", _check_never_pull),
    ("requests-too-big", "starter", _check_requests_too_big),
    ("oom-killed", "starter", _check_oom_exit_code),
    ("stuck-two-of-three", "starter", _check_stuck_two_of_three),
    ("liveness-exec", "solution", _check_liveness_exec_restarts),
    ("liveness-http", "solution", _check_liveness_http_first_kill),
    ("readiness-tcp", "starter", _check_readiness_tcp),
    ("slow-start", "starter", _check_slow_start),
    ("init-order", "solution", _check_init_order_status),
    ("init-order", "starter", _check_init_order_starter),
    ("init-never", "starter", _check_init_never),
    ("filter-plugins", "starter", _check_filter_plugins),
    ("scoring", "starter", _check_scoring_starter),
    ("scoring", "solution", _check_scoring_winner),
    ("seed-deployment", "solution", _check_seed_ready_time),
    ("one-argument-per-item", "starter", _check_start_error_phase),
    ("dollar-paren", "starter", _check_dollar_paren_restarts),
    ("phases", "starter", _check_phases_starter),
    ("creation-flow", "solution", _check_creation_order),
    ("termination-grace", "starter", _check_termination_gone),
    ("prestop-drain", "solution", _check_prestop_sigterm),
]


@pytest.mark.parametrize("lid,which,check", PREDICT_CHECKS,
                         ids=[f"{lid}-{which}-{c.__name__[7:]}" for lid, which, c in PREDICT_CHECKS])
def test_predict_answer_matches_the_run(lid, which, check):
    g = _grade(lid, which)
    assert g.result is not None, _why(g)
    check(g.result)


def test_kubetrainer_lint_lessons_is_clean(capsys):
    """`kubetrainer lint lessons`, exactly as an instructor runs it: exit 0, no problem printed."""
    from kubetrainer.cli import main

    assert main(["lint", str(PACK_DIR)]) == 0
    out = capsys.readouterr()
    assert ": " not in out.err.replace("lint [", ""), out.err


@pytest.mark.parametrize("lid", LESSON_IDS)
def test_outcome_does_not_depend_on_the_seed(lid):
    """Scheduler ties and Pod-name suffixes come from the seeded random source; no lesson may
    depend on them."""
    from kubetrainer.course.grading import grade

    lesson = _lesson(lid)
    g = grade(lesson, lesson.solution_text, seed=7)
    assert g.passed, _why(g)
    assert not grade(lesson, lesson.starter_text, seed=7).passed
