"""Pods refused by admission (ResourceQuota, Priority) when a controller creates them.

pkg/controller/controller_utils.go RealPodControl.createPods: Warning FailedCreate
"Error creating: %v"; replica_set.go manageReplicas (slowStartBatch stops after a failed batch),
calculateStatus (condition ReplicaFailure), processNextWorkItem (AddRateLimited: 5 ms * 2^n);
deployment progress.go getReplicaFailures; stateful_pod_control.go recordPodEvent;
client-go tools/record events_cache.go EventAggregator ("(combined from similar events): ").
"""

import pytest

from kubetrainer.sim.cluster import Cluster
from kubetrainer.sim.events import COMBINED, EventLog

QUOTA = {"apiVersion": "v1", "kind": "ResourceQuota", "metadata": {"name": "pod-demo"},
         "spec": {"hard": {"pods": "2"}}}


def _deploy(replicas=3, name="pod-quota-demo"):
    labels = {"purpose": "quota-demo"}
    return {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": name},
            "spec": {"replicas": replicas, "selector": {"matchLabels": labels},
                     "template": {"metadata": {"labels": labels},
                                  "spec": {"containers": [{"name": "c", "image": "nginx"}]}}}}


def _cluster(*objs, until=60.0):
    c = Cluster(None, seed=0)
    c.apply_manifests(list(objs))
    c.run_until(until)
    return c


def test_replicaset_quota_failed_create_event_and_condition():
    """docs tasks/administer-cluster/manage-resources/quota-pod-namespace: 2 of 3 pods; the ReplicaSet
    and the Deployment get ReplicaFailure/FailedCreate with the quota message."""
    c = _cluster(QUOTA, _deploy())
    pods = c.store.list("Pod")
    assert len(pods) == 2
    rs = c.store.list("ReplicaSet")[0]
    fc = [e for e in c.events.events if e.reason == "FailedCreate"]
    assert fc and fc[0].type == "Warning" and fc[0].source == "replicaset-controller"
    assert fc[0].object == f"ReplicaSet/default/{rs['metadata']['name']}"
    assert fc[0].message.startswith(f'Error creating: pods "{rs["metadata"]["name"]}-')
    assert fc[0].message.endswith('" is forbidden: exceeded quota: pod-demo, requested: pods=1, used: pods=2, '
                                  'limited: pods=2')
    cond = [x for x in rs["status"]["conditions"] if x["type"] == "ReplicaFailure"]
    assert cond and cond[0]["status"] == "True" and cond[0]["reason"] == "FailedCreate"
    assert cond[0]["message"].startswith("pods ") and "exceeded quota: pod-demo" in cond[0]["message"]
    d = c.store.get("Deployment", "default", "pod-quota-demo")
    dc = [x for x in d["status"]["conditions"] if x["type"] == "ReplicaFailure"]
    assert dc and dc[0]["reason"] == "FailedCreate" and dc[0]["message"] == cond[0]["message"]
    # the first refusal happens at once: batch 1 (1 pod) and batch 2 (1 ok + 1 refused)
    assert fc[0].time == 0
    text = c.kubectl("describe rs").output
    # describeReplicaSet writes "%v \t%v\t%v" (a space after the type) through a tabwriter (padding 2)
    assert "Conditions:\n  Type             Status  Reason\n" in text
    assert "  ReplicaFailure   True    FailedCreate\n" in text
    assert "(combined from similar events): Error creating: pods" in text
    assert "Conditions:" in c.kubectl("describe deploy pod-quota-demo").output
    assert "  ReplicaFailure   True    FailedCreate" in c.kubectl("describe deploy pod-quota-demo").output


def test_replicaset_quota_retries_back_off_exponentially():
    """The failing sync is requeued AddRateLimited: 5 ms, 10 ms, 20 ms ... (at most 1000 s)."""
    c = _cluster(QUOTA, _deploy(), until=30)
    times = [e.time for e in c.events.events if e.reason == "FailedCreate"]
    # pod status writes also resync the ReplicaSet; the gaps between pure retries double
    assert 8 <= len(times) <= 20
    assert times[-1] >= 20   # 5 ms * 2^12 ~ 20 s
    c.run_until(3600)
    later = [e.time for e in c.events.events if e.reason == "FailedCreate" and e.time > 600]
    gaps = [b - a for a, b in zip(later, later[1:])]
    assert gaps and all(g <= 1000 + 1e-6 for g in gaps) and max(gaps) == pytest.approx(1000)


def test_quota_freed_lets_the_replicaset_create_and_clears_the_condition():
    c = _cluster(QUOTA, _deploy(), until=30)
    assert c.kubectl("get quota").output.splitlines()[1].split()[2:] == ["pods:", "2/2"]
    assert c.kubectl("delete resourcequota pod-demo").output == 'resourcequota "pod-demo" deleted\n'
    c.run_until(3000)   # the next rate-limited retry succeeds
    assert len([p for p in c.store.list("Pod")]) == 3
    rs = c.store.list("ReplicaSet")[0]
    assert not any(x["type"] == "ReplicaFailure" for x in rs["status"].get("conditions") or [])
    d = c.store.get("Deployment", "default", "pod-quota-demo")
    assert not any(x["type"] == "ReplicaFailure" for x in d["status"].get("conditions") or [])


