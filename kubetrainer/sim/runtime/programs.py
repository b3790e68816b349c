"""Built-in programs of the default world's images (nginx, redis, agnhost, stress, ...).

Each program has the utility signature `prog(sh, argv, io, env)` (a generator returning the exit
status, see shell.py) and talks to its container through `sh.ctx`:

  ctx.listen(port, handler, kind="http"|"tcp"|"grpc", delay=0, local_only=False)
      handler(path, now) -> (status, body)
  ctx.set_memory(bytes)            working set from now on
  ctx.claim_pid1()                 True when this program is the container's PID 1 (started
                                   directly or through `exec`): only then it receives signals
  ctx.on_signal = fn(sig)          its signal handler; fn may call ctx.exit_now(code) / ctx.exit_later(s, code)

Behaviour follows the images' documentation and sources, e.g. agnhost `liveness`
(test/images/agnhost/liveness/server.go: /healthz answers 200 while `duration.Seconds() <= 10`,
then 500) and Go's default SIGTERM handling (a Go program as PID 1 without signal.Notify exits
with status 2 because the runtime re-raises, is ignored, and calls exit(2)).
"""

from __future__ import annotations

import posixpath
import re

from kubetrainer.sim.runtime.shell import format_date


def _ascii_digits(s: str) -> bool:
    """str.isdigit() for ASCII only: Unicode digits such as '²' are not numbers to the shell."""
    return s.isascii() and s.isdigit()

MI = 1024 * 1024

NGINX_INDEX = """<!DOCTYPE html>
<html>
<head>
<title>Welcome to nginx!</title>
<style>
html { color-scheme: light dark; }
body { width: 35em; margin: 0 auto;
font-family: Tahoma, Verdana, Arial, sans-serif; }
</style>
</head>
<body>
<h1>Welcome to nginx!</h1>
<p>If you see this page, the nginx web server is successfully installed and
working. Further configuration is required.</p>

<p>For online documentation and support please refer to
<a href="http://nginx.org/">nginx.org</a>.<br/>
Commercial support is available at
<a href="http://nginx.com/">nginx.com</a>.</p>

<p><em>Thank you for using nginx.</em></p>
</body>
</html>
"""

HTTPD_INDEX = "<html><body><h1>It works!</h1></body></html>\n"


def _done(code):
    return code
    yield  # pragma: no cover


def parse_size(text: str, binary_suffixes: bool = True) -> int | None:
    """'150M' (stress: M = MiB), '150Mi', '10Ki', '1G', '4096'."""
    m = re.fullmatch(r"(\d+(?:\.\d+)?)([KkMmGgTt]?)(i?)[Bb]?", text.strip())
    if not m:
        return None
    mult = {"": 1, "k": 1024, "m": MI, "g": 1024 * MI, "t": 1024 * 1024 * MI}[m.group(2).lower()]
    if not binary_suffixes and not m.group(3):
        mult = {"": 1, "k": 1000, "m": 10**6, "g": 10**9, "t": 10**12}[m.group(2).lower()]
    return int(float(m.group(1)) * mult)


def parse_go_duration(text: str) -> float | None:
    total = 0.0
    pos = 0
    if text in ("0",):
        return 0.0
    for mm in re.finditer(r"(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)", text):
        if mm.start() != pos:
            return None
        total += float(mm.group(1)) * {"ns": 1e-9, "us": 1e-6, "µs": 1e-6, "ms": 1e-3, "s": 1, "m": 60, "h": 3600}[mm.group(2)]
        pos = mm.end()
    return total if pos == len(text) and text else None


def _flags(argv: list[str]) -> dict[str, str]:
    """Go-style flags: -name value, --name=value, -name=value, boolean -name."""
    out: dict[str, str] = {}
    i = 0
    while i < len(argv):
        a = argv[i]
        if a.startswith("-"):
            name = a.lstrip("-")
            if "=" in name:
                k, _, v = name.partition("=")
                out[k] = v
            elif i + 1 < len(argv) and not argv[i + 1].startswith("-"):
                out[name] = argv[i + 1]
                i += 1
            else:
                out[name] = "true"
        i += 1
    return out


def _go_term(ctx):
    """Go's default: SIGTERM/SIGINT/SIGHUP terminate a Go PID 1 with exit status 2."""
    if ctx.claim_pid1():
        def handler(sig):
            if sig in ("TERM", "INT", "HUP", "QUIT"):
                ctx.exit_now(2)
        ctx.on_signal = handler


def _access_log(ctx, io, path, now, status, body):
    """nginx's combined access log line on stdout (probes show up in kubectl logs)."""
    client = getattr(ctx, "http_client", None) or ("10.244.0.1", "kube-probe/1.34")
    stamp = format_date(now, "%d/%b/%Y:%H:%M:%S +0000")
    io.out.write(f'{client[0]} - - [{stamp}] "GET {path} HTTP/1.1" {status} {len(body.encode())} "-" '
                 f'"{client[1]}" "-"\n')


