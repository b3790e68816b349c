"""ReplicaSet controller (replica_set.go, controller_utils.go) behaviour."""

from fakes import make_cluster, pods_of

from kubetrainer.sim.controllers.common import rank_pods_for_deletion


def _rs(name="front", replicas=3, labels=None):
    labels = labels or {"tier": "front"}
    return {"apiVersion": "apps/v1", "kind": "ReplicaSet", "metadata": {"name": name, "namespace": "default"},
            "spec": {"replicas": replicas, "selector": {"matchLabels": dict(labels)},
                     "template": {"metadata": {"labels": dict(labels)},
                                  "spec": {"containers": [{"name": "c", "image": "nginx:1.16"}]}}}}


def _pod(name, node=None, phase="Pending", ready_at=None, created=0.0, restarts=0, uid=None):
    p = {"metadata": {"name": name, "uid": uid or name, "creationTimestamp": created},
         "spec": {"nodeName": node} if node else {},
         "status": {"phase": phase, "containerStatuses": [{"restartCount": restarts}]}}
    if ready_at is not None:
        p["status"]["conditions"] = [{"type": "Ready", "status": "True", "lastTransitionTime": ready_at}]
    return p


def test_deletion_ranking_follows_active_pods_with_ranks():
    """controller_utils_test.go TestSortingActivePods order: unassigned, Pending, Unknown, Running
    not ready, ..., then ready pods by how recently they became ready."""
    pods = [
        _pod("ready-long", "n1", "Running", ready_at=0.0, created=0.0),
        _pod("unassigned"),
        _pod("running-notready", "n1", "Running", created=0.0),
        _pod("pending", "n2", "Pending"),
        _pod("unknown", "n2", "Unknown"),
        _pod("ready-recent", "n2", "Running", ready_at=999.0, created=0.0),
    ]
    order = [p["metadata"]["name"] for p in rank_pods_for_deletion(pods, pods, now=1000.0)]
    assert order == ["unassigned", "pending", "unknown", "running-notready", "ready-recent", "ready-long"]


def test_deletion_prefers_doubled_up_and_restarting_pods():
    a = _pod("a", "n1", "Running", ready_at=0.0)
    b = _pod("b", "n1", "Running", ready_at=0.0)
    c = _pod("c", "n2", "Running", ready_at=0.0)
    order = [p["metadata"]["name"] for p in rank_pods_for_deletion([c, a, b], [a, b, c], now=10.0)]
    assert order[2] == "c"   # a and b share node n1 (rank 2) and go first
    x = _pod("x", "n1", "Running", ready_at=0.0, restarts=5)
    y = _pod("y", "n2", "Running", ready_at=0.0, restarts=0)
    assert [p["metadata"]["name"] for p in rank_pods_for_deletion([y, x], [x, y], now=10.0)] == ["x", "y"]


def test_scale_down_deletes_unready_first_and_records_events():
    c = make_cluster()
    c.apiserver.create(_rs(replicas=3))
    c.run_until(20)
    names = sorted(p["metadata"]["name"] for p in pods_of(c, "front-"))
    assert all(len(n) == len("front-") + 5 for n in names)
    victim = c.store.get("Pod", "default", names[1])
    victim["status"]["conditions"] = [{"type": "Ready", "status": "False", "lastTransitionTime": 20.0}]
    c.apiserver.update(victim)
    rs = c.store.get("ReplicaSet", "default", "front")
    rs["spec"]["replicas"] = 2
    c.apiserver.update(rs, spec_changed=True)
    c.run_until(21)
    deletes = [e.message for e in c.events.events if e.reason == "SuccessfulDelete"]
    assert deletes == [f"Deleted pod: {names[1]}"]


def test_terminating_pod_is_replaced_at_once():
    c = make_cluster()
    c.apiserver.create(_rs(replicas=2))
    c.run_until(20)
    p = pods_of(c, "front-")[0]
    p["spec"]["terminationGracePeriodSeconds"] = 30
    c.fake_kubelet.down.add(p["spec"]["nodeName"])   # keep it Terminating
    c.apiserver.delete("Pod", "default", p["metadata"]["name"])
    c.run_until(20.5)
    live = [x for x in pods_of(c, "front-") if x["metadata"].get("deletionTimestamp") is None]
    assert len(live) == 2 and len(pods_of(c, "front-")) == 3
    rs = c.store.get("ReplicaSet", "default", "front")
    assert rs["status"]["replicas"] == 2


def test_adoption_and_orphaning_by_labels():
    c = make_cluster()
    c.apiserver.create({"apiVersion": "v1", "kind": "Pod",
                        "metadata": {"name": "stray", "labels": {"tier": "front"}},
                        "spec": {"containers": [{"name": "c", "image": "nginx:1.16"}]}})
    c.run_until(5)
    c.apiserver.create(_rs(replicas=2))
    c.run_until(20)
    stray = c.store.get("Pod", "default", "stray")
    rs = c.store.get("ReplicaSet", "default", "front")
    assert stray["metadata"]["ownerReferences"][0]["uid"] == rs["metadata"]["uid"]
    assert len(pods_of(c, "front-")) == 1   # adopted the stray pod, created only one more
    # relabel: the RS releases it and creates a replacement
    stray["metadata"]["labels"] = {"tier": "debug"}
    c.apiserver.update(stray)
    c.run_until(30)
    assert not stray["metadata"].get("ownerReferences")
    assert len(pods_of(c, "front-")) == 2
    assert rs["status"]["replicas"] == 2


def test_replication_controller_uses_plain_selector():
    c = make_cluster()
    c.apiserver.create({"apiVersion": "v1", "kind": "ReplicationController",
                        "metadata": {"name": "old", "namespace": "default"},
                        "spec": {"replicas": 2, "selector": {"app": "old"},
                                 "template": {"metadata": {"labels": {"app": "old"}},
                                              "spec": {"containers": [{"name": "c", "image": "nginx:1.16"}]}}}})
    c.run_until(20)
    assert len(pods_of(c, "old-")) == 2
    assert c.kubectl("get rc").output.splitlines()[1].split()[:4] == ["old", "2", "2", "2"]
    assert {e.source for e in c.events.events if e.reason == "SuccessfulCreate"} == {"replication-controller"}
