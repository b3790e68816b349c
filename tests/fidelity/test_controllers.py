"""`kubetrainer simulate --at ...` for workloads against pkg/controller/*: rolling updates (max
pods alive at once, availability), stalled rollouts, rollout undo revisions, scale, delete,
node-down eviction timing, cordon, drain (KUBERNETES.md §9, §12, §13)."""

from __future__ import annotations

import re

import pytest

from .fid import cli, path_of, simulate, world, write

HASH = r"[bcdfghjklmnpqrstvwxz2456789]"
DEP = "nginx-deployment"


def deployment(name="web", replicas=4, image="nginx:1.14.2", strategy="", extra_spec="", pod_extra=""):
    return f"""apiVersion: apps/v1
kind: Deployment
metadata:
  name: {name}
spec:
  replicas: {replicas}
{strategy}{extra_spec}  selector:
    matchLabels:
      app: {name}
  template:
    metadata:
      labels:
        app: {name}
    spec:
{pod_extra}      containers:
      - name: {name}
        image: {image}
"""


def set_image(name, image, t=30):
    container = "nginx" if name == DEP else name
    return (t, f"kubectl set image deployment/{name} {container}={image}")


# --- basic Deployment ---------------------------------------------------------------------------

def test_nginx_deployment_docs_three_running_pods():
    s = simulate("docs/nginx-deployment", until=60)
    live = s.pods_named(f"{DEP}-", live_only=True)
    assert len(live) == 3 and all(p["status"] == "Running" and p["ready"] == "1/1" for p in live)
    d = s.deployment(DEP)
    assert (d["replicas"], d["updated"], d["ready"], d["available"], d["revision"]) == (3, 3, 3, 3, 1)
    assert d["conditions"] == {"Available": "True", "Progressing": "True"}
    rs = s.replica_sets(f"{DEP}-")
    assert len(rs) == 1 and rs[0]["revision"] == 1 and (rs[0]["desired"], rs[0]["current"], rs[0]["ready"]) == (3, 3, 3)


def test_deployment_names_rs_and_pods():
    """controller.ComputeHash + SafeEncodeString alphabet; pods `<rs>-<5 chars>`."""
    s = simulate("docs/nginx-deployment", until=30)
    rs = s.replica_sets(f"{DEP}-")[0]["name"]
    assert re.fullmatch(rf"{DEP}-{HASH}{{6,10}}", rs), rs
    for p in s.pods_named(f"{DEP}-"):
        assert re.fullmatch(rf"{re.escape(rs)}-{HASH}{{5}}", p["name"]), p["name"]


def test_deployment_events_texts():
    """sync.go (v1.31+): `Scaled up replica set <rs> from 0 to 3`; replica_set.go `Created pod: <pod>`."""
    s = simulate("docs/nginx-deployment", until=30)
    rs = s.replica_sets(f"{DEP}-")[0]["name"]
    sc = s.ev("ScalingReplicaSet", DEP)
    assert sc and sc[0]["message"] == f"Scaled up replica set {rs} from 0 to 3"
    assert sc[0]["object"] == f"Deployment/default/{DEP}"
    created = s.ev("SuccessfulCreate", rs)
    assert len(created) == 3
    names = {p["name"] for p in s.pods_named(rs)}
    assert {e["message"] for e in created} == {f"Created pod: {n}" for n in names}


def test_pods_spread_across_nodes():
    """PodTopologySpread system defaults (hostname maxSkew 3, ScheduleAnyway) + LeastAllocated spread 3 replicas."""
    s = simulate("docs/nginx-deployment", until=30)
    assert sorted(p["node"] for p in s.pods_named(f"{DEP}-")) == ["node-1", "node-2", "node-3"]


# --- rolling update -------------------------------------------------------------------------

def test_rolling_update_3_replicas_surge_1_unavailable_0():
    """ResolveFenceposts(25%, 25%, 3) = surge 1, unavailable 0: ≤4 pods alive, ≥3 ready throughout."""
    s = simulate("docs/nginx-deployment", until=150, at=[set_image(DEP, "nginx:1.16.1")])
    assert s.max_alive(f"{DEP}-", per_row=False) == 4
    assert s.min_ready(f"{DEP}-", 30, 150) >= 3
    d = s.deployment(DEP)
    assert (d["replicas"], d["updated"], d["available"], d["revision"]) == (3, 3, 3, 2)
    rs = sorted(s.replica_sets(f"{DEP}-"), key=lambda r: r["revision"])
    assert [(r["revision"], r["desired"]) for r in rs] == [(1, 0), (2, 3)]


def test_rolling_update_4_replicas_max_5_alive_min_3_available():
    """KUBERNETES.md §13 worked example: 4 replicas 25/25 → never more than 5 non-terminating pods,
    never fewer than 3 available."""
    s = simulate(deployment(replicas=4), until=150, at=[set_image("web", "nginx:1.16.1")])
    assert s.max_alive("web-", per_row=False) == 5
    assert s.min_ready("web-", 30, 150) >= 3
    live = s.pods_named("web-", live_only=True)
    new_rs = max(s.replica_sets("web-"), key=lambda r: r["revision"])["name"]
    assert len(live) == 4 and all(p["name"].startswith(new_rs) for p in live)


def test_rolling_update_10_replicas_surge_3_unavailable_2():
    s = simulate(deployment(replicas=10), until=200, at=[set_image("web", "nginx:1.16.1")])
    assert s.max_alive("web-", per_row=False) == 13
    assert s.min_ready("web-", 30, 200) >= 8
    assert s.deployment("web")["updated"] == 10


def test_rolling_update_max_surge_0():
    strategy = "  strategy:\n    rollingUpdate:\n      maxSurge: 0\n      maxUnavailable: 1\n"
    s = simulate(deployment(replicas=3, strategy=strategy), until=150, at=[set_image("web", "nginx:1.16.1")])
    assert s.max_alive("web-", per_row=False) == 3
    assert s.min_ready("web-", 30, 150) >= 2
    assert s.deployment("web")["updated"] == 3


ROLLING_CASES = {
    "3-replicas-25-25": (3, "", 4),
    "4-replicas-25-25": (4, "", 5),
    "10-replicas-25-25": (10, "", 13),
    "surge-0-unavailable-1": (3, "  strategy:\n    rollingUpdate:\n      maxSurge: 0\n      maxUnavailable: 1\n", 3),
    "stalled-4-replicas": (4, "", 5),
}
@pytest.mark.parametrize("case", [
    pytest.param("3-replicas-25-25"),
    pytest.param("4-replicas-25-25"),
    pytest.param("10-replicas-25-25"),
    pytest.param("surge-0-unavailable-1"),
    pytest.param("stalled-4-replicas"),
])
def test_rolling_update_max_alive_after_every_write(case):
    """The largest number of non-terminating pods at any moment (every timeline row, which the
    engine writes in store order) never exceeds replicas + maxSurge (rolling.go NewRSNewReplicas,
    reconcileOldReplicaSets)."""
    replicas, strategy, expected = ROLLING_CASES[case]
    image = "nginx:1.161" if case.startswith("stalled") else "nginx:1.16.1"
    s = simulate(deployment(replicas=replicas, strategy=strategy), until=150, at=[set_image("web", image)])
    assert s.max_alive("web-", per_row=True) == expected


