"""The simulated shell: busybox ash (and dash/bash flavours) on virtual time.

Everything here is a generator. A command that needs time to pass yields a request to its
driver (the container process or the exec runner):

  ("sleep", seconds)  resume after that much virtual time
  ("forever",)        never resume by itself (sleep infinity, tail -f /dev/null, a server)
  ("wait",)           resume when a background job ends or a trapped signal arrives

and returns its exit status. The driver sets `ctx.now` before resuming.

Messages are the ones busybox (and, for Debian-based images, dash and GNU coreutils) print,
e.g. `cat: can't open '/tmp/healthy': No such file or directory` or `sh: foo: not found`.
"""

from __future__ import annotations

import datetime as _dt
import fnmatch
import re
import shlex

from kubetrainer.sim.runtime.fs import ENOENT, FSError
from kubetrainer.sim.runtime.shparse import (
    AndOr, Case, For, FuncDef, Group, If, Loop, Pipeline, Redir, Seq, ShSyntaxError, Simple,
    _scan_balanced, _scan_dquote, parse,
)


def _ascii_digits(s: str) -> bool:
    """str.isdigit() for ASCII only: Unicode digits such as '²' are not numbers to the shell."""
    return s.isascii() and s.isdigit()

# Virtual time 0 is this instant (what `date` prints).
EPOCH = _dt.datetime(2024, 1, 1, 0, 0, 0, tzinfo=_dt.timezone.utc)

SIGNALS = {"HUP": 1, "INT": 2, "QUIT": 3, "KILL": 9, "USR1": 10, "USR2": 12, "TERM": 15, "STOP": 19}
SIGNAMES = {v: k for k, v in SIGNALS.items()}


class ShellExit(Exception):
    def __init__(self, code: int) -> None:
        super().__init__(code)
        self.code = code


class BusyLoop(Exception):
    """Raised by ctx.tick() when a script runs too many commands without time passing."""


class _Break(Exception):
    def __init__(self, n: int) -> None:
        self.n = n


class _Continue(Exception):
    def __init__(self, n: int) -> None:
        self.n = n


class _Return(Exception):
    def __init__(self, code: int) -> None:
        self.code = code


class ShellError(Exception):
    """An expansion error: message printed, command status 1 or 2."""

    def __init__(self, msg: str, status: int = 2) -> None:
        super().__init__(msg)
        self.msg = msg
        self.status = status


# ---------------------------------------------------------------------------------------------
# output sinks

class Sink:
    __slots__ = ()

    def write(self, text: str) -> None:  # pragma: no cover - interface
        raise NotImplementedError


class BufSink(Sink):
    def __init__(self) -> None:
        self.parts: list[str] = []

    def write(self, text: str) -> None:
        self.parts.append(text)

    def text(self) -> str:
        return "".join(self.parts)


class NullSink(Sink):
    def write(self, text: str) -> None:
        pass


class FileSink(Sink):
    def __init__(self, fs, path: str, cwd: str) -> None:
        self.fs = fs
        self.path = path
        self.cwd = cwd

    def write(self, text: str) -> None:
        try:
            self.fs.write(self.path, text, append=True, cwd=self.cwd)
        except FSError:
            pass


class Pipe:
    """A pipe between two pipeline stages running as separate tasks."""

    __slots__ = ("buf", "closed", "ctx")

    def __init__(self, ctx) -> None:
        self.buf = ""
        self.closed = False
        self.ctx = ctx

    def close(self) -> None:
        if not self.closed:
            self.closed = True
            self.ctx._wake_waiters()


class PipeSink(Sink):
    def __init__(self, pipe: Pipe) -> None:
        self.pipe = pipe

    def write(self, text: str) -> None:
        if text and not self.pipe.closed:
            self.pipe.buf += text
            self.pipe.ctx._wake_waiters()


def read_all(io: "IO"):
    """All of stdin (waits for the writer to finish when stdin is a pipe)."""
    src = io.stdin
    if isinstance(src, Pipe):
        while not src.closed:
            yield ("wait",)
        data, src.buf = src.buf, ""
        return data
    io.stdin = ""
    return src or ""


def read_line(io: "IO"):
    """One line of stdin without its newline, or None at end of input."""
    src = io.stdin
    if isinstance(src, Pipe):
        while "\n" not in src.buf and not src.closed:
            yield ("wait",)
        if "\n" in src.buf:
            line, _, src.buf = src.buf.partition("\n")
            return line
        if src.buf:
            line, src.buf = src.buf, ""
            return line
        return None
    if not src:
        return None
    line, nl, rest = src.partition("\n")
    io.stdin = rest
    return line


class IO:
    __slots__ = ("stdin", "out", "err")

    def __init__(self, stdin: str | None, out: Sink, err: Sink) -> None:
        self.stdin = stdin
        self.out = out
        self.err = err


# ---------------------------------------------------------------------------------------------
# the interpreter

IFS_WS = " \t\n"


_NAME_SETS: dict[tuple[str, ...], frozenset[str]] = {}


def _shared_names(env: dict[str, str]) -> frozenset[str]:
    """frozenset(env), one object per distinct list of names (every pod of a Deployment has the same)."""
    key = tuple(env)
    names = _NAME_SETS.get(key)
    if names is None:
        names = frozenset(key)
        if len(_NAME_SETS) < 4096:
            _NAME_SETS[key] = names
    return names


