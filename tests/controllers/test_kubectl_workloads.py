"""kubectl verbs and printers for workloads and nodes (kubectl's own texts)."""

from fakes import deployment, make_cluster, pods_of

from kubetrainer.sim import report_workloads as rw
from kubetrainer.sim.kubectl.workloads import tabwrite


def _k(c, cmd):
    r = c.kubectl(cmd)
    return r.output, r.exit_code


def test_tabwrite_matches_go_tabwriter_blocks():
    text = "Name:\tweb\nNamespace:\tdefault\nPod Template:\n  Labels:\tapp=web\n\tx=y"
    assert tabwrite(text) == ("Name:       web\nNamespace:  default\nPod Template:\n  Labels:  app=web\n"
                              "           x=y")


def test_get_deploy_rs_columns_and_report():
    c = make_cluster()
    c.apiserver.create(deployment(replicas=3))
    c.run_until(30)
    out, code = _k(c, "get deployments")
    assert code == 0
    assert out.splitlines() == ["NAME   READY   UP-TO-DATE   AVAILABLE   AGE", "web    3/3     3            3           30s"]
    rs = c.store.list("ReplicaSet")[0]["metadata"]["name"]
    out, _ = _k(c, "get rs -o wide")
    assert out.splitlines()[0].split() == ["NAME", "DESIRED", "CURRENT", "READY", "AGE", "CONTAINERS", "IMAGES",
                                           "SELECTOR"]
    assert out.splitlines()[1].split()[:4] == [rs, "3", "3", "3"]
    assert rw.deployments(c) == [{"namespace": "default", "name": "web", "replicas": 3, "updated": 3, "ready": 3,
                                  "available": 3, "revision": 1,
                                  "conditions": {"Available": "True", "Progressing": "True"}}]
    assert rw.replica_sets(c) == [{"namespace": "default", "name": rs, "revision": 1, "desired": 3, "current": 3,
                                   "ready": 3}]
    nodes = rw.nodes(c)
    assert [n["name"] for n in nodes] == ["node-1", "node-2", "node-3"]
    assert nodes[0] == {"name": "node-1", "ready": "True", "allocated": {"cpu": "0", "memory": "0"}, "pods": 1}


def test_set_image_rollout_history_undo_status():
    c = make_cluster()
    c.apiserver.create(deployment(replicas=2))
    c.run_until(20)
    assert _k(c, "set image deployment/web web=nginx:1.17") == ("deployment.apps/web image updated\n", 0)
    assert _k(c, "set image deployment/web nope=nginx:1.17") == ('error: unable to find container named "nope"\n', 1)
    c.run_until(60)
    out, _ = _k(c, "rollout status deployment/web")
    assert out == 'deployment "web" successfully rolled out\n'
    out, _ = _k(c, "rollout history deployment/web")
    assert out == "deployment.apps/web \nREVISION  CHANGE-CAUSE\n1         <none>\n2         <none>\n\n"
    assert _k(c, "rollout undo deployment/web --to-revision=5") == (
        "error: unable to find specified revision 5 in history\n", 1)
    assert _k(c, "rollout undo deployment/web") == ("deployment.apps/web rolled back\n", 0)
    out, _ = _k(c, "rollout status deployment/web")
    assert out == "Waiting for deployment spec update to be observed...\n"
    c.run_until(61)
    assert out.startswith("Waiting")
    c.run_until(120)
    out, _ = _k(c, "rollout history deploy web")
    assert out == "deployment.apps/web \nREVISION  CHANGE-CAUSE\n2         <none>\n3         <none>\n\n"
    assert _k(c, "rollout undo deployment/web --to-revision=3")[0] == (
        "deployment.apps/web skipped rollback (current template already matches revision 3)\n")


def test_scale_pause_resume_restart():
    c = make_cluster()
    c.apiserver.create(deployment(replicas=2))
    c.run_until(20)
    assert _k(c, "scale deployment/web --replicas=4") == ("deployment.apps/web scaled\n", 0)
    c.run_until(30)
    assert len(pods_of(c)) == 4
    assert _k(c, "rollout pause deployment/web") == ("deployment.apps/web paused\n", 0)
    assert _k(c, "rollout pause deployment/web") == ('error: deployments.apps "web" is already paused\n', 1)
    assert _k(c, "rollout resume deployment/web") == ("deployment.apps/web resumed\n", 0)
    assert _k(c, "rollout restart deployment/web") == ("deployment.apps/web restarted\n", 0)
    c.run_until(80)
    assert len(c.store.list("ReplicaSet")) == 2


