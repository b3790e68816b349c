"""DaemonSet (daemon_controller.go) and StatefulSet (stateful_set_control.go) behaviour."""

from fakes import make_cluster, pods_of


def _ds(**spec):
    d = {"apiVersion": "apps/v1", "kind": "DaemonSet", "metadata": {"name": "agent", "namespace": "default"},
         "spec": {"selector": {"matchLabels": {"app": "agent"}},
                  "template": {"metadata": {"labels": {"app": "agent"}},
                               "spec": {"containers": [{"name": "a", "image": "fluent-bit:1"}]}}}}
    d["spec"]["template"]["spec"].update(spec)
    return d


def test_daemonset_one_pod_per_eligible_node_and_taints():
    taints = {"node-3": [{"key": "dedicated", "value": "gpu", "effect": "NoSchedule"}]}
    c = make_cluster(nodes=3, taints=taints)
    c.apiserver.create(_ds())
    c.run_until(20)
    pods = pods_of(c, "agent-")
    assert sorted(p["spec"]["nodeName"] for p in pods) == ["node-1", "node-2"]
    p = pods[0]
    keys = {(t["key"], t.get("effect")) for t in p["spec"]["tolerations"]}
    assert ("node.kubernetes.io/unreachable", "NoExecute") in keys
    assert ("node.kubernetes.io/unschedulable", "NoSchedule") in keys
    assert all("tolerationSeconds" not in t for t in p["spec"]["tolerations"]
               if t["key"] == "node.kubernetes.io/unreachable")
    fields = p["spec"]["affinity"]["nodeAffinity"]["requiredDuringSchedulingIgnoredDuringExecution"][
        "nodeSelectorTerms"][0]["matchFields"]
    assert fields == [{"key": "metadata.name", "operator": "In", "values": [p["spec"]["nodeName"]]}]
    ds = c.store.get("DaemonSet", "default", "agent")
    assert ds["status"]["desiredNumberScheduled"] == 2 and ds["status"]["numberReady"] == 2
    out = c.kubectl("get ds").output.splitlines()
    assert out[0].split() == ["NAME", "DESIRED", "CURRENT", "READY", "UP-TO-DATE", "AVAILABLE", "NODE", "SELECTOR", "AGE"]
    assert out[1].split()[:7] == ["agent", "2", "2", "2", "2", "2", "<none>"]
    # a new node gets a pod; a node-down does not evict daemon pods
    c.store.create({"apiVersion": "v1", "kind": "Node", "metadata": {"name": "node-4", "labels": {}},
                    "spec": {}, "status": {"conditions": [{"type": "Ready", "status": "True"}]}})
    c.run_until(30)
    assert sorted(p["spec"]["nodeName"] for p in pods_of(c, "agent-")) == ["node-1", "node-2", "node-4"]
    c.world_command("node-down node-1")
    c.run_until(500)
    assert not any(e.reason == "TaintManagerEviction" for e in c.events.events)


def test_daemonset_node_selector_and_rolling_update():
    c = make_cluster(nodes=3)
    c.apiserver.create(_ds(nodeSelector={"kubernetes.io/os": "linux"}))
    c.run_until(20)
    assert len(pods_of(c, "agent-")) == 3
    ds = c.store.get("DaemonSet", "default", "agent")
    ds["spec"]["template"]["spec"]["containers"][0]["image"] = "fluent-bit:2"
    c.apiserver.update(ds, spec_changed=True)
    seen = []
    while (t := c.step()) is not None and t < 100:
        live = [p for p in pods_of(c, "agent-") if p["metadata"].get("deletionTimestamp") is None]
        seen.append(sum(1 for p in live if p["spec"]["containers"][0]["image"] == "fluent-bit:1"))
    images = [p["spec"]["containers"][0]["image"] for p in pods_of(c, "agent-")]
    assert images == ["fluent-bit:2"] * 3
    assert sorted(set(seen), reverse=True) == [2, 1, 0]   # one node at a time (maxUnavailable 1)


def _sts(replicas=3, **spec):
    s = {"apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": {"name": "db", "namespace": "default"},
         "spec": {"replicas": replicas, "serviceName": "db", "selector": {"matchLabels": {"app": "db"}},
                  "template": {"metadata": {"labels": {"app": "db"}},
                               "spec": {"containers": [{"name": "db", "image": "redis:7"}]}}}}
    s["spec"].update(spec)
    return s


