"""End to end through the real engine (scheduler, kubelets, controllers) with the default world."""

import pytest

from kubetrainer.sim.cluster import Cluster


def _deploy(replicas=4, image="nginx:1.16.1", **spec):
    d = {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web", "labels": {"app": "web"}},
         "spec": {"replicas": replicas, "selector": {"matchLabels": {"app": "web"}},
                  "template": {"metadata": {"labels": {"app": "web"}},
                               "spec": {"containers": [{"name": "web", "image": image}]}}}}
    d["spec"].update(spec)
    return d


@pytest.fixture
def cluster():
    try:
        return Cluster(None, seed=0)
    except Exception as exc:  # pragma: no cover - the engine's other parts are still landing
        pytest.skip(f"engine not ready: {exc}")


def test_bad_image_stalls_like_a_real_cluster(cluster):
    c = cluster
    c.apply_manifests([_deploy(4)])
    c.run_until(60)
    assert c.kubectl("get deploy web").output.splitlines()[1].split()[1:4] == ["4/4", "4", "4"]
    assert c.kubectl("set image deployment/web web=nginx:1.161").exit_code == 0
    c.run_until(200)
    rows = {r.split()[0]: r.split()[1:4] for r in c.kubectl("get rs").output.splitlines()[1:]}
    assert sorted(v[0] for v in rows.values()) == ["2", "3"]
    line = c.kubectl("get deploy web").output.splitlines()[1].split()
    assert line[1:4] == ["3/4", "2", "3"]
    assert c.kubectl("rollout status deployment/web").output == (
        'Waiting for deployment "web" rollout to finish: 2 out of 4 new replicas have been updated...\n')
    c.run_until(700)
    r = c.kubectl("rollout status deployment/web")
    assert (r.output, r.exit_code) == ('error: deployment "web" exceeded its progress deadline\n', 1)
    # undo goes back to revision 1's ReplicaSet, which becomes revision 3
    assert c.kubectl("rollout undo deployment/web").output == "deployment.apps/web rolled back\n"
    c.run_until(800)
    assert c.kubectl("rollout status deployment/web").output == 'deployment "web" successfully rolled out\n'
    hist = c.kubectl("rollout history deployment/web").output
    assert hist.splitlines()[2:4] == ["2         <none>", "3         <none>"]


def test_node_down_eviction_timing(cluster):
    c = cluster
    c.apply_manifests([_deploy(3)])
    c.run_until(100)
    on1 = [p["metadata"]["name"] for p in c.store.list("Pod") if p["spec"].get("nodeName") == "node-1"]
    assert on1
    c.command("node-down node-1")
    c.run_until(160)
    assert "NotReady" in c.kubectl("get node node-1").output
    c.run_until(500)
    ev = [e for e in c.events.events if e.reason == "TaintManagerEviction"]
    assert ev and all(100 + 330 <= e.time <= 100 + 355 for e in ev)
    creates = [e for e in c.events.events if e.reason == "SuccessfulCreate" and e.time > 100]
    assert len(creates) == len(on1) and all(100 + 330 <= e.time <= 100 + 355 for e in creates)
    for n in on1:
        assert c.store.get("Pod", "default", n)["metadata"]["deletionTimestamp"] is not None
    live = [p for p in c.store.list("Pod") if p["metadata"].get("deletionTimestamp") is None]
    assert len(live) == 3 and all(p["spec"]["nodeName"] != "node-1" for p in live)


def _job(name, cmd, **spec):
    j = {"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": name, "namespace": "default"},
         "spec": {"template": {"spec": {"restartPolicy": "Never", "containers": [
             {"name": "c", "image": "busybox:1.36", "command": ["sh", "-c", cmd]}]}}}}
    j["spec"].update(spec)
    return j