def test_recreate_strategy_no_overlap():
    """recreate.go: scale old to 0, wait for old pods to be gone, then create the new RS pods."""
    strategy = "  strategy:\n    type: Recreate\n"
    s = simulate(deployment(replicas=3, strategy=strategy), until=150, at=[set_image("web", "nginx:1.16.1")])
    rs = sorted(s.replica_sets("web-"), key=lambda r: r["revision"])
    old, new = rs[0]["name"], rs[1]["name"]
    old_gone = max(p["deletedAt"] for p in s.pods_named(old))
    new_created = min(s.rows(p["name"])[0]["time"] for p in s.pods_named(new))
    assert new_created >= old_gone
    assert s.max_alive("web-") == 3


def test_rolling_update_events_scaled_up_down():
    s = simulate("docs/nginx-deployment", until=150, at=[set_image(DEP, "nginx:1.16.1")])
    rs = sorted(s.replica_sets(f"{DEP}-"), key=lambda r: r["revision"])
    old, new = rs[0]["name"], rs[1]["name"]
    msgs = [e["message"] for e in s.ev("ScalingReplicaSet", DEP)]
    assert f"Scaled up replica set {new} from 0 to 1" in msgs
    assert f"Scaled down replica set {old} from 3 to 2" in msgs
    assert msgs[-1] == f"Scaled down replica set {old} from 1 to 0"


# --- stalled rollout --------------------------------------------------------------------------

def test_stalled_rollout_bad_image_3_replicas():
    """docs (Deployment 'Updating' with nginx:1.161): new RS 1 pod ErrImagePull/ImagePullBackOff,
    old RS keeps 3; maxScaledDown = 4 − 3 − 1 = 0 → stall."""
    s = simulate("docs/nginx-deployment", until=200, at=[set_image(DEP, "nginx:1.161")])
    d = s.deployment(DEP)
    assert (d["updated"], d["ready"], d["available"]) == (1, 3, 3)
    assert d["conditions"]["Progressing"] == "True" and d["conditions"]["Available"] == "True"
    rs = sorted(s.replica_sets(f"{DEP}-"), key=lambda r: r["revision"])
    assert [(r["desired"], r["ready"]) for r in rs] == [(3, 3), (1, 0)]
    newpod = s.pods_named(rs[1]["name"])[0]
    assert newpod["status"] in ("ErrImagePull", "ImagePullBackOff")
    assert s.max_alive(f"{DEP}-", per_row=False) == 4


def test_stalled_rollout_bad_image_4_replicas():
    """KUBERNETES.md §13: 4 replicas → new 1, old 3, new 2; then maxScaledDown = 5 − 3 − 2 = 0."""
    s = simulate(deployment(replicas=4), until=200, at=[set_image("web", "nginx:1.161")])
    d = s.deployment("web")
    assert (d["updated"], d["available"]) == (2, 3)
    rs = sorted(s.replica_sets("web-"), key=lambda r: r["revision"])
    assert [r["desired"] for r in rs] == [3, 2]
    assert s.max_alive("web-", per_row=False) == 5


def test_progress_deadline_exceeded():
    """progressDeadlineSeconds (here 60): Progressing False, ProgressDeadlineExceeded."""
    s = simulate(deployment(replicas=3, extra_spec="  progressDeadlineSeconds: 60\n"), until=200,
                 at=[set_image("web", "nginx:1.161")])
    assert s.deployment("web")["conditions"]["Progressing"] == "False"


def test_undo_after_stall_recovers():
    s = simulate("docs/nginx-deployment", until=200,
                 at=[set_image(DEP, "nginx:1.161"), (90, f"kubectl rollout undo deployment/{DEP}")])
    live = s.pods_named(f"{DEP}-", live_only=True)
    assert len(live) == 3 and all(p["status"] == "Running" for p in live)
    d = s.deployment(DEP)
    assert d["revision"] == 3 and d["available"] == 3 and d["updated"] == 3


# --- rollout undo -------------------------------------------------------------------------------

def test_rollout_undo_reuses_old_rs_with_next_revision():
    """rollout undo: previous template copied back; the matching RS gets revision 3 (1,2 → 3)."""
    s = simulate("docs/nginx-deployment", until=200,
                 at=[set_image(DEP, "nginx:1.16.1"), (100, f"kubectl rollout undo deployment/{DEP}")])
    rs = s.replica_sets(f"{DEP}-")
    assert len(rs) == 2
    by_rev = {r["revision"]: r for r in rs}
    assert sorted(by_rev) == [2, 3]
    assert by_rev[3]["desired"] == 3 and by_rev[2]["desired"] == 0
    assert s.deployment(DEP)["revision"] == 3
    first_rs_name = s.pods_named(f"{DEP}-")[0]["name"].rsplit("-", 1)[0]
    assert by_rev[3]["name"] == first_rs_name


def test_rollout_undo_to_revision():
    s = simulate("docs/nginx-deployment", until=300,
                 at=[set_image(DEP, "nginx:1.16.1", 30), set_image(DEP, "nginx:1.17", 100),
                     (200, f"kubectl rollout undo deployment/{DEP} --to-revision=1")])
    by_rev = {r["revision"]: r for r in s.replica_sets(f"{DEP}-")}
    assert sorted(by_rev) == [2, 3, 4]
    assert by_rev[4]["desired"] == 3


# --- scale / delete ---------------------------------------------------------------------------

def test_scale_up_and_down_events():
    s = simulate("docs/nginx-deployment", until=120,
                 at=[(30, f"kubectl scale deployment/{DEP} --replicas=5"),
                     (60, f"kubectl scale deployment/{DEP} --replicas=1")])
    rs = s.replica_sets(f"{DEP}-")[0]["name"]
    msgs = [e["message"] for e in s.ev("ScalingReplicaSet", DEP)]
    assert f"Scaled up replica set {rs} from 3 to 5" in msgs
    assert f"Scaled down replica set {rs} from 5 to 1" in msgs
    assert len(s.pods_named(rs, live_only=True)) == 1
    assert len(s.ev("SuccessfulDelete", rs)) == 4
    assert all(e["message"].startswith("Deleted pod: ") for e in s.ev("SuccessfulDelete", rs))


def test_deleted_pod_replaced_immediately():
    """FilterActivePods: a Terminating pod leaves the RS count at once → replacement during Terminating."""
    s = simulate(deployment("slow", replicas=2, image="busybox:1.36").replace(
        "        image: busybox:1.36\n", "        image: busybox:1.36\n        command: [\"sh\", \"-c\", \"sleep 3600\"]\n"),
        until=120, at=[])
    victim = s.pods_named("slow-")[0]["name"]
    s = simulate(deployment("slow", replicas=2, image="busybox:1.36").replace(
        "        image: busybox:1.36\n", "        image: busybox:1.36\n        command: [\"sh\", \"-c\", \"sleep 3600\"]\n"),
        until=120, at=[(30, f"kubectl delete pod {victim}")])
    assert s.first(victim, status="Terminating") == 30
    assert 59 <= s.pod(victim)["deletedAt"] <= 63
    newer = [p for p in s.pods_named("slow-") if s.rows(p["name"])[0]["time"] >= 30]
    assert len(newer) == 1 and s.rows(newer[0]["name"])[0]["time"] <= 31


def test_delete_deployment_cascades():
    s = simulate("docs/nginx-deployment", until=90, at=[(30, f"kubectl delete deployment {DEP}")])
    assert all(p["deleted"] for p in s.pods_named(f"{DEP}-"))
    assert not s.data["deployments"] and not s.data["replicaSets"]


def test_replicaset_docs_frontend():
    s = simulate("docs/frontend-replicaset", until=60)
    live = s.pods_named("frontend-", live_only=True)
    assert len(live) == 3 and all(p["status"] == "Running" for p in live)