def test_describe_deployment_layout():
    c = make_cluster()
    c.apiserver.create(deployment(replicas=1))
    c.run_until(10)
    out, _ = _k(c, "describe deployment web")
    lines = out.splitlines()
    assert lines[0] == "Name:                   web"
    assert "Replicas:               1 desired | 1 updated | 1 total | 1 available | 0 unavailable" in lines
    assert "RollingUpdateStrategy:  25% max unavailable, 25% max surge" in lines
    assert "  Available      True    MinimumReplicasAvailable" in lines
    assert lines[-1].split()[:2] == ["Normal", "ScalingReplicaSet"]


def test_cordon_drain_taint():
    c = make_cluster(nodes=2)
    c.apiserver.create(deployment(replicas=2))
    c.apiserver.create({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "solo"},
                        "spec": {"containers": [{"name": "a", "image": "busybox"}],
                                 "volumes": [{"name": "tmp", "emptyDir": {}}]}})
    c.run_until(20)
    solo_node = c.store.get("Pod", "default", "solo")["spec"]["nodeName"]
    out, code = _k(c, f"drain {solo_node}")
    assert code == 1
    assert out.splitlines() == [
        f"node/{solo_node} cordoned",
        f'error: unable to drain node "{solo_node}" due to error: cannot delete Pods with local storage '
        "(use --delete-emptydir-data to override): default/solo, continuing command...",
        "There are pending nodes to be drained:", f" {solo_node}",
        "error: cannot delete Pods with local storage (use --delete-emptydir-data to override): default/solo"]
    node = c.store.get("Node", "", solo_node)
    c.run_until(21)
    assert {"key": "node.kubernetes.io/unschedulable", "effect": "NoSchedule", "timeAdded": 20.0} in node["spec"]["taints"]
    out, _ = _k(c, "get nodes")
    assert f"{solo_node}   Ready,SchedulingDisabled" in out
    out, code = _k(c, f"drain {solo_node} --delete-emptydir-data --force")
    assert code == 0
    assert out.splitlines()[0] == f"node/{solo_node} already cordoned"
    assert out.splitlines()[1].startswith("Warning: deleting Pods with local storage: default/solo")
    assert out.splitlines()[-1] == f"node/{solo_node} drained"
    assert _k(c, f"uncordon {solo_node}") == (f"node/{solo_node} uncordoned\n", 0)
    assert _k(c, "taint nodes node-1 dedicated=gpu:NoSchedule") == ("node/node-1 tainted\n", 0)
    assert _k(c, "taint nodes node-1 dedicated:NoSchedule-") == ("node/node-1 untainted\n", 0)
    assert _k(c, "taint nodes node-1 dedicated:NoSchedule-")[1] == 1


def test_drain_refuses_daemonset_pods_without_ignore_flag():
    c = make_cluster(nodes=2)
    c.apiserver.create({"apiVersion": "apps/v1", "kind": "DaemonSet", "metadata": {"name": "agent"},
                        "spec": {"selector": {"matchLabels": {"app": "agent"}},
                                 "template": {"metadata": {"labels": {"app": "agent"}},
                                              "spec": {"containers": [{"name": "a", "image": "fluent-bit:1"}]}}}})
    c.run_until(20)
    ds_pod = next(p for p in pods_of(c, "agent-") if p["spec"]["nodeName"] == "node-1")["metadata"]["name"]
    out, code = _k(c, "drain node-1")
    assert code == 1
    assert out.splitlines()[1] == (
        'error: unable to drain node "node-1" due to error: cannot delete DaemonSet-managed Pods '
        f"(use --ignore-daemonsets to ignore): default/{ds_pod}, continuing command...")
    out, code = _k(c, "drain node-1 --ignore-daemonsets")
    assert code == 0
    assert out.splitlines() == ["node/node-1 already cordoned",
                                f"Warning: ignoring DaemonSet-managed Pods: default/{ds_pod}", "node/node-1 drained"]
    c.run_until(30)
    assert c.store.get("Pod", "default", ds_pod) is not None   # DaemonSet pods stay (they tolerate unschedulable)


