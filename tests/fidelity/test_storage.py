"""Storage as on a kind cluster: the default StorageClass `standard` (rancher.io/local-path,
WaitForFirstConsumer), the PersistentVolume controller (pkg/controller/volume/persistentvolume
pv_controller.go), the external provisioner's events (sig-storage-lib-external-provisioner),
StatefulSet volumeClaimTemplates (stateful_pod_control.go) and kubectl's storage columns
(pkg/printers/internalversion/printers.go)."""

from __future__ import annotations

import re

from .fid import cli, path_of, simulate, write

PV_DOCS = ("docs/pv-volume", "docs/pv-claim", "docs/pv-pod")


def _text(*manifests, at=(), until="60", world=None):
    argv = ["simulate", *[path_of(m) for m in manifests], "--until", str(until), "--format", "text"]
    for t, c in at:
        argv += ["--at", str(t), c]
    if world:
        argv += ["--world", world]
    rc, out, err = cli(*argv)
    assert rc == 0, err
    return out


def _block(out: str, t: int) -> list[str]:
    """The output lines of the --at command run at T seconds."""
    block = out[out.index(f"[{t}s] $"):].split("\n\n")[0]
    return [line.strip() for line in block.splitlines()[1:]]


def test_docs_pv_claim_and_pod_bind_as_the_task_page_shows():
    """tasks/configure-pod-container/configure-persistent-volume-storage: the claim binds to
    task-pv-volume (same class `manual`, 10Gi >= 3Gi, RWO), both show Bound, the claim shows the
    volume's capacity; an unset reclaim policy is Retain (SetDefaults_PersistentVolume)."""
    out = _text(*PV_DOCS, at=[(20, "kubectl get pv task-pv-volume"), (21, "kubectl get pvc task-pv-claim")])
    pv = _block(out, 20)
    assert pv[0].split() == ["NAME", "CAPACITY", "ACCESS", "MODES", "RECLAIM", "POLICY", "STATUS", "CLAIM",
                             "STORAGECLASS", "VOLUMEATTRIBUTESCLASS", "REASON", "AGE"]
    assert pv[1].split() == ["task-pv-volume", "10Gi", "RWO", "Retain", "Bound", "default/task-pv-claim", "manual",
                             "<unset>", "20s"]
    pvc = _block(out, 21)
    assert pvc[1].split() == ["task-pv-claim", "Bound", "task-pv-volume", "10Gi", "RWO", "manual", "<unset>", "21s"]
    s = simulate(*PV_DOCS, until=30)
    assert s.pod("task-pv-pod")["phase"] == "Running"


def test_statefulset_claims_are_provisioned_when_their_pod_is_scheduled():
    """kind: each www-web-N claim gets class standard (DefaultStorageClass admission), waits for its
    first consumer, and is provisioned by rancher.io/local-path when web-N is scheduled; the events
    are those a kind cluster shows, in that order."""
    s = simulate("docs/web-statefulset", until=60)
    assert [p["phase"] for p in s.pods_named("web-")] == ["Running", "Running"]
    for n in (0, 1):
        evs = s.ev(obj=f"www-web-{n}")
        assert [e["reason"] for e in evs] == ["WaitForFirstConsumer", "ExternalProvisioning", "Provisioning",
                                             "ProvisioningSucceeded"]
        assert evs[0]["message"] == "waiting for first consumer to be created before binding"
        assert evs[1]["message"] == (
            "Waiting for a volume to be created either by the external provisioner 'rancher.io/local-path' or "
            "manually by the system administrator. If volume creation is delayed, please verify that the "
            "provisioner is running and correctly registered.")
        assert evs[2]["message"] == f'External provisioner is provisioning volume for claim "default/www-web-{n}"'
        assert re.fullmatch(r"Successfully provisioned volume pvc-[0-9a-f-]{36}", evs[3]["message"])
        # provisioned at the moment the scheduler chose web-N's node (VolumeBinding PreBind)
        assert evs[3]["time"] == s.ev("Scheduled", f"web-{n}")[0]["time"]
    out = _text("docs/web-statefulset", at=[(30, "kubectl get pvc"), (31, "kubectl get storageclass")])
    rows = [line.split() for line in _block(out, 30)[1:]]
    assert [(r[0], r[1], r[3], r[4], r[5]) for r in rows] == [("www-web-0", "Bound", "1Gi", "RWO", "standard"),
                                                               ("www-web-1", "Bound", "1Gi", "RWO", "standard")]
    assert all(re.fullmatch(r"pvc-[0-9a-f-]{36}", r[2]) for r in rows)
    sc = _block(out, 31)
    assert sc[0].split() == ["NAME", "PROVISIONER", "RECLAIMPOLICY", "VOLUMEBINDINGMODE", "ALLOWVOLUMEEXPANSION",
                             "AGE"]
    assert sc[1].split()[:6] == ["standard", "(default)", "rancher.io/local-path", "Delete", "WaitForFirstConsumer",
                                 "false"]