class Shell:
    """One shell process. `ctx` is the driver (see process.py: ProcessContext)."""

    def __init__(self, ctx, env: dict[str, str], name: str = "sh", args: list[str] | None = None,
                 flavor: str = "busybox", cwd: str = "/") -> None:
        self.ctx = ctx
        # copy-on-write: the variables start as `env` (callers never change it afterwards) and are
        # copied on first access; a container's PID-1 shell often never reads or sets one
        self._vars: dict[str, str] | None = None
        self._vars0 = env
        # copy-on-write: the exported names start as the (shared, frozen) set of env's names; a
        # private set is made on first access (most container shells never export or list them)
        self._exported: set[str] | None = None
        self._exported0 = _shared_names(env)
        self.functions: dict[str, object] = {}
        self.status = 0
        self.cwd = cwd
        self.traps: dict[str, str] = {}
        self.pending: list[str] = []
        self.name = name
        self.positional: list[str] = list(args or [])
        self.flavor = flavor  # "busybox" (ash), "dash", "bash"
        self.last_bg: int | None = None
        self.errexit = False
        self.in_trap = False
        self.loop_depth = 0
        self.func_depth = 0

    @property
    def vars(self) -> dict[str, str]:
        v = self._vars
        if v is None:
            v = self._vars = dict(self._vars0)
            self._vars0 = None
        return v

    @vars.setter
    def vars(self, value: dict[str, str]) -> None:
        self._vars = value
        self._vars0 = None

    @property
    def exported(self) -> set[str]:
        e = self._exported
        if e is None:
            e = self._exported = set(self._exported0)
        return e

    @exported.setter
    def exported(self, value: set[str]) -> None:
        self._exported = value

    # -- messages ---------------------------------------------------------------------------
    def errprefix(self) -> str:
        if self.flavor == "dash":
            return f"{self.name}: 1: "
        if self.flavor == "bash":
            return f"{self.name}: line 1: "
        return f"{self.name}: "

    def not_found(self, cmd: str) -> str:
        if self.flavor == "bash":
            return f"{self.errprefix()}{cmd}: command not found\n"
        return f"{self.errprefix()}{cmd}: not found\n"

    # -- entry points -----------------------------------------------------------------------
    def run_script(self, text: str, io: IO):
        try:
            ast = parse(text)
        except ShSyntaxError as e:
            io.err.write(f"{self.errprefix()}{e}\n")
            return 2
        try:
            status = yield from self.run_seq(ast, io)
        except ShellExit as e:
            status = e.code
        except (_Break, _Continue):
            status = 0
        except _Return as e:
            status = e.code
        return status

    def deliver(self, sig: str) -> bool:
        """A signal arrived for this shell. True if a trap will handle it."""
        if sig in self.traps:
            self.pending.append(sig)
            return True
        return False

    def run_traps(self, io: IO):
        while self.pending and not self.in_trap:
            sig = self.pending.pop(0)
            action = self.traps.get(sig)
            if action is None or action == "":
                continue
            self.in_trap = True
            saved = self.status
            try:
                yield from self.run_script_inline(action, io)
            finally:
                self.in_trap = False
            self.status = saved

    def run_script_inline(self, text: str, io: IO):
        try:
            ast = parse(text)
        except ShSyntaxError as e:
            io.err.write(f"{self.errprefix()}{e}\n")
            return 2
        return (yield from self.run_seq(ast, io))

    # -- AST execution ------------------------------------------------------------------------
    def run_seq(self, seq: Seq, io: IO):
        status = self.status
        for ao, bg in seq.items:
            if bg:
                pid = self.ctx.spawn(self._bg_job(ao, io), name=_ao_name(ao))
                self.last_bg = pid
                status = 0
            else:
                status = yield from self.run_andor(ao, io)
            self.status = status
            if self.pending:
                yield from self.run_traps(io)
            if self.errexit and status != 0 and not bg:
                raise ShellExit(status)
        return status

    def _pipe_stage(self, sub: "Shell", cmd, io: IO, pipe: Pipe):
        try:
            return (yield from sub.run_cmd(cmd, io))
        except ShellExit as e:
            return e.code
        finally:
            pipe.close()

    def _bg_job(self, ao: AndOr, io: IO):
        sub = self.subshell()
        try:
            return (yield from sub.run_andor(ao, io))
        except ShellExit as e:
            return e.code

    def subshell(self) -> "Shell":
        s = Shell(self.ctx, {}, self.name, self.positional, self.flavor, self.cwd)
        s.vars = dict(self.vars)
        s.exported = set(self._exported if self._exported is not None else self._exported0)
        s.functions = dict(self.functions)
        s.status = self.status
        return s

    def run_andor(self, ao: AndOr, io: IO):
        status = yield from self.run_pipeline(ao.first, io)
        for op, pl in ao.rest:
            self.status = status
            if (op == "&&") == (status == 0):
                status = yield from self.run_pipeline(pl, io)
        return status

    def run_pipeline(self, pl: Pipeline, io: IO):
        if len(pl.cmds) == 1:
            status = yield from self.run_cmd(pl.cmds[0], io)
        else:
            # every stage but the last runs as its own task, connected by pipes (so
            # `tail -F log | while read l; do ...; done` streams), the last one in this task
            data = io.stdin
            stages = []
            for cmd in pl.cmds[:-1]:
                pipe = Pipe(self.ctx)
                gen = self._pipe_stage(self.subshell(), cmd, IO(data, PipeSink(pipe), io.err), pipe)
                stages.append(self.ctx.spawn(gen, name=_cmd_name(cmd)))
                data = pipe
            try:
                status = yield from self.run_cmd(pl.cmds[-1], IO(data, io.out, io.err))
            finally:
                for pid in stages:
                    self.ctx.end_task(pid)  # SIGPIPE for writers still running
        if pl.negate:
            status = 0 if status else 1
        return status

    def run_cmd(self, node, io: IO):
        if isinstance(node, Simple):
            return (yield from self.run_simple(node, io))
        redirs = getattr(node, "redirs", [])
        if redirs:
            try:
                io = yield from self.redirect(redirs, io)
            except ShellError as e:
                io.err.write(e.msg)
                return e.status
        if isinstance(node, If):
            for cond, body in node.branches:
                st = yield from self.run_seq(cond, io)
                if st == 0:
                    return (yield from self.run_seq(body, io))
            if node.else_ is not None:
                return (yield from self.run_seq(node.else_, io))
            return 0
        if isinstance(node, Loop):
            self.loop_depth += 1
            try:
                return (yield from self._loop(node, io))
            finally:
                self.loop_depth -= 1
        if isinstance(node, For):
            self.loop_depth += 1
            try:
                return (yield from self._for(node, io))
            finally:
                self.loop_depth -= 1
        return (yield from self._other(node, io))

    def _loop(self, node: Loop, io: IO):
        status = 0
        while True:
            self.ctx.tick()
            st = yield from self.run_seq(node.cond, io)
            if (st == 0) == node.until:
                break
            try:
                status = yield from self.run_seq(node.body, io)
            except _Break as b:
                if b.n > 1:
                    raise _Break(b.n - 1)
                break
            except _Continue as c:
                if c.n > 1:
                    raise _Continue(c.n - 1)
                continue
        return status

    def _for(self, node: For, io: IO):
        if node.words is None:
            items = list(self.positional)
        else:
            items = []
            for w in node.words:
                items += (yield from self.expand(w))
        status = 0
        for item in items:
            self.ctx.tick()
            self.setvar(node.var, item)
            try:
                status = yield from self.run_seq(node.body, io)
            except _Break as b:
                if b.n > 1:
                    raise _Break(b.n - 1)
                break
            except _Continue as c:
                if c.n > 1:
                    raise _Continue(c.n - 1)
                continue
        return status

    def _other(self, node, io: IO):
        if isinstance(node, Case):
            word = yield from self.expand_str(node.word)
            for pats, body in node.items:
                for p in pats:
                    pat = yield from self.expand_str(p)
                    if fnmatch.fnmatchcase(word, pat):
                        return (yield from self.run_seq(body, io))
            return 0
        if isinstance(node, Group):
            if node.subshell:
                sub = self.subshell()
                try:
                    return (yield from sub.run_seq(node.body, io))
                except ShellExit as e:
                    return e.code
            return (yield from self.run_seq(node.body, io))
        if isinstance(node, FuncDef):
            self.functions[node.name] = node.body
            return 0
        raise AssertionError(f"unknown node {node!r}")

    def run_simple(self, node: Simple, io: IO):
        self.ctx.tick()
        try:
            words: list[str] = []
            for w in node.words:
                words += (yield from self.expand(w))
            assigns = []
            for name, value in node.assigns:
                assigns.append((name, (yield from self.expand_str(value))))
        except ShellError as e:
            io.err.write(e.msg)
            return e.status
        if not words:
            for name, value in assigns:
                self.setvar(name, value)
            if node.redirs:
                try:
                    yield from self.redirect(node.redirs, io)
                except ShellError as e:
                    io.err.write(e.msg)
                    return 1
            return self.status if node.assigns else 0
        io2 = io
        if node.redirs:
            try:
                io2 = yield from self.redirect(node.redirs, io)
            except ShellError as e:
                io.err.write(e.msg)
                return 1
        return (yield from self.invoke(words, io2, dict(assigns)))

    def invoke(self, words: list[str], io: IO, tmp_env: dict[str, str] | None = None):
        name = words[0]
        if name in self.functions:
            saved = self.positional
            self.positional = words[1:]
            self.func_depth += 1
            try:
                return (yield from self.run_cmd(self.functions[name], io))
            except _Return as r:
                return r.code
            finally:
                self.func_depth -= 1
                self.positional = saved
        builtin = BUILTINS.get(name)
        if builtin is not None:
            if tmp_env:
                for k, v in tmp_env.items():
                    self.setvar(k, v)
            return (yield from builtin(self, words, io))
        util = self.ctx.lookup(name)
        if util is None:
            if "/" in name:
                io.err.write(f"{self.errprefix()}{name}: not found\n")
            else:
                io.err.write(self.not_found(name))
            return 127
        env = self.environ()
        if tmp_env:
            env.update(tmp_env)
        return (yield from util(self, words, io, env))

    def environ(self) -> dict[str, str]:
        exported = self._exported if self._exported is not None else self._exported0
        return {k: self.vars[k] for k in self.vars if k in exported}

    MAX_VALUE = 4 << 20  # a runaway `x=$x$x` loop: the real shell dies of malloc failure

    def setvar(self, name: str, value: str) -> None:
        if len(value) > self.MAX_VALUE:
            raise MemoryError("sh: out of memory")
        self.vars[name] = value

    # -- redirection --------------------------------------------------------------------------
    def redirect(self, redirs: list[Redir], io: IO):
        stdin, out, err = io.stdin, io.out, io.err
        for r in redirs:
            if r.op in ("<<", "<<'"):
                body = r.target if r.op == "<<'" else (yield from self._dquote(r.target))
                if r.fd == 0:
                    stdin = body
                continue
            target = yield from self.expand_str(r.target)
            if r.op in (">&", "<&"):
                if target in ("1", "2"):
                    src = out if target == "1" else err
                    if r.fd == 1:
                        out = src
                    elif r.fd == 2:
                        err = src
                    continue
                if target == "-":
                    continue
                # `>&file` (bash): both to file
            if r.op == "<":
                try:
                    stdin = self.ctx.fs.read(target, self.cwd)
                except FSError as e:
                    raise ShellError(self._open_msg(target, e.reason), 1)
                continue
            if target in ("/dev/stdout", "/dev/fd/1"):
                sink = io.out
            elif target in ("/dev/stderr", "/dev/fd/2"):
                sink = io.err
            elif target == "/dev/null":
                sink = NullSink()
            else:
                append = r.op in (">>", "&>>")
                try:
                    if not append or not self.ctx.fs.isfile(target, self.cwd):
                        self.ctx.fs.write(target, "", append=False, cwd=self.cwd)
                except FSError as e:
                    raise ShellError(self._create_msg(target, e.reason), 1)
                sink = FileSink(self.ctx.fs, target, self.cwd)
            if r.op in ("&>", "&>>", ">&"):
                out = err = sink
            elif r.fd == 1:
                out = sink
            elif r.fd == 2:
                err = sink
        return IO(stdin, out, err)

    def _create_msg(self, path: str, reason: str) -> str:
        if self.flavor == "dash":
            reason = {"No such file or directory": "Directory nonexistent"}.get(reason, reason)
            return f"{self.errprefix()}cannot create {path}: {reason}\n"
        if self.flavor == "bash":
            return f"{self.errprefix()}{path}: {reason}\n"
        # busybox ash: sh_error("can't create %s: %s", fname, errmsg(errno, "nonexistent directory"))
        if reason == ENOENT:
            reason = "nonexistent directory"
        return f"{self.errprefix()}can't create {path}: {reason}\n"

    def _open_msg(self, path: str, reason: str) -> str:
        if self.flavor == "dash":
            return f"{self.errprefix()}cannot open {path}: No such file\n"
        if self.flavor == "bash":
            return f"{self.errprefix()}{path}: {reason}\n"
        # busybox ash openredirect(): sh_error("can't open %s: %s", fname, errmsg(errno, "no such file"))
        if reason == ENOENT:
            reason = "no such file"
        return f"{self.errprefix()}can't open {path}: {reason}\n"

    # -- expansion ----------------------------------------------------------------------------
    def expand(self, word: str):
        """Full expansion of one word: a list of fields (field splitting + pathname expansion)."""
        if word in ('"$@"', '"${@}"'):
            return list(self.positional)  # each positional parameter as its own field
        pieces = yield from self._pieces(word)
        fields: list[tuple[str, bool]] = []  # (text, may glob)
        cur = ""
        cur_has = False
        cur_glob = False
        for text, quoted, expanded in pieces:
            if quoted or not expanded:
                cur += text
                if quoted:
                    cur_has = True
                else:
                    cur_has = cur_has or bool(text)
                    if any(ch in text for ch in "*?["):
                        cur_glob = True
                continue
            if text == "":
                continue
            words = text.split()
            if text[0] in IFS_WS and (cur or cur_has):
                fields.append((cur, cur_glob))
                cur, cur_has, cur_glob = "", False, False
            for k, w in enumerate(words):
                if k > 0:
                    fields.append((cur, cur_glob))
                    cur, cur_has, cur_glob = "", False, False
                cur += w
                cur_has = True
                if any(ch in w for ch in "*?["):
                    cur_glob = True
            if text[-1] in IFS_WS and words:
                fields.append((cur, cur_glob))
                cur, cur_has, cur_glob = "", False, False
        if cur or cur_has:
            fields.append((cur, cur_glob))
        result: list[str] = []
        for text, may_glob in fields:
            if may_glob:
                matches = self.ctx.fs.glob(text, self.cwd)
                if matches:
                    result += matches
                    continue
            result.append(text)
        return result

    def expand_str(self, word: str):
        """Expansion without field splitting or globbing (assignments, redirections, case)."""
        pieces = yield from self._pieces(word)
        return "".join(p[0] for p in pieces)

    def _pieces(self, word: str):
        pieces: list[tuple[str, bool, bool]] = []
        i, n = 0, len(word)
        while i < n:
            c = word[i]
            if c == "\\":
                if i + 1 < n:
                    pieces.append((word[i + 1], True, False))
                i += 2
                continue
            if c == "'":
                j = word.find("'", i + 1)
                pieces.append((word[i + 1:j], True, False))
                i = j + 1
                continue
            if c == '"':
                j = _scan_dquote(word, i + 1)
                inner = yield from self._dquote(word[i + 1:j - 1])
                pieces.append((inner, True, False))
                i = j
                continue
            if c == "$":
                val, i = yield from self._dollar(word, i)
                if val is None:
                    pieces.append(("$", False, False))
                else:
                    pieces.append((val, False, True))
                continue
            if c == "`":
                j = word.find("`", i + 1)
                out = yield from self.cmdsubst(word[i + 1:j])
                pieces.append((out, False, True))
                i = j + 1
                continue
            if c == "~" and i == 0 and (n == 1 or word[1] == "/"):
                pieces.append((self.vars.get("HOME", "/root"), True, False))
                i += 1
                continue
            pieces.append((c, False, False))
            i += 1
        return pieces

    def _dquote(self, s: str):
        out = []
        i, n = 0, len(s)
        while i < n:
            c = s[i]
            if c == "\\" and i + 1 < n and s[i + 1] in '$`"\\\n':
                if s[i + 1] != "\n":
                    out.append(s[i + 1])
                i += 2
                continue
            if c == "$":
                val, i = yield from self._dollar(s, i, quoted=True)
                out.append("$" if val is None else val)
                continue
            if c == "`":
                j = s.find("`", i + 1)
                out.append((yield from self.cmdsubst(s[i + 1:j])))
                i = j + 1
                continue
            out.append(c)
            i += 1
        return "".join(out)

    def _dollar(self, s: str, i: int, quoted: bool = False):
        n = len(s)
        if i + 1 >= n:
            return None, i + 1
        c = s[i + 1]
        if s.startswith("$((", i):
            j = _scan_balanced(s, i + 2, "(", ")")
            expr = s[i + 3:j - 2] if s[j - 2] == ")" else s[i + 3:j - 1]
            expr = yield from self._dquote(expr)
            return str(self.arith(expr)), j
        if c == "(":
            j = _scan_balanced(s, i + 2, "(", ")")
            out = yield from self.cmdsubst(s[i + 2:j - 1])
            return out, j
        if c == "{":
            j = _scan_balanced(s, i + 2, "{", "}")
            val = yield from self._param(s[i + 2:j - 1])
            return val, j
        if c in "?$#!@*-0123456789":
            return self._special(c), i + 2
        m = re.match(r"[A-Za-z_][A-Za-z0-9_]*", s[i + 1:])
        if m:
            name = m.group(0)
            return self.getvar(name), i + 1 + len(name)
        return None, i + 1

    def _special(self, c: str) -> str:
        if c == "?":
            return str(self.status)
        if c == "$":
            return str(self.ctx.pid)
        if c == "#":
            return str(len(self.positional))
        if c == "!":
            return "" if self.last_bg is None else str(self.last_bg)
        if c in "@*":
            return " ".join(self.positional)
        if c == "-":
            return ""
        if c == "0":
            return self.name
        k = int(c)
        return self.positional[k - 1] if k - 1 < len(self.positional) else ""

    def getvar(self, name: str) -> str:
        if name == "RANDOM":
            return str(self.ctx.random() % 32768)
        if name == "SECONDS":
            return str(int(self.ctx.now - self.ctx.started))
        return self.vars.get(name, "")

    def _param(self, body: str):
        if body.startswith("#") and len(body) > 1:
            return str(len(self.getvar(body[1:]) if not _ascii_digits(body[1:]) else self._special(body[1:])))
        m = re.match(r"([A-Za-z_][A-Za-z0-9_]*|[0-9]+|[?$#!@*])", body)
        if not m:
            raise ShellError(f"{self.errprefix()}syntax error: bad substitution\n")
        name = m.group(1)
        rest = body[m.end():]
        isset = name in self.vars if not (_ascii_digits(name) or name in "?$#!@*") else True
        val = self.getvar(name) if (name[0].isalpha() or name[0] == "_") else self._special(name)
        if not rest:
            return val
        for op in (":-", ":=", ":+", ":?", "-", "=", "+", "?", "%%", "%", "##", "#"):
            if rest.startswith(op):
                arg = yield from self._dquote(rest[len(op):])
                if op in (":-", "-"):
                    empty = (not val) if op == ":-" else (not isset)
                    return arg if empty else val
                if op in (":=", "="):
                    empty = (not val) if op == ":=" else (not isset)
                    if empty:
                        self.setvar(name, arg)
                        return arg
                    return val
                if op in (":+", "+"):
                    present = bool(val) if op == ":+" else isset
                    return arg if present else ""
                if op in (":?", "?"):
                    if not val:
                        raise ShellError(f"{self.errprefix()}{name}: {arg or 'parameter not set'}\n")
                    return val
                if op in ("%", "%%"):
                    rng = range(len(val), -1, -1) if op == "%" else range(0, len(val) + 1)
                    for k in rng:
                        if fnmatch.fnmatchcase(val[k:], arg):
                            return val[:k]
                    return val
                if op in ("#", "##"):
                    rng = range(0, len(val) + 1) if op == "#" else range(len(val), -1, -1)
                    for k in rng:
                        if fnmatch.fnmatchcase(val[:k], arg):
                            return val[k:]
                    return val
        raise ShellError(f"{self.errprefix()}syntax error: bad substitution\n")

    def cmdsubst(self, script: str):
        sub = self.subshell()
        buf = BufSink()
        errsink = self.ctx.stderr_sink()
        try:
            status = yield from sub.run_script_inline(script, IO(None, buf, errsink))
        except ShellExit as e:
            status = e.code
        self.status = status
        return buf.text().rstrip("\n")

    def arith(self, expr: str) -> int:
        try:
            return _Arith(expr, self).parse()
        except ZeroDivisionError:
            raise ShellError(f"{self.errprefix()}arithmetic syntax error\n")
        except (ValueError, IndexError):
            raise ShellError(f"{self.errprefix()}arithmetic syntax error\n")


