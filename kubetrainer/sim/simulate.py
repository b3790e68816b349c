"""`kubetrainer simulate` as a library: apply manifests at t=0, run to `until`, run the `--at`
commands at their times, and return the SimulationResult (CONTRACTS.md §3)."""

from __future__ import annotations

from typing import Any, Iterable

from kubetrainer.errors import UserError, escape_text
from kubetrainer.sim.cluster import Cluster


def _manifests(files_or_manifests: Iterable[Any]) -> list[Any]:
    items = list(files_or_manifests)
    paths = [x for x in items if isinstance(x, str)]
    if paths and len(paths) != len(items):
        raise TypeError("pass either file paths or manifests, not both")
    if paths:
        from kubetrainer.api.intake import load_manifests

        return load_manifests(paths)
    return items


def run_cluster(files_or_manifests: Iterable[Any], world: Any = None, until: float = 300.0,
                at: Iterable[tuple[float, str]] = (), seed: int = 0) -> Cluster:
    """Build the cluster, apply, run. The `--at` commands are checked before anything runs."""
    manifests = _manifests(files_or_manifests)
    if isinstance(world, str):
        from kubetrainer.sim.world import load_world

        world = load_world(world)
    cluster = Cluster(world, seed=seed)
    commands = sorted(((float(t), i, cmd) for i, (t, cmd) in enumerate(at)), key=lambda x: (x[0], x[1]))
    for t, _, cmd in commands:
        if t < 0:
            raise UserError(f"--at {t:g}: time must not be negative")
        s = cmd.strip()
        if s.startswith(("node-down", "node-up")):
            parts = s.split()
            if len(parts) != 2:
                raise UserError(f"--at {t:g} {cmd!r}: expected node-down NAME or node-up NAME")
            if cluster.store.get("Node", "", parts[1]) is None:
                raise UserError(f'--at {t:g} {cmd!r}: node "{parts[1]}" not found')
        else:
            try:
                cluster.check_kubectl(s)
            except UserError as exc:
                raise UserError(f"--at {t:g}: {exc}") from None
    try:
        cluster.apply_manifests(manifests)
    except UserError:
        raise
    outputs: list[tuple[float, str, Any]] = []
    for t, _, cmd in commands:
        if t > until:
            continue
        cluster.run_until(t)
        res = cluster.command(cmd)
        outputs.append((t, cmd, res))
    cluster.run_until(until)
    cluster.command_outputs = outputs  # type: ignore[attr-defined]
    return cluster


def simulate(files_or_manifests: Iterable[Any], world: Any = None, until: float = 300.0,
             at: Iterable[tuple[float, str]] = (), seed: int = 0) -> dict[str, Any]:
    """The SimulationResult dict."""
    return run_cluster(files_or_manifests, world, until, at, seed).result()


def _fmt_time(t: float) -> str:
    return f"{t:.1f}s" if t != int(t) else f"{int(t)}s"


def format_text(cluster: Cluster) -> str:
    """The timeline, then `kubectl get pods -o wide`, then the events as kubectl describe prints them."""
    from kubetrainer.sim.kubectl import format_table
    from kubetrainer.sim.kubectl.generic import events_table

    out: list[str] = []
    out.append(f"Timeline (virtual time, until {_fmt_time(cluster.now)}):\n")
    outputs = list(getattr(cluster, "command_outputs", []))
    rows = []
    for r in cluster.timeline:
        rows.append([_fmt_time(r["time"]), r["object"].split("/", 1)[1],
                     "<deleted>" if r["deleted"] else r["phase"],
                     "" if r["deleted"] else r["status"], "" if r["deleted"] else r["ready"],
                     "" if r["deleted"] else str(r["restarts"]),
                     "" if r["deleted"] else (r["node"] or "<none>")])
    table = format_table(["TIME", "POD", "PHASE", "STATUS", "READY", "RESTARTS", "NODE"], rows).splitlines()
    width = len(max((r[0] for r in rows), key=len, default="TIME")) if rows else 4
    # the --at commands go between the rows, at their time (before the changes they cause)
    lines = [table[0]]
    pending = sorted(outputs, key=lambda o: o[0])
    for r, line in zip(cluster.timeline, table[1:]):
        while pending and pending[0][0] <= r["time"]:
            t, cmd, _ = pending.pop(0)
            lines.append(f"{_fmt_time(t).ljust(max(width, 4) + 3)}$ {cmd}")
        lines.append(line)
    for t, cmd, _ in pending:
        lines.append(f"{_fmt_time(t).ljust(max(width, 4) + 3)}$ {cmd}")
    out.append("".join("  " + line.rstrip() + "\n" for line in lines))
    for t, cmd, res in outputs:
        if res.output.strip():
            out.append(f"\n[{_fmt_time(t)}] $ {cmd}\n")
            out.append("".join("  " + line + "\n" for line in res.output.rstrip("\n").splitlines()))
    out.append("\n$ kubectl get pods -o wide\n")
    out.append(cluster.kubectl("get pods -o wide -A").output if _multi_ns(cluster)
               else cluster.kubectl("get pods -o wide").output)
    by_obj: dict[str, list] = {}
    for e in cluster.events.events:
        by_obj.setdefault(e.object, []).append(e)
    for obj, evs in by_obj.items():
        out.append(f"\n{obj.replace('//', '/')}:\n")
        out.append(events_table(evs, cluster.now))
    return escape_text("".join(out))


def _multi_ns(cluster: Cluster) -> bool:
    return any(p["metadata"].get("namespace") != "default" for p in cluster.store.iter("Pod"))
