"""`kubetrainer progress [--reset [--yes]]`: show or delete the learner's progress."""

from __future__ import annotations

import sys
from typing import Any

from kubetrainer.errors import UserError, escape_text


def run(args: Any) -> int:
    from kubetrainer.course.progress import ProgressError, ProgressStore

    try:
        store = ProgressStore.open()
    except (ProgressError, OSError) as err:
        raise UserError(f"error: {err}") from None
    with store:
        if store.notice:
            print(f"warning: {escape_text(store.notice)}", file=sys.stderr)
        rows = store.all()
        if args.reset:
            if not args.yes:
                if not sys.stdin.isatty():
                    raise UserError("error: refusing to delete progress without confirmation: "
                                    "run `kubetrainer progress --reset --yes` (no terminal to ask on)")
                print(f"Delete all progress ({len(rows)} lesson{'s' if len(rows) != 1 else ''}, "
                      f"{store.total_xp()} XP) in {store.path}? [y/N] ", end="", file=sys.stderr, flush=True)
                answer = sys.stdin.readline().strip().lower()
                if answer not in ("y", "yes"):
                    print("Nothing was deleted.", file=sys.stderr)
                    return 1
            try:
                n = store.reset()
            except ProgressError as err:
                raise UserError(f"error: {err}") from None
            print(f"Progress deleted ({n} lesson{'s' if n != 1 else ''}).")
            return 0
        done = [r for r in rows if r.completed]
        print(f"Progress: {len(done)} lesson{'s' if len(done) != 1 else ''} completed, {store.total_xp()} XP")
        print(f"Stored in {store.path}")
        if rows:
            w = max(len(f"{r.pack}/{r.lesson}") for r in rows)
            print()
            print(f"  {'LESSON':<{w}}  STARS  DONE  ATTEMPTS  HINTS  BEST")
            for r in rows:
                best = f"{r.best_seconds:.0f}s" if r.best_seconds is not None else "-"
                print(f"  {escape_text(f'{r.pack}/{r.lesson}'):<{w}}  {'*' * r.stars + '.' * (3 - r.stars):<5}  "
                      f"{'yes' if r.completed else 'no':<4}  {r.attempts:<8}  {r.hints_used:<5}  {best}")
    return 0
