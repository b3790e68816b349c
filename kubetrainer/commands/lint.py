"""`kubetrainer lint PACK_DIR`: FILE:LINE:COL: message per problem; exit 1 if any."""

from __future__ import annotations

import sys
from typing import Any

from kubetrainer.errors import escape_text


def run(args: Any) -> int:
    from kubetrainer.course.lint import lint_pack

    problems = lint_pack(args.pack_dir)
    for p in problems:
        print(escape_text(str(p)))
    if problems:
        print(f"{len(problems)} problem{'s' if len(problems) != 1 else ''} found", file=sys.stderr)
        return 1
    return 0