def _ao_name(ao: AndOr) -> str:
    return _cmd_name(ao.first.cmds[0])


def _cmd_name(cmd) -> str:
    if isinstance(cmd, Simple) and cmd.words:
        return " ".join(cmd.words)
    return "sh"


class _Arith:
    """$(( )) with + - * / % ** comparisons && || ! unary, parentheses, = += -= and ++/--."""

    TOK = re.compile(r"\s*(?:(0x[0-9a-fA-F]+|\d+)|([A-Za-z_][A-Za-z0-9_]*)|(\*\*|<<|>>|<=|>=|==|!=|&&|\|\||\+\+|--|\+=|-=|\*=|/=|%=|[-+*/%()<>!=~&|^?:]))")

    def __init__(self, expr: str, sh: Shell) -> None:
        self.sh = sh
        self.toks: list[tuple[str, str]] = []
        pos = 0
        expr = expr.strip()
        while pos < len(expr):
            m = self.TOK.match(expr, pos)
            if not m or m.end() == pos:
                raise ValueError(expr)
            if m.group(1):
                self.toks.append(("num", m.group(1)))
            elif m.group(2):
                self.toks.append(("name", m.group(2)))
            else:
                self.toks.append(("op", m.group(3)))
            pos = m.end()
            while pos < len(expr) and expr[pos].isspace():
                pos += 1
        self.i = 0

    def peek(self):
        return self.toks[self.i] if self.i < len(self.toks) else ("eof", "")

    def take(self):
        t = self.peek()
        self.i += 1
        return t

    def parse(self) -> int:
        if not self.toks:
            return 0
        v = self.assign()
        if self.peek()[0] != "eof":
            raise ValueError("trailing")
        return v

    def val(self, name: str) -> int:
        s = self.sh.getvar(name).strip()
        if not s:
            return 0
        try:
            return int(s, 0)
        except ValueError:
            return _Arith(s, self.sh).parse()

    def assign(self) -> int:
        if self.peek()[0] == "name" and self.i + 1 < len(self.toks) and self.toks[self.i + 1][0] == "op" \
                and self.toks[self.i + 1][1] in ("=", "+=", "-=", "*=", "/=", "%="):
            name = self.take()[1]
            op = self.take()[1]
            rhs = self.assign()
            cur = self.val(name)
            v = {"=": rhs, "+=": cur + rhs, "-=": cur - rhs, "*=": cur * rhs,
                 "/=": _cdiv(cur, rhs), "%=": _cmod(cur, rhs)}[op]
            self.sh.setvar(name, str(v))
            return v
        return self.ternary()

    def ternary(self) -> int:
        c = self.binary(0)
        if self.peek() == ("op", "?"):
            self.take()
            a = self.assign()
            if self.take() != ("op", ":"):
                raise ValueError(":")
            b = self.assign()
            return a if c else b
        return c

    PREC = [("||",), ("&&",), ("|",), ("^",), ("&",), ("==", "!="), ("<", ">", "<=", ">="), ("<<", ">>"),
            ("+", "-"), ("*", "/", "%")]

    def binary(self, level: int) -> int:
        if level == len(self.PREC):
            return self.power()
        left = self.binary(level + 1)
        while self.peek()[0] == "op" and self.peek()[1] in self.PREC[level]:
            op = self.take()[1]
            right = self.binary(level + 1)
            left = _binop(op, left, right)
        return left

    def power(self) -> int:
        base = self.unary()
        if self.peek() == ("op", "**"):
            self.take()
            exp = self.power()
            if exp < 0:
                raise ValueError("exponent less than 0")
            return _wrap64(pow(base, exp, 1 << 64))
        return base

    def unary(self) -> int:
        t = self.peek()
        if t[0] == "op" and t[1] in ("-", "+", "!", "~"):
            self.take()
            v = self.unary()
            return {"-": -v, "+": v, "!": int(not v), "~": ~v}[t[1]]
        if t[0] == "op" and t[1] in ("++", "--"):
            self.take()
            name = self.take()
            if name[0] != "name":
                raise ValueError("++")
            v = self.val(name[1]) + (1 if t[1] == "++" else -1)
            self.sh.setvar(name[1], str(v))
            return v
        return self.primary()

    def primary(self) -> int:
        t = self.take()
        if t[0] == "num":
            return int(t[1], 0)
        if t[0] == "name":
            if self.peek() in (("op", "++"), ("op", "--")):
                op = self.take()[1]
                v = self.val(t[1])
                self.sh.setvar(t[1], str(v + (1 if op == "++" else -1)))
                return v
            return self.val(t[1])
        if t == ("op", "("):
            v = self.assign()
            if self.take() != ("op", ")"):
                raise ValueError(")")
            return v
        raise ValueError(t)