def test_daemonset_docs_one_pod_per_node():
    s = simulate("docs/daemonset", until=60)
    pods = s.pods_named("fluentd-elasticsearch")
    assert sorted(p["node"] for p in pods) == ["node-1", "node-2", "node-3"]
    assert all(p["namespace"] == "kube-system" for p in pods)


def test_statefulset_ordered_creation():
    """OrderedReady: web-1 is created only once web-0 is Running and Ready."""
    s = simulate("docs/web-statefulset", until=90)
    ready0 = s.first("web-0", ready="1/1")
    created1 = s.rows("web-1")[0]["time"] if s.rows("web-1") else None
    assert ready0 is not None and created1 is not None and created1 >= ready0


# --- node down / node lifecycle -----------------------------------------------------------------

def _node_down_run(t=60, until=450, up=None):
    at = [(t, "node-down node-2")]
    if up is not None:
        at.append((up, "node-up node-2"))
    return simulate("docs/nginx-deployment", until=until, at=at)


def test_node_down_eviction_timing():
    """node_lifecycle_controller (grace 40–50 s, monitor 5 s) + taint eviction after 300 s
    (DefaultTolerationSeconds): pods Terminating and replacements at T+330..355."""
    s = _node_down_run()
    on2 = [p for p in s.pods_named(f"{DEP}-") if p["node"] == "node-2"]
    assert on2
    victim = on2[0]["name"]
    term = s.first(victim, status="Terminating")
    assert term is not None and 60 + 330 <= term <= 60 + 355, term
    ev = s.ev("TaintManagerEviction", victim)
    assert ev and ev[0]["message"] == f"Marking for deletion Pod default/{victim}"
    repl = [p for p in s.pods_named(f"{DEP}-") if s.rows(p["name"])[0]["time"] > 60]
    assert len(repl) == 1 and 60 + 330 <= s.rows(repl[0]["name"])[0]["time"] <= 60 + 356
    assert repl[0]["node"] in ("node-1", "node-3") and repl[0]["status"] == "Running"
    assert s.pod(victim)["status"] == "Terminating" and not s.pod(victim)["deleted"]


def test_node_down_not_ready_detection():
    """Ready → Unknown within [T+30, T+55]; pods get Ready=False + Warning NodeNotReady but
    READY stays 1/1 and phase Running until eviction."""
    s = _node_down_run(until=200)
    assert s.node("node-2")["ready"] == "Unknown"
    victim = [p for p in s.pods_named(f"{DEP}-") if p["node"] == "node-2"][0]
    nnr = s.ev("NodeNotReady", victim["name"])
    assert nnr and 90 <= nnr[0]["time"] <= 115 and nnr[0]["message"] == "Node is not ready"
    assert nnr[0]["type"] == "Warning"
    assert victim["conditions"]["Ready"] == "False"
    assert (victim["phase"], victim["status"], victim["ready"]) == ("Running", "Running", "1/1")


def test_node_up_before_eviction_nothing_evicted():
    """taint_eviction.go cancelWorkWithEvent: Normal TaintManagerEviction `Cancelling deletion of Pod ns/name`."""
    s = _node_down_run(until=450, up=200)
    assert not s.ev("TaintManagerEviction", message="Marking for deletion")
    c = s.ev("TaintManagerEviction", message="Cancelling deletion of Pod default/")
    assert c and all(200 <= e["time"] <= 215 for e in c)
    assert len(s.pods_named(f"{DEP}-")) == 3
    assert s.node("node-2")["ready"] == "True"


# --- cordon / drain -----------------------------------------------------------------------------

def test_cordon_then_scale_avoids_node():
    s = simulate("docs/nginx-deployment", until=90,
                 at=[(20, "kubectl cordon node-1"), (30, f"kubectl scale deployment/{DEP} --replicas=6")])
    new = [p for p in s.pods_named(f"{DEP}-") if s.rows(p["name"])[0]["time"] >= 30]
    assert len(new) == 3 and all(p["node"] != "node-1" for p in new)
    old_on_1 = [p for p in s.pods_named(f"{DEP}-") if p["node"] == "node-1" and s.rows(p["name"])[0]["time"] < 30]
    assert old_on_1 and all(p["status"] == "Running" for p in old_on_1)
    e = s.ev("NodeNotSchedulable", "node-1")
    assert e and e[0]["message"] == "Node node-1 status is now: NodeNotSchedulable"


def test_drain_evicts_and_reschedules_elsewhere():
    s = simulate("docs/nginx-deployment", until=120, at=[(30, "kubectl drain node-1 --ignore-daemonsets")])
    live = s.pods_named(f"{DEP}-", live_only=True)
    assert len(live) == 3 and all(p["node"] != "node-1" for p in live)
    assert all(p["status"] == "Running" for p in live)
    assert s.max_alive(f"{DEP}-") <= 3 + 1


def _text(*manifests, at=(), until="60"):
    argv = ["simulate", *[path_of(m) for m in manifests], "--until", until, "--format", "text"]
    for t, c in at:
        argv += ["--at", str(t), c]
    rc, out, err = cli(*argv)
    assert rc == 0, err
    return out


BARE = """apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  nodeName: node-1
  containers:
  - name: web
    image: nginx:1.25
"""


def test_drain_refuses_bare_pod_without_force():
    """kubectl drain (pkg/drain/filters.go unreplicatedFilter): `cannot delete Pods that declare no
    controller (use --force to override): default/web`; the node is still cordoned."""
    out = _text(BARE, at=[(20, "kubectl drain node-1")])
    assert "node/node-1 cordoned" in out
    assert "cannot delete Pods that declare no controller (use --force to override): default/web" in out
    s = simulate(BARE, until=60, at=[(20, "kubectl drain node-1")])
    assert s.pod("web")["status"] == "Running" and not s.pod("web")["deleted"]


def test_drain_force_deletes_bare_pod():
    s = simulate(BARE, until=60, at=[(20, "kubectl drain node-1 --force")])
    assert s.pod("web")["deleted"]


def test_drain_refuses_daemonset_pods():
    out = _text("docs/daemonset", at=[(20, "kubectl drain node-1")])
    assert "cannot delete DaemonSet-managed Pods (use --ignore-daemonsets to ignore): kube-system/fluentd-elasticsearch-" in out


def test_drain_ignore_daemonsets_keeps_ds_pod():
    s = simulate("docs/daemonset", "docs/nginx-deployment", until=90,
                 at=[(20, "kubectl drain node-1 --ignore-daemonsets")])
    ds_on_1 = [p for p in s.pods_named("fluentd-elasticsearch", live_only=True) if p["node"] == "node-1"]
    assert len(ds_on_1) == 1 and ds_on_1[0]["status"] == "Running"
    assert all(p["node"] != "node-1" for p in s.pods_named(f"{DEP}-", live_only=True))


# --- more workload scenarios ----------------------------------------------------------------------

JOB = """apiVersion: batch/v1
kind: Job
metadata:
  name: pi
spec:
  template:
    spec:
      containers:
      - name: pi
        image: perl:5.34.0
        command: ["perl",  "-Mbignum=bpi", "-wle", "print bpi(2000)"]
      restartPolicy: Never
  backoffLimit: 4
"""


def test_job_docs_pi_completes():
    """controllers/job.yaml: one pod `pi-<5>` runs to Completed (phase Succeeded)."""
    s = simulate(JOB, until=120)
    pods = s.pods_named("pi-")
    assert len(pods) == 1
    assert (pods[0]["phase"], pods[0]["status"]) == ("Succeeded", "Completed")
    assert re.fullmatch(r"pi-[a-z0-9]{5}", pods[0]["name"])


