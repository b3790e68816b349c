"""World files (CONTRACTS.md section 2) and the registry (kubetrainer/sim/world.py)."""

from __future__ import annotations

import pytest

from kubetrainer.errors import UserError
from kubetrainer.sim.world import load_world, parse_world

HEAD = "apiVersion: kubetrainer/v1\nkind: World\nmetadata: {name: t}\nspec:\n"


def world(body: str):
    return parse_world(HEAD + body, "w.yaml")


def error_of(body: str) -> str:
    with pytest.raises(UserError) as e:
        world(body)
    return str(e.value)


# -- the default world -------------------------------------------------------------------------

def test_default_world_three_ready_nodes():
    w = load_world(None)
    assert [n.name for n in w.nodes] == ["node-1", "node-2", "node-3"]
    for n in w.nodes:
        assert n.capacity == {"cpu": "4", "memory": "8Gi", "ephemeral-storage": "100Gi", "pods": "110"}
        assert n.allocatable in ({}, n.capacity)
        assert n.taints == [] and n.images == [] and not n.unschedulable
        assert n.conditions["Ready"] == "True"
        assert n.labels == {"kubernetes.io/arch": "amd64", "kubernetes.io/hostname": n.name,
                            "kubernetes.io/os": "linux"}
    assert w.objects == []


def test_default_world_node_objects():
    node = load_world(None).to_node_objects()[0]
    assert node["kind"] == "Node" and node["metadata"]["name"] == "node-1"
    assert node["status"]["capacity"] == {"cpu": "4", "memory": "8Gi", "ephemeral-storage": "100Gi", "pods": "110"}
    assert node["status"]["allocatable"] == node["status"]["capacity"]
    conds = {c["type"]: (c["status"], c["reason"]) for c in node["status"]["conditions"]}
    assert conds["Ready"] == ("True", "KubeletReady")
    assert conds["MemoryPressure"] == ("False", "KubeletHasSufficientMemory")
    assert "taints" not in node["spec"] and "unschedulable" not in node["spec"]
    assert node["status"]["images"] == []


def test_load_world_returns_independent_copies():
    a = load_world(None)
    a.nodes[0].labels["x"] = "y"
    b = load_world(None)
    assert "x" not in b.nodes[0].labels


# -- parsing -----------------------------------------------------------------------------------

def test_full_node_fields_and_objects():
    w = world("""  nodes:
    - name: node-1
      capacity: {cpu: "2", memory: 4Gi, pods: "110"}
      allocatable: {cpu: 1900m, memory: 3500Mi}
      labels: {disktype: ssd}
      taints: [{key: dedicated, value: gpu, effect: NoSchedule}]
      unschedulable: true
      conditions: {Ready: "True", MemoryPressure: "True"}
      images: ["nginx:1.16.0"]
  registry:
    - image: nginx
      tags: ["1.16.0"]
      size: 60Mi
  objects:
    - apiVersion: v1
      kind: Pod
      metadata: {name: pre}
      spec: {containers: [{name: c, image: nginx:1.16.0}]}
""")
    n = w.nodes[0]
    assert n.allocatable == {"cpu": "1900m", "memory": "3500Mi", "ephemeral-storage": "100Gi", "pods": "110"}
    assert n.labels["disktype"] == "ssd" and n.labels["kubernetes.io/hostname"] == "node-1"
    obj = n.to_object(w.registry)
    keys = [(t["key"], t["effect"]) for t in obj["spec"]["taints"]]
    assert keys == [("dedicated", "NoSchedule"), ("node.kubernetes.io/memory-pressure", "NoSchedule"),
                    ("node.kubernetes.io/unschedulable", "NoSchedule")]
    assert obj["spec"]["unschedulable"] is True
    img = obj["status"]["images"][0]
    assert img["sizeBytes"] == 60 * 1024 * 1024
    assert "docker.io/library/nginx:1.16.0" in img["names"]
    assert w.objects[0]["metadata"]["name"] == "pre"
    assert w.object_sources == [("w.yaml", 19, 7)]


@pytest.mark.parametrize("count,first,last", [(3, "node-1", "node-3"), (10, "node-01", "node-10"),
                                              (5000, "node-0001", "node-5000")])
def test_node_groups_zero_padded_names(count, first, last):
    w = world(f"""  nodeGroups:
    - {{count: {count}, namePrefix: node-, template: {{capacity: {{cpu: "8", memory: 32Gi, pods: "110"}}}}}}
""")
    assert len(w.nodes) == count
    assert w.nodes[0].name == first and w.nodes[-1].name == last
    assert w.nodes[-1].capacity == {"cpu": "8", "memory": "32Gi", "ephemeral-storage": "100Gi", "pods": "110"}
    assert w.nodes[-1].labels["kubernetes.io/hostname"] == last


def test_unknown_field_is_located():
    assert error_of("  nodes:\n    - name: n1\n      cpus: 4\n") == 'w.yaml:7:7: unknown field "spec.nodes[0].cpus"'