def test_statefulset_pod_finds_its_files_again_after_it_is_recreated():
    """A StatefulSet pod deleted and recreated mounts the same claim, so the same volume."""
    out = _text("docs/web-statefulset", until=90, at=[
        (20, "kubectl exec web-0 -- sh -c 'echo persisted > /usr/share/nginx/html/index.html'"),
        (30, "kubectl delete pod web-0"),
        (80, "kubectl exec web-0 -- cat /usr/share/nginx/html/index.html")])
    assert _block(out, 80) == ["persisted"]


CLAIM = """apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: data
spec:
  accessModes: [ReadWriteOnce]
  resources:
    requests:
      storage: 1Gi
"""

POD = """apiVersion: v1
kind: Pod
metadata:
  name: app
spec:
  containers:
  - name: app
    image: busybox:1.36
    command: ["sleep", "3600"]
    volumeMounts:
    - {name: data, mountPath: /data}
  volumes:
  - name: data
    persistentVolumeClaim:
      claimName: data
"""

OWN_CLASS_WORLD = """apiVersion: kubetrainer/v1
kind: World
metadata: {name: own-class}
spec:
  nodes:
  - name: node-1
  objects:
  - apiVersion: storage.k8s.io/v1
    kind: StorageClass
    metadata: {name: fast}
    provisioner: example.com/fast
"""


def test_classless_claim_without_a_default_class_waits_with_failed_binding_every_sync():
    """A world with its own (non-default) StorageClass has no `standard`: a claim without a class and
    without a matching volume gets FailedBinding on every claim sync (--pvclaimbinder-sync-period 15s)."""
    s = simulate(write(CLAIM), until=40, world=write(OWN_CLASS_WORLD, "own-class-world.yaml"))
    evs = s.ev("FailedBinding", "data")
    assert evs and evs[-1]["message"] == "no persistent volumes available for this claim and no storage class is set"
    assert evs[-1]["count"] == 3   # t=0, 15, 30


def test_immediate_class_is_provisioned_at_once_and_unknown_class_fails():
    """volumeBindingMode Immediate (the StorageClass default): provisioned when the claim is created;
    a class that does not exist: ProvisioningFailed `storageclass.storage.k8s.io "X" not found`."""
    s = simulate(write(CLAIM.replace("spec:\n", "spec:\n  storageClassName: fast\n")), until=20,
                 world=write(OWN_CLASS_WORLD, "own-class-world.yaml"))
    assert [e["reason"] for e in s.ev(obj="data")] == ["ExternalProvisioning", "Provisioning", "ProvisioningSucceeded"]
    s = simulate(write(CLAIM.replace("spec:\n", "spec:\n  storageClassName: nope\n")), until=20)
    evs = s.ev("ProvisioningFailed", "data")
    assert evs and evs[0]["type"] == "Warning"
    assert evs[0]["message"] == 'storageclass.storage.k8s.io "nope" not found'


def test_wait_for_first_consumer_repeats_then_binds_when_a_pod_uses_the_claim():
    s = simulate(write(CLAIM), until=60, at=[(40, f"kubectl apply -f {write(POD)}")])
    waits = s.ev("WaitForFirstConsumer", "data")
    assert waits[-1]["count"] == 3   # t=0, 15, 30 (then bound at 40)
    assert s.ev("ProvisioningSucceeded", "data")[0]["time"] == 40.0
    assert s.pod("app")["phase"] == "Running"


def test_deleting_a_claim_deletes_its_provisioned_volume():
    """reclaimVolume: the default class's reclaimPolicy Delete removes the volume with its claim."""
    out = _text(write(CLAIM), write(POD), until=40, at=[
        (10, "kubectl delete pod app --grace-period=0 --force"), (12, "kubectl delete pvc data"),
        (14, "kubectl get pv")])
    assert _block(out, 14) == ["No resources found"]


