"""kubectl for the simulated cluster: a verb registry, a flag parser, and a resource registry
that `get` and `describe` dispatch through.

Other modules register verbs and resources (see /work/notes/kubelet.md):

    @verb("scale", flags={"replicas": "value"}, min_args=1)
    def scale(ctx, args): ... return KubectlResult("deployment.apps/web scaled\\n")

    register_resource("Deployment", names=("deployments", "deployment", "deploy"),
                      printer=fn(ctx, objs, wide) -> (headers, rows), describer=fn(ctx, obj) -> str)

Errors: raise KubectlError(message) (exit 1, message printed as kubectl prints it).
"""

from __future__ import annotations

import importlib
import shlex
from typing import TYPE_CHECKING, Any, Callable

import attrs

from kubetrainer.errors import UserError

if TYPE_CHECKING:
    from kubetrainer.sim.cluster import Cluster


@attrs.define
class KubectlResult:
    output: str
    exit_code: int = 0

    @property
    def ok(self) -> bool:
        return self.exit_code == 0


class KubectlError(Exception):
    """A kubectl failure: its message is printed and the exit code is 1 (or `code`)."""

    def __init__(self, message: str, code: int = 1) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


class UsageError(KubectlError):
    """The command line itself is wrong (unknown verb or flag, missing arguments)."""


@attrs.define
class Args:
    verb: str
    positionals: list[str]
    flags: dict[str, Any]
    rest: list[str]             # after `--`
    namespace: str = "default"
    all_namespaces: bool = False
    output: str | None = None
    filenames: list[str] = attrs.Factory(list)
    selector: str | None = None


@attrs.define
class Context:
    cluster: "Cluster"
    args: Args

    @property
    def namespace(self) -> str:
        return self.args.namespace

    @property
    def now(self) -> float:
        return self.cluster.now


@attrs.define
class Verb:
    name: str
    fn: Callable[[Context, Args], KubectlResult]
    flags: dict[str, str]
    short: dict[str, str]
    min_args: int = 0
    takes_rest: bool = False


@attrs.define
class Resource:
    kind: str
    names: tuple[str, ...]
    group: str = ""
    namespaced: bool = True
    printer: Callable | None = None
    describer: Callable | None = None


VERBS: dict[str, Verb] = {}
RESOURCES: dict[str, Resource] = {}          # kind -> Resource
_RESOURCE_NAMES: dict[str, str] = {}         # any accepted name -> kind

# flags every verb accepts (kubectl's global and common flags)
GLOBAL_FLAGS = {"namespace": "value", "output": "value", "all-namespaces": "bool", "filename": "multi",
                "selector": "value", "show-labels": "bool", "wait": "bool", "watch": "bool",
                "record": "bool", "dry-run": "value", "server-side": "bool", "validate": "value"}
GLOBAL_SHORT = {"n": "namespace", "o": "output", "A": "all-namespaces", "f": "filename", "l": "selector",
                "w": "watch"}


# verbs whose objects may come from -f FILE instead of positional arguments
FILE_VERBS = {"apply", "create", "delete", "get", "describe", "label", "annotate", "scale"}


def verb(name: str, *aliases: str, flags: dict[str, str] | None = None, short: dict[str, str] | None = None,
         min_args: int = 0, takes_rest: bool = False) -> Callable:
    """Register a kubectl verb. flags: long name -> "bool" | "value" | "multi"; short: letter -> long."""
    def deco(fn: Callable[[Context, Args], KubectlResult]) -> Callable:
        v = Verb(name, fn, dict(flags or {}), dict(short or {}), min_args, takes_rest)
        for n in (name, *aliases):
            VERBS[n] = v
        return fn
    return deco


