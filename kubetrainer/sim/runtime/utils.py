"""Utilities the simulated images ship: busybox applets, or GNU coreutils for Debian-based images.

Each is a generator `util(sh, argv, io, env)` returning the exit status (see shell.py for the
yield protocol). Error texts follow busybox (`cat: can't open 'x': No such file or directory`)
or GNU coreutils (`cat: x: No such file or directory`) depending on `sh.ctx.utils_flavor`.
"""

from __future__ import annotations

import hashlib
import posixpath
import re

from kubetrainer.sim.runtime.fs import FSError
from kubetrainer.sim.runtime.shell import (
    IO, SIGNALS, Pipe, Shell, ShellExit, format_date, read_all, read_line,
)


def _ascii_digits(s: str) -> bool:
    """str.isdigit() for ASCII only: Unicode digits such as '²' are not numbers to the shell."""
    return s.isascii() and s.isdigit()


def _need_stdin(files) -> bool:
    return not files or "-" in files


def _materialize(io, files):
    """Read stdin to the end (a pipe: wait for its writer) so the file loop can use it as text."""
    if _need_stdin(files) and isinstance(io.stdin, Pipe):
        io.stdin = yield from read_all(io)
    return None


def _done(code):
    return code
    yield  # pragma: no cover


def _gnu(sh) -> bool:
    return sh.ctx.utils_flavor == "gnu"


def parse_sleep(arg: str) -> float | None:
    """busybox/coreutils sleep argument: N, N.5, Ns, Nm, Nh, Nd, 'inf'/'infinity'. None if invalid."""
    if arg in ("inf", "infinity"):
        return float("inf")
    m = re.fullmatch(r"(\d+(?:\.\d*)?|\.\d+)([smhd]?)", arg)
    if not m:
        return None
    return float(m.group(1)) * {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}[m.group(2)]


def u_sleep(sh, argv, io, env):
    if len(argv) < 2:
        if _gnu(sh):
            io.err.write("sleep: missing operand\nTry 'sleep --help' for more information.\n")
        else:
            io.err.write("BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n\n"
                         "Usage: sleep [N]...\n")
        return (yield from _done(1))
    total = 0.0
    for a in argv[1:]:
        v = parse_sleep(a)
        if v is None:
            io.err.write(f"sleep: invalid time interval '{a}'\nTry 'sleep --help' for more information.\n"
                         if _gnu(sh) else f"sleep: invalid number '{a}'\n")
            return (yield from _done(1))
        total += v
    if total == float("inf"):
        yield ("forever",)
        return 0
    if total > 0:
        yield ("sleep", total)
    return 0


def _files_or_stdin(argv_files, io):
    return argv_files if argv_files else ["-"]


def u_cat(sh, argv, io, env):
    status = 0
    files = [a for a in argv[1:] if a != "-" or True]
    files = [a for a in files if not (a.startswith("-") and a != "-")]
    for f in _files_or_stdin(files, io):
        if f == "-":
            if isinstance(io.stdin, Pipe):
                pipe = io.stdin
                while True:
                    if pipe.buf:
                        io.out.write(pipe.buf)
                        pipe.buf = ""
                    if pipe.closed:
                        break
                    yield ("wait",)
            else:
                io.out.write(io.stdin or "")
            continue
        try:
            io.out.write(sh.ctx.fs.read(f, sh.cwd))
        except FSError as e:
            status = 1
            if _gnu(sh):
                io.err.write(f"cat: {f}: {e.reason}\n")
            elif e.reason == "Is a directory":
                io.err.write("cat: read error: Is a directory\n")
            else:
                io.err.write(f"cat: can't open '{f}': {e.reason}\n")
    return (yield from _done(status))


def u_ls(sh, argv, io, env):
    opts = set()
    paths = []
    for a in argv[1:]:
        if a.startswith("-") and len(a) > 1:
            opts.update(a[1:])
        else:
            paths.append(a)
    fs = sh.ctx.fs
    status = 0
    if not paths:
        paths = ["."]
    outputs = []
    for p in paths:
        if fs.isfile(p, sh.cwd):
            outputs.append((None, [p]))
            continue
        try:
            names = fs.listdir(p, sh.cwd)
        except FSError as e:
            status = 2 if _gnu(sh) else 1
            if _gnu(sh):
                io.err.write(f"ls: cannot access '{p}': {e.reason}\n")
            else:
                io.err.write(f"ls: {p}: {e.reason}\n")
            continue
        if "a" in opts:
            names = [".", ".."] + names
        outputs.append((p, names))
    for k, (p, names) in enumerate(outputs):
        if len(outputs) > 1 and p is not None:
            io.out.write(("\n" if k else "") + f"{p}:\n")
        for n in names:
            if "l" in opts:
                full = posixpath.join(p, n) if p else n
                isdir = fs.isdir(full, sh.cwd)
                size = 4096 if isdir else len(fs.read(full, sh.cwd).encode()) if fs.isfile(full, sh.cwd) else 0
                perm = "drwxr-xr-x" if isdir else "-rw-r--r--"
                io.out.write(f"{perm}    1 root     root      {size:>8} Jan  1 00:00 {n}\n")
            else:
                io.out.write(n + "\n")
    return (yield from _done(status))


