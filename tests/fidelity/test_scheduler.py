"""`kubetrainer schedule --format json` (and FailedScheduling in `simulate`) against kube-scheduler's
default profile: chosen node and the exact FitError text (pkg/scheduler/framework/types.go
FitError.Error: counts, byte-order sorting, the `preemption: ` suffix from DefaultPreemption)."""

from __future__ import annotations

import pytest

from .fid import schedule, simulate, world, write

NODES3 = "".join(f"""    - name: node-{i}
      capacity: {{cpu: "4", memory: 8Gi, pods: "110"}}
""" for i in (1, 2, 3))

NOT_HELPFUL3 = " preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling."


def pod(name, spec, meta=""):
    return f"apiVersion: v1\nkind: Pod\nmetadata:\n  name: {name}\n{meta}spec:\n{spec}"


def req(name, cpu=None, mem=None, extra=""):
    r = []
    if cpu:
        r.append(f"cpu: \"{cpu}\"")
    if mem:
        r.append(f"memory: {mem}")
    res = f"    resources:\n      requests: {{{', '.join(r)}}}\n" if r else ""
    return pod(name, f"{extra}  containers:\n  - name: app\n    image: nginx:1.25\n{res}")


def one(result, name=None):
    pods = result["pods"]
    if name is None:
        assert len(pods) == 1, pods
        return pods[0]
    return next(p for p in pods if p["name"] == name)


def world_with(nodes: str, objects: str = "") -> str:
    text = world(nodes)
    if objects:
        text += "  objects:\n" + objects
    return text


def bound_pod(name, node, cpu=None, mem=None, priority_class=None, ports=""):
    r = []
    if cpu:
        r.append(f"cpu: \"{cpu}\"")
    if mem:
        r.append(f"memory: {mem}")
    res = f", resources: {{requests: {{{', '.join(r)}}}}}" if r else ""
    pc = f"\n        priorityClassName: {priority_class}" if priority_class else ""
    return f"""    - apiVersion: v1
      kind: Pod
      metadata: {{name: {name}}}
      spec:
        nodeName: {node}{pc}
        containers: [{{name: c, image: nginx:1.25{res}{ports}}}]
"""


# --- FitError messages --------------------------------------------------------------------------

def test_memory_request_limit_3_docs_insufficient_memory():
    """pods/resource/memory-request-limit-3.yaml: 1000Gi > allocatable → Unresolvable since v1.34
    (noderesources/fit.go fitsRequest Unresolvable) → `Preemption is not helpful`."""
    m = pod("memory-demo-3", """  containers:
  - name: memory-demo-3-ctr
    image: polinux/stress
    resources:
      requests:
        memory: "1000Gi"
      limits:
        memory: "1000Gi"
    command: ["stress"]
    args: ["--vm", "1", "--vm-bytes", "150M", "--vm-hang", "1"]
""", meta="  namespace: mem-example\n")
    p = one(schedule(m))
    assert p["node"] is None
    assert p["message"] == "0/3 nodes are available: 3 Insufficient memory." + NOT_HELPFUL3


def test_cpu_request_limit_2_docs_insufficient_cpu():
    p = one(schedule(req("cpu-demo-2", cpu="100")))
    assert p["node"] is None
    assert p["message"] == "0/3 nodes are available: 3 Insufficient cpu." + NOT_HELPFUL3


def test_cpu_and_memory_both_listed_sorted():
    p = one(schedule(req("huge", cpu="5", mem="16Gi")))
    assert p["message"] == "0/3 nodes are available: 3 Insufficient cpu, 3 Insufficient memory." + NOT_HELPFUL3


def test_node_selector_docs_pod_nginx_no_labels():
    p = one(schedule("docs/pod-nginx"))
    assert p["node"] is None
    assert p["message"] == "0/3 nodes are available: 3 node(s) didn't match Pod's node affinity/selector." + NOT_HELPFUL3


def test_node_selector_docs_pod_nginx_labeled_node():
    w = world(NODES3.replace("    - name: node-2\n      capacity: {cpu: \"4\", memory: 8Gi, pods: \"110\"}\n",
                             "    - name: node-2\n      capacity: {cpu: \"4\", memory: 8Gi, pods: \"110\"}\n"
                             "      labels: {disktype: ssd}\n"))
    p = one(schedule("docs/pod-nginx", world=write(w)))
    assert p["node"] == "node-2"


def test_node_affinity_docs_no_zone_labels():
    p = one(schedule("docs/pod-with-node-affinity"))
    assert p["message"] == "0/3 nodes are available: 3 node(s) didn't match Pod's node affinity/selector." + NOT_HELPFUL3


def test_node_affinity_docs_required_and_preferred():
    """NodeAffinity filter (required terms) then score (preferred weight 1, normalized to 100, ×2)."""
    nodes = """    - name: node-1
      capacity: {cpu: "4", memory: 8Gi, pods: "110"}
      labels: {topology.kubernetes.io/zone: antarctica-east1}
    - name: node-2
      capacity: {cpu: "4", memory: 8Gi, pods: "110"}
      labels: {topology.kubernetes.io/zone: antarctica-west1, another-node-label-key: another-node-label-value}
    - name: node-3
      capacity: {cpu: "4", memory: 8Gi, pods: "110"}
      labels: {another-node-label-key: another-node-label-value}
"""
    p = one(schedule("docs/pod-with-node-affinity", world=write(world(nodes))))
    assert p["node"] == "node-2"
    na = {s["node"]: s for s in p["scores"] if s["plugin"] == "NodeAffinity"}
    assert na["node-2"]["normalized"] == 100 and na["node-1"]["normalized"] == 0
    assert "node-3" not in na