def _cdiv(a: int, b: int) -> int:
    q = abs(a) // abs(b)
    return q if (a >= 0) == (b >= 0) else -q


def _cmod(a: int, b: int) -> int:
    return a - b * _cdiv(a, b)


def _wrap64(v: int) -> int:
    """Shell arithmetic is 64-bit signed (intmax_t): results wrap around."""
    v &= (1 << 64) - 1
    return v - (1 << 64) if v >= 1 << 63 else v


def _binop(op: str, a: int, b: int) -> int:
    return _wrap64(_binop_raw(op, a, b))


def _binop_raw(op: str, a: int, b: int) -> int:
    if op == "+":
        return a + b
    if op == "-":
        return a - b
    if op == "*":
        return a * b
    if op == "/":
        return _cdiv(a, b)
    if op == "%":
        return _cmod(a, b)
    if op == "<<":
        return a << (b & 63)
    if op == ">>":
        return a >> (b & 63)
    return int({"<": a < b, ">": a > b, "<=": a <= b, ">=": a >= b, "==": a == b, "!=": a != b,
                "&&": bool(a and b), "||": bool(a or b)}.get(op, False)) if op not in "&|^" else \
        {"&": a & b, "|": a | b, "^": a ^ b}[op]


# ---------------------------------------------------------------------------------------------
# builtins (run inside the shell process)

