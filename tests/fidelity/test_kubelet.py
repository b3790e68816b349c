"""`kubetrainer simulate --format json` against what a real kubelet does (pkg/kubelet/*), on the
default world: STATUS/READY/RESTARTS (printPod), phases (getPhase), container states, event
reasons/messages and timings within honest windows (KUBERNETES.md §1–§10, §16)."""

from __future__ import annotations

import re

import pytest

from .fid import simulate, world

UID = r"[0-9a-f-]{36}"


def pod(name, spec, meta=""):
    return f"apiVersion: v1\nkind: Pod\nmetadata:\n  name: {name}\n{meta}spec:\n{spec}"


def busybox(name, script, restart="Always", image="busybox:1.36", extra=""):
    return pod(name, f"  restartPolicy: {restart}\n  containers:\n  - name: {name}\n    image: {image}\n"
                     f"    command: [\"sh\", \"-c\", {script!r}]\n{extra}".replace("'", '"'))


# --- probes (pkg/kubelet/prober) -------------------------------------------------------------

def test_exec_liveness_docs_kill_window_and_messages():
    """pods/probe/exec-liveness.yaml; prober worker.go doProbe + kuberuntime_manager computePodActions:
    the file goes at s+30, three failures 5 s apart → Killing in [s+40, s+45]."""
    s = simulate("docs/exec-liveness", until=150)
    st = s.started("liveness-exec")
    kills = s.ev("Killing", "liveness-exec")
    assert kills, s.events
    assert st + 40 <= kills[0]["time"] <= st + 45
    assert kills[0]["message"] == "Container liveness failed liveness probe, will be restarted"
    unhealthy = s.ev("Unhealthy", "liveness-exec")
    assert unhealthy[0]["type"] == "Warning"
    assert unhealthy[0]["message"] == "Liveness probe failed: cat: can't open '/tmp/healthy': No such file or directory"
    before_kill = [e for e in unhealthy if e["time"] <= kills[0]["time"]]
    assert len(before_kill) == 3
    assert st + 30 <= before_kill[0]["time"] < st + 35


def test_exec_liveness_restart_after_sigkill_grace():
    """/bin/sh is PID 1 and ignores SIGTERM: RESTARTS becomes 1 after the kill, by s+75 at the latest
    (kill ≤ s+45 + 30 s grace); the last state is a terminated Error."""
    s = simulate("docs/exec-liveness", until=150)
    st = s.started("liveness-exec")
    r1 = s.restart_times("liveness-exec")[0]
    assert st + 40 <= r1 <= st + 77
    c = s.container("liveness-exec")
    assert c["lastState"]["state"] == "terminated"
    assert c["lastState"]["reason"] == "Error"
    assert c["lastState"]["exitCode"] in (137, 143)
    assert s.pod("liveness-exec")["phase"] == "Running"


def test_http_liveness_docs_500_after_10s():
    """pods/probe/http-liveness.yaml: agnhost liveness serves 500 after 10 s; delay 3, period 3,
    threshold 3 → kill within [s+10+6, s+10+9]; probe/http/http.go failure text."""
    s = simulate("docs/http-liveness", until=60)
    st = s.started("liveness-http")
    u = s.ev("Unhealthy", "liveness-http")
    assert u[0]["message"] == "Liveness probe failed: HTTP probe failed with statuscode: 500"
    kill = s.ev("Killing", "liveness-http")[0]
    assert st + 15 <= kill["time"] <= st + 20
    assert kill["message"] == "Container liveness failed liveness probe, will be restarted"
    assert s.pod("liveness-http")["restarts"] >= 1


def test_http_liveness_second_restart_immediate():
    """SyncPod kills (ContainersToKill) and starts (ContainersToStart) in one pass with the same
    podStatus: doBackOff finds the instance killed at the FIRST kill (no back-off entry yet) →
    Next() and start now. So kills at ≈s+18 and ≈s+36 are both followed by an immediate restart."""
    s = simulate("docs/http-liveness", until=60)
    kills = s.ev_times("Killing", "liveness-http")
    rt = s.restart_times("liveness-http")
    assert len(kills) >= 2 and len(rt) >= 2, (kills, rt)
    assert rt[1] <= kills[1] + 2, (kills, rt)


def test_tcp_readiness_docs_ready_after_initial_delay():
    """pods/probe/tcp-liveness-readiness.yaml: readiness tcpSocket delay 15, period 10: Running 0/1
    first, 1/1 within [s+15, s+26]; never Unhealthy; no restarts."""
    s = simulate("docs/tcp-liveness-readiness", until=60)
    st = s.started("goproxy")
    ready_at = s.first("goproxy", ready="1/1")
    assert ready_at is not None and st + 15 <= ready_at <= st + 26
    assert s.first("goproxy", status="Running", ready="0/1") is not None
    assert not s.ev("Unhealthy", "goproxy")
    p = s.pod("goproxy")
    assert (p["status"], p["ready"], p["restarts"]) == ("Running", "1/1", 0)
    assert p["conditions"]["Ready"] == "True"


def test_grpc_liveness_docs_etcd_healthy():
    s = simulate("docs/grpc-liveness", until=60)
    p = s.pod("etcd-with-grpc")
    assert (p["status"], p["ready"], p["restarts"]) == ("Running", "1/1", 0)
    assert not s.ev("Unhealthy", "etcd-with-grpc")


def test_readiness_failure_never_restarts():
    """prober_manager.UpdatePodStatus: readiness failing → running, not ready, Ready=False, no restart."""
    m = pod("notready", """  containers:
  - name: web
    image: nginx:1.25
    readinessProbe:
      httpGet: {path: /nope, port: 80}
      periodSeconds: 5
""")
    s = simulate(m, until=60)
    p = s.pod("notready")
    assert (p["phase"], p["status"], p["ready"], p["restarts"]) == ("Running", "Running", "0/1", 0)
    assert p["conditions"]["Ready"] == "False" and p["conditions"]["ContainersReady"] == "False"
    u = s.ev("Unhealthy", "notready")
    assert u and u[0]["message"] == "Readiness probe failed: HTTP probe failed with statuscode: 404"
    assert not s.ev("Killing", "notready")


def test_liveness_connection_refused_message():
    """probe/http: transport error text `Get "http://IP:PORT/PATH": dial tcp IP:PORT: connect: connection refused`."""
    m = pod("refused", """  containers:
  - name: web
    image: nginx:1.25
    livenessProbe:
      httpGet: {path: /, port: 8080}
      periodSeconds: 5
""")
    s = simulate(m, until=40)
    u = s.ev("Unhealthy", "refused")[0]["message"]
    assert re.fullmatch(r'Liveness probe failed: Get "http://[\d.]+:8080/": dial tcp [\d.]+:8080: connect: connection refused', u), u
    assert s.ev("Killing", "refused")[0]["message"] == "Container web failed liveness probe, will be restarted"


def test_startup_probe_failure_kills_with_startup_message():
    """computePodActions: startup Failure → `Container c failed startup probe, will be restarted`."""
    m = pod("slow", """  containers:
  - name: app
    image: busybox:1.36
    command: ["sh", "-c", "sleep 3600"]
    startupProbe:
      exec: {command: ["cat", "/tmp/ready"]}
      periodSeconds: 5
      failureThreshold: 2
""")
    s = simulate(m, until=60)
    kill = s.ev("Killing", "slow")
    assert kill and kill[0]["message"] == "Container app failed startup probe, will be restarted"
    st = s.started("slow")
    assert st + 5 <= kill[0]["time"] <= st + 11
    assert s.ev("Unhealthy", "slow")[0]["message"].startswith("Startup probe failed: cat: can't open '/tmp/ready'")


def test_liveness_not_run_before_startup_succeeds():
    """worker.go: liveness is skipped until the startup probe succeeded."""
    m = pod("gated", """  containers:
  - name: app
    image: busybox:1.36
    command: ["sh", "-c", "sleep 20; touch /tmp/ok; sleep 3600"]
    startupProbe:
      exec: {command: ["cat", "/tmp/ok"]}
      periodSeconds: 5
      failureThreshold: 10
    livenessProbe:
      exec: {command: ["cat", "/tmp/ok"]}
      periodSeconds: 5
""")
    s = simulate(m, until=60)
    assert not s.ev("Killing", "gated")
    assert not s.ev("Unhealthy", "gated", message="Liveness")
    assert s.pod("gated")["ready"] == "1/1"


# --- CrashLoopBackOff (kuberuntime_manager doBackOff, flowcontrol/backoff.go) ----------------

def _crash_windows(s, name):
    st = s.started(name)
    rt = s.restart_times(name)
    assert len(rt) >= 4, (rt, s.statuses(name))
    # KUBERNETES.md §4 table: restart k at t0 + {0, 10, 30, 70} .. + {2, 17, 52, 107}
    for k, (lo, hi) in enumerate([(0, 2), (10, 17), (30, 52), (70, 107)]):
        assert st + lo <= rt[k] <= st + hi, (k + 1, rt, st)


def test_crashloop_restart_schedule_exit1():
    s = simulate(busybox("crash", "exit 1"), until=200)
    _crash_windows(s, "crash")
    seq = s.statuses("crash")
    assert "Error" in seq and "CrashLoopBackOff" in seq
    p = s.pod("crash")
    assert p["phase"] == "Running"
    c = p["containers"][0]
    assert c["lastState"] == {"state": "terminated", "reason": "Error", "exitCode": 1}


