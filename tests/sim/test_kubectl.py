"""kubectl verbs on the simulated cluster (staging/src/k8s.io/kubectl/pkg/cmd/*)."""

import pytest
from simhelpers import pod

from kubetrainer.errors import UserError


@pytest.fixture
def c(fake_cluster):
    c = fake_cluster()
    c.apply_manifests([pod(command=["sh", "-c", "echo one; echo two; sleep 3600"])])
    c.run_until(10)
    return c


def test_get_pods_columns(c):
    out = c.kubectl("get pods").output
    assert out.splitlines()[0].split() == ["NAME", "READY", "STATUS", "RESTARTS", "AGE"]
    assert out.splitlines()[1].split() == ["web", "1/1", "Running", "0", "10s"]
    wide = c.kubectl("get pod web -o wide").output
    assert "NOMINATED NODE" in wide and "node-1" in wide


def test_get_not_found_and_unknown_resource(c):
    r = c.kubectl("get pod nope")
    assert (r.output, r.exit_code) == ('Error from server (NotFound): pods "nope" not found\n', 1)
    r = c.kubectl("get widgets")
    assert r.exit_code == 1 and 'the server doesn\'t have a resource type "widgets"' in r.output


def test_get_empty_namespace(c):
    assert c.kubectl("get pods -n other").output == "No resources found in other namespace.\n"


def test_get_yaml_and_name(c):
    assert c.kubectl("get pod web -o name").output == "pod/web\n"
    y = c.kubectl("get pod web -o yaml").output
    assert "phase: Running" in y and 'creationTimestamp: "2024-01-01T00:00:00Z"' in y


def test_get_yaml_writes_as_kubectl_does(c):
    """sigs.k8s.io/yaml (go-yaml v2): strings that would read back as another type in double quotes,
    line breaks as literal blocks, sequences level with their key, lastProbeTime: null."""
    c.apply_manifests([{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "cfg"},
                        "data": {"a.conf": "x=1\ny=2\n", "port": "8080", "flag": "true", "name": "héllo"}}])
    y = c.kubectl("get cm cfg -o yaml").output
    assert "data:\n  a.conf: |\n    x=1\n    y=2\n  flag: \"true\"\n  name: héllo\n  port: \"8080\"\n" in y
    assert 'resourceVersion: "' in y
    pod = c.kubectl("get pod web -o yaml").output
    assert "  conditions:\n  - lastProbeTime: null\n    lastTransitionTime: \"" in pod
    assert '    status: "True"\n' in pod


def test_describe_pod_has_events(c):
    out = c.kubectl("describe pod web").output
    assert out.startswith("Name:             web\n")
    assert "Successfully assigned default/web to node-1" in out
    assert "Started container web" in out


def test_logs_and_tail(c):
    assert c.kubectl("logs web").output == "one\ntwo\n"
    assert c.kubectl("logs web --tail=1").output == "two\n"
    r = c.kubectl("logs web --previous")
    assert r.exit_code == 1 and 'previous terminated container "web" in pod "web" not found' in r.output


def test_logs_waiting_container(fake_cluster):
    c = fake_cluster(missing=("nginx:1.161",))
    c.apply_manifests([pod(image="nginx:1.161")])
    c.run_until(5)
    r = c.kubectl("logs web")
    assert r.output == ('Error from server (BadRequest): container "web" in pod "web" is waiting to start: '
                        'ErrImagePull\n')


def test_exec(c):
    r = c.kubectl("exec web -- sh -c 'echo hi; exit 3'")
    assert r.output == "hi\ncommand terminated with exit code 3\n" and r.exit_code == 3
    assert c.kubectl(["exec", "web", "--", "echo", "x"]).output == "x\n"


def test_label_annotate(c):
    assert c.kubectl("label pod web tier=front").output == "pod/web labeled\n"
    assert c.store.get("Pod", "default", "web")["metadata"]["labels"]["tier"] == "front"
    r = c.kubectl("label pod web tier=back")
    assert r.exit_code == 1 and "--overwrite is false" in r.output
    assert c.kubectl("label pod web tier=back --overwrite").output == "pod/web labeled\n"
    assert c.kubectl("label pod web tier-").output == "pod/web unlabeled\n"
    assert c.kubectl("annotate pod web note=x").output == "pod/web annotated\n"
    assert "LABELS" in c.kubectl("get pods --show-labels").output.splitlines()[0]