def _error_page(status: int, title: str, server: str | None) -> str:
    if server is None:  # Apache httpd
        return (f'<!DOCTYPE HTML PUBLIC "-//IETF//DTD HTML 2.0//EN">\n<html><head>\n<title>{status} {title}</title>\n'
                f"</head><body>\n<h1>{title}</h1>\n</body></html>\n")
    return (f"<html>\r\n<head><title>{status} {title}</title></head>\r\n<body>\r\n<center><h1>{status} {title}</h1>"
            f"</center>\r\n<hr><center>{server}</center>\r\n</body>\r\n</html>\r\n")


def _static_files(ctx, root: str, default_index: str | None, server: str | None = "nginx"):
    def handler(path, now):
        p = path.split("?", 1)[0]
        full = posixpath.normpath(root + "/" + p)
        fs = ctx.fs
        if fs.isdir(full):
            idx = posixpath.join(full, "index.html")
            if fs.isfile(idx):
                return 200, fs.read(idx)
            return 403, _error_page(403, "Forbidden", server)
        if fs.isfile(full):
            return 200, fs.read(full)
        return 404, _error_page(404, "Not Found", server)
    return handler


# ---------------------------------------------------------------------------------------------

def nginx(sh, argv, io, env):
    ctx = sh.ctx
    if "-s" in argv:
        # nginx -s quit|stop|reload|reopen: signal the master process (pid 1 in the image)
        sig = argv[argv.index("-s") + 1] if argv.index("-s") + 1 < len(argv) else ""
        signame = {"quit": "QUIT", "stop": "TERM", "reload": "HUP", "reopen": "USR1"}.get(sig)
        if signame is None:
            io.err.write(f'nginx: invalid option: "-s {sig}"\n')
            return (yield from _done(1))
        if not any(cmd.split()[0].endswith("nginx") for pid, cmd in ctx.process_table() if pid == 1) \
                or not ctx.send_signal(1, signame):
            stamp = format_date(ctx.now, "%Y/%m/%d %H:%M:%S")
            io.err.write(f'{stamp} [notice] {ctx.pid}#{ctx.pid}: signal process started\n'
                         f'{stamp} [error] {ctx.pid}#{ctx.pid}: invalid PID number "" in "/run/nginx.pid"\n')
            return (yield from _done(1))
        stamp = format_date(ctx.now, "%Y/%m/%d %H:%M:%S")
        io.err.write(f"{stamp} [notice] {ctx.pid}#{ctx.pid}: signal process started\n")
        return (yield from _done(0))
    if "-v" in argv or "-V" in argv:
        io.err.write(f"nginx version: nginx/{ctx.image_version('1.25.3')}\n")
        return (yield from _done(0))
    if "-t" in argv:
        io.err.write("nginx: the configuration file /etc/nginx/nginx.conf syntax is ok\n"
                     "nginx: configuration file /etc/nginx/nginx.conf test is successful\n")
        return (yield from _done(0))
    pid = ctx.pid
    stamp = format_date(ctx.now, "%Y/%m/%d %H:%M:%S")
    version = ctx.image_version("1.25.3")
    if "daemon off" not in " ".join(argv[1:]):
        # nginx.conf in the image does not say `daemon off;`: the master forks into the background
        # and the foreground process exits 0 at once (why the image's CMD passes -g 'daemon off;')
        return (yield from _done(0))
    if getattr(ctx, "via_entrypoint", False):
        io.out.write("/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty, will attempt to perform configuration\n"
                     "/docker-entrypoint.sh: Looking for shell scripts in /docker-entrypoint.d/\n"
                     "/docker-entrypoint.sh: Configuration complete; ready for start up\n")
    io.err.write(f'{stamp} [notice] {pid}#{pid}: using the "epoll" event method\n'
                 f"{stamp} [notice] {pid}#{pid}: nginx/{version}\n"
                 f"{stamp} [notice] {pid}#{pid}: start worker processes\n")
    ctx.set_memory(ctx.spec_memory(8 * MI))
    files = _static_files(ctx, "/usr/share/nginx/html", NGINX_INDEX, f"nginx/{version}")

    def handler(path, now):
        status, body = files(path, now)
        _access_log(ctx, io, path, now, status, body)
        return status, body
    ctx.listen(80, handler, delay=ctx.spec_startup(0.0))
    if ctx.claim_pid1():
        def handler(sig):
            stamp2 = format_date(ctx.now, "%Y/%m/%d %H:%M:%S")
            if sig == "TERM" or sig == "INT":
                io.err.write(f"{stamp2} [notice] {pid}#{pid}: signal 15 (SIGTERM) received, exiting\n"
                             f"{stamp2} [notice] {pid}#{pid}: exit\n")
                ctx.exit_now(0)
            elif sig == "QUIT":
                io.err.write(f"{stamp2} [notice] {pid}#{pid}: signal 3 (SIGQUIT) received, shutting down\n"
                             f"{stamp2} [notice] {pid}#{pid}: exit\n")
                ctx.exit_now(0)
            elif sig == "HUP":
                io.err.write(f"{stamp2} [notice] {pid}#{pid}: signal 1 (SIGHUP) received from {pid}, reconfiguring\n")
        ctx.on_signal = handler
    yield ("forever",)
    return 0


