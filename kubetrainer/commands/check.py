"""`kubetrainer check LESSON_ID FILE [--format text|json]`: grade a submission headless."""

from __future__ import annotations

import json
import sys
from typing import Any

from kubetrainer.errors import UserError, escape_text


def run(args: Any) -> int:
    from kubetrainer.api.yamlpos import YamlProblem, decode_bytes, read_source
    from kubetrainer.commands.lessons import load_catalog, open_progress
    from kubetrainer.course.grading import grade

    store = open_progress(quiet=args.format == "json")
    try:
        cat = load_catalog(list(args.pack or []), store, strict=False)
        try:
            lesson = cat.get(args.lesson_id)
        except KeyError:
            known = ", ".join(l.id for l in cat.lessons()[:10])
            raise UserError(f'error: no lesson "{args.lesson_id}"' +
                            (f" (lessons: {known}{', ...' if len(cat.lessons()) > 10 else ''})" if known else "")) from None
        name = "<stdin>" if args.file == "-" else args.file
        data = read_source(args.file)
        try:
            text = decode_bytes(data, name) if isinstance(data, bytes) else data
        except YamlProblem as p:
            raise UserError(f"{name}:{p.line}:{p.col}: {p.message}") from None
        g = grade(lesson, text, filename=name)
        if store is not None and not g.problems:
            try:
                store.record_submission(lesson.pack.id, lesson.id, text, g.passed, difficulty=lesson.difficulty)
            except Exception as err:  # noqa: BLE001 - grading works without a writable progress store
                print(f"warning: progress not saved: {escape_text(str(err))}", file=sys.stderr)
    finally:
        if store is not None:
            store.close()
    if args.format == "json":
        print(json.dumps(g.to_json(), ensure_ascii=False, indent=2))
        for p in g.problems:
            print(escape_text(p), file=sys.stderr)
        return 0 if g.passed else 1
    if g.problems:
        for p in g.problems:
            print(escape_text(p), file=sys.stderr)
        return 1
    n = sum(o.passed for o in g.objectives)
    print(f"lesson {escape_text(lesson.id)}: {n}/{len(g.objectives)} objectives passed")
    for o in g.objectives:
        desc = escape_text(lesson.tr(o.description, "en"))
        line = f"  {'PASS' if o.passed else 'FAIL'}  {escape_text(o.id)}: {desc}"
        print(line)
        if not o.passed:
            print(f"        {escape_text(o.reason)}")
    return 0 if g.passed else 1
