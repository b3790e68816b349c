"""Per-plugin tables, taken from kube-scheduler's own unit tests where they exist."""

from __future__ import annotations

import numpy as np
import pytest

from kubetrainer.sim.scheduler.helper import default_normalize_score
from kubetrainer.sim.scheduler.plugins.balanced_allocation import balanced_score
from kubetrainer.sim.scheduler.plugins.imagelocality import calculate_priority, MB
from kubetrainer.sim.scheduler.plugins.noderesources_fit import least_allocated
from kubetrainer.sim.scheduler.podinfo import PodInfo, pod_requests

from tests.scheduler.kit import bind, framework, node, pod, three_nodes


# pkg/scheduler/framework/plugins/helper/normalize_score_test.go TestDefaultNormalizeScore
@pytest.mark.parametrize("reverse,scores,expected", [
    (False, [1, 2, 3, 4], [25, 50, 75, 100]),
    (True, [1, 2, 3, 4], [75, 50, 25, 0]),
    (False, [1000, 10, 20, 30], [100, 1, 2, 3]),
    (True, [1000, 10, 20, 30], [0, 99, 98, 97]),
    (False, [1, 1, 1, 1], [100, 100, 100, 100]),
    (True, [1, 1, 1, 1], [0, 0, 0, 0]),
    (False, [0, 0, 0, 0], [0, 0, 0, 0]),
    (True, [0, 0, 0, 0], [100, 100, 100, 100]),
])
def test_default_normalize_score(reverse, scores, expected):
    assert default_normalize_score(np.array(scores), 100, reverse).tolist() == expected


# pkg/scheduler/framework/plugins/noderesources/least_allocated_test.go (worked comments)
@pytest.mark.parametrize("req_cpu,alloc_cpu,req_mem,alloc_mem,expected", [
    # nothing scheduled, resources requested, differently sized nodes: 37 / 50
    ([3000, 3000], [4000, 6000], [5000, 5000], [10000, 10000], [37, 50]),
    # no resources requested, pods scheduled with resources: (40+100)/2=70, (40+75)/2=57
    ([6000, 6000], [10000, 10000], [0, 5000], [20000, 20000], [70, 57]),
    # requested resources exceed node capacity: cpu 0, memory 50 -> 25
    ([6000, 6000], [4000, 6000], [5000, 5000], [10000, 10000], [25, 25]),
    # zero node resources: 0
    ([1000], [0], [1000], [0], [0]),
])
def test_least_allocated(req_cpu, alloc_cpu, req_mem, alloc_mem, expected):
    assert least_allocated(req_cpu, alloc_cpu, req_mem, alloc_mem).tolist() == expected


# pkg/scheduler/framework/plugins/noderesources/balanced_allocation_test.go (worked comments)
@pytest.mark.parametrize("req_cpu,alloc_cpu,req_mem,alloc_mem,expected", [
    ([3000, 3000], [4000, 6000], [5000, 5000], [10000, 10000], [87, 100]),
    # fractions above 1 are capped: cpu 1.0, memory 0.5 -> std .25 -> 75
    ([6000], [4000], [5000], [10000], [75]),
])
def test_balanced_allocation(req_cpu, alloc_cpu, req_mem, alloc_mem, expected):
    assert balanced_score(req_cpu, alloc_cpu, req_mem, alloc_mem).tolist() == expected


def test_worked_example_scoring_node2_wins():
    """KUBERNETES.md 11.4 worked example."""
    fw = framework([node("node-1"), node("node-2")])
    bind(fw, pod("a", "2", "1Gi"), "node-1")
    bind(fw, pod("b", "1", "1Gi"), "node-2")
    res = fw.schedule(PodInfo(pod("web", "500m", "256Mi")))
    rec = res.record
    s = {(e["node"], e["plugin"]): e for e in rec.scores()}
    assert s[("node-1", "NodeResourcesFit")]["raw"] == 60
    assert s[("node-2", "NodeResourcesFit")]["raw"] == 73
    assert s[("node-1", "NodeResourcesBalancedAllocation")]["raw"] == 76
    assert s[("node-2", "NodeResourcesBalancedAllocation")]["raw"] == 89
    assert res.node == "node-2"


# pkg/scheduler/framework/plugins/tainttoleration/taint_toleration_test.go TestTaintTolerationScore
def test_taint_toleration_score_tolerated_gets_higher_score():
    tol = [{"key": "foo", "operator": "Equal", "value": "bar", "effect": "PreferNoSchedule"}]
    fw = framework([node("nodeA", taints=[{"key": "foo", "value": "bar", "effect": "PreferNoSchedule"}]),
                    node("nodeB", taints=[{"key": "foo", "value": "blah", "effect": "PreferNoSchedule"}])])
    rec = fw.schedule(PodInfo(pod("p", tolerations=tol))).record
    got = {e["node"]: e["normalized"] for e in rec.scores() if e["plugin"] == "TaintToleration"}
    assert got == {"nodeA": 100, "nodeB": 0}