def httpd(sh, argv, io, env):
    ctx = sh.ctx
    stamp = format_date(ctx.now, "%a %b %d %H:%M:%S.000000 %Y")
    io.err.write("AH00558: httpd: Could not reliably determine the server's fully qualified domain name, "
                 "using 10.244.0.1. Set the 'ServerName' directive globally to suppress this message\n"
                 f"[{stamp}] [mpm_event:notice] [pid 1:tid 1] AH00489: Apache/{ctx.image_version('2.4.58')} (Unix) "
                 "configured -- resuming normal operations\n"
                 f"[{stamp}] [core:notice] [pid 1:tid 1] AH00094: Command line: 'httpd -D FOREGROUND'\n")
    ctx.set_memory(ctx.spec_memory(12 * MI))
    ctx.listen(80, _static_files(ctx, "/usr/local/apache2/htdocs", HTTPD_INDEX, None), delay=ctx.spec_startup(0.0))
    if ctx.claim_pid1():
        def handler(sig):
            if sig in ("TERM", "WINCH", "INT"):
                st = format_date(ctx.now, "%a %b %d %H:%M:%S.000000 %Y")
                io.err.write(f"[{st}] [mpm_event:notice] [pid 1:tid 1] AH00491: caught SIGTERM, shutting down\n")
                ctx.exit_now(0)
        ctx.on_signal = handler
    yield ("forever",)
    return 0


def redis_server(sh, argv, io, env):
    ctx = sh.ctx
    stamp = format_date(ctx.now, "%d %b %Y %H:%M:%S.000")
    conf = next((a for a in argv[1:] if not a.startswith("-")), None)
    if conf is not None and not ctx.fs.isfile(conf):
        io.err.write(f"\n*** FATAL CONFIG FILE ERROR (Redis {ctx.image_version('7.2.4')}) ***\n"
                     f"Fatal error, can't open config file '{posixpath.normpath(conf)}': No such file or directory\n")
        return (yield from _done(1))
    io.out.write(f"1:C {stamp} # oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo\n"
                 f"1:C {stamp} # Redis version={ctx.image_version('7.2.4')}, bits=64, commit=00000000, modified=0, pid=1, just started\n"
                 + (f"1:C {stamp} # Configuration loaded\n" if conf else
                    f"1:C {stamp} # Warning: no config file specified, using the default config. In order to specify a config file use redis-server /path/to/redis.conf\n")
                 + f"1:M {stamp} * Running mode=standalone, port=6379.\n"
                 f"1:M {stamp} * Server initialized\n"
                 f"1:M {stamp} * Ready to accept connections tcp\n")
    ctx.set_memory(ctx.spec_memory(3 * MI))
    ctx.listen(6379, None, kind="tcp", delay=ctx.spec_startup(0.0))
    if ctx.claim_pid1():
        def handler(sig):
            if sig in ("TERM", "INT"):
                st = format_date(ctx.now, "%d %b %Y %H:%M:%S.000")
                name = "SIGTERM" if sig == "TERM" else "SIGINT"
                io.out.write(f"1:signal-handler ({int(ctx.now)}) Received {name} scheduling shutdown...\n"
                             f"1:M {st} # User requested shutdown...\n"
                             f"1:M {st} # Redis is now ready to exit, bye bye...\n")
                ctx.exit_now(0)
        ctx.on_signal = handler
    yield ("forever",)
    return 0


def redis_cli(sh, argv, io, env):
    ctx = sh.ctx
    args = argv[1:]
    port = 6379
    host = "127.0.0.1"
    rest = []
    it = iter(args)
    for a in it:
        if a == "-p":
            port = int(next(it, "6379"))
        elif a == "-h":
            host = next(it, host)
        else:
            rest.append(a)
    res = ctx.http_request(host, port, "/", tcp_only=True)
    if res == "nohost" or res[0] is None:
        io.err.write(f"Could not connect to Redis at {host}:{port}: Connection refused\n")
        return (yield from _done(1))
    cmd = [r.lower() for r in rest]
    if not cmd or cmd[0] == "ping":
        io.out.write("PONG\n")
    elif cmd[0] == "set":
        io.out.write("OK\n")
    elif cmd[0] == "get":
        io.out.write("(nil)\n")
    elif cmd[0] == "config" and len(cmd) > 2:
        io.out.write(f"{rest[2]}\n0\n")
    else:
        io.out.write(f"(error) ERR unknown command '{rest[0]}', with args beginning with: \n")
    return (yield from _done(0))


