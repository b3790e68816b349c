"""CONTRACTS §3 invariants of the SimulationResult over a spread of scenarios: timeline rows in time
order, one row per change (no consecutive duplicates), a last `deleted: true` row that matches
`deletedAt`, events in time order with counts that grow per (object, reason, message), and the
pods' final STATUS/READY/RESTARTS equal to their last timeline row."""

from __future__ import annotations

import pytest

from .fid import simulate

SCENARIOS = {
    "exec-liveness": (("docs/exec-liveness",), 150, ()),
    "crashloop": (("apiVersion: v1\nkind: Pod\nmetadata:\n  name: crash\nspec:\n  containers:\n  - name: c\n"
                   "    image: busybox:1.36\n    command: [\"sh\", \"-c\", \"exit 1\"]\n",), 200, ()),
    "rollout": (("docs/nginx-deployment",), 150,
                ((30, "kubectl set image deployment/nginx-deployment nginx=nginx:1.16.1"),)),
    "stall-undo": (("docs/nginx-deployment",), 200,
                   ((30, "kubectl set image deployment/nginx-deployment nginx=nginx:1.161"),
                    (90, "kubectl rollout undo deployment/nginx-deployment"))),
    "node-down": (("docs/nginx-deployment",), 450, ((60, "node-down node-2"),)),
    "drain": (("docs/nginx-deployment", "docs/daemonset"), 120, ((30, "kubectl drain node-1 --ignore-daemonsets"),)),
    "oom": (("docs/memory-request-limit-2",), 120, ()),
    "init": (("docs/init-containers",), 60, ()),
}

KEYS = ("phase", "status", "ready", "restarts", "node", "deleted")


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_result_invariants(name):
    manifests, until, at = SCENARIOS[name]
    s = simulate(*manifests, until=until, at=at)
    times = [r["time"] for r in s.timeline]
    assert times == sorted(times)
    assert all(0 <= t <= until for t in times)
    last = {}
    for r in s.timeline:
        sig = tuple(r.get(k) for k in KEYS)
        assert last.get(r["object"]) != sig, ("duplicate row", r)
        assert r["object"] not in last or not last[r["object"]][-1], ("row after deletion", r)
        last[r["object"]] = sig
    for p in s.pods:
        key = f"Pod/{p['namespace']}/{p['name']}"
        rows = [r for r in s.timeline if r["object"] == key]
        assert rows, key
        first = rows[0]
        assert (first["phase"], first["restarts"], first["deleted"]) == ("Pending", 0, False)
        end = rows[-1]
        if p["deleted"]:
            assert end["deleted"] is True and p["deletedAt"] == end["time"]
        else:
            assert end["deleted"] is False and p["deletedAt"] is None
            assert (end["phase"], end["status"], end["ready"], end["restarts"], end["node"]) == \
                (p["phase"], p["status"], p["ready"], p["restarts"], p["node"])
    etimes = [e["time"] for e in s.events]
    assert etimes == sorted(etimes)
    counts = {}
    for e in s.events:
        k = (e["object"], e["reason"], e["message"])
        counts[k] = counts.get(k, 0) + 1
        assert e["count"] == counts[k], e   # EventCorrelator: same object/reason/message → count+1
        assert e["type"] in ("Normal", "Warning")
    assert s.data["apiVersion"] == "kubetrainer/v1" and s.data["kind"] == "SimulationResult"
    assert s.data["until"] == float(until)