def test_bad_flags_and_verbs(c):
    r = c.kubectl("delete pod web --bogus")
    assert r.exit_code == 1 and "unknown flag: --bogus" in r.output
    r = c.kubectl("frobnicate pod")
    assert r.exit_code == 1 and 'unknown command "frobnicate"' in r.output
    with pytest.raises(UserError):
        c.check_kubectl("delete pod web --grace-period=abc")
    with pytest.raises(UserError):
        c.check_kubectl("exec web")
    with pytest.raises(UserError):
        c.check_kubectl("apply")
    c.check_kubectl("delete pod web --grace-period=10")
    c.check_kubectl("kubectl exec redis -- kill 1")


def test_apply_file_created_unchanged(c, tmp_path):
    f = tmp_path / "p.yaml"
    f.write_text("apiVersion: v1\nkind: Pod\nmetadata:\n  name: db\nspec:\n  containers:\n  - name: db\n"
                 "    image: busybox:1.36\n    command: ['sleep', '100']\n")
    assert c.kubectl(f"apply -f {f}").output == "pod/db created\n"
    assert c.kubectl(f"apply -f {f}").output == "pod/db unchanged\n"


def test_get_events(c):
    out = c.kubectl("get events").output.splitlines()
    assert out[0].split() == ["LAST", "SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"]
    assert "pod/web" in out[1] and "Scheduled" in out[1]


def test_jsonpath_and_run(c):
    assert c.kubectl("get pod web -o jsonpath={.status.phase}").output == "Running"
    assert c.kubectl("get pods -o jsonpath='{.items[*].metadata.name}'").output == "web"
    assert c.kubectl("run box --image=busybox:1.36 --restart=Never -- sleep 5").output == "pod/box created\n"
    p = c.store.get("Pod", "default", "box")
    assert p["spec"]["containers"][0]["args"] == ["sleep", "5"] and p["metadata"]["labels"] == {"run": "box"}
    c.run_until(30)
    assert c.pod_view("default", "box")["status"] == "Completed"


def test_create_deployment_and_missing_apply_file(c):
    assert c.kubectl("create deployment hello --image=registry.k8s.io/e2e-test-images/agnhost:2.40").output == \
        "deployment.apps/hello created\n"
    d = c.store.get("Deployment", "default", "hello")
    assert d["spec"]["template"]["spec"]["containers"][0]["name"] == "agnhost"
    with pytest.raises(UserError, match="does not exist"):
        c.check_kubectl("apply -f /nonexistent/x.yaml")


def test_wait_runs_the_clock(fake_cluster):
    """kubectl wait blocks: the virtual clock runs until the condition holds or the timeout passes."""
    c = fake_cluster(missing=("nginx:1.161",))
    c.apply_manifests([pod(command=["sleep", "3600"])])
    assert c.kubectl("wait --for=condition=Ready pod/web").output == "pod/web condition met\n"
    assert c.now == 3.5
    c.apply_manifests([pod(name="bad", image="nginx:1.161")])
    r = c.kubectl("wait --for=condition=Ready pod/bad --timeout=20s")
    assert (r.output, r.exit_code) == ("error: timed out waiting for the condition on pods/bad\n", 1)
    assert c.now == 23.5
    with pytest.raises(UserError):
        c.check_kubectl("wait pod/web")


def test_delete_cascade_orphan_keeps_dependents():
    """propagationPolicy Orphan (delete.go GetDeletionCascadingStrategy): the ReplicaSet and its pods stay."""
    from kubetrainer.sim.cluster import Cluster

    c = Cluster(None, seed=0)
    c.kubectl("create deployment web --image=nginx:1.16.1 --replicas=2")
    c.run_until(10)
    assert c.kubectl("delete deployment web --cascade=orphan").output == 'deployment.apps "web" deleted\n'
    c.run_until(40)
    assert c.store.count("ReplicaSet") == 1 and c.store.count("Pod") == 2
    rs = c.store.list("ReplicaSet")[0]
    assert not rs["metadata"].get("ownerReferences")
    r = c.kubectl("delete deployment web --cascade=sideways")
    assert r.exit_code == 1 and "invalid cascade value" in r.output


