"""Shell semantics of the simulated busybox ash / dash (kubetrainer/sim/runtime/shell.py)."""

from __future__ import annotations

import pytest

from .helpers import run_exec, sh, start


def test_exec_liveness_script_cat_succeeds_then_fails_with_busybox_text():
    # content/en/examples/pods/probe/exec-liveness.yaml
    p = start("registry.k8s.io/busybox:1.27.2",
              args=["/bin/sh", "-c", "touch /tmp/healthy; sleep 30; rm -f /tmp/healthy; sleep 600"])
    assert p.next_wakeup() == 30.0
    for t in (5.0, 10.0, 29.9):
        r = run_exec(p, ["cat", "/tmp/healthy"], t)
        assert r.exit_code == 0 and r.output == ""
    r = run_exec(p, ["cat", "/tmp/healthy"], 30.0)
    assert r.exit_code == 1
    assert r.output == "cat: can't open '/tmp/healthy': No such file or directory\n"
    assert p.next_wakeup() == 630.0
    p.advance(630.0)
    assert p.exited and p.exit_code == 0 and p.exit_time == 630.0


def test_sequences_and_or_exit_status():
    p, out = sh("true && echo a; false && echo b; false || echo c; exit 7")
    assert out == ["a", "c"]
    assert p.exit_code == 7 and p.exit_time == 0.0


def test_pipeline_and_negation():
    _, out = sh("echo one two three | wc -w; ! false && echo neg; printf 'b\\na\\n' | sort | head -n 1")
    assert out == ["3", "neg", "a"]


def test_variables_quotes_and_expansions():
    _, out = sh('A=x; B="$A y"; echo $B "${B}" \'$A\' ${UNSET:-def} ${#B} "$(echo sub)" `echo bq`',
                env={"K": "v"})
    assert out == ["x y x y $A def 3 sub bq"]
    _, out = sh('echo "$K" $((2 + 3 * 4)) $((10 / 3)) $((7 % 4))', env={"K": "v"})
    assert out == ["v 14 3 3"]


def test_counter_loop_uses_virtual_time():
    # the docs' counter pod (debug/counter-pod.yaml)
    p, out = sh('i=0; while true; do echo "$i: $(date)"; i=$((i+1)); sleep 1; done', until=3)
    assert out == ["0: Mon Jan  1 00:00:00 UTC 2024", "1: Mon Jan  1 00:00:01 UTC 2024",
                   "2: Mon Jan  1 00:00:02 UTC 2024", "3: Mon Jan  1 00:00:03 UTC 2024"]
    assert [t for t, _s, _l in p.logs] == [0.0, 1.0, 2.0, 3.0]
    assert not p.exited and p.next_wakeup() == 4.0


def test_for_if_case_and_functions():
    _, out = sh("for i in 1 2 3; do if [ $i -eq 2 ]; then echo two; elif [ $i = 3 ]; then echo three; "
                "else echo $i; fi; done; case abc in a*) echo glob;; *) echo no;; esac; "
                "f() { echo in-f $1; return 3; }; f arg; echo $?")
    assert out == ["1", "two", "three", "glob", "in-f arg", "3"]


def test_while_break_and_until():
    _, out = sh("n=0; while true; do n=$((n+1)); [ $n -ge 3 ] && break; done; echo $n; "
                "until [ $n -eq 0 ]; do n=$((n-1)); done; echo $n")
    assert out == ["3", "0"]


def test_echo_options_and_printf():
    _, out = sh("echo -n a; echo b; echo -e 'x\\ty'; printf '%s=%d\\n' k 5 j 6")
    assert out == ["ab", "x\ty", "k=5", "j=6"]


def test_redirections_and_files():
    _, out = sh("echo one > /tmp/f; echo two >> /tmp/f; cat /tmp/f; cat < /tmp/f | wc -l; "
                "ls /nope 2>/dev/null || echo hidden; mkdir -p /a/b/c && touch /a/b/c/x && ls /a/b/c; "
                "echo err 1>&2; rm -rf /a; test -d /a || echo gone")
    assert out == ["one", "two", "2", "hidden", "x", "err", "gone"]