def test_crashloop_backoff_event_text():
    """doBackOff: Warning BackOff `Back-off restarting failed container <c> in pod <name>_<ns>(<uid>)`."""
    s = simulate(busybox("crash", "exit 1"), until=120)
    b = s.ev("BackOff", "crash")
    assert b and b[0]["type"] == "Warning"
    assert re.fullmatch(rf"Back-off restarting failed container crash in pod crash_default\({UID}\)", b[0]["message"]), b[0]


def test_crashloop_with_always_pull_image_keeps_windows():
    """`image: busybox` (tag latest → imagePullPolicy Always) re-pulls on each start; an already
    present image resolves quickly, so the restarts stay in the §4 windows."""
    s = simulate(busybox("crash2", "exit 1", image="busybox"), until=200)
    _crash_windows(s, "crash2")


def test_always_exit0_completed_then_crashloop():
    """restartPolicy Always restarts even exit 0: Completed → CrashLoopBackOff, phase Running."""
    s = simulate(busybox("done", "echo hi", restart="Always"), until=120)
    seq = s.statuses("done")
    assert "Completed" in seq and "CrashLoopBackOff" in seq
    assert s.pod("done")["phase"] == "Running"
    assert s.pod("done")["restarts"] >= 3
    assert s.container("done")["lastState"]["reason"] == "Completed"


def test_onfailure_exit0_succeeded_completed():
    s = simulate(busybox("job", "echo hi", restart="OnFailure"), until=60)
    p = s.pod("job")
    assert (p["phase"], p["status"], p["ready"], p["restarts"]) == ("Succeeded", "Completed", "0/1", 0)
    c = p["containers"][0]
    assert (c["state"], c["reason"], c["exitCode"]) == ("terminated", "Completed", 0)
    assert p["conditions"]["Ready"] == "False"


def test_never_exit1_failed_error():
    s = simulate(busybox("fail", "exit 3", restart="Never"), until=60)
    p = s.pod("fail")
    assert (p["phase"], p["status"], p["restarts"]) == ("Failed", "Error", 0)
    c = p["containers"][0]
    assert (c["state"], c["reason"], c["exitCode"]) == ("terminated", "Error", 3)


def test_never_exit0_succeeded():
    s = simulate(busybox("ok", "true", restart="Never"), until=60)
    assert (s.pod("ok")["phase"], s.pod("ok")["status"]) == ("Succeeded", "Completed")


def test_onfailure_exit1_restarts_with_backoff():
    s = simulate(busybox("retry", "exit 1", restart="OnFailure"), until=120)
    p = s.pod("retry")
    assert p["phase"] == "Running" and p["restarts"] >= 3
    assert "CrashLoopBackOff" in s.statuses("retry")


def test_completed_next_to_running_is_notready():
    """printPod: reason Completed while another container runs and the pod is not Ready → NotReady."""
    m = pod("mixed", """  restartPolicy: Never
  containers:
  - name: a-job
    image: busybox:1.36
    command: ["sh", "-c", "true"]
  - name: b-server
    image: busybox:1.36
    command: ["sh", "-c", "sleep 3600"]
""")
    s = simulate(m, until=30)
    p = s.pod("mixed")
    assert (p["phase"], p["status"], p["ready"]) == ("Running", "NotReady", "1/2")


def test_container_statuses_sorted_by_name():
    """convertToAPIContainerStatuses: sort.Sort(SortedContainerStatuses)."""
    m = pod("multi", """  containers:
  - name: zeta
    image: nginx:1.25
  - name: alpha
    image: redis:7
""")
    s = simulate(m, until=30)
    names = [c["name"] for c in s.pod("multi")["containers"]]
    assert names == ["alpha", "zeta"]
    assert s.pod("multi")["ready"] == "2/2"


def test_start_error_exit_128():
    """containerd: exec of a missing binary → terminated StartError, exit 128; kubelet
    (kubelet_pods.go convertToAPIContainerStatuses + reasonCache) shows waiting RunContainerError,
    then CrashLoopBackOff — never STATUS StartError under restartPolicy Always."""
    m = pod("nobin", """  containers:
  - name: app
    image: busybox:1.36
    command: ["/no/such/binary"]
""")
    s = simulate(m, until=60)
    c = s.container("nobin")
    last = c["lastState"] if c["state"] != "terminated" else c
    assert last["reason"] == "StartError" and last["exitCode"] == 128
    seq = s.statuses("nobin")
    assert "CrashLoopBackOff" in seq
    assert "RunContainerError" in seq and "StartError" not in seq, seq
    assert s.pod("nobin")["phase"] == "Running"


# --- images (pkg/kubelet/images/image_manager.go) --------------------------------------------

def test_missing_tag_errimagepull_imagepullbackoff_alternate():
    s = simulate(pod("bad", "  containers:\n  - name: web\n    image: nginx:1.161\n"), until=120)
    seq = s.statuses("bad")
    assert seq[:3] == ["Pending", "ContainerCreating", "ErrImagePull"], seq
    assert "ImagePullBackOff" in seq
    i = seq.index("ImagePullBackOff")
    assert "ErrImagePull" in seq[i:], seq
    p = s.pod("bad")
    assert p["phase"] == "Pending" and p["status"] in ("ErrImagePull", "ImagePullBackOff")
    assert p["containers"][0]["state"] == "waiting"


def test_missing_tag_events_texts():
    s = simulate(pod("bad", "  containers:\n  - name: web\n    image: nginx:1.161\n"), until=120)
    failed = [e["message"] for e in s.ev("Failed", "bad")]
    assert any(m.startswith('Failed to pull image "nginx:1.161": ') and "not found" in m for m in failed), failed
    assert "Error: ErrImagePull" in failed and "Error: ImagePullBackOff" in failed
    b = s.ev("BackOff", "bad")
    assert b and b[0]["message"] == 'Back-off pulling image "nginx:1.161"' and b[0]["type"] == "Normal"
    assert s.ev("Pulling", "bad")[0]["message"] == 'Pulling image "nginx:1.161"'


def test_missing_tag_pull_retry_times():
    """Pull back-off 10 s doubling; retries come on the 10–15 s pod-worker requeue: attempts at
    t, t+10..16, t+30..47 (KUBERNETES.md §5)."""
    s = simulate(pod("bad", "  containers:\n  - name: web\n    image: nginx:1.161\n"), until=120)
    pulls = s.ev_times("Pulling", "bad")
    assert len(pulls) >= 3, pulls
    t = pulls[0]
    assert t + 10 <= pulls[1] <= t + 16
    assert t + 30 <= pulls[2] <= t + 47


def test_err_image_never_pull():
    m = pod("never", "  containers:\n  - name: web\n    image: nginx:1.25\n    imagePullPolicy: Never\n")
    s = simulate(m, until=40)
    p = s.pod("never")
    assert (p["phase"], p["status"]) == ("Pending", "ErrImageNeverPull")
    e = s.ev("ErrImageNeverPull", "never")
    assert e and e[0]["type"] == "Warning"
    assert e[0]["message"] == 'Container image "nginx:1.25" is not present with pull policy of Never'
    assert not s.ev("Pulling", "never")


def test_image_already_present_on_node_no_pull():
    w = world("""    - name: node-1
      capacity: {cpu: "4", memory: 8Gi, pods: "110"}
      images: ["nginx:1.16.0"]
""")
    s = simulate(pod("cached", "  containers:\n  - name: web\n    image: nginx:1.16.0\n"), until=20, world=w)
    assert not s.ev("Pulling", "cached")
    pulled = s.ev("Pulled", "cached")
    assert pulled and pulled[0]["message"].startswith('Container image "nginx:1.16.0" already present on machine')
    assert s.pod("cached")["status"] == "Running"


def test_pulled_message_format_and_event_order():
    """Pulled: `Successfully pulled image "<img>" in <d> (<d'> including waiting). Image size: <n> bytes.`;
    then Created `Created container: <c>`, Started `Started container <c>`."""
    s = simulate("docs/nginx-deployment", until=30)
    name = s.pods[0]["name"]
    reasons = [e["reason"] for e in s.ev(obj=name)]
    assert reasons[:5] == ["Scheduled", "Pulling", "Pulled", "Created", "Started"], reasons
    m = s.ev("Pulled", name)[0]["message"]
    assert re.fullmatch(r'Successfully pulled image "nginx:1\.14\.2" in [\d.]+m?s \([\d.]+m?s including waiting\)\. '
                        r"Image size: \d+ bytes\.", m), m
    assert s.ev("Created", name)[0]["message"] == "Created container: nginx"
    assert s.ev("Started", name)[0]["message"] == "Started container nginx"
    sched = s.ev("Scheduled", name)[0]
    assert re.fullmatch(rf"Successfully assigned default/{name} to node-[123]", sched["message"])


def test_container_creating_then_running():
    s = simulate(pod("plain", "  containers:\n  - name: web\n    image: nginx:1.25\n"), until=30)
    assert s.statuses("plain") == ["Pending", "ContainerCreating", "Running"]
    p = s.pod("plain")
    assert p["conditions"] == {"PodScheduled": "True", "PodReadyToStartContainers": "True", "Initialized": "True",
                               "ContainersReady": "True", "Ready": "True"} or p["conditions"]["Ready"] == "True"
    assert s.first("plain", status="Running") <= 5