def test_taints_message_names_first_untolerated_taint_sorted():
    """TaintToleration Filter: `node(s) had untolerated taint {key: value}`; sort.Strings over
    "<count> <reason>"."""
    nodes = """    - name: node-1
      capacity: {cpu: "4", memory: 8Gi, pods: "110"}
      taints: [{key: example-key, value: v, effect: NoSchedule}]
    - name: node-2
      capacity: {cpu: "4", memory: 8Gi, pods: "110"}
      taints: [{key: dedicated, value: gpu, effect: NoSchedule}]
    - name: node-3
      capacity: {cpu: "4", memory: 8Gi, pods: "110"}
      taints: [{key: dedicated, value: gpu, effect: NoExecute}]
"""
    w = write(world(nodes))
    p = one(schedule(req("plain"), world=w))
    assert p["message"] == ("0/3 nodes are available: 1 node(s) had untolerated taint {example-key: v}, "
                            "2 node(s) had untolerated taint {dedicated: gpu}." + NOT_HELPFUL3)
    tol = one(schedule("docs/pod-with-toleration", world=w))
    assert tol["node"] == "node-1"


def test_taint_empty_value_and_prefer_noschedule_ignored_by_filter():
    nodes = """    - name: node-1
      capacity: {cpu: "4", memory: 8Gi, pods: "110"}
      taints: [{key: maintenance, effect: NoSchedule}]
    - name: node-2
      capacity: {cpu: "4", memory: 8Gi, pods: "110"}
      taints: [{key: soft, value: x, effect: PreferNoSchedule}]
"""
    p = one(schedule(req("plain"), world=write(world(nodes))))
    assert p["node"] == "node-2"
    f = [x for x in p["filters"] if x["node"] == "node-1" and not x["passed"]]
    assert f[0]["plugin"] == "TaintToleration" and f[0]["reason"] == "node(s) had untolerated taint {maintenance: }"


def test_prefer_noschedule_score_prefers_untainted():
    """TaintToleration Score: untolerated PreferNoSchedule count, normalized reverse → 0 vs 100."""
    nodes = """    - name: node-1
      capacity: {cpu: "4", memory: 8Gi, pods: "110"}
      taints: [{key: soft, value: x, effect: PreferNoSchedule}]
    - name: node-2
      capacity: {cpu: "4", memory: 8Gi, pods: "110"}
"""
    p = one(schedule(req("plain"), world=write(world(nodes))))
    assert p["node"] == "node-2"
    tt = {s["node"]: s["normalized"] for s in p["scores"] if s["plugin"] == "TaintToleration"}
    assert tt == {"node-1": 0, "node-2": 100}


def test_mixed_reasons_and_preemption_suffix():
    """Cordoned (NodeUnschedulable) and tainted nodes are UnschedulableAndUnresolvable → `Preemption is
    not helpful`; a node short of cpu with only equal-priority pods → `No preemption victims found
    for incoming pod` (default_preemption selectVictimsOnNode)."""
    nodes = """    - name: node-1
      capacity: {cpu: "4", memory: 8Gi, pods: "110"}
      unschedulable: true
    - name: node-2
      capacity: {cpu: "4", memory: 8Gi, pods: "110"}
      taints: [{key: dedicated, value: gpu, effect: NoSchedule}]
    - name: node-3
      capacity: {cpu: "4", memory: 8Gi, pods: "110"}
"""
    w = write(world_with(nodes, bound_pod("busy", "node-3", cpu="3500m")))
    p = one(schedule(req("web", cpu="1"), world=w))
    assert p["node"] is None
    assert p["message"] == (
        "0/3 nodes are available: 1 Insufficient cpu, 1 node(s) had untolerated taint {dedicated: gpu}, "
        "1 node(s) were unschedulable. preemption: 0/3 nodes are available: "
        "1 No preemption victims found for incoming pod, 2 Preemption is not helpful for scheduling.")


def test_first_failing_filter_only():
    """RunFilterPlugins stops at the first failure: a cordoned node short of cpu says only unschedulable."""
    nodes = """    - name: node-1
      capacity: {cpu: "1", memory: 8Gi, pods: "110"}
      unschedulable: true
"""
    p = one(schedule(req("web", cpu="2"), world=write(world(nodes))))
    assert p["message"] == ("0/1 nodes are available: 1 node(s) were unschedulable. preemption: 0/1 nodes are "
                            "available: 1 Preemption is not helpful for scheduling.")


def test_too_many_pods():
    nodes = """    - name: node-1
      capacity: {cpu: "4", memory: 8Gi, pods: "1"}
"""
    w = write(world_with(nodes, bound_pod("only", "node-1")))
    p = one(schedule(req("web"), world=w))
    assert p["message"] == ("0/1 nodes are available: 1 Too many pods. preemption: 0/1 nodes are available: "
                            "1 No preemption victims found for incoming pod.")


