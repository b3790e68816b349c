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
