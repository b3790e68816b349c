"""Any script text gives a process (or a StartError), never a Python exception."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kubetrainer.sim.runtime import ContainerFS, StartError, exec_command, start_process

from .helpers import lookup

BUSYBOX = lookup("busybox")
ATOMS = ["echo", "sleep 1", "cat /x", "true", "false", "exit 3", ";", "&&", "||", "|", "&", "(", ")", "{", "}",
         "if", "then", "else", "fi", "while", "do", "done", "for i in 1 2", "case x in", "esac", "x)", ";;",
         "$X", "${X:-y}", "$(echo a)", "`echo b`", "$((1+", "$((2*3))", '"', "'", "\\", ">", ">>", "<", "2>&1",
         "/tmp/f", "trap 'exit 0' TERM", "wait", "kill 1", "read v", "test -f /x", "[ 1 -eq", "]", "\n",
         "<<EOF\nx\nEOF\n", "f() {", "f", "tail -F /x", "wc -l", "grep a", "export X=1", "set -e", "printf '%d' z"]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(ATOMS), max_size=14).map(" ".join))
def test_random_scripts_never_raise(script):
    p = start_process(BUSYBOX, ["sh", "-c", script], None, {}, ContainerFS(), 0.0)
    p.advance(5.0)
    p.signal("TERM", 6.0)
    exec_command(["sh", "-c", script], {}, p.fs, 6.0, 2.0, p)
    p.advance(50.0)
    p.signal("KILL", 60.0)
    assert p.exited


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=40))
def test_arbitrary_text_never_raises(text):
    try:
        p = start_process(BUSYBOX, ["sh", "-c", text], None, {}, ContainerFS(), 0.0)
        p.advance(3.0)
    except StartError:
        pass


_scalars = st.one_of(st.none(), st.booleans(), st.integers(-5, 70000), st.floats(allow_nan=False, allow_infinity=False),
                     st.sampled_from(["", "x", "1Gi", "lots", "10s", "exit", "ignore", "NoSchedule", "nginx", "True",
                                      "busybox", "*", "node-1", "/", "kubetrainer/v1", "World"]))
_keys = st.sampled_from(["name", "capacity", "allocatable", "labels", "taints", "unschedulable", "conditions",
                         "images", "count", "namePrefix", "template", "image", "tags", "server", "private",
                         "pullSeconds", "size", "process", "listen", "http", "exitAfter", "exitCode", "memory",
                         "logs", "onSigterm", "shell", "program", "cpu", "key", "effect", "from", "status", "bogus"])
_values = st.recursive(_scalars, lambda c: st.one_of(st.lists(c, max_size=3), st.dictionaries(_keys, c, max_size=4)),
                       max_leaves=12)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(st.sampled_from(["nodes", "nodeGroups", "registry", "objects", "extra"]), _values, max_size=4))
def test_random_world_specs_give_a_world_or_a_user_error(spec):
    from kubetrainer.errors import UserError
    from kubetrainer.sim.world import world_from_data

    data = {"apiVersion": "kubetrainer/v1", "kind": "World", "spec": spec}
    try:
        w = world_from_data(data, "w.yaml")
    except UserError as e:
        assert str(e).startswith("w.yaml:")
        return
    w.to_node_objects()
    for e in w.registry.entries:
        w.registry.resolve(e.image)


_UTIL_ARGS = ["-n", "-e", "-f", "-c", "-z", "-v", "-q", "-s", "-o", "-", "--", "-1", "0", "1", "x", "/", "/tmp", "/nope",
              "", "%d", "(", ")", "!", "=", "-eq", "]", "http://localhost", "localhost", "80", "-9", "TERM", "--vm",
              "250M", "liveness", "netexec", "-text=hi", "-m", "http.server", "-g", "daemon off;", "-s", "quit"]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(["busybox", "debian", "nginx", "redis", "registry.k8s.io/e2e-test-images/agnhost:2.40",
                        "python", "polinux/stress", "vish/stress", "mysql"]),
       st.sampled_from(sorted({"sleep", "cat", "ls", "grep", "head", "tail", "wc", "sort", "cut", "tr", "seq", "expr",
                               "printf", "echo", "test", "[", "kill", "killall", "wget", "curl", "nc", "nslookup",
                               "timeout", "env", "date", "id", "nginx", "redis-server", "redis-cli", "agnhost",
                               "stress", "python", "sh"})),
       st.lists(st.sampled_from(_UTIL_ARGS), max_size=5))
def test_random_argv_exec_and_start_never_raise(image, exe, args):
    lk = lookup(image)
    p = start_process(lk, ["sleep", "1000"] if lk.entry.process.shell else None, None, {}, ContainerFS(), 0.0)
    exec_command([exe] + args, {}, p.fs, 1.0, 3.0, p)
    try:
        q = start_process(lk, [exe] + args, None, {}, ContainerFS(), 0.0, memory_limit=100 * 2**20)
    except StartError:
        return
    q.advance(5)
    q.http_get(80, "/", 5)
    q.signal("TERM", 6)
    q.advance(50)
    q.signal("KILL", 60)
    assert q.exited