def test_private_image_missing_pull_secret():
    """private-reg-pod.yaml shape: imagePullSecrets names a missing Secret → Warning
    FailedToRetrieveImagePullSecret, the pull is tried without credentials and fails."""
    m = pod("private-reg", """  containers:
  - name: private-reg-container
    image: registry.example.com/team/app:1.0
  imagePullSecrets:
  - name: regcred
""")
    s = simulate(m, until=40)
    e = s.ev("FailedToRetrieveImagePullSecret", "private-reg")
    assert e and e[0]["type"] == "Warning"
    assert e[0]["message"] == ("Unable to retrieve some image pull secrets (regcred); attempting to pull the image "
                               "may not succeed.")
    assert s.pod("private-reg")["status"] in ("ErrImagePull", "ImagePullBackOff")


# --- OOM (containerd oomExitReason) ----------------------------------------------------------

def test_oomkilled_docs_memory_limit_2():
    s = simulate("docs/memory-request-limit-2", until=120)
    p = s.pod("memory-demo-2", "mem-example")
    c = p["containers"][0]
    assert c["lastState"] == {"state": "terminated", "reason": "OOMKilled", "exitCode": 137}
    seq = s.statuses("memory-demo-2", "mem-example")
    assert "OOMKilled" in seq and "CrashLoopBackOff" in seq
    assert p["phase"] == "Running" and p["restarts"] >= 3


def test_oomkilled_never_failed():
    m = pod("oom", """  restartPolicy: Never
  containers:
  - name: stress
    image: polinux/stress
    resources:
      limits: {memory: 100Mi}
    command: ["stress"]
    args: ["--vm", "1", "--vm-bytes", "250M", "--vm-hang", "1"]
""")
    s = simulate(m, until=30)
    p = s.pod("oom")
    assert (p["phase"], p["status"], p["restarts"]) == ("Failed", "OOMKilled", 0)
    c = p["containers"][0]
    assert (c["reason"], c["exitCode"]) == ("OOMKilled", 137)


def test_memory_under_limit_runs():
    s = simulate("docs/memory-request-limit", until=60)
    p = s.pod("memory-demo", "mem-example")
    assert (p["status"], p["ready"], p["restarts"]) == ("Running", "1/1", 0)


def test_cpu_limit_is_throttled_not_killed():
    m = """apiVersion: v1
kind: Pod
metadata:
  name: cpu-demo
  namespace: cpu-example
spec:
  containers:
  - name: cpu-demo-ctr
    image: vish/stress
    resources:
      limits:
        cpu: "1"
      requests:
        cpu: "0.5"
    args:
    - -cpus
    - "2"
"""
    s = simulate(m, until=60)
    p = s.pod("cpu-demo", "cpu-example")
    assert (p["status"], p["restarts"]) == ("Running", 0)


# --- init containers and sidecars (kuberuntime_container.go computeInitContainerActions) -------

def test_init_containers_docs_sequence():
    s = simulate("docs/init-containers", until=60)
    seq = s.statuses("init-demo")
    assert seq[:2] == ["Pending", "Init:0/1"], seq
    assert seq[-2:] == ["PodInitializing", "Running"] or seq[-1] == "Running" and "Init:0/1" in seq
    i = s.pod("init-demo")["initContainers"][0]
    assert (i["state"], i["reason"], i["exitCode"]) == ("terminated", "Completed", 0)
    assert s.pod("init-demo")["conditions"]["Initialized"] == "True"


MYAPP = """apiVersion: v1
kind: Pod
metadata:
  name: myapp-pod
  labels:
    app.kubernetes.io/name: MyApp
spec:
  containers:
  - name: myapp-container
    image: busybox:1.28
    command: ['sh', '-c', 'echo The app is running! && sleep 3600']
  initContainers:
  - name: init-myservice
    image: busybox:1.28
    command: ['sh', '-c', "until nslookup myservice.$(cat /var/run/secrets/kubernetes.io/serviceaccount/namespace).svc.cluster.local; do echo waiting for myservice; sleep 2; done"]
  - name: init-mydb
    image: busybox:1.28
    command: ['sh', '-c', "until nslookup mydb.$(cat /var/run/secrets/kubernetes.io/serviceaccount/namespace).svc.cluster.local; do echo waiting for mydb; sleep 2; done"]
"""

SERVICES = """---
apiVersion: v1
kind: Service
metadata:
  name: myservice
spec:
  ports:
  - protocol: TCP
    port: 80
    targetPort: 9376
---
apiVersion: v1
kind: Service
metadata:
  name: mydb
spec:
  ports:
  - protocol: TCP
    port: 80
    targetPort: 9377
"""


def test_init_containers_wait_for_services_init_0_of_2():
    """concepts/workloads/pods/init-containers: myapp-pod stays Init:0/2 while the Services do not exist."""
    s = simulate(MYAPP, until=90)
    p = s.pod("myapp-pod")
    assert (p["phase"], p["status"], p["ready"]) == ("Pending", "Init:0/2", "0/1")
    assert p["conditions"]["Initialized"] == "False"


def test_init_containers_proceed_after_services_created():
    from .fid import write
    svc = write(SERVICES, "myapp-services.yaml")
    s = simulate(MYAPP, until=120, at=[(30, f"kubectl apply -f {svc}")])
    seq = s.statuses("myapp-pod")
    assert seq == ["Pending", "Init:0/2", "Init:1/2", "PodInitializing", "Running"], seq
    assert 30 <= s.first("myapp-pod", status="Init:1/2") <= 33
    assert s.first("myapp-pod", status="Running") >= 30
    assert [c["state"] for c in s.pod("myapp-pod")["initContainers"]] == ["terminated", "terminated"]


def test_init_failure_never_pod_failed_init_error():
    m = pod("initfail", """  restartPolicy: Never
  initContainers:
  - name: setup
    image: busybox:1.36
    command: ["sh", "-c", "exit 1"]
  containers:
  - name: app
    image: nginx:1.25
""")
    s = simulate(m, until=40)
    p = s.pod("initfail")
    assert (p["phase"], p["status"]) == ("Failed", "Init:Error")


def test_init_failure_always_init_crashloop_pending():
    m = pod("initloop", """  initContainers:
  - name: setup
    image: busybox:1.36
    command: ["sh", "-c", "exit 1"]
  containers:
  - name: app
    image: nginx:1.25
""")
    s = simulate(m, until=100)
    p = s.pod("initloop")
    assert p["phase"] == "Pending"
    seq = s.statuses("initloop")
    assert "Init:Error" in seq and "Init:CrashLoopBackOff" in seq
    assert p["restarts"] >= 2
    assert p["containers"][0]["state"] == "waiting" and p["containers"][0]["reason"] == "PodInitializing"


def test_sidecar_counts_in_ready_and_runs_alongside():
    """SidecarContainers: restartPolicy Always init container; READY total = containers + sidecars."""
    m = pod("withsidecar", """  initContainers:
  - name: logshipper
    image: busybox:1.36
    restartPolicy: Always
    command: ["sh", "-c", "sleep 3600"]
  containers:
  - name: app
    image: nginx:1.25
""")
    s = simulate(m, until=30)
    p = s.pod("withsidecar")
    assert (p["phase"], p["status"], p["ready"]) == ("Running", "Running", "2/2")


# --- env / config (kubelet_pods.go makeEnvironmentVariables) ----------------------------------

def test_missing_secret_create_container_config_error_then_recovers():
    """kuberuntime_container.go generateContainerConfig: secret "test-secret" not found →
    CreateContainerConfigError; the pod starts once the Secret exists."""
    from .fid import write
    m = pod("secret-envars-test-pod", """  containers:
  - name: envars-test-container
    image: nginx
    env:
    - name: SECRET_USERNAME
      valueFrom:
        secretKeyRef:
          name: test-secret
          key: username
""")
    secret = write("apiVersion: v1\nkind: Secret\nmetadata:\n  name: test-secret\ndata:\n  username: bXktYXBw\n",
                   "test-secret.yaml")
    s = simulate(m, until=90, at=[(30, f"kubectl apply -f {secret}")])
    seq = s.statuses("secret-envars-test-pod")
    assert "CreateContainerConfigError" in seq and seq[-1] == "Running", seq
    f = s.ev("Failed", "secret-envars-test-pod")
    assert f and f[0]["message"] == 'Error: secret "test-secret" not found'


def test_commands_docs_completes_onfailure():
    s = simulate("docs/commands", until=30)
    p = s.pod("command-demo")
    assert (p["phase"], p["status"], p["restarts"]) == ("Succeeded", "Completed", 0)


def test_dependent_envars_docs_runs():
    s = simulate("docs/dependent-envars", until=30)
    assert s.pod("dependent-envars-demo")["status"] == "Running"


# --- nodeName admission (pkg/kubelet/lifecycle/predicate.go) ---------------------------------

def test_nodename_out_of_cpu():
    m = pod("big", """  nodeName: node-1
  containers:
  - name: web
    image: nginx:1.25
    resources:
      requests: {cpu: "5"}
""")
    s = simulate(m, until=20)
    p = s.pod("big")
    assert (p["phase"], p["status"], p["node"]) == ("Failed", "OutOfcpu", "node-1")
    e = s.ev("OutOfcpu", "big")
    assert e and e[0]["type"] == "Warning"
    assert e[0]["message"] == "Node didn't have enough resource: cpu, requested: 5000, used: 0, capacity: 4000"
    assert not s.ev("Scheduled", "big") and not s.ev("Pulling", "big")


def test_nodename_out_of_cpu_from_limits_default():
    """SetDefaults_Pod: requests default to limits → limits cpu 5 is a 5-CPU request."""
    m = pod("lim", "  nodeName: node-2\n  containers:\n  - name: web\n    image: nginx:1.25\n"
                   "    resources:\n      limits: {cpu: \"5\"}\n")
    s = simulate(m, until=20)
    assert s.pod("lim")["status"] == "OutOfcpu"