def _gen(value):
    """A generator that returns `value` at once (for builtins that never wait)."""
    return value
    yield  # pragma: no cover


def b_true(sh, argv, io):
    return (yield from _noop(0))


def b_false(sh, argv, io):
    return (yield from _noop(1))


def _noop(code):
    return code
    yield  # pragma: no cover


def b_exit(sh, argv, io):
    code = sh.status
    if len(argv) > 1:
        try:
            code = int(argv[1]) & 0xFF
        except ValueError:
            io.err.write(f"{sh.errprefix()}exit: Illegal number: {argv[1]}\n")
            code = 2
    raise ShellExit(code)
    yield  # pragma: no cover


def b_export(sh, argv, io):
    for a in argv[1:]:
        if a == "-p":
            continue
        name, eq, value = a.partition("=")
        if eq:
            sh.setvar(name, value)
        sh.exported.add(name)
    if len(argv) == 1 or argv[1:] == ["-p"]:
        for k in sh.vars:
            if k in sh.exported:
                io.out.write(f"export {k}={shlex.quote(sh.vars[k])}\n")
    return (yield from _noop(0))


def b_unset(sh, argv, io):
    for a in argv[1:]:
        if a in ("-v", "-f"):
            continue
        sh.vars.pop(a, None)
        sh.exported.discard(a)
        sh.functions.pop(a, None)
    return (yield from _noop(0))


