"""Whatever a learner types, the workload/node verbs answer with a message, never a traceback."""

from fakes import deployment, make_cluster
from hypothesis import given, settings
from hypothesis import strategies as st

VERBS = ["scale", "set", "rollout", "cordon", "uncordon", "drain", "taint", "get", "describe"]
WORDS = ["deployment/web", "deploy", "web", "rs", "ds", "sts", "node", "nodes", "node-1", "node/node-1",
         "image", "web=nginx:1.17", "*=x", "history", "undo", "status", "pause", "resume", "restart",
         "--replicas=3", "--replicas=-1", "--replicas=x", "--to-revision=1", "--to-revision=x", "--revision=2",
         "--revision=y", "--ignore-daemonsets", "--delete-emptydir-data", "--force", "--grace-period=z",
         "k=v:NoSchedule", "k:NoSchedule-", "k=v:Bogus", "k-", "--overwrite", "-o", "wide", "x/y", "=", "-"]

_cluster = make_cluster()
_cluster.apiserver.create(deployment(replicas=2))
_cluster.run_until(20)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(VERBS), st.lists(st.sampled_from(WORDS), max_size=5))
def test_no_traceback(verb, words):
    r = _cluster.kubectl([verb, *words])
    assert isinstance(r.output, str) and r.exit_code in (0, 1, 2)
    _cluster.run_until(_cluster.now + 1)