def test_taint_toleration_score_more_intolerable_taints_lower_score():
    tol = [{"key": "foo", "operator": "Equal", "value": "bar", "effect": "PreferNoSchedule"}]
    fw = framework([node("nodeA"),
                    node("nodeB", taints=[{"key": "cpu-type", "value": "arm64", "effect": "PreferNoSchedule"}]),
                    node("nodeC", taints=[{"key": "cpu-type", "value": "arm64", "effect": "PreferNoSchedule"},
                                          {"key": "disk-type", "value": "ssd", "effect": "PreferNoSchedule"}])])
    rec = fw.schedule(PodInfo(pod("p", tolerations=tol))).record
    got = {e["node"]: e["normalized"] for e in rec.scores() if e["plugin"] == "TaintToleration"}
    assert got == {"nodeA": 100, "nodeB": 50, "nodeC": 0}


# TestTaintTolerationFilter: "A pod which has no tolerations cannot be scheduled onto a node with taint"
def test_taint_filter_reason_and_tolerated():
    taint = {"key": "dedicated", "value": "user1", "effect": "NoSchedule"}
    fw = framework([node("nodeA", taints=[taint])])
    res = fw.schedule(PodInfo(pod("p")))
    assert res.node is None
    assert res.record.node_reasons(0) == ["node(s) had untolerated taint {dedicated: user1}"]
    assert res.unresolvable_all
    tol = [{"key": "dedicated", "operator": "Equal", "value": "user1", "effect": "NoSchedule"}]
    assert fw.schedule(PodInfo(pod("q", tolerations=tol))).node == "nodeA"
    # PreferNoSchedule taints never filter; an empty value prints as {key: }
    fw = framework([node("nodeA", taints=[{"key": "k", "effect": "NoExecute"}])])
    assert fw.schedule(PodInfo(pod("r"))).record.node_reasons(0) == ["node(s) had untolerated taint {k: }"]


def test_pod_requests_init_containers_sidecars_and_overhead():
    spec = {"containers": [{"resources": {"requests": {"cpu": "100m"}}}, {"resources": {"requests": {"cpu": "200m"}}}],
            "initContainers": [{"resources": {"requests": {"cpu": "1"}}},
                               {"restartPolicy": "Always", "resources": {"requests": {"cpu": "50m"}}}],
            "overhead": {"cpu": "10m"}}
    # sum(containers)+sidecar = 350m; regular init 1000m (no sidecar before it) -> max 1000m; + overhead
    assert pod_requests(spec)["cpu"] == 1010
    nz = pod_requests({"containers": [{"resources": {}}]}, non_zero=True)
    assert nz == {"cpu": 100, "memory": 200 * 1024 * 1024}


def test_node_affinity_required_and_preferred():
    nodes = [node("node-1", labels={"disktype": "ssd"}), node("node-2", labels={"disktype": "hdd"}), node("node-3")]
    fw = framework(nodes)
    aff = {"nodeAffinity": {
        "requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": [
            {"matchExpressions": [{"key": "disktype", "operator": "Exists"}]}]},
        "preferredDuringSchedulingIgnoredDuringExecution": [
            {"weight": 5, "preference": {"matchExpressions": [{"key": "disktype", "operator": "In", "values": ["hdd"]}]}}]}}
    res = fw.schedule(PodInfo(pod("p", affinity=aff)))
    assert res.node == "node-2"
    f = {(e["node"], e["plugin"]): e for e in res.record.filters()}
    assert f[("node-3", "NodeAffinity")]["reason"] == "node(s) didn't match Pod's node affinity/selector"
    assert f[("node-3", "NodePorts")]["afterFirstFailure"] is True
    s = {(e["node"], e["plugin"]): e for e in res.record.scores()}
    assert (s[("node-2", "NodeAffinity")]["raw"], s[("node-2", "NodeAffinity")]["normalized"]) == (5, 100)
    assert s[("node-1", "NodeAffinity")]["normalized"] == 0