def test_nodename_out_of_memory_counts_used():
    m = (pod("first", "  nodeName: node-1\n  containers:\n  - name: web\n    image: nginx:1.25\n"
                      "    resources:\n      requests: {memory: 6Gi}\n")
         + "---\n" +
         pod("second", "  nodeName: node-1\n  containers:\n  - name: web\n    image: nginx:1.25\n"
                       "    resources:\n      requests: {memory: 4Gi}\n"))
    s = simulate(m, until=20)
    assert s.pod("first")["status"] == "Running"
    p = s.pod("second")
    assert (p["phase"], p["status"]) == ("Failed", "OutOfmemory")
    assert s.ev("OutOfmemory", "second")[0]["message"] == (
        "Node didn't have enough resource: memory, requested: 4294967296, used: 6442450944, capacity: 8589934592")


def test_nodename_unknown_node_stays_pending():
    """pods/pod-nginx-specific-node.yaml: nodeName foo-node does not exist → Pending, never scheduled."""
    m = pod("nginx", "  nodeName: foo-node\n  containers:\n  - name: nginx\n    image: nginx\n"
                     "    imagePullPolicy: IfNotPresent\n")
    s = simulate(m, until=30)
    p = s.pod("nginx")
    assert (p["phase"], p["status"]) == ("Pending", "Pending")
    assert not s.ev("Scheduled", "nginx") and not s.ev("FailedScheduling", "nginx")


def test_nodename_bypasses_noschedule_taint_and_cordon():
    w = world("""    - name: node-1
      capacity: {cpu: "4", memory: 8Gi, pods: "110"}
      taints: [{key: dedicated, value: gpu, effect: NoSchedule}]
      unschedulable: true
""")
    m = pod("pinned", "  nodeName: node-1\n  containers:\n  - name: web\n    image: nginx:1.25\n")
    s = simulate(m, until=20, world=w)
    assert s.pod("pinned")["status"] == "Running"


def test_nodename_noexecute_taint_rejected():
    """predicate.go generalFilter: untolerated NoExecute → TaintToleration rejection."""
    w = world("""    - name: node-1
      capacity: {cpu: "4", memory: 8Gi, pods: "110"}
      taints: [{key: evict, value: "yes", effect: NoExecute}]
""")
    m = pod("pinned", "  nodeName: node-1\n  containers:\n  - name: web\n    image: nginx:1.25\n")
    s = simulate(m, until=20, world=w)
    p = s.pod("pinned")
    assert (p["phase"], p["status"]) == ("Failed", "TaintToleration")
    assert s.ev("TaintToleration", "pinned")[0]["message"] == (
        "Predicate TaintToleration failed: node(s) had taints that the pod didn't tolerate")


# --- termination (kuberuntime_container.go killContainer, kubectl delete) ---------------------

def _deleted_at(s, name):
    p = s.pod(name)
    assert p["deleted"], p
    return p["deletedAt"]


def test_delete_nginx_terminating_then_gone_quickly():
    s = simulate(pod("web", "  containers:\n  - name: web\n    image: nginx:1.25\n"), until=90,
                 at=[(30, "kubectl delete pod web")])
    assert s.first("web", status="Terminating") == 30
    assert 30 <= _deleted_at(s, "web") <= 33
    k = s.ev("Killing", "web")
    assert k and k[0]["message"] == "Stopping container web" and k[0]["time"] == 30


def test_delete_sigterm_ignoring_pod_waits_grace_30():
    s = simulate(busybox("sleeper", "sleep 3600"), until=120, at=[(30, "kubectl delete pod sleeper")])
    assert 59 <= _deleted_at(s, "sleeper") <= 63
    rows = [r for r in s.rows("sleeper") if 31 <= r["time"] < 59]
    assert all(r["status"] == "Terminating" for r in rows)


def test_delete_termination_grace_period_10():
    s = simulate(busybox("sleeper", "sleep 3600", extra="").replace("spec:\n", "spec:\n  terminationGracePeriodSeconds: 10\n"),
                 until=90, at=[(30, "kubectl delete pod sleeper")])
    assert 39 <= _deleted_at(s, "sleeper") <= 43


def test_delete_grace_period_flag():
    s = simulate(busybox("sleeper", "sleep 3600"), until=90, at=[(30, "kubectl delete pod sleeper --grace-period=5")])
    assert 34 <= _deleted_at(s, "sleeper") <= 38


def test_delete_now_is_grace_1_with_2s_minimum():
    """delete.go: --now = grace 1; killContainer: grace < 2 → 2 (minimumGracePeriodInSeconds)."""
    s = simulate(busybox("sleeper", "sleep 3600"), until=90, at=[(30, "kubectl delete pod sleeper --now")])
    assert 31 <= _deleted_at(s, "sleeper") <= 34


def test_delete_force_grace_0_immediate():
    s = simulate(busybox("sleeper", "sleep 3600"), until=90,
                 at=[(30, "kubectl delete pod sleeper --grace-period=0 --force")])
    assert _deleted_at(s, "sleeper") == 30


def test_prestop_sleep_delays_sigterm():
    """executePreStopHook runs first: preStop sleep 5 then nginx exits on SIGTERM → gone ≈ D+5."""
    m = pod("hooked", """  containers:
  - name: web
    image: nginx:1.25
    lifecycle:
      preStop:
        exec: {command: ["sh", "-c", "sleep 5"]}
""")
    s = simulate(m, until=90, at=[(30, "kubectl delete pod hooked")])
    assert 35 <= _deleted_at(s, "hooked") <= 38


def test_prestop_longer_than_grace_gets_2s_extension():
    """preStop sleep 60, grace 10, SIGTERM ignored → SIGTERM at D+10, SIGKILL at ≈ D+12."""
    m = pod("stuck", """  terminationGracePeriodSeconds: 10
  containers:
  - name: app
    image: busybox:1.36
    command: ["sh", "-c", "sleep 3600"]
    lifecycle:
      preStop:
        exec: {command: ["sh", "-c", "sleep 60"]}
""")
    s = simulate(m, until=90, at=[(30, "kubectl delete pod stuck")])
    assert 41 <= _deleted_at(s, "stuck") <= 44


def test_lifecycle_events_docs_prestop_quits_nginx():
    m = pod("lifecycle-demo", """  containers:
  - name: lifecycle-demo-container
    image: nginx
    lifecycle:
      postStart:
        exec:
          command: ["/bin/sh", "-c", "echo Hello from the postStart handler > /usr/share/message"]
      preStop:
        exec:
          command: ["/bin/sh","-c","nginx -s quit; while killall -0 nginx; do sleep 1; done"]
""")
    s = simulate(m, until=60, at=[(20, "kubectl delete pod lifecycle-demo")])
    assert s.first("lifecycle-demo", status="Running") is not None
    assert not s.ev("FailedPostStartHook", "lifecycle-demo")
    assert 20 <= _deleted_at(s, "lifecycle-demo") <= 25


def test_deleted_pod_keeps_last_row_and_deleted_flag():
    s = simulate(pod("web", "  containers:\n  - name: web\n    image: nginx:1.25\n"), until=60,
                 at=[(30, "kubectl delete pod web")])
    rows = s.rows("web")
    assert rows[-1]["deleted"] is True
    assert [r["time"] for r in rows] == sorted(r["time"] for r in rows)
    assert s.pod("web")["deletedAt"] == rows[-1]["time"]


def test_scheduling_gates_docs():
    """pods/pod-with-scheduling-gates.yaml: STATUS SchedulingGated, PodScheduled False."""
    m = pod("test-pod", """  schedulingGates:
  - name: example.com/foo
  - name: example.com/bar
  containers:
  - name: pause
    image: registry.k8s.io/pause:3.6
""")
    s = simulate(m, until=20)
    p = s.pod("test-pod")
    assert (p["phase"], p["status"], p["node"]) == ("Pending", "SchedulingGated", None)
    assert p["conditions"]["PodScheduled"] == "False"


def test_same_seed_same_output():
    from .fid import cli, path_of
    a = cli("simulate", path_of("docs/nginx-deployment"), "--format", "json", "--until", "60", "--seed", "7")
    b = cli("simulate", path_of("docs/nginx-deployment"), "--format", "json", "--until", "60", "--seed", "7")
    assert a == b


# --- more kubelet scenarios -------------------------------------------------------------------

REDIS = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: redis\nspec:\n  containers:\n  - name: redis\n    image: {image}\n"


def test_exec_kill_1_redis_restarts_completed():
    """`kubectl exec redis -- kill 1`: redis exits 0 on SIGTERM → Completed, restarted at once
    (first restart, no back-off entry) → Running, RESTARTS 1, lastState Completed 0."""
    s = simulate(REDIS.format(image="redis:7"), until=60, at=[(20, "kubectl exec redis -- kill 1")])
    seq = s.statuses("redis")
    assert seq[-2:] == ["Completed", "Running"], seq
    rt = s.restart_times("redis")
    assert len(rt) == 1 and 20 <= rt[0] <= 22
    c = s.container("redis")
    assert c["lastState"] == {"state": "terminated", "reason": "Completed", "exitCode": 0}
    assert s.pod("redis")["phase"] == "Running"


def test_exec_kill_1_redis_latest_restarts_quickly():
    s = simulate(REDIS.format(image="redis"), until=60, at=[(20, "kubectl exec redis -- kill 1")])
    rt = s.restart_times("redis")
    assert len(rt) == 1 and 20 <= rt[0] <= 22


