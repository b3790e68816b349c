"""The command line of CONTRACTS.md §1.

Parsing lives here; each command's work lives in `kubetrainer.commands.<name>.run(args) -> int`,
imported only when that command runs (start-up stays fast, and `validate` never loads textual).
Exit status: 0 done, 1 the input is wrong (a message was printed), 2 usage error.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import tempfile
import traceback

from kubetrainer import __version__
from kubetrainer.errors import UserError, escape_text


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # usage errors exit 2, as argparse does, but never a traceback
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="kubetrainer", description="Learn how Kubernetes runs Pods, as a game in the terminal.")
    p.add_argument("--version", action="version", version=f"kubetrainer {__version__}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    s = sub.add_parser("play", help="open the TUI straight into one lesson")
    s.add_argument("lesson_id", metavar="LESSON_ID")
    s.add_argument("--pack", action="append", default=[], metavar="DIR", help="also load the lesson pack in DIR")

    s = sub.add_parser("sandbox", help="open the TUI in free mode on a world")
    s.add_argument("--world", metavar="W", help="world file (default: the built-in three-node world)")

    s = sub.add_parser("simulate", help="run the simulated cluster headless")
    s.add_argument("files", nargs="+", metavar="FILE", help="manifest files ('-' for standard input)")
    s.add_argument("--world", metavar="W")
    s.add_argument("--until", default="300s", metavar="D", help="virtual time to run to (default 300s)")
    s.add_argument("--at", nargs=2, action="append", default=[], metavar=("D", "CMD"),
                   help="run a kubectl command or world event (node-down NAME, node-up NAME) at virtual time D")
    s.add_argument("--format", choices=["text", "json"], default="text")
    s.add_argument("--seed", type=int, default=0, metavar="N")

    s = sub.add_parser("schedule", help="one scheduling cycle, explained per node and plugin")
    s.add_argument("file", metavar="FILE")
    s.add_argument("--world", metavar="W")
    s.add_argument("--format", choices=["text", "json"], default="text")

    s = sub.add_parser("validate", help="schema and semantic validation as the API server does it")
    s.add_argument("files", nargs="+", metavar="FILE")

    s = sub.add_parser("explain", help="field documentation from the Kubernetes OpenAPI schema")
    s.add_argument("field", metavar="FIELD", help="e.g. pod.spec.containers.imagePullPolicy")
    s.add_argument("--recursive", action="store_true", help="print the fields of the fields")

    s = sub.add_parser("lessons", help="list the lessons and your progress")
    s.add_argument("--pack", action="append", default=[], metavar="DIR")
    s.add_argument("--format", choices=["text", "json"], default="text")

    s = sub.add_parser("check", help="grade a submission for a lesson headless")
    s.add_argument("lesson_id", metavar="LESSON_ID")
    s.add_argument("file", metavar="FILE")
    s.add_argument("--pack", action="append", default=[], metavar="DIR")
    s.add_argument("--format", choices=["text", "json"], default="text")

    s = sub.add_parser("bench", help="benchmarks")
    bsub = s.add_subparsers(dest="bench_command", metavar="WHAT", parser_class=_Parser, required=True)
    b = bsub.add_parser("scheduler", help="scheduler_perf-style throughput benchmark")
    b.add_argument("--nodes", type=int, required=True, metavar="N")
    b.add_argument("--pods", type=int, required=True, metavar="M")
    b.add_argument("--init-pods", type=int, default=0, metavar="K")
    b.add_argument("--format", choices=["text", "json"], default="text")

    s = sub.add_parser("lint", help="check a lesson pack: schema, references, solvability")
    s.add_argument("pack_dir", metavar="PACK_DIR")

    s = sub.add_parser("progress", help="show or reset your progress")
    s.add_argument("--reset", action="store_true", help="delete all progress (asks first)")
    s.add_argument("--yes", action="store_true", help="do not ask before --reset")

    s = sub.add_parser("replay", help="play a key script headless and write SVG screenshots")
    s.add_argument("script", metavar="SCRIPT")
    s.add_argument("--out", required=True, metavar="DIR")
    return p


_MODULES = {
    None: "tui_launch", "play": "tui_launch", "sandbox": "tui_launch", "replay": "tui_launch",
    "simulate": "simulate", "schedule": "schedule", "validate": "validate", "explain": "explain",
    "lessons": "lessons", "check": "check", "bench": "bench", "lint": "lint", "progress": "progress",
}


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        module = importlib.import_module(f"kubetrainer.commands.{_MODULES[args.command]}")
        return int(module.run(args) or 0)
    except UserError as err:
        print(escape_text(str(err)), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # `kubetrainer simulate ... | head`: the reader went away; not an error of ours.
        try:
            sys.stdout = open(os.devnull, "w")
        except OSError:
            pass
        return 0
    except Exception as exc:  # a bug: one clean line, the details in a file
        path = _write_crash_report()
        print(f"kubetrainer: internal error: {type(exc).__name__}: {escape_text(str(exc))[:200]} "
              f"(details in {path})", file=sys.stderr)
        return 1


def _write_crash_report() -> str:
    try:
        fd, path = tempfile.mkstemp(prefix="kubetrainer-crash-", suffix=".txt")
        with os.fdopen(fd, "w") as f:
            f.write(f"kubetrainer {__version__}\nargv: {sys.argv!r}\n\n")
            f.write(traceback.format_exc())
        return path
    except OSError:
        return "(could not write a crash report)"
