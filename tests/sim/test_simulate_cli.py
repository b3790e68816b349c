"""`kubetrainer simulate` per CONTRACTS.md §3 (JSON shape, text, --at, determinism)."""

import json

import pytest

from kubetrainer.cli import main

POD = """apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
  - name: web
    image: busybox:1.36
    command: ["sh", "-c", "echo started; sleep 5; exit 1"]
"""


@pytest.fixture
def podfile(tmp_path):
    f = tmp_path / "pod.yaml"
    f.write_text(POD)
    return str(f)


def run(capsys, *argv):
    code = main(["simulate", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_json_shape(capsys, podfile):
    code, out, _ = run(capsys, podfile, "--format", "json", "--until", "90s")
    assert code == 0
    r = json.loads(out)
    assert list(r) == ["apiVersion", "kind", "until", "pods", "events", "timeline", "deployments", "replicaSets", "nodes"]
    assert (r["apiVersion"], r["kind"], r["until"]) == ("kubetrainer/v1", "SimulationResult", 90.0)
    p = r["pods"][0]
    assert list(p) == ["namespace", "name", "node", "phase", "status", "ready", "restarts", "conditions",
                       "initContainers", "containers", "deleted", "deletedAt"]
    assert p["phase"] == "Running" and p["status"] in ("CrashLoopBackOff", "Error", "Running")
    assert set(p["conditions"]) >= {"PodScheduled", "Initialized", "ContainersReady", "Ready"}
    ctr = p["containers"][0]
    assert list(ctr) == ["name", "state", "reason", "exitCode", "restartCount", "ready", "lastState"]
    assert ctr["lastState"] == {"state": "terminated", "reason": "Error", "exitCode": 1}
    e = r["events"][0]
    assert list(e) == ["time", "type", "reason", "object", "message", "count"]
    assert e["reason"] == "Scheduled" and e["object"] == "Pod/default/web"
    t = r["timeline"][0]
    assert t == {"time": 0.0, "object": "Pod/default/web", "phase": "Pending", "status": "Pending", "ready": "0/1",
                 "restarts": 0, "node": None, "deleted": False}
    times = [row["time"] for row in r["timeline"]]
    assert times == sorted(times)
    assert [n["name"] for n in r["nodes"]] == ["node-1", "node-2", "node-3"]


def test_at_delete_and_deleted_row(capsys, podfile):
    code, out, _ = run(capsys, podfile, "--format", "json", "--until", "60", "--at", "10s",
                       "kubectl delete pod web --grace-period=5")
    r = json.loads(out)
    p = r["pods"][0]
    assert p["deleted"] is True and p["deletedAt"] is not None and p["deletedAt"] <= 15.0
    assert r["timeline"][-1]["deleted"] is True


def test_bad_at_command_is_user_error(capsys, podfile):
    code, out, err = run(capsys, podfile, "--at", "10", "kubectl frobnicate pod web")
    assert code == 1 and "frobnicate" in err and out == ""
    code, out, err = run(capsys, podfile, "--at", "10", "node-down node-9")
    assert code == 1 and "node-9" in err
    code, out, err = run(capsys, podfile, "--at", "ten", "kubectl get pods")
    assert code == 1


def test_text_format(capsys, podfile):
    code, out, _ = run(capsys, podfile, "--until", "30")
    assert code == 0
    assert out.startswith("Timeline (virtual time, until 30s):\n")
    assert "$ kubectl get pods -o wide\n" in out
    assert "Events:" in out and "Successfully assigned default/web to" in out


def test_same_seed_same_bytes(capsys, podfile):
    outs = []
    for _ in range(2):
        code, out, _ = run(capsys, podfile, "--format", "json", "--seed", "7", "--until", "200",
                           "--at", "50", "kubectl delete pod web")
        outs.append(out)
    assert outs[0] == outs[1]
    code, text1, _ = run(capsys, podfile, "--seed", "7")
    code, text2, _ = run(capsys, podfile, "--seed", "7")
    assert text1 == text2


def test_bytes_identical_across_processes(podfile):
    """No dependence on Python's per-process hash seed (set/dict order of str keys)."""
    import os
    import subprocess
    import sys

    outs = set()
    for hs in ("1", "2"):
        env = dict(os.environ, PYTHONHASHSEED=hs)
        r = subprocess.run([sys.executable, "-m", "kubetrainer", "simulate", podfile, "--format", "json", "--until", "120",
                            "--at", "30", "kubectl delete pod web"], capture_output=True, text=True, env=env, check=True)
        outs.add(r.stdout)
    assert len(outs) == 1