def test_unknown_priority_class_refuses_controller_pods_with_generate_name():
    """plugin/pkg/admission/priority is a mutating plugin: it runs before the name is generated, so
    the message names the generateName prefix (admission/errors.go extractResourceName)."""
    d = _deploy(2, name="web")
    d["spec"]["template"]["spec"]["priorityClassName"] = "nope"
    c = _cluster(d, until=10)
    assert c.store.list("Pod") == []
    rs = c.store.list("ReplicaSet")[0]["metadata"]["name"]
    fc = [e for e in c.events.events if e.reason == "FailedCreate"]
    assert fc[0].message == f'Error creating: pods "{rs}-" is forbidden: no PriorityClass with name nope was found'


def test_statefulset_quota_failed_create_event():
    labels = {"app": "nginx"}
    sts = {"apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": {"name": "web"},
           "spec": {"replicas": 3, "serviceName": "nginx", "selector": {"matchLabels": labels},
                    "template": {"metadata": {"labels": labels},
                                 "spec": {"containers": [{"name": "nginx", "image": "nginx"}]}}}}
    c = _cluster(QUOTA, sts, until=60)
    assert sorted(p["metadata"]["name"] for p in c.store.list("Pod")) == ["web-0", "web-1"]
    fc = [e for e in c.events.events if e.reason == "FailedCreate"]
    assert fc[0].message == ('create Pod web-2 in StatefulSet web failed error: pods "web-2" is forbidden: '
                             'exceeded quota: pod-demo, requested: pods=1, used: pods=2, limited: pods=2')


def test_job_quota_failed_create_event():
    job = {"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": "pi"},
           "spec": {"parallelism": 3, "completions": 3, "template": {"spec": {
               "restartPolicy": "Never", "containers": [{"name": "c", "image": "busybox", "command": ["sleep", "100"]}]}}}}
    c = _cluster(QUOTA, job, until=10)
    assert len(c.store.list("Pod")) == 2
    fc = [e for e in c.events.events if e.reason == "FailedCreate"]
    assert fc and fc[0].source == "job-controller" and "exceeded quota: pod-demo" in fc[0].message


def test_event_aggregator_combines_ten_distinct_messages():
    log = EventLog()
    for i in range(12):
        log.record(float(i), "ReplicaSet/default/rs", "Normal", "SuccessfulCreate", f"Created pod: p{i}",
                   "replicaset-controller")
    msgs = [e.message for e in log.events]
    assert msgs[:9] == [f"Created pod: p{i}" for i in range(9)]
    assert msgs[9:] == [COMBINED + f"Created pod: p{i}" for i in range(9, 12)]
    assert [e.count for e in log.events[9:]] == [1, 2, 3]
    # an identical message keeps its own series; after 10 quiet minutes the set starts again
    log.record(700.0, "ReplicaSet/default/rs", "Normal", "SuccessfulCreate", "Created pod: z", "replicaset-controller")
    assert log.events[-1].message == "Created pod: z"


def test_many_replicas_show_combined_created_events():
    """Scaling to 12 replicas: describe rs shows 9 single rows and one combined row (x3)."""
    c = _cluster(_deploy(12, name="big"), until=5)
    text = c.kubectl("describe rs").output
    assert text.count("Created pod: ") == 10
    assert "(x3 over" in text and "(combined from similar events): Created pod: big-" in text


def test_podgc_gc_terminating_out_of_service_node():
    """pkg/controller/podgc gc_controller.go gcTerminating (every 20 s): a terminating pod on a NotReady node
    tainted node.kubernetes.io/out-of-service is marked Failed and deleted with grace 0."""
    c = _cluster(_deploy(3, name="web"), until=60)
    victim = next(p for p in c.store.list("Pod") if p["spec"].get("nodeName") == "node-2")
    c.command("node-down node-2")
    c.run_until(110)
    c.kubectl("taint nodes node-2 node.kubernetes.io/out-of-service=nodeshutdown:NoExecute")
    c.run_until(121)
    assert c.store.get("Pod", "default", victim["metadata"]["name"]) is None
    assert [t for t, *_ in [(d, p) for p, d in c.deleted_pods]][-1] == 120   # the tick at a multiple of 20 s
    # no tick is left pending once the taint is gone
    c.kubectl("taint nodes node-2 node.kubernetes.io/out-of-service-")
    c.run_until(200)
    assert c.component("garbage-collector")._ticking is False


def test_resourcequota_controller_writes_status():
    """resource_quota_controller.go syncResourceQuota: status.hard/used (docs quota-pod-namespace)."""
    c = _cluster(QUOTA, _deploy(), until=10)
    q = c.store.get("ResourceQuota", "default", "pod-demo")
    assert q["status"] == {"hard": {"pods": "2"}, "used": {"pods": "2"}}