def test_one_of_two_containers_crashing():
    m = pod("half", """  containers:
  - name: good
    image: nginx:1.25
  - name: bad
    image: busybox:1.36
    command: ["sh", "-c", "exit 2"]
""")
    s = simulate(m, until=90)
    p = s.pod("half")
    assert (p["phase"], p["status"], p["ready"]) == ("Running", "CrashLoopBackOff", "1/2")
    assert p["restarts"] >= 3
    bad = s.container("half", "bad")
    assert bad["lastState"] == {"state": "terminated", "reason": "Error", "exitCode": 2}
    assert p["conditions"]["Ready"] == "False"


def test_succeeded_pod_conditions():
    """status/generate.go: terminal pod → ContainersReady/Ready False (reason PodCompleted); Initialized True."""
    s = simulate(busybox("job", "true", restart="Never"), until=30)
    c = s.pod("job")["conditions"]
    assert c["PodScheduled"] == "True" and c["Initialized"] == "True"
    assert c["ContainersReady"] == "False" and c["Ready"] == "False"


def test_pending_unscheduled_pod_has_no_container_states():
    s = simulate(pod("nowhere", "  nodeSelector: {disktype: ssd}\n  containers:\n  - name: web\n    image: nginx:1.25\n"),
                 until=20)
    p = s.pod("nowhere")
    assert (p["phase"], p["status"], p["ready"], p["restarts"], p["node"]) == ("Pending", "Pending", "0/1", 0, None)


def test_timeline_first_row_at_creation():
    s = simulate(pod("plain", "  containers:\n  - name: web\n    image: nginx:1.25\n"), until=20)
    r = s.rows("plain")[0]
    assert (r["time"], r["phase"], r["status"], r["ready"], r["restarts"], r["node"], r["deleted"]) == \
        (0.0, "Pending", "Pending", "0/1", 0, None, False)


def test_env_from_missing_configmap_key():
    """makeEnvironmentVariables: configMapKeyRef to a missing ConfigMap → CreateContainerConfigError,
    `Error: configmap "special-config" not found`."""
    m = pod("cm-env", """  containers:
  - name: app
    image: busybox:1.36
    command: ["sh", "-c", "sleep 3600"]
    env:
    - name: SPECIAL_LEVEL_KEY
      valueFrom:
        configMapKeyRef:
          name: special-config
          key: special.how
""")
    s = simulate(m, until=30)
    assert s.pod("cm-env")["status"] == "CreateContainerConfigError"
    f = s.ev("Failed", "cm-env")
    assert f and f[0]["message"] == 'Error: configmap "special-config" not found'


def test_optional_missing_configmap_is_fine():
    m = pod("cm-opt", """  containers:
  - name: app
    image: busybox:1.36
    command: ["sh", "-c", "sleep 3600"]
    env:
    - name: SPECIAL_LEVEL_KEY
      valueFrom:
        configMapKeyRef:
          name: special-config
          key: special.how
          optional: true
""")
    s = simulate(m, until=30)
    assert s.pod("cm-opt")["status"] == "Running"


def test_liveness_probe_termination_grace_period_override():
    """setTerminationGracePeriod: probe.terminationGracePeriodSeconds replaces the pod's 30 s for a
    liveness kill; sh ignores SIGTERM → dies at the probe grace (5 s)."""
    m = pod("quickkill", """  containers:
  - name: app
    image: busybox:1.36
    command: ["sh", "-c", "sleep 3600"]
    livenessProbe:
      exec: {command: ["cat", "/nope"]}
      periodSeconds: 5
      failureThreshold: 1
      terminationGracePeriodSeconds: 5
""")
    s = simulate(m, until=40)
    kill = s.ev_times("Killing", "quickkill")[0]
    rt = s.restart_times("quickkill")
    assert rt and kill + 5 <= rt[0] <= kill + 7


POSTSTART_FAIL = pod("hookfail", """  containers:
  - name: web
    image: nginx:1.25
    lifecycle:
      postStart:
        exec: {command: ["sh", "-c", "exit 1"]}
""")


def test_poststart_failure_events():
    """kuberuntime_container.go startContainer: Warning FailedPostStartHook `PostStartHook failed`
    (the handler output is not recorded), kill with message `FailedPostStartHook`."""
    s = simulate(POSTSTART_FAIL, until=60)
    f = s.ev("FailedPostStartHook", "hookfail")
    assert f and f[0]["type"] == "Warning" and f[0]["message"] == "PostStartHook failed"
    k = s.ev("Killing", "hookfail")
    assert k and k[0]["message"] == "FailedPostStartHook"


def test_poststart_failure_status_and_backoff():
    """startContainer returns ErrPostStartHook → reasonCache PostStartHookError is the waiting reason
    (convertToAPIContainerStatuses); restarts follow doBackOff like any exit: the first at the next
    sync (PLEG ≈1 s), then 10 s, 20 s."""
    s = simulate(POSTSTART_FAIL, until=60)
    st = s.started("hookfail")
    assert "PostStartHookError" in s.statuses("hookfail")
    rt = s.restart_times("hookfail")
    assert len(rt) >= 3
    for k, (lo, hi) in enumerate([(0.5, 2), (10, 17), (30, 52)]):
        assert st + lo <= rt[k] <= st + hi, (k + 1, rt, st)


def test_prestop_failure_event():
    s = simulate(pod("stopfail", """  containers:
  - name: web
    image: nginx:1.25
    lifecycle:
      preStop:
        exec: {command: ["sh", "-c", "exit 3"]}
"""), until=60, at=[(20, "kubectl delete pod stopfail")])
    f = s.ev("FailedPreStopHook", "stopfail")
    assert f and f[0]["type"] == "Warning" and f[0]["message"] == "PreStopHook failed" and f[0]["time"] == 20
    assert 20 <= s.pod("stopfail")["deletedAt"] <= 23


def test_apply_new_image_restarts_container_in_place():
    """computePodActions: container spec hash changed → `Container web definition changed, will be
    restarted`; same pod, RESTARTS 1, new image pulled."""
    from .fid import write
    v1 = write(pod("web", "  containers:\n  - name: web\n    image: nginx:1.25\n"), "web-v1.yaml")
    v2 = write(pod("web", "  containers:\n  - name: web\n    image: nginx:1.26\n"), "web-v2.yaml")
    s = simulate(v1, until=60, at=[(30, f"kubectl apply -f {v2}")])
    k = s.ev("Killing", "web")
    assert k and k[0]["message"] == "Container web definition changed, will be restarted" and k[0]["time"] == 30
    assert s.ev("Pulling", "web")[-1]["message"] == 'Pulling image "nginx:1.26"'
    p = s.pod("web")
    assert (p["status"], p["restarts"]) == ("Running", 1)


def test_apply_forbidden_pod_update_rejected():
    from .fid import cli, write
    v1 = write(pod("web", "  containers:\n  - name: web\n    image: nginx:1.25\n"), "web-v1.yaml")
    v3 = write(pod("web", "  containers:\n  - name: web\n    image: nginx:1.25\n    command: [\"sleep\", \"1\"]\n"),
               "web-v3.yaml")
    rc, out, err = cli("simulate", v1, "--until", "60", "--at", "30", f"kubectl apply -f {v3}")
    assert rc == 0
    assert ('The Pod "web" is invalid: spec: Forbidden: pod updates may not change fields other than '
            "`spec.containers[*].image`") in out


def test_init_container_image_missing():
    m = pod("initimg", "  initContainers:\n  - name: setup\n    image: nginx:1.161\n  containers:\n"
                       "  - name: web\n    image: nginx:1.25\n")
    s = simulate(m, until=60)
    seq = s.statuses("initimg")
    assert "Init:ErrImagePull" in seq and "Init:ImagePullBackOff" in seq, seq
    assert s.pod("initimg")["phase"] == "Pending"


def test_delete_pending_pods_immediate():
    """Unscheduled pods, and pods whose containers never ran, go at once (no running container to stop)."""
    s = simulate(pod("pend", "  nodeSelector: {a: b}\n  containers:\n  - name: web\n    image: nginx:1.25\n"),
                 until=60, at=[(20, "kubectl delete pod pend")])
    assert s.pod("pend")["deletedAt"] == 20
    s = simulate(pod("ipb", "  containers:\n  - name: web\n    image: nginx:1.161\n"), until=60,
                 at=[(20, "kubectl delete pod ipb")])
    assert 20 <= s.pod("ipb")["deletedAt"] <= 22


def test_durations_in_until_and_at():
    """CONTRACTS: durations accept 90, 90s, 2m, 1m30s."""
    s = simulate(pod("web", "  containers:\n  - name: web\n    image: nginx:1.25\n"), until="2m",
                 at=[("1m30s", "kubectl delete pod web")])
    assert s.data["until"] == 120.0
    assert s.first("web", status="Terminating") == 90


def test_liveness_failure_restart_never_no_restart_suffix():
    """computePodActions: with restartPolicy Never the kill message has no `, will be restarted`;
    sh ignores SIGTERM → exit 137 after the 30 s grace; phase Failed."""
    m = pod("nl", """  restartPolicy: Never
  containers:
  - name: app
    image: busybox:1.36
    command: ["sh", "-c", "sleep 3600"]
    livenessProbe:
      exec: {command: ["cat", "/nope"]}
      periodSeconds: 5
      failureThreshold: 1
""")
    s = simulate(m, until=90)
    k = s.ev("Killing", "nl")
    assert k and k[0]["message"] == "Container app failed liveness probe"
    p = s.pod("nl")
    assert (p["phase"], p["status"], p["restarts"]) == ("Failed", "Error", 0)
    c = p["containers"][0]
    assert (c["state"], c["exitCode"]) == ("terminated", 137)
    died = s.first("nl", status="Error")
    assert k[0]["time"] + 29 <= died <= k[0]["time"] + 32


