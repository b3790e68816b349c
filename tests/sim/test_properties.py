"""Property test: random pods never drive the engine into an illegal transition, and the timeline
keeps the invariants of CONTRACTS.md §3 (time order, terminal phases stay terminal, a deleted row last)."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from simhelpers import pod

COMMANDS = [["sh", "-c", "exit 0"], ["sh", "-c", "exit 1"], ["sh", "-c", "sleep 3; exit 2"], ["sleep", "3600"],
            ["sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait"], ["nosuchcmd"], ["sh", "-c", "touch /tmp/ok; sleep 20; rm /tmp/ok; sleep 600"]]
PROBES = [None, {"exec": {"command": ["cat", "/tmp/ok"]}, "periodSeconds": 3},
          {"tcpSocket": {"port": 80}, "periodSeconds": 5, "failureThreshold": 1}]


@st.composite
def pods(draw):
    i = draw(st.integers(0, 3))
    p = pod(name=f"p{i}", command=draw(st.sampled_from(COMMANDS)),
            restartPolicy=draw(st.sampled_from(["Always", "OnFailure", "Never"])),
            image=draw(st.sampled_from(["busybox:1.36", "busybox:1.36", "nginx:1.161"])),
            terminationGracePeriodSeconds=draw(st.sampled_from([0, 1, 5, 30])))
    c = p["spec"]["containers"][0]
    for key in ("livenessProbe", "readinessProbe", "startupProbe"):
        pr = draw(st.sampled_from(PROBES))
        if pr:
            c[key] = pr
    if draw(st.booleans()):
        p["spec"]["initContainers"] = [{"name": "init", "image": "busybox:1.36",
                                        "command": draw(st.sampled_from(COMMANDS[:3] + [["nosuchcmd"]]))}]
    return p


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(specs=st.lists(pods(), min_size=1, max_size=3, unique_by=lambda p: p["metadata"]["name"]),
       delete_at=st.one_of(st.none(), st.floats(0, 200)), force=st.booleans())
def test_random_pods_keep_invariants(fake_cluster, specs, delete_at, force):
    c = fake_cluster(missing=("nginx:1.161",))
    c.apply_manifests(specs)
    if delete_at is not None:
        c.run_until(delete_at)
        c.kubectl(f"delete pod {specs[0]['metadata']['name']}" + (" --grace-period=0 --force" if force else ""))
    c.run_until(300)
    times = [r["time"] for r in c.timeline]
    assert times == sorted(times)
    seen_terminal: dict[str, str] = {}
    for r in c.timeline:
        obj = r["object"]
        if obj in seen_terminal and not r["deleted"]:
            assert r["phase"] == seen_terminal[obj], r
        if r["phase"] in ("Succeeded", "Failed"):
            seen_terminal[obj] = r["phase"]
    res = c.result()
    from kubetrainer.sim.machines import CONTAINER_REASONS

    for p in res["pods"]:
        for ctr in p["containers"] + p["initContainers"]:
            if ctr["reason"] is not None:
                assert ctr["reason"] in CONTAINER_REASONS[ctr["state"].capitalize()], ctr
    for p in res["pods"]:
        if p["deleted"]:
            rows = [r for r in c.timeline if r["object"] == f"Pod/default/{p['name']}"]
            assert rows[-1]["deleted"]


WORDS = ["get", "describe", "delete", "logs", "exec", "label", "annotate", "apply", "create", "run", "pods", "pod",
         "web", "po/web", "nodes", "node-1", "-o", "wide", "yaml", "json", "name", "jsonpath={.status.phase}", "-n",
         "default", "--grace-period=0", "--grace-period", "x", "--force", "--now", "-c", "web", "--previous", "-p",
         "--", "sh", "-c", "echo", "kill", "1", "a=b", "a-", "--overwrite", "-f", "/nonexistent.yaml", "-l", "app=web",
         "--all", "-A", "--image=busybox", "secret", "docker-registry", "deployment", "'", '"', "--tail=-1", "events",
         "deploy/web", "rs", "--replicas=2", "scale", "rollout", "undo", "status", "cordon", "drain", "taint",
         "k=v:NoSchedule", "set", "image", "web=nginx", "patch", "-p", "{}", '{"spec":{"replicas":1}}', "wait",
         "--for=delete", "--for=condition=Ready", "--timeout=5s", "--cascade=orphan", "--type", "merge", "[]"]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(argv=st.lists(st.sampled_from(WORDS), min_size=0, max_size=7))
def test_kubectl_never_raises(fake_cluster, argv):
    """Any command line gives a KubectlResult (message + exit code), never a traceback."""
    c = fake_cluster()
    c.apply_manifests([pod(command=["sleep", "3600"])])
    c.run_until(5)
    r = c.kubectl(" ".join(argv))
    assert isinstance(r.output, str) and isinstance(r.exit_code, int)
    r = c.kubectl(argv)
    assert isinstance(r.output, str)
