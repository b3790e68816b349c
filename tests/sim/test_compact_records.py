"""The engine's compact records (issue #5, 150,000 pods in 2 GiB): the Flow panel keeps the newest
FLOW_KEEP steps, the timeline stores rows as tuples but reads as dicts, container roots share one
frozen directory set until a container changes it."""

from simhelpers import pod

from kubetrainer.sim import cluster as cluster_mod
from kubetrainer.sim.cluster import Cluster
from kubetrainer.sim.result import TIMELINE_KEYS
from kubetrainer.sim.runtime.fs import ContainerFS


def test_flow_keeps_the_newest_steps_and_counts_all(monkeypatch):
    monkeypatch.setattr(cluster_mod, "FLOW_KEEP", 10)
    c = Cluster(None, seed=0)
    c.apply_manifests([pod(command=["sleep", "3600"])])
    c.run_until(5)
    assert len(c.flow) == 10
    assert c.flow_steps > 10                      # a pod makes ~18 steps
    # the newest are kept: the last one is the kubelet's status write persisted
    assert (c.flow[-1].component, c.flow[-1].action) == ("etcd", "persist")
    assert [f.time for f in c.flow] == sorted(f.time for f in c.flow)


def test_timeline_rows_read_as_dicts_in_contract_order():
    c = Cluster(None, seed=0)
    c.apply_manifests([pod(command=["sleep", "3600"])])
    c.run_until(10)
    rows = list(c.timeline)
    assert rows and all(list(r) == list(TIMELINE_KEYS) for r in rows)
    assert rows[0] == c.timeline[0] and rows[-1] == c.timeline[-1] and rows[1:3] == c.timeline[1:3]
    assert rows[-1]["phase"] == "Running" and rows[-1]["ready"] == "1/1" and rows[-1]["node"]
    assert c.result()["timeline"] == rows
    # a new row only when something other than the time changed
    sigs = [tuple(r[k] for k in TIMELINE_KEYS[2:]) for r in rows]
    assert all(a != b for a, b in zip(sigs, sigs[1:]))


def test_container_roots_share_directories_until_one_changes():
    a, b = ContainerFS(hostname="a"), ContainerFS(hostname="b")
    a.kubelet_files()
    b.kubelet_files()
    assert a.root.dirs is b.root.dirs and isinstance(a.root.dirs, frozenset)
    a.mkdir("/data/x", parents=True)
    assert a.isdir("/data/x") and not b.isdir("/data")
    assert a.root.dirs is not b.root.dirs and "data" not in b.root.dirs
    b.remove("/tmp", recursive=True)
    assert not b.isdir("/tmp") and a.isdir("/tmp")


def _deployment(replicas: int) -> dict:
    return {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"},
            "spec": {"replicas": replicas, "selector": {"matchLabels": {"app": "web"}},
                     "template": {"metadata": {"labels": {"app": "web"}},
                                  "spec": {"containers": [{"name": "c", "image": "busybox:1.36",
                                                           "command": ["sleep", "3600"]}]}}}}


def test_pods_share_equal_conditions_and_a_change_copies():
    """kubelet write_status hands out one object per distinct condition; set_condition (the
    apiserver's and the scheduler's) replaces a condition instead of changing the shared one."""
    from kubetrainer.sim.apiserver import set_condition
    from kubetrainer.sim.scheduler.component import set_pod_condition

    c = Cluster(None, seed=0)
    c.apply_manifests([_deployment(4)])
    c.run_until(30)
    pods = sorted(c.store.iter("Pod"), key=lambda p: p["metadata"]["name"])
    assert len(pods) == 4 and all(p["status"]["phase"] == "Running" for p in pods)
    by_type = [{x["type"]: x for x in p["status"]["conditions"]} for p in pods]
    same = [t for t in by_type[0] if by_type[0][t] == by_type[1][t]]
    assert same and all(by_type[0][t] is by_type[1][t] for t in same)
    before = [dict(x) for x in pods[1]["status"]["conditions"]]
    set_condition(pods[0]["status"], "Ready", "False", 99.0, "Test", "changed")
    set_pod_condition(pods[0], "PodScheduled", "False", 99.0, "Test", "changed")
    assert pods[1]["status"]["conditions"] == before
    got = {x["type"]: x for x in pods[0]["status"]["conditions"]}
    assert (got["Ready"]["status"], got["Ready"]["lastTransitionTime"], got["PodScheduled"]["reason"]) == \
        ("False", 99.0, "Test")