def test_count_sorting_is_byte_order():
    """sort.Strings: "10 Insufficient cpu" sorts before "2 node(s) ..." (byte order, not numeric)."""
    w = """apiVersion: kubetrainer/v1
kind: World
metadata: {name: t}
spec:
  nodes:
    - name: tainted-1
      capacity: {cpu: "8", memory: 8Gi, pods: "110"}
      taints: [{key: a, value: b, effect: NoSchedule}]
    - name: tainted-2
      capacity: {cpu: "8", memory: 8Gi, pods: "110"}
      taints: [{key: a, value: b, effect: NoSchedule}]
  nodeGroups:
    - {count: 10, namePrefix: small-, template: {capacity: {cpu: "1", memory: 8Gi, pods: "110"}}}
"""
    p = one(schedule(req("web", cpu="2"), world=write(w)))
    assert p["message"] == ("0/12 nodes are available: 10 Insufficient cpu, 2 node(s) had untolerated taint {a: b}. "
                            "preemption: 0/12 nodes are available: 12 Preemption is not helpful for scheduling.")


def test_not_ready_node_condition_taint():
    """TaintNodesByCondition: Ready=False → node.kubernetes.io/not-ready:NoSchedule."""
    nodes = """    - name: node-1
      capacity: {cpu: "4", memory: 8Gi, pods: "110"}
      conditions: {Ready: "False"}
"""
    p = one(schedule(req("web"), world=write(world(nodes))))
    assert p["message"] == ("0/1 nodes are available: 1 node(s) had untolerated taint {node.kubernetes.io/not-ready: }. "
                            "preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.")


def test_host_port_conflict():
    nodes = """    - name: node-1
      capacity: {cpu: "4", memory: 8Gi, pods: "110"}
"""
    w = write(world_with(nodes, bound_pod("web1", "node-1", ports=", ports: [{containerPort: 80, hostPort: 8080}]")))
    m = pod("web2", "  containers:\n  - name: app\n    image: nginx:1.25\n    ports:\n    - containerPort: 80\n"
                    "      hostPort: 8080\n")
    p = one(schedule(m, world=w))
    assert p["message"] == ("0/1 nodes are available: 1 node(s) didn't have free ports for the requested pod ports. "
                            "preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.")


def test_pod_affinity_docs_no_matching_pods():
    """pods/pod-with-pod-affinity.yaml: required podAffinity security=S1 on zone; nothing matches."""
    m = """apiVersion: v1
kind: Pod
metadata:
  name: with-pod-affinity
spec:
  affinity:
    podAffinity:
      requiredDuringSchedulingIgnoredDuringExecution:
      - labelSelector:
          matchExpressions:
          - key: security
            operator: In
            values:
            - S1
        topologyKey: topology.kubernetes.io/zone
    podAntiAffinity:
      preferredDuringSchedulingIgnoredDuringExecution:
      - weight: 100
        podAffinityTerm:
          labelSelector:
            matchExpressions:
            - key: security
              operator: In
              values:
              - S2
          topologyKey: topology.kubernetes.io/zone
  containers:
  - name: with-pod-affinity
    image: registry.k8s.io/pause:3.8
"""
    p = one(schedule(m))
    assert p["node"] is None
    assert p["message"] == "0/3 nodes are available: 3 node(s) didn't match pod affinity rules." + NOT_HELPFUL3


def test_pod_anti_affinity_spreads_replicas():
    """InterPodAffinity filter: required anti-affinity on hostname → 3 replicas on 3 nodes, 4th unschedulable."""
    d = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: spread
spec:
  replicas: 4
  selector:
    matchLabels: {app: spread}
  template:
    metadata:
      labels: {app: spread}
    spec:
      affinity:
        podAntiAffinity:
          requiredDuringSchedulingIgnoredDuringExecution:
          - labelSelector:
              matchLabels: {app: spread}
            topologyKey: kubernetes.io/hostname
      containers:
      - name: app
        image: nginx:1.25
"""
    s = simulate(d, until=30)
    live = s.pods_named("spread-", live_only=True)
    placed = sorted(p["node"] for p in live if p["node"])
    assert placed == ["node-1", "node-2", "node-3"]
    pending = [p for p in live if p["node"] is None]
    assert len(pending) == 1
    fs = s.ev("FailedScheduling", pending[0]["name"])
    assert fs and fs[0]["message"] == (
        "0/3 nodes are available: 3 node(s) didn't match pod anti-affinity rules. preemption: 0/3 nodes are "
        "available: 3 No preemption victims found for incoming pod.")


# --- scoring ---------------------------------------------------------------------------------

def test_least_allocated_and_balanced_worked_example():
    """KUBERNETES.md §11.4 worked example: node-1 (2 CPU/1Gi used) vs node-2 (1 CPU/1Gi): pod
    500m/256Mi → LeastAllocated 60 vs 73, BalancedAllocation 76 vs 89 → node-2."""
    nodes = """    - name: node-1
      capacity: {cpu: "4", memory: 8Gi, pods: "110"}
    - name: node-2
      capacity: {cpu: "4", memory: 8Gi, pods: "110"}
