"""Kubelet behaviours on a controlled world (tests/sim/fakeworld.py) with a test-only binder.
Each test names the Kubernetes source it follows."""

import base64
import json

import pytest
from simhelpers import pod


def statuses(c, name="web"):
    obj = f"Pod/default/{name}"
    out = []
    for r in c.timeline:
        if r["object"] == obj and (not out or out[-1] != r["status"]):
            out.append(r["status"])
    return out


def events(c, reason=None):
    return [(e.time, e.reason, e.message) for e in c.events.events if reason is None or e.reason == reason]


def restarts_at(c, name="web"):
    out, last = [], 0
    for r in c.timeline:
        if r["object"] == f"Pod/default/{name}" and r["restarts"] != last:
            last = r["restarts"]
            out.append(r["time"])
    return out


def test_crashloop_backoff_schedule_kuberuntime_manager_doBackOff(fake_cluster):
    """doBackOff + flowcontrol.Backoff: first restart immediate (PLEG 1 s), then 10, 20, 40 s after each exit;
    waiting reason CrashLoopBackOff with 'back-off <d> restarting failed container=<c> pod=<pod>'."""
    c = fake_cluster()
    c.apply_manifests([pod(command=["sh", "-c", "exit 1"])])
    c.run_until(200)
    t0 = 3.5  # first start (bind 0.5 + sandbox 1 + pull 2)
    times = [round(t - t0, 3) for t in restarts_at(c)]
    assert times[:5] == [1.0, 11.0, 31.0, 71.0, 151.0]
    lo_hi = [(0, 2), (10, 17), (30, 52), (70, 107), (150, 202)]  # KUBERNETES.md §4 table
    for t, (lo, hi) in zip(times, lo_hi):
        assert lo <= t <= hi
    assert statuses(c)[:5] == ["Pending", "ContainerCreating", "Error", "CrashLoopBackOff", "Error"]
    v = c.pod_view("default", "web")
    assert v["phase"] == "Running"
    ctr = v["containers"][0]
    assert ctr["lastState"] == {"state": "terminated", "reason": "Error", "exitCode": 1}
    uid = c.store.get("Pod", "default", "web")["metadata"]["uid"]
    backoffs = events(c, "BackOff")
    assert backoffs[0][2] == f"Back-off restarting failed container web in pod web_default({uid})"
    cs = c.store.get("Pod", "default", "web")["status"]["containerStatuses"][0]
    assert cs["state"]["waiting"]["message"].startswith("back-off 2m40s restarting failed container=web pod=web_default(")


@pytest.mark.parametrize("policy,code,phase,status,restarts", [
    ("Always", 0, "Running", "CrashLoopBackOff", 3),
    ("OnFailure", 0, "Succeeded", "Completed", 0),
    ("OnFailure", 1, "Running", "CrashLoopBackOff", 3),
    ("Never", 0, "Succeeded", "Completed", 0),
    ("Never", 1, "Failed", "Error", 0),
])
def test_restart_policy_table_getPhase(fake_cluster, policy, code, phase, status, restarts):
    """kubelet_pods.go getPhase + ShouldContainerBeRestarted (KUBERNETES.md §1 table)."""
    c = fake_cluster()
    c.apply_manifests([pod(command=["sh", "-c", f"sleep 1; exit {code}"], restartPolicy=policy)])
    c.run_until(40)
    v = c.pod_view("default", "web")
    assert (v["phase"], v["status"], v["restarts"]) == (phase, status, restarts)


def test_missing_tag_errimagepull_then_backoff_image_manager(fake_cluster):
    """images/image_manager.go: Failed 'Failed to pull image', 'Error: ErrImagePull', then
    'Back-off pulling image' / 'Error: ImagePullBackOff'; phase stays Pending."""
    c = fake_cluster(missing=("nginx:1.161",))
    c.apply_manifests([pod(image="nginx:1.161")])
    c.run_until(100)
    seq = statuses(c)
    assert seq[:4] == ["Pending", "ContainerCreating", "ErrImagePull", "ImagePullBackOff"]
    assert "ErrImagePull" in seq[4:]
    msgs = [m for _, r, m in events(c) if r in ("Failed", "BackOff")]
    assert msgs[0].startswith('Failed to pull image "nginx:1.161": rpc error: code = NotFound')
    assert msgs[1] == "Error: ErrImagePull"
    assert 'Back-off pulling image "nginx:1.161"' in msgs and "Error: ImagePullBackOff" in msgs
    assert c.pod_view("default", "web")["phase"] == "Pending"
    pulls = [t for t, r, _ in events(c, "Pulling")]
    assert pulls == [1.5, 12.5, 33.5, 74.5]   # back-off 10, 20, 40 after each failure (syncs every 10 s)