def test_kubectl_outputs_of_workload_verbs():
    out = _text("docs/nginx-deployment", until="200", at=[
        (20, f"kubectl scale deployment/{DEP} --replicas=4"),
        (40, f"kubectl set image deployment/{DEP} nginx=nginx:1.16.1"),
        (100, f"kubectl rollout undo deployment/{DEP}"),
        (150, "kubectl cordon node-3"),
        (160, "kubectl uncordon node-3"),
    ])
    assert f"deployment.apps/{DEP} scaled" in out
    assert f"deployment.apps/{DEP} image updated" in out
    assert f"deployment.apps/{DEP} rolled back" in out
    assert "node/node-3 cordoned" in out and "node/node-3 uncordoned" in out


def test_rollout_undo_without_history_errors():
    """kubectl rollback.go deploymentRevision: `no rollout history found for deployment "<name>"`."""
    out = _text("docs/nginx-deployment", at=[(20, f"kubectl rollout undo deployment/{DEP}")])
    assert f'error: no rollout history found for deployment "{DEP}"' in out


def test_rollout_undo_unknown_revision_errors():
    out = _text("docs/nginx-deployment", until="120", at=[
        (20, f"kubectl set image deployment/{DEP} nginx=nginx:1.16.1"),
        (60, f"kubectl rollout undo deployment/{DEP} --to-revision=7")])
    assert "error: unable to find specified revision 7 in history" in out


def test_rollout_restart_replaces_all_pods():
    s = simulate("docs/nginx-deployment", until=120, at=[(30, f"kubectl rollout restart deployment/{DEP}")])
    rs = sorted(s.replica_sets(f"{DEP}-"), key=lambda r: r["revision"])
    assert [r["revision"] for r in rs] == [1, 2] and rs[1]["desired"] == 3 and rs[0]["desired"] == 0
    live = s.pods_named(rs[1]["name"], live_only=True)
    assert len(live) == 3 and all(p["status"] == "Running" for p in live)


def test_rollout_pause_holds_then_resume_rolls():
    s = simulate("docs/nginx-deployment", until=200, at=[
        (20, f"kubectl rollout pause deployment/{DEP}"),
        (30, f"kubectl set image deployment/{DEP} nginx=nginx:1.16.1"),
        (100, f"kubectl rollout resume deployment/{DEP}")])
    rs = sorted(s.replica_sets(f"{DEP}-"), key=lambda r: r["revision"])
    assert len(rs) == 2
    new_first = min(s.rows(p["name"])[0]["time"] for p in s.pods_named(rs[1]["name"]))
    assert new_first >= 100
    assert s.deployment(DEP)["updated"] == 3


def test_apply_new_template_rolls_out():
    v2 = write(open(path_of("docs/nginx-deployment")).read().replace("nginx:1.14.2", "nginx:1.16.1"),
               "nginx-deployment-v2.yaml")
    s = simulate("docs/nginx-deployment", until=150, at=[(30, f"kubectl apply -f {v2}")])
    d = s.deployment(DEP)
    assert d["revision"] == 2 and d["updated"] == 3 and d["available"] == 3


def test_daemonset_pod_deleted_is_recreated_on_same_node():
    s0 = simulate("docs/daemonset", until=30)
    victim = next(p for p in s0.pods_named("fluentd-elasticsearch") if p["node"] == "node-2")["name"]
    s = simulate("docs/daemonset", until=90, at=[(30, f"kubectl delete pod {victim} -n kube-system")])
    on2 = [p for p in s.pods_named("fluentd-elasticsearch", live_only=True) if p["node"] == "node-2"]
    assert len(on2) == 1 and on2[0]["name"] != victim and on2[0]["status"] == "Running"


def test_statefulset_pod_recreated_with_same_name():
    s = simulate("docs/web-statefulset", until=150, at=[(60, "kubectl delete pod web-0")])
    web0 = [p for p in s.pods if p["name"] == "web-0"]
    rows = s.rows("web-0")
    assert any(r.get("deleted") for r in rows)
    assert rows[-1]["time"] > 60 and not rows[-1].get("deleted")


def test_node_down_bare_pod_evicted_no_replacement():
    m = BARE.replace("  nodeName: node-1\n", "  nodeName: node-2\n")
    s = simulate(m, until=450, at=[(60, "node-down node-2")])
    t = s.first("web", status="Terminating")
    assert t is not None and 390 <= t <= 415
    assert len(s.pods) == 1


def test_node_down_daemonset_pods_not_evicted():
    """DaemonSet pods tolerate unreachable/not-ready NoExecute without tolerationSeconds (daemon/util)."""
    s = simulate("docs/daemonset", until=450, at=[(60, "node-down node-2")])
    on2 = [p for p in s.pods_named("fluentd-elasticsearch") if p["node"] == "node-2"]
    assert len(on2) == 1 and on2[0]["status"] == "Running" and not on2[0]["deleted"]


def test_node_down_deployment_loses_availability():
    """MarkPodsNotReady → the RS counts the pod as not ready → Deployment available 2/3 (before eviction)."""
    s = simulate("docs/nginx-deployment", until=200, at=[(60, "node-down node-2")])
    d = s.deployment(DEP)
    assert d["available"] == 2 and d["ready"] == 2


def test_scale_replicaset_directly():
    s = simulate("docs/frontend-replicaset", until=60, at=[(20, "kubectl scale rs frontend --replicas=5")])
    assert len(s.pods_named("frontend-", live_only=True)) == 5


def test_drain_output_lines():
    out = _text("docs/nginx-deployment", until="90", at=[(30, "kubectl drain node-1 --ignore-daemonsets")])
    assert "node/node-1 cordoned" in out
    assert re.search(rf"evicting pod default/{DEP}-\S+", out)
    assert re.search(rf"pod/{DEP}-\S+ evicted", out)
    assert "node/node-1 drained" in out


def test_noexecute_toleration_seconds_delays_eviction():
    """taint_eviction.go: a pod tolerating the NoExecute taint for 60 s is deleted 60 s after the taint."""
    m = """apiVersion: v1
kind: Pod
metadata:
  name: tol
spec:
  nodeName: node-1
  tolerations:
  - key: dedicated
    operator: Equal
    value: gpu
    effect: NoExecute
    tolerationSeconds: 60
  containers:
  - name: web
    image: nginx:1.25
"""
    s = simulate(m, until=120, at=[(20, "kubectl taint nodes node-1 dedicated=gpu:NoExecute")])
    e = s.ev("TaintManagerEviction", "tol")
    assert e and 80 <= e[0]["time"] <= 81 and e[0]["message"] == "Marking for deletion Pod default/tol"
    assert s.first("tol", status="Terminating") >= 80


PDB = """apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: nginx-pdb
spec:
  minAvailable: 3
  selector:
    matchLabels:
      app: nginx
"""


def test_drain_respects_pod_disruption_budget():
    """tasks/administer-cluster/safely-drain-node: the Eviction API refuses (429) while the PDB would be
    violated; kubectl drain prints `error when evicting pods/"<pod>" -n "default" (will retry after 5s):
    Cannot evict pod as it would violate the pod's disruption budget.` and the pod keeps running."""
    out = _text("docs/nginx-deployment", write(PDB, "nginx-pdb.yaml"), until="60",
                at=[(20, "kubectl drain node-1 --ignore-daemonsets")])
    assert "Cannot evict pod as it would violate the pod's disruption budget." in out
    s = simulate("docs/nginx-deployment", write(PDB, "nginx-pdb.yaml"), until=60,
                 at=[(20, "kubectl drain node-1 --ignore-daemonsets")])
    on1 = [p for p in s.pods_named(f"{DEP}-") if p["node"] == "node-1"]
    assert on1 and all(p["status"] == "Running" and not p["deleted"] for p in on1)