def test_terminating_pod_stays_ready_while_container_runs():
    """Readiness during termination: prober worker.go stops only liveness/startup on deletion;
    without a readiness probe `ready = running` (prober_manager UpdatePodStatus), so a SIGTERM-ignoring
    container shows `1/1 Terminating` until SIGKILL (kubernetes/kubernetes#102537: 'remains READY state
    until just before it gets terminated'). EndpointSlices drop it (ready:false, terminating:true)."""
    s = simulate(busybox("sleeper", "sleep 3600"), until=45, at=[(30, "kubectl delete pod sleeper")])
    p = s.pod("sleeper")
    assert (p["status"], p["ready"]) == ("Terminating", "1/1")
    assert p["conditions"]["Ready"] == "True"


def test_terminal_pod_sandbox_condition_false():
    """status/generate.go GeneratePodReadyToStartContainersCondition: True only while a ready sandbox
    exists (PodSandboxChanged false); SyncTerminatingPod stops the sandbox of a finished pod."""
    s = simulate(busybox("job", "true", restart="Never"), until=30)
    assert s.pod("job")["conditions"] == {"PodScheduled": "True", "PodReadyToStartContainers": "False",
                                          "Initialized": "True", "ContainersReady": "False", "Ready": "False"}


def test_unscheduled_pod_has_only_pod_scheduled_condition():
    s = simulate(pod("nowhere", "  nodeSelector: {disktype: ssd}\n  containers:\n  - name: web\n    image: nginx:1.25\n"),
                 until=20)
    assert s.pod("nowhere")["conditions"] == {"PodScheduled": "False"}
    assert s.pod("nowhere")["containers"] == []


def test_rejected_pod_has_no_container_statuses():
    """kubelet.go rejectPod: status = {Phase Failed, Reason, Message 'Pod was rejected: ...'} only."""
    s = simulate(pod("big", "  nodeName: node-1\n  containers:\n  - name: web\n    image: nginx:1.25\n"
                            "    resources:\n      requests: {cpu: \"5\"}\n"), until=20)
    p = s.pod("big")
    assert p["containers"] == [] and p["ready"] == "0/1" and p["restarts"] == 0


def test_second_pull_of_same_image_on_node_is_quick():
    from .test_controllers import deployment
    s = simulate(deployment("web", replicas=6, image="nginx:1.14.2"), until=30)
    running = sorted(s.first(p["name"], status="Running") for p in s.pods)
    assert running[-1] - running[0] <= 1.5, running


def test_readiness_gate_keeps_pod_not_ready():
    """status/generate.go GeneratePodReadyCondition: a readiness gate whose condition does not exist →
    Ready False (ReadinessGatesNotReady); ContainersReady True; READY column still 1/1, STATUS Running."""
    m = pod("rg", "  readinessGates:\n  - conditionType: example.com/feature-1\n  containers:\n  - name: web\n"
                  "    image: nginx:1.25\n")
    s = simulate(m, until=20)
    p = s.pod("rg")
    assert (p["status"], p["ready"]) == ("Running", "1/1")
    assert p["conditions"]["ContainersReady"] == "True" and p["conditions"]["Ready"] == "False"


def test_active_deadline_seconds():
    """kubelet active deadline handler: Warning DeadlineExceeded `Pod was active on the node longer than the
    specified deadline`, pod Failed (printPod then shows the container's terminated reason)."""
    s = simulate(busybox("dl", "sleep 3600").replace("spec:\n", "spec:\n  activeDeadlineSeconds: 20\n"), until=80)
    e = s.ev("DeadlineExceeded", "dl")
    assert e and e[0]["type"] == "Warning"
    assert e[0]["message"] == "Pod was active on the node longer than the specified deadline"
    assert 20 <= e[0]["time"] <= 22
    assert s.pod("dl")["phase"] == "Failed"
    assert "DeadlineExceeded" in s.statuses("dl")


def test_init_container_oomkilled():
    m = pod("oomi", """  initContainers:
  - name: s
    image: polinux/stress
    resources: {limits: {memory: 100Mi}}
    command: ["stress"]
    args: ["--vm", "1", "--vm-bytes", "250M", "--vm-hang", "1"]
  containers:
  - name: web
    image: nginx:1.25
""")
    s = simulate(m, until=60)
    seq = s.statuses("oomi")
    assert "Init:OOMKilled" in seq and "Init:CrashLoopBackOff" in seq
    assert s.pod("oomi")["phase"] == "Pending"


def test_backoff_resets_after_ten_minutes_of_running():
    """flowcontrol/backoff.go hasExpired: an instance that ran > 2×300 s resets the back-off → the
    restart after each 700 s run is immediate."""
    s = simulate(busybox("long", "sleep 700; exit 1"), until=2200)
    st = s.started("long")
    rt = s.restart_times("long")
    assert len(rt) == 3
    prev = st
    for r in rt:
        assert prev + 700 <= r <= prev + 703, (st, rt)
        prev = r


def test_private_registry_with_dockerconfigjson_secret_pulls():
    import base64
    import json
    cfg = {"auths": {"registry.example.com": {"username": "u", "password": "p",
                                              "auth": base64.b64encode(b"u:p").decode()}}}
    sec = ("apiVersion: v1\nkind: Secret\nmetadata:\n  name: regcred\ntype: kubernetes.io/dockerconfigjson\ndata:\n"
           "  .dockerconfigjson: " + base64.b64encode(json.dumps(cfg).encode()).decode() + "\n")
    m = pod("private-reg", "  containers:\n  - name: private-reg-container\n    image: registry.example.com/team/app:1.0\n"
                           "  imagePullSecrets:\n  - name: regcred\n")
    s = simulate(sec + "---\n" + m, until=30)
    assert s.pod("private-reg")["status"] == "Running"
    assert not s.ev("Failed", "private-reg")
    s = simulate(m.replace("  imagePullSecrets:\n  - name: regcred\n", ""), until=30)
    assert s.pod("private-reg")["status"] in ("ErrImagePull", "ImagePullBackOff")


def test_readiness_success_threshold():
    """worker.go: successThreshold 3 → Ready after the 3rd consecutive success (first probe is triggered
    as soon as the container runs, manualTriggerCh; then the period ticker)."""
    m = pod("st", "  containers:\n  - name: web\n    image: nginx:1.25\n    readinessProbe:\n"
                  "      httpGet: {path: /, port: 80}\n      periodSeconds: 5\n      successThreshold: 3\n")
    s = simulate(m, until=40)
    st = s.started("st")
    assert st + 5 <= s.first("st", ready="1/1") <= st + 12


def test_delete_grace_period_zero_without_force_is_one():
    """delete.go: --grace-period=0 without --force becomes 1; killContainer raises it to 2 s."""
    s = simulate(busybox("sleeper", "sleep 3600"), until=90, at=[(30, "kubectl delete pod sleeper --grace-period=0")])
    assert 31 <= s.pod("sleeper")["deletedAt"] <= 34


def test_var_expansion_order_and_escape():
    """third_party/forked/golang/expansion: env values see only earlier vars ($(Z) defined later stays
    literal), $$ escapes, command/args see the full env. The shell test passes only if all hold."""
    m = pod("exp", """  restartPolicy: Never
  containers:
  - name: c
    image: busybox:1.36
    env:
    - {name: A, value: x}
    - {name: B, value: "$(A)"}
    - {name: C, value: "$(Z)"}
    - {name: Z, value: z}
    command: ["sh", "-c"]
    args: ["[ \\"$B\\" = x ] && [ \\"$C\\" = '$$(Z)' ] && [ \\"$(Z)\\" = z ]"]
""")
    s = simulate(m, until=30)
    assert (s.pod("exp")["phase"], s.pod("exp")["status"]) == ("Succeeded", "Completed")


def test_init_statuses_keep_spec_order_and_sidecar_counts_in_init_total():
    """printPod: Init:<i>/<N> with N counting sidecars; init container statuses keep spec order."""
    m = pod("order", """  initContainers:
  - name: zz-side
    image: busybox:1.36
    restartPolicy: Always
    command: ["sh", "-c", "sleep 3600"]
  - name: aa-wait
    image: busybox:1.36
    command: ["sh", "-c", "sleep 3600"]
  containers:
  - name: main
    image: nginx:1.25
""")
    s = simulate(m, until=30)
    p = s.pod("order")
    assert [c["name"] for c in p["initContainers"]] == ["zz-side", "aa-wait"]
    assert p["status"] == "Init:1/2"
    assert p["ready"] == "1/2"


# --- API-server admission ----------------------------------------------------------------------

def test_unknown_priority_class_is_forbidden():
    """plugin/pkg/admission/priority: `pods "pc" is forbidden: no PriorityClass with name nope was found`;
    kubectl apply fails (simulate: exit 1 at t=0, or the pod never exists)."""
    from .fid import cli, write
    m = pod("pc", "  priorityClassName: nope\n  containers:\n  - name: web\n    image: nginx:1.25\n")
    rc, out, err = cli("simulate", write(m), "--until", "10", "--format", "json")
    text = out + err
    assert 'no PriorityClass with name nope was found' in text or (rc == 0 and '"name": "pc"' not in out)