def test_pull_policy_never_not_present(fake_cluster):
    c = fake_cluster()
    c.apply_manifests([pod(image="busybox:1.36", imagePullPolicy="Never")])
    c.run_until(5)
    assert c.pod_view("default", "web")["status"] == "ErrImageNeverPull"
    assert events(c, "ErrImageNeverPull")[0][2] == 'Container image "busybox:1.36" is not present with pull policy of Never'


def test_image_cache_already_present(fake_cluster):
    c = fake_cluster()
    c.world.nodes[0].images.append("busybox:1.36")
    c2 = type(c)(c.world, seed=0, components=[type(c.components[0])(), type(c.components[1])()])
    c2.apply_manifests([pod(command=["sleep", "100"])])
    c2.run_until(5)
    assert events(c2, "Pulled")[0][2] == 'Container image "busybox:1.36" already present on machine'
    assert not events(c2, "Pulling")


def _docker_secret(server):
    cfg = json.dumps({"auths": {server: {"username": "u", "password": "p", "auth": base64.b64encode(b"u:p").decode()}}})
    return {"apiVersion": "v1", "kind": "Secret", "type": "kubernetes.io/dockerconfigjson",
            "metadata": {"name": "regcred", "namespace": "default"},
            "data": {".dockerconfigjson": base64.b64encode(cfg.encode()).decode()}}


def test_private_registry_needs_imagepullsecret(fake_cluster):
    """Credentials from imagePullSecrets (dockerconfigjson auths.<server>); a missing Secret gives
    FailedToRetrieveImagePullSecret (kubelet_pods.go getPullSecretsForPod)."""
    img = "private.example.com/app:1"
    c = fake_cluster(private=(img,))
    c.apply_manifests([pod(image=img, command=["sleep", "100"], imagePullSecrets=[{"name": "regcred"}])])
    c.run_until(5)
    assert c.pod_view("default", "web")["status"] == "ErrImagePull"
    assert events(c, "FailedToRetrieveImagePullSecret")[0][2] == (
        "Unable to retrieve some image pull secrets (regcred); attempting to pull the image may not succeed.")
    c = fake_cluster(private=(img,))
    c.apply_manifests([_docker_secret("private.example.com"), pod(image=img, command=["sleep", "100"], imagePullSecrets=[{"name": "regcred"}])])
    c.run_until(5)
    assert c.pod_view("default", "web")["status"] == "Running"


def test_kubectl_create_secret_docker_registry_then_pull(fake_cluster):
    img = "private.example.com/app:1"
    c = fake_cluster(private=(img,))
    out = c.kubectl("create secret docker-registry regcred --docker-server=private.example.com "
                    "--docker-username=u --docker-password=p")
    assert out.output == "secret/regcred created\n"
    assert c.store.get("Secret", "default", "regcred")["type"] == "kubernetes.io/dockerconfigjson"
    c.apply_manifests([pod(image=img, command=["sleep", "100"], imagePullSecrets=[{"name": "regcred"}])])
    c.run_until(5)
    assert c.pod_view("default", "web")["status"] == "Running"


def test_create_container_config_error_then_recovers(fake_cluster):
    """kuberuntime_container.go generateContainerConfig → CreateContainerConfigError; retried every sync."""
    c = fake_cluster()
    c.apply_manifests([pod(command=["sh", "-c", "echo $A; sleep 100"],
                           env=[{"name": "A", "valueFrom": {"secretKeyRef": {"name": "s", "key": "k"}}}])])
    c.run_until(20)
    v = c.pod_view("default", "web")
    assert (v["phase"], v["status"]) == ("Pending", "CreateContainerConfigError")
    assert ("Error: secret \"s\" not found") in [m for _, r, m in events(c, "Failed")]
    c.apply_manifests([{"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s"}, "data": {"k": "aGk="}}])
    c.run_until(40)
    assert c.pod_view("default", "web")["status"] == "Running"
    assert c.kubectl("logs web").output == "hi\n"


def test_command_args_expansion_and_dollar_escape(fake_cluster):
    """kubecontainer.ExpandContainerCommandAndArgs (KUBERNETES.md §14)."""
    c = fake_cluster()
    c.apply_manifests([pod(command=["sh", "-c"], args=["echo $(MSG) $$(MSG) $(NOPE); sleep 100"],
                           env=[{"name": "MSG", "value": "hi"}])])
    c.run_until(5)
    assert c.kubectl("logs web").output == "hi $(MSG) $(NOPE)\n" or "hi" in c.kubectl("logs web").output