def test_drain_refuses_emptydir_pods():
    ed = deployment("cache", replicas=3, image="nginx:1.25").replace(
        "        image: nginx:1.25\n",
        "        image: nginx:1.25\n        volumeMounts:\n        - {name: scratch, mountPath: /cache}\n"
        "      volumes:\n      - name: scratch\n        emptyDir: {}\n")
    out = _text(ed, at=[(20, "kubectl drain node-1 --ignore-daemonsets")])
    assert "cannot delete Pods with local storage (use --delete-emptydir-data to override): default/cache-" in out
    s = simulate(ed, until=90, at=[(20, "kubectl drain node-1 --ignore-daemonsets --delete-emptydir-data")])
    assert all(p["node"] != "node-1" for p in s.pods_named("cache-", live_only=True))


JOB_FAIL = """apiVersion: batch/v1
kind: Job
metadata:
  name: failer
spec:
  backoffLimit: 2
  template:
    spec:
      restartPolicy: Never
      containers:
      - name: c
        image: busybox:1.36
        command: ["sh", "-c", "exit 1"]
"""


def test_job_backoff_limit_exceeded():
    """job_controller.go: backoffLimit 2 → 3 failed pods, then Warning BackoffLimitExceeded
    `Job has reached the specified backoff limit`; pod re-creation waits the failure back-off (10 s, 20 s)."""
    s = simulate(JOB_FAIL, until=200)
    pods = s.pods_named("failer-")
    assert len(pods) == 3 and all((p["phase"], p["status"]) == ("Failed", "Error") for p in pods)
    created = sorted(s.rows(p["name"])[0]["time"] for p in pods)
    assert 10 <= created[1] - created[0] <= 20 and 20 <= created[2] - created[1] <= 35
    e = s.ev("BackoffLimitExceeded", "failer")
    assert e and e[0]["type"] == "Warning" and e[0]["message"] == "Job has reached the specified backoff limit"


def test_job_completions_sequential():
    job = """apiVersion: batch/v1
kind: Job
metadata:
  name: three
spec:
  completions: 3
  parallelism: 1
  template:
    spec:
      restartPolicy: Never
      containers:
      - name: c
        image: busybox:1.36
        command: ["sh", "-c", "sleep 5"]
"""
    s = simulate(job, until=100)
    pods = s.pods_named("three-")
    assert len(pods) == 3 and all(p["status"] == "Completed" for p in pods)
    created = sorted(s.rows(p["name"])[0]["time"] for p in pods)
    assert created[1] - created[0] >= 5 and created[2] - created[1] >= 5
    assert s.ev("Completed", "three") and s.ev("Completed", "three")[0]["message"] == "Job completed"


def test_scale_to_zero_terminates_all():
    s = simulate("docs/nginx-deployment", until=60, at=[(20, f"kubectl scale deployment/{DEP} --replicas=0")])
    assert all(p["deleted"] for p in s.pods_named(f"{DEP}-"))
    d = s.deployment(DEP)
    assert (d["replicas"], d["available"]) == (0, 0)


def test_node_up_after_eviction_finishes_termination():
    """Evicted pods stay Terminating while the node is down; once the kubelet is back it stops them
    and they are removed (nginx exits on SIGTERM/SIGQUIT at once)."""
    s = simulate("docs/nginx-deployment", until=500, at=[(60, "node-down node-2"), (450, "node-up node-2")])
    victims = [p for p in s.pods_named(f"{DEP}-") if p["node"] == "node-2" and s.rows(p["name"])[0]["time"] < 60]
    assert victims
    for v in victims:
        assert v["deleted"] and 450 <= v["deletedAt"] <= 462, v
    assert s.node("node-2")["ready"] == "True"
    assert len(s.pods_named(f"{DEP}-", live_only=True)) == 3


def test_daemonset_ignores_cordon_but_not_untolerated_taint():
    """DaemonSet pods get node.kubernetes.io/unschedulable:NoSchedule toleration (daemon/util
    AddOrUpdateDaemonPodTolerations) → they run on cordoned nodes; a NoSchedule taint they don't
    tolerate keeps them off (nodeShouldRunDaemonPod)."""
    w = world("""    - name: node-1
      capacity: {cpu: "4", memory: 8Gi, pods: "110"}
      unschedulable: true
    - name: node-2
      capacity: {cpu: "4", memory: 8Gi, pods: "110"}
      taints: [{key: dedicated, value: gpu, effect: NoSchedule}]
    - name: node-3
      capacity: {cpu: "4", memory: 8Gi, pods: "110"}
""")
    s = simulate("docs/daemonset", until=30, world=w)
    nodes = sorted(p["node"] for p in s.pods_named("fluentd-elasticsearch", live_only=True))
    assert nodes == ["node-1", "node-3"]


def test_statefulset_scale_down_highest_ordinal_first():
    s = simulate("docs/web-statefulset", until=150, at=[(60, "kubectl scale statefulset web --replicas=1")])
    assert not s.pod("web-0")["deleted"]
    assert s.pod("web-1")["deleted"]


def test_toleration_for_unschedulable_taint_allows_cordoned_node():
    """NodeUnschedulable filter passes when the pod tolerates node.kubernetes.io/unschedulable:NoSchedule."""
    from .fid import schedule
    w = write(world("""    - name: node-1
      capacity: {cpu: "4", memory: 8Gi, pods: "110"}
      unschedulable: true
"""))
    m = """apiVersion: v1
kind: Pod
metadata: {name: tol}
spec:
  tolerations:
  - {key: node.kubernetes.io/unschedulable, operator: Exists, effect: NoSchedule}
  containers:
  - name: app
    image: nginx:1.25
"""
    assert schedule(m, world=w)["pods"][0]["node"] == "node-1"


def test_node_label_removed_pod_keeps_running():
    """requiredDuringSchedulingIgnoredDuringExecution: removing the label later does not evict."""
    s = simulate("docs/pod-nginx", until=90, at=[(10, "kubectl label nodes node-2 disktype=ssd"),
                                                 (40, "kubectl label nodes node-2 disktype-")])
    p = s.pod("nginx")
    assert p["node"] == "node-2" and p["status"] == "Running" and not p["deleted"]


def test_untaint_lets_pending_pod_schedule():
    w = world("""    - name: node-1
      capacity: {cpu: "4", memory: 8Gi, pods: "110"}
      taints: [{key: dedicated, value: gpu, effect: NoSchedule}]
""")
    m = """apiVersion: v1
kind: Pod
metadata: {name: waiting}
spec:
  containers:
  - name: app
    image: nginx:1.25
"""
    s = simulate(m, until=60, world=w, at=[(20, "kubectl taint nodes node-1 dedicated=gpu:NoSchedule-")])
    sch = s.ev("Scheduled", "waiting")
    assert sch and 20 <= sch[0]["time"] <= 21
    assert s.pod("waiting")["status"] == "Running"


def test_uncordon_lets_pending_pod_schedule():
    w = world("""    - name: node-1
      capacity: {cpu: "4", memory: 8Gi, pods: "110"}
      unschedulable: true
""")
    m = """apiVersion: v1
kind: Pod
metadata: {name: waiting}
spec:
  containers:
  - name: app
    image: nginx:1.25
"""
    s = simulate(m, until=60, world=w, at=[(20, "kubectl uncordon node-1")])
    fs = s.ev("FailedScheduling", "waiting")
    assert fs and fs[0]["message"] == ("0/1 nodes are available: 1 node(s) were unschedulable. preemption: 0/1 nodes "
                                       "are available: 1 Preemption is not helpful for scheduling.")
    # the node lifecycle controller removes node.kubernetes.io/unschedulable:NoSchedule asynchronously;
    # a scheduling attempt racing it fails on that taint and backs off (1–2 s), as in a real cluster
    sch = s.ev("Scheduled", "waiting")
    assert sch and 20 <= sch[0]["time"] <= 23


