"""`kubetrainer schedule` and `kubetrainer bench scheduler` (CONTRACTS.md §4, §1)."""

from __future__ import annotations

import json
import re

from kubetrainer.cli import main

POD = """\
apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
  - name: web
    image: nginx
    resources:
      limits:
        cpu: "5"
"""

DEPLOY = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 3
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: c
        image: nginx
        resources: {requests: {cpu: "1"}}
"""


def _run(tmp_path, capsys, text, *extra):
    f = tmp_path / "m.yaml"
    f.write_text(text)
    rc = main(["schedule", str(f), *extra])
    out = capsys.readouterr().out
    return rc, out


def test_json_shape_and_limits_default_requests(tmp_path, capsys):
    rc, out = _run(tmp_path, capsys, POD, "--format", "json")
    assert rc == 0
    [p] = json.loads(out)["pods"]
    assert set(p) >= {"namespace", "name", "node", "message", "filters", "scores", "totals"}
    assert p["node"] is None
    assert p["message"] == ("0/3 nodes are available: 3 Insufficient cpu. preemption: 0/3 nodes are available: "
                            "3 Preemption is not helpful for scheduling.")
    fit = [e for e in p["filters"] if e["plugin"] == "NodeResourcesFit"]
    assert [e["reason"] for e in fit] == ["Insufficient cpu"] * 3
    later = [e for e in p["filters"] if e["plugin"] == "InterPodAffinity"]
    assert all(e.get("afterFirstFailure") is True for e in later)
    assert all("afterFirstFailure" not in e for e in p["filters"] if e["plugin"] == "NodeUnschedulable")


def test_text_explains_why_pending_with_line(tmp_path, capsys):
    rc, out = _run(tmp_path, capsys, POD)
    assert rc == 0
    assert "pod default/web: Pending" in out
    assert "limits.cpu 5 (line 11) > 4 CPU free on node-1" in out


def test_deployment_contributes_controller_pods_spread(tmp_path, capsys):
    rc, out = _run(tmp_path, capsys, DEPLOY, "--format", "json")
    pods = json.loads(out)["pods"]
    assert len(pods) == 3
    assert all(re.fullmatch(r"web-[a-z0-9]+-[bcdfghjklmnpqrstvwxz2456789]{5}", p["name"]) for p in pods)
    assert sorted(p["node"] for p in pods) == ["node-1", "node-2", "node-3"]  # default spreading
    spread = [s for s in pods[1]["scores"] if s["plugin"] == "PodTopologySpread"]
    assert spread and all(s["raw"] is not None for s in spread)


def test_bench_json_shape(capsys):
    assert main(["bench", "scheduler", "--nodes", "50", "--pods", "200", "--init-pods", "50", "--format", "json"]) == 0
    r = json.loads(capsys.readouterr().out)
    assert set(r) == {"nodes", "pods", "scheduled", "seconds", "podsPerSecond", "podsPerNode"}
    assert r["scheduled"] == 200 and r["podsPerNode"]["max"] - r["podsPerNode"]["min"] <= 2