def test_node_ports_conflict():
    fw = framework([node("node-1"), node("node-2")])
    ports = [{"containerPort": 80, "hostPort": 8080}]
    p1 = pod("a")
    p1["spec"]["containers"][0]["ports"] = ports
    bind(fw, p1, "node-1")
    p2 = pod("b")
    p2["spec"]["containers"][0]["ports"] = ports
    res = fw.schedule(PodInfo(p2))
    assert res.node == "node-2"
    f = {(e["node"], e["plugin"]): e for e in res.record.filters()}
    assert f[("node-1", "NodePorts")]["reason"] == "node(s) didn't have free ports for the requested pod ports"


def test_too_many_pods_listed_with_insufficient_resources():
    fw = framework([node("node-1", pods="1")])
    bind(fw, pod("a", "1"), "node-1")
    res = fw.schedule(PodInfo(pod("b", "4", "9Gi")))
    assert res.record.node_reasons(0) == ["Too many pods", "Insufficient cpu", "Insufficient memory"]


def test_image_locality():
    assert calculate_priority(np.array([0, 23 * MB, 1000 * MB, 5000 * MB]), 1).tolist() == [0, 0, 100, 100]
    img = [{"names": ["docker.io/library/nginx:1.16.0"], "sizeBytes": 500 * MB}]
    fw = framework([node("node-1", images=img), node("node-2")])
    rec = fw.schedule(PodInfo(pod("p", image="nginx:1.16.0"))).record
    s = {(e["node"], e["plugin"]): e["raw"] for e in rec.scores()}
    # 500MiB * 1/2 nodes = 250MiB -> 100*(250-23)/(1000-23) = 23
    assert s[("node-1", "ImageLocality")] == 23 and s[("node-2", "ImageLocality")] == 0


def test_topology_spread_filter_max_skew():
    nodes = [node(f"node-{k}", labels={"zone": z}) for k, z in ((1, "a"), (2, "a"), (3, "b"))]
    fw = framework(nodes)
    for k in range(2):
        bind(fw, pod(f"x{k}", labels={"app": "web"}), "node-1")
    c = [{"maxSkew": 1, "topologyKey": "zone", "whenUnsatisfiable": "DoNotSchedule",
          "labelSelector": {"matchLabels": {"app": "web"}}}]
    res = fw.schedule(PodInfo(pod("p", labels={"app": "web"}, topologySpreadConstraints=c)))
    assert res.node == "node-3"
    f = {(e["node"], e["plugin"]): e for e in res.record.filters()}
    assert f[("node-1", "PodTopologySpread")]["reason"] == "node(s) didn't match pod topology spread constraints"
    c[0]["topologyKey"] = "rack"
    res = fw.schedule(PodInfo(pod("q", labels={"app": "web"}, topologySpreadConstraints=c)))
    assert res.record.node_reasons(0) == ["node(s) didn't match pod topology spread constraints (missing required label)"]


def test_inter_pod_anti_affinity():
    fw = framework(three_nodes())
    bind(fw, pod("db", labels={"app": "db"}), "node-1")
    anti = {"podAntiAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": [
        {"labelSelector": {"matchLabels": {"app": "db"}}, "topologyKey": "kubernetes.io/hostname"}]}}
    res = fw.schedule(PodInfo(pod("p", affinity=anti)))
    assert res.node in ("node-2", "node-3")
    assert res.record.node_reasons(0) == ["node(s) didn't match pod anti-affinity rules"]
    aff = {"podAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": [
        {"labelSelector": {"matchLabels": {"app": "db"}}, "topologyKey": "kubernetes.io/hostname"}]}}
    assert fw.schedule(PodInfo(pod("q", affinity=aff))).node == "node-1"


def test_legacy_names_from_the_seed_map_to_plugins():
    from kubetrainer.sim.scheduler.explain import legacy_names, plugin_for_legacy

    seed = {"CheckNodeConditionPredicate": "TaintToleration", "PodFitsHost": "NodeName", "PodFitsHostPorts": "NodePorts",
            "PodMatchNodeSelector": "NodeAffinity", "PodFitsResources": "NodeResourcesFit",
            "NoDiskConflict": "VolumeRestrictions", "PodToleratesNodeTaints": "TaintToleration",
            "MaxPDVolumeCountPredicate": "NodeVolumeLimits", "CheckNodeMemoryPressurePredicate": "TaintToleration",
            "InterPodAffinityMatches": "InterPodAffinity", "BalancedResourceAllocation": "NodeResourcesBalancedAllocation",
            "LeastRequestedPriority": "NodeResourcesFit", "SelectorSpreadPriority": "PodTopologySpread",
            "ImageLocalityPriority": "ImageLocality", "TaintTolerationPriority": "TaintToleration"}
    for legacy, plugin in seed.items():
        assert plugin_for_legacy(legacy).split(" ")[0] == plugin, legacy
    assert "PodFitsResources" in legacy_names("NodeResourcesFit")
