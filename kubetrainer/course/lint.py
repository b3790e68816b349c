"""`kubetrainer lint PACK_DIR`: every problem of a pack, for an instructor.

Loading (YAML, schema, semantics) finds most problems; lint adds what needs the engine: each
lesson's world loads, its solution is valid and passes every objective, its starter fails at
least one (a lesson with nothing to do is a bug).
"""

from __future__ import annotations

import sys
from typing import Any, Callable

from kubetrainer.api.intake import Problem
from kubetrainer.course.packs import Lesson, is_path_ref, load_pack_dir
from kubetrainer.errors import UserError


def _inline_mapper(lesson: Lesson, path: tuple) -> Callable[[int, int], tuple[int, int]]:
    """Map (line, col) inside an inline manifest string to the lesson file."""
    vline, vcol = lesson.doc.position(path, value=True)
    try:
        src = lesson.pack.read_text(lesson.rel).split("\n")
    except (OSError, UnicodeDecodeError):
        src = []
    head = src[vline - 1][vcol - 1:] if 0 < vline <= len(src) else ""
    if head[:1] in ("|", ">"):
        indent = 0
        for ln in src[vline:]:
            if ln.strip():
                indent = len(ln) - len(ln.lstrip(" "))
                break
        return lambda l, c: (vline + l, c + indent)
    return lambda l, c: (vline, vcol)


def _manifest_problems(lesson: Lesson, key_path: tuple, text: str, fname: str) -> list[Problem]:
    from kubetrainer.api.intake import intake_text

    inline = fname == lesson.file or fname.startswith(lesson.file + "#")
    _, problems = intake_text(text, lesson.file if inline else fname)
    if not inline:
        return list(problems)
    mapper = _inline_mapper(lesson, key_path)
    out = []
    for p in problems:
        line, col = mapper(p.line, p.col)
        out.append(Problem(lesson.file, line, col, f"{'.'.join(map(str, key_path))}: {p.message}"))
    return out


def lint_lesson(lesson: Lesson, solvability: bool = True) -> list[Problem]:
    out: list[Problem] = []
    f = lesson.file

    def at(path: tuple, msg: str) -> None:
        line, col = lesson.position(path, value=True)
        out.append(Problem(f, line, col, msg))

    # the world
    world_ok = True
    try:
        lesson.world()
    except UserError as err:
        world_ok = False
        msg = str(err)
        if msg.count(":") >= 3 and msg.split(":", 3)[1].isdigit():
            out.append(_parse_problem(msg))
        else:
            at(("world",), f"world: {msg}")
    except Exception as err:  # noqa: BLE001 - an engine bug is reported on the lesson, not a crash
        world_ok = False
        at(("world",), f"world: cannot be loaded: {type(err).__name__}: {err}")

    # the solution must be valid; the starter may be broken on purpose (the lesson may be to fix it)
    sol_problems = _manifest_problems(lesson, ("solution",), lesson.solution_text, lesson.solution_file)
    out.extend(Problem(p.file, p.line, p.col, f"the solution is invalid: {p.message}") for p in sol_problems)
    for i, (_, _, text, fname) in enumerate(lesson.actions):
        if text is not None:
            ap = _manifest_problems(lesson, ("run", "at", i, "apply"), text, fname or f)
            out.extend(ap)

    if solvability and world_ok and not sol_problems:
        from kubetrainer.course.grading import grade

        try:
            flagged = _check_commands(lesson, at)
            g = grade(lesson, lesson.solution_text, filename=lesson.solution_file)
            for when, action, output, code in g.log:
                if code:
                    idx = _action_index(lesson, when, action)
                    if idx in flagged:
                        continue
                    at(("run", "at", idx) if idx is not None else ("run",),
                       f"with the solution, {action!r} at {when:g}s failed: {output.strip()}")
            if g.problems:
                for p in g.problems:
                    at(("solution",), f"the solution is rejected: {p}")
            for o in g.objectives:
                if not o.passed:
                    at(("solution",), f"the solution does not pass objective {o.id}: {o.reason}")
            gs = grade(lesson, lesson.starter_text, filename=lesson.starter_file)
            if gs.passed:
                at(("starter",), "the starter already passes every objective: the lesson leaves nothing to do")
        except Exception as err:  # noqa: BLE001
            at(("solution",), f"cannot simulate the lesson: {type(err).__name__}: {err}")
    return out