def test_revision_history_limit_prunes_old_replicasets():
    """sync.go cleanupDeployment: keep revisionHistoryLimit (1) old RSes with 0 replicas."""
    d = deployment("h", replicas=2, image="nginx:1.25", extra_spec="  revisionHistoryLimit: 1\n")
    s = simulate(d, until=300, at=[(30, "kubectl set image deployment/h h=nginx:1.26"),
                                   (100, "kubectl set image deployment/h h=nginx:1.27"),
                                   (200, "kubectl set image deployment/h h=nginx:1.28")])
    rs = sorted((r["revision"], r["desired"]) for r in s.replica_sets("h-"))
    assert rs == [(3, 0), (4, 2)]


def test_min_ready_seconds_gates_availability_and_rollout():
    """IsPodAvailable: ready for minReadySeconds (20) → available; old pods are scaled down only then."""
    d = deployment("mr", replicas=2, image="nginx:1.25", extra_spec="  minReadySeconds: 20\n")
    early = simulate(d, until=15).deployment("mr")
    assert (early["ready"], early["available"], early["conditions"]["Available"]) == (2, 0, "False")
    s = simulate(d, until=200, at=[(30, "kubectl set image deployment/mr mr=nginx:1.26")])
    downs = [e["time"] for e in s.ev("ScalingReplicaSet", "mr", message="Scaled down")]
    assert downs and downs[0] >= 30 + 20
    assert s.deployment("mr")["available"] == 2


@pytest.mark.parametrize("t", [41, 63, 67, 70, 75])
def test_node_down_windows_for_any_start_time(t):
    """KUBERNETES.md §12: NotReady seen in [T+30, T+55]; eviction / replacement in [T+330, T+355]."""
    s = simulate("docs/nginx-deployment", until=t + 400, at=[(t, "node-down node-2")])
    victims = [p for p in s.pods_named(f"{DEP}-") if p["node"] == "node-2" and s.rows(p["name"])[0]["time"] < t]
    assert victims
    nnr = s.ev("NodeNotReady", victims[0]["name"])
    assert nnr and t + 30 <= nnr[0]["time"] <= t + 55
    term = s.first(victims[0]["name"], status="Terminating")
    assert term is not None and t + 330 <= term <= t + 355


def test_daemonset_rolling_update_one_node_at_a_time():
    """daemon/update.go rollingUpdate (maxUnavailable 1, maxSurge 0): the old pod on a node is deleted,
    then the new one is created there; never more than one node without a ready pod."""
    s = simulate("docs/daemonset", until=200, at=[
        (30, "kubectl set image daemonset/fluentd-elasticsearch -n kube-system "
             "fluentd-elasticsearch=quay.io/fluentd_elasticsearch/fluentd:v5.0.2")])
    ns = "kube-system"
    live = [p for p in s.pods if p["namespace"] == ns and not p["deleted"]]
    assert sorted(p["node"] for p in live) == ["node-1", "node-2", "node-3"]
    new = [p for p in s.pods if p["namespace"] == ns and s.rows(p["name"], ns)[0]["time"] >= 30]
    assert len(new) == 3
    assert s.max_alive("fluentd-elasticsearch", ns=ns) == 3
    assert s.min_ready("fluentd-elasticsearch", 30, 200, ns=ns) >= 2
    created = sorted(s.rows(p["name"], ns)[0]["time"] for p in new)
    assert created[0] < created[1] < created[2]


# --- kubectl command-line forms seen in tutorials ------------------------------------------------

def test_kubectl_verb_forms_accepted():
    out = _text("docs/nginx-deployment", until="120", at=[
        (10, f"kubectl scale deployment {DEP} --replicas 4"),
        (20, f"kubectl scale deploy/{DEP} --replicas=5"),
        (30, f"kubectl set image deploy/{DEP} nginx=nginx:1.16.1 --record"),
        (80, f"kubectl rollout undo deployment {DEP}"),
        (90, "kubectl label node node-1 a=b"),
        (95, "kubectl taint node node-1 k=v:PreferNoSchedule"),
    ])
    assert out.count(f"deployment.apps/{DEP} scaled") == 2
    assert f"deployment.apps/{DEP} rolled back" in out
    assert "node/node-1 labeled" in out and "node/node-1 tainted" in out


def test_delete_force_alone_is_immediate():
    """delete.go Complete: --force without --grace-period → grace 0 → immediate, with the warning."""
    out = _text(BARE, at=[(20, "kubectl delete pod web --force")])
    assert "Warning: Immediate deletion does not wait for confirmation that the running resource has been " \
           "terminated. The resource may continue to run on the cluster indefinitely." in out
    assert 'pod "web" force deleted' in out
    s = simulate(BARE, until=60, at=[(20, "kubectl delete pod web --force")])
    assert s.pod("web")["deletedAt"] == 20


def test_global_namespace_flag_before_verb():
    s = simulate(BARE, until=60, at=[(20, "kubectl -n default delete pod web")])
    assert s.pod("web")["deleted"]


def test_kubectl_patch_scales_deployment():
    s = simulate("docs/nginx-deployment", until=60,
                 at=[(20, f"kubectl patch deployment {DEP} -p '{{\"spec\":{{\"replicas\":5}}}}'")])
    assert len(s.pods_named(f"{DEP}-", live_only=True)) == 5


def test_kubectl_scale_with_file():
    s = simulate("docs/nginx-deployment", until=60,
                 at=[(20, f"kubectl scale --replicas=5 -f {path_of('docs/nginx-deployment')}")])
    assert len(s.pods_named(f"{DEP}-", live_only=True)) == 5


def test_kubectl_set_resources_rolls_out():
    s = simulate("docs/nginx-deployment", until=120,
                 at=[(20, f"kubectl set resources deployment {DEP} -c=nginx --limits=cpu=200m,memory=512Mi")])
    assert s.deployment(DEP)["revision"] == 2


def test_delete_owned_replicaset_is_recreated():
    """Deleting a Deployment's RS: GC removes its pods; the deployment controller creates the RS again
    (same template hash name) and 3 new pods."""
    s0 = simulate("docs/nginx-deployment", until=10)
    rs = s0.data["replicaSets"][0]["name"]
    s = simulate("docs/nginx-deployment", until=90, at=[(30, f"kubectl delete rs {rs}")])
    assert [r["name"] for r in s.data["replicaSets"]] == [rs]
    live = s.pods_named(f"{DEP}-", live_only=True)
    assert len(live) == 3 and all(s.rows(p["name"])[0]["time"] >= 30 for p in live)


def test_delete_deployment_cascade_orphan_keeps_pods():
    """propagationPolicy Orphan: the garbage collector removes the ownerReferences of the dependents and
    deletes only the owner; the RS and its pods keep running."""
    s = simulate("docs/nginx-deployment", until=90,
                 at=[(30, f"kubectl delete deployment {DEP} --cascade=orphan")])
    assert not s.data["deployments"]
    assert len(s.data["replicaSets"]) == 1
    assert len(s.pods_named(f"{DEP}-", live_only=True)) == 3