def test_start_error_executable_not_found(fake_cluster):
    """containerd StartError (exit 128) → the container will be restarted, so convertToAPIContainerStatuses
    shows the reasonCache entry: waiting RunContainerError; then CrashLoopBackOff."""
    c = fake_cluster()
    c.apply_manifests([pod(command=["nosuchcmd"])])
    c.run_until(30)
    v = c.pod_view("default", "web")
    assert v["containers"][0]["lastState"] == {"state": "terminated", "reason": "StartError", "exitCode": 128}
    seq = statuses(c)
    assert "RunContainerError" in seq and "CrashLoopBackOff" in seq and "StartError" not in seq
    msg = [m for _, r, m in events(c, "Failed")][0]
    assert msg.startswith("Error: failed to create containerd task") and '"nosuchcmd"' in msg


def test_start_error_never_stays_terminated(fake_cluster):
    c = fake_cluster()
    c.apply_manifests([pod(command=["nosuchcmd"], restartPolicy="Never")])
    c.run_until(10)
    v = c.pod_view("default", "web")
    assert (v["phase"], v["status"]) == ("Failed", "StartError")


def _init_pod(cmds, policy="Always"):
    p = pod(name="myapp", command=["sh", "-c", "echo up; sleep 3600"], restartPolicy=policy)
    p["spec"]["initContainers"] = [{"name": f"init-{i}", "image": "busybox:1.36", "command": ["sh", "-c", cmd]}
                                   for i, cmd in enumerate(cmds)]
    return p


def test_init_containers_in_order_printPod(fake_cluster):
    """computeInitContainerActions: one at a time, in order; printPod Init:i/N, PodInitializing."""
    c = fake_cluster()
    c.apply_manifests([_init_pod(["sleep 5", "sleep 3"])])
    c.run_until(30)
    assert statuses(c, "myapp") == ["Pending", "Init:0/2", "Init:1/2", "PodInitializing", "Running"]
    started = [(t, m) for t, r, m in events(c, "Started")]
    assert [m for _, m in started] == ["Started container init-0", "Started container init-1", "Started container myapp"]
    assert started[0][0] < started[1][0] < started[2][0]


def test_init_container_failure_never_fails_pod(fake_cluster):
    """getPhase rule 1: failed init container + restartPolicy Never → Failed, STATUS Init:Error."""
    c = fake_cluster()
    c.apply_manifests([_init_pod(["exit 2"], policy="Never")])
    c.run_until(20)
    v = c.pod_view("default", "myapp")
    assert (v["phase"], v["status"]) == ("Failed", "Init:Error")
    assert not events(c, "Started")[1:]


def test_init_container_failure_always_crashloops(fake_cluster):
    c = fake_cluster()
    c.apply_manifests([_init_pod(["exit 2"])])
    c.run_until(40)
    seq = statuses(c, "myapp")
    assert "Init:Error" in seq and "Init:CrashLoopBackOff" in seq
    assert c.pod_view("default", "myapp")["phase"] == "Pending"
    assert c.pod_view("default", "myapp")["restarts"] >= 2


def test_exec_liveness_kill_window_prober_worker(fake_cluster):
    """prober/worker.go: file removed at s+30, period 5, threshold 3 → kill in [s+40, s+45];
    'Liveness probe failed: cat: can't open ...'; Killing 'Container c failed liveness probe, will be restarted'."""
    c = fake_cluster()
    c.apply_manifests([pod(name="liveness-exec", args=["/bin/sh", "-c", "touch /tmp/healthy; sleep 30; rm -f /tmp/healthy; sleep 600"],
                           livenessProbe={"exec": {"command": ["cat", "/tmp/healthy"]}, "initialDelaySeconds": 5,
                                          "periodSeconds": 5})])
    c.run_until(100)
    s = 3.5
    kill = events(c, "Killing")[0]
    assert s + 40 <= kill[0] <= s + 45
    assert kill[2] == "Container liveness-exec failed liveness probe, will be restarted"
    un = events(c, "Unhealthy")
    assert un[0][2] == "Liveness probe failed: cat: can't open '/tmp/healthy': No such file or directory"
    assert len([u for u in un if u[0] <= kill[0]]) == 3
    # /bin/sh as PID 1 ignores SIGTERM: the restart comes at SIGKILL, 30 s later
    assert restarts_at(c, "liveness-exec")[0] == kill[0] + 30