def _check_commands(lesson: Lesson, at: Any) -> set[int]:
    """Each run.at command makes sense (a kubectl verb and flags the simulator knows, or a world
    event on a node of the lesson's world)."""
    from kubetrainer.sim.cluster import Cluster

    cmds = [(i, a.command) for i, a in enumerate(lesson.spec.run.at) if a.command is not None]
    flagged: set[int] = set()
    if not cmds:
        return flagged
    world = lesson.world()
    nodes = {n.name for n in getattr(world, "nodes", [])}
    cluster = None
    for i, cmd in cmds:
        parts = cmd.split()
        if parts and parts[0] in ("node-down", "node-up"):
            if len(parts) != 2 or (nodes and parts[1] not in nodes):
                flagged.add(i)
            if len(parts) != 2:
                at(("run", "at", i, "command"), f"run.at[{i}].command: expected {parts[0]} NAME")
            elif nodes and parts[1] not in nodes:
                at(("run", "at", i, "command"), f"run.at[{i}].command: no node {parts[1]!r} in the lesson's world "
                                                f"(nodes: {', '.join(sorted(nodes)[:5])})")
            continue
        if cluster is None:
            cluster = Cluster(world, seed=0)
        try:
            cluster.check_kubectl(cmd)
        except UserError as err:
            flagged.add(i)
            at(("run", "at", i, "command"), f"run.at[{i}].command: {err}")
    return flagged


def _action_index(lesson: Lesson, when: float, action: str) -> int | None:
    for i, a in enumerate(lesson.spec.run.at):
        if float(a.time) == when and (a.command is not None and a.command.strip() == action or a.apply is not None
                                      and action.startswith("kubectl apply -f")):
            return i
    return None


def _parse_problem(msg: str) -> Problem:
    file, line, col, rest = msg.split(":", 3)
    return Problem(file, int(line), int(col), rest.strip())


class _Bar:
    """A one-line progress bar on stderr, only when stderr is a terminal."""

    def __init__(self, total: int, stream: Any = None) -> None:
        self.stream = stream or sys.stderr
        self.total = total
        self.enabled = total > 1 and hasattr(self.stream, "isatty") and self.stream.isatty()

    def show(self, done: int, label: str) -> None:
        if not self.enabled:
            return
        width = 30
        filled = int(width * done / max(1, self.total))
        self.stream.write(f"\rlint [{'#' * filled}{'.' * (width - filled)}] {done}/{self.total} {label[:30]:<30}")
        self.stream.flush()

    def clear(self) -> None:
        if self.enabled:
            self.stream.write("\r" + " " * 80 + "\r")
            self.stream.flush()


def lint_pack(path: str, solvability: bool = True, stream: Any = None) -> list[Problem]:
    """Every problem of the pack at `path`, in file/line order."""
    pack, problems = load_pack_dir(path)
    problems = list(problems)
    if pack is not None:
        bar = _Bar(len(pack.lessons), stream)
        for i, lesson in enumerate(pack.lessons):
            bar.show(i, lesson.id)
            problems.extend(lint_lesson(lesson, solvability))
        bar.show(len(pack.lessons), "")
        bar.clear()
    seen = set()
    unique = []
    for p in sorted(problems, key=lambda p: (p.file, p.line, p.col)):
        if str(p) not in seen:
            seen.add(str(p))
            unique.append(p)
    return unique


__all__ = ["lint_pack", "lint_lesson", "is_path_ref"]