def u_touch(sh, argv, io, env):
    status = 0
    for f in argv[1:]:
        if f.startswith("-"):
            continue
        fs = sh.ctx.fs
        if fs.exists(f, sh.cwd):
            continue
        try:
            fs.write(f, "", cwd=sh.cwd)
        except FSError as e:
            status = 1
            io.err.write(f"touch: cannot touch '{f}': {e.reason}\n" if _gnu(sh) else f"touch: {f}: {e.reason}\n")
    return (yield from _done(status))


def u_rm(sh, argv, io, env):
    force = recursive = False
    files = []
    for a in argv[1:]:
        if a.startswith("-") and len(a) > 1 and not files:
            force |= "f" in a
            recursive |= "r" in a or "R" in a
        else:
            files.append(a)
    status = 0
    fs = sh.ctx.fs
    for f in files:
        try:
            fs.remove(f, recursive=recursive, cwd=sh.cwd)
        except FSError as e:
            if e.reason == "No such file or directory" and force:
                continue
            status = 1
            if e.reason == "Is a directory":
                io.err.write(f"rm: cannot remove '{f}': Is a directory\n" if _gnu(sh) else f"rm: '{f}' is a directory\n")
            else:
                io.err.write(f"rm: cannot remove '{f}': {e.reason}\n" if _gnu(sh)
                             else f"rm: can't remove '{f}': {e.reason}\n")
    return (yield from _done(status))


def u_mkdir(sh, argv, io, env):
    parents = any(a.startswith("-") and "p" in a for a in argv[1:])
    status = 0
    for d in argv[1:]:
        if d.startswith("-"):
            continue
        try:
            sh.ctx.fs.mkdir(d, parents=parents, cwd=sh.cwd)
        except FSError as e:
            status = 1
            io.err.write(f"mkdir: cannot create directory '{d}': {e.reason}\n" if _gnu(sh)
                         else f"mkdir: can't create directory '{d}': {e.reason}\n")
    return (yield from _done(status))


def u_rmdir(sh, argv, io, env):
    fs = sh.ctx.fs
    status = 0
    for d in argv[1:]:
        if d.startswith("-"):
            continue
        reason = None
        if not fs.exists(d, sh.cwd):
            reason = "No such file or directory"
        elif not fs.isdir(d, sh.cwd):
            reason = "Not a directory"
        elif fs.listdir(d, sh.cwd):
            reason = "Directory not empty"
        if reason is None:
            try:
                fs.remove(d, recursive=True, cwd=sh.cwd)
            except FSError as e:
                reason = e.reason
        if reason is not None:
            status = 1
            io.err.write(f"rmdir: failed to remove '{d}': {reason}\n" if _gnu(sh) else f"rmdir: '{d}': {reason}\n")
    return (yield from _done(status))


def u_cp(sh, argv, io, env):
    args = [a for a in argv[1:] if not a.startswith("-")]
    if len(args) < 2:
        io.err.write("cp: missing file operand\n")
        return (yield from _done(1))
    fs = sh.ctx.fs
    dest = args[-1]
    status = 0
    for src in args[:-1]:
        try:
            text = fs.read(src, sh.cwd)
            target = posixpath.join(dest, posixpath.basename(src)) if fs.isdir(dest, sh.cwd) else dest
            fs.write(target, text, cwd=sh.cwd)
        except FSError as e:
            status = 1
            io.err.write(f"cp: cannot stat '{src}': {e.reason}\n" if _gnu(sh) else f"cp: can't stat '{src}': {e.reason}\n")
    if argv[0].endswith("mv") and status == 0:
        for src in args[:-1]:
            try:
                fs.remove(src, cwd=sh.cwd)
            except FSError:
                pass
    return (yield from _done(status))


def u_env(sh, argv, io, env):
    args = argv[1:]
    extra = {}
    while args and "=" in args[0] and not args[0].startswith("="):
        k, _, v = args.pop(0).partition("=")
        extra[k] = v
    if args:
        sub = sh.subshell()
        for k, v in extra.items():
            sub.setvar(k, v)
            sub.exported.add(k)
        return (yield from sub.invoke(args, io))
    for k, v in {**env, **extra}.items():
        io.out.write(f"{k}={v}\n")
    return (yield from _done(0))


def u_printenv(sh, argv, io, env):
    names = argv[1:]
    if not names:
        for k, v in env.items():
            io.out.write(f"{k}={v}\n")
        return (yield from _done(0))
    status = 0
    for n in names:
        if n in env:
            io.out.write(env[n] + "\n")
        else:
            status = 1
    return (yield from _done(status))


def u_date(sh, argv, io, env):
    fmt = None
    for a in argv[1:]:
        if a.startswith("+"):
            fmt = a[1:]
    io.out.write(format_date(sh.ctx.now, fmt) + "\n")
    return (yield from _done(0))


def u_hostname(sh, argv, io, env):
    io.out.write(env.get("HOSTNAME") or sh.ctx.fs.hostname)
    io.out.write("\n")
    return (yield from _done(0))


def _user_label(n: int) -> str:
    return "(root)" if n == 0 else ""