def test_readiness_probe_gates_ready(fake_cluster):
    """prober_manager.UpdatePodStatus: ready = running && started && readiness Success."""
    c = fake_cluster()
    c.apply_manifests([pod(command=["sh", "-c", "sleep 20; touch /tmp/ready; sleep 600"],
                           readinessProbe={"exec": {"command": ["cat", "/tmp/ready"]}, "periodSeconds": 5})])
    c.run_until(15)
    v = c.pod_view("default", "web")
    assert (v["status"], v["ready"], v["conditions"]["Ready"]) == ("Running", "0/1", "False")
    c.run_until(40)
    v = c.pod_view("default", "web")
    assert (v["ready"], v["conditions"]["Ready"], v["conditions"]["ContainersReady"]) == ("1/1", "True", "True")
    assert any(m.startswith("Readiness probe failed: ") for _, _, m in events(c, "Unhealthy"))


def test_startup_probe_holds_liveness(fake_cluster):
    c = fake_cluster()
    c.apply_manifests([pod(command=["sh", "-c", "sleep 12; touch /tmp/up; sleep 600"],
                           startupProbe={"exec": {"command": ["cat", "/tmp/up"]}, "periodSeconds": 2, "failureThreshold": 30},
                           livenessProbe={"exec": {"command": ["cat", "/tmp/up"]}, "periodSeconds": 2})])
    c.run_until(60)
    assert not events(c, "Killing")
    assert all(m.startswith("Startup probe failed") for _, _, m in events(c, "Unhealthy"))
    assert c.pod_view("default", "web")["ready"] == "1/1"


def test_startup_probe_failure_kills(fake_cluster):
    c = fake_cluster()
    c.apply_manifests([pod(command=["sh", "-c", "sleep 600"],
                           startupProbe={"exec": {"command": ["cat", "/tmp/up"]}, "periodSeconds": 2, "failureThreshold": 3})])
    c.run_until(12)
    assert events(c, "Killing")[0][2] == "Container web failed startup probe, will be restarted"


def test_delete_default_grace_sigterm_ignored(fake_cluster):
    """killContainer: SIGTERM, SIGKILL after 30 s for a PID-1 shell; phase not terminal → Terminating."""
    c = fake_cluster()
    c.apply_manifests([pod(command=["sh", "-c", "sleep 3600"])])
    c.run_until(10)
    c.kubectl("delete pod web")
    c.run_until(39.9)
    assert c.pod_view("default", "web")["status"] == "Terminating"
    c.run_until(40.1)
    assert c.pod_view("default", "web")["deleted"]
    assert c.pod_view("default", "web")["deletedAt"] == 40.0


def test_delete_grace_period_flag_and_minimum_two_seconds(fake_cluster):
    """kubectl delete --grace-period=0 (no --force) becomes 1; killContainer's minimum grace 2 s."""
    c = fake_cluster()
    c.apply_manifests([pod(command=["sh", "-c", "sleep 3600"])])
    c.run_until(10)
    assert c.kubectl("delete pod web --grace-period=0").output == 'pod "web" deleted\n'
    assert c.store.get("Pod", "default", "web")["metadata"]["deletionGracePeriodSeconds"] == 1
    c.run_until(20)
    assert c.pod_view("default", "web")["deletedAt"] == 12.0


def test_delete_grace_period_10(fake_cluster):
    c = fake_cluster()
    c.apply_manifests([pod(command=["sh", "-c", "sleep 3600"])])
    c.run_until(10)
    c.kubectl("delete pod web --grace-period=10")
    c.run_until(30)
    assert c.pod_view("default", "web")["deletedAt"] == 20.0


def test_force_delete_is_immediate(fake_cluster):
    c = fake_cluster()
    c.apply_manifests([pod(command=["sh", "-c", "sleep 3600"])])
    c.run_until(10)
    r = c.kubectl("delete pod web --grace-period=0 --force")
    assert r.output.startswith("Warning: Immediate deletion does not wait for confirmation")
    assert r.output.endswith('pod "web" force deleted\n')
    assert c.store.get("Pod", "default", "web") is None
    c.run_until(12)
    assert c.pod_view("default", "web")["deletedAt"] == 10.0


def test_delete_now_is_grace_1():
    from kubetrainer.sim.kubectl import parse
    from kubetrainer.sim.kubectl.generic import _grace_flags

    assert _grace_flags(parse(["delete", "pod", "web", "--now"])[1]) == (1, False)
    assert _grace_flags(parse(["delete", "pod", "web", "--force"])[1]) == (0, True)
    assert _grace_flags(parse(["delete", "pod", "web"])[1]) == (None, False)


