"""Defaulting (pkg/apis/core/v1/defaults.go, pkg/apis/apps/v1/defaults.go)."""

from __future__ import annotations

from kubetrainer.api.defaults import default_object, image_tag


def pod(**spec):
    base = {"containers": [{"name": "c", "image": "nginx"}]}
    base.update(spec)
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": base}


def test_pod_spec_defaults_and_paths():
    res = default_object(pod())
    s = res.obj["spec"]
    assert (s["restartPolicy"], s["dnsPolicy"], s["schedulerName"], s["terminationGracePeriodSeconds"]) == \
        ("Always", "ClusterFirst", "default-scheduler", 30)
    c = s["containers"][0]
    assert (c["imagePullPolicy"], c["terminationMessagePath"], c["terminationMessagePolicy"]) == \
        ("Always", "/dev/termination-log", "File")
    assert ("spec", "restartPolicy") in res.defaulted_paths
    assert ("spec", "containers", 0, "imagePullPolicy") in res.defaulted_paths


def test_input_not_mutated():
    obj = pod()
    default_object(obj)
    assert "restartPolicy" not in obj["spec"]


def test_explicit_values_kept():
    res = default_object(pod(restartPolicy="Never"))
    assert res.obj["spec"]["restartPolicy"] == "Never"
    assert ("spec", "restartPolicy") not in res.defaulted_paths


def test_image_pull_policy_from_tag():
    for image, policy in [("nginx", "Always"), ("nginx:latest", "Always"), ("nginx:1.16", "IfNotPresent"),
                          ("registry:5000/nginx", "Always"), ("registry:5000/nginx:1.2", "IfNotPresent"),
                          ("nginx@sha256:abc", "IfNotPresent")]:
        obj = default_object(pod(containers=[{"name": "c", "image": image}])).obj
        assert obj["spec"]["containers"][0]["imagePullPolicy"] == policy, image
    assert image_tag("registry:5000/nginx") == ("registry:5000/nginx", "latest", "")


def test_probe_and_port_defaults():
    c = {"name": "c", "image": "x:1", "ports": [{"containerPort": 80}],
         "livenessProbe": {"httpGet": {"port": 80}}}
    obj = default_object(pod(containers=[c])).obj["spec"]["containers"][0]
    assert obj["ports"][0]["protocol"] == "TCP"
    assert obj["livenessProbe"] == {"httpGet": {"port": 80, "path": "/", "scheme": "HTTP"}, "timeoutSeconds": 1,
                                    "periodSeconds": 10, "successThreshold": 1, "failureThreshold": 3}


def test_requests_from_limits_only_on_pods():
    c = {"name": "c", "image": "x:1", "resources": {"limits": {"cpu": "5"}}}
    res = default_object(pod(containers=[c]))
    assert res.obj["spec"]["containers"][0]["resources"]["requests"] == {"cpu": "5"}
    assert ("spec", "containers", 0, "resources", "requests", "cpu") in res.defaulted_paths
    d = {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "d"},
         "spec": {"selector": {"matchLabels": {"a": "b"}},
                  "template": {"metadata": {"labels": {"a": "b"}}, "spec": {"containers": [c]}}}}
    dres = default_object(d).obj
    assert "requests" not in dres["spec"]["template"]["spec"]["containers"][0]["resources"]
    assert dres["spec"]["template"]["spec"]["restartPolicy"] == "Always"


def test_deployment_defaults():
    d = {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "d"},
         "spec": {"template": {"spec": {"containers": [{"name": "c", "image": "x"}]}}}}
    s = default_object(d).obj["spec"]
    assert s["replicas"] == 1
    assert s["strategy"] == {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": "25%", "maxSurge": "25%"}}
    assert (s["revisionHistoryLimit"], s["progressDeadlineSeconds"]) == (10, 600)


def test_recreate_gets_no_rolling_update():
    d = {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "d"},
         "spec": {"strategy": {"type": "Recreate"}, "template": {"spec": {"containers": []}}}}
    assert default_object(d).obj["spec"]["strategy"] == {"type": "Recreate"}


def test_statefulset_daemonset_service_secret_defaults():
    sts = default_object({"kind": "StatefulSet", "spec": {}}).obj["spec"]
    assert sts["podManagementPolicy"] == "OrderedReady"
    assert sts["updateStrategy"] == {"type": "RollingUpdate", "rollingUpdate": {"partition": 0}}
    ds = default_object({"kind": "DaemonSet", "spec": {}}).obj["spec"]
    assert ds["updateStrategy"] == {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": 1, "maxSurge": 0}}
    svc = default_object({"kind": "Service", "spec": {"ports": [{"port": 80}]}}).obj["spec"]
    assert svc["type"] == "ClusterIP" and svc["ports"][0] == {"port": 80, "protocol": "TCP", "targetPort": 80}
    assert default_object({"kind": "Secret"}).obj["type"] == "Opaque"


def test_default_tolerations_on_pods_only():
    tols = default_object(pod()).obj["spec"]["tolerations"]
    assert {"key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoExecute",
            "tolerationSeconds": 300} in tols
    assert len(tols) == 2
    again = default_object(default_object(pod()).obj).obj["spec"]["tolerations"]
    assert len(again) == 2  # idempotent


def test_secret_string_data_is_merged_into_data():
    # Convert_v1_Secret_To_core_Secret: stringData is write-only and wins over data
    obj = {"kind": "Secret", "data": {"a": "eA==", "b": "eA=="}, "stringData": {"b": "hello"}}
    out = default_object(obj).obj
    assert out["data"] == {"a": "eA==", "b": "aGVsbG8="} and "stringData" not in out