def u_id(sh, argv, io, env):
    user = getattr(sh.ctx.fs, "user", None)
    if user is None:
        io.out.write("uid=0(root) gid=0(root) groups=0(root),10(wheel)\n" if not _gnu(sh)
                     else "uid=0(root) gid=0(root) groups=0(root)\n")
        return (yield from _done(0))
    uid, gid, groups = user
    groups = sorted(set(groups) | {gid})
    io.out.write(f"uid={uid}{_user_label(uid)} gid={gid}{_user_label(gid)} groups="
                 + ",".join(f"{g}{_user_label(g)}" for g in groups) + "\n")
    return (yield from _done(0))


def u_whoami(sh, argv, io, env):
    user = getattr(sh.ctx.fs, "user", None)
    if user is None or user[0] == 0:
        io.out.write("root\n")
        return (yield from _done(0))
    io.err.write(f"whoami: unknown uid {user[0]}\n" if not _gnu(sh)
                 else f"whoami: cannot find name for user ID {user[0]}\n")
    return (yield from _done(1))


def u_uname(sh, argv, io, env):
    io.out.write("Linux\n" if "-a" not in argv else
                 "Linux node 6.1.0-kubetrainer #1 SMP x86_64 GNU/Linux\n")
    return (yield from _done(0))


def _input_texts(sh, files, io, name):
    """(text, error) per input file; stdin when no files."""
    data = io.stdin.buf if isinstance(io.stdin, Pipe) else (io.stdin or "")
    if not files:
        yield data, None, None
        return
    for f in files:
        if f == "-":
            yield data, None, f
            continue
        try:
            yield sh.ctx.fs.read(f, sh.cwd), None, f
        except FSError as e:
            if _gnu(sh):
                yield None, f"{name}: {f}: {e.reason}\n", f
            else:
                yield None, f"{name}: can't open '{f}': {e.reason}\n", f


def _lines(text: str) -> list[str]:
    if not text:
        return []
    parts = text.split("\n")
    if parts[-1] == "":
        parts.pop()
    return parts


def u_grep(sh, argv, io, env):
    opts = set()
    args = []
    pattern = None
    it = iter(argv[1:])
    for a in it:
        if a == "-e":
            pattern = next(it, "")
        elif a.startswith("-") and len(a) > 1 and pattern is None and not args:
            opts.update(a[1:])
        else:
            args.append(a)
    if pattern is None:
        if not args:
            io.err.write("Usage: grep [OPTIONS] PATTERN [FILE]...\n")
            return (yield from _done(2))
        pattern = args.pop(0)
    flags = re.IGNORECASE if "i" in opts else 0
    if "F" in opts:
        rx = re.compile(re.escape(pattern), flags)
    else:
        p = pattern if "E" in opts else pattern.replace(r"\|", "|").replace(r"\(", "(").replace(r"\)", ")")
        try:
            rx = re.compile(p, flags)
        except re.error:
            rx = re.compile(re.escape(pattern), flags)
    found = False
    status_err = False
    count = 0
    if not args and isinstance(io.stdin, Pipe) and "c" not in opts:
        while True:  # line by line, as the writer produces them
            line = yield from read_line(io)
            if line is None:
                break
            m = bool(rx.fullmatch(line)) if "x" in opts else bool(rx.search(line))
            if m != ("v" in opts):
                found = True
                if "q" in opts:
                    return 0
                io.out.write(line + "\n")
        return 0 if found else 1
    yield from _materialize(io, args)
    for text, err, fname in _input_texts(sh, args, io, "grep"):
        if err:
            io.err.write(err)
            status_err = True
            continue
        for line in _lines(text):
            m = bool(rx.search(line))
            if "x" in opts:
                m = bool(rx.fullmatch(line))
            if m != ("v" in opts):
                found = True
                count += 1
                if "q" not in opts and "c" not in opts:
                    prefix = f"{fname}:" if len(args) > 1 else ""
                    io.out.write(prefix + line + "\n")
    if "c" in opts and "q" not in opts:
        io.out.write(f"{count}\n")
    return (yield from _done(0 if found else (2 if status_err else 1)))


class _BadCount(ValueError):
    pass


def _num_opt(argv, default=10):
    n = default
    files = []
    follow = False
    it = iter(argv[1:])
    for a in it:
        if a == "-n":
            v = next(it, "10").lstrip("+")
            if not _ascii_digits(v):
                raise _BadCount(v)
            n = int(v)
        elif re.fullmatch(r"-n\d+", a):
            n = int(a[2:])
        elif re.fullmatch(r"-\d+", a):
            n = int(a[1:])
        elif a in ("-f", "-F", "--follow"):
            follow = True
        elif a.startswith("-") and len(a) > 1:
            follow |= "f" in a or "F" in a
        else:
            files.append(a)
    return n, files, follow


def u_head(sh, argv, io, env):
    try:
        n, files, _ = _num_opt(argv)
    except _BadCount as e:
        io.err.write(f"head: invalid number of lines: '{e}'\n" if _gnu(sh) else f"head: invalid number '{e}'\n")
        return 1
    yield from _materialize(io, files)
    status = 0
    for text, err, _f in _input_texts(sh, files, io, "head"):
        if err:
            io.err.write(err)
            status = 1
            continue
        for line in _lines(text)[:n]:
            io.out.write(line + "\n")
    return (yield from _done(status))


