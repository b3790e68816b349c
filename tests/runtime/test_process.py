"""Container processes: signals, memory, ports, start errors (kubetrainer/sim/runtime/process.py)."""

from __future__ import annotations

import pytest

from kubetrainer.sim.runtime import ContainerFS, StartError

from .helpers import WORLD, run_exec, start

MI = 1024 * 1024


def test_shell_pid1_ignores_sigterm_until_sigkill():
    # PID 1 gets no default-action signals: busybox `sleep 3600` pods die at SIGKILL (grace end)
    p = start("busybox", ["sh", "-c", "sleep 3600"])
    p.signal("TERM", 10.0)
    assert not p.exited
    p.signal("KILL", 40.0)
    assert p.exited and p.exit_code == 137 and p.exit_time == 40.0


def test_bare_sleep_pid1_ignores_sigterm():
    p = start("busybox", ["sleep", "3600"])
    p.signal("TERM", 1.0)
    assert not p.exited


def test_trap_runs_after_foreground_sleep_but_interrupts_wait():
    p = start("busybox", ["sh", "-c", "trap 'echo bye; exit 0' TERM; sleep 20"])
    p.signal("TERM", 5.0)
    assert not p.exited
    p.advance(20.0)
    assert p.exited and p.exit_code == 0 and p.exit_time == 20.0
    p = start("busybox", ["sh", "-c", "trap 'echo bye; exit 0' TERM; sleep 3600 & wait"])
    p.signal("TERM", 5.0)
    assert p.exited and p.exit_code == 0 and p.exit_time == 5.0
    assert [l for _t, _s, l in p.logs] == ["bye"]


def test_nginx_exits_on_sigterm_and_serves():
    p = start("nginx:1.14.2")
    assert p.tcp_open(80, 1.0)
    assert p.http_get(80, "/", 1.0) == 200
    assert p.http_get(80, "/missing", 1.0) == 404
    assert p.http_get(8080, "/", 1.0) is None
    p.signal("TERM", 3.0)
    assert p.exited and p.exit_code == 0 and p.exit_time == 3.0
    assert any("signal 15 (SIGTERM) received" in l for _t, _s, l in p.logs)


def test_nginx_without_index_in_mounted_emptydir_is_403_until_init_writes_it():
    vol = ContainerFS.new_volume()
    p = start("nginx", fs=ContainerFS(mounts={"/usr/share/nginx/html": vol}))
    assert p.http_get(80, "/", 1.0) == 403
    vol.put("index.html", "<html>hi</html>")
    assert p.http_get(80, "/", 2.0) == 200


def test_agnhost_liveness_healthz_200_for_10s_then_500():
    # test/images/agnhost/liveness/server.go: duration.Seconds() > 10 -> 500
    p = start("registry.k8s.io/e2e-test-images/agnhost:2.40", args=["liveness"], now=100.0)
    assert [p.http_get(8080, "/healthz", 100.0 + d) for d in (0, 3, 10, 10.001, 13)] == [200, 200, 200, 500, 500]
    p.signal("TERM", 120.0)
    assert p.exit_code == 2  # Go runtime default for SIGTERM as PID 1


def test_registry_k8s_io_liveness_server():
    p = start("registry.k8s.io/liveness", args=["/server"])
    assert p.http_get(8080, "/healthz", 9.0) == 200 and p.http_get(8080, "/healthz", 11.0) == 500


def test_goproxy_tcp_8080():
    p = start("registry.k8s.io/goproxy:0.1")
    assert p.tcp_open(8080, 0.0) and not p.tcp_open(80, 0.0)


def test_redis_tcp_not_http_and_kill_1_from_exec():
    p = start("redis")
    assert p.tcp_open(6379, 1.0) and p.http_get(6379, "/", 1.0) == -1
    r = run_exec(p, ["redis-cli", "ping"], 2.0)
    assert r.output == "PONG\n"
    r = run_exec(p, ["kill", "1"], 3.0)
    assert r.exit_code == 0
    assert p.exited and p.exit_code == 0 and p.exit_time == 3.0