def b_set(sh, argv, io):
    args = argv[1:]
    while args and args[0].startswith(("-", "+")) and args[0] not in ("--", "-", "+"):
        opt = args.pop(0)
        if "e" in opt:
            sh.errexit = opt.startswith("-")
    if args and args[0] == "--":
        args.pop(0)
        sh.positional = args
    elif args:
        sh.positional = args
    elif len(argv) == 1:
        for k in sorted(sh.vars):
            io.out.write(f"{k}={shlex.quote(sh.vars[k])}\n")
    return (yield from _noop(0))


def b_cd(sh, argv, io):
    target = argv[1] if len(argv) > 1 else sh.vars.get("HOME", "/root")
    if target == "-":
        target = sh.vars.get("OLDPWD", "/")
    p = sh.ctx.fs.norm(target, sh.cwd)
    if not sh.ctx.fs.isdir(p):
        if sh.flavor == "dash":
            io.err.write(f"{sh.errprefix()}cd: can't cd to {target}\n")
        elif sh.flavor == "bash":
            io.err.write(f"{sh.errprefix()}cd: {target}: No such file or directory\n")
        else:
            io.err.write(f"{sh.errprefix()}cd: can't cd to {target}: No such file or directory\n")
        return (yield from _noop(2 if sh.flavor != "bash" else 1))
    sh.vars["OLDPWD"] = sh.cwd
    sh.cwd = p
    sh.vars["PWD"] = p
    return (yield from _noop(0))


def b_pwd(sh, argv, io):
    io.out.write(sh.cwd + "\n")
    return (yield from _noop(0))


_ESC = {"n": "\n", "t": "\t", "\\": "\\", "a": "\a", "b": "\b", "r": "\r", "v": "\v", "f": "\f", "e": "\x1b"}


def _escapes(s: str) -> tuple[str, bool]:
    """Interpret echo -e / printf escapes. Returns (text, stop) where stop means \\c was seen."""
    out = []
    i = 0
    while i < len(s):
        c = s[i]
        if c == "\\" and i + 1 < len(s):
            d = s[i + 1]
            if d in _ESC:
                out.append(_ESC[d])
                i += 2
                continue
            if d == "c":
                return "".join(out), True
            if d == "0" or _ascii_digits(d):
                m = re.match(r"0?([0-7]{1,3})", s[i + 1:])
                if m:
                    out.append(chr(int(m.group(1), 8)))
                    i += 1 + m.end()
                    continue
            out.append(c)
            i += 1
            continue
        out.append(c)
        i += 1
    return "".join(out), False


def b_echo(sh, argv, io):
    args = argv[1:]
    newline = True
    interpret = sh.flavor == "dash"
    while args and re.fullmatch(r"-[neE]+", args[0]) and not (sh.flavor == "dash" and args[0] != "-n"):
        opt = args.pop(0)
        for ch in opt[1:]:
            if ch == "n":
                newline = False
            elif ch == "e":
                interpret = True
            elif ch == "E":
                interpret = False
    text = " ".join(args)
    if interpret:
        text, stop = _escapes(text)
        if stop:
            newline = False
    io.out.write(text + ("\n" if newline else ""))
    return (yield from _noop(0))


