"""`kubetrainer validate FILE...`: schema + semantic validation as the API server does it.

Prints `FILE:LINE:COL: message` per problem on stderr and exits 1, or one line per valid
object on stdout (`FILE: pod/web valid`) and exits 0. The API server's warnings (duplicate env
names, duplicate ports, ...) go to stderr as `FILE:LINE:COL: Warning: ...` and do not change
the exit status. Never imports textual.
"""

from __future__ import annotations

import sys

from kubetrainer.errors import UserError, escape_text


def run(args) -> int:
    from kubetrainer.api import yamlpos
    from kubetrainer.api.intake import Problem, describe, intake_text

    problems: list[Problem] = []
    ok_lines: list[str] = []
    warnings: list[str] = []  # kubectl prints the server's "Warning:" lines and goes on
    stdin_text = None
    for path in args.files:
        name = "<stdin>" if path == "-" else path
        try:
            if path == "-" and stdin_text is None:
                stdin_text = yamlpos.read_source("-")
            data = stdin_text if path == "-" else yamlpos.read_source(path)
        except yamlpos.YamlProblem as p:
            problems.append(Problem(name, p.line, p.col, p.message))
            continue
        manifests, ps = intake_text(data, name)
        problems.extend(ps)
        for m in manifests:
            ok_lines.append(f"{name}: {describe(m)} valid")
            warnings.extend(str(w) for w in m.warnings)
    out = sys.stdout
    for line in warnings:
        sys.stderr.write(escape_text(line) + "\n")
    for line in ok_lines:
        out.write(escape_text(line) + "\n")
    if problems:
        raise UserError("\n".join(str(p) for p in problems))
    return 0
