"""Same seed, same bytes: the workload controllers never depend on hash order (PYTHONHASHSEED)."""

import os
import subprocess
import sys
import textwrap

MANIFESTS = textwrap.dedent("""\
    apiVersion: apps/v1
    kind: Deployment
    metadata: {name: web}
    spec:
      replicas: 4
      selector: {matchLabels: {app: web}}
      template:
        metadata: {labels: {app: web}}
        spec: {containers: [{name: web, image: "nginx:1.16.1"}]}
    ---
    apiVersion: apps/v1
    kind: DaemonSet
    metadata: {name: agent}
    spec:
      selector: {matchLabels: {app: agent}}
      template:
        metadata: {labels: {app: agent}}
        spec: {containers: [{name: a, image: "busybox", command: ["sleep", "3600"]}]}
    ---
    apiVersion: apps/v1
    kind: StatefulSet
    metadata: {name: db}
    spec:
      replicas: 2
      serviceName: db
      selector: {matchLabels: {app: db}}
      template:
        metadata: {labels: {app: db}}
        spec: {containers: [{name: db, image: "redis"}]}
    """)


def test_simulate_is_byte_identical_across_hash_seeds(tmp_path):
    f = tmp_path / "w.yaml"
    f.write_text(MANIFESTS)
    outs = set()
    for seed in ("1", "2"):
        env = dict(os.environ, PYTHONHASHSEED=seed)
        r = subprocess.run([sys.executable, "-m", "kubetrainer", "simulate", str(f), "--until", "420",
                            "--at", "30", "kubectl set image deployment/web web=nginx:1.17.0",
                            "--at", "60", "node-down node-2", "--at", "70", "kubectl scale deployment/web --replicas=2",
                            "--format", "json"], capture_output=True, text=True, env=env, timeout=120)
        assert r.returncode == 0, r.stderr
        outs.add(r.stdout)
    assert len(outs) == 1