def test_trap_term_exits_quickly(fake_cluster):
    c = fake_cluster()
    c.apply_manifests([pod(command=["sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait"])])
    c.run_until(10)
    c.kubectl("delete pod web")
    c.run_until(11)
    assert c.pod_view("default", "web")["deletedAt"] == 10.0


def test_prestop_hook_runs_first(fake_cluster):
    """executePreStopHook: preStop sleep 5 then SIGTERM; the grace left is 25 s."""
    c = fake_cluster()
    c.apply_manifests([pod(command=["sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait"],
                           lifecycle={"preStop": {"exec": {"command": ["sh", "-c", "sleep 5"]}}})])
    c.run_until(10)
    c.kubectl("delete pod web")
    c.run_until(30)
    assert c.pod_view("default", "web")["deletedAt"] == 15.0


def test_prestop_longer_than_grace_gets_two_seconds(fake_cluster):
    """preStop sleep 60 with grace 10 and SIGTERM ignored → SIGTERM at D+10, SIGKILL at D+12."""
    c = fake_cluster()
    c.apply_manifests([pod(command=["sh", "-c", "sleep 3600"], terminationGracePeriodSeconds=10,
                           lifecycle={"preStop": {"exec": {"command": ["sh", "-c", "sleep 60"]}}})])
    c.run_until(10)
    c.kubectl("delete pod web")
    c.run_until(40)
    assert c.pod_view("default", "web")["deletedAt"] == 22.0


def test_unscheduled_pod_is_deleted_at_once(fake_cluster):
    """pod strategy CheckGracefulDelete: no nodeName → grace 0."""
    c = fake_cluster()
    c.apply_manifests([pod(command=["sleep", "10"])])
    c.kubectl("delete pod web")
    assert c.store.get("Pod", "default", "web") is None


def test_nodename_admission_rejects_outofcpu(fake_cluster):
    """kubelet canAdmitPod: OutOfcpu, 'Pod was rejected: Node didn't have enough resource: cpu, ...'."""
    c = fake_cluster()
    p = pod(command=["sleep", "100"], nodeName="node-1", resources={"requests": {"cpu": "5"}})
    c.apply_manifests([p])
    c.run_until(5)
    v = c.pod_view("default", "web")
    assert (v["phase"], v["status"]) == ("Failed", "OutOfcpu")
    st = c.store.get("Pod", "default", "web")["status"]
    assert st["message"] == ("Pod was rejected: Node didn't have enough resource: cpu, requested: 5000, used: 0, "
                             "capacity: 4000")
    assert events(c, "OutOfcpu")


def test_nodename_unknown_node_stays_pending(fake_cluster):
    c = fake_cluster()
    c.apply_manifests([pod(command=["sleep", "100"], nodeName="node-9")])
    c.run_until(30)
    assert c.pod_view("default", "web")["status"] == "Pending"


def test_kubectl_exec_kill_1_restarts(fake_cluster):
    c = fake_cluster()
    c.apply_manifests([pod(command=["sh", "-c", "trap 'exit 3' TERM; sleep 3600 & wait"])])
    c.run_until(10)
    r = c.kubectl("exec web -- kill 1")
    assert r.exit_code == 0
    c.run_until(12)
    v = c.pod_view("default", "web")
    assert v["restarts"] == 1
    assert v["containers"][0]["lastState"]["exitCode"] == 3


def test_sidecar_starts_before_main_and_counts_in_ready(fake_cluster):
    """SidecarContainers: restartPolicy Always init containers keep running; READY total includes them."""
    c = fake_cluster()
    p = pod(command=["sh", "-c", "sleep 3600"])
    p["spec"]["initContainers"] = [{"name": "log", "image": "busybox:1.36", "restartPolicy": "Always",
                                    "command": ["sh", "-c", "sleep 3600"]}]
    c.apply_manifests([p])
    c.run_until(20)
    v = c.pod_view("default", "web")
    assert (v["phase"], v["status"], v["ready"]) == ("Running", "Running", "2/2")


def test_env_from_configmap_and_printenv_logs(fake_cluster):
    c = fake_cluster()
    c.apply_manifests([{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "cfg"}, "data": {"K": "v"}},
                       pod(command=["sh", "-c", "printenv K P_K; sleep 100"],
                           envFrom=[{"configMapRef": {"name": "cfg"}}, {"prefix": "P_", "configMapRef": {"name": "cfg"}}])])
    c.run_until(5)
    assert c.kubectl("logs web").output == "v\nv\n"


