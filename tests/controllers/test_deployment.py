"""Deployment controller scenarios (rolling.go / recreate.go / sync.go / progress.go behaviour),
driven on the store + clock with the fake binder and kubelet of fakes.py."""

from fakes import deployment, make_cluster, pods_of

from kubetrainer.sim.controllers import deployment_util as du
from kubetrainer.sim.controllers.common import is_pod_active, is_pod_available


def _set_image(c, image, name="web"):
    d = c.store.get("Deployment", "default", name)
    d["spec"]["template"]["spec"]["containers"][0]["image"] = image
    c.apiserver.update(d, spec_changed=True)


def _rss(c, name="web"):
    return sorted(c.store.list("ReplicaSet"), key=lambda r: du.revision_of(r))


def _watch_counts(c, replicas, min_ready=0):
    """Record (non-terminating pods, available pods) after every step."""
    seen = []
    while True:
        t = c.step()
        if t is None or t > 200:
            break
        active = [p for p in c.store.list("Pod") if is_pod_active(p)]
        avail = [p for p in active if is_pod_available(p, min_ready, c.now)]
        seen.append((t, len(active), len(avail)))
    return seen


def test_initial_rollout_names_and_events():
    c = make_cluster()
    c.apiserver.create(deployment(replicas=3))
    c.run_until(10)
    (rs,) = c.store.list("ReplicaSet")
    h = rs["metadata"]["labels"]["pod-template-hash"]
    assert rs["metadata"]["name"] == f"web-{h}"
    assert rs["spec"]["selector"]["matchLabels"] == {"app": "web", "pod-template-hash": h}
    assert rs["metadata"]["annotations"][du.REVISION] == "1"
    assert rs["metadata"]["ownerReferences"][0]["kind"] == "Deployment"
    pods = pods_of(c)
    assert len(pods) == 3
    for p in pods:
        suffix = p["metadata"]["name"][len(rs["metadata"]["name"]) + 1:]
        assert len(suffix) == 5 and set(suffix) <= set("bcdfghjklmnpqrstvwxz2456789")
        assert p["metadata"]["labels"]["pod-template-hash"] == h
        assert p["metadata"]["ownerReferences"][0]["uid"] == rs["metadata"]["uid"]
    msgs = [(e.reason, e.message) for e in c.events.events]
    assert msgs[0] == ("ScalingReplicaSet", f"Scaled up replica set {rs['metadata']['name']} from 0 to 3")
    assert sum(1 for r, m in msgs if r == "SuccessfulCreate" and m.startswith("Created pod: web-")) == 3
    d = c.store.get("Deployment", "default", "web")
    st = d["status"]
    assert (st["replicas"], st["updatedReplicas"], st["readyReplicas"], st["availableReplicas"]) == (3, 3, 3, 3)
    conds = {x["type"]: (x["status"], x["reason"]) for x in st["conditions"]}
    assert conds == {"Available": ("True", "MinimumReplicasAvailable"),
                     "Progressing": ("True", "NewReplicaSetAvailable")}
    assert [x["type"] for x in st["conditions"]] == ["Available", "Progressing"]


def test_same_seed_same_names():
    names = []
    for _ in range(2):
        c = make_cluster(seed=7)
        c.apiserver.create(deployment(replicas=3))
        c.run_until(10)
        names.append(sorted(p["metadata"]["name"] for p in pods_of(c)))
    assert names[0] == names[1]


def test_rolling_update_4_replicas_25_25_bounds():
    """KUBERNETES.md §13: 4 replicas 25/25 never more than 5 non-terminating pods, never fewer than 3
    available."""
    c = make_cluster()
    c.apiserver.create(deployment(replicas=4))
    c.run_until(20)
    _set_image(c, "nginx:1.17")
    seen = _watch_counts(c, 4)
    assert max(n for _, n, _ in seen) == 5
    assert min(a for _, _, a in seen) >= 3
    old, new = _rss(c)
    assert du.rs_replicas(old) == 0 and du.rs_replicas(new) == 4
    assert new["metadata"]["annotations"][du.REVISION] == "2"
    events = [e.message for e in c.events.events if e.reason == "ScalingReplicaSet"]
    o, n = old["metadata"]["name"], new["metadata"]["name"]
    assert events[1:4] == [f"Scaled up replica set {n} from 0 to 1", f"Scaled down replica set {o} from 4 to 3",
                           f"Scaled up replica set {n} from 1 to 2"]
    assert events[-1] == f"Scaled down replica set {o} from 1 to 0"
    d = c.store.get("Deployment", "default", "web")
    assert d["metadata"]["annotations"][du.REVISION] == "2"
    assert d["status"]["updatedReplicas"] == 4


def test_max_surge_only_never_below_replicas():
    c = make_cluster()
    c.apiserver.create(deployment(replicas=3, strategy={"type": "RollingUpdate",
                                                         "rollingUpdate": {"maxSurge": 1, "maxUnavailable": 0}}))
    c.run_until(20)
    _set_image(c, "nginx:1.17")
    seen = _watch_counts(c, 3)
    assert max(n for _, n, _ in seen) == 4
    assert min(a for _, _, a in seen) == 3


