"""Container processes on virtual time: `start_process`, `exec_command`.

A `Process` is a container's PID 1 plus any background jobs its shell started. It is driven
by the kubelet: `next_wakeup()` says when something is due, `advance(now)` runs it. Nothing here
reads the wall clock; the same inputs give the same logs, exit codes and times.

Signals: PID 1 of a pid namespace only receives the signals it installed a handler for (the
kernel drops default-action signals sent to init from inside the namespace, and also from the
runtime's SIGTERM, see pid_namespaces(7)). So `sh -c '...'` and a bare `sleep 3600` ignore the
kubelet's SIGTERM and are killed by SIGKILL when the grace period ends (exit code 137), while
nginx, redis, httpd, pause exit at once. A shell with `trap '...' TERM` runs the trap after the
foreground command finishes (POSIX), or at once when it is in `wait`.
"""

from __future__ import annotations

import hashlib
import os
import posixpath
from typing import Any, Callable

import attrs

from kubetrainer.sim.runtime.fs import ContainerFS
from kubetrainer.sim.runtime.programs import HTTPD_INDEX, NGINX_INDEX, PROGRAMS
from kubetrainer.sim.runtime.shell import IO, BufSink, BusyLoop, Shell, ShellExit, Sink
from kubetrainer.sim.runtime.utils import BUSYBOX, EXTRA, GNU, _fake_ip, u_sh


def _ascii_digits(s: str) -> bool:
    """str.isdigit() for ASCII only: Unicode digits such as '²' are not numbers to the shell."""
    return s.isascii() and s.isdigit()

STEP_LIMIT = 100_000          # commands without virtual time passing => a busy loop
EXEC_CAP = 3600.0             # an exec with no timeout gives up after this much virtual time
BIN_DIRS = ("/bin", "/usr/bin", "/sbin", "/usr/sbin", "/usr/local/bin", "/usr/local/sbin")
DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

# OCI runtime (runc) start failure, as containerd reports it to the kubelet
START_ERROR_PREFIX = ("failed to create containerd task: failed to create shim task: OCI runtime create failed: "
                      "runc create failed: unable to start container process: ")


class StartError(Exception):
    """The runtime could not start the container's process (terminated reason StartError, exit 128)."""

    reason = "StartError"
    exit_code = 128

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@attrs.define
class ExecResult:
    exit_code: int | None        # None when timed out
    output: str                  # stdout and stderr, interleaved as written
    seconds_taken: float
    timed_out: bool = False
    error: str | None = None     # the exec could not start (runtime error text); exit_code is 126


def exec_not_found_error(exe: str, exec_id: str = "") -> str:
    what = f'exec: "{exe}": stat {exe}: no such file or directory' if "/" in exe else \
        f'exec: "{exe}": executable file not found in $PATH'
    return (f'failed to exec in container: failed to start exec "{exec_id}": OCI runtime exec failed: '
            f"exec failed: unable to start container process: {what}: unknown")


def start_error_text(exe: str) -> str:
    what = f'exec: "{exe}": stat {exe}: no such file or directory' if "/" in exe else \
        f'exec: "{exe}": executable file not found in $PATH'
    return START_ERROR_PREFIX + what + ": unknown"


# ---------------------------------------------------------------------------------------------

class _DefaultSpec:
    """What an image without a `process:` behaves like: a busybox-like image."""

    listen: list = []
    startup_seconds = None
    http: dict = {}
    exit_after = None
    exit_code = 0
    memory = None
    logs: list = []
    on_sigterm = "ignore"
    sigterm_exit_code = None
    shell = True
    flavor = "busybox"
    bash = False
    program = None
    entrypoint = None
    cmd = ["sh"]
    executables: list = []
    files: dict = {}
    workdir = None
    env: dict = {}


def _spec_of(image: Any):
    entry = getattr(image, "entry", image)
    spec = getattr(entry, "process", None)
    return spec if spec is not None else _DefaultSpec()


def _tag_of(image: Any) -> str | None:
    return getattr(image, "tag", None)


PROGRAM_FILES = {
    "nginx": {"/usr/share/nginx/html/index.html": NGINX_INDEX,
              "/usr/share/nginx/html/50x.html": "<html><body>An error occurred.</body></html>\n",
              "/etc/nginx/nginx.conf": "user  nginx;\nworker_processes  auto;\n"},
    "httpd": {"/usr/local/apache2/htdocs/index.html": HTTPD_INDEX},
}


