"""Property: the chosen node passes every filter (checked both in the record and by the kubelet's
independent, per-node admission code); when no node is chosen, every node failed a filter."""

from __future__ import annotations

from hypothesis import given, settings, strategies as st

from kubetrainer.sim.scheduler.admission import admit
from kubetrainer.sim.scheduler.podinfo import PodInfo

from tests.scheduler.kit import bind, framework, node, pod

taints = st.sampled_from([[], [{"key": "dedicated", "value": "gpu", "effect": "NoSchedule"}],
                          [{"key": "x", "effect": "PreferNoSchedule"}], [{"key": "k", "effect": "NoExecute"}]])
node_st = st.builds(lambda cpu, mem, ssd, t, uns: (cpu, mem, ssd, t, uns),
                    st.integers(1, 8), st.integers(1, 16), st.booleans(), taints, st.booleans())


@settings(max_examples=150, deadline=None)
@given(nodes=st.lists(node_st, min_size=1, max_size=6),
       placed=st.lists(st.tuples(st.integers(0, 5), st.integers(0, 4000), st.integers(0, 8)), max_size=8),
       cpu=st.integers(0, 6000), mem=st.integers(0, 12), want_ssd=st.booleans(), tolerate=st.booleans(),
       seed=st.integers(0, 3))
def test_chosen_node_passes_every_filter(nodes, placed, cpu, mem, want_ssd, tolerate, seed):
    objs = [node(f"n{k}", cpu=str(c), mem=f"{m}Gi", labels={"disktype": "ssd"} if ssd else {}, taints=t,
                 unschedulable=u) for k, (c, m, ssd, t, u) in enumerate(nodes)]
    fw = framework(objs, seed)
    for j, (k, c, m) in enumerate(placed):
        if k < len(objs):
            bind(fw, pod(f"old{j}", f"{c}m", f"{m}Gi"), f"n{k}")
    spec = {}
    if want_ssd:
        spec["nodeSelector"] = {"disktype": "ssd"}
    if tolerate:
        spec["tolerations"] = [{"key": "dedicated", "operator": "Exists"}]
    p = pod("web", f"{cpu}m" if cpu else None, f"{mem}Gi" if mem else None, **spec)
    res = fw.schedule(PodInfo(p))
    entries = res.record.filters()
    if res.node is None:
        failed = {e["node"] for e in entries if not e["passed"]}
        assert failed == set(fw.table.names)
        return
    assert all(e["passed"] for e in entries if e["node"] == res.node)
    i = fw.table.index[res.node]
    others = [pi.pod for pi in fw.table.pods[i].values()]
    assert admit(p, objs[i], others) is None
    assert not objs[i]["spec"]["unschedulable"] or False
    assert tolerate or not any(t.get("effect") in ("NoSchedule", "NoExecute") for t in objs[i]["spec"]["taints"])