def u_tail(sh, argv, io, env):
    try:
        n, files, follow = _num_opt(argv)
    except _BadCount as e:
        io.err.write(f"tail: invalid number of lines: '{e}'\n" if _gnu(sh) else f"tail: invalid number '{e}'\n")
        return 1
    yield from _materialize(io, files)
    fs = sh.ctx.fs
    status = 0
    sizes = {}
    for text, err, f in _input_texts(sh, files, io, "tail"):
        if err:
            io.err.write(err.replace(f"tail: {f}:", f"tail: cannot open '{f}' for reading:") if _gnu(sh) else err)
            status = 1
            sizes[f] = 0
            continue
        lines = _lines(text)
        for line in lines[-n:] if n else []:
            io.out.write(line + "\n")
        sizes[f] = len(text)
    if not follow or not files:
        return status
    if all(f == "/dev/null" for f in files):
        yield ("forever",)
        return 0
    # follow: poll once a second (like inotify-less tail), printing what was appended
    while True:
        yield ("sleep", 1.0)
        for f in files:
            try:
                text = fs.read(f, sh.cwd)
            except FSError:
                continue
            old = sizes.get(f, 0)
            if len(text) < old:
                old = 0
            if len(text) > old:
                io.out.write(text[old:])
                sizes[f] = len(text)


def u_wc(sh, argv, io, env):
    opts = set()
    files = []
    for a in argv[1:]:
        if a.startswith("-") and len(a) > 1:
            opts.update(a[1:])
        else:
            files.append(a)
    if not opts:
        opts = {"l", "w", "c"}
    yield from _materialize(io, files)
    status = 0
    for text, err, f in _input_texts(sh, files, io, "wc"):
        if err:
            io.err.write(err)
            status = 1
            continue
        vals = []
        if "l" in opts:
            vals.append(text.count("\n"))
        if "w" in opts:
            vals.append(len(text.split()))
        if "c" in opts:
            vals.append(len(text.encode()))
        cols = [str(v) for v in vals] if len(vals) == 1 else [f"{v:7d}" for v in vals]
        io.out.write(" ".join(cols) + (f" {f}" if f else "") + "\n")
    return (yield from _done(status))


def u_sort(sh, argv, io, env):
    opts = set()
    files = []
    for a in argv[1:]:
        if a.startswith("-") and len(a) > 1:
            opts.update(a[1:])
        else:
            files.append(a)
    lines = []
    yield from _materialize(io, files)
    for text, err, _f in _input_texts(sh, files, io, "sort"):
        if err:
            io.err.write(err)
            return 2
        lines += _lines(text)
    if "n" in opts:
        def key(s):
            m = re.match(r"\s*-?\d+(\.\d+)?", s)
            return (float(m.group(0)) if m else 0.0, s)
        lines.sort(key=key)
    else:
        lines.sort()
    if "r" in opts:
        lines.reverse()
    if "u" in opts:
        lines = list(dict.fromkeys(lines))
    for line in lines:
        io.out.write(line + "\n")
    return (yield from _done(0))


def u_uniq(sh, argv, io, env):
    prev = None
    for line in _lines((yield from read_all(io))):
        if line != prev:
            io.out.write(line + "\n")
        prev = line
    return (yield from _done(0))


def u_seq(sh, argv, io, env):
    nums = [a for a in argv[1:]]
    try:
        vals = [int(x) for x in nums]
    except ValueError:
        io.err.write(f"seq: invalid number '{nums[0] if nums else ''}'\n")
        return (yield from _done(1))
    if len(vals) == 1:
        first, inc, last = 1, 1, vals[0]
    elif len(vals) == 2:
        first, inc, last = vals[0], 1, vals[1]
    elif len(vals) == 3:
        first, inc, last = vals
    else:
        return (yield from _done(1))
    k = first
    count = 0
    while (inc > 0 and k <= last) or (inc < 0 and k >= last):
        io.out.write(f"{k}\n")
        k += inc
        count += 1
        if count > 100000:
            break
    return (yield from _done(0))


def u_basename(sh, argv, io, env):
    if len(argv) < 2:
        return (yield from _done(1))
    b = posixpath.basename(argv[1].rstrip("/")) or "/"
    if len(argv) > 2 and b.endswith(argv[2]) and b != argv[2]:
        b = b[: -len(argv[2])]
    io.out.write(b + "\n")
    return (yield from _done(0))


def u_dirname(sh, argv, io, env):
    if len(argv) < 2:
        return (yield from _done(1))
    io.out.write((posixpath.dirname(argv[1].rstrip("/")) or ".") + "\n")
    return (yield from _done(0))


def u_expr(sh, argv, io, env):
    args = argv[1:]
    try:
        if len(args) == 3:
            a, op, b = args
            if op in ("+", "-", "*", "/", "%"):
                x, y = int(a), int(b)
                v = {"+": x + y, "-": x - y, "*": x * y, "/": int(x / y) if y else None, "%": x % y if y else None}[op]
                if v is None:
                    io.err.write("expr: division by zero\n")
                    return (yield from _done(2))
            elif op in ("=", "!=", "<", ">", "<=", ">="):
                try:
                    x, y = int(a), int(b)
                except ValueError:
                    x, y = a, b
                v = int({"=": x == y, "!=": x != y, "<": x < y, ">": x > y, "<=": x <= y, ">=": x >= y}[op])
            elif op == ":":
                m = re.match(b, a)
                v = (m.group(1) if m and m.groups() else (m.end() if m else 0))
            else:
                raise ValueError
        elif len(args) == 1:
            v = args[0]
        else:
            raise ValueError
    except (ValueError, ZeroDivisionError):
        io.err.write("expr: syntax error\n" if not _gnu(sh) else "expr: non-integer argument\n")
        return (yield from _done(2))
    io.out.write(f"{v}\n")
    return (yield from _done(0 if v not in (0, "", "0") else 1))