def test_statefulset_rolling_update_reverse_ordinal():
    """stateful_set_control.go: RollingUpdate deletes the highest ordinal first and waits for it to be
    Running and Ready before the next."""
    s = simulate("docs/web-statefulset", until=200,
                 at=[(60, "kubectl set image statefulset/web nginx=registry.k8s.io/nginx-slim:0.24")])
    t1 = next(r["time"] for r in s.timeline if r["object"] == "Pod/default/web-1" and r["time"] >= 60
              and r["status"] == "Terminating")
    t0 = next(r["time"] for r in s.timeline if r["object"] == "Pod/default/web-0" and r["time"] >= 60
              and r["status"] == "Terminating")
    ready1 = next(r["time"] for r in s.timeline if r["object"] == "Pod/default/web-1" and r["time"] > t1
                  and r["ready"] == "1/1" and r["status"] == "Running")
    assert t1 < t0 and ready1 <= t0
    live = [p for p in s.pods if p["name"] in ("web-0", "web-1") and not p["deleted"]]
    assert sorted(p["name"] for p in live) == ["web-0", "web-1"] and all(p["status"] == "Running" for p in live)


@pytest.mark.parametrize("seed", [1, 2, 3, 42])
def test_rollout_and_node_down_hold_for_other_seeds(seed):
    s = simulate(deployment(replicas=4), until=150, at=[set_image("web", "nginx:1.16.1")], seed=seed)
    assert s.max_alive("web-") == 5 and s.min_ready("web-", 30, 150) >= 3
    s = simulate("docs/nginx-deployment", until=450, at=[(60, "node-down node-1")], seed=seed)
    victims = [p for p in s.pods_named(f"{DEP}-") if p["node"] == "node-1" and s.rows(p["name"])[0]["time"] < 60]
    for v in victims:
        t = s.first(v["name"], status="Terminating")
        assert t is not None and 390 <= t <= 415
    assert len(s.pods_named(f"{DEP}-", live_only=True)) - len(victims) == 3


@pytest.mark.parametrize("undo_at", [31, 33, 35])
def test_undo_in_the_middle_of_a_rollout_keeps_bounds(undo_at):
    """Undo while the rollout is half done: the old RS becomes the new one again (revision 3); at no
    moment more than replicas + surge non-terminating pods, never fewer than replicas − unavailable ready."""
    s = simulate(deployment(replicas=4), until=200,
                 at=[set_image("web", "nginx:1.16.1"), (undo_at, "kubectl rollout undo deployment/web")])
    assert s.max_alive("web-") <= 5
    assert s.min_ready("web-", 30, 200) >= 3
    d = s.deployment("web")
    assert (d["revision"], d["updated"], d["available"]) == (3, 4, 4)
    live = s.pods_named("web-", live_only=True)
    by_rev = {r["revision"]: r["name"] for r in s.replica_sets("web-")}
    assert len(live) == 4 and all(p["name"].startswith(by_rev[3]) for p in live)


def test_rollover_second_set_image_mid_rollout():
    """rolling.go rollover: a new template mid-rollout makes the intermediate RS old too; bounds hold and
    the newest RS (revision 3) ends with all replicas."""
    s = simulate(deployment(replicas=4), until=200,
                 at=[set_image("web", "nginx:1.16.1"), (31, "kubectl set image deployment/web web=nginx:1.17")])
    assert s.max_alive("web-") <= 5 and s.min_ready("web-", 30, 200) >= 3
    assert sorted((r["revision"], r["desired"]) for r in s.replica_sets("web-")) == [(1, 0), (2, 0), (3, 4)]


def test_scale_during_rollout_proportional_bounds():
    """sync.go scale (proportional scaling): 4 → 8 mid-rollout; never more than 8 + 2 surge pods."""
    s = simulate(deployment(replicas=4), until=200,
                 at=[set_image("web", "nginx:1.16.1"), (31, "kubectl scale deployment/web --replicas=8")])
    assert s.max_alive("web-") <= 10
    d = s.deployment("web")
    assert (d["replicas"], d["updated"], d["available"]) == (8, 8, 8)


def test_delete_down_node_pod_gc_orphans():
    """podgc/gc_controller.go gcOrphaned: pods bound to a deleted Node are force-deleted after the 40 s
    quarantine (GC period 20 s) → gone in [D+40, D+61]; the ReplicaSet replaces them."""
    s = simulate("docs/nginx-deployment", until=250, at=[(60, "node-down node-2"), (120, "kubectl delete node node-2")])
    victim = next(p for p in s.pods_named(f"{DEP}-") if p["node"] == "node-2")
    assert victim["deleted"] and 160 <= victim["deletedAt"] <= 181
    assert all(n["name"] != "node-2" for n in s.data["nodes"])
    live = s.pods_named(f"{DEP}-", live_only=True)
    assert len(live) == 3 and all(p["node"] in ("node-1", "node-3") for p in live)


def test_out_of_service_taint_force_deletes_terminating_pods():
    """Non-graceful node shutdown (docs concepts/cluster-administration/node-shutdown): the out-of-service
    NoExecute taint evicts at once; podgc gcTerminating (every 20 s) force-deletes terminating pods on a
    not-ready out-of-service node → gone in [T, T+21]; the replacement is created at T."""
    s = simulate("docs/nginx-deployment", until=250, at=[
        (60, "node-down node-2"),
        (120, "kubectl taint nodes node-2 node.kubernetes.io/out-of-service=nodeshutdown:NoExecute")])
    victim = next(p for p in s.pods_named(f"{DEP}-") if p["node"] == "node-2")
    assert s.first(victim["name"], status="Terminating") == 120
    assert victim["deleted"] and 120 <= victim["deletedAt"] <= 141


def test_statefulset_pod_events():
    s = simulate("docs/web-statefulset", until=60)
    msgs = [e["message"] for e in s.ev("SuccessfulCreate", "web")]
    assert "create Pod web-0 in StatefulSet web successful" in msgs
    assert "create Pod web-1 in StatefulSet web successful" in msgs


def test_statefulset_claim_events():
    """stateful_pod_control.go recordClaimEvent: Normal SuccessfulCreate `create Claim www-web-0 Pod web-0 in
    StatefulSet web success` before the pod is created."""
    s = simulate("docs/web-statefulset", until=60)
    msgs = [e["message"] for e in s.ev("SuccessfulCreate", "web")]
    assert "create Claim www-web-0 Pod web-0 in StatefulSet web success" in msgs
    assert msgs.index("create Claim www-web-0 Pod web-0 in StatefulSet web success") < \
        msgs.index("create Pod web-0 in StatefulSet web successful")


def test_drain_ignore_daemonsets_warning_line():
    """kubectl drain.go: `Warning: ignoring DaemonSet-managed Pods: <ns>/<pod>` then evict/evicted/drained."""
    out = _text("docs/daemonset", "docs/nginx-deployment", at=[(20, "kubectl drain node-1 --ignore-daemonsets")])
    block = out[out.index("[20s]"):]
    lines = [l.strip() for l in block.splitlines()[1:8]]
    assert lines[0] == "node/node-1 cordoned"
    assert re.fullmatch(r"Warning: ignoring DaemonSet-managed Pods: kube-system/fluentd-elasticsearch-\S{5}", lines[1])
    assert "node/node-1 drained" in lines


def test_daemonset_rollout_undo_restores_previous_image():
    """kubectl rollout undo daemonset (ControllerRevision history): pods go back to the previous template,
    one node at a time; the old image is still cached on each node."""
    s = simulate("docs/daemonset", until=300, at=[
        (30, "kubectl set image daemonset/fluentd-elasticsearch -n kube-system "
             "fluentd-elasticsearch=quay.io/fluentd_elasticsearch/fluentd:v5.0.2"),
        (150, "kubectl rollout undo daemonset/fluentd-elasticsearch -n kube-system")])
    live = [p for p in s.pods if not p["deleted"]]
    assert sorted(p["node"] for p in live) == ["node-1", "node-2", "node-3"]
    for p in live:
        assert s.rows(p["name"], "kube-system")[0]["time"] >= 150
        pulled = s.ev("Pulled", p["name"])
        assert pulled and pulled[0]["message"] == \
            'Container image "quay.io/fluentd_elasticsearch/fluentd:v5.0.1" already present on machine'