def test_resource_quota_pods_limits_replicaset():
    """plugin/pkg/admission/resourcequota: the 3rd pod of the Deployment is forbidden; the ReplicaSet
    records Warning FailedCreate `Error creating: pods "<name>" is forbidden: exceeded quota: pods-quota,
    requested: pods=1, used: pods=2, limited: pods=2`."""
    from .fid import path_of
    rq = "apiVersion: v1\nkind: ResourceQuota\nmetadata:\n  name: pods-quota\nspec:\n  hard:\n    pods: \"2\"\n---\n"
    s = simulate(rq + open(path_of("docs/nginx-deployment")).read(), until=30)
    assert len(s.pods) == 2
    fc = s.ev("FailedCreate")
    assert fc and "exceeded quota: pods-quota, requested: pods=1, used: pods=2, limited: pods=2" in fc[0]["message"]


def test_exec_touch_makes_pod_ready():
    """`kubectl exec` changes the container's file system; the next readiness probe tick sees it."""
    m = pod("gate", """  containers:
  - name: app
    image: busybox:1.36
    command: ["sh", "-c", "sleep 3600"]
    readinessProbe:
      exec: {command: ["cat", "/tmp/ready"]}
      periodSeconds: 5
""")
    s = simulate(m, until=60, at=[(30, "kubectl exec gate -- touch /tmp/ready")])
    ready = s.first("gate", ready="1/1")
    assert ready is not None and 30 <= ready <= 36
    assert s.first("gate", status="Running", ready="0/1") < 30


def test_exec_rm_triggers_liveness_kill():
    m = pod("alive", """  containers:
  - name: app
    image: busybox:1.36
    command: ["sh", "-c", "touch /tmp/healthy; sleep 3600"]
    livenessProbe:
      exec: {command: ["cat", "/tmp/healthy"]}
      periodSeconds: 5
      failureThreshold: 3
""")
    s = simulate(m, until=90, at=[(30, "kubectl exec alive -- rm /tmp/healthy")])
    k = s.ev("Killing", "alive")
    assert k and 30 + 10 <= k[0]["time"] <= 30 + 15


def test_docs_pod_with_http_healthcheck_nginx_404_restarts():
    """pods/probe/pod-with-http-healthcheck.yaml: nginx has no /_status/healthz → 404 → liveness fails
    from the first probe after the 30 s delay (period 10, threshold 3) → kill at ≈ s+50..s+61."""
    m = """apiVersion: v1
kind: Pod
metadata:
  name: pod-with-http-healthcheck
spec:
  containers:
  - name: nginx
    image: nginx
    livenessProbe:
      httpGet:
        path: /_status/healthz
        port: 80
      initialDelaySeconds: 30
      timeoutSeconds: 1
    ports:
    - containerPort: 80
"""
    s = simulate(m, until=120)
    st = s.started("pod-with-http-healthcheck")
    u = s.ev("Unhealthy", "pod-with-http-healthcheck")
    assert u and u[0]["message"] == "Liveness probe failed: HTTP probe failed with statuscode: 404"
    k = s.ev("Killing", "pod-with-http-healthcheck")
    assert k and st + 50 <= k[0]["time"] <= st + 61
    assert s.pod("pod-with-http-healthcheck")["restarts"] >= 1


def test_docs_pod_with_tcp_socket_healthcheck_redis_healthy():
    m = """apiVersion: v1
kind: Pod
metadata:
  name: pod-with-tcp-socket-healthcheck
spec:
  containers:
  - name: redis
    image: redis
    livenessProbe:
      tcpSocket:
        port: 6379
      initialDelaySeconds: 30
      timeoutSeconds: 1
    ports:
    - containerPort: 6379
"""
    s = simulate(m, until=120)
    p = s.pod("pod-with-tcp-socket-healthcheck")
    assert (p["status"], p["ready"], p["restarts"]) == ("Running", "1/1", 0)
    assert not s.ev("Unhealthy")


def test_docs_qos_pods_run():
    for name, ns, res in [("qos-demo-2", "qos-example", "limits: {memory: 200Mi}\n        requests: {memory: 100Mi}")]:
        m = (f"apiVersion: v1\nkind: Pod\nmetadata:\n  name: {name}\n  namespace: {ns}\nspec:\n  containers:\n"
             f"  - name: c\n    image: nginx\n    resources:\n        {res}\n")
        s = simulate(m, until=20)
        assert s.pod(name, ns)["status"] == "Running"


@pytest.mark.parametrize("first,second,expected", [
    ("exit 1", "sleep 3600", ("Running", "Error", "1/2")),
    ("sleep 3600", "exit 1", ("Running", "Error", "1/2")),
    ("exit 0", "exit 1", ("Failed", "Completed", "0/2")),
    ("exit 1", "exit 0", ("Failed", "Error", "0/2")),
])
def test_printpod_reason_of_alphabetically_first_container_wins(first, second, expected):
    """printers.go printPod walks name-sorted statuses from last to first, so container `a`'s terminated
    reason is the one shown; getPhase: any running → Running; all stopped with a failure (Never) → Failed."""
    m = pod("mix", f"""  restartPolicy: Never
  containers:
  - name: a
    image: busybox:1.36
    command: ["sh", "-c", "{first}"]
  - name: b
    image: busybox:1.36
    command: ["sh", "-c", "{second}"]
""")
    s = simulate(m, until=30)
    p = s.pod("mix")
    assert (p["phase"], p["status"], p["ready"]) == expected


def test_prestop_sleep_action_and_http_hook():
    """PodLifecycleSleepAction: `preStop: {sleep: {seconds: 5}}` delays SIGTERM 5 s; an httpGet preStop that
    answers is instant; one that cannot connect gives Warning FailedPreStopHook `PreStopHook failed`."""
    m = pod("sl", "  containers:\n  - name: web\n    image: nginx:1.25\n    lifecycle:\n      preStop:\n"
                  "        sleep:\n          seconds: 5\n")
    assert 25 <= simulate(m, until=60, at=[(20, "kubectl delete pod sl")]).pod("sl")["deletedAt"] <= 27
    ok = pod("hg", "  containers:\n  - name: web\n    image: nginx:1.25\n    lifecycle:\n      preStop:\n"
                   "        httpGet:\n          path: /\n          port: 80\n")
    s = simulate(ok, until=60, at=[(20, "kubectl delete pod hg")])
    assert 20 <= s.pod("hg")["deletedAt"] <= 22 and not s.ev("FailedPreStopHook")
    bad = ok.replace("port: 80", "port: 9999").replace("name: hg", "name: hg2")
    s = simulate(bad, until=60, at=[(20, "kubectl delete pod hg2")])
    f = s.ev("FailedPreStopHook", "hg2")
    assert f and f[0]["message"] == "PreStopHook failed"


def test_container_state_while_creating():
    """kubelet_pods.go convertToAPIContainerStatuses: default waiting reason ContainerCreating while the
    sandbox is made and the image pulls."""
    s = simulate(pod("early", "  containers:\n  - name: web\n    image: nginx:1.25\n"), until=2)
    p = s.pod("early")
    assert (p["phase"], p["status"], p["ready"]) == ("Pending", "ContainerCreating", "0/1")
    c = p["containers"][0]
    assert (c["state"], c["reason"], c["exitCode"], c["restartCount"], c["ready"], c["lastState"]) == \
        ("waiting", "ContainerCreating", None, 0, False, None)
    assert p["conditions"]["PodScheduled"] == "True" and p["conditions"]["Ready"] == "False"


def test_crashloop_container_state_fields():
    s = simulate(busybox("crash", "exit 1"), until=60)
    c = s.container("crash")
    assert (c["state"], c["reason"], c["exitCode"], c["ready"]) == ("waiting", "CrashLoopBackOff", None, False)
    assert c["restartCount"] == s.pod("crash")["restarts"] >= 3


def test_limitrange_defaults_applied():
    """plugin/pkg/admission/limitranger: docs admin/resource/memory-defaults.yaml → a container without
    resources gets requests.memory 256Mi / limits.memory 512Mi, so the node's allocated memory is 256Mi."""
    lr = """apiVersion: v1
kind: LimitRange
metadata:
  name: mem-limit-range
spec:
  limits:
  - default:
      memory: 512Mi
    defaultRequest:
      memory: 256Mi
    type: Container
---
apiVersion: v1
kind: Pod
metadata:
  name: default-mem-demo
spec:
  containers:
  - name: default-mem-demo-ctr
    image: nginx
"""
    s = simulate(lr, until=10)
    node = s.pod("default-mem-demo")["node"]
    assert s.node(node)["allocated"]["memory"] == "256Mi"


def test_terminal_phase_written_before_removal():
    """kubelet SyncTerminatedPod: the final status has a terminal phase from the container exits (getPhase
    with podIsTerminal): SIGKILLed sh (137) → Failed/Error; nginx exiting 0 on SIGTERM → Succeeded/Completed."""
    s = simulate(busybox("sleeper", "sleep 3600"), until=120, at=[(30, "kubectl delete pod sleeper")])
    last = [r for r in s.rows("sleeper") if not r["deleted"]][-1]
    assert (last["phase"], last["status"]) == ("Failed", "Error")
    s = simulate(pod("web", "  containers:\n  - name: web\n    image: nginx:1.25\n"), until=60,
                 at=[(30, "kubectl delete pod web")])
    last = [r for r in s.rows("web") if not r["deleted"]][-1]
    assert (last["phase"], last["status"]) == ("Succeeded", "Completed")