def u_tee(sh, argv, io, env):
    append = "-a" in argv
    data = yield from read_all(io)
    status = 0
    for f in argv[1:]:
        if f.startswith("-"):
            continue
        try:
            sh.ctx.fs.write(f, data, append=append, cwd=sh.cwd)
        except FSError as e:
            io.err.write(f"tee: {f}: {e.reason}\n")
            status = 1
    io.out.write(data)
    return (yield from _done(status))


def u_tr(sh, argv, io, env):
    args = [a for a in argv[1:] if not a.startswith("-")]
    delete = "-d" in argv
    data = yield from read_all(io)

    def expand(s):
        s = s.replace("[:lower:]", "a-z").replace("[:upper:]", "A-Z").replace("[:digit:]", "0-9")
        out = []
        i = 0
        while i < len(s):
            if i + 2 < len(s) and s[i + 1] == "-":
                out += [chr(c) for c in range(ord(s[i]), ord(s[i + 2]) + 1)]
                i += 3
            else:
                out.append({"\\n": "\n"}.get(s[i:i + 2], s[i]))
                i += 2 if s[i:i + 2] == "\\n" else 1
        return out

    if delete and args:
        rm = set(expand(args[0]))
        data = "".join(c for c in data if c not in rm)
    elif len(args) >= 2:
        a, b = expand(args[0]), expand(args[1])
        table = {c: b[min(k, len(b) - 1)] for k, c in enumerate(a)} if b else {}
        data = "".join(table.get(c, c) for c in data)
    io.out.write(data)
    return (yield from _done(0))


def u_cut(sh, argv, io, env):
    delim = "\t"
    fields = None
    it = iter(argv[1:])
    files = []
    for a in it:
        if a == "-d":
            delim = next(it, "\t")
        elif a.startswith("-d"):
            delim = a[2:]
        elif a == "-f":
            fields = next(it, "1")
        elif a.startswith("-f"):
            fields = a[2:]
        else:
            files.append(a)
    idx = []
    try:
        for part in (fields or "1").split(","):
            if "-" in part:
                lo, _, hi = part.partition("-")
                idx += list(range(int(lo or 1), int(hi or 100) + 1))
            else:
                idx.append(int(part))
    except ValueError:
        io.err.write(f"cut: invalid field value '{fields}'\nTry 'cut --help' for more information.\n" if _gnu(sh)
                     else f"cut: invalid number '{fields}'\n")
        return (yield from _done(1))
    yield from _materialize(io, files)
    for text, err, _f in _input_texts(sh, files, io, "cut"):
        if err:
            io.err.write(err)
            continue
        for line in _lines(text):
            parts = line.split(delim)
            io.out.write(delim.join(parts[k - 1] for k in idx if k - 1 < len(parts)) + "\n")
    return (yield from _done(0))


def u_ps(sh, argv, io, env):
    user = getattr(sh.ctx.fs, "user", None)
    who = "root" if user is None or user[0] == 0 else str(user[0])
    io.out.write("PID   USER     TIME  COMMAND\n")
    for pid, cmd in sh.ctx.process_table():
        io.out.write(f"{pid:>5} {who:<8}  0:00 {cmd}\n")
    return (yield from _done(0))


def kill_cmd(sh, argv, io, env=None):
    args = argv[1:]
    sig = "TERM"
    if args and args[0] == "-l":
        io.out.write(" ".join(sorted(SIGNALS, key=SIGNALS.get)) + "\n")
        return (yield from _done(0))
    if args and args[0] == "-s" and len(args) > 1:
        sig = args[1].upper().removeprefix("SIG")
        args = args[2:]
    elif args and args[0].startswith("-") and len(args[0]) > 1:
        s = args[0][1:].upper().removeprefix("SIG")
        if _ascii_digits(s):
            n = int(s)
            sig = "0" if n == 0 else {v: k for k, v in SIGNALS.items()}.get(n, str(n))
        else:
            sig = s
        args = args[1:]
    if sig not in SIGNALS and sig != "0":
        io.err.write(f"{sh.errprefix()}kill: bad signal name '{sig}'\n" if sh.flavor == "busybox"
                     else f"{sh.errprefix()}kill: invalid signal {sig}\n")
        return (yield from _done(1 if sh.flavor != "dash" else 2))
    status = 0
    for a in args:
        try:
            pid = int(a)
        except ValueError:
            io.err.write(f"{sh.errprefix()}kill: invalid number '{a}'\n" if sh.flavor == "busybox"
                         else f"{sh.errprefix()}kill: Illegal number: {a}\n")
            status = 1
            continue
        if not sh.ctx.send_signal(pid, sig):
            status = 1
            if sh.flavor == "busybox":
                io.err.write(f"{sh.errprefix()}can't kill pid {pid}: No such process\n")
            elif sh.flavor == "dash":
                io.err.write(f"{sh.errprefix()}kill: No such process\n")
            else:
                io.err.write(f"{sh.errprefix()}kill: ({pid}) - No such process\n")
    return (yield from _done(status))