def b_printf(sh, argv, io):
    if len(argv) < 2:
        io.err.write("printf: usage: printf format [arguments]\n" if sh.flavor == "bash"
                     else "Usage: printf FORMAT [ARGUMENT]...\n")
        return (yield from _noop(1 if sh.flavor != "bash" else 2))
    fmt = argv[1]
    args = argv[2:]
    out = []
    status = 0
    first = True
    while first or args:
        first = False
        consumed = False
        i = 0
        while i < len(fmt):
            c = fmt[i]
            if c == "\\":
                text, _ = _escapes(fmt[i:i + 2] if fmt[i + 1:i + 2] != "0" else fmt[i:i + 5])
                m = re.match(r"\\0?[0-7]{1,3}", fmt[i:])
                step = m.end() if m else 2
                out.append(_escapes(fmt[i:i + step])[0])
                i += step
                continue
            if c == "%":
                m = re.match(r"%([-+ #0]*)(\d{0,4})(?:\.(\d{1,4}))?([sdiouxXfeEgGcb%])", fmt[i:])
                if not m:
                    out.append(c)
                    i += 1
                    continue
                i += m.end()
                conv = m.group(4)
                if conv == "%":
                    out.append("%")
                    continue
                consumed = True
                arg = args.pop(0) if args else ""
                spec = "%" + m.group(1) + m.group(2) + ("." + m.group(3) if m.group(3) is not None else "")
                if conv in "diouxX":
                    try:
                        n = int(arg, 0) if arg else 0
                    except ValueError:
                        io.err.write(f"{sh.errprefix()}printf: {arg}: invalid number\n" if sh.flavor != "busybox"
                                     else f"printf: invalid number '{arg}'\n")
                        n = 0
                        status = 1
                    out.append((spec + ("d" if conv in "iu" else conv)) % n)
                elif conv in "feEgG":
                    try:
                        x = float(arg) if arg else 0.0
                    except ValueError:
                        x = 0.0
                        status = 1
                    out.append((spec + conv) % x)
                elif conv == "c":
                    out.append(arg[:1])
                elif conv == "b":
                    out.append(_escapes(arg)[0])
                else:
                    out.append((spec + "s") % arg)
                continue
            out.append(c)
            i += 1
        if not consumed:
            break
    io.out.write("".join(out))
    return (yield from _noop(status))


def b_test(sh, argv, io):
    args = argv[1:]
    if argv[0] == "[[":
        if sh.flavor == "dash":
            io.err.write(sh.not_found("[["))
            return (yield from _noop(127))
        if not args or args[-1] != "]]":
            io.err.write(f"{sh.errprefix()}syntax error: unexpected end of file (expecting \"]]\")\n")
            return (yield from _noop(2))
        args = args[:-1]
        if len(args) == 3 and args[1] in ("==", "=", "!="):
            hit = fnmatch.fnmatchcase(args[0], args[2])
            return (yield from _noop(0 if hit == (args[1] != "!=") else 1))
    if argv[0] == "[":
        if not args or args[-1] != "]":
            io.err.write(f"{sh.errprefix()}[: missing ]\n" if sh.flavor == "dash" else
                         (f"{sh.errprefix()}[: missing `]'\n" if sh.flavor == "bash" else f"{sh.errprefix()}missing ]\n"))
            return (yield from _noop(2))
        args = args[:-1]
    try:
        result = _TestEval(args, sh).run()
    except ValueError as e:
        io.err.write(f"{sh.errprefix()}{e}\n")
        return (yield from _noop(2))
    return (yield from _noop(0 if result else 1))


class _TestEval:
    def __init__(self, args: list[str], sh: Shell) -> None:
        self.args = args
        self.sh = sh
        self.i = 0

    def run(self) -> bool:
        if not self.args:
            return False
        v = self.or_()
        if self.i != len(self.args):
            raise ValueError(f"{self.args[self.i]}: unknown operand" if self.sh.flavor != "dash"
                             else f"test: unexpected operator")
        return v

    def or_(self) -> bool:
        v = self.and_()
        while self.i < len(self.args) and self.args[self.i] == "-o":
            self.i += 1
            v = self.and_() or v
        return v

    def and_(self) -> bool:
        v = self.not_()
        while self.i < len(self.args) and self.args[self.i] == "-a":
            self.i += 1
            v = self.not_() and v
        return v

    def not_(self) -> bool:
        if self.i < len(self.args) and self.args[self.i] == "!" and len(self.args) - self.i > 1:
            self.i += 1
            return not self.not_()
        return self.prim()

    def _int(self, s: str) -> int:
        try:
            return int(s.strip())
        except ValueError:
            if self.sh.flavor == "dash":
                raise ValueError(f"test: Illegal number: {s}")
            if self.sh.flavor == "bash":
                raise ValueError(f"test: {s}: integer expression expected")
            raise ValueError(f"invalid number '{s}'")

    def prim(self) -> bool:
        a = self.args
        i = self.i
        rem = len(a) - i
        if rem <= 0:
            raise ValueError("test: argument expected" if self.sh.flavor != "bash" else "test: argument expected")
        if rem >= 3 and a[i + 1] in ("=", "==", "!=", "-eq", "-ne", "-lt", "-le", "-gt", "-ge", "<", ">"):
            l, op, r = a[i], a[i + 1], a[i + 2]
            self.i += 3
            if op in ("=", "=="):
                return l == r
            if op == "!=":
                return l != r
            if op == "<":
                return l < r
            if op == ">":
                return l > r
            x, y = self._int(l), self._int(r)
            return {"-eq": x == y, "-ne": x != y, "-lt": x < y, "-le": x <= y, "-gt": x > y, "-ge": x >= y}[op]
        if a[i] == "(" :
            self.i += 1
            v = self.or_()
            if self.i < len(a) and a[self.i] == ")":
                self.i += 1
            return v
        if rem >= 2 and re.fullmatch(r"-[a-zA-Z]", a[i]):
            op, arg = a[i], a[i + 1]
            self.i += 2
            fs = self.sh.ctx.fs
            cwd = self.sh.cwd
            if op == "-z":
                return arg == ""
            if op == "-n":
                return arg != ""
            if op in ("-e", "-a"):
                return fs.exists(arg, cwd)
            if op == "-f":
                return fs.isfile(arg, cwd)
            if op == "-d":
                return fs.isdir(arg, cwd)
            if op == "-s":
                return fs.isfile(arg, cwd) and fs.read(arg, cwd) != ""
            if op in ("-r", "-w"):
                return fs.exists(arg, cwd)
            if op == "-x":
                return fs.isdir(arg, cwd)
            if op in ("-L", "-h", "-p", "-S", "-b", "-c"):
                return False
            raise ValueError(f"{op}: unary operator expected" if self.sh.flavor == "bash" else f"test: {op}: unexpected operator")
        self.i += 1
        return a[i] != ""


def b_trap(sh, argv, io):
    args = argv[1:]
    if not args:
        for sig, act in sh.traps.items():
            io.out.write(f"trap -- {shlex.quote(act)} {sig}\n")
        return (yield from _noop(0))
    if len(args) == 1:
        action, sigs = "-", args
    else:
        action, sigs = args[0], args[1:]
    for s in sigs:
        name = s.upper()
        if name.startswith("SIG"):
            name = name[3:]
        if _ascii_digits(name):
            name = SIGNAMES.get(int(name), name)
        if name == "0":
            name = "EXIT"
        if action == "-":
            sh.traps.pop(name, None)
        else:
            sh.traps[name] = action
    return (yield from _noop(0))