def test_polinux_stress_is_oom_killed_against_a_limit():
    # pods/resource/memory-request-limit-2.yaml: 250M against a 100Mi limit
    p = start("polinux/stress", ["stress"], ["--vm", "1", "--vm-bytes", "250M", "--vm-hang", "1"],
              memory_limit=100 * MI)
    assert p.exited and p.oom_killed and p.exit_code == 137
    p = start("polinux/stress", ["stress"], ["--vm", "1", "--vm-bytes", "150M", "--vm-hang", "1"])
    assert not p.exited and 150 * MI <= p.memory_bytes(5.0) < 152 * MI


def test_vish_stress_grows_then_oom_by_kubelet_check():
    p = start("vish/stress", args=["-mem-total", "150Mi", "-mem-alloc-size", "10Mi", "-mem-alloc-sleep", "1s"])
    assert p.memory_bytes(0.0) < 15 * MI
    assert p.next_wakeup() == 1.0
    assert 50 * MI < p.memory_bytes(4.0) < 60 * MI
    p.oom_kill(4.5)
    assert p.exited and p.exit_code == 137 and p.oom_killed


def test_pause_and_etcd_grpc():
    p = start("registry.k8s.io/pause:3.9")
    p.signal("TERM", 1.0)
    assert p.exited and p.exit_code == 0
    p = start("registry.k8s.io/etcd:3.5.1-0", ["/usr/local/bin/etcd", "--data-dir", "/var/lib/etcd",
                                                "--listen-client-urls", "http://0.0.0.0:2379"])
    assert p.grpc_health(2379, 0.5) is None
    assert p.grpc_health(2379, 2.0) == "SERVING"
    q = start("registry.k8s.io/etcd:3.5.1-0")
    assert q.grpc_health(2379, 2.0) is None  # only on localhost by default


def test_start_error_texts():
    with pytest.raises(StartError) as e:
        start("busybox", ["foo"])
    assert e.value.exit_code == 128
    assert e.value.message == (
        "failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create "
        'failed: unable to start container process: exec: "foo": executable file not found in $PATH: unknown')
    with pytest.raises(StartError) as e:
        start("registry.k8s.io/liveness", ["/bin/sh"])
    assert 'exec: "/bin/sh": stat /bin/sh: no such file or directory: unknown' in e.value.message


def test_command_replaces_entrypoint_args_replace_cmd():
    p = start("debian", ["printenv"], ["HOSTNAME", "KUBERNETES_PORT"],
              env={"HOSTNAME": "command-demo", "KUBERNETES_PORT": "tcp://10.96.0.1:443"})
    assert [l for _t, _s, l in p.logs] == ["command-demo", "tcp://10.96.0.1:443"]
    assert p.exit_code == 0
    p = start("busybox")  # CMD ["sh"] with no stdin exits at once
    assert p.exited and p.exit_code == 0


def test_mysql_without_password_exits_1():
    p = start("mysql:8.0")
    assert p.exited and p.exit_code == 1
    assert any("MYSQL_ROOT_PASSWORD" in l for _t, _s, l in p.logs)
    p = start("mysql:8.0", env={"MYSQL_ROOT_PASSWORD": "pw"})
    assert not p.tcp_open(3306, 5.0) and p.tcp_open(3306, 20.0)


def test_lifecycle_prestop_nginx_quit():
    # pods/lifecycle-events.yaml preStop
    p = start("nginx")
    r = run_exec(p, ["/bin/sh", "-c", "nginx -s quit; while killall -0 nginx; do sleep 1; done"], 5.0, timeout=30)
    assert p.exited and p.exit_code == 0 and p.exit_time == 5.0
    r = run_exec(start("nginx"), ["/bin/sh", "-c", "echo Hello from the postStart handler > /usr/share/message"], 0)
    assert r.exit_code == 0


def test_generic_world_process():
    from kubetrainer.sim.world import parse_world

    w = parse_world("""
apiVersion: kubetrainer/v1
kind: World
spec:
  registry:
    - image: acme/web
      tags: ["1"]
      process:
        listen: [80]
        startupSeconds: 3
        http: {"/": 200, "/healthz": [{status: 200}, {from: 20s, status: 500}]}
        exitAfter: 60s
        exitCode: 3
        memory: 20Mi
        logs: ["web started"]
        onSigterm: ignore
""", "w.yaml")
    from kubetrainer.sim.runtime import start_process

    p = start_process(w.registry.resolve("acme/web:1"), None, None, {}, ContainerFS(), 0.0)
    assert [l for _t, _s, l in p.logs] == ["web started"]
    assert not p.tcp_open(80, 2.0) and p.tcp_open(80, 3.0)
    assert p.http_get(80, "/healthz", 10.0) == 200 and p.http_get(80, "/healthz", 20.0) == 500
    assert p.memory_bytes(5.0) == 20 * MI
    p.signal("TERM", 30.0)
    assert not p.exited
    p.advance(100.0)
    assert p.exited and p.exit_code == 3 and p.exit_time == 60.0