"""
    w = write(world_with(nodes, bound_pod("a", "node-1", cpu="2", mem="1Gi") + bound_pod("b", "node-2", cpu="1", mem="1Gi")))
    p = one(schedule(req("web", cpu="500m", mem="256Mi"), world=w))
    assert p["node"] == "node-2"
    sc = {(s["node"], s["plugin"]): s for s in p["scores"]}
    assert sc[("node-1", "NodeResourcesFit")]["raw"] == 60
    assert sc[("node-2", "NodeResourcesFit")]["raw"] == 73
    assert sc[("node-1", "NodeResourcesBalancedAllocation")]["raw"] == 76
    assert sc[("node-2", "NodeResourcesBalancedAllocation")]["raw"] == 89
    assert sc[("node-1", "TaintToleration")]["weight"] == 3 and sc[("node-1", "NodeAffinity")]["weight"] == 2


def test_pods_in_file_see_the_ones_before():
    nodes = """    - name: node-1
      capacity: {cpu: "4", memory: 8Gi, pods: "110"}
"""
    m = req("first", cpu="3") + "---\n" + req("second", cpu="3")
    r = schedule(m, world=write(world(nodes)))
    assert one(r, "first")["node"] == "node-1"
    assert one(r, "second")["message"] == (
        "0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: "
        "1 No preemption victims found for incoming pod.")


def test_deployment_in_file_contributes_its_pods_spread():
    r = schedule("docs/nginx-deployment")
    nodes = sorted(p["node"] for p in r["pods"])
    assert len(nodes) == 3 and nodes == ["node-1", "node-2", "node-3"]


def test_preemption_nominates_and_names_victims():
    nodes = """    - name: node-1
      capacity: {cpu: "4", memory: 8Gi, pods: "110"}
"""
    objs = """    - apiVersion: scheduling.k8s.io/v1
      kind: PriorityClass
      metadata: {name: high}
      value: 1000
""" + bound_pod("low", "node-1", cpu="3")
    m = req("urgent", cpu="2", extra="  priorityClassName: high\n")
    p = one(schedule(m, world=write(world_with(nodes, objs))))
    assert p["node"] is None
    assert p["preemption"]["nominatedNode"] == "node-1"
    assert [v if isinstance(v, str) else v.get("name") for v in p["preemption"]["victims"]] in (["low"], ["default/low"])


# --- FailedScheduling in simulate ----------------------------------------------------------

def test_failed_scheduling_event_and_condition_then_label_fixes():
    s = simulate("docs/pod-nginx", until=60, at=[(30, "kubectl label nodes node-2 disktype=ssd")])
    fs = s.ev("FailedScheduling", "nginx")
    assert fs and fs[0]["type"] == "Warning" and fs[0]["time"] <= 1
    assert fs[0]["message"] == "0/3 nodes are available: 3 node(s) didn't match Pod's node affinity/selector." + NOT_HELPFUL3
    sch = s.ev("Scheduled", "nginx")
    assert sch and 30 <= sch[0]["time"] <= 31
    assert sch[0]["message"] == "Successfully assigned default/nginx to node-2"
    assert s.pod("nginx")["node"] == "node-2" and s.pod("nginx")["status"] == "Running"


def test_unschedulable_pod_condition_and_status():
    s = simulate(req("huge", cpu="100"), until=30)
    p = s.pod("huge")
    assert (p["phase"], p["status"], p["node"]) == ("Pending", "Pending", None)
    assert p["conditions"]["PodScheduled"] == "False"
    assert p["containers"] == [] or all(c["state"] == "waiting" for c in p["containers"])


def test_taint_added_later_does_not_evict_noschedule():
    """NoSchedule only affects new placements: a running pod stays after `kubectl taint`."""
    s = simulate(req("web", extra="  nodeName: node-1\n"), until=60,
                 at=[(20, "kubectl taint nodes node-1 dedicated=gpu:NoSchedule")])
    assert s.pod("web")["status"] == "Running" and not s.pod("web")["deleted"]


def test_noexecute_taint_evicts_untolerating_pod():
    """taint_eviction.go: NoExecute without toleration → deleted at once (TaintManagerEviction)."""
    s = simulate(req("web", extra="  nodeName: node-1\n"), until=60,
                 at=[(20, "kubectl taint nodes node-1 dedicated=gpu:NoExecute")])
    e = s.ev("TaintManagerEviction", "web")
    assert e and e[0]["message"] == "Marking for deletion Pod default/web" and 20 <= e[0]["time"] <= 21
    assert s.pod("web")["deleted"] or s.pod("web")["status"] == "Terminating"


def test_preemption_in_simulate_victim_then_preemptor_binds():
    """default_preemption: victim gets Normal Preempted `Preempted by pod <uid> on node <node>` and a
    graceful delete; the preemptor's FailedScheduling has no `preemption:` suffix (PostFilter
    succeeded → empty PostFilterMsg) and it binds once the victim is gone."""
    nodes = """    - name: node-1
      capacity: {cpu: "4", memory: 8Gi, pods: "110"}
"""
    objs = """    - apiVersion: scheduling.k8s.io/v1
      kind: PriorityClass
      metadata: {name: high}
      value: 1000