def b_wait(sh, argv, io):
    pids = [int(a) for a in argv[1:] if _ascii_digits(a)]
    if pids:
        status = 127
        for pid in pids:
            while sh.ctx.task_alive(pid):
                if sh.pending:
                    return 128 + SIGNALS.get(sh.pending[0], 15)
                yield ("wait",)
            res = sh.ctx.task_result(pid)
            status = 127 if res is None else res
        return status
    while sh.ctx.has_children():
        if sh.pending:
            # a trapped signal interrupts wait: status 128+n
            sig = sh.pending[0]
            return 128 + SIGNALS.get(sig, 15)
        yield ("wait",)
    if sh.pending:
        return 128 + SIGNALS.get(sh.pending[0], 15)
    return 0


def b_read(sh, argv, io):
    args = [a for a in argv[1:] if not a.startswith("-")]
    line = yield from read_line(io)
    if line is None:
        for a in args:
            sh.setvar(a, "")
        return 1
    names = args or ["REPLY"]
    parts = line.split(None, len(names) - 1)
    for k, name in enumerate(names):
        sh.setvar(name, parts[k] if k < len(parts) else "")
    return (yield from _noop(0))


def _int_arg(sh, argv, io, default: int) -> int | None:
    if len(argv) < 2:
        return default
    try:
        return int(argv[1])
    except ValueError:
        io.err.write(f"{sh.errprefix()}{argv[0]}: Illegal number: {argv[1]}\n" if sh.flavor != "bash"
                     else f"{sh.errprefix()}{argv[0]}: {argv[1]}: numeric argument required\n")
        return None


def b_shift(sh, argv, io):
    n = _int_arg(sh, argv, io, 1)
    if n is None:
        return (yield from _noop(2))
    if n > len(sh.positional):
        return (yield from _noop(1))
    sh.positional = sh.positional[n:]
    return (yield from _noop(0))


def b_return(sh, argv, io):
    n = _int_arg(sh, argv, io, sh.status)
    if n is None:
        n = 2
    if sh.func_depth == 0:
        raise ShellExit(n & 0xFF)  # `return` at the top of a script ends it
    raise _Return(n & 0xFF)
    yield  # pragma: no cover


def b_break(sh, argv, io):
    n = _int_arg(sh, argv, io, 1)
    if n is None:
        return (yield from _noop(2))
    if sh.loop_depth == 0 or n < 1:
        return (yield from _noop(0))  # outside a loop: ignored
    raise _Break(min(n, sh.loop_depth))
    yield  # pragma: no cover


def b_continue(sh, argv, io):
    n = _int_arg(sh, argv, io, 1)
    if n is None:
        return (yield from _noop(2))
    if sh.loop_depth == 0 or n < 1:
        return (yield from _noop(0))
    raise _Continue(min(n, sh.loop_depth))
    yield  # pragma: no cover


def b_local(sh, argv, io):
    for a in argv[1:]:
        name, eq, value = a.partition("=")
        sh.setvar(name, value if eq else sh.vars.get(name, ""))
    return (yield from _noop(0))


def b_eval(sh, argv, io):
    return (yield from sh.run_script_inline(" ".join(argv[1:]), io))


def b_source(sh, argv, io):
    if len(argv) < 2:
        return (yield from _noop(0))
    try:
        text = sh.ctx.fs.read(argv[1], sh.cwd)
    except FSError as e:
        io.err.write(f"{sh.errprefix()}{argv[0]}: can't open '{argv[1]}': {e.reason}\n")
        return (yield from _noop(2))
    return (yield from sh.run_script_inline(text, io))


def b_exec(sh, argv, io):
    if len(argv) == 1:
        return (yield from _noop(0))
    sh.ctx.exec_pending = True
    sh.ctx.rename_current(argv[1:])
    status = yield from sh.invoke(argv[1:], io)
    raise ShellExit(status)


def b_colon(sh, argv, io):
    return (yield from _noop(0))


def b_type(sh, argv, io):
    status = 0
    for name in argv[1:] if argv[0] == "type" else [a for a in argv[1:] if not a.startswith("-")]:
        if name in BUILTINS:
            io.out.write(f"{name} is a shell builtin\n" if argv[0] == "type" else f"{name}\n")
        elif sh.ctx.lookup(name) is not None:
            io.out.write(f"{name} is /bin/{name}\n" if argv[0] == "type" else f"/bin/{name}\n")
        else:
            if argv[0] == "type":
                io.out.write(f"{name}: not found\n")
            status = 1
    return (yield from _noop(status))


def b_command(sh, argv, io):
    if len(argv) > 1 and argv[1] in ("-v", "-V"):
        return (yield from b_type(sh, argv, io))
    if len(argv) == 1:
        return (yield from _noop(0))
    return (yield from sh.invoke(argv[1:], io))


def b_kill(sh, argv, io):
    from kubetrainer.sim.runtime.utils import kill_cmd

    return (yield from kill_cmd(sh, argv, io))


BUILTINS = {
    "true": b_true, "false": b_false, ":": b_colon, "exit": b_exit, "export": b_export,
    "unset": b_unset, "set": b_set, "cd": b_cd, "pwd": b_pwd, "echo": b_echo, "printf": b_printf,
    "test": b_test, "[": b_test, "[[": b_test, "trap": b_trap, "wait": b_wait, "read": b_read, "shift": b_shift,
    "return": b_return, "break": b_break, "continue": b_continue, "local": b_local, "eval": b_eval,
    ".": b_source, "source": b_source, "exec": b_exec, "type": b_type, "command": b_command,
    "kill": b_kill, "readonly": b_export,
}


def format_date(now: float, fmt: str | None = None) -> str:
    t = EPOCH + _dt.timedelta(seconds=int(now))
    if fmt is None:
        # busybox/coreutils default: "Mon Jan  1 00:00:10 UTC 2024"
        return t.strftime("%a %b ") + f"{t.day:2d}" + t.strftime(" %H:%M:%S UTC %Y")
    epoch = str(int(EPOCH.timestamp()) + int(now))
    return t.strftime(fmt.replace("%N", "000000000").replace("%s", epoch))