def test_bad_image_stalls_at_max_unavailable_then_deadline():
    c = make_cluster()
    c.apiserver.create(deployment(replicas=4, progressDeadlineSeconds=60))
    c.run_until(20)
    _set_image(c, "nginx:bad")
    c.run_until(50)
    old, new = _rss(c)
    assert (du.rs_replicas(old), du.rs_replicas(new)) == (3, 2)
    d = c.store.get("Deployment", "default", "web")
    assert d["status"]["updatedReplicas"] == 2 and d["status"]["availableReplicas"] == 3
    prog = du.get_condition(d["status"], "Progressing")
    assert prog["reason"] == "ReplicaSetUpdated"
    c.run_until(200)
    prog = du.get_condition(d["status"], "Progressing")
    assert prog["status"] == "False" and prog["reason"] == "ProgressDeadlineExceeded"
    assert prog["message"] == f'ReplicaSet "{new["metadata"]["name"]}" has timed out progressing.'
    # timed out 60 s after the last progress (+1 s requeue), not before
    assert 60 < prog["lastUpdateTime"] - 20 <= 63
    assert (du.rs_replicas(old), du.rs_replicas(new)) == (3, 2)


def test_undo_reuses_old_replicaset_with_next_revision():
    c = make_cluster()
    c.apiserver.create(deployment(replicas=2))
    c.run_until(20)
    first = c.store.list("ReplicaSet")[0]["metadata"]["name"]
    _set_image(c, "nginx:1.17")
    c.run_until(60)
    # kubectl rollout undo: copy revision 1's template back (client side)
    d = c.store.get("Deployment", "default", "web")
    d["spec"]["template"]["spec"]["containers"][0]["image"] = "nginx:1.16"
    c.apiserver.update(d, spec_changed=True)
    c.run_until(120)
    rss = {r["metadata"]["name"]: r for r in c.store.list("ReplicaSet")}
    assert len(rss) == 2
    assert rss[first]["metadata"]["annotations"][du.REVISION] == "3"
    assert rss[first]["metadata"]["annotations"][du.REVISION_HISTORY] == "1"
    assert du.rs_replicas(rss[first]) == 2
    assert c.store.get("Deployment", "default", "web")["metadata"]["annotations"][du.REVISION] == "3"


def test_recreate_waits_for_old_pods_gone():
    c = make_cluster()
    c.apiserver.create(deployment(replicas=3, strategy={"type": "Recreate"}))
    c.run_until(20)
    _set_image(c, "nginx:1.17")
    seen = []
    while True:
        t = c.step()
        if t is None or t > 100:
            break
        hashes = {p["metadata"]["labels"]["pod-template-hash"] for p in c.store.list("Pod")}
        seen.append(len(hashes))
    assert max(seen) == 1  # old and new pods never coexist (terminating ones included)
    old, new = _rss(c)
    assert du.rs_replicas(new) == 3 and du.rs_replicas(old) == 0


def test_scaling_during_rollout_is_proportional():
    c = make_cluster(nodes=5)
    c.apiserver.create(deployment(replicas=10, strategy={"type": "RollingUpdate",
                                                          "rollingUpdate": {"maxSurge": 3, "maxUnavailable": 2}}))
    c.run_until(20)
    _set_image(c, "nginx:bad")
    c.run_until(40)
    old, new = _rss(c)
    assert (du.rs_replicas(old), du.rs_replicas(new)) == (8, 5)
    d = c.store.get("Deployment", "default", "web")
    d["spec"]["replicas"] = 15
    c.apiserver.update(d, spec_changed=True)
    c.run_until(41)
    # upstream TestScale "proportional scaling: 10 -> 15 with 8/5 split" style: 18 allowed (15+3),
    # 5 to add split 8:5 by the max-replicas annotation 13 -> +3 / +2
    assert (du.rs_replicas(old), du.rs_replicas(new)) == (11, 7)


def test_revision_history_limit_cleans_oldest():
    c = make_cluster()
    c.apiserver.create(deployment(replicas=1, revisionHistoryLimit=1))
    c.run_until(10)
    for i, img in enumerate(["nginx:1.17", "nginx:1.18", "nginx:1.19"]):
        _set_image(c, img)
        c.run_until(30 * (i + 1) + 10)
    revs = sorted(du.revision_of(r) for r in c.store.list("ReplicaSet"))
    assert revs == [3, 4]


def test_pause_and_resume_conditions():
    c = make_cluster()
    c.apiserver.create(deployment(replicas=2))
    c.run_until(10)
    d = c.store.get("Deployment", "default", "web")
    d["spec"]["paused"] = True
    c.apiserver.update(d, spec_changed=True)
    c.run_until(11)
    _set_image(c, "nginx:1.17")
    c.run_until(30)
    assert len(c.store.list("ReplicaSet")) == 1
    prog = du.get_condition(d["status"], "Progressing")
    assert (prog["status"], prog["reason"], prog["message"]) == ("Unknown", "DeploymentPaused", "Deployment is paused")
    d["spec"]["paused"] = False
    c.apiserver.update(d, spec_changed=True)
    c.run_until(60)
    assert len(c.store.list("ReplicaSet")) == 2
    assert d["status"]["updatedReplicas"] == 2


def test_delete_deployment_cascades():
    c = make_cluster()
    c.apiserver.create(deployment(replicas=3))
    c.run_until(10)
    c.apiserver.delete("Deployment", "default", "web")
    c.run_until(20)
    assert c.store.list("ReplicaSet") == []
    assert pods_of(c) == []


def test_min_ready_seconds_gates_availability():
    c = make_cluster(ready_after=2.0)
    c.apiserver.create(deployment(replicas=2, minReadySeconds=10))
    c.run_until(4)   # pods Ready at t=4 (bind 1 s, start 1 s, ready 2 s)
    d = c.store.get("Deployment", "default", "web")
    assert d["status"]["readyReplicas"] == 2 and d["status"].get("availableReplicas", 0) == 0
    c.run_until(13.9)
    assert d["status"].get("availableReplicas", 0) == 0
    c.run_until(14)
    assert d["status"]["availableReplicas"] == 2
    assert du.get_condition(d["status"], "Available")["status"] == "True"
