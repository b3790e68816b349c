"""VolumeBinding PreFilter (pkg/scheduler/framework/plugins/volumebinding/volume_binding.go
podHasPVCs / PreFilter) and NodeAffinity PreScore Skip (v1.34 nodeaffinity.go)."""

from __future__ import annotations

import json

from kubetrainer.cli import main

NOT_HELPFUL3 = " preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling."
POD = """apiVersion: v1
kind: Pod
metadata: {name: pvc}
spec:
  containers:
  - name: web
    image: nginx:1.25
    volumeMounts: [{name: d, mountPath: /data}]
  volumes:
  - name: d
    persistentVolumeClaim: {claimName: myclaim}
"""
PVC = """---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: myclaim}
spec:
  accessModes: [ReadWriteOnce]
  storageClassName: manual
  resources: {requests: {storage: 3Gi}}
"""
PV = """---
apiVersion: v1
kind: PersistentVolume
metadata: {name: task-pv-volume}
spec:
  storageClassName: manual
  capacity: {storage: 10Gi}
  accessModes: [ReadWriteOnce]
  hostPath: {path: /mnt/data}
"""


def _schedule(tmp_path, capsys, text):
    f = tmp_path / "m.yaml"
    f.write_text(text)
    assert main(["schedule", str(f), "--format", "json"]) == 0
    return json.loads(capsys.readouterr().out)["pods"][0]


def test_missing_pvc(tmp_path, capsys):
    p = _schedule(tmp_path, capsys, POD)
    assert p["node"] is None
    assert p["message"] == '0/3 nodes are available: persistentvolumeclaim "myclaim" not found.' + NOT_HELPFUL3
    assert {f["plugin"] for f in p["filters"]} == {"VolumeBinding"}


def test_unbound_immediate_pvc(tmp_path, capsys):
    p = _schedule(tmp_path, capsys, POD + PVC)
    assert p["message"] == "0/3 nodes are available: pod has unbound immediate PersistentVolumeClaims." + NOT_HELPFUL3


def test_pvc_with_matching_pv_schedules(tmp_path, capsys):
    """docs pods/storage/pv-volume.yaml + pv-claim.yaml: the PV controller binds them."""
    assert _schedule(tmp_path, capsys, POD + PVC + PV)["node"] is not None


def test_pv_too_small_leaves_claim_unbound(tmp_path, capsys):
    p = _schedule(tmp_path, capsys, POD + PVC + PV.replace("10Gi", "1Gi"))
    assert p["node"] is None and "unbound immediate" in p["message"]


def test_wait_for_first_consumer_class_is_not_immediate(tmp_path, capsys):
    sc = ("---\napiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata: {name: manual}\n"
          "provisioner: kubernetes.io/no-provisioner\nvolumeBindingMode: WaitForFirstConsumer\n")
    assert _schedule(tmp_path, capsys, POD + PVC + sc)["node"] is not None


def test_dynamic_provisioner_binds(tmp_path, capsys):
    sc = ("---\napiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata:\n  name: standard\n  annotations:\n"
          "    storageclass.kubernetes.io/is-default-class: \"true\"\nprovisioner: rancher.io/local-path\n")
    pvc = PVC.replace("  storageClassName: manual\n", "")
    assert _schedule(tmp_path, capsys, POD + pvc + sc)["node"] is not None


def test_ephemeral_volume_waits_for_controller(tmp_path, capsys):
    pod = POD.replace("    persistentVolumeClaim: {claimName: myclaim}\n",
                      "    ephemeral:\n      volumeClaimTemplate:\n        spec:\n          accessModes: [ReadWriteOnce]\n"
                      "          resources: {requests: {storage: 1Gi}}\n")
    p = _schedule(tmp_path, capsys, pod)
    assert p["message"].startswith("0/3 nodes are available: waiting for ephemeral volume controller to create "
                                   'the persistentvolumeclaim "pvc-d".')


def test_node_affinity_score_skipped_without_preferred_terms(tmp_path, capsys):
    p = _schedule(tmp_path, capsys, POD + PVC + PV)
    na = [s for s in p["scores"] if s["plugin"] == "NodeAffinity"]
    assert na and all(s["raw"] is None and s["normalized"] is None and s["skipped"] for s in na)


def test_simulated_pod_binds_after_pvc_created(tmp_path, capsys):
    """A pod waiting for its claim is retried on the PVC add event (EventsToRegister)."""
    from kubetrainer.api.intake import intake_text
    from kubetrainer.sim.cluster import Cluster

    c = Cluster()
    ms, _ = intake_text(POD, "p.yaml")
    c.apply_manifests(ms)
    c.run_until(5)
    assert not c.store.get("Pod", "default", "pvc")["spec"].get("nodeName")
    ms, ps = intake_text(PVC + PV, "s.yaml")
    assert not ps
    c.apply_manifests(ms)
    c.run_until(20)
    assert c.store.get("Pod", "default", "pvc")["spec"].get("nodeName")


def test_interpod_affinity_skipped_when_no_term_matches(tmp_path, capsys):
    """interpodaffinity/scoring.go PreScore: preferred terms that match no existing pod give no
    topology score anywhere (index == -1) -> Skip."""
    pod = ("apiVersion: v1\nkind: Pod\nmetadata: {name: p, labels: {app: p}}\nspec:\n  affinity:\n"
           "    podAffinity:\n      preferredDuringSchedulingIgnoredDuringExecution:\n      - weight: 50\n"
           "        podAffinityTerm:\n          labelSelector: {matchLabels: {app: cache}}\n"
           "          topologyKey: kubernetes.io/hostname\n  containers:\n  - {name: c, image: nginx}\n")
    p = _schedule(tmp_path, capsys, pod)
    ipa = [s for s in p["scores"] if s["plugin"] == "InterPodAffinity"]
    assert ipa and all(s["raw"] is None and s["skipped"] for s in ipa)


def test_default_world_storage_class_binds_classless_claim_and_world_classes_replace_it(tmp_path, capsys):
    """docs/world-format.md: every cluster has kind's default StorageClass (WaitForFirstConsumer), so
    the wordpress-style classless PVC schedules; a world that brings its own StorageClasses has only
    those (here a non-default one: the classless claim is unbound immediate again)."""
    f = tmp_path / "m.yaml"
    f.write_text(POD + PVC.replace("  storageClassName: manual\n", ""))
    assert main(["schedule", str(f), "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["pods"][0]["node"] is not None
    world = tmp_path / "w.yaml"
    world.write_text(
        "apiVersion: kubetrainer/v1\nkind: World\nmetadata: {name: w}\nspec:\n  nodes:\n  - name: node-1\n"
        "  objects:\n  - apiVersion: storage.k8s.io/v1\n    kind: StorageClass\n    metadata:\n      name: fast\n"
        "    provisioner: rancher.io/local-path\n    volumeBindingMode: WaitForFirstConsumer\n")
    assert main(["schedule", str(f), "--world", str(world), "--format", "json"]) == 0
    assert "unbound immediate" in json.loads(capsys.readouterr().out)["pods"][0]["message"]


def test_why_pending_names_the_claim(tmp_path):
    f = tmp_path / "p.yaml"
    f.write_text(POD)
    from kubetrainer.cli import main as cli
    import io, contextlib
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        assert cli(["schedule", str(f)]) == 0
    assert ('- VolumeBinding: persistentvolumeclaim "myclaim" not found (spec.volumes[0], line 10); '
            "no node is checked until the claim exists and is bound") in buf.getvalue()