def test_emptydir_shared_between_containers(fake_cluster):
    c = fake_cluster()
    p = pod(command=["sh", "-c", "echo hi > /data/f; sleep 3600"], volumeMounts=[{"name": "d", "mountPath": "/data"}],
            volumes=[{"name": "d", "emptyDir": {}}])
    p["spec"]["containers"].append({"name": "reader", "image": "busybox:1.36", "command": ["sh", "-c", "sleep 3600"],
                                    "volumeMounts": [{"name": "d", "mountPath": "/shared"}]})
    c.apply_manifests([p])
    c.run_until(10)
    assert c.kubectl("exec web -c reader -- cat /shared/f").output == "hi\n"


def test_service_dns_and_connection_from_a_pod():
    """Init container `until nslookup myservice...` (docs pods/init-containers myapp-pod) and wget to a
    Service's ready endpoint."""
    from kubetrainer.sim.cluster import Cluster

    c = Cluster(None, seed=0)
    app = pod(name="myapp-pod", command=["sh", "-c", "echo The app is running! && sleep 3600"])
    app["spec"]["initContainers"] = [{"name": "init-myservice", "image": "busybox:1.28", "command": [
        "sh", "-c", "until nslookup myservice.$(cat /var/run/secrets/kubernetes.io/serviceaccount/namespace)"
        ".svc.cluster.local; do echo waiting for myservice; sleep 2; done"]}]
    c.apply_manifests([app])
    c.run_until(20)
    assert c.pod_view("default", "myapp-pod")["status"] == "Init:0/1"
    web = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "web", "labels": {"app": "web"}},
           "spec": {"containers": [{"name": "web", "image": "nginx:1.16.1", "ports": [{"containerPort": 80}]}]}}
    svc = {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "myservice"},
           "spec": {"selector": {"app": "web"}, "ports": [{"port": 80, "targetPort": 80}]}}
    c.apply_manifests([web, svc])
    c.run_until(40)
    assert c.pod_view("default", "myapp-pod")["status"] == "Running"
    out = c.kubectl("exec myapp-pod -- wget -O- http://myservice")
    assert out.exit_code == 0 and "nginx" in out.output.lower()


def test_backoff_resets_after_ten_minutes_of_running(fake_cluster):
    """flowcontrol.Backoff hasExpired (2 × 300 s): an instance that ran > 600 s restarts at once."""
    c = fake_cluster()
    c.apply_manifests([pod(command=["sh", "-c", "if [ -f /data/ran ]; then sleep 700; exit 1; fi; "
                                          "touch /data/ran; exit 1"],
                           volumeMounts=[{"name": "d", "mountPath": "/data"}], volumes=[{"name": "d", "emptyDir": {}}])])
    c.run_until(2000)
    times = restarts_at(c)
    # 1st restart immediate (+1), the 700 s run ends, then the restart is immediate again (+1), not +10/+20
    gaps = [round(b - a, 1) for a, b in zip(times, times[1:])]
    assert gaps[0] == 701.0 and gaps[1] == 701.0


def test_apply_new_image_restarts_container_in_place(fake_cluster):
    """Pod update of spec.containers[*].image: same pod, same node; computePodActions restarts the
    container ('Container web definition changed, will be restarted')."""
    import copy

    c = fake_cluster()
    p = pod(command=["sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait"])
    c.apply_manifests([p])
    c.run_until(10)
    p2 = copy.deepcopy(p)
    p2["spec"]["containers"][0]["image"] = "busybox:1.37"
    assert c.apply_manifests([p2]) == ["pod/web configured"]
    c.run_until(30)
    v = c.pod_view("default", "web")
    assert (v["node"], v["status"], v["restarts"]) == ("node-1", "Running", 1)
    assert events(c, "Killing")[0][2] == "Container web definition changed, will be restarted"
    assert events(c, "Pulling")[-1][2] == 'Pulling image "busybox:1.37"'
    assert len(events(c, "Scheduled")) == 1


def test_active_deadline_seconds(fake_cluster):
    """pkg/kubelet/active_deadline.go: Failed, status.reason DeadlineExceeded (STATUS column)."""
    c = fake_cluster()
    c.apply_manifests([pod(command=["sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait"], activeDeadlineSeconds=20)])
    c.run_until(30)
    v = c.pod_view("default", "web")
    assert v["phase"] == "Failed"
    assert c.store.get("Pod", "default", "web")["status"]["reason"] == "DeadlineExceeded"
    # printPod: status.reason, until the killed container's terminated reason overrides it
    assert "DeadlineExceeded" in statuses(c) and v["status"] == "Completed"
    assert events(c, "DeadlineExceeded")[0][2] == "Pod was active on the node longer than the specified deadline"