""" + bound_pod("low", "node-1", cpu="3")
    urgent = write(req("urgent", cpu="2", extra="  priorityClassName: high\n"), "urgent.yaml")
    s = simulate(req("filler", cpu="100m"), world=write(world_with(nodes, objs)), until=90,
                 at=[(30, f"kubectl apply -f {urgent}")])
    assert s.first("low", status="Running") is not None and s.first("low", status="Running") < 30
    pre = s.ev("Preempted", "low")
    import re
    assert pre and re.fullmatch(r"Preempted by pod [0-9a-f-]{36} on node node-1", pre[0]["message"])
    assert 30 <= pre[0]["time"] <= 31
    fs = s.ev("FailedScheduling", "urgent")
    assert fs and fs[0]["message"] == "0/1 nodes are available: 1 Insufficient cpu."
    gone = s.pod("low")["deletedAt"]
    assert gone is not None and 30 <= gone <= 33
    sch = s.ev("Scheduled", "urgent")
    assert sch and gone <= sch[0]["time"] <= gone + 11
    assert s.pod("urgent")["node"] == "node-1" and s.pod("urgent")["status"] == "Running"


def test_equal_priority_never_preempts_in_simulate():
    nodes = """    - name: node-1
      capacity: {cpu: "4", memory: 8Gi, pods: "110"}
"""
    w = write(world_with(nodes, bound_pod("low", "node-1", cpu="3")))
    s = simulate(req("late", cpu="2"), world=w, until=40)
    assert not s.ev("Preempted")
    assert s.pod("low")["status"] == "Running"
    assert s.ev("FailedScheduling", "late")[0]["message"] == (
        "0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: "
        "1 No preemption victims found for incoming pod.")


def test_topology_spread_do_not_schedule():
    """PodTopologySpread filter: `node(s) didn't match pod topology spread constraints` and the
    missing-label variant `(missing required label)`."""
    d = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: ts
spec:
  replicas: 2
  selector:
    matchLabels: {app: ts}
  template:
    metadata:
      labels: {app: ts}
    spec:
      topologySpreadConstraints:
      - maxSkew: 1
        topologyKey: topology.kubernetes.io/zone
        whenUnsatisfiable: DoNotSchedule
        labelSelector:
          matchLabels: {app: ts}
      containers:
      - name: app
        image: nginx:1.25
"""
    s = simulate(d, until=20)
    pend = [p for p in s.pods_named("ts-") if p["node"] is None]
    assert len(pend) == 2
    msg = s.ev("FailedScheduling", pend[0]["name"])[0]["message"]
    assert msg == ("0/3 nodes are available: 3 node(s) didn't match pod topology spread constraints (missing required "
                   "label). preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.")


def test_nodename_admission_out_of_pods_and_affinity():
    """predicate.go: OutOfpods `Node didn't have enough resource: pods, requested: 1, used: 1, capacity: 1`;
    nodeSelector mismatch → NodeAffinity `Predicate NodeAffinity failed: ...`."""
    w = write(world_with("""    - name: node-1
      capacity: {cpu: "4", memory: 8Gi, pods: "1"}
""", bound_pod("only", "node-1")))
    s = simulate(pod("extra", "  nodeName: node-1\n  containers:\n  - name: web\n    image: nginx:1.25\n"), world=w, until=20)
    assert s.pod("extra")["status"] == "OutOfpods"
    assert s.ev("OutOfpods", "extra")[0]["message"] == "Node didn't have enough resource: pods, requested: 1, used: 1, capacity: 1"
    s = simulate(pod("aff", "  nodeName: node-1\n  nodeSelector: {disktype: ssd}\n  containers:\n  - name: web\n"
                            "    image: nginx:1.25\n"), until=20)
    assert (s.pod("aff")["phase"], s.pod("aff")["status"]) == ("Failed", "NodeAffinity")
    assert s.ev("NodeAffinity", "aff")[0]["message"] == (
        "Predicate NodeAffinity failed: node(s) didn't match Pod's node affinity/selector")


def test_image_locality_prefers_nodes_with_the_image():
    """image_locality.go: sum = size × nodesWithImage/total (67Mi × 2/3 ≈ 44.7Mi), clamp [23Mi, 1000Mi],
    score = 100 × (sum − 23Mi)/(1000Mi − 23Mi) = 2 on the two nodes that hold it, 0 on the other."""
    nodes = """    - name: node-1
      capacity: {cpu: "4", memory: 8Gi, pods: "110"}
      images: ["nginx:1.25"]
    - name: node-2
      capacity: {cpu: "4", memory: 8Gi, pods: "110"}
      images: ["nginx:1.25"]
    - name: node-3
      capacity: {cpu: "4", memory: 8Gi, pods: "110"}
"""
    p = one(schedule(req("web"), world=write(world(nodes))))
    il = {s["node"]: s["raw"] for s in p["scores"] if s["plugin"] == "ImageLocality"}
    assert il == {"node-1": 2, "node-2": 2, "node-3": 0}
    assert p["node"] in ("node-1", "node-2")


def test_small_image_scores_zero_image_locality():
    nodes = """    - name: node-1
      capacity: {cpu: "4", memory: 8Gi, pods: "110"}
      images: ["busybox:1.36"]
    - name: node-2
      capacity: {cpu: "4", memory: 8Gi, pods: "110"}
"""
    m = pod("bb", "  containers:\n  - name: app\n    image: busybox:1.36\n")
    p = one(schedule(m, world=write(world(nodes))))
    assert {s["raw"] for s in p["scores"] if s["plugin"] == "ImageLocality"} == {0}