def test_statefulset_ordered_creation_and_reverse_scale_down():
    c = make_cluster()
    c.apiserver.create(_sts())
    c.run_until(60)
    creates = [(e.time, e.message) for e in c.events.events if e.reason == "SuccessfulCreate"]
    assert [m for _, m in creates] == [f"create Pod db-{i} in StatefulSet db successful" for i in range(3)]
    assert creates[0][0] < creates[1][0] < creates[2][0]   # each waits for the previous to be Running and Ready
    p = c.store.get("Pod", "default", "db-1")
    assert p["spec"]["hostname"] == "db-1" and p["spec"]["subdomain"] == "db"
    assert p["metadata"]["labels"]["apps.kubernetes.io/pod-index"] == "1"
    s = c.store.get("StatefulSet", "default", "db")
    s["spec"]["replicas"] = 1
    c.apiserver.update(s, spec_changed=True)
    c.run_until(120)
    deletes = [e.message for e in c.events.events if e.reason == "SuccessfulDelete"]
    assert deletes == ["delete Pod db-2 in StatefulSet db successful", "delete Pod db-1 in StatefulSet db successful"]
    assert [p["metadata"]["name"] for p in pods_of(c, "db-")] == ["db-0"]
    assert c.kubectl("get sts").output.splitlines()[1].split()[:2] == ["db", "1/1"]


def test_statefulset_parallel_and_partition():
    c = make_cluster()
    c.apiserver.create(_sts(podManagementPolicy="Parallel",
                            updateStrategy={"type": "RollingUpdate", "rollingUpdate": {"partition": 1}}))
    c.run_until(1)
    assert len(pods_of(c, "db-")) == 3   # all at once
    c.run_until(30)
    s = c.store.get("StatefulSet", "default", "db")
    s["spec"]["template"]["spec"]["containers"][0]["image"] = "redis:8"
    c.apiserver.update(s, spec_changed=True)
    c.run_until(120)
    images = {p["metadata"]["name"]: p["spec"]["containers"][0]["image"] for p in pods_of(c, "db-")}
    assert images == {"db-0": "redis:7", "db-1": "redis:8", "db-2": "redis:8"}
    deletes = [e.message for e in c.events.events if e.reason == "SuccessfulDelete"]
    assert deletes == ["delete Pod db-2 in StatefulSet db successful", "delete Pod db-1 in StatefulSet db successful"]


def test_daemonset_history_and_undo_via_controller_revisions():
    c = make_cluster(nodes=2)
    c.apiserver.create(_ds())
    c.run_until(20)
    ds = c.store.get("DaemonSet", "default", "agent")
    ds["spec"]["template"]["spec"]["containers"][0]["image"] = "fluent-bit:2"
    c.apiserver.update(ds, spec_changed=True)
    c.run_until(60)
    revs = sorted((r["metadata"]["name"], r["revision"]) for r in c.store.list("ControllerRevision"))
    assert sorted(n for _, n in revs) == [1, 2]
    out = c.kubectl("rollout history daemonset/agent").output
    assert out == "daemonset.apps/agent \nREVISION  CHANGE-CAUSE\n1         <none>\n2         <none>\n\n"
    assert c.kubectl("rollout undo daemonset/agent").output == "daemonset.apps/agent rolled back\n"
    c.run_until(120)
    assert {p["spec"]["containers"][0]["image"] for p in pods_of(c, "agent-")} == {"fluent-bit:1"}
    out = c.kubectl("rollout history ds agent").output
    assert out.splitlines()[2:] == ["2         <none>", "3         <none>", ""]
    assert c.kubectl("rollout undo ds/agent --to-revision=9").output == (
        "error: unable to find specified revision 9 in history\n")
    c.apiserver.delete("DaemonSet", "default", "agent")
    c.run_until(130)
    assert c.store.list("ControllerRevision") == []


def test_statefulset_revisions_and_undo():
    c = make_cluster()
    c.apiserver.create(_sts(replicas=2))
    c.run_until(30)
    s = c.store.get("StatefulSet", "default", "db")
    s["spec"]["template"]["spec"]["containers"][0]["image"] = "redis:8"
    c.apiserver.update(s, spec_changed=True)
    c.run_until(90)
    assert s["status"]["currentRevision"] == s["status"]["updateRevision"]
    assert c.kubectl("rollout undo statefulset/db").output == "statefulset.apps/db rolled back\n"
    c.run_until(150)
    assert {p["spec"]["containers"][0]["image"] for p in pods_of(c, "db-")} == {"redis:7"}