def _liveness_server(ctx, io, port=8080):
    started = ctx.now

    def handler(path, now):
        p = path.split("?", 1)[0]
        if p == "/started":
            return 200, f"{now - started:.6f}"
        if p == "/healthz":
            duration = now - started
            if duration > 10:
                return 500, f"error: {duration:.6f}"
            return 200, "ok"
        if p == "/redirect":
            return 302, ""
        return 404, "404 page not found\n"
    ctx.listen(port, handler)


def agnhost(sh, argv, io, env):
    ctx = sh.ctx
    args = argv[1:]
    if not args:
        io.out.write("Usage:\n  agnhost [command]\n\nAvailable Commands:\n  liveness    Starts a http server that "
                     "returns 200 for the first 10 seconds, then 500\n  netexec     Creates HTTP(S), UDP, and "
                     "(optionally) SCTP servers with various endpoints\n  pause       Pauses the execution\n"
                     "  serve-hostname Serves the hostname\n")
        return (yield from _done(0))
    sub, rest = args[0], args[1:]
    flags = _flags(rest)
    ctx.set_memory(ctx.spec_memory(6 * MI))
    if sub == "liveness":
        _liveness_server(ctx, io)
        _go_term(ctx)
        yield ("forever",)
        return 0
    if sub == "netexec":
        port = int(flags.get("http-port", "8080"))
        io.err.write(f"I0101 00:00:00.000000       1 log.go:245] Started HTTP server on port {port}\n")

        def handler(path, now):
            p, _, q = path.partition("?")
            if p == "/hostname":
                return 200, ctx.hostname()
            if p == "/echo":
                m = re.search(r"msg=([^&]*)", q)
                return 200, m.group(1) if m else ""
            if p == "/shutdown":
                ctx.exit_later(0.0, 0)
                return 200, ""
            if p in ("/", "/healthz", "/clientip"):
                return 200, f"NOW: {format_date(now, '%Y-%m-%d %H:%M:%S.000000000 +0000 UTC')}"
            return 404, "404 page not found\n"
        ctx.listen(port, handler)
        _go_term(ctx)
        yield ("forever",)
        return 0
    if sub == "serve-hostname":
        port = int(flags.get("port", "9376"))
        ctx.listen(port, lambda path, now: (200, ctx.hostname()))
        io.err.write(f"I0101 00:00:00.000000       1 servehostname.go:63] Serving on port {port}.\n")
        _go_term(ctx)
        yield ("forever",)
        return 0
    if sub == "test-webserver":
        port = int(flags.get("port", "80"))
        ctx.listen(port, lambda path, now: (200, "hello"))
        _go_term(ctx)
        yield ("forever",)
        return 0
    if sub == "pause":
        io.out.write("Paused\n")
        if ctx.claim_pid1():
            def handler(sig):
                if sig in ("TERM", "INT"):
                    io.out.write("Shutting down, got signal\n")
                    ctx.exit_now(0)
            ctx.on_signal = handler
        yield ("forever",)
        return 0
    if sub in ("help", "--help", "-h"):
        return (yield from agnhost(sh, argv[:1], io, env))
    io.err.write(f'Error: unknown command "{sub}" for "agnhost"\nRun \'agnhost --help\' for usage.\n')
    return (yield from _done(1))


def liveness_server(sh, argv, io, env):
    """registry.k8s.io/liveness `/server`: same /healthz behaviour as agnhost liveness."""
    ctx = sh.ctx
    ctx.set_memory(ctx.spec_memory(4 * MI))
    _liveness_server(ctx, io)
    _go_term(ctx)
    yield ("forever",)
    return 0


def goproxy(sh, argv, io, env):
    ctx = sh.ctx
    ctx.set_memory(ctx.spec_memory(4 * MI))
    ctx.listen(8080, lambda path, now: (500, "This is a proxy server. Does not respond to non-proxy requests.\n"))
    _go_term(ctx)
    yield ("forever",)
    return 0


def etcd(sh, argv, io, env):
    ctx = sh.ctx
    flags = _flags(argv[1:])
    urls = flags.get("listen-client-urls", "http://localhost:2379")
    local_only = all(("localhost" in u or "127.0.0.1" in u) for u in urls.split(","))
    m = re.search(r":(\d+)", urls.split(",")[0].split("//")[-1])
    port = int(m.group(1)) if m else 2379
    io.err.write('{"level":"info","ts":"' + format_date(ctx.now, "%Y-%m-%dT%H:%M:%S.000Z")
                 + '","caller":"etcdmain/etcd.go:73","msg":"Running: ","args":' + repr(argv).replace("'", '"') + "}\n")
    io.err.write('{"level":"info","ts":"' + format_date(ctx.now, "%Y-%m-%dT%H:%M:%S.000Z")
                 + '","caller":"embed/serve.go:146","msg":"serving client traffic insecurely; this is strongly discouraged!","address":"'
                 + ("127.0.0.1" if local_only else "[::]") + f':{port}"}}\n')
    ctx.set_memory(ctx.spec_memory(30 * MI))
    ctx.listen(port, lambda path, now: ((200, '{"health":"true","reason":""}') if path.startswith("/health")
                                        else (404, "404 page not found\n")),
               kind="grpc", delay=ctx.spec_startup(1.0), local_only=local_only)
    if ctx.claim_pid1():
        def handler(sig):
            if sig in ("TERM", "INT"):
                ctx.exit_now(0)
        ctx.on_signal = handler
    yield ("forever",)
    return 0