def test_record_sets_change_cause_shown_by_history():
    c = make_cluster()
    c.apiserver.create(deployment(replicas=1))
    c.run_until(10)
    assert _k(c, "set image deployment/web web=nginx:1.17 --record")[1] == 0
    c.run_until(40)
    out, _ = _k(c, "rollout history deployment/web")
    assert out.splitlines()[3] == "2         kubectl set image deployment/web web=nginx:1.17 --record=true"


def test_drain_honours_pod_disruption_budget_and_retries():
    c = make_cluster(nodes=2)
    c.apiserver.create(deployment(replicas=2))
    c.apiserver.create({"apiVersion": "policy/v1", "kind": "PodDisruptionBudget",
                        "metadata": {"name": "web-pdb", "namespace": "default"},
                        "spec": {"minAvailable": 2, "selector": {"matchLabels": {"app": "web"}}}})
    c.run_until(20)
    victim = next(p for p in pods_of(c) if p["spec"]["nodeName"] == "node-1")["metadata"]["name"]
    out, code = _k(c, "drain node-1")
    assert code == 0
    assert f'error when evicting pods/"{victim}" -n "default" (will retry after 5s): ' \
           "Cannot evict pod as it would violate the pod's disruption budget." in out
    assert "drained" not in out
    c.run_until(60)
    assert c.store.get("Pod", "default", victim)["metadata"].get("deletionTimestamp") is None
    # with room in the budget the background retry evicts it
    d = c.store.get("Deployment", "default", "web")
    d["spec"]["replicas"] = 3
    c.apiserver.update(d, spec_changed=True)
    c.run_until(90)
    assert c.store.get("Pod", "default", victim) is None


def test_disruption_controller_status_and_get_pdb():
    c = make_cluster(nodes=2)
    c.apiserver.create(deployment(replicas=3))
    c.apiserver.create({"apiVersion": "policy/v1", "kind": "PodDisruptionBudget",
                        "metadata": {"name": "web-pdb", "namespace": "default"},
                        "spec": {"maxUnavailable": 1, "selector": {"matchLabels": {"app": "web"}}}})
    c.run_until(20)
    st = c.store.get("PodDisruptionBudget", "default", "web-pdb")["status"]
    assert (st["expectedPods"], st["currentHealthy"], st["desiredHealthy"], st["disruptionsAllowed"]) == (3, 3, 2, 1)
    assert c.kubectl("get pdb").output.splitlines() == [
        "NAME      MIN AVAILABLE   MAX UNAVAILABLE   ALLOWED DISRUPTIONS   AGE",
        "web-pdb   N/A             1                 1                     20s"]


def test_set_resources_env_and_scale_from_file(tmp_path):
    c = make_cluster()
    c.apiserver.create(deployment(replicas=1))
    c.run_until(10)
    assert _k(c, "set resources deployment web -c=web --limits=cpu=200m,memory=512Mi") == (
        "deployment.apps/web resource requirements updated\n", 0)
    assert _k(c, "set resources deployment web")[0].startswith("error: you must specify an update to requests")
    c.run_until(40)
    d = c.store.get("Deployment", "default", "web")
    assert d["spec"]["template"]["spec"]["containers"][0]["resources"]["limits"] == {"cpu": "200m", "memory": "512Mi"}
    assert d["metadata"]["annotations"]["deployment.kubernetes.io/revision"] == "2"
    assert _k(c, "set env deployment/web GREETING=hi MODE=x") == ("deployment.apps/web env updated\n", 0)
    assert _k(c, "set env deployment/web MODE-") == ("deployment.apps/web env updated\n", 0)
    env = d["spec"]["template"]["spec"]["containers"][0]["env"]
    assert env == [{"name": "GREETING", "value": "hi"}]
    f = tmp_path / "web.yaml"
    f.write_text("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  replicas: 1\n"
                 "  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n"
                 "    spec: {containers: [{name: web, image: 'nginx:1.16'}]}\n")
    assert _k(c, f"scale --replicas=3 -f {f}") == ("deployment.apps/web scaled\n", 0)
    assert du_replicas(c) == 3


def du_replicas(c):
    return c.store.get("Deployment", "default", "web")["spec"]["replicas"]