def test_pods_share_equal_spec_parts_and_set_image_changes_one_pod():
    """share_pod_parts: the pods of a ReplicaSet hold one containers list; `kubectl set image pod/X`
    copies X's spec first, and the kubelet restarts only X's container with the new image
    (kuberuntime_manager.go computePodActions: containerChanged → "definition changed")."""
    c = Cluster(None, seed=0)
    c.apply_manifests([_deployment(3)])
    c.run_until(30)
    a, b, d = sorted(c.store.iter("Pod"), key=lambda p: p["metadata"]["name"])
    assert a["spec"]["containers"] is b["spec"]["containers"] is d["spec"]["containers"]
    assert a["spec"] is not b["spec"] and a["spec"]["nodeName"]
    name = a["metadata"]["name"]
    assert c.kubectl(f"set image pod/{name} c=busybox:1.37").output == f"pod/{name} image updated\n"
    assert a["spec"]["containers"] is not b["spec"]["containers"]
    assert [x["spec"]["containers"][0]["image"] for x in (a, b, d)] == ["busybox:1.37", "busybox:1.36",
                                                                         "busybox:1.36"]
    c.run_until(90)
    killing = [e for e in c.events.events if e.reason == "Killing"]
    assert [(e.object, e.message) for e in killing] == [
        (f"Pod/default/{name}", "Container c definition changed, will be restarted")]
    assert any(e.reason == "Pulling" and e.object == f"Pod/default/{name}" and "busybox:1.37" in e.message
               for e in c.events.events)
    assert c.pod_view("default", name)["restarts"] == 1
    assert c.pod_view("default", b["metadata"]["name"])["restarts"] == 0


def test_same_tree_needs_equal_types_and_key_order():
    from kubetrainer.sim.sharing import same_tree

    assert same_tree({"a": [1, {"b": "x"}]}, {"a": [1, {"b": "x"}]})
    assert not same_tree({"a": 1, "b": 2}, {"b": 2, "a": 1})        # equal, but printed differently
    assert not same_tree({"a": 1}, {"a": 1.0}) and not same_tree([True], [1])


def test_scheduler_keeps_the_newest_records(monkeypatch):
    from kubetrainer.sim.scheduler import component

    monkeypatch.setattr(component, "RECORDS_KEEP", 3)
    c = Cluster(None, seed=0)
    c.apply_manifests([_deployment(5)])
    c.run_until(30)
    sched = c.component("scheduler")
    assert sched.scheduled == 5 and len(sched.records) == 3
    kept = [r.pod_key for r in sched.records]
    assert sorted(sched.records_by_pod) == sorted(kept)
    assert all(sched.records_by_pod[k] == [r] for k, r in zip(kept, sched.records))
    gone = [p["metadata"]["name"] for p in c.store.iter("Pod") if f"default/{p['metadata']['name']}" not in kept]
    assert len(gone) == 2 and all(sched.records_for("default", n) == [] for n in gone)


def test_pods_share_labels_and_owner_references_and_label_changes_one_pod():
    c = Cluster(None, seed=0)
    c.apply_manifests([_deployment(2)])
    c.run_until(10)
    a, b = sorted(c.store.iter("Pod"), key=lambda p: p["metadata"]["name"])
    assert a["metadata"]["labels"] is b["metadata"]["labels"]
    assert a["metadata"]["ownerReferences"] is b["metadata"]["ownerReferences"]
    name = a["metadata"]["name"]
    assert c.kubectl(f"label pod {name} tier=web").output == f"pod/{name} labeled\n"
    assert a["metadata"]["labels"]["tier"] == "web" and "tier" not in b["metadata"]["labels"]
    # the ReplicaSet keeps both (the selector still matches) and nothing else changed
    c.run_until(20)
    assert sorted(p["metadata"]["name"] for p in c.store.iter("Pod")) == sorted([name, b["metadata"]["name"]])


def test_repeated_event_messages_are_one_string():
    """A crash loop records the same BackOff text on every restart: one string, not one per event."""
    c = Cluster(None, seed=0)
    c.apply_manifests([{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "web"},
                        "spec": {"containers": [{"name": "c", "image": "busybox:1.36", "command": ["false"]}]}}])
    c.run_until(600)
    backoff = [e for e in c.events.events if e.reason == "BackOff"]
    assert len(backoff) > 3 and backoff[-1].count == len(backoff)
    assert all(e.message is backoff[0].message for e in backoff)


def test_a_recreated_pod_of_the_same_name_is_another_event_series():
    """Events carry their object's uid: kubectl describe shows the current pod's events only, and
    `kubectl get events` lists the old and the new pod's Scheduled as two Event objects."""
    sts = {"apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": {"name": "db"},
           "spec": {"serviceName": "db", "replicas": 1, "selector": {"matchLabels": {"app": "db"}},
                    "template": {"metadata": {"labels": {"app": "db"}},
                                 "spec": {"containers": [{"name": "c", "image": "busybox:1.36",
                                                          "command": ["sleep", "3600"]}]}}}}
    c = Cluster(None, seed=0)
    c.apply_manifests([sts])
    c.run_until(20)
    assert c.kubectl("delete pod db-0").exit_code == 0
    c.run_until(80)
    described = c.kubectl("describe pod db-0").output
    events = described[described.index("Events:"):]
    assert events.count("Scheduled") == 1 and "Killing" not in events and "(x2" not in events
    listed = [line for line in c.kubectl("get events").output.splitlines() if "Scheduled" in line]
    assert len(listed) == 2