def stress(sh, argv, io, env):
    """polinux/stress: `stress --vm 1 --vm-bytes 150M --vm-hang 1` allocates 150 MiB at once."""
    ctx = sh.ctx
    args = argv[1:]
    if not args or "--help" in args or "-?" in args:
        io.out.write("`stress' imposes certain types of compute stress on your system\n\n"
                     "Usage: stress [OPTION [ARG]] ...\n")
        return (yield from _done(0 if "--help" in args else 1))
    opts = {}
    i = 0
    while i < len(args):
        a = args[i]
        key = {"-c": "--cpu", "-i": "--io", "-m": "--vm", "-d": "--hdd", "-t": "--timeout"}.get(a, a)
        if key.startswith("--") and i + 1 < len(args) and not args[i + 1].startswith("-"):
            opts[key] = args[i + 1]
            i += 2
        else:
            opts[key] = "1"
            i += 1
    try:
        vm = int(opts.get("--vm", "0") or 0)
        cpu = int(opts.get("--cpu", "0") or 0)
        io_ = int(opts.get("--io", "0") or 0)
        hdd = int(opts.get("--hdd", "0") or 0)
    except ValueError:
        io.out.write("`stress' imposes certain types of compute stress on your system\n\n"
                     "Usage: stress [OPTION [ARG]] ...\n")
        return (yield from _done(1))
    vm_bytes = parse_size(opts.get("--vm-bytes", "256M")) or 256 * MI
    io.out.write(f"stress: info: [1] dispatching hogs: {cpu} cpu, {io_} io, {vm} vm, {hdd} hdd\n")
    if hasattr(ctx, "set_cpu"):
        ctx.set_cpu(1000 * cpu + (1000 * vm if "--vm-hang" not in opts else 0) + 1)
    ctx.set_memory(ctx.spec_memory(MI) + vm * vm_bytes)
    if ctx.exited:
        return 137
    timeout = opts.get("--timeout")
    if timeout:
        m = re.fullmatch(r"(\d+)([smhd]?)", timeout)
        if not m:
            io.err.write("stress: FAIL: [1] invalid timeout value\n")
            return 1
        secs = float(m.group(1)) * {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}[m.group(2)]
        yield ("sleep", secs)
        io.out.write(f"stress: info: [1] successful run completed in {int(secs)}s\n")
        return 0
    yield ("forever",)
    return 0


