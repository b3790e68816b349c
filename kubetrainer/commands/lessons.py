"""`kubetrainer lessons [--pack DIR] [--format text|json]` (CONTRACTS.md §1)."""

from __future__ import annotations

import json
import sys
from typing import Any

from kubetrainer.errors import UserError, escape_text


def open_progress(quiet: bool = False) -> Any:
    """The progress store, or None when it cannot be opened (progress is then not shown/kept)."""
    from kubetrainer.course.progress import ProgressError, ProgressStore

    try:
        store = ProgressStore.open()
    except (ProgressError, OSError) as err:
        if not quiet:
            print(f"warning: {escape_text(str(err))}", file=sys.stderr)
        return None
    if store.notice and not quiet:
        print(f"warning: {escape_text(store.notice)}", file=sys.stderr)
    return store


def load_catalog(pack_dirs: list[str], progress: Any, strict: bool = True) -> Any:
    """The catalog; problems of packs named on the command line are errors (strict), others warnings."""
    import os

    from kubetrainer.course.packs import load_all_packs

    for d in pack_dirs:
        if not os.path.isdir(d):
            raise UserError(f'error: the lesson pack "{d}" is not a directory')
    cat = load_all_packs(pack_dirs, progress=progress)
    mine = [p for p in cat.problems if any(p.startswith(d.rstrip("/") + "/") or p.startswith(d + ":")
                                           for d in pack_dirs)]
    if mine and strict:
        raise UserError("\n".join(mine))
    for p in cat.problems:
        print(f"warning: {escape_text(p)}", file=sys.stderr)
    return cat


def run(args: Any) -> int:
    store = open_progress()
    try:
        cat = load_catalog(list(args.pack or []), store)
        entries = cat.entries(store)
    finally:
        if store is not None:
            store.close()
    rows = [{
        "id": e.lesson.id, "title": e.lesson.tr(e.lesson.title, "en"), "chapter": e.lesson.chapter,
        "difficulty": e.lesson.difficulty, "languages": e.lesson.languages, "pack": e.pack.id,
        "completed": e.completed, "stars": e.stars,
    } for e in entries]
    if args.format == "json":
        print(json.dumps({"lessons": rows}, ensure_ascii=False, indent=2))
        return 0
    if not rows:
        print("No lessons found.")
        return 0
    idw = max(len(r["id"]) for r in rows)
    chapter = None
    for e, r in zip(entries, rows):
        key = (r["pack"], r["chapter"])
        if key != chapter:
            chapter = key
            ctitle = e.lesson.tr(e.chapter.title, "en") if e.chapter.title else r["chapter"]
            print(f"\n{escape_text(e.pack.id)} / {escape_text(ctitle)}")
        stars = "*" * r["stars"] + "." * (3 - r["stars"])
        state = "done" if r["completed"] else ("locked" if e.locked else "")
        print(f"  {escape_text(r['id']):<{idw}}  {'#' * r['difficulty']:<5}  {stars}  {state:<6}  "
              f"{escape_text(r['title'])}")
    return 0
