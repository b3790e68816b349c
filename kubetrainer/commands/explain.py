"""`kubetrainer explain FIELD [--recursive]`: what `kubectl explain` prints, from the vendored
Kubernetes 1.34 OpenAPI schema (kubetrainer.api.explain)."""

from __future__ import annotations

import sys

from kubetrainer.errors import UserError


def run(args) -> int:
    from kubetrainer.api.explain import ExplainError, explain

    try:
        text = explain(args.field, recursive=bool(getattr(args, "recursive", False)))
    except ExplainError as err:
        raise UserError(str(err)) from None
    sys.stdout.write(text)
    return 0