def u_kill(sh, argv, io, env):
    return (yield from kill_cmd(sh, argv, io, env))


def u_killall(sh, argv, io, env):
    args = argv[1:]
    sig = "TERM"
    if args and args[0].startswith("-"):
        s = args[0][1:].upper().removeprefix("SIG")
        sig = "0" if s == "0" else ({v: k for k, v in SIGNALS.items()}.get(int(s), s) if _ascii_digits(s) else s)
        args = args[1:]
    status = 0
    for name in args:
        pids = [pid for pid, cmd in sh.ctx.process_table() if cmd.split()[0].rsplit("/", 1)[-1] == name]
        pids = [p for p in pids if p != sh.ctx.pid]
        if not pids:
            io.err.write(f"killall: {name}: no process killed\n")
            status = 1
            continue
        for p in pids:
            sh.ctx.send_signal(p, sig)
    return (yield from _done(status))


# -- network -------------------------------------------------------------------------------------

def _fake_ip(host: str) -> str:
    h = hashlib.sha256(host.encode()).digest()
    return f"{h[0] % 200 + 20}.{h[1]}.{h[2]}.{h[3] % 250 + 1}"


def parse_url(url: str) -> tuple[str, int, str] | None:
    m = re.fullmatch(r"(?:(https?)://)?([^/:]+)(?::(\d+))?(/.*)?", url)
    if not m:
        return None
    scheme = m.group(1) or "http"
    port = int(m.group(3)) if m.group(3) else (443 if scheme == "https" else 80)
    return m.group(2), port, m.group(4) or "/"


def u_wget(sh, argv, io, env):
    outfile = None
    quiet = spider = False
    url = None
    it = iter(argv[1:])
    for a in it:
        if a == "-O":
            outfile = next(it, "-")
        elif a.startswith("-O") and len(a) > 2:
            outfile = a[2:]
        elif a in ("-q", "--quiet"):
            quiet = True
        elif a == "--spider":
            spider = True
        elif a in ("-T", "--timeout", "-t"):
            next(it, None)
        elif a.startswith("-"):
            if "q" in a:
                quiet = True
        else:
            url = a
    if url is None:
        io.err.write("BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n\nUsage: wget [-cqS] [--spider] [-O FILE] URL...\n")
        return (yield from _done(1))
    parsed = parse_url(url)
    if parsed is None:
        io.err.write(f"wget: bad address '{url}'\n")
        return (yield from _done(1))
    host, port, path = parsed
    res = sh.ctx.http_request(host, port, path)
    if res == "nohost":
        io.err.write(f"wget: bad address '{host}'\n" if not _gnu(sh) else f"wget: unable to resolve host address '{host}'\n")
        return (yield from _done(1))
    ip = res[2] if isinstance(res, tuple) and len(res) > 2 else _fake_ip(host)
    if not quiet:
        io.err.write(f"Connecting to {host}" + (f":{port}" if port != 80 else "") + f" ({ip}:{port})\n")
    status, body = res[0], res[1]
    if status is None:
        io.err.write(f"wget: can't connect to remote host ({ip}): Connection refused\n")
        return (yield from _done(1))
    if status >= 400:
        io.err.write(f"wget: server returned error: HTTP/1.1 {status} {_REASONS.get(status, '')}".rstrip() + "\n")
        return (yield from _done(1))
    if spider:
        if not quiet:
            io.err.write("remote file exists\n")
        return (yield from _done(0))
    if outfile is None:
        base = posixpath.basename(path) or "index.html"
        outfile = base
    if outfile == "-":
        io.out.write(body)
    else:
        try:
            sh.ctx.fs.write(outfile, body, cwd=sh.cwd)
        except FSError as e:
            io.err.write(f"wget: can't open '{outfile}': {e.reason}\n")
            return (yield from _done(1))
        if not quiet:
            name = posixpath.basename(outfile)
            io.err.write(f"saving to '{outfile}'\n{name:<20} 100% |********************************| "
                         f"{len(body.encode()):>5}  0:00:00 ETA\n'{outfile}' saved\n")
    return (yield from _done(0))