def test_apply_changed_selector_is_immutable():
    """apps validation ValidateDeploymentUpdate: spec.selector is immutable in apps/v1."""
    changed = write(open(path_of("docs/nginx-deployment")).read().replace("app: nginx", "app: web"), "dep-sel.yaml")
    out = _text("docs/nginx-deployment", at=[(20, f"kubectl apply -f {changed}")])
    assert ('The Deployment "nginx-deployment" is invalid: spec.selector: Invalid value: v1.LabelSelector{'
            'MatchLabels:map[string]string{"app":"web"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: '
            'field is immutable') in out


def test_drain_grace_period_applies_to_evictions():
    """kubectl drain --grace-period=5: the Eviction's DeleteOptions carry 5 s → a SIGTERM-ignoring pod is
    gone 5 s after the drain; its replacement lands on another node at once."""
    d = deployment("sl", replicas=3, image="busybox:1.36").replace(
        "        image: busybox:1.36\n", "        image: busybox:1.36\n        command: [\"sh\", \"-c\", \"sleep 3600\"]\n")
    s = simulate(d, until=120, at=[(20, "kubectl drain node-1 --ignore-daemonsets --grace-period=5")])
    victim = next(p for p in s.pods_named("sl-") if p["node"] == "node-1")
    assert s.first(victim["name"], status="Terminating") == 20
    assert 25 <= victim["deletedAt"] <= 27
    new = [p for p in s.pods_named("sl-", live_only=True) if s.rows(p["name"])[0]["time"] >= 20]
    assert len(new) == 1 and new[0]["node"] != "node-1" and s.rows(new[0]["name"])[0]["time"] <= 21


def test_deployment_created_paused_makes_no_replicaset():
    """deployment_controller.go syncDeployment: paused → sync() with createIfNotExisted=false; Progressing
    Unknown (DeploymentPaused)."""
    s = simulate(deployment("pz", replicas=2, image="nginx:1.25", extra_spec="  paused: true\n"), until=30)
    assert s.pods == [] and s.data["replicaSets"] == []
    assert s.deployment("pz")["conditions"]["Progressing"] == "Unknown"


def test_delete_pods_by_label_replaced_without_exceeding_replicas():
    s = simulate("docs/nginx-deployment", until=60, at=[(20, "kubectl delete pods -l app=nginx")])
    assert s.max_alive(f"{DEP}-") == 3
    live = s.pods_named(f"{DEP}-", live_only=True)
    assert len(live) == 3 and all(s.rows(p["name"])[0]["time"] >= 20 for p in live)


def test_tolerate_everything_is_never_evicted_by_node_down():
    """A toleration `{operator: Exists}` matches every taint (no tolerationSeconds) → DefaultTolerationSeconds
    adds nothing and the taint-eviction controller never deletes the pod."""
    m = BARE.replace("  nodeName: node-1\n", "  nodeName: node-2\n  tolerations:\n  - operator: Exists\n")
    s = simulate(m, until=450, at=[(60, "node-down node-2")])
    assert not s.ev("TaintManagerEviction", "web", message="Marking for deletion")
    assert s.pod("web")["status"] == "Running" and not s.pod("web")["deleted"]


def test_rollout_stalls_on_unready_new_pods():
    """New pods that run but never pass readiness are unavailable: with 3 replicas (surge 1, unavailable 0)
    the rollout stops at 1 new Running 0/1 pod and 3 old ready ones."""
    d = deployment("rd", replicas=3, image="nginx:1.25").replace(
        "        image: nginx:1.25\n",
        "        image: nginx:1.25\n        readinessProbe:\n          httpGet: {path: /, port: 80}\n          periodSeconds: 5\n")
    s = simulate(d, until=150, at=[(30, "kubectl set image deployment/rd rd=registry.k8s.io/pause:3.9")])
    dep = s.deployment("rd")
    assert (dep["updated"], dep["available"], dep["ready"]) == (1, 3, 3)
    rs = sorted(s.replica_sets("rd-"), key=lambda r: r["revision"])
    new = s.pods_named(rs[1]["name"], live_only=True)
    assert len(new) == 1 and (new[0]["status"], new[0]["ready"]) == ("Running", "0/1")
    assert s.ev("Unhealthy", new[0]["name"])[0]["message"].startswith("Readiness probe failed: Get \"http://")


def test_job_onfailure_backoff_limit_counts_restarts():
    """job_controller.go pastBackoffLimitOnFailure: with restartPolicy OnFailure the container restartCounts
    are the failures; at backoffLimit (2) → BackoffLimitExceeded and the active pod is deleted."""
    job = """apiVersion: batch/v1
kind: Job
metadata:
  name: onf
spec:
  backoffLimit: 2
  template:
    spec:
      restartPolicy: OnFailure
      containers:
      - name: c
        image: busybox:1.36
        command: ["sh", "-c", "exit 1"]
"""
    s = simulate(job, until=200)
    pods = s.pods_named("onf-")
    assert len(pods) == 1 and pods[0]["restarts"] == 2 and pods[0]["deleted"]
    e = s.ev("BackoffLimitExceeded", "onf")
    assert e and e[0]["time"] == pods[0]["deletedAt"] or (e and abs(e[0]["time"] - pods[0]["deletedAt"]) <= 31)
    assert s.ev("SuccessfulDelete", "onf")[0]["message"] == f"Deleted pod: {pods[0]['name']}"


def test_docs_cronjob_hello_every_minute():
    """application/job/cronjob.yaml: a Job per scheduled minute named `<cronjob>-<minutes since epoch>`
    (cronjob_controllerv2 getJobName), each pod Completed."""
    cj = """apiVersion: batch/v1
kind: CronJob
metadata:
  name: hello
spec:
  schedule: "* * * * *"
  jobTemplate:
    spec:
      template:
        spec:
          containers:
          - name: hello
            image: busybox:1.28
            imagePullPolicy: IfNotPresent
            command:
            - /bin/sh
            - -c
            - date; echo Hello from the Kubernetes cluster
          restartPolicy: OnFailure
"""
    s = simulate(cj, until=200)
    pods = s.pods_named("hello-")
    assert len(pods) == 3 and all(p["status"] == "Completed" for p in pods)
    created = sorted(s.rows(p["name"])[0]["time"] for p in pods)
    assert all(0 <= c % 60 <= 1 for c in created)
    assert all(re.fullmatch(r"hello-\d{8}-[a-z0-9]{5}", p["name"]) for p in pods)


def test_statefulset_parallel_and_ordered_scale_up():
    """podManagementPolicy Parallel creates all ordinals at once; OrderedReady scale-up creates web-3 only
    after web-2 is Running and Ready."""
    t = open(path_of("docs/web-statefulset")).read()
    par = t.replace("  replicas:", "  podManagementPolicy: Parallel\n  replicas:", 1)
    s = simulate(par, until=30)
    assert {s.rows(n)[0]["time"] for n in ("web-0", "web-1")} == {0.0}
    s = simulate(t, until=120, at=[(40, "kubectl scale statefulset web --replicas=4")])
    assert s.rows("web-2")[0]["time"] >= 40
    assert s.rows("web-3")[0]["time"] >= s.first("web-2", ready="1/1")