class LogSink(Sink):
    __slots__ = ("proc", "stream", "partial")

    def __init__(self, proc: "Process", stream: str) -> None:
        self.proc = proc
        self.stream = stream
        self.partial = ""

    def write(self, text: str) -> None:
        if self.proc.exited and not self.proc._exiting:
            return
        data = self.partial + text
        lines = data.split("\n")
        self.partial = lines.pop()
        for line in lines:
            self.proc._log(self.stream, line)

    def flush(self) -> None:
        if self.partial:
            self.proc._log(self.stream, self.partial)
            self.partial = ""


class Task:
    __slots__ = ("gen", "wake", "seq", "pid", "name", "done", "result", "state", "main")

    def __init__(self, gen, wake: float | None, seq: int, pid: int, name: str, main: bool = False) -> None:
        self.gen = gen
        self.wake = wake
        self.seq = seq
        self.pid = pid
        self.name = name
        self.done = False
        self.result: int | None = None
        self.state = "run"
        self.main = main


@attrs.define
class Listener:
    open_at: float
    handler: Callable[[str, float], tuple[int, str]] | None
    kind: str = "http"          # http, tcp (not HTTP), grpc (gRPC health + HTTP /health)
    local_only: bool = False    # bound to 127.0.0.1: probes from the kubelet are refused