def u_curl(sh, argv, io, env):
    url = None
    outfile = None
    silent = fail = False
    head_only = False
    it = iter(argv[1:])
    for a in it:
        if a in ("-o", "--output"):
            outfile = next(it, None)
        elif a in ("-s", "--silent"):
            silent = True
        elif a in ("-f", "--fail"):
            fail = True
        elif a in ("-I", "--head"):
            head_only = True
        elif a in ("-m", "--max-time", "-H", "--header", "-w", "-X"):
            next(it, None)
        elif a.startswith("-"):
            silent |= "s" in a
            fail |= "f" in a
        else:
            url = a
    if url is None:
        io.err.write("curl: try 'curl --help' or 'curl --manual' for more information\n")
        return (yield from _done(2))
    parsed = parse_url(url)
    host, port, path = parsed if parsed else ("", 80, "/")
    res = sh.ctx.http_request(host, port, path, agent="curl/7.88.1")
    if res == "nohost":
        if not silent:
            io.err.write(f"curl: (6) Could not resolve host: {host}\n")
        return (yield from _done(6))
    status, body = res[0], res[1]
    if status is None:
        if not silent:
            io.err.write(f"curl: (7) Failed to connect to {host} port {port} after 0 ms: Couldn't connect to server\n")
        return (yield from _done(7))
    if fail and status >= 400:
        if not silent:
            io.err.write(f"curl: (22) The requested URL returned error: {status}\n")
        return (yield from _done(22))
    if head_only:
        io.out.write(f"HTTP/1.1 {status} {_REASONS.get(status, '')}\r\n\r\n")
    elif outfile:
        try:
            sh.ctx.fs.write(outfile, body, cwd=sh.cwd)
        except FSError as e:
            io.err.write(f"curl: (23) Failure writing output to destination\n")
            return (yield from _done(23))
    else:
        io.out.write(body)
    return (yield from _done(0))


