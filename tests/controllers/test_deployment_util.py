"""Tables from pkg/controller/deployment/util/deployment_util_test.go."""

import pytest

from kubetrainer.sim.controllers import deployment_util as du
from kubetrainer.sim.controllers.common import compute_hash, safe_encode_string


@pytest.mark.parametrize("surge,unavail,desired,expect", [
    # TestResolveFenceposts
    ("0%", "0%", 0, (0, 1)),
    ("39%", "39%", 10, (4, 3)),
    ("oops", "39%", 10, None),
    ("55%", "urg", 10, None),
    ("5", "39%", 10, None),       # a string without % is not a percentage
    (0, "0%", 0, (0, 1)),
    # KUBERNETES.md §13 examples
    ("25%", "25%", 4, (1, 1)),
    ("25%", "25%", 10, (3, 2)),
    ("25%", "25%", 3, (1, 0)),
    ("15%", "15%", 10, (2, 1)),
    (0, "10%", 3, (0, 1)),
])
def test_resolve_fenceposts(surge, unavail, desired, expect):
    if expect is None:
        with pytest.raises(du.IntOrPercentError):
            du.resolve_fenceposts(surge, unavail, desired)
    else:
        assert du.resolve_fenceposts(surge, unavail, desired) == expect


def _d(replicas, surge, unavail="25%", rolling=True):
    s = {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": surge, "maxUnavailable": unavail}} if rolling \
        else {"type": "Recreate"}
    return {"metadata": {"name": "d"}, "spec": {"replicas": replicas, "strategy": s}}


def _rs(replicas, avail=0):
    return {"metadata": {"name": f"rs{replicas}"}, "spec": {"replicas": replicas},
            "status": {"availableReplicas": avail}}


@pytest.mark.parametrize("name,strategy,dep_replicas,new_rs_replicas,surge,expected", [
    # TestNewRSNewReplicas (allRSs = [rs5], maxUnavailable 1)
    ("can not scale up - to newRSReplicas", "RollingUpdate", 1, 5, 1, 5),
    ("scale up - to depReplicas", "RollingUpdate", 6, 2, 10, 6),
    ("recreate - to depReplicas", "Recreate", 3, 1, 1, 3),
])
def test_new_rs_new_replicas(name, strategy, dep_replicas, new_rs_replicas, surge, expected):
    d = _d(dep_replicas, surge, 1, rolling=strategy == "RollingUpdate")
    new_rs = _rs(new_rs_replicas)
    rs5 = _rs(5)
    assert du.new_rs_new_replicas(d, [rs5], new_rs) == expected


def test_max_unavailable_never_exceeds_replicas():
    # TestMaxUnavailable
    assert du.max_unavailable(_d(10, 0, 20)) == 10
    assert du.max_unavailable(_d(10, 0, "25%")) == 2
    assert du.max_unavailable(_d(0, 0, 1)) == 0
    assert du.max_unavailable(_d(10, 0, 1, rolling=False)) == 0


def test_compute_hash_shape_and_determinism():
    t = {"metadata": {"labels": {"app": "web"}}, "spec": {"containers": [{"name": "web", "image": "nginx"}]}}
    h = compute_hash(t)
    assert h == compute_hash(t)
    assert set(h) <= set("456789bcdf") and 1 <= len(h) <= 10
    assert compute_hash(t, 1) != h
    # rand.SafeEncodeString maps the decimal digits 0-9 onto 4 5 6 7 8 9 b c d f
    assert safe_encode_string("0123456789") == "456789bcdf"


def test_get_proportion():
    # TestGetProportion (scale up 10 -> 12 with max-replicas annotation 10)
    d = _d(12, 0, 0)
    rs = {"metadata": {"name": "a", "annotations": {du.MAX_REPLICAS: "10"}}, "spec": {"replicas": 5}}
    assert du.get_proportion(rs, d, 2, 0) == 1
    assert du.get_proportion(rs, d, 2, 2) == 0
    assert du.get_proportion(None, d, 2, 0) == 0