def test_determinism_same_inputs_same_logs():
    def run():
        p = start("busybox", ["sh", "-c", 'for i in 1 2 3; do echo "$i $RANDOM $(date +%s)"; sleep 2; done'])
        p.advance(100)
        return p.logs, p.exit_code, p.exit_time
    assert run() == run()


def test_kill_9_1_from_inside_the_container_does_nothing():
    # pid_namespaces(7): init gets only signals it handles, even SIGKILL is dropped from inside
    p = start("nginx")
    r = run_exec(p, ["kill", "-9", "1"], 1.0)
    assert r.exit_code == 0 and not p.exited
    run_exec(p, ["kill", "1"], 2.0)
    assert p.exited and p.exit_code == 0


def test_nginx_without_daemon_off_exits_at_once():
    p = start("nginx", ["nginx"])
    assert p.exited and p.exit_code == 0
    p = start("nginx", ["nginx", "-g", "daemon off;"])
    assert not p.exited


def test_nginx_access_log_shows_probes_and_local_clients():
    p = start("nginx")
    p.http_get(80, "/", 5.0)
    run_exec(p, ["curl", "-s", "localhost/missing"], 6.0)
    assert [l for _t, s, l in p.logs if s == "stdout"][-2:] == [
        '10.244.0.1 - - [01/Jan/2024:00:00:05 +0000] "GET / HTTP/1.1" 200 615 "-" "kube-probe/1.34" "-"',
        '127.0.0.1 - - [01/Jan/2024:00:00:06 +0000] "GET /missing HTTP/1.1" 404 153 "-" "curl/7.88.1" "-"']


def test_cpu_usage_for_top():
    # pods/resource/cpu-request-limit.yaml: vish/stress -cpus 2 under a 1 CPU limit
    p = start("vish/stress", args=["-cpus", "2"])
    assert p.cpu_millicores(5.0) == 2001 and p.cpu_millicores(5.0, limit=1000) == 1000
    assert start("busybox", ["sleep", "10"]).cpu_millicores(1.0) == 1


def test_python_http_server_and_pid1_sigterm():
    p = start("python:3.12", ["python", "-m", "http.server", "8080"])
    assert p.http_get(8080, "/", 1.0) == 200 and p.http_get(8080, "/nope", 1.0) == 404
    p.signal("TERM", 2.0)
    assert not p.exited
    q = start("python:3.12", ["python3", "-c", "print('hi')"])
    assert q.exited and [l for _t, _s, l in q.logs] == ["hi"]
    r = start("python:3.12", ["python", "app.py"])
    assert r.exit_code == 2 and r.logs[0][2] == "python3: can't open file '/app.py': [Errno 2] No such file or directory"


def test_working_dir_is_created_and_used_by_exec():
    p = start("busybox", ["sh", "-c", "pwd; touch here; sleep 100"], workdir="/app/data")
    assert [l for _t, _s, l in p.logs] == ["/app/data"] and p.fs.isfile("/app/data/here")
    assert run_exec(p, ["pwd"], 1.0).output == "/app/data\n"


def test_security_context_user_in_id():
    # pods/security/security-context.yaml: runAsUser 1000, runAsGroup 3000, fsGroup 2000
    p = start("busybox:1.28", ["sh", "-c", "sleep 1h"], user=(1000, 3000, [2000]))
    assert run_exec(p, ["id"], 1.0).output == "uid=1000 gid=3000 groups=2000,3000\n"


def test_ps_lists_pid1_and_itself():
    p = start("busybox", ["sleep", "3600"])
    assert run_exec(p, ["ps"], 1.0).output == ("PID   USER     TIME  COMMAND\n"
                                               "    1 root      0:00 sleep 3600\n"
                                               "    7 root      0:00 ps\n")