_REASONS = {200: "OK", 201: "Created", 204: "No Content", 301: "Moved Permanently", 302: "Found",
            400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found",
            500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable"}


def u_nc(sh, argv, io, env):
    """busybox nc: `nc -z [-v] [-w N] HOST PORT` probes a TCP port."""
    opts = set()
    rest = []
    it = iter(argv[1:])
    for a in it:
        if a in ("-w", "-W", "-i"):
            next(it, None)
        elif a.startswith("-") and len(a) > 1:
            opts.update(a[1:])
        else:
            rest.append(a)
    if len(rest) < 2:
        io.err.write("BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n\nUsage: nc [OPTIONS] HOST PORT\n")
        return (yield from _done(1))
    host, port = rest[0], rest[1]
    try:
        p = int(port)
    except ValueError:
        io.err.write(f"nc: bad port '{port}'\n")
        return (yield from _done(1))
    res = sh.ctx.http_request(host, p, "/", tcp_only=True)
    if res == "nohost":
        io.err.write(f"nc: bad address '{host}'\n")
        return (yield from _done(1))
    ip = res[2] if len(res) > 2 else host
    if res[0] is None:
        if "v" in opts or "z" not in opts:
            io.err.write(f"nc: {host} ({ip}:{p}): Connection refused\n")
        return (yield from _done(1))
    if "v" in opts:
        io.err.write(f"{host} ({ip}:{p}) open\n")
    return (yield from _done(0))


def u_nslookup(sh, argv, io, env):
    names = [a for a in argv[1:] if not a.startswith("-")]
    if not names:
        io.err.write("Usage: nslookup [HOST] [SERVER]\n")
        return (yield from _done(1))
    name = names[0]
    dns = sh.ctx.dns_server()
    ip = sh.ctx.resolve(name)
    if _gnu(sh):
        # bind9 nslookup (e.g. registry.k8s.io/e2e-test-images/jessie-dnsutils in the DNS debugging docs)
        io.out.write(f"Server:\t\t{dns}\nAddress:\t{dns}#53\n\n")
        if ip is None:
            io.out.write(f"** server can't find {name}: NXDOMAIN\n\n")
            return (yield from _done(1))
        fq = name if "." in name and name.endswith(".local") else f"{name}.{sh.ctx.fs.namespace}.svc.cluster.local" \
            if "." not in name else f"{name}.svc.cluster.local" if name.count(".") == 1 else name
        io.out.write(f"Name:\t{fq}\nAddress: {ip}\n\n")
        return (yield from _done(0))
    # busybox 1.28 output format (the version the docs' init-container example pins)
    io.out.write(f"Server:    {dns}\nAddress 1: {dns} kube-dns.kube-system.svc.cluster.local\n\n")
    if ip is None:
        io.err.write(f"nslookup: can't resolve '{name}'\n")
        return (yield from _done(1))
    io.out.write(f"Name:      {name}\nAddress 1: {ip}\n")
    return (yield from _done(0))


def u_sh(sh, argv, io, env):
    """sh/ash/bash/dash as a command: -c SCRIPT [NAME [ARGS]], or a script file, or stdin."""
    name = posixpath.basename(argv[0])
    flavor = sh.ctx.shell_flavor(name)
    args = argv[1:]
    script = None
    errexit = False
    while args and args[0].startswith("-") and args[0] not in ("-", "--"):
        opt = args.pop(0)
        if "c" in opt:
            if not args:
                io.err.write(f"{name}: -c requires an argument\n" if flavor != "bash" else f"{name}: -c: option requires an argument\n")
                return (yield from _done(2))
            script = args.pop(0)
        if "e" in opt:
            errexit = True
    new = Shell(sh.ctx, env, name=name, flavor=flavor, cwd=sh.cwd)
    new.errexit = errexit
    if script is not None:
        if args:
            new.name = args[0]
            new.positional = args[1:]
        return (yield from _run_shell(new, script, io))
    if args:
        path = args[0]
        try:
            text = sh.ctx.fs.read(path, sh.cwd)
        except FSError as e:
            io.err.write(f"{name}: can't open '{path}': {e.reason}\n" if flavor == "busybox"
                         else f"{name}: 0: cannot open {path}: No such file\n" if flavor == "dash"
                         else f"{name}: {path}: {e.reason}\n")
            return (yield from _done(127 if flavor != "dash" else 2))
        new.positional = args[1:]
        return (yield from _run_shell(new, text, io))
    return (yield from _run_shell(new, (yield from read_all(io)), io))


def _run_shell(new: Shell, script: str, io: IO):
    sh_ctx = new.ctx
    prev = sh_ctx.current_shell
    sh_ctx.current_shell = new
    if sh_ctx.claim_pid1():
        # PID 1: only trapped signals reach the shell (see process.py)
        def on_signal(sig, _sh=new, _ctx=sh_ctx):
            if _sh.deliver(sig):
                _ctx._wake_waiters()
        sh_ctx.on_signal = on_signal
    try:
        status = yield from new.run_script(script, io)
        if "EXIT" in new.traps:
            yield from new.run_script_inline(new.traps["EXIT"], io)
    finally:
        sh_ctx.current_shell = prev
    return status


def u_timeout(sh, argv, io, env):
    """timeout [-s SIG] SECS COMMAND...: busybox exits 143 (the child died of SIGTERM), GNU 124."""
    args = argv[1:]
    sig = "TERM"
    while args and args[0].startswith("-") and len(args[0]) > 1:
        opt = args.pop(0)
        if opt in ("-s", "--signal") and args:
            sig = args.pop(0).upper().removeprefix("SIG")
        elif opt.startswith("-s") and len(opt) > 2:
            sig = opt[2:].upper().removeprefix("SIG")
    if len(args) < 2:
        io.err.write("timeout: missing operand\n" if _gnu(sh) else
                     "BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n\nUsage: timeout [-s SIG] SECS PROG ARGS\n")
        return (yield from _done(125 if _gnu(sh) else 1))
    secs = parse_sleep(args[0])
    if secs is None:
        io.err.write(f"timeout: invalid time interval '{args[0]}'\n" if _gnu(sh) else f"timeout: invalid number '{args[0]}'\n")
        return (yield from _done(125 if _gnu(sh) else 1))
    ctx = sh.ctx
    sub = sh.subshell()
    state = {"expired": False}

    def child():
        try:
            return (yield from sub.invoke(args[1:], io))
        except ShellExit as e:
            return e.code

    pid = ctx.spawn(child(), name=" ".join(args[1:]))

    def timer():
        if secs != float("inf"):
            yield ("sleep", secs)
            if ctx.task_alive(pid):
                state["expired"] = True
                ctx.end_task(pid)
        return 0

    tpid = ctx.spawn(timer(), name="timeout")
    while ctx.task_alive(pid):
        yield ("wait",)
    ctx.end_task(tpid)
    if state["expired"]:
        from kubetrainer.sim.runtime.shell import SIGNALS as _S
        return 124 if _gnu(sh) else 128 + _S.get(sig, 15)
    return ctx.task_result(pid) or 0


def u_yes(sh, argv, io, env):
    word = " ".join(argv[1:]) or "y"
    io.out.write((word + "\n") * 1000)
    return (yield from _done(0))


BUSYBOX = {
    "sleep": u_sleep, "cat": u_cat, "ls": u_ls, "touch": u_touch, "rm": u_rm, "mkdir": u_mkdir, "rmdir": u_rmdir,
    "cp": u_cp, "mv": u_cp, "env": u_env, "printenv": u_printenv, "date": u_date,
    "hostname": u_hostname, "id": u_id, "whoami": u_whoami, "uname": u_uname, "grep": u_grep,
    "egrep": u_grep, "head": u_head, "tail": u_tail, "wc": u_wc, "sort": u_sort, "uniq": u_uniq,
    "seq": u_seq, "basename": u_basename, "dirname": u_dirname, "expr": u_expr, "tee": u_tee,
    "tr": u_tr, "cut": u_cut, "ps": u_ps, "kill": u_kill, "killall": u_killall, "wget": u_wget,
    "nslookup": u_nslookup, "sh": u_sh, "ash": u_sh, "yes": u_yes, "nc": u_nc, "timeout": u_timeout,
}
# GNU coreutils + dash (Debian/Ubuntu based images): no wget, nslookup, ps, killall
GNU = {k: v for k, v in BUSYBOX.items() if k not in ("wget", "nslookup", "ps", "killall", "ash", "nc")}
GNU.update({"bash": u_sh, "dash": u_sh})
EXTRA = {"curl": u_curl, "wget": u_wget, "bash": u_sh, "ps": u_ps, "killall": u_killall, "nslookup": u_nslookup,
         "nc": u_nc}

# these are also shell builtins; as commands (/bin/echo, env echo) they behave the same
from kubetrainer.sim.runtime.shell import b_echo, b_false, b_printf, b_pwd, b_test, b_true  # noqa: E402


def _as_util(builtin):
    def run(sh, argv, io, env):
        return (yield from builtin(sh, argv, io))
    return run


for _name, _b in (("echo", b_echo), ("printf", b_printf), ("true", b_true), ("false", b_false),
                  ("test", b_test), ("[", b_test), ("pwd", b_pwd)):
    BUSYBOX[_name] = GNU[_name] = _as_util(_b)