def test_write_into_missing_directory_busybox_message():
    p, out = sh("echo x > /no/such/file")
    assert out == ["sh: can't create /no/such/file: nonexistent directory"]
    assert p.exit_code == 1


def test_unknown_command_is_127_with_busybox_text():
    p, out = sh("foo bar; echo $?")
    assert out == ["sh: foo: not found", "127"]


def test_dash_flavour_messages_in_debian_images():
    p, out = sh("foo; cat /x", image="debian")
    assert out == ["sh: 1: foo: not found", "cat: /x: No such file or directory"]
    assert p.exit_code == 1


def test_syntax_error_exits_2():
    p, out = sh("if true; then echo x")
    assert out == ['sh: syntax error: unexpected end of file (expecting "fi")']
    assert p.exit_code == 2
    p, out = sh('echo "open')
    assert out == ["sh: syntax error: unterminated quoted string"] and p.exit_code == 2


def test_test_builtin_operators():
    _, out = sh('touch /f; [ -f /f ] && echo f; [ -e /nope ] || echo ne; [ -z "" ] && echo z; '
                '[ -n x ] && echo n; [ a != b ] && echo ne2; [ 3 -lt 4 ] && echo lt; [ -d /tmp ] && echo d')
    assert out == ["f", "ne", "z", "n", "ne2", "lt", "d"]


def test_env_and_printenv():
    p = start("busybox", ["sh", "-c", "env; printenv MSG; printenv NOPE; echo $?"], env={"MSG": "hello"})
    lines = [line for _t, _s, line in p.logs]
    assert "MSG=hello" in lines and "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" in lines
    assert lines[-2:] == ["hello", "1"]


def test_sleep_variants():
    p, _ = sh("sleep 1.5; sleep 1m; sleep 2s", until=0)
    assert p.next_wakeup() == 1.5
    p.advance(61.5)
    assert p.next_wakeup() == 63.5
    p, _ = sh("sleep infinity", until=1e9)
    assert not p.exited and p.next_wakeup() is None
    p, out = sh("sleep abc")
    assert out == ["sleep: invalid number 'abc'"] and p.exit_code == 1


def test_direct_sleep_and_echo_without_shell():
    p = start("busybox", ["sleep", "3600"])
    assert p.next_wakeup() == 3600.0
    p = start("busybox", ["/bin/echo"], ["hello world"])
    assert p.exited and p.exit_code == 0 and [l for _t, _s, l in p.logs] == ["hello world"]


def test_busy_loop_is_detected_and_never_exits():
    p, out = sh("while true; do :; done", until=10)
    assert not p.exited and p.busy and p.next_wakeup() is None


def test_background_job_and_wait():
    p, out = sh("sleep 5 & echo started; wait; echo done", until=10)
    assert out == ["started", "done"]
    assert p.exit_time == 5.0


def test_cmd_substitution_and_hostname():
    p = start("busybox", ["sh", "-c", 'echo "I am $(hostname)"'], env={"HOSTNAME": "web-1"})
    assert [l for _t, _s, l in p.logs] == ["I am web-1"]


def test_tail_follow_sidecar_sees_appended_lines():
    # application/deployment-sidecar.yaml: one container appends, the sidecar tails
    from kubetrainer.sim.runtime import ContainerFS

    vol = ContainerFS.new_volume()
    app = start("alpine", ["sh", "-c", 'while true; do echo "logging" >> /opt/logs.txt; sleep 1; done'],
                fs=ContainerFS(mounts={"/opt": vol}))
    side = start("alpine", ["sh", "-c", "tail -F /opt/logs.txt"], fs=ContainerFS(mounts={"/opt": vol}))
    for t in range(1, 4):
        app.advance(t)
        side.advance(t)
    assert [l for _t, _s, l in side.logs] == ["logging"] * 4