def vish_stress(sh, argv, io, env):
    """vish/stress (Go): allocates -mem-alloc-size every -mem-alloc-sleep until -mem-total."""
    ctx = sh.ctx
    flags = _flags(argv[1:])
    total = parse_size(flags.get("mem-total", "0")) or 0
    step = parse_size(flags.get("mem-alloc-size", "4Ki")) or 4096
    sleep = parse_go_duration(flags.get("mem-alloc-sleep", "1ms"))
    if sleep is None:
        sleep = 0.001
    cpus = int(flags.get("cpus", "0") or 0)
    base = ctx.spec_memory(2 * MI)
    ctx.set_memory(base)
    _go_term(ctx)
    for _ in range(cpus):
        io.err.write("I0101 00:00:00.000000       1 main.go:52] Spawning a thread to consume CPU\n")
    if hasattr(ctx, "set_cpu"):
        ctx.set_cpu(1000 * cpus + 1)
    if total > 0:
        io.err.write(f'I0101 00:00:00.000000       1 main.go:26] Allocating "{flags.get("mem-total")}" memory, in '
                     f'"{flags.get("mem-alloc-size", "4Ki")}" chunks, with a {flags.get("mem-alloc-sleep", "1ms")} '
                     f"sleep between allocations\n")
        steps = -(-total // step)
        # coalesce to at most 200 wake-ups (same end time, same final size)
        group = max(1, -(-steps // 200))
        allocated = 0
        k = 0
        while allocated < total:
            n = min(group, steps - k)
            allocated = min(total, allocated + n * step)
            k += n
            ctx.set_memory(base + allocated)
            if ctx.exited:
                return 137
            if allocated < total and sleep > 0:
                yield ("sleep", sleep * n)
        io.err.write(f'I0101 00:00:00.000000       1 main.go:39] Allocated "{flags.get("mem-total")}" memory\n')
    yield ("forever",)
    return 0


def pause(sh, argv, io, env):
    ctx = sh.ctx
    ctx.set_memory(ctx.spec_memory(256 * 1024))
    if ctx.claim_pid1():
        def handler(sig):
            if sig in ("TERM", "INT"):
                ctx.exit_now(0)
        ctx.on_signal = handler
    yield ("forever",)
    return 0


def hello_app(sh, argv, io, env):
    ctx = sh.ctx
    version = ctx.image_version("1.0")
    full = version if version.count(".") >= 2 else version + ".0"
    port = int(env.get("PORT", "8080"))
    io.err.write(f"{format_date(ctx.now, '%Y/%m/%d %H:%M:%S')} Server listening on port {port}\n")
    ctx.set_memory(ctx.spec_memory(5 * MI))

    def handler(path, now):
        io.err.write(f"{format_date(now, '%Y/%m/%d %H:%M:%S')} Serving request: {path}\n")
        return 200, f"Hello, world!\nVersion: {full}\nHostname: {ctx.hostname()}\n"
    ctx.listen(port, handler)
    _go_term(ctx)
    yield ("forever",)
    return 0


def node_hello(sh, argv, io, env):
    """gcr.io/google-samples/node-hello: a Node.js server; as PID 1 it ignores SIGTERM."""
    ctx = sh.ctx
    ctx.set_memory(ctx.spec_memory(20 * MI))
    ctx.listen(int(env.get("PORT", "8080")), lambda path, now: (200, "Hello Kubernetes!"))
    yield ("forever",)
    return 0


def kubernetes_bootcamp(sh, argv, io, env):
    """gcr.io/google-samples/kubernetes-bootcamp (the Kubernetes Basics tutorial): node server.js on 8080.

    Node.js as PID 1 installs no SIGTERM handler, so the pod waits for SIGKILL at the end of the grace period."""
    ctx = sh.ctx
    version = (ctx.tag or "v1").lstrip("v") or "1"
    io.out.write("Kubernetes Bootcamp App Started At: " + format_date(ctx.now, "%Y-%m-%dT%H:%M:%S.000Z")
                 + " | Running On:  " + ctx.hostname() + " \n")
    ctx.set_memory(ctx.spec_memory(18 * MI))

    def handler(path, now):
        io.out.write(f"Running On: {ctx.hostname()} | Total Requests: 1 | App Uptime: {now - ctx.started:.3f} seconds"
                     f" | Log Time: {format_date(now, '%Y-%m-%dT%H:%M:%S.000Z')}\n")
        return 200, f"Hello Kubernetes bootcamp! | Running on: {ctx.hostname()} | v={version}\n"
    ctx.listen(8080, handler)
    yield ("forever",)
    return 0


def http_echo(sh, argv, io, env):
    """hashicorp/http-echo: -text=TEXT -listen=:5678 (the Ingress docs' backends)."""
    ctx = sh.ctx
    flags = _flags(argv[1:])
    text = flags.get("text", "")
    m = re.search(r":(\d+)$", flags.get("listen", ":5678"))
    port = int(m.group(1)) if m else 5678
    if not text:
        io.err.write("Missing -text option!\n")
        return (yield from _done(127))
    io.err.write(f"{format_date(ctx.now, '%Y/%m/%d %H:%M:%S')} [INFO] server is listening on :{port}\n")
    ctx.set_memory(ctx.spec_memory(3 * MI))
    ctx.listen(port, lambda path, now: (200, text + "\n"))
    _go_term(ctx)
    yield ("forever",)
    return 0


def python(sh, argv, io, env):
    """python3: `-m http.server [PORT]`, `-c 'print(...)'`, a script file. As PID 1 it has no SIGTERM
    handler, so it is stopped by SIGKILL at the end of the grace period."""
    ctx = sh.ctx
    args = argv[1:]
    while args and args[0] in ("-u", "-B", "-O", "-E", "-s"):
        args = args[1:]
    if not args:
        return (yield from _done(0))  # reads the program from stdin: empty, exits 0
    if args[0] == "-m" and len(args) > 1 and args[1] == "http.server":
        port = int(args[2]) if len(args) > 2 and _ascii_digits(args[2]) else 8000
        io.out.write(f"Serving HTTP on 0.0.0.0 port {port} (http://0.0.0.0:{port}/) ...\n")
        ctx.set_memory(ctx.spec_memory(12 * MI))
        root = sh.cwd

        def handler(path, now):
            p = posixpath.normpath(root + "/" + path.split("?", 1)[0])
            client = getattr(ctx, "http_client", None) or ("10.244.0.1", "kube-probe/1.34")
            stamp = format_date(now, "%d/%b/%Y %H:%M:%S")
            if ctx.fs.isfile(p):
                status, body = 200, ctx.fs.read(p)
            elif ctx.fs.isdir(p):
                names = ctx.fs.listdir(p)
                status, body = 200, "<ul>\n" + "".join(f'<li><a href="{n}">{n}</a></li>\n' for n in names) + "</ul>\n"
            else:
                status, body = 404, "File not found"
            io.err.write(f'{client[0]} - - [{stamp}] "GET {path} HTTP/1.1" {status} -\n')
            return status, body
        ctx.listen(port, handler)
        yield ("forever",)
        return 0
    if args[0] == "-c" and len(args) > 1:
        for m in re.finditer(r"print\(\s*(['\"])(.*?)\1\s*\)", args[1]):
            io.out.write(m.group(2) + "\n")
        return (yield from _done(0))
    script = args[0]
    if not ctx.fs.isfile(script, sh.cwd):
        full = posixpath.normpath(posixpath.join(sh.cwd, script))
        io.err.write(f"python3: can't open file '{full}': [Errno 2] No such file or directory\n")
        return (yield from _done(2))
    ctx.set_memory(ctx.spec_memory(15 * MI))
    yield ("forever",)
    return 0


def simple_server(port: int, body: str, memory: int, startup: float = 0.0, term_code: int | None = 0,
                  logs: str = ""):
    def prog(sh, argv, io, env):
        ctx = sh.ctx
        if logs:
            io.out.write(logs)
        ctx.set_memory(ctx.spec_memory(memory))
        ctx.listen(port, lambda path, now: (200, body), delay=ctx.spec_startup(startup))
        if term_code is not None and ctx.claim_pid1():
            def handler(sig):
                if sig in ("TERM", "INT"):
                    ctx.exit_now(term_code)
            ctx.on_signal = handler
        yield ("forever",)
        return 0
    return prog


def mysqld(sh, argv, io, env):
    """The mysql image's entrypoint refuses to initialise without a root password option."""
    ctx = sh.ctx
    stamp = format_date(ctx.now, "%Y-%m-%d %H:%M:%S+00:00")
    version = ctx.image_version("8.0.36")
    io.out.write(f"{stamp} [Note] [Entrypoint]: Entrypoint script for MySQL Server {version}-1.el8 started.\n")
    if not any(env.get(k) for k in ("MYSQL_ROOT_PASSWORD", "MYSQL_ALLOW_EMPTY_PASSWORD", "MYSQL_RANDOM_ROOT_PASSWORD")) \
            and "MYSQL_ROOT_PASSWORD" not in env:
        io.err.write(f"{stamp} [ERROR] [Entrypoint]: Database is uninitialized and password option is not specified\n"
                     "    You need to specify one of the following as an environment variable:\n"
                     "    - MYSQL_ROOT_PASSWORD\n    - MYSQL_ALLOW_EMPTY_PASSWORD\n    - MYSQL_RANDOM_ROOT_PASSWORD\n")
        return (yield from _done(1))
    ctx.set_memory(ctx.spec_memory(360 * MI))
    startup = ctx.spec_startup(15.0)
    ctx.listen(3306, None, kind="tcp", delay=startup)
    yield ("sleep", startup)
    io.err.write(f"{format_date(ctx.now, '%Y-%m-%dT%H:%M:%S.000000Z')} 0 [System] [MY-010931] [Server] "
                 f"/usr/sbin/mysqld: ready for connections. Version: '{version}'  socket: '/var/run/mysqld/mysqld.sock'  port: 3306  MySQL Community Server - GPL.\n")
    if ctx.claim_pid1():
        def handler(sig):
            if sig in ("TERM", "INT"):
                ctx.exit_later(2.0, 0)
        ctx.on_signal = handler
    yield ("forever",)
    return 0


def java(sh, argv, io, env):
    """The seed's k8sre/demo image: `java -Djava.awt.headless=true --httpPort=8080`."""
    ctx = sh.ctx
    port = 8080
    for a in argv[1:]:
        m = re.fullmatch(r"--httpPort=(\d+)", a)
        if m:
            port = int(m.group(1))
    io.out.write(f"Running from: /app/demo.war\nJetty started on port {port}\n")
    ctx.set_memory(ctx.spec_memory(180 * MI))
    ctx.listen(port, lambda path, now: (200, "demo\n"), delay=ctx.spec_startup(5.0))
    if ctx.claim_pid1():
        def handler(sig):
            if sig in ("TERM", "INT", "HUP"):
                ctx.exit_now(143)  # the JVM runs its shutdown hooks, then exits 128+15
        ctx.on_signal = handler
    yield ("forever",)
    return 0


def _pi_digits(n: int) -> str:
    """First n decimal digits of pi after '3.' (Gibbons' unbounded spigot), integer-only."""
    q, r, t, k, m, x = 1, 0, 1, 1, 3, 3
    digits = []
    while len(digits) < n + 1:
        if 4 * q + r - t < m * t:
            digits.append(str(m))
            q, r, m = 10 * q, 10 * (r - m * t), (10 * (3 * q + r)) // t - 10 * m
        else:
            q, r, t, k, m, x = q * k, (2 * q + r) * x, t * x, k + 1, (q * (7 * k + 2) + r * x) // (t * x), x + 2
    return digits[0] + "." + "".join(digits[1:])


def perl(sh, argv, io, env):
    """perl: the Job example `perl -Mbignum=bpi -wle 'print bpi(2000)'` prints pi and exits 0."""
    script = " ".join(a for a in argv[1:] if not a.startswith("-"))
    m = re.search(r"bpi\((\d+)\)", script)
    if m:
        n = int(m.group(1))
        io.out.write(_pi_digits(n - 1) + "\n")
        yield ("sleep", 5.0)
        return 0
    m = re.search(r'print\s+"([^"]*)"', script)
    if m:
        io.out.write(m.group(1).replace("\\n", "\n") + ("\n" if "-l" in "".join(argv) else ""))
    return (yield from _done(0))


def fluent(sh, argv, io, env):
    ctx = sh.ctx
    name = posixpath.basename(argv[0])
    io.out.write(f"Fluent Bit v{ctx.image_version('2.2.0')}\n* Copyright (C) 2015-2023 The Fluent Bit Authors\n"
                 if "bit" in name else "fluentd starting\n")
    ctx.set_memory(ctx.spec_memory(15 * MI if "bit" in name else 80 * MI))
    if "bit" in name:
        ctx.listen(2020, lambda path, now: (200, '{"fluent-bit":{}}'))
    if ctx.claim_pid1():
        def handler(sig):
            if sig in ("TERM", "INT"):
                ctx.exit_later(1.0, 0)
        ctx.on_signal = handler
    yield ("forever",)
    return 0


def _generic_listen(ctx, spec) -> None:
    """An HTTP server on each port: the paths the world lists answer their status from `from`
    seconds after the start on, other paths 404. (Not a local of `generic`: its suspended frame
    would keep the closure alive in every container that never listens.)"""
    started = ctx.now

    def handler(path, now):
        p = path.split("?", 1)[0]
        rules = spec.http.get(p)
        if rules is None:
            return 404, "404 page not found\n"
        status = 404
        for frm, st in rules:
            if now - started >= frm:
                status = st
        return status, ""

    for port in spec.listen:
        ctx.listen(port, handler, kind="http", delay=spec.startup_seconds)


def generic(sh, argv, io, env):
    """A registry entry's declarative `process:` (listen, http, exitAfter, logs, onSigterm ...)."""
    ctx = sh.ctx
    spec = ctx.spec
    for line in spec.logs:
        io.out.write(line + "\n")
    # this frame stays suspended for the container's life: keep only what it uses from here on
    # (the launching shell and its tables are ~500 bytes per container, issue #5)
    del sh, io, env, argv
    ctx.set_memory(spec.memory if spec.memory is not None else MI)
    if spec.listen:
        _generic_listen(ctx, spec)
    if ctx.claim_pid1() and spec.on_sigterm == "exit":
        code = spec.sigterm_exit_code if spec.sigterm_exit_code is not None else 143

        def sig_handler(sig):
            if sig in ("TERM", "INT", "QUIT"):
                ctx.exit_now(code)
        ctx.on_signal = sig_handler
    if spec.exit_after is not None:
        yield ("sleep", spec.exit_after)
        return spec.exit_code
    yield ("forever",)
    return 0


PROGRAMS = {
    "nginx": nginx, "httpd": httpd, "httpd-foreground": httpd, "redis-server": redis_server,
    "redis-cli": redis_cli, "agnhost": agnhost, "liveness": liveness_server, "server": liveness_server,
    "goproxy": goproxy, "etcd": etcd, "stress": stress, "vish-stress": vish_stress, "pause": pause,
    "hello-app": hello_app, "node-hello": node_hello, "mysqld": mysqld, "mysql": mysqld, "java": java,
    "perl": perl, "fluent-bit": fluent, "fluentd": fluent, "generic": generic,
    "kubernetes-bootcamp": kubernetes_bootcamp, "http-echo": http_echo, "python": python, "python3": python,
    "php-apache": simple_server(80, "OK!", 10 * MI, term_code=0),
    "gb-frontend": simple_server(80, "<html ng-app=\"redis\"><head><title>Guestbook</title></head></html>\n", 10 * MI, term_code=0),
    "mongod": simple_server(27017, "It looks like you are trying to access MongoDB over HTTP on the native driver port.\n",
                            60 * MI, startup=2.0, term_code=0),
    "rabbitmq-server": simple_server(5672, "AMQP", 90 * MI, startup=5.0, term_code=0),
    "cassandra": simple_server(9042, "", 500 * MI, startup=30.0, term_code=0),
    "zkServer.sh": simple_server(2181, "", 60 * MI, startup=3.0, term_code=143),
    "wordpress": simple_server(80, "<html>WordPress</html>\n", 30 * MI, startup=2.0, term_code=0),
}