def test_preferred_pod_affinity_follows_existing_pod():
    """InterPodAffinity Score: preferred affinity weight 100 to app=cache → the node running it."""
    nodes = NODES3
    objs = """    - apiVersion: v1
      kind: Pod
      metadata: {name: cache, labels: {app: cache}}
      spec:
        nodeName: node-3
        containers: [{name: c, image: redis:7}]
"""
    m = pod("web", """  affinity:
    podAffinity:
      preferredDuringSchedulingIgnoredDuringExecution:
      - weight: 100
        podAffinityTerm:
          labelSelector:
            matchLabels: {app: cache}
          topologyKey: kubernetes.io/hostname
  containers:
  - name: app
    image: nginx:1.25
""")
    p = one(schedule(m, world=write(world_with(nodes, objs))))
    assert p["node"] == "node-3"
    ipa = {s["node"]: s["normalized"] for s in p["scores"] if s["plugin"] == "InterPodAffinity"}
    assert ipa == {"node-1": 0, "node-2": 0, "node-3": 100}


def test_required_pod_affinity_with_matching_pod():
    objs = """    - apiVersion: v1
      kind: Pod
      metadata: {name: cache, labels: {app: cache}}
      spec:
        nodeName: node-2
        containers: [{name: c, image: redis:7}]
"""
    m = pod("web", """  affinity:
    podAffinity:
      requiredDuringSchedulingIgnoredDuringExecution:
      - labelSelector:
          matchLabels: {app: cache}
        topologyKey: kubernetes.io/hostname
  containers:
  - name: app
    image: nginx:1.25
""")
    p = one(schedule(m, world=write(world_with(NODES3, objs))))
    assert p["node"] == "node-2"


def test_topology_spread_schedule_anyway_avoids_crowded_node():
    """PodTopologySpread (system default constraints for RS-owned pods): with 2 of app=web on node-1
    and none elsewhere, the next replica does not go to node-1."""
    objs = "".join(f"""    - apiVersion: v1
      kind: Pod
      metadata: {{name: old-{i}, labels: {{app: web}}}}
      spec:
        nodeName: node-1
        containers: [{{name: c, image: nginx:1.25}}]
""" for i in range(2))
    d = """apiVersion: apps/v1
kind: ReplicaSet
metadata:
  name: web
spec:
  replicas: 1
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: app
        image: nginx:1.25
"""
    r = schedule(d, world=write(world_with(NODES3, objs)))
    assert r["pods"][0]["node"] in ("node-2", "node-3")


def test_nodename_pod_in_schedule_bypasses():
    p = one(schedule(pod("pinned", "  nodeName: node-1\n  containers:\n  - name: app\n    image: nginx:1.25\n")))
    assert p["node"] == "node-1" and p.get("bypassedScheduler") is True


def test_extended_resource_missing_on_nodes():
    p = one(schedule(pod("gpu", "  containers:\n  - name: a\n    image: nginx:1.25\n    resources:\n"
                                "      limits: {nvidia.com/gpu: 1}\n")))
    assert p["message"] == "0/3 nodes are available: 3 Insufficient nvidia.com/gpu." + NOT_HELPFUL3


def test_init_container_request_counts_as_max():
    """Pod request = max(sum(containers), max(init containers)): a 5-CPU init container does not fit."""
    p = one(schedule(pod("initbig", "  initContainers:\n  - name: i\n    image: busybox:1.36\n    resources:\n"
                                    "      requests: {cpu: \"5\"}\n  containers:\n  - name: a\n    image: nginx:1.25\n"
                                    "    resources:\n      requests: {cpu: \"1\"}\n")))
    assert p["message"] == "0/3 nodes are available: 3 Insufficient cpu." + NOT_HELPFUL3


def test_node_selector_on_hostname_and_match_fields_and_notin():
    assert one(schedule(pod("host", "  nodeSelector: {kubernetes.io/hostname: node-2}\n  containers:\n  - name: a\n"
                                    "    image: nginx:1.25\n")))["node"] == "node-2"
    assert one(schedule(pod("mf", "  affinity:\n    nodeAffinity:\n      requiredDuringSchedulingIgnoredDuringExecution:\n"
                                  "        nodeSelectorTerms:\n        - matchFields:\n"
                                  "          - {key: metadata.name, operator: In, values: [node-3]}\n"
                                  "  containers:\n  - name: a\n    image: nginx:1.25\n")))["node"] == "node-3"
    assert one(schedule(pod("notin", "  affinity:\n    nodeAffinity:\n      requiredDuringSchedulingIgnoredDuringExecution:\n"
                                     "        nodeSelectorTerms:\n        - matchExpressions:\n"
                                     "          - {key: kubernetes.io/hostname, operator: NotIn, values: [node-1, node-2]}\n"
                                     "  containers:\n  - name: a\n    image: nginx:1.25\n")))["node"] == "node-3"