@pytest.mark.parametrize("image,command", [
    ("busybox:1.36", '["sleep", "infinity"]'),
    ("busybox", '["sh", "-c", "sleep infinity"]'),
    ("ubuntu", '["sleep", "infinity"]'),
    ("alpine", '["sleep", "infinity"]'),
    ("busybox", '["tail", "-f", "/dev/null"]'),
    ("ubuntu", '["/bin/bash", "-c", "while true; do sleep 30; done"]'),
])
def test_keep_alive_idioms_run(image, command):
    m = pod("idle", f"  containers:\n  - name: c\n    image: {image}\n    command: {command}\n")
    p = simulate(m, until=30).pod("idle")
    assert (p["status"], p["restarts"]) == ("Running", 0)


def test_trapped_term_with_wait_exits_fast():
    """A script that traps TERM and `wait`s on a background sleep leaves at SIGTERM (not after the grace)."""
    m = pod("trapper", '  containers:\n  - name: c\n    image: busybox:1.36\n'
                       '    command: ["sh", "-c", "trap : TERM INT; sleep infinity & wait"]\n')
    s = simulate(m, until=90, at=[(30, "kubectl delete pod trapper")])
    assert 30 <= s.pod("trapper")["deletedAt"] <= 32


def test_exec_probe_timeout_message():
    """remote_runtime.go ExecSync DeadlineExceeded → exec.NewTimeoutError(`command "sleep 5" timed out`);
    probe/exec returns it as the failure output (ExecProbeTimeout GA)."""
    m = pod("slowprobe", """  containers:
  - name: app
    image: busybox:1.36
    command: ["sh", "-c", "sleep 3600"]
    livenessProbe:
      exec: {command: ["sleep", "5"]}
      periodSeconds: 10
      timeoutSeconds: 1
""")
    s = simulate(m, until=60)
    u = s.ev("Unhealthy", "slowprobe")
    assert u and u[0]["message"] == 'Liveness probe failed: command "sleep 5" timed out'
    assert s.ev("Killing", "slowprobe")


def test_invalid_image_name():
    """image_manager.go EnsureImageExists → applyDefaultImageTag → ParseNormalizedNamed error → Warning
    InspectFailed `Failed to apply default image tag "NGINX:1.25": couldn't parse image name "NGINX:1.25":
    invalid reference format: repository name (library/NGINX) must be lowercase`, ErrInvalidImageName
    (STATUS InvalidImageName, `Error: InvalidImageName`), no Pulling event."""
    s = simulate(pod("upper", '  containers:\n  - name: c\n    image: "NGINX:1.25"\n'), until=30)
    assert s.pod("upper")["status"] == "InvalidImageName"
    assert not s.ev("Pulling", "upper")
    e = s.ev("InspectFailed", "upper")
    assert e and e[0]["type"] == "Warning" and e[0]["message"] == (
        'Failed to apply default image tag "NGINX:1.25": couldn\'t parse image name "NGINX:1.25": invalid '
        "reference format: repository name (library/NGINX) must be lowercase")
    assert "Error: InvalidImageName" in [x["message"] for x in s.ev("Failed", "upper")]


CM = """apiVersion: v1
kind: ConfigMap
metadata:
  name: special-config
data:
  SPECIAL_LEVEL: very
  SPECIAL_TYPE: charm
---
"""

ENVFROM = """apiVersion: v1
kind: Pod
metadata:
  name: dapi-test-pod
spec:
  containers:
    - name: test-container
      image: registry.k8s.io/busybox
      command: [ "/bin/sh", "-c", "env" ]
      envFrom:
      - configMapRef:
          name: special-config
  restartPolicy: Never
"""


def test_docs_configmap_envfrom_completes():
    """pods/pod-configmap-envFrom.yaml with its ConfigMap: `env` runs once → Completed (Never);
    without the ConfigMap → CreateContainerConfigError `configmap "special-config" not found`."""
    s = simulate(CM + ENVFROM, until=30)
    assert (s.pod("dapi-test-pod")["phase"], s.pod("dapi-test-pod")["status"]) == ("Succeeded", "Completed")
    s = simulate(ENVFROM, until=30)
    assert s.pod("dapi-test-pod")["status"] == "CreateContainerConfigError"
    assert 'Error: configmap "special-config" not found' in [e["message"] for e in s.ev("Failed", "dapi-test-pod")]


def test_docs_resourcefieldref_envars_runs():
    m = """apiVersion: v1
kind: Pod
metadata:
  name: dapi-envars-resourcefieldref
spec:
  containers:
    - name: test-container
      image: registry.k8s.io/busybox:1.27.2
      command: [ "sh", "-c"]
      args:
      - while true; do
          echo -en '\\n';
          printenv MY_CPU_REQUEST MY_CPU_LIMIT;
          printenv MY_MEM_REQUEST MY_MEM_LIMIT;
          sleep 10;
        done;
      resources:
        requests:
          memory: "32Mi"
          cpu: "125m"
        limits:
          memory: "64Mi"
          cpu: "250m"
      env:
        - name: MY_CPU_REQUEST
          valueFrom:
            resourceFieldRef:
              containerName: test-container
              resource: requests.cpu
        - name: MY_MEM_LIMIT
          valueFrom:
            resourceFieldRef:
              containerName: test-container
              resource: limits.memory
  restartPolicy: Never
"""
    s = simulate(m, until=30)
    assert s.pod("dapi-envars-resourcefieldref")["status"] == "Running"
    n = s.pod("dapi-envars-resourcefieldref")["node"]
    assert s.node(n)["allocated"] == {"cpu": "125m", "memory": "32Mi"}


def test_crashing_sidecar_restarts_despite_never_and_printpod_shows_init_reason():
    """Sidecars restart whatever the pod's restartPolicy; printPod: a sidecar that is not `started`
    goes through the init switch (Init:Error / Init:CrashLoopBackOff, initializing), and with the pod
    Initialized the container loop does not reset that reason; RESTARTS = sidecar restarts + regular."""
    m = pod("scr", """  restartPolicy: Never
  initContainers:
  - name: side
    image: busybox:1.36
    restartPolicy: Always
    command: ["sh", "-c", "sleep 5; exit 1"]
  containers:
  - name: main
    image: busybox:1.36
    command: ["sh", "-c", "sleep 3600"]
""")
    s = simulate(m, until=60)
    p = s.pod("scr")
    assert p["phase"] == "Running" and p["ready"] == "1/2"
    side = p["initContainers"][0]
    assert side["restartCount"] >= 2 and p["restarts"] == side["restartCount"]
    assert "Init:CrashLoopBackOff" in s.statuses("scr")


TWO_CONTAINERS = """apiVersion: v1
kind: Pod
metadata:
  name: two-containers
spec:
  restartPolicy: Never
  volumes:
  - name: shared-data
    emptyDir: {}
  containers:
  - name: nginx-container
    image: nginx
    volumeMounts:
    - name: shared-data
      mountPath: /usr/share/nginx/html
  - name: debian-container
    image: debian
    volumeMounts:
    - name: shared-data
      mountPath: /pod-data
    command: ["/bin/sh"]
    args: ["-c", "echo Hello from the debian container > /pod-data/index.html"]
"""


def test_docs_two_container_pod():
    """pods/two-container-pod.yaml: debian writes index.html and exits 0 (Never), nginx keeps running →
    printPod: `debian-container` sorts first, its Completed wins, a container still runs and the pod is
    not Ready → NotReady 1/2; the page is served from the shared emptyDir."""
    s = simulate(TWO_CONTAINERS, until=30)
    p = s.pod("two-containers")
    assert (p["phase"], p["status"], p["ready"]) == ("Running", "NotReady", "1/2")
    states = {c["name"]: (c["state"], c["reason"]) for c in p["containers"]}
    assert states == {"debian-container": ("terminated", "Completed"), "nginx-container": ("running", None)}


REDIS_EMPTYDIR = """apiVersion: v1
kind: Pod
metadata:
  name: redis
spec:
  containers:
  - name: redis
    image: redis
    volumeMounts:
    - name: redis-storage
      mountPath: /data/redis
  volumes:
  - name: redis-storage
    emptyDir: {}
"""


def test_docs_redis_emptydir_survives_container_restart():
    """tasks/configure-pod-container/configure-volume-storage: the emptyDir outlives a container restart
    (kill 1 → restarted, RESTARTS 1, Running)."""
    s = simulate(REDIS_EMPTYDIR, until=60, at=[(20, "kubectl exec redis -- kill 1")])
    p = s.pod("redis")
    assert (p["status"], p["restarts"]) == ("Running", 1)


@pytest.mark.parametrize("replicas,image", [(2, "nginx:1.14.2"), (2, "nginx:1.16.1"), (4, "nginx:1.16.1")])
def test_docs_application_deployments(replicas, image):
    """application/deployment.yaml, deployment-update.yaml, deployment-scale.yaml."""
    m = f"""apiVersion: apps/v1
kind: Deployment
metadata:
  name: nginx-deployment
spec:
  selector:
    matchLabels:
      app: nginx
  replicas: {replicas}
  template:
    metadata:
      labels:
        app: nginx
    spec:
      containers:
      - name: nginx
        image: {image}
        ports:
        - containerPort: 80
"""
    s = simulate(m, until=30)
    live = s.pods_named("nginx-deployment-", live_only=True)
    assert len(live) == replicas and all((p["status"], p["ready"]) == ("Running", "1/1") for p in live)