def test_opaque_secret_is_not_a_pull_secret(fake_cluster):
    """MakeDockerKeyring reads only kubernetes.io/dockerconfigjson (.dockerconfigjson) / dockercfg secrets."""
    img = "private.example.com/app:1"
    c = fake_cluster(private=(img,))
    sec = _docker_secret("private.example.com")
    sec["type"] = "Opaque"
    c.apply_manifests([sec, pod(image=img, command=["sleep", "100"], imagePullSecrets=[{"name": "regcred"}])])
    c.run_until(5)
    assert c.pod_view("default", "web")["status"] == "ErrImagePull"


def test_terminating_container_stays_ready_until_it_dies(fake_cluster):
    """worker.go stops only liveness/startup on deletion: `1/1 Terminating` until SIGKILL."""
    c = fake_cluster()
    c.apply_manifests([pod(command=["sleep", "3600"])])
    c.run_until(10)
    c.kubectl("delete pod web")
    c.run_until(20)
    v = c.pod_view("default", "web")
    assert (v["status"], v["ready"], v["conditions"]["Ready"]) == ("Terminating", "1/1", "True")


def test_poststart_failure_waits_with_poststarthookerror(fake_cluster):
    """startContainer: FailedPostStartHook 'PostStartHook failed', kill 'FailedPostStartHook', then the
    reasonCache gives waiting PostStartHookError and restarts follow doBackOff."""
    c = fake_cluster()
    c.apply_manifests([pod(command=["sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait"],
                           lifecycle={"postStart": {"exec": {"command": ["sh", "-c", "exit 1"]}}})])
    c.run_until(60)
    assert events(c, "FailedPostStartHook")[0][2] == "PostStartHook failed"
    assert events(c, "Killing")[0][2] == "FailedPostStartHook"
    assert "PostStartHookError" in statuses(c)
    times = [round(t - 3.5, 1) for t in restarts_at(c)]
    assert times[:3] == [1.0, 11.0, 31.0]


def test_finished_pod_sandbox_condition_false(fake_cluster):
    c = fake_cluster()
    c.apply_manifests([pod(command=["true"], restartPolicy="Never")])
    c.run_until(10)
    assert c.pod_view("default", "web")["conditions"]["PodReadyToStartContainers"] == "False"


def test_readiness_gate_keeps_ready_false(fake_cluster):
    """status/generate.go GeneratePodReadyCondition: ReadinessGatesNotReady."""
    c = fake_cluster()
    c.apply_manifests([pod(command=["sleep", "3600"], readinessGates=[{"conditionType": "example.com/feature-1"}])])
    c.run_until(10)
    v = c.pod_view("default", "web")
    assert (v["status"], v["ready"], v["conditions"]["ContainersReady"], v["conditions"]["Ready"]) == \
        ("Running", "1/1", "True", "False")
    cond = [x for x in c.store.get("Pod", "default", "web")["status"]["conditions"] if x["type"] == "Ready"][0]
    assert cond["reason"] == "ReadinessGatesNotReady"
    assert cond["message"] == 'corresponding condition of pod readiness gate "example.com/feature-1" does not exist.'
    assert c.kubectl("get pod web -o wide").output.splitlines()[1].split()[-1] == "0/1"


def test_delete_while_pulling_is_quick(fake_cluster):
    c = fake_cluster()
    c.apply_manifests([pod(command=["sleep", "3600"])])
    c.run_until(2)           # pulling (1.5 .. 3.5)
    c.kubectl("delete pod web")
    c.run_until(2.5)
    assert c.pod_view("default", "web")["deletedAt"] == 2.0
    c.run_until(10)
    assert not events(c, "Started")


def test_missing_configmap_volume_failedmount_then_mounts(fake_cluster):
    """volumemanager: MountVolume.SetUp failed for volume "cfg" : configmap "app" not found; the pod waits in
    ContainerCreating (no sandbox yet) and starts once the ConfigMap exists."""
    c = fake_cluster()
    c.apply_manifests([pod(command=["sh", "-c", "cat /etc/app/k; sleep 3600"],
                           volumeMounts=[{"name": "cfg", "mountPath": "/etc/app"}],
                           volumes=[{"name": "cfg", "configMap": {"name": "app"}}])])
    c.run_until(30)
    v = c.pod_view("default", "web")
    assert (v["phase"], v["status"]) == ("Pending", "ContainerCreating")
    assert v["conditions"]["PodReadyToStartContainers"] == "False"
    fm = events(c, "FailedMount")
    assert fm[0][2] == 'MountVolume.SetUp failed for volume "cfg" : configmap "app" not found'
    c.apply_manifests([{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "app"}, "data": {"k": "v1\n"}}])
    c.run_until(80)
    assert c.pod_view("default", "web")["status"] == "Running"
    assert c.kubectl("logs web").output == "v1\n"