def test_describe_pvc_and_storageclass_as_kubectl_prints_them():
    """describe.go describePersistentVolumeClaim (annotations `key: value`, the pvc-protection
    finalizer the StorageObjectInUseProtection admission adds, Used By) and describeStorageClass."""
    out = _text("docs/web-statefulset", at=[(20, "kubectl describe pvc www-web-0"),
                                            (21, "kubectl describe storageclass standard")])
    pvc = _block(out, 20)
    fields = {line.split(":", 1)[0]: line.split(":", 1)[1].strip() for line in pvc if ":" in line}
    assert (fields["StorageClass"], fields["Status"], fields["Capacity"], fields["Access Modes"],
            fields["VolumeMode"], fields["Used By"], fields["Finalizers"]) == \
        ("standard", "Bound", "1Gi", "RWO", "Filesystem", "web-0", "[kubernetes.io/pvc-protection]")
    assert "pv.kubernetes.io/bind-completed: yes" in fields["Annotations"]
    assert "volume.kubernetes.io/selected-node: " in "\n".join(pvc)
    sc = {line.split(":", 1)[0]: line.split(":", 1)[1].strip() for line in _block(out, 21) if ":" in line}
    assert (sc["IsDefaultClass"], sc["Provisioner"], sc["ReclaimPolicy"], sc["VolumeBindingMode"],
            sc["AllowVolumeExpansion"]) == ("Yes", "rancher.io/local-path", "Delete", "WaitForFirstConsumer",
                                            "<unset>")


def test_a_claim_in_use_stays_terminating_until_its_pod_is_gone():
    """pvcprotection: `kubectl delete pvc` on a claim a pod uses leaves it Terminating (the
    kubernetes.io/pvc-protection finalizer); when the pod is deleted the claim goes, and with it its
    provisioned volume (reclaimPolicy Delete)."""
    out = _text(write(CLAIM), write(POD), until=80, at=[
        (10, "kubectl delete pvc data"), (12, "kubectl get pvc"), (14, "kubectl get pv"),
        (20, "kubectl delete pod app"), (70, "kubectl get pvc"), (71, "kubectl get pv")])
    assert _block(out, 12)[1].split()[:2] == ["data", "Terminating"]
    assert _block(out, 14)[1].split()[4] == "Bound"
    assert _block(out, 70) == ["No resources found in default namespace."]
    assert _block(out, 71) == ["No resources found"]


def test_validate_persistent_volume_spec():
    """ValidatePersistentVolumeSpec: access modes and capacity required, one volume type."""
    from .fid import validate

    rc, _, err = validate(write("apiVersion: v1\nkind: PersistentVolume\nmetadata:\n  name: pv1\nspec:\n"
                                "  accessModes: [ReadWriteOnce]\n  capacity: {storage: 1Gi}\n"))
    assert rc == 1 and err.splitlines()[-1].endswith(":5:1: spec: Required value: must specify a volume type")
    rc, _, err = validate(write("apiVersion: v1\nkind: PersistentVolume\nmetadata:\n  name: pv1\nspec:\n"
                                "  hostPath: {path: /x}\n"))
    assert [line.split(": ", 1)[1] for line in err.splitlines()] == [
        "spec.accessModes: Required value", "spec.capacity: Required value",
        'spec.capacity: Unsupported value: core.ResourceList(nil): supported values: "storage"']
    assert validate(path_of("docs/pv-volume"))[0] == 0


def _web(policy: str = "") -> str:
    text = open(path_of("docs/web-statefulset")).read()
    return write(text.replace("  volumeClaimTemplates:", policy + "  volumeClaimTemplates:") if policy else text)


def test_statefulset_claims_are_retained_by_default():
    """persistentVolumeClaimRetentionPolicy Retain/Retain: scaling down and deleting the set keep every claim."""
    out = _text(_web(), until=120, at=[(20, "kubectl scale statefulset web --replicas=1"),
                                       (60, "kubectl delete statefulset web"), (110, "kubectl get pvc")])
    assert [line.split()[0] for line in _block(out, 110)[1:]] == ["www-web-0", "www-web-1"]


def test_statefulset_claim_retention_policy_delete():
    """updateClaimOwnerRefForSetAndPod: whenScaled Delete gives the scaled-down pod's claim to the pod
    (deleted with it); whenDeleted Delete gives the claims to the set (deleted with it)."""
    policy = "  persistentVolumeClaimRetentionPolicy:\n    whenDeleted: Delete\n    whenScaled: Delete\n"
    out = _text(_web(policy), until=140, at=[(20, "kubectl scale statefulset web --replicas=1"),
                                             (60, "kubectl get pvc"), (70, "kubectl delete statefulset web"),
                                             (130, "kubectl get pvc")])
    assert [line.split()[0] for line in _block(out, 60)[1:]] == ["www-web-0"]
    assert _block(out, 130) == ["No resources found in default namespace."]
