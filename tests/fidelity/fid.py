"""Helpers for the fidelity suite: drive the real CLI in-process (`kubetrainer.cli.main`) the way
the outside acceptance checks drive `kubetrainer simulate|schedule|validate`, and read its JSON.

Every scenario asserts what a real cluster does (Kubernetes source cited in each test); timing
assertions use honest windows, never one exact second.
"""

from __future__ import annotations

import atexit
import contextlib
import functools
import hashlib
import io
import json
import os
import shutil
import tempfile
from pathlib import Path

from kubetrainer.cli import main

HERE = Path(__file__).parent
MANIFESTS = HERE / "manifests"
DOCS = MANIFESTS / "docs"
_TMP = Path(tempfile.mkdtemp(prefix="kt-fidelity-"))
atexit.register(shutil.rmtree, _TMP, True)


def cli(*argv: str, stdin: str | None = None) -> tuple[int, str, str]:
    """Run `kubetrainer ARGV...` in-process; (exit code, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    import sys
    old_stdin = sys.stdin
    if stdin is not None:
        sys.stdin = io.TextIOWrapper(io.BytesIO(stdin.encode()), encoding="utf-8")
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                rc = main(list(argv))
            except SystemExit as e:  # argparse usage errors
                rc = e.code if isinstance(e.code, int) else 2
    finally:
        sys.stdin = old_stdin
    return rc, out.getvalue(), err.getvalue()


def write(text: str, name: str | None = None, suffix: str = ".yaml") -> str:
    """Write TEXT to a temp file (named by content unless NAME is given); return its path."""
    if name is None:
        name = hashlib.sha1(text.encode()).hexdigest()[:16] + suffix
    p = _TMP / name
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(text, newline="")
    return str(p)


def path_of(manifest: str) -> str:
    """A docs example name ('docs/exec-liveness'), a manifests/ file, or inline YAML text."""
    if "\n" in manifest:
        return write(manifest)
    for cand in (MANIFESTS / manifest, MANIFESTS / f"{manifest}.yaml"):
        if cand.is_file():
            return str(cand)
    raise FileNotFoundError(manifest)


@functools.lru_cache(maxsize=None)
def _simulate(paths: tuple[str, ...], until: str, at: tuple[tuple[str, str], ...], world: str | None,
              seed: int) -> str:
    argv = ["simulate", *paths, "--until", str(until), "--format", "json", "--seed", str(seed)]
    for t, cmd in at:
        argv += ["--at", str(t), cmd]
    if world:
        argv += ["--world", world]
    rc, out, err = cli(*argv)
    assert rc == 0, f"simulate exit {rc}: {err}"
    assert "Traceback" not in err
    return out


def simulate(*manifests: str, until="300", at=(), world: str | None = None, seed: int = 0) -> "Sim":
    """`kubetrainer simulate FILE... --format json` → Sim (cached per arguments)."""
    paths = tuple(path_of(m) for m in manifests)
    at = tuple((str(t), c) for t, c in at)
    wpath = path_of(world) if world else None
    return Sim(json.loads(_simulate(paths, str(until), at, wpath, seed)))


def schedule(manifest: str, world: str | None = None) -> dict:
    argv = ["schedule", path_of(manifest), "--format", "json"]
    if world:
        argv += ["--world", path_of(world)]
    rc, out, err = cli(*argv)
    assert rc == 0, f"schedule exit {rc}: {err}"
    return json.loads(out)


def world(nodes: str, registry: str = "") -> str:
    """A world file text with the given `nodes:` block (indented list items) and optional registry."""
    text = "apiVersion: kubetrainer/v1\nkind: World\nmetadata: {name: t}\nspec:\n  nodes:\n" + nodes
    if registry:
        text += "  registry:\n" + registry
    return text


class Sim:
    """The SimulationResult with small query helpers."""

    def __init__(self, data: dict):
        self.data = data
        self.pods = data["pods"]
        self.events = data["events"]
        self.timeline = [r for r in data["timeline"] if "object" in r]

    # pods -------------------------------------------------------------------------------------
    def pod(self, name: str, ns: str = "default") -> dict:
        for p in self.pods:
            if p["name"] == name and p["namespace"] == ns:
                return p
        raise KeyError(f"pod {ns}/{name} not in {[p['name'] for p in self.pods]}")

    def pods_named(self, prefix: str, live_only: bool = False) -> list[dict]:
        ps = [p for p in self.pods if p["name"].startswith(prefix)]
        if live_only:
            ps = [p for p in ps if not p["deleted"]]
        return ps

    def container(self, pod: str, name: str | None = None, ns: str = "default", init=False) -> dict:
        cs = self.pod(pod, ns)["initContainers" if init else "containers"]
        if name is None:
            return cs[0]
        return next(c for c in cs if c["name"] == name)

    # events -----------------------------------------------------------------------------------
    def ev(self, reason: str | None = None, obj: str | None = None, message: str | None = None) -> list[dict]:
        out = []
        for e in self.events:
            if reason is not None and e["reason"] != reason:
                continue
            if obj is not None and not (e["object"] == obj or e["object"].split("/")[-1] == obj
                                        or e["object"].split("/")[-1].startswith(obj)):
                continue
            if message is not None and message not in e["message"]:
                continue
            out.append(e)
        return out

    def ev_times(self, reason: str, obj: str | None = None, message: str | None = None) -> list[float]:
        """Times of every occurrence (events are aggregated with count; each row is one occurrence)."""
        return [e["time"] for e in self.ev(reason, obj, message)]

    # timeline ---------------------------------------------------------------------------------
    def rows(self, name: str, ns: str = "default") -> list[dict]:
        key = f"Pod/{ns}/{name}"
        return [r for r in self.timeline if r["object"] == key]

    def statuses(self, name: str, ns: str = "default") -> list[str]:
        out = []
        for r in self.rows(name, ns):
            s = "<deleted>" if r.get("deleted") else r["status"]
            if not out or out[-1] != s:
                out.append(s)
        return out

    def first(self, name: str, ns: str = "default", **match) -> float | None:
        for r in self.rows(name, ns):
            if all(r.get(k) == v for k, v in match.items()):
                return r["time"]
        return None

    def restart_times(self, name: str, ns: str = "default") -> list[float]:
        """Time at which RESTARTS reached 1, 2, 3, ..."""
        out, last = [], 0
        for r in self.rows(name, ns):
            n = r.get("restarts") or 0
            while n > last:
                last += 1
                out.append(r["time"])
        return out

    def max_alive(self, prefix: str, ns: str = "default", per_row: bool = True) -> int:
        """Largest number of pods (name prefix) at once that exist, are not Terminating and not
        terminal — checked after every timeline row (per_row) or after each instant."""
        state: dict[str, dict] = {}
        best = 0
        rows = [r for r in self.timeline
                if r["object"].split("/", 2)[1] == ns and r["object"].split("/", 2)[2].startswith(prefix)]

        def count():
            return sum(1 for s in state.values()
                       if not s.get("deleted") and s.get("status") != "Terminating"
                       and s.get("phase") not in ("Succeeded", "Failed"))

        for i, r in enumerate(rows):
            state[r["object"]] = r
            if per_row or i + 1 == len(rows) or rows[i + 1]["time"] != r["time"]:
                best = max(best, count())
        return best

    def min_ready(self, prefix: str, after: float, before: float, ns: str = "default") -> int:
        """Smallest number of Ready (READY n/n, Running) pods with PREFIX within [after, before]."""
        state: dict[str, dict] = {}
        worst = None
        for r in self.timeline:
            _, rns, name = r["object"].split("/", 2)
            if rns != ns or not name.startswith(prefix):
                continue
            state[name] = r
            if r["time"] < after or r["time"] > before:
                continue
            ready = sum(1 for s in state.values()
                        if not s.get("deleted") and s.get("status") == "Running"
                        and s.get("ready", "0/1").split("/")[0] == s.get("ready", "0/1").split("/")[1])
            worst = ready if worst is None else min(worst, ready)
        return worst if worst is not None else -1

    def deployment(self, name: str, ns: str = "default") -> dict:
        return next(d for d in self.data["deployments"] if d["name"] == name and d["namespace"] == ns)

    def replica_sets(self, prefix: str) -> list[dict]:
        return [r for r in self.data["replicaSets"] if r["name"].startswith(prefix)]

    def node(self, name: str) -> dict:
        return next(n for n in self.data["nodes"] if n["name"] == name)

    def started(self, pod: str, n: int = 0) -> float:
        return self.ev_times("Started", pod)[n]


def validate(*files: str) -> tuple[int, str, str]:
    return cli("validate", *files)


os.environ.setdefault("NO_COLOR", "1")