def test_delete_cascade_foreground_owner_goes_last():
    """Foreground propagation: the owner keeps deletionTimestamp + the foregroundDeletion finalizer
    until its dependents (RS, then pods) are gone."""
    from kubetrainer.sim.cluster import Cluster

    c = Cluster(None, seed=0)
    dep = {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"},
           "spec": {"replicas": 2, "selector": {"matchLabels": {"app": "web"}},
                    "template": {"metadata": {"labels": {"app": "web"}},
                                 "spec": {"terminationGracePeriodSeconds": 5,
                                          "containers": [{"name": "c", "image": "busybox:1.36", "command": ["sleep", "3600"]}]}}}}
    c.apply_manifests([dep])
    c.run_until(10)
    c.kubectl("delete deployment web --cascade=foreground")
    c.run_until(12)
    d = c.store.get("Deployment", "default", "web")
    assert d["metadata"]["finalizers"] == ["foregroundDeletion"] and c.store.count("Pod") == 2
    c.run_until(16)
    assert c.store.get("Deployment", "default", "web") is None and c.store.count("ReplicaSet") == 0


def test_patch_and_global_flags_before_verb():
    from kubetrainer.sim.cluster import Cluster

    c = Cluster(None, seed=0)
    c.kubectl("create deployment web --image=nginx:1.16.1")
    c.run_until(10)
    r = c.kubectl("""kubectl patch deployment web -p '{"spec":{"replicas":3}}'""")
    assert r.output == "deployment.apps/web patched\n"
    assert c.kubectl("""patch deployment web -p '{"spec":{"replicas":3}}'""").output == \
        "deployment.apps/web patched (no change)\n"
    r = c.kubectl("""patch deployment web -p '{"spec":{"template":{"spec":{"containers":[{"name":"nginx","image":"nginx:1.17"}]}}}}'""")
    d = c.store.get("Deployment", "default", "web")
    assert d["spec"]["template"]["spec"]["containers"] == [{**d["spec"]["template"]["spec"]["containers"][0], "image": "nginx:1.17"}]
    c.run_until(60)
    assert c.kubectl("-n default get pods --no-headers").output.count("Running") == 3


def test_namespace_lifecycle_missing_namespace_is_not_found():
    """plugin/pkg/admission/namespace/lifecycle Admit: NotFound `namespaces "foo" not found`; the
    system namespaces always exist; after `kubectl create namespace foo` the pod is created."""
    from kubetrainer.sim.cluster import Cluster

    c = Cluster(None, seed=0)
    r = c.kubectl("run x --image=nginx -n foo")
    assert (r.output, r.exit_code) == ('Error from server (NotFound): namespaces "foo" not found\n', 1)
    assert c.kubectl("run x --image=nginx -n kube-system").exit_code == 0
    assert c.kubectl("create namespace foo").exit_code == 0
    assert c.kubectl("run x --image=nginx -n foo").output == "pod/x created\n"


def test_scenario_files_create_their_namespaces():
    """The scenario's own files are its setup (the docs' `kubectl create namespace` step)."""
    from kubetrainer.sim.cluster import Cluster

    c = Cluster(None, seed=0)
    c.apply_manifests([{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p", "namespace": "qos-example"},
                        "spec": {"containers": [{"name": "c", "image": "nginx"}]}}])
    assert c.store.get("Namespace", "", "qos-example") is not None
    assert c.store.get("Pod", "qos-example", "p") is not None