def test_exec_timeout_and_seconds_taken():
    p = start("busybox", ["sleep", "3600"])
    r = run_exec(p, ["sh", "-c", "sleep 5; echo done"], 10.0, timeout=None)
    assert r.exit_code == 0 and r.seconds_taken == 5.0 and r.output == "done\n" and not r.timed_out
    r = run_exec(p, ["sh", "-c", "touch /a; sleep 5; touch /b"], 10.0, timeout=2.0)
    assert r.timed_out and r.exit_code is None and r.seconds_taken == 2.0
    assert p.fs.isfile("/a") and not p.fs.isfile("/b")


def test_exec_unknown_executable_is_a_runtime_error():
    p = start("registry.k8s.io/pause:3.9")
    r = run_exec(p, ["sh", "-c", "true"], 1.0)
    assert r.error is not None and r.error.endswith(
        'OCI runtime exec failed: exec failed: unable to start container process: exec: "sh": '
        "executable file not found in $PATH: unknown")


def test_nslookup_in_init_container_waits_for_service():
    # the docs' init-containers page: until nslookup myservice...; do echo waiting; sleep 2; done
    from kubetrainer.sim.runtime import ContainerFS

    fs = ContainerFS()
    known: dict[str, str] = {}
    fs.resolver = lambda name: known.get(name)
    p = start("busybox:1.28", ["sh", "-c", "until nslookup myservice.default.svc.cluster.local; do "
                                           "echo waiting for myservice; sleep 2; done"], fs=fs)
    p.advance(4)
    assert not p.exited
    assert "nslookup: can't resolve 'myservice.default.svc.cluster.local'" in [l for _t, _s, l in p.logs]
    known["myservice.default.svc.cluster.local"] = "10.96.0.42"
    p.advance(6)
    assert p.exited and p.exit_code == 0 and p.exit_time == 6.0


def test_here_documents():
    _, out = sh("X=world\ncat <<EOF > /tmp/a\nhello $X\nEOF\ncat /tmp/a\ncat <<'E2'\nraw $X\nE2\n"
                "wc -l <<-EOT\n\ta\n\tb\n\tEOT")
    assert out == ["hello world", "raw $X", "2"]


def test_adapter_pattern_streams_through_a_pipeline():
    # pods/multi-container/adapter.yaml: tail -F raw.log | while read line; do echo "adapted: $line"; done
    from kubetrainer.sim.runtime import ContainerFS

    vol = ContainerFS.new_volume()
    adapter = start("registry.k8s.io/busybox:1.27.2",
                    ["sh", "-c", 'touch /var/log/app/raw.log; tail -F /var/log/app/raw.log | '
                                 'while read line; do echo "adapted: $line"; done'],
                    fs=ContainerFS(mounts={"/var/log/app": vol}))
    main = start("registry.k8s.io/busybox:1.27.2",
                 ["sh", "-c", 'while true; do echo "$(date) raw event" >> /var/log/app/raw.log; sleep 2; done'],
                 fs=ContainerFS(mounts={"/var/log/app": vol}))
    for t in range(0, 5):
        main.advance(t)
        adapter.advance(t)
    out = [(t, line) for t, _s, line in adapter.logs]
    assert out == [(1.0, "adapted: Mon Jan  1 00:00:00 UTC 2024 raw event"),
                   (2.0, "adapted: Mon Jan  1 00:00:02 UTC 2024 raw event"),
                   (4.0, "adapted: Mon Jan  1 00:00:04 UTC 2024 raw event")]
    assert not adapter.exited


def test_short_pipelines_still_finish():
    p, out = sh("echo a b c | wc -w; printf 'x\\ny\\nx\\n' | grep x | wc -l; echo hi | cat; seq 3 | tail -n 1")
    assert out == ["3", "2", "hi", "3"]
    assert p.exited and p.exit_code == 0


def test_kubelet_managed_files():
    from kubetrainer.sim.runtime import ContainerFS

    p = start("busybox:1.28", ["sh", "-c", "cat /var/run/secrets/kubernetes.io/serviceaccount/namespace; echo; "
                                           "cat /etc/hostname; grep nameserver /etc/resolv.conf"],
              fs=ContainerFS(hostname="web-0", namespace="shop"))
    assert [l for _t, _s, l in p.logs] == ["shop", "web-0", "nameserver 10.96.0.10"]