def test_wrong_types_are_located():
    msg = error_of("  nodes:\n    - name: n1\n      unschedulable: yes please\n      labels: [a]\n")
    assert msg.splitlines() == [
        'w.yaml:7:22: spec.nodes[0].unschedulable: expected a boolean, got string \'yes please\'',
        "w.yaml:8:15: spec.nodes[0].labels: expected a map of strings, got array",
    ]


def test_bad_taint_quantity_duration_and_duplicates():
    msg = error_of("""  nodes:
    - name: n1
      capacity: {cpu: lots}
      taints: [{key: k, effect: Sometimes}]
    - name: n1
  registry:
    - image: app
      pullSeconds: soon
""")
    lines = msg.splitlines()
    assert lines[0] == ("w.yaml:7:23: spec.nodes[0].capacity.cpu: quantities must match the regular expression "
                        "'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'")
    assert lines[1].startswith('w.yaml:8:33: spec.nodes[0].taints[0].effect: Unsupported value: "Sometimes"')
    assert lines[2] == 'w.yaml:9:13: spec.nodes[1].name: Duplicate value: "n1"'
    assert lines[3].startswith("w.yaml:12:20: spec.registry[0].pullSeconds: invalid duration 'soon'")


def test_header_checks():
    with pytest.raises(UserError) as e:
        parse_world("apiVersion: v1\nkind: World\nspec: {}\n", "w.yaml")
    assert str(e.value) == 'w.yaml:1:13: apiVersion: Unsupported value: "v1": supported values: "kubetrainer/v1"'
    with pytest.raises(UserError) as e:
        parse_world("", "w.yaml")
    assert str(e.value).startswith("w.yaml:1:1: ")


def test_yaml_syntax_errors_are_located():
    with pytest.raises(UserError) as e:
        parse_world(HEAD + "  nodes: [\n", "w.yaml")
    assert str(e.value).startswith("w.yaml:")


def test_load_world_missing_file(tmp_path):
    with pytest.raises(UserError):
        load_world(str(tmp_path / "nope.yaml"))


def test_registry_process_fields_parsed():
    w = world("""  registry:
    - image: acme/api
      server: registry.example.com
      private: true
      tags: ["2"]
      pullSeconds: 1m
      process:
        listen: 8080
        http: {"/": 200, "/ready": [{status: 503}, {from: 10s, status: 200}]}
        exitAfter: 5s
        exitCode: 4
        memory: 64Mi
        onSigterm: ignore
""")
    e = w.registry.entries[0]
    assert e.repository == "registry.example.com/acme/api" and e.private and e.pull_seconds == 60.0
    p = e.process
    assert p.listen == [8080] and p.http["/ready"] == [(0.0, 503), (10.0, 200)]
    assert p.exit_after == 5.0 and p.exit_code == 4 and p.memory == 64 * 1024 * 1024 and p.on_sigterm == "ignore"
    assert w.registry.resolve("registry.example.com/acme/api:2").found


def test_world_file_inherits_default_registry_for_unlisted_repositories(tmp_path):
    f = tmp_path / "w.yaml"
    f.write_text(HEAD + "  nodes: [{name: a}]\n  registry:\n    - image: nginx\n      tags: [\"1.16.0\"]\n")
    w = load_world(str(f))
    assert w.registry.resolve("busybox:1.28").found
    assert w.registry.resolve("nginx:1.16.0").found and not w.registry.resolve("nginx:1.14.2").found


def test_float_tags_are_rejected_with_a_hint():
    msg = error_of("  registry:\n    - image: app\n      tags: [1.10, \"1.10\", 7]\n")
    assert msg == 'w.yaml:7:14: spec.registry[0].tags[0]: expected a string, got number 1.1 (quote it, e.g. "1.1")'


def test_world_objects_are_validated_as_the_api_server_would():
    msg = error_of("""  objects:
    - apiVersion: v1
      kind: Pod
      metadata: {name: bad}
      spec:
        containers: [{name: c, imagePullPolicy: Sometimes}]
        restartPolicy: Sometimes
""")
    lines = msg.splitlines()
    assert any(l.startswith("w.yaml:") and "restartPolicy" in l and "Unsupported value" in l for l in lines)
    assert all(l.startswith("w.yaml:") for l in lines)
    msg = error_of("""  objects:
    - apiVersion: apps/v1beta2
      kind: Deployment
      metadata: {name: old}
""")
    assert msg.startswith("w.yaml:6:19: ") and 'no matches for kind "Deployment" in version "apps/v1beta2"' in msg


def test_ephemeral_storage_default_and_override():
    """Every kubelet reports ephemeral-storage (fidelity #12): 100Gi unless the world file gives it."""
    from kubetrainer.sim.world import parse_world
    w = load_world(None)
    assert all(n.to_object()["status"]["allocatable"]["ephemeral-storage"] == "100Gi" for n in w.nodes)
    text = ("apiVersion: kubetrainer/v1\nkind: World\nmetadata: {name: w}\nspec:\n  nodes:\n"
            "  - name: small\n    capacity: {cpu: '2', ephemeral-storage: 20Gi}\n")
    n = parse_world(text, "w.yaml").nodes[0]
    assert n.capacity["ephemeral-storage"] == "20Gi" and n.allocatable["ephemeral-storage"] == "20Gi"
