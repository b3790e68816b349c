"""The official documentation examples the default world claims to support, on the default
world with the real scheduler (fixtures from kubernetes/website content/en/examples)."""

from pathlib import Path

import pytest

from kubetrainer.sim.simulate import run_cluster

DOCS = Path(__file__).parent / "fixtures" / "docs"


def run(name, until=120, at=()):
    return run_cluster([str(DOCS / f"{name}.yaml")], until=until, at=at)


def ev(c, reason):
    return [e for e in c.events.events if e.reason == reason]


def view(c, name, ns="default"):
    return c.pod_view(ns, name)


def test_exec_liveness_restarts_after_kill():
    """pods/probe/exec-liveness.yaml: failing from s+30, kill in [s+40, s+45]; sh ignores SIGTERM."""
    c = run("exec-liveness", until=130)
    started = ev(c, "Started")[0].time
    kill = ev(c, "Killing")[0]
    assert started + 40 <= kill.time <= started + 45
    assert kill.message == "Container liveness failed liveness probe, will be restarted"
    assert view(c, "liveness-exec")["restarts"] >= 1


def test_http_liveness_500_after_10s():
    """pods/probe/http-liveness.yaml: /healthz answers 500 after 10 s → HTTP probe failed with statuscode: 500."""
    c = run("http-liveness", until=60)
    assert ev(c, "Unhealthy")[0].message == "Liveness probe failed: HTTP probe failed with statuscode: 500"
    assert view(c, "liveness-http")["restarts"] >= 1


def test_tcp_liveness_readiness_becomes_ready():
    c = run("tcp-liveness-readiness", until=60)
    v = view(c, "goproxy")
    assert (v["phase"], v["ready"]) == ("Running", "1/1")
    assert not ev(c, "Unhealthy")


def test_init_containers_docs_example():
    c = run("init-containers", until=60)
    seq = [r["status"] for r in c.timeline]
    assert "Init:0/1" in seq and "PodInitializing" in seq
    assert view(c, "init-demo")["status"] == "Running"
    assert c.kubectl("exec init-demo -- cat /usr/share/nginx/html/index.html").output.strip() != ""


def test_memory_limit_2_oomkilled():
    """pods/resource/memory-request-limit-2.yaml: 250M against a 100Mi limit → OOMKilled (137), restarts."""
    c = run("memory-request-limit-2", until=60)
    v = view(c, "memory-demo-2", "mem-example")
    seq = [r["status"] for r in c.timeline]
    assert seq.count("OOMKilled") >= 2 and "CrashLoopBackOff" in seq
    assert v["containers"][0]["lastState"] == {"state": "terminated", "reason": "OOMKilled", "exitCode": 137}


def test_memory_limit_ok_runs():
    c = run("memory-request-limit", until=30)
    assert view(c, "memory-demo", "mem-example")["status"] == "Running"


def test_commands_completes_and_logs():
    """pods/commands.yaml: printenv HOSTNAME KUBERNETES_PORT, restartPolicy OnFailure → Completed."""
    c = run("commands", until=30)
    v = view(c, "command-demo")
    assert (v["phase"], v["status"]) == ("Succeeded", "Completed")
    out = c.kubectl("logs command-demo").output
    assert "command-demo" in out and "tcp://10.96.0.1:443" in out


def test_dapi_envars():
    c = run("dapi-envars-pod", until=15)
    v = view(c, "dapi-envars-fieldref")
    logs = c.kubectl("logs dapi-envars-fieldref").output
    assert v["node"] in logs and "dapi-envars-fieldref" in logs and "default" in logs
    ip = c.store.get("Pod", "default", "dapi-envars-fieldref")["status"]["podIP"]
    assert ip in logs


def test_dependent_envars():
    c = run("dependent-envars", until=15)
    logs = c.kubectl("logs dependent-envars-demo").output
    assert logs.strip() != ""


def test_grpc_liveness_runs():
    c = run("grpc-liveness", until=60)
    assert view(c, "etcd-with-grpc")["status"] == "Running"


def test_nginx_161_missing_tag():
    from kubetrainer.sim.cluster import Cluster

    c = Cluster(None, seed=0)
    c.apply_manifests([{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "web"},
                        "spec": {"containers": [{"name": "web", "image": "nginx:1.161"}]}}])
    c.run_until(40)
    seq = [r["status"] for r in c.timeline]
    assert "ErrImagePull" in seq and "ImagePullBackOff" in seq
    msg = [e.message for e in ev(c, "Failed")][0]
    assert msg.startswith('Failed to pull image "nginx:1.161": rpc error: code = NotFound')


@pytest.mark.parametrize("name", ["exec-liveness", "memory-request-limit-2", "init-containers"])
def test_deterministic_bytes(name):
    import json

    a = json.dumps(run(name, until=200).result(), sort_keys=True)
    b = json.dumps(run(name, until=200).result(), sort_keys=True)
    assert a == b


def test_lifecycle_events_poststart_prestop():
    """pods/lifecycle-events.yaml: postStart writes /usr/share/message; preStop `nginx -s quit` ends nginx."""
    c = run("lifecycle-events", until=30, at=[(10, "kubectl exec lifecycle-demo -- cat /usr/share/message"),
                                             (20, "kubectl delete pod lifecycle-demo")])
    assert c.command_outputs[0][2].output == "Hello from the postStart handler\n"
    v = view(c, "lifecycle-demo")
    assert v["deleted"] and 20 <= v["deletedAt"] <= 22


def test_two_container_pod_shared_volume():
    """pods/two-container-pod.yaml: debian writes index.html into the shared emptyDir and exits (Never);
    nginx serves it; printPod: Completed next to a running container, pod not Ready → NotReady, 1/2."""
    c = run("two-container-pod", until=30)
    v = view(c, "two-containers")
    assert (v["phase"], v["status"], v["ready"]) == ("Running", "NotReady", "1/2")
    out = c.kubectl("exec two-containers -c nginx-container -- cat /usr/share/nginx/html/index.html").output
    assert out == "Hello from the debian container\n"


def test_logs_and_exec_on_a_deployment():
    """kubectl logs/exec deploy/NAME pick one of its pods (polymorphichelpers.AttachablePodForObject)."""
    from kubetrainer.sim.cluster import Cluster

    c = Cluster(None, seed=0)
    assert c.kubectl("create deployment web --image=nginx:1.16.1 --replicas=2").exit_code == 0
    c.run_until(10)
    out = c.kubectl("exec deploy/web -- hostname").output
    first, pod_line = out.splitlines()
    assert first == f"Found 2 pods, using pod/{pod_line}"
    assert "nginx" in c.kubectl("logs deployment/web").output