def test_exec_dollar_at_makes_the_program_pid1():
    p = start("nginx", ["sh", "-c", 'echo start; exec "$@"', "--", "nginx", "-g", "daemon off;"])
    assert not p.exited and p.tcp_open(80, 1.0)
    assert [l for _t, _s, l in p.logs][0] == "start"
    p.signal("TERM", 2.0)
    assert p.exited and p.exit_code == 0


def test_double_bracket_test():
    _, out = sh("[[ abc == a* ]] && echo glob; [[ -f /etc/hosts ]] && echo f")
    assert out == ["glob", "f"]


def test_timeout_utility():
    p, out = sh("timeout 2 sleep 10; echo $?; timeout 5 sh -c 'sleep 1; exit 3'; echo $?", until=20)
    assert out == ["143", "3"]
    assert p.exit_time == 3.0
    p, out = sh("timeout 2 sleep 10; echo $?", image="debian", until=20)
    assert out == ["124"]


def test_interactive_shell_keeps_state_between_lines():
    from kubetrainer.sim.runtime import ExecResult, open_shell

    p = start("busybox", ["sleep", "3600"])
    term = open_shell(["sh"], {}, p.fs, 1.0, p)
    assert term.prompt == "/ # "
    assert term.run_line("cd /tmp; X=5", 1.0).exit_code == 0
    assert term.prompt == "/tmp # "
    r = term.run_line("echo $X $PWD; sleep 2; touch here", 2.0)
    assert r.output == "5 /tmp\n" and r.seconds_taken == 2.0 and p.fs.isfile("/tmp/here")
    assert term.run_line("exit 3", 5.0).exit_code == 3 and term.closed
    pause = start("registry.k8s.io/pause:3.9")
    r = open_shell(["sh"], {}, pause.fs, 0.0, pause)
    assert isinstance(r, ExecResult) and r.error is not None


def test_plain_dict_mounts_are_shared():
    from kubetrainer.sim.runtime import ContainerFS

    shared: dict = {}
    a = start("busybox", ["sh", "-c", "echo hi > /data/x"], fs=ContainerFS(mounts={"/data": shared}))
    b = start("busybox", ["cat", "/data/x"], fs=ContainerFS(mounts={"/data": shared}))
    assert a.exited and [l for _t, _s, l in b.logs] == ["hi"] and shared == {"x": "hi\n"}


def test_wait_pid_returns_the_job_status():
    _, out = sh("sh -c 'sleep 1; exit 4' & p=$!; wait $p; echo $?; sleep 100 & q=$!; kill $q; wait $q; echo $?",
                until=10)
    assert out == ["4", "143"]


def test_more_utilities():
    _, out = sh("echo b > /tmp/a; cp /tmp/a /tmp/b; mv /tmp/b /tmp/c; ls /tmp; echo hello | tr a-z A-Z; "
                "echo a:b:c | cut -d: -f2; expr 3 + 4; printf '3\\n10\\n2\\n' | sort -n | head -n 1; "
                "basename /x/y.txt .txt; dirname /x/y.txt; echo x | tee /tmp/t; cat /tmp/t; "
                "env | grep -c PATH; mkdir /d; rmdir /d && echo removed; rmdir /tmp")
    assert out == ["a", "c", "HELLO", "b", "7", "2", "y", "/x", "x", "x", "1", "removed",
                   "rmdir: '/tmp': Directory not empty"]


def test_break_continue_return_edge_cases():
    _, out = sh("break; echo after; while true; do break; done; echo loop; f() { return 3; }; f; echo $?; "
                "shift x; echo $?")
    assert out == ["after", "loop", "3", "sh: shift: Illegal number: x", "2"]
    p, out = sh("echo one; return 4; echo two")
    assert out == ["one"] and p.exit_code == 4


def test_runaway_scripts_are_bounded():
    p, out = sh("x=a; while true; do x=$x$x; done")
    assert p.exited and p.exit_code == 2 and out == ["sh: out of memory"]
    _, out = sh("echo $((9223372036854775807 + 1)) $((2**64)) $((2**100000000 % 7))")
    assert out == ["-9223372036854775808 0 0"]