class Runner:
    """Shared machinery of a container process and an exec session (the shell's `ctx`)."""

    # slots: one per running container at scale (a Process has > 30 attributes, past CPython's
    # shared-key limit, so its __dict__ alone was ~800 bytes)
    __slots__ = ("image", "spec", "tag", "fs", "now", "started", "env", "tasks", "_seq", "steps",
                 "exec_pending", "current_shell", "on_signal", "_cur", "exited", "_rng", "busy",
                 "via_entrypoint", "__weakref__")

    def __init__(self, image: Any, env: dict[str, str], fs: ContainerFS, now: float) -> None:
        self.image = image
        self.spec = _spec_of(image)
        self.tag = _tag_of(image)
        self.fs = fs
        self.now = float(now)
        self.started = float(now)
        self.env = env
        self.tasks: list[Task] = []
        self._seq = 0
        self.steps = 0
        self.exec_pending = False
        self.current_shell: Shell | None = None
        self.on_signal: Callable[[str], None] | None = None
        self._cur: Task | None = None
        self.exited = False
        self._rng = int.from_bytes(hashlib.sha256(repr((sorted(env.items()), now)).encode()).digest()[:8], "big")
        self.busy = False

    # -- what the image contains ------------------------------------------------------------
    @property
    def utils_flavor(self) -> str:
        return "gnu" if getattr(self.spec, "flavor", "busybox") == "gnu" else "busybox"

    def shell_flavor(self, name: str) -> str:
        if name == "bash":
            return "bash"
        return "dash" if self.utils_flavor == "gnu" else "busybox"

    def _program_names(self) -> dict[str, Callable]:
        spec = self.spec
        names: dict[str, Callable] = {}
        for exe in getattr(spec, "executables", None) or []:
            b = posixpath.basename(exe)
            if b in PROGRAMS:
                names[b] = PROGRAMS[b]
        prog = getattr(spec, "program", None)
        main_fn = None
        if prog:
            main_fn = PROGRAMS.get(prog)
            if main_fn is not None:
                names[prog] = main_fn
        elif getattr(spec, "listen", None) or getattr(spec, "exit_after", None) is not None \
                or getattr(spec, "logs", None) or not getattr(spec, "shell", False):
            main_fn = PROGRAMS["generic"]
        if main_fn is not None:
            for argv in (getattr(spec, "entrypoint", None), getattr(spec, "cmd", None)):
                if argv:
                    b = posixpath.basename(argv[0])
                    if b not in ("docker-entrypoint.sh", "sh", "bash") and b not in BUSYBOX:
                        names.setdefault(b, main_fn)
        return names

    def lookup(self, name: str):
        """The utility/program `name` runs in this image, or None (not found)."""
        spec = self.spec
        base = posixpath.basename(name)
        has_shell = bool(getattr(spec, "shell", False))
        progs = self._program_names()
        ep = (getattr(spec, "entrypoint", None) or [""])[0]
        if base in ("docker-entrypoint.sh", "entrypoint.sh") and posixpath.basename(ep) == base:
            return _entrypoint_wrapper
        if "/" in name:
            d = posixpath.dirname(posixpath.normpath(name))
            if d not in BIN_DIRS and base not in progs:
                if has_shell and self.fs.isfile(name):
                    return _script_runner(name)
                return None
        if base in progs:
            return progs[base]
        if has_shell:
            table = GNU if self.utils_flavor == "gnu" else BUSYBOX
            if base in table:
                return table[base]
            if base == "bash" and getattr(spec, "bash", False):
                return u_sh
            extra = set(getattr(spec, "executables", None) or [])
            if base in extra and base in EXTRA:
                return EXTRA[base]
        return None

    # -- scheduling ---------------------------------------------------------------------------
    def spawn(self, gen, name: str = "", main: bool = False, pid: int | None = None) -> int:
        self._seq += 1
        if pid is None:
            pid = self._alloc_pid()
        self.tasks.append(Task(gen, self.now, self._seq, pid, name, main))
        return pid

    def _alloc_pid(self) -> int:
        raise NotImplementedError

    def has_children(self) -> bool:
        return any(not t.done and t is not self._cur and not t.main for t in self.tasks)

    def tick(self) -> None:
        self.steps += 1
        if self.steps > STEP_LIMIT:
            raise BusyLoop()

    def random(self) -> int:
        self._rng = (self._rng * 6364136223846793005 + 1442695040888963407) % (1 << 64)
        return self._rng >> 33

    def _next_task(self, limit: float | None) -> Task | None:
        best = None
        for t in self.tasks:
            if t.done or t.wake is None:
                continue
            if limit is not None and t.wake > limit:
                continue
            if best is None or (t.wake, t.seq) < (best.wake, best.seq):
                best = t
        return best

    def _step(self, t: Task) -> None:
        self._cur = t
        try:
            req = t.gen.send(None)
        except StopIteration as e:
            self._finish(t, e.value if isinstance(e.value, int) else 0)
            return
        except ShellExit as e:
            self._finish(t, e.code)
            return
        except BusyLoop:
            t.done = True
            t.state = "busy"
            if t.main:
                self.busy = True
            return
        except MemoryError:
            self._crash(t, "sh: out of memory", 2)
            return
        except RecursionError:
            # runaway recursion in a script (f() { f; }; f): the real shell dies of a stack overflow
            self._crash(t, "Segmentation fault", 139)
            return
        except Exception as exc:  # noqa: BLE001
            # a construct the simulator does not model: fail like a shell error, never a traceback
            # (tests set KUBETRAINER_STRICT_RUNTIME=1 to see the bug instead)
            if os.environ.get("KUBETRAINER_STRICT_RUNTIME"):
                raise
            self._crash(t, f"sh: unsupported by the simulator: {type(exc).__name__}", 2)
            return
        finally:
            self._cur = None
        if t.done:  # killed while running
            return
        kind = req[0]
        if kind == "sleep":
            t.wake = self.now + max(0.0, float(req[1]))
            t.state = "sleep"
        elif kind == "forever":
            t.wake = None
            t.state = "forever"
        elif kind == "wait":
            t.wake = None
            t.state = "wait"
        else:
            t.wake = self.now
            t.state = "run"

    def _crash(self, t: Task, message: str, code: int) -> None:
        sink = self.stderr_sink()
        sink.write(message + "\n")
        self._finish(t, code)

    def _finish(self, t: Task, code: int) -> None:
        t.done = True
        t.result = code
        t.state = "done"
        self._wake_waiters()
        if t.main:
            self._main_done(code)

    def _main_done(self, code: int) -> None:
        pass

    def _wake_waiters(self) -> None:
        for w in self.tasks:
            if not w.done and w.state == "wait":
                w.wake = self.now
                w.state = "run"

    def task_alive(self, pid: int) -> bool:
        return any(t.pid == pid and not t.done for t in self.tasks)

    def task_result(self, pid: int) -> int | None:
        for t in self.tasks:
            if t.pid == pid:
                return t.result
        return None

    def end_task(self, pid: int) -> None:
        for t in self.tasks:
            if t.pid == pid and not t.done:
                self._kill_task(t)

    def _kill_task(self, t: Task) -> None:
        t.done = True
        t.state = "done"
        if t is not self._cur:
            try:
                t.gen.close()
            except (ValueError, RuntimeError, ShellExit, BusyLoop):
                pass
        self._wake_waiters()

    def _run(self, limit: float | None) -> None:
        while not self.exited:
            t = self._next_task(limit)
            if t is None:
                break
            if t.wake > self.now:
                self.now = t.wake
                self.steps = 0
            self._step(t)

    # -- ctx services used by the shell and programs ------------------------------------------
    def rename_current(self, argv: list[str]) -> None:
        """exec(3): the running process now shows as argv (ps, killall)."""
        if self._cur is not None:
            self._cur.name = " ".join(argv)

    @property
    def pid(self) -> int:
        return self._cur.pid if self._cur is not None else 1

    def claim_pid1(self) -> bool:
        return False

    def hostname(self) -> str:
        return self.env.get("HOSTNAME") or self.fs.hostname

    def image_version(self, default: str) -> str:
        tag = self.tag
        if tag and _ascii_digits(tag[0]):
            return tag.split("-")[0]
        return default

    def spec_memory(self, default: int) -> int:
        m = getattr(self.spec, "memory", None)
        return int(m) if m is not None else default

    def spec_startup(self, default: float) -> float:
        s = getattr(self.spec, "startup_seconds", None)
        return float(s) if s is not None else default

    def target_process(self) -> "Process | None":
        raise NotImplementedError

    def dns_server(self) -> str:
        return getattr(self.fs, "dns_server", None) or "10.96.0.10"

    def resolve(self, name: str) -> str | None:
        hook = getattr(self.fs, "resolver", None)
        if hook is not None:
            return hook(name)
        if name in ("localhost",):
            return "127.0.0.1"
        if "." in name and not any(name.endswith(s) for s in (".local", ".svc", ".cluster.local", ".internal")):
            return _fake_ip(name)
        return None

    def http_request(self, host: str, port: int, path: str, tcp_only: bool = False, agent: str = "Wget"):
        """(status|None, body[, ip]) or "nohost". None status = connection refused; -1 = not HTTP."""
        hook = getattr(self.fs, "network", None)
        if hook is not None:
            return hook(host, port, path, self.now)
        if host in ("localhost", "127.0.0.1", "::1", "0.0.0.0") or host == self.hostname():
            target = self.target_process()
            if target is None:
                return (None, "", "127.0.0.1")
            st, body = target.http_body(port, path, self.now, local=True, client=("127.0.0.1", agent))
            if st == -1 and tcp_only:
                st = 0
            return (st, body, "127.0.0.1")
        ip = self.resolve(host)
        if ip is None:
            return "nohost"
        if port in (80, 443):
            return (200, f"<html><head><title>{host}</title></head><body><h1>{host}</h1></body></html>\n", ip)
        return (None, "", ip)

    def stderr_sink(self) -> Sink:
        raise NotImplementedError

    def process_table(self) -> list[tuple[int, str]]:
        raise NotImplementedError

    def send_signal(self, pid: int, sig: str) -> bool:
        target = self.target_process()
        if pid == 1:
            if target is None or target.exited:
                return False
            # From inside its pid namespace, init only receives signals it has a handler for;
            # SIGKILL/SIGSTOP cannot have one, so `kill -9 1` in the container does nothing
            # (pid_namespaces(7)). Other signals go to PID 1's handler, if any.
            if sig not in ("0", "KILL", "STOP"):
                target.signal(sig, self.now)
            return True
        for runner in (self, target):
            if runner is None:
                continue
            for t in runner.tasks:
                if t.pid == pid and not t.done and not t.main:
                    if sig != "0":
                        from kubetrainer.sim.runtime.shell import SIGNALS

                        runner._kill_task(t)
                        t.result = 128 + SIGNALS.get(sig, 15)  # died of the signal (not PID 1)
                    return True
        return False

    # -- program services; an exec session has no listeners/cgroup of its own --------------------
    def listen(self, port: int, handler, kind: str = "http", delay: float = 0.0, local_only: bool = False) -> None:
        pass

    def set_memory(self, nbytes: int) -> None:
        pass

    def set_cpu(self, millicores: int) -> None:
        pass

    def exit_now(self, code: int) -> None:
        for t in self.tasks:
            if t.main and not t.done:
                self._kill_task(t)
                t.result = code

    def exit_later(self, delay: float, code: int) -> None:
        def later():
            yield ("sleep", delay)
            self.exit_now(code)
            return code
        self.spawn(later(), name="shutdown")

    def _prepare_env(self, env: dict[str, str]) -> dict[str, str]:
        full = {"PATH": DEFAULT_PATH}
        full.update(getattr(self.spec, "env", None) or {})
        full.update(env)
        full.setdefault("HOSTNAME", self.fs.hostname)
        full.setdefault("HOME", "/root")
        return full