def register_resource(kind: str, names: tuple[str, ...] | list[str], group: str = "", namespaced: bool = True,
                      printer: Callable | None = None, describer: Callable | None = None) -> Resource:
    r = RESOURCES.get(kind)
    if r is None:
        r = Resource(kind, tuple(names), group, namespaced, printer, describer)
        RESOURCES[kind] = r
    else:
        r.names = tuple(dict.fromkeys(tuple(r.names) + tuple(names)))
        r.group = group or r.group
        r.namespaced = namespaced
        r.printer = printer or r.printer
        r.describer = describer or r.describer
    for n in (*names, kind.lower()):
        _RESOURCE_NAMES[n.lower()] = kind
        if group:
            _RESOURCE_NAMES[f"{n.lower()}.{group}"] = kind
    return r


def resolve_kind(name: str) -> str:
    kind = _RESOURCE_NAMES.get(name.lower())
    if kind is None:
        raise KubectlError(f'error: the server doesn\'t have a resource type "{name}"')
    return kind


# -- parsing ------------------------------------------------------------------------------------------
def split_command(cmdline: str | list[str]) -> list[str]:
    if isinstance(cmdline, list):
        argv = list(cmdline)
    else:
        try:
            argv = shlex.split(cmdline)
        except ValueError as exc:
            raise UsageError(f"error: cannot parse command line: {exc}") from None
    if argv and argv[0] == "kubectl":
        argv = argv[1:]
    return argv


def parse(argv: list[str]) -> tuple[Verb, Args]:
    _load_plugins()
    if not argv:
        raise UsageError("error: no kubectl command given")
    # global flags may come before the verb: `kubectl -n dev get pods`
    lead: list[str] = []
    while argv and argv[0].startswith("-") and argv[0] != "--":
        a = argv[0]
        key = a[2:].partition("=")[0] if a.startswith("--") else GLOBAL_SHORT.get(a[1:2], "")
        if key not in GLOBAL_FLAGS:
            break
        takes_value = GLOBAL_FLAGS[key] != "bool" and "=" not in a and not (not a.startswith("--") and len(a) > 2)
        n = 2 if takes_value and len(argv) > 1 else 1
        lead += argv[:n]
        argv = argv[n:]
    if lead and argv:
        argv = [argv[0], *lead, *argv[1:]]
    if not argv:
        raise UsageError("error: no kubectl command given")
    name = argv[0]
    v = VERBS.get(name)
    if v is None:
        raise UsageError(f'error: unknown command "{name}" for "kubectl"')
    flags_spec = {**GLOBAL_FLAGS, **v.flags}
    short = {**GLOBAL_SHORT, **v.short}
    flags: dict[str, Any] = {}
    pos: list[str] = []
    rest: list[str] = []
    i = 1
    while i < len(argv):
        a = argv[i]
        if a == "--":
            rest = argv[i + 1:]
            break
        if a.startswith("--") or (a.startswith("-") and len(a) > 1 and not a[1].isdigit()):
            if a.startswith("--"):
                body = a[2:]
                key, eq, val = body.partition("=")
            else:
                body = a[1:]
                letter = body[0]
                key = short.get(letter)
                if key is None:
                    # bundled booleans such as -it
                    if all(ch in short for ch in body):
                        for ch in body:
                            flags[short[ch]] = True
                        i += 1
                        continue
                    raise UsageError(f"error: unknown shorthand flag: '{letter}' in {a}")
                eq = "=" if body[1:2] == "=" else ""
                val = body[2:] if eq else body[1:]
                if not eq and val and flags_spec.get(key) == "bool":
                    if all(ch in short and flags_spec.get(short[ch]) == "bool" for ch in body):
                        for ch in body:
                            flags[short[ch]] = True
                        i += 1
                        continue
                if not eq and val:
                    eq = "="
            kind = flags_spec.get(key)
            if kind is None:
                raise UsageError(f"error: unknown flag: --{key}")
            if kind == "bool":
                if eq:
                    if val.lower() not in ("true", "false"):
                        raise UsageError(f'error: invalid argument "{val}" for "--{key}" flag: '
                                         f'strconv.ParseBool: parsing "{val}": invalid syntax')
                    flags[key] = val.lower() == "true"
                else:
                    flags[key] = True
                i += 1
                continue
            if not eq:
                if i + 1 >= len(argv):
                    raise UsageError(f"error: flag needs an argument: --{key}")
                val = argv[i + 1]
                i += 1
            if kind == "multi":
                flags.setdefault(key, []).append(val)
            else:
                flags[key] = val
            i += 1
            continue
        pos.append(a)
        i += 1
    if rest and not v.takes_rest:
        pos.extend(rest)
        rest = []
    args = Args(verb=v.name, positionals=pos, flags=flags, rest=rest)
    args.namespace = flags.get("namespace") or "default"
    args.all_namespaces = bool(flags.get("all-namespaces"))
    args.output = flags.get("output")
    args.filenames = list(flags.get("filename") or [])
    args.selector = flags.get("selector")
    if args.output not in (None, "wide", "yaml", "json", "name") and not str(args.output).startswith(
            ("jsonpath", "custom-columns", "go-template")):
        raise UsageError(f'error: unable to match a printer suitable for the output format "{args.output}", '
                         'allowed formats are: json,jsonpath,jsonpath-as-json,jsonpath-file,name,'
                         'go-template,go-template-file,template,templatefile,wide,yaml')
    if len(pos) < v.min_args and not (args.filenames and v.name in FILE_VERBS):
        raise UsageError(f"error: kubectl {v.name} needs {v.min_args} argument(s); see 'kubectl {v.name} -h'")
    return v, args