def test_job_completions_and_backoff_limit(cluster):
    c = cluster
    c.apply_manifests([_job("ok", "echo hi; sleep 5", completions=3, parallelism=2),
                       _job("bad", "exit 1", backoffLimit=2)])
    c.run_until(200)
    rows = {r.split()[0]: r.split()[1:3] for r in c.kubectl("get jobs").output.splitlines()[1:]}
    assert rows == {"ok": ["Complete", "3/3"], "bad": ["Failed", "0/1"]}
    ok_events = [(e.reason, e.message) for e in c.events.events if e.object == "Job/default/ok"]
    assert [r for r, _ in ok_events] == ["SuccessfulCreate"] * 3 + ["Completed"]
    bad = [e for e in c.events.events if e.object == "Job/default/bad"]
    creates = [e.time for e in bad if e.reason == "SuccessfulCreate"]
    assert len(creates) == 3   # backoffLimit 2: the third failure ends the Job
    assert creates[1] - creates[0] >= 10 and creates[2] - creates[1] >= 20   # 10 s, 20 s back-off
    assert bad[-1].type == "Warning" and (bad[-1].reason, bad[-1].message) == (
        "BackoffLimitExceeded", "Job has reached the specified backoff limit")


def test_cronjob_docs_hello_every_minute(cluster):
    """docs/concepts/workloads/controllers/cron-jobs (application/job/cronjob.yaml), schedule * * * * *."""
    c = cluster
    c.apply_manifests([{"apiVersion": "batch/v1", "kind": "CronJob", "metadata": {"name": "hello", "namespace": "default"},
                        "spec": {"schedule": "* * * * *", "jobTemplate": {"spec": {"template": {"spec": {
                            "restartPolicy": "OnFailure", "containers": [{
                                "name": "hello", "image": "busybox:1.28", "imagePullPolicy": "IfNotPresent",
                                "command": ["/bin/sh", "-c", "date; echo Hello from the Kubernetes cluster"]}]}}}}}}])
    c.run_until(300)
    created = [(e.time, e.message) for e in c.events.events if e.object == "CronJob/default/hello"
               and e.reason == "SuccessfulCreate"]
    # t=0 is 2024-01-01T00:00:00Z = Unix minute 28401120
    assert created == [(60.0 * k, f"Created job hello-{28401120 + k}") for k in range(1, 6)]
    jobs = sorted(j["metadata"]["name"] for j in c.store.list("Job"))
    # successfulJobsHistoryLimit 3: the 3 newest finished Jobs + the one started at t=300
    assert jobs == [f"hello-{28401120 + k}" for k in range(2, 6)]
    saw = [e.message for e in c.events.events if e.reason == "SawCompletedJob"]
    assert saw[0] == f"Saw completed job: hello-{28401121}, condition: Complete"
    row = c.kubectl("get cronjobs").output.splitlines()[1].split()
    assert row[:5] == ["hello", "*", "*", "*", "*"] and row[5:8] == ["*", "<none>", "False"]


def test_cron_schedule_grammar():
    from kubetrainer.sim.controllers.cronjob import CronError, Schedule

    assert Schedule("*/15 * * * *").next_after(0) == 900
    assert Schedule("@hourly").next_after(0) == 3600
    assert Schedule("30 9 * * MON-FRI").next_after(0) == 9 * 3600 + 1800   # 2024-01-01 is a Monday
    assert Schedule("0 0 * * SUN").next_after(0) == 6 * 86400
    assert Schedule("0 0 1 * *").next_after(0) == 31 * 86400
    with pytest.raises(CronError):
        Schedule("61 * * * *")
    with pytest.raises(CronError):
        Schedule("* * *")


def test_cronjob_forbid_skips_while_running(cluster):
    c = cluster
    c.apply_manifests([{"apiVersion": "batch/v1", "kind": "CronJob", "metadata": {"name": "slow", "namespace": "default"},
                        "spec": {"schedule": "* * * * *", "concurrencyPolicy": "Forbid",
                                 "jobTemplate": {"spec": {"template": {"spec": {
                                     "restartPolicy": "Never", "containers": [{
                                         "name": "s", "image": "busybox:1.28", "command": ["sleep", "100"]}]}}}}}}])
    c.run_until(200)
    reasons = [(e.time, e.reason) for e in c.events.events if e.object == "CronJob/default/slow"]
    assert (60.0, "SuccessfulCreate") in reasons and (120.0, "JobAlreadyActive") in reasons
    assert (180.0, "SuccessfulCreate") in reasons