def test_small_ephemeral_storage_request_fits_default_world():
    """A kubelet always reports ephemeral-storage (its root filesystem) in capacity/allocatable; the docs'
    'Local ephemeral storage' example requests 2Gi and schedules on any ordinary node."""
    p = one(schedule(pod("eph", "  containers:\n  - name: a\n    image: nginx:1.25\n    resources:\n"
                                "      requests: {ephemeral-storage: 2Gi}\n      limits: {ephemeral-storage: 4Gi}\n")))
    assert p["node"] in ("node-1", "node-2", "node-3")


def test_daemonset_in_schedule_file_one_pod_per_node():
    r = schedule("docs/daemonset")
    assert sorted(p["node"] for p in r["pods"]) == ["node-1", "node-2", "node-3"]
    assert all(p["namespace"] == "kube-system" for p in r["pods"])


def test_daemonset_pod_that_does_not_fit_its_node():
    """DS pods are pinned by matchFields metadata.name → NodeAffinity PreFilterResult leaves the other
    nodes out: `N node(s) didn't satisfy plugin(s) [NodeAffinity]` (schedule_one.go findNodesThatFitPod)."""
    ds = """apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: agent
spec:
  selector:
    matchLabels: {app: agent}
  template:
    metadata:
      labels: {app: agent}
    spec:
      containers:
      - name: agent
        image: nginx:1.25
        resources:
          requests: {cpu: "3"}
"""
    s = simulate(ds, world=write(world_with(NODES3, bound_pod("busy", "node-2", cpu="2"))), until=20)
    stuck = [p for p in s.pods_named("agent-") if p["node"] is None]
    assert len(stuck) == 1
    fs = s.ev("FailedScheduling", stuck[0]["name"])
    assert fs and fs[0]["message"] == (
        "0/3 nodes are available: 1 Insufficient cpu, 2 node(s) didn't satisfy plugin(s) [NodeAffinity]. "
        "preemption: 0/3 nodes are available: 1 No preemption victims found for incoming pod, "
        "2 Preemption is not helpful for scheduling.")


def test_missing_pvc_is_unschedulable():
    """volumebinding.go PreFilter → podHasPVCs: lister NotFound → `persistentvolumeclaim "myclaim" not
    found` as PreFilterMsg; every node Unresolvable → `Preemption is not helpful`."""
    m = pod("pvc", "  containers:\n  - name: web\n    image: nginx:1.25\n    volumeMounts:\n"
                   "    - {name: d, mountPath: /data}\n  volumes:\n  - name: d\n    persistentVolumeClaim:\n"
                   "      claimName: myclaim\n")
    p = one(schedule(m))
    assert p["node"] is None
    assert p["message"] == ('0/3 nodes are available: persistentvolumeclaim "myclaim" not found.' + NOT_HELPFUL3)


def test_best_effort_pod_scores():
    """balanced_allocation.go PreScore: best-effort pod → Skip; LeastAllocated counts the non-zero
    defaults 100m/200Mi → 97 on empty 4 CPU/8Gi nodes; TaintToleration 100×3."""
    p = one(schedule(req("be")))
    sc = {(s["node"], s["plugin"]): s for s in p["scores"]}
    for n in ("node-1", "node-2", "node-3"):
        assert sc[(n, "NodeResourcesBalancedAllocation")]["raw"] is None
        assert sc[(n, "NodeResourcesFit")]["raw"] == 97
        assert sc[(n, "TaintToleration")]["normalized"] == 100
    assert {t["score"] for t in p["totals"]} == {397}


def test_node_affinity_score_skipped_without_preferred_terms():
    """nodeaffinity.go PreScore (v1.34): `preferredNodeAffinity == nil && pl.addedPrefSchedTerms == nil`
    → Skip."""
    p = one(schedule(req("plain")))
    na = [s for s in p["scores"] if s["plugin"] == "NodeAffinity"]
    assert na and all(s["raw"] is None and s.get("skipped") for s in na)


def test_unschedulable_pod_retried_every_five_minutes():
    """scheduling_queue.go: flushUnschedulablePodsLeftover (every 30 s) moves pods unschedulable for
    longer than podMaxInUnschedulablePodsDuration (5 min) → a new FailedScheduling in [300, 330] s."""
    s = simulate("docs/pod-nginx", until=700)
    times = s.ev_times("FailedScheduling", "nginx")
    assert times[0] <= 1 and len(times) >= 3
    for a, b in zip(times, times[1:]):
        assert 300 <= b - a <= 331


def test_docs_extended_resource_pod_unschedulable_on_default_world():
    """pods/resource/extended-resource-pod.yaml: no node advertises example.com/dongle."""
    m = pod("extended-resource-demo", "  containers:\n  - name: extended-resource-demo-ctr\n    image: nginx\n"
                                      "    resources:\n      requests:\n        example.com/dongle: 3\n"
                                      "      limits:\n        example.com/dongle: 3\n")
    p = one(schedule(m))
    assert p["message"] == "0/3 nodes are available: 3 Insufficient example.com/dongle." + NOT_HELPFUL3
    w = world(NODES3.replace('pods: "110"}\n', 'pods: "110", example.com/dongle: "4"}\n', 1))
    assert one(schedule(m, world=write(w)))["node"] == "node-1"