def test_limitranger_defaults_requests_and_limits():
    """plugin/pkg/admission/limitranger mergeContainerResources: docs admin/resource/memory-defaults.yaml;
    a container with only a request keeps it and gets the default limit; annotation kubernetes.io/limit-ranger."""
    from kubetrainer.sim.cluster import Cluster

    lr = {"apiVersion": "v1", "kind": "LimitRange", "metadata": {"name": "mem-limit-range"},
          "spec": {"limits": [{"default": {"memory": "512Mi"}, "defaultRequest": {"memory": "256Mi"},
                               "type": "Container"}]}}

    def pod(name, resources=None):
        c = {"name": f"{name}-ctr", "image": "nginx"}
        if resources:
            c["resources"] = resources
        return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name}, "spec": {"containers": [c]}}

    c = Cluster(None, seed=0)
    c.apply_manifests([lr, pod("a"), pod("b", {"requests": {"memory": "128Mi"}})])
    a = c.store.get("Pod", "default", "a")
    assert a["spec"]["containers"][0]["resources"] == {"limits": {"memory": "512Mi"}, "requests": {"memory": "256Mi"}}
    assert a["metadata"]["annotations"]["kubernetes.io/limit-ranger"] == (
        "LimitRanger plugin set: memory request for container a-ctr; memory limit for container a-ctr")
    b = c.store.get("Pod", "default", "b")
    assert b["spec"]["containers"][0]["resources"] == {"limits": {"memory": "512Mi"}, "requests": {"memory": "128Mi"}}
    assert a["status"]["qosClass"] == "Burstable"


def test_get_namespaces_has_status_column():
    """printers.go printNamespace: NAME STATUS AGE."""
    from kubetrainer.sim.cluster import Cluster

    c = Cluster(None, seed=0)
    c.kubectl("create namespace foo")
    assert c.kubectl("get ns foo").output.splitlines() == ["NAME   STATUS   AGE", "foo    Active   0s"]


def test_set_env_and_resources_on_a_pod_are_refused_and_change_nothing(c):
    """A Pod's containers may only change their image (pkg/apis/core/validation ValidatePodUpdate);
    kubectl reports the patch error as set_env.go / set_resources.go format it."""
    before = c.store.get("Pod", "default", "web")["spec"]
    forbidden = ('Pod "web" is invalid: spec: Forbidden: pod updates may not change fields other than '
                 '`spec.containers[*].image`,')
    r = c.kubectl("set env pod/web MODE=x")
    assert r.exit_code == 1
    assert r.output.startswith("error: failed to patch env update to pod template: " + forbidden)
    r = c.kubectl("set resources pod/web --limits=cpu=200m")
    assert r.exit_code == 1
    assert r.output.startswith("error: failed to patch resources update to pod template " + forbidden)
    assert c.store.get("Pod", "default", "web")["spec"] == before
    assert c.kubectl("set image pod/web web=busybox:1.37").output == "pod/web image updated\n"
    assert c.store.get("Pod", "default", "web")["spec"]["containers"][0]["image"] == "busybox:1.37"


def test_get_json_and_generation_as_the_api_server_sets_them(c):
    """kubectl's JSON printer (json.MarshalIndent of the unstructured object): keys sorted, 4 spaces,
    <>& escaped; metadata.generation only on kinds whose strategy sets it (a ConfigMap has none)."""
    c.apply_manifests([{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "cfg", "annotations": {"a": "<b>"}},
                        "data": {"k": "v"}}])
    j = c.kubectl("get cm cfg -o json").output
    assert j.startswith('{\n    "apiVersion": "v1",\n    "data": {\n        "k": "v"\n    },\n    "kind": "ConfigMap",')
    assert '"a": "\\u003cb\\u003e"' in j and '"generation"' not in j
    assert '"generation": 1' in c.kubectl("get pod web -o json").output


def test_describe_pod_volumes_as_describe_go_prints_them(fake_cluster):
    """describe.go describeVolumes / print<Kind>VolumeSource: a typed block per volume, aligned on its own."""
    c = fake_cluster()
    p = pod(command=["sleep", "3600"])
    p["spec"]["volumes"] = [{"name": "cache", "emptyDir": {}},
                            {"name": "cfg", "configMap": {"name": "app-config", "optional": True}},
                            {"name": "host", "hostPath": {"path": "/var/log", "type": "Directory"}}]
    c.apply_manifests([p])
    c.run_until(5)
    out = c.kubectl("describe pod web").output
    block = out[out.index("Volumes:"):out.index("QoS Class:")].splitlines()
    assert [line.rstrip() for line in block] == [
        "Volumes:",
        "  cache:",
        "    Type:       EmptyDir (a temporary directory that shares a pod's lifetime)",
        "    Medium:",
        "    SizeLimit:  <unset>",
        "  cfg:",
        "    Type:      ConfigMap (a volume populated by a ConfigMap)",
        "    Name:      app-config",
        "    Optional:  true",
        "  host:",
        "    Type:          HostPath (bare host directory volume)",
        "    Path:          /var/log",
        "    HostPathType:  Directory"]