def _entrypoint_wrapper(sh, argv, io, env):
    """/docker-entrypoint.sh "$@": exec the arguments (so the program becomes PID 1)."""
    if len(argv) < 2:
        return 0
    cmd = list(getattr(sh.ctx.spec, "cmd", None) or [])
    if cmd and (argv[1].startswith("-") or argv[1].endswith(".conf")):
        # redis/mysql/mongo entrypoints: `if [ "${1#-}" != "$1" ] || [ "${1%.conf}" != "$1" ]; then
        # set -- redis-server "$@"; fi`
        argv = [argv[0], cmd[0]] + argv[1:]
    sh.ctx.exec_pending = True
    sh.ctx.via_entrypoint = True
    sh.ctx.rename_current(argv[1:])
    util = sh.ctx.lookup(argv[1])
    if util is None:
        io.err.write(f"/docker-entrypoint.sh: exec: line 47: {argv[1]}: not found\n")
        return 127
    return (yield from util(sh, argv[1:], io, env))


def _script_runner(path: str):
    def run(sh, argv, io, env):
        return (yield from u_sh(sh, ["sh", path] + argv[1:], io, env))
    return run


# ---------------------------------------------------------------------------------------------

class Process(Runner):
    """A running container's main process (PID 1)."""

    __slots__ = ("exit_code", "exit_time", "oom_killed", "killed", "logs", "listeners", "mem", "cpu",
                 "memory_limit", "_pid1_free", "_next_pid", "_exiting", "argv", "out", "err", "http_client")

    def __init__(self, image: Any, env: dict[str, str], fs: ContainerFS, now: float,
                 memory_limit: int | None = None) -> None:
        super().__init__(image, env, fs, now)
        self.exit_code: int | None = None
        self.exit_time: float | None = None
        self.oom_killed = False
        self.killed = False
        self.logs: list[tuple[float, str, str]] = []
        self.listeners: dict[int, Listener] = {}
        self.mem = 0
        self.cpu = 1             # millicores the process would use without a limit (kubectl top)
        self.memory_limit = memory_limit
        self._pid1_free = True
        self._next_pid = 1
        self._exiting = False
        self.argv: list[str] = []
        self.out = LogSink(self, "stdout")
        self.err = LogSink(self, "stderr")

    def _alloc_pid(self) -> int:
        pid = self._next_pid
        self._next_pid += 6  # shells fork helpers too: pids are sparse, but deterministic
        return pid

    # -- public API -----------------------------------------------------------------------------
    def next_wakeup(self) -> float | None:
        if self.exited:
            return None
        t = self._next_task(None)
        return None if t is None else t.wake

    def advance(self, now: float) -> None:
        if self._cur is not None:
            return
        self._run(now)
        if not self.exited and now > self.now:
            self.now = float(now)
            self.steps = 0

    def memory_bytes(self, now: float) -> int:
        self.advance(now)
        return 0 if self.exited else self.mem

    def cpu_millicores(self, now: float, limit: int | None = None) -> int:
        """CPU usage for `kubectl top`: what the program wants, throttled to the CFS limit."""
        self.advance(now)
        if self.exited:
            return 0
        want = 1000 if self.busy else self.cpu
        return min(want, limit) if limit is not None else want

    def set_cpu(self, millicores: int) -> None:
        self.cpu = int(millicores)

    def oom_kill(self, now: float) -> None:
        self.advance(now)
        if not self.exited:
            self.now = max(self.now, float(now))
            self.oom_killed = True
            self._exit(137)

    def listening_ports(self, now: float) -> list[int]:
        self.advance(now)
        if self.exited:
            return []
        return sorted(p for p, l in self.listeners.items() if l.open_at <= now)

    def tcp_open(self, port: int, now: float) -> bool:
        self.advance(now)
        lst = self.listeners.get(port)
        return bool(lst and not self.exited and lst.open_at <= now and not lst.local_only)

    def http_get(self, port: int, path: str, now: float, client: tuple[str, str] | None = None) -> int | None:
        """HTTP status from the kubelet's side; None = connection refused; -1 = not an HTTP server.

        `client` = (source IP, User-Agent) for access logs; default the node's kube-probe."""
        st, _ = self.http_body(port, path, now, local=False, client=client)
        return st

    def http_body(self, port: int, path: str, now: float, local: bool = False,
                  client: tuple[str, str] | None = None) -> tuple[int | None, str]:
        self.advance(now)
        lst = self.listeners.get(port)
        if not lst or self.exited or lst.open_at > now or (lst.local_only and not local):
            return None, ""
        if lst.kind == "tcp" or lst.handler is None:
            return -1, ""
        self.http_client = client or (("127.0.0.1", "Wget") if local else ("10.244.0.1", "kube-probe/1.34"))
        try:
            return lst.handler(path or "/", now)
        finally:
            self.http_client = None

    def grpc_health(self, port: int, now: float) -> str | None:
        """gRPC health check: "SERVING", "UNIMPLEMENTED" (server without the health service) or None (refused)."""
        self.advance(now)
        lst = self.listeners.get(port)
        if not lst or self.exited or lst.open_at > now or lst.local_only:
            return None
        return "SERVING" if lst.kind == "grpc" else "UNIMPLEMENTED"

    def signal(self, sig: str, now: float) -> None:
        sig = sig.upper().removeprefix("SIG")
        if self._cur is None:
            self.advance(now)
        if self.exited:
            return
        if self._cur is None:
            self.now = max(self.now, float(now))
        if sig == "KILL":
            self.killed = True
            self._exit(137)
            return
        if self.on_signal is not None:
            self.on_signal(sig)
            if self._cur is None and not self.exited:
                self._run(self.now)
        # else: PID 1 without a handler: the kernel does not deliver the signal

    # -- ctx services -----------------------------------------------------------------------
    def claim_pid1(self) -> bool:
        if self.exec_pending or self._pid1_free:
            self.exec_pending = False
            self._pid1_free = False
            return True
        return False

    def target_process(self) -> "Process":
        return self

    def stderr_sink(self) -> Sink:
        return self.err

    def process_table(self) -> list[tuple[int, str]]:
        rows = []
        for t in self.tasks:
            if not t.done or (t.main and not self.exited):
                rows.append((t.pid, t.name))
        return rows

    def listen(self, port: int, handler, kind: str = "http", delay: float = 0.0, local_only: bool = False) -> None:
        if self.exited:
            return
        self.listeners[int(port)] = Listener(self.now + max(0.0, float(delay or 0.0)), handler, kind, local_only)

    def set_memory(self, nbytes: int) -> None:
        if self.exited:
            return
        self.mem = int(nbytes)
        if self.memory_limit is not None and self.mem > self.memory_limit:
            self.oom_killed = True
            self._exit(137)

    def exit_now(self, code: int) -> None:
        self._exit(code)

    def exit_later(self, delay: float, code: int) -> None:
        def later():
            yield ("sleep", delay)
            self._exit(code)
            return code
        self.spawn(later(), name="shutdown")

    # -- internals ------------------------------------------------------------------------------
    MAX_LOG_LINES = 20000   # the kubelet rotates container logs (containerLogMaxSize); keep the tail

    MAX_LINE = 16384  # the CRI log format splits longer lines (containerd's maxContainerLogLineSize)

    def _log(self, stream: str, line: str) -> None:
        while len(line) > self.MAX_LINE:
            self.logs.append((self.now, stream, line[: self.MAX_LINE]))
            line = line[self.MAX_LINE:]
        self.logs.append((self.now, stream, line))
        if len(self.logs) > self.MAX_LOG_LINES:
            del self.logs[: self.MAX_LOG_LINES // 4]

    def _main_done(self, code: int) -> None:
        self._exit(code & 0xFF if code >= 0 else code)

    def _exit(self, code: int) -> None:
        if self.exited:
            return
        self._exiting = True
        self.out.flush()
        self.err.flush()
        self._exiting = False
        self.exited = True
        self.exit_code = code
        self.exit_time = self.now
        self.listeners.clear()
        for t in self.tasks:
            if not t.done:
                self._kill_task(t)


def start_process(image: Any, command: list[str] | None, args: list[str] | None, env: dict[str, str],
                  fs: ContainerFS, now: float, ports: list[int] | None = None,
                  memory_limit: int | None = None, workdir: str | None = None,
                  user: tuple[int, int, list[int]] | None = None) -> Process:
    """Start a container's main process (Docker/OCI semantics for command/args vs ENTRYPOINT/CMD).

    `image` is an ImageLookup or a RegistryEntry (anything with `.process`, or `.entry.process`).
    Raises StartError when the executable does not exist in the image.
    """
    proc = Process(image, {}, fs, now, memory_limit=memory_limit)
    spec = proc.spec
    for path, text in (getattr(spec, "files", None) or {}).items():
        if not fs.root.files.get(path.lstrip("/")):
            fs.root.put(path, text)
    prog = getattr(spec, "program", None)
    for path, text in PROGRAM_FILES.get(prog or "", {}).items():
        if path.lstrip("/") not in fs.root.files:
            fs.root.put(path, text)
    if hasattr(fs, "kubelet_files"):
        fs.kubelet_files()
    proc.env = proc._prepare_env(dict(env))
    entrypoint = list(getattr(spec, "entrypoint", None) or [])
    cmd = list(getattr(spec, "cmd", None) or [])
    if command:
        argv = list(command) + list(args or [])
    elif args:
        argv = entrypoint + list(args)
    else:
        argv = entrypoint + cmd
    if not argv:
        raise StartError("failed to generate container spec: no command specified")
    util = proc.lookup(argv[0])
    if util is None:
        raise StartError(start_error_text(argv[0]))
    proc.argv = argv
    mem = getattr(spec, "memory", None)
    proc.mem = int(mem) if mem is not None else 512 * 1024  # a shell or small tool until the program says
    # container.workingDir overrides the image's WORKDIR; runc creates it when missing
    workdir = workdir or getattr(spec, "workdir", None) or "/"
    try:
        fs.mkdir(workdir, parents=True)
    except Exception:  # noqa: BLE001 - a read-only mount: keep the path as is
        pass
    fs.workdir = workdir
    if user is not None:
        fs.user = (int(user[0]), int(user[1]), [int(g) for g in (user[2] or [])])  # securityContext runAsUser/...
    caller = Shell(proc, proc.env, name="sh", flavor=proc.shell_flavor("sh"), cwd=workdir)
    io = IO("", proc.out, proc.err)
    proc.spawn(util(caller, argv, io, proc.env), name=" ".join(argv), main=True)
    proc._run(now)
    return proc


class ExecSession(Runner):
    """`kubectl exec`, exec probes and exec hooks: a process started beside PID 1."""

    __slots__ = ("target", "buf")

    def __init__(self, image: Any, env: dict[str, str], fs: ContainerFS, now: float,
                 target: Process | None) -> None:
        super().__init__(image, env, fs, now)
        self.target = target
        self.buf = BufSink()

    def run_to_end(self, start: float, timeout: float | None) -> tuple[int | None, bool]:
        """Run the main task on virtual time until it ends or the deadline (the exec's timeout, else
        EXEC_CAP; a task that stays busy counts as timed out); then kill what is left.
        (exit code, or None when it timed out; timed out)."""
        main = self.tasks[0]
        deadline = start + (timeout if timeout is not None else EXEC_CAP)
        timed_out = False
        while not main.done:
            t = self._next_task(None)
            if t is None or t.wake > deadline:
                timed_out = True
                self.now = deadline
                break
            if t.wake > self.now:
                self.now = t.wake
                self.steps = 0
            self._step(t)
            if main.state == "busy":
                timed_out = True
                self.now = deadline
                break
        for t in self.tasks:
            if not t.done:
                self._kill_task(t)
        return (None if timed_out else (main.result or 0) & 0xFF), timed_out

    def _alloc_pid(self) -> int:
        if self.target is not None:
            pid = self.target._next_pid
            self.target._next_pid += 6
            return pid
        return 100 + len(self.tasks) * 6

    def target_process(self) -> Process | None:
        return self.target

    def stderr_sink(self) -> Sink:
        return self.buf

    def process_table(self) -> list[tuple[int, str]]:
        rows = list(self.target.process_table()) if self.target is not None else []
        rows += [(t.pid, t.name) for t in self.tasks if not t.done]
        return rows


def exec_command(argv: list[str], env: dict[str, str], fs: ContainerFS, now: float,
                 timeout: float | None = None, proc: Process | None = None, image: Any = None) -> ExecResult:
    """Run argv in the container (same file system, env, network), to completion, on virtual time."""
    img = image if image is not None else (proc.image if proc is not None else None)
    if proc is not None:
        proc.advance(now)  # the container as it is at `now` (everything due by then has run)
    sess = ExecSession(img, {}, fs, now, proc)
    sess.env = sess._prepare_env(dict(env))
    if not argv:
        return ExecResult(126, "", 0.0, False, error=exec_not_found_error("", _exec_id(argv, now)))
    util = sess.lookup(argv[0])
    if util is None:
        return ExecResult(126, "", 0.0, False, error=exec_not_found_error(argv[0], _exec_id(argv, now)))
    caller = Shell(sess, sess.env, name="sh", flavor=sess.shell_flavor("sh"),
                   cwd=getattr(fs, "workdir", None) or getattr(sess.spec, "workdir", None) or "/")
    io = IO("", sess.buf, sess.buf)
    sess.spawn(util(caller, list(argv), io, sess.env), name=" ".join(argv), main=True)
    code, timed_out = sess.run_to_end(now, timeout)
    return ExecResult(code, sess.buf.text(), sess.now - now, timed_out)


def _exec_id(argv: list[str], now: float) -> str:
    return hashlib.sha256(repr((argv, now)).encode()).hexdigest()


class InteractiveShell:
    """`kubectl exec -it POD -- sh`: a shell that keeps its variables, cwd and functions between lines.

    ```python
    term = open_shell(["sh"], env, fs, now, proc)   # or None + .error when the image has no such shell
    term.prompt              # "/ # " (busybox ash as root), "# " (dash), "root@web:/# " (bash)
    r = term.run_line("cd /tmp; echo $PWD", now, timeout=None)   # ExecResult
    term.closed              # True after `exit`
    ```
    """

    def __init__(self, image: Any, env: dict[str, str], fs: ContainerFS, now: float, proc: Process | None,
                 name: str, flavor: str) -> None:
        self.image = image
        self.fs = fs
        self.proc = proc
        self.name = name
        self.closed = False
        self.exit_code = 0
        sess = ExecSession(image, {}, fs, now, proc)
        self.env = sess._prepare_env(dict(env))
        self.shell = Shell(sess, self.env, name=name, flavor=flavor,
                           cwd=getattr(fs, "workdir", None) or getattr(sess.spec, "workdir", None) or "/")

    @property
    def prompt(self) -> str:
        if self.shell.flavor == "bash":
            cwd = self.shell.cwd
            return f"root@{self.env.get('HOSTNAME') or self.fs.hostname}:{cwd}# "
        if self.shell.flavor == "dash":
            return "# "
        return f"{self.shell.cwd} # "

    def _line(self, line: str, io: IO):
        from kubetrainer.sim.runtime.shparse import ShSyntaxError, parse

        shell = self.shell
        try:
            ast = parse(line)
        except ShSyntaxError as e:
            io.err.write(f"{shell.errprefix()}{e}\n")
            return 2
        try:
            return (yield from shell.run_seq(ast, io))
        except ShellExit as e:
            self.closed = True  # `exit` ends the session
            return e.code

    def run_line(self, line: str, now: float, timeout: float | None = None) -> ExecResult:
        if self.closed:
            return ExecResult(self.exit_code, "", 0.0, False)
        if self.proc is not None:
            self.proc.advance(now)
        sess = ExecSession(self.image, self.env, self.fs, now, self.proc)
        self.shell.ctx = sess
        io = IO("", sess.buf, sess.buf)
        sess.spawn(self._line(line, io), name=self.name, main=True)
        code, timed_out = sess.run_to_end(now, timeout)
        if code is not None:
            self.exit_code = code
        return ExecResult(code, sess.buf.text(), sess.now - now, timed_out)


def open_shell(argv: list[str], env: dict[str, str], fs: ContainerFS, now: float,
               proc: Process | None = None, image: Any = None) -> "InteractiveShell | ExecResult":
    """An interactive shell for `kubectl exec -it ... -- sh|bash|ash`, or the ExecResult error when the
    image has no such executable (same text as exec_command)."""
    img = image if image is not None else (proc.image if proc is not None else None)
    probe = ExecSession(img, {}, fs, now, proc)
    name = posixpath.basename(argv[0]) if argv else "sh"
    util = probe.lookup(argv[0]) if argv else None
    if util is None or name not in ("sh", "ash", "bash", "dash"):
        if util is None:
            return ExecResult(126, "", 0.0, False, error=exec_not_found_error(argv[0] if argv else "",
                                                                             _exec_id(argv, now)))
        return exec_command(argv, env, fs, now, None, proc, image)
    return InteractiveShell(img, env, fs, now, proc, name, probe.shell_flavor(name))