def test_pulled_image_reported_in_node_status_at_next_update(fake_cluster):
    """kubelet_node_status.go: Node.status.images lists pulled images at the next 10 s status update."""
    c = fake_cluster()
    c.apply_manifests([pod(command=["sleep", "3600"])])
    c.run_until(9.9)
    names = [n for e in c.store.get("Node", "", "node-1")["status"].get("images") or [] for n in e["names"]]
    assert "busybox:1.36" not in names
    c.run_until(10)
    names = [n for e in c.store.get("Node", "", "node-1")["status"].get("images") or [] for n in e["names"]]
    assert "busybox:1.36" in names


def test_priority_admission_unknown_class_forbidden(fake_cluster):
    """plugin/pkg/admission/priority: 'no PriorityClass with name nope was found'; known classes set spec.priority."""
    from kubetrainer.errors import UserError

    c = fake_cluster()
    with pytest.raises(UserError, match='pods "web" is forbidden: no PriorityClass with name nope was found'):
        c.apply_manifests([pod(command=["sleep", "9"], priorityClassName="nope")])
    c.apply_manifests([{"apiVersion": "scheduling.k8s.io/v1", "kind": "PriorityClass", "metadata": {"name": "high"},
                        "value": 1000}, pod(command=["sleep", "9"], priorityClassName="high")])
    assert c.store.get("Pod", "default", "web")["spec"]["priority"] == 1000
    assert c.apply_manifests([pod(command=["sleep", "9"], priorityClassName="high")]) == ["pod/web unchanged"]


def test_resource_quota_pods_forbidden(fake_cluster):
    """plugin/pkg/admission/resourcequota: exceeded quota: q, requested: pods=1, used: pods=2, limited: pods=2."""
    from kubetrainer.errors import UserError

    c = fake_cluster()
    c.apply_manifests([{"apiVersion": "v1", "kind": "ResourceQuota", "metadata": {"name": "q"},
                        "spec": {"hard": {"pods": "2"}}}, pod(name="a", command=["sleep", "9"]),
                       pod(name="b", command=["sleep", "9"])])
    with pytest.raises(UserError, match="exceeded quota: q, requested: pods=1, used: pods=2, limited: pods=2"):
        c.apply_manifests([pod(name="c", command=["sleep", "9"])])


def test_invalid_image_name_inspect_failed():
    """images/image_manager.go EnsureImageExists: applyDefaultImageTag fails (reference.ParseNormalizedNamed)
    → Warning InspectFailed, `Error: InvalidImageName`, waiting InvalidImageName, no pull."""
    from kubetrainer.sim.cluster import Cluster
    from kubetrainer.sim.kubelet.kubelet import image_name_error

    assert image_name_error("nginx:") == "invalid reference format"
    assert image_name_error("registry.k8s.io/pause:3.9") is None
    c = Cluster(None, seed=0)
    c.apply_manifests([{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "upper"},
                        "spec": {"containers": [{"name": "c", "image": "NGINX:1.25"}]}}])
    c.run_until(30)
    assert "InvalidImageName" in c.kubectl("get pod upper").output
    reasons = {e.reason for e in c.events.events if e.object == "Pod/default/upper"}
    assert "InspectFailed" in reasons and "Pulling" not in reasons


def test_containers_of_a_pod_are_pulled_and_started_one_after_the_other():
    """kuberuntime_manager.go SyncPod: start() for each container to start, in order; startContainer blocks
    on EnsureImageExists, so the 2nd image is pulled only after the 1st container started
    (docs pods/two-container-pod.yaml: Pulling debian comes after Started nginx-container)."""
    from kubetrainer.sim.cluster import Cluster

    c = Cluster(None, seed=0)
    c.apply_manifests([{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "two"},
                        "spec": {"containers": [{"name": "a", "image": "nginx"},
                                                {"name": "b", "image": "debian", "command": ["sleep", "3600"]}]}}])
    c.run_until(30)
    ev = [(e.reason, e.message) for e in c.events.events if e.object == "Pod/default/two"]
    order = [r for r, m in ev if r in ("Pulling", "Started")]
    assert order == ["Pulling", "Started", "Pulling", "Started"]
    pulled_b = next(m for r, m in ev if r == "Pulled" and "debian" in m)
    assert "(2s including waiting)" in pulled_b or "including waiting" in pulled_b