def test_get_events_in_name_order_and_sort_by(fake_cluster):
    """The API lists Events by name `<object>.<hex UnixNano>` (client-go makeEvent), so `kubectl get
    events` groups them by object; --sort-by=.metadata.creationTimestamp orders them in time."""
    c = fake_cluster()
    c.apply_manifests([pod(name="b", command=["sleep", "3600"]), pod(name="a", command=["sleep", "3600"])])
    c.run_until(10)
    rows = [line.split()[3] for line in c.kubectl("get events").output.splitlines()[1:]]
    assert rows == sorted(rows, key=lambda o: o.split("/")[1]) and rows[0] == "pod/a"
    timed = c.kubectl("get events --sort-by=.metadata.creationTimestamp").output.splitlines()[1:]
    assert [line.split()[2] for line in timed][:2] == ["Scheduled", "Scheduled"]
    r = c.kubectl("get pods --sort-by=.nope")
    assert (r.output, r.exit_code) == ('error: couldn\'t find any field with path "{.nope}" in the list of objects\n', 1)
    assert c.kubectl("get pods --sort-by=.metadata.name").output.splitlines()[1].startswith("a ")


def test_system_namespaces_exist_and_are_immortal(c):
    """systemnamespaces controller: default, kube-node-lease, kube-public, kube-system exist from the
    start; NamespaceLifecycle refuses to delete the immortal ones; a new namespace gets the
    kubernetes.io/metadata.name label (SetDefaults_Namespace), the kubernetes finalizer, phase Active."""
    rows = [line.split()[:2] for line in c.kubectl("get ns").output.splitlines()[1:]]
    assert rows == [["default", "Active"], ["kube-node-lease", "Active"], ["kube-public", "Active"],
                    ["kube-system", "Active"]]
    r = c.kubectl("delete namespace kube-system")
    assert (r.output, r.exit_code) == ('Error from server (Forbidden): namespaces "kube-system" is forbidden: '
                                       'this namespace may not be deleted\n', 1)
    assert c.kubectl("create namespace shop").exit_code == 0
    y = c.kubectl("get ns shop -o yaml").output
    assert "  labels:\n    kubernetes.io/metadata.name: shop\n" in y
    assert "spec:\n  finalizers:\n  - kubernetes\nstatus:\n  phase: Active\n" in y


def test_every_namespace_gets_its_service_account_and_root_ca_and_default_has_kubernetes():
    """serviceaccounts-controller (`default`), root-ca-cert-publisher (`kube-root-ca.crt`) and the
    API server's `default/kubernetes` Service (10.96.0.1, https 443): what `kubectl get` shows on a
    fresh cluster, and in a namespace created later."""
    from kubetrainer.sim.cluster import Cluster

    c = Cluster(None, seed=0)
    c.run_until(10)
    assert c.kubectl("get svc kubernetes").output.splitlines()[1].split() == [
        "kubernetes", "ClusterIP", "10.96.0.1", "<none>", "443/TCP", "10s"]
    assert c.kubectl("get sa").output.splitlines() == ["NAME      SECRETS   AGE", "default   0         10s"]
    assert c.kubectl("create namespace shop").exit_code == 0
    c.run_until(11)
    assert c.kubectl("get sa -n shop").output.splitlines()[1].split()[:2] == ["default", "0"]
    cm = c.kubectl("get cm kube-root-ca.crt -n shop -o yaml").output
    assert "ca.crt: |\n" in cm and "kubernetes.io/description: Contains a CA bundle that can be used" in cm
