"""The seed's creation and termination flow, end to end (kubectl → apiserver → etcd → scheduler →
kubelet → runtime), on a controlled world with a test-only binder."""

from simhelpers import pod


def test_pod_runs_then_is_deleted_after_sigkill(fake_cluster):
    """busybox `sleep` as PID 1 ignores SIGTERM: deletion waits for SIGKILL at the grace period
    (kuberuntime_container.go killContainer)."""
    c = fake_cluster()
    assert c.apply_manifests([pod(command=["sh", "-c", "echo hello; sleep 3600"])]) == ["pod/web created"]
    c.run_until(10)
    v = c.pod_view("default", "web")
    assert (v["phase"], v["status"], v["ready"], v["node"]) == ("Running", "Running", "1/1", "node-1")
    assert c.kubectl("logs web").output == "hello\n"
    assert c.kubectl("delete pod web").output == 'pod "web" deleted\n'
    c.run_until(39)
    assert c.pod_view("default", "web")["status"] == "Terminating"
    c.run_until(41)
    assert c.store.get("Pod", "default", "web") is None
    last = c.timeline[-1]
    assert last["deleted"] and last["time"] == 40.0
    reasons = [e.reason for e in c.events.events]
    assert reasons == ["Scheduled", "Pulling", "Pulled", "Created", "Started", "Killing"]
    comps = [f.component for f in c.flow]
    for hop in ("kubectl", "apiserver", "etcd", "scheduler", "kubelet", "runtime"):
        assert hop in comps
    assert c.pod_view("default", "web")["deleted"] is True


def test_creation_flow_order_default_world():
    """The seed's creation flow: kubectl → apiserver → etcd → scheduler (watch, bind) → etcd → kubelet
    (watch, sync) → runtime (sandbox, pull, create, start) → status written back → etcd."""
    from simhelpers import pod

    from kubetrainer.sim.cluster import Cluster

    c = Cluster(None, seed=0)
    c.apply_manifests([pod(command=["sleep", "3600"])])
    c.run_until(5)
    hops = [(f.component, f.action) for f in c.flow]
    order = [("kubectl", "create"), ("apiserver", "admit"), ("etcd", "persist"), ("scheduler", "watch"),
             ("scheduler", "bind"), ("etcd", "persist"), ("kubelet", "watch"), ("kubelet", "sync"),
             ("runtime", "sandbox"), ("runtime", "pull"), ("runtime", "create"), ("runtime", "start"),
             ("kubelet", "status"), ("etcd", "persist")]
    i = 0
    for h in hops:
        if i < len(order) and h == order[i]:
            i += 1
    assert i == len(order), hops
    times = [f.time for f in c.flow]
    assert times == sorted(times)


def test_world_objects_exist_at_t0():
    """CONTRACTS.md §2: spec.objects are applied at t=0 (as kubectl apply), before the learner's files."""
    from kubetrainer.sim.cluster import Cluster
    from kubetrainer.sim.world import parse_world

    w = parse_world("""apiVersion: kubetrainer/v1
kind: World
metadata: {name: w}
spec:
  nodes:
    - name: small
      capacity: {cpu: "1", memory: 1Gi, pods: "10"}
  registry:
    - image: busybox
      tags: ["*"]
      process: {shell: true}
  objects:
    - apiVersion: v1
      kind: ConfigMap
      metadata: {name: cfg}
      data: {GREETING: hello}
    - apiVersion: v1
      kind: Pod
      metadata: {name: greeter}
      spec:
        containers:
        - name: c
          image: busybox:1.36
          command: ["sh", "-c", "echo $GREETING; sleep 3600"]
          envFrom: [{configMapRef: {name: cfg}}]
""", "w.yaml")
    c = Cluster(w, seed=0)
    assert c.store.get("ConfigMap", "default", "cfg") is not None
    assert c.timeline[0]["time"] == 0.0 and c.timeline[0]["object"] == "Pod/default/greeter"
    c.run_until(10)
    assert c.pod_view("default", "greeter")["node"] == "small"
    assert c.kubectl("logs greeter").output == "hello\n"