def check_kubectl(cluster: "Cluster", cmdline: str | list[str]) -> None:
    """Validate a command line up front (simulate --at). Raises UserError."""
    try:
        v, args = parse(split_command(cmdline))
        check = getattr(v.fn, "check", None)
        if check is not None:
            check(args)
    except KubectlError as exc:
        text = cmdline if isinstance(cmdline, str) else " ".join(cmdline)
        text = text.strip().removeprefix("kubectl ").strip()
        raise UserError(f"kubectl {text}: {exc.message.removeprefix('error: ')}") from None


def run_kubectl(cluster: "Cluster", cmdline: str | list[str]) -> KubectlResult:
    try:
        v, args = parse(split_command(cmdline))
        res = v.fn(Context(cluster, args), args)
        return res if isinstance(res, KubectlResult) else KubectlResult(str(res or ""), 0)
    except KubectlError as exc:
        msg = exc.message
        return KubectlResult(msg if msg.endswith("\n") else msg + "\n", exc.code)
    except UserError as exc:
        msg = str(exc)
        return KubectlResult(msg if msg.endswith("\n") else msg + "\n", 1)


# -- table printing (k8s.io/cli-runtime printers.TablePrinter: tabwriter, 3 spaces padding) ---------------
def format_table(headers: list[str], rows: list[list[str]], padding: int = 3) -> str:
    widths = [len(h) for h in headers]
    for r in rows:
        for i, cell in enumerate(r):
            widths[i] = max(widths[i], len(cell))
    lines = []
    for r in [headers, *rows]:
        cells = []
        for i, cell in enumerate(r):
            cells.append(cell if i == len(r) - 1 else cell.ljust(widths[i] + padding))
        lines.append("".join(cells).rstrip())
    return "\n".join(lines) + "\n"


_PLUGINS_LOADED = False
PLUGIN_MODULES = ("kubetrainer.sim.kubectl.pods", "kubetrainer.sim.kubectl.generic",
                  "kubetrainer.sim.kubectl.workloads", "kubetrainer.sim.kubectl.nodes",
                  "kubetrainer.sim.kubectl.storage")


def _load_plugins() -> None:
    global _PLUGINS_LOADED
    if _PLUGINS_LOADED:
        return
    _PLUGINS_LOADED = True
    for mod in PLUGIN_MODULES:
        try:
            importlib.import_module(mod)
        except ImportError as exc:
            if exc.name != mod:
                raise