def test_first_untolerated_taint_is_named():
    """tainttoleration.go Filter: FindMatchingUntoleratedTaint returns the first untolerated taint in the
    node's order (NoSchedule/NoExecute only; PreferNoSchedule ignored)."""
    nodes = """    - name: node-1
      capacity: {cpu: "4", memory: 8Gi, pods: "110"}
      taints: [{key: soft, value: s, effect: PreferNoSchedule}, {key: a, value: "1", effect: NoSchedule}, {key: b, value: "2", effect: NoExecute}]
"""
    w = write(world(nodes))
    p = one(schedule(req("plain"), world=w))
    assert "1 node(s) had untolerated taint {a: 1}." in p["message"]
    tol = req("tol", extra="  tolerations:\n  - {key: a, operator: Equal, value: \"1\", effect: NoSchedule}\n")
    p = one(schedule(tol, world=w))
    assert "1 node(s) had untolerated taint {b: 2}." in p["message"]
    both = req("both", extra="  tolerations:\n  - {key: a, operator: Exists}\n  - {key: b, operator: Exists}\n")
    assert one(schedule(both, world=w))["node"] == "node-1"


PREFERRED_WEIGHT = """apiVersion: v1
kind: Pod
metadata:
  name: with-affinity-preferred-weight
spec:
  affinity:
    nodeAffinity:
      requiredDuringSchedulingIgnoredDuringExecution:
        nodeSelectorTerms:
        - matchExpressions:
          - key: kubernetes.io/os
            operator: In
            values:
            - linux
      preferredDuringSchedulingIgnoredDuringExecution:
      - weight: 1
        preference:
          matchExpressions:
          - key: label-1
            operator: In
            values:
            - key-1
      - weight: 50
        preference:
          matchExpressions:
          - key: label-2
            operator: In
            values:
            - key-2
  containers:
  - name: with-node-affinity
    image: registry.k8s.io/pause:3.8
"""


def test_docs_preferred_weight_picks_heavier_label():
    """pods/pod-with-affinity-preferred-weight.yaml (docs: 'the node with label-2=key-2 is preferred'):
    raw 1 vs 50 → normalized 2 vs 100 (×2 weight)."""
    nodes = """    - name: node-1
      capacity: {cpu: "4", memory: 8Gi, pods: "110"}
      labels: {label-1: key-1}
    - name: node-2
      capacity: {cpu: "4", memory: 8Gi, pods: "110"}
      labels: {label-2: key-2}
"""
    p = one(schedule(PREFERRED_WEIGHT, world=write(world(nodes))))
    assert p["node"] == "node-2"
    na = {s["node"]: (s["raw"], s["normalized"]) for s in p["scores"] if s["plugin"] == "NodeAffinity"}
    assert na == {"node-1": (1, 2), "node-2": (50, 100)}


def test_same_reason_mixed_resolvability():
    """fit.go (v1.34): `Insufficient cpu` is Unresolvable only where the request exceeds the node's
    allocatable; the histogram merges the reason, the preemption part tells them apart. sort.Strings puts
    "1 node(s) ..." before "2 Insufficient cpu" (count digits first)."""
    nodes = """    - name: node-1
      capacity: {cpu: "4", memory: 8Gi, pods: "110"}
    - name: node-2
      capacity: {cpu: "2", memory: 8Gi, pods: "110"}
    - name: node-3
      capacity: {cpu: "4", memory: 8Gi, pods: "110"}
      taints: [{key: a, value: b, effect: NoSchedule}]
"""
    w = write(world_with(nodes, bound_pod("busy", "node-1", cpu="2")))
    p = one(schedule(req("web", cpu="3"), world=w))
    assert p["message"] == (
        "0/3 nodes are available: 1 node(s) had untolerated taint {a: b}, 2 Insufficient cpu. preemption: 0/3 nodes "
        "are available: 1 No preemption victims found for incoming pod, 2 Preemption is not helpful for scheduling.")


def test_pending_pod_scheduled_when_resources_freed():
    """Terminating pods still count in the scheduler cache; once the pod object is gone the
    AssignedPodDelete event requeues the pending pod, which binds at once."""
    nodes = """    - name: node-1
      capacity: {cpu: "4", memory: 8Gi, pods: "110"}
"""
    w = write(world_with(nodes, bound_pod("big", "node-1", cpu="3")))
    s = simulate(req("late", cpu="2"), world=w, until=90, at=[(30, "kubectl delete pod big")])
    gone = s.pod("big")["deletedAt"]
    sch = s.ev("Scheduled", "late")
    assert sch and gone <= sch[0]["time"] <= gone + 1.5
    assert s.pod("late")["status"] == "Running"


def test_allocatable_not_capacity_is_used():
    """Fit compares with status.allocatable: 3800m > 3500m allocatable (capacity 4) → Unresolvable."""
    nodes = """    - name: node-1
      capacity: {cpu: "4", memory: 8Gi, pods: "110"}
      allocatable: {cpu: 3500m, memory: 7Gi}
"""
    p = one(schedule(req("web", cpu="3800m"), world=write(world(nodes))))
    assert p["message"] == ("0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: "
                            "1 Preemption is not helpful for scheduling.")
    assert one(schedule(req("web", cpu="3500m"), world=write(world(nodes))))["node"] == "node-1"
